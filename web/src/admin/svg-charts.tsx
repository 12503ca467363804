import { useI18n } from "../i18n/i18n";

/** A colour-blind-safe palette (Okabe–Ito), dark enough on white. */
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8A6D00"];
export const colourOf = (i: number) => COLOURS[i % COLOURS.length];

const W = 480;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

/** Horizontal bars, one per category; the numbers are in the labels and in a table for screen readers. */
export function BarChart({ title, data }: { title: string; data: { label: string; value: number }[] }) {
  const { formatNumber } = useI18n();
  const max = Math.max(1, ...data.map((d) => d.value));
  // Each label sits above its bar, so a long one (a reason in words) is never cut off.
  const rowH = 42;
  const height = Math.max(rowH * data.length + 8, 40);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={title}>
        {data.map((d, i) => {
          const width = ((W - 60) * d.value) / max;
          return (
            <g key={d.label} transform={`translate(0, ${i * rowH + 4})`}>
              <text x={0} y={14} fontSize={13} fill="#1a1d21">
                {d.label}
              </text>
              <rect x={0} y={20} width={Math.max(width, 1)} height={16} fill={colourOf(i)} />
              <text x={width + 6} y={33} fontSize={13} fill="#1a1d21">
                {formatNumber(d.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export interface Series {
  label: string;
  points: { x: number; y: number }[];
}

/** Lines over time (x: epoch ms); a legend names each line by its colour. */
export function LineChart({
  title,
  series,
  formatX,
  yLabel,
}: {
  title: string;
  series: Series[];
  formatX: (x: number) => string;
  yLabel: string;
}) {
  const { formatNumber } = useI18n();
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const y1 = Math.max(1, ...ys);
  const sx = (x: number) => PAD.left + ((x - x0) / Math.max(1, x1 - x0)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - (y / y1) * (H - PAD.top - PAD.bottom);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} stroke="#4a5360" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} stroke="#4a5360" />
        <text x={4} y={PAD.top + 10} fontSize={11} fill="#1a1d21">
          {formatNumber(y1)}
        </text>
        <text x={4} y={H - PAD.bottom} fontSize={11} fill="#1a1d21">
          0
        </text>
        <text x={PAD.left} y={H - 8} fontSize={11} fill="#1a1d21">
          {xs.length ? formatX(x0) : ""}
        </text>
        <text x={W - PAD.right} y={H - 8} fontSize={11} fill="#1a1d21" textAnchor="end">
          {xs.length ? formatX(x1) : ""}
        </text>
        <text x={PAD.left + 4} y={PAD.top + 10} fontSize={11} fill="#4a5360">
          {yLabel}
        </text>
        {series.map((s, i) => (
          <polyline
            key={s.label}
            fill="none"
            stroke={colourOf(i)}
            strokeWidth={2}
            points={s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(" ")}
          />
        ))}
      </svg>
      <ul className="legend">
        {series.map((s, i) => (
          <li key={s.label}>
            <span className="swatch" style={{ background: colourOf(i) }} />
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
