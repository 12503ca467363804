import type { FormEvent } from "react";
import { parseMajorUnits } from "../common/money";
import { useI18n } from "../i18n/i18n";

export interface CartLineDraft {
  productId: string;
  category: string;
  price: string;
  quantity: string;
  onSale: boolean;
}

/**
 * The demo's sample cart (`DEMO_SAMPLE_CART` in `src/demo/demo-catalog.ts`, copied: the bundle does
 * not import server code): ¥88 of books, a ¥30 book on sale and a ¥20 toy, on the website.
 */
export const SAMPLE_CART: CartLineDraft[] = [
  { productId: "book-1984", category: "books", price: "88.00", quantity: "1", onSale: false },
  { productId: "book-dune", category: "books", price: "30.00", quantity: "1", onSale: true },
  { productId: "toy-robot", category: "toys", price: "20.00", quantity: "1", onSale: false },
];
export const SAMPLE_CHANNEL = "web";

const CURRENCY = "CNY";

/** The API's cart lines, or null when a price or quantity is not a number. */
export function toCartLines(lines: CartLineDraft[]) {
  const result = [];
  for (const line of lines) {
    const amount = parseMajorUnits(line.price);
    const quantity = Number(line.quantity);
    if (amount === null || !Number.isInteger(quantity) || quantity < 1 || !line.productId.trim()) return null;
    result.push({
      productId: line.productId.trim(),
      ...(line.category.trim() ? { category: line.category.trim() } : {}),
      price: { amount, currency: CURRENCY },
      quantity,
      onSale: line.onSale,
    });
  }
  return result;
}

export function CartEditor({
  lines,
  onChange,
  channel,
  onChannelChange,
  onSubmit,
}: {
  lines: CartLineDraft[];
  onChange: (lines: CartLineDraft[]) => void;
  channel: string;
  onChannelChange: (channel: string) => void;
  onSubmit: () => void;
}) {
  const { t } = useI18n();
  const set = (index: number, patch: Partial<CartLineDraft>) =>
    onChange(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit}>
      {/* Scrolls on its own on a phone rather than widening the page. */}
      <div className="table-wrap">
        <table className="cart">
          <caption>{t("coupons.sampleCart", { currency: CURRENCY })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("coupons.product")}</th>
              <th scope="col">{t("coupons.category")}</th>
              <th scope="col">{t("coupons.price")}</th>
              <th scope="col">{t("coupons.quantity")}</th>
              <th scope="col">{t("coupons.onSale")}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place
              <tr key={index}>
                <td>
                  <input
                    aria-label={t("coupons.productOf", { n: index + 1 })}
                    value={line.productId}
                    onChange={(e) => set(index, { productId: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={t("coupons.categoryOf", { n: index + 1 })}
                    value={line.category}
                    onChange={(e) => set(index, { category: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={t("coupons.priceOf", { n: index + 1 })}
                    inputMode="decimal"
                    value={line.price}
                    onChange={(e) => set(index, { price: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={t("coupons.quantityOf", { n: index + 1 })}
                    inputMode="numeric"
                    value={line.quantity}
                    onChange={(e) => set(index, { quantity: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t("coupons.onSaleOf", { n: index + 1 })}
                    checked={line.onSale}
                    onChange={(e) => set(index, { onSale: e.target.checked })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <label className="cart-channel">
        {t("coupons.channel")} <input value={channel} onChange={(e) => onChannelChange(e.target.value)} />
      </label>{" "}
      <button type="submit">{t("coupons.evaluate")}</button>
    </form>
  );
}
