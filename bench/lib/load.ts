/** The HTTP load generator: autocannon's programmatic API, with a warm-up run that is thrown away. */
import autocannon from "autocannon";
import { processCpuMs } from "./child.js";

/** Identical for every server compared, so the ratio compares servers, not load shapes. */
export const LOAD = {
  connections: 50,
  pipelining: 1,
  warmupSeconds: 2,
  durationSeconds: 5,
} as const;

export interface LoadTarget {
  url: string;
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  body?: string;
  /** The server's process id, to measure its CPU time (Linux). */
  serverPid?: number;
}

export interface LoadOptions extends LoadTarget {
  connections?: number;
  pipelining?: number;
  warmupSeconds?: number;
  durationSeconds?: number;
}

export interface LoadResult {
  requestsPerSec: number;
  requests: number;
  durationSeconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  bytesPerRequest: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  connections: number;
  pipelining: number;
  /** Server CPU time per completed request (µs), and share of one core the server used; null without /proc. */
  serverCpuUsPerRequest: number | null;
  serverBusy: number | null;
  /** Share of one core this process (autocannon) used while measuring. */
  loadGeneratorBusy: number;
}

async function once(options: LoadOptions, seconds: number): Promise<LoadResult> {
  const cpu0 = options.serverPid ? processCpuMs(options.serverPid) : null;
  const self0 = process.cpuUsage();
  const r = await autocannon({
    url: options.url,
    method: options.method ?? "POST",
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? LOAD.connections,
    pipelining: options.pipelining ?? LOAD.pipelining,
    duration: seconds,
  });
  const self = process.cpuUsage(self0);
  const cpu1 = options.serverPid ? processCpuMs(options.serverPid) : null;
  const serverCpuMs = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
  return {
    requestsPerSec: r.requests.total / r.duration,
    requests: r.requests.total,
    durationSeconds: r.duration,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    bytesPerRequest: r.requests.total > 0 ? r.throughput.total / r.requests.total : 0,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    connections: r.connections,
    pipelining: r.pipelining,
    serverCpuUsPerRequest:
      serverCpuMs !== null && r.requests.total > 0 ? (serverCpuMs * 1000) / r.requests.total : null,
    serverBusy: serverCpuMs !== null ? serverCpuMs / (r.duration * 1000) : null,
    loadGeneratorBusy: (self.user + self.system) / 1000 / (r.duration * 1000),
  };
}

/** Sums slices of the same target into one result (latency p99: the worst slice). */
function combine(slices: LoadResult[]): LoadResult {
  const requests = slices.reduce((a, s) => a + s.requests, 0);
  const duration = slices.reduce((a, s) => a + s.durationSeconds, 0);
  const weighted = (f: (s: LoadResult) => number) =>
    slices.reduce((a, s) => a + f(s) * s.durationSeconds, 0) / duration;
  const cpuKnown = slices.every((s) => s.serverBusy !== null);
  const serverCpuMs = cpuKnown
    ? slices.reduce((a, s) => a + (s.serverBusy ?? 0) * s.durationSeconds * 1000, 0)
    : 0;
  return {
    requestsPerSec: requests / duration,
    requests,
    durationSeconds: duration,
    latencyP50Ms: weighted((s) => s.latencyP50Ms),
    latencyP99Ms: Math.max(...slices.map((s) => s.latencyP99Ms)),
    bytesPerRequest: weighted((s) => s.bytesPerRequest),
    errors: slices.reduce((a, s) => a + s.errors, 0),
    timeouts: slices.reduce((a, s) => a + s.timeouts, 0),
    non2xx: slices.reduce((a, s) => a + s.non2xx, 0),
    connections: slices[0].connections,
    pipelining: slices[0].pipelining,
    serverCpuUsPerRequest: cpuKnown && requests > 0 ? (serverCpuMs * 1000) / requests : null,
    serverBusy: cpuKnown ? serverCpuMs / (duration * 1000) : null,
    loadGeneratorBusy: weighted((s) => s.loadGeneratorBusy),
  };
}

/** Warms up (result discarded), then measures; requests/s = completed requests ÷ elapsed seconds. */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  const warmup = options.warmupSeconds ?? LOAD.warmupSeconds;
  if (warmup > 0) await once(options, warmup);
  return once(options, options.durationSeconds ?? LOAD.durationSeconds);
}

/**
 * Two servers in the same run, A-B-B-A: each is warmed up, then measured in two half slices so that
 * a drift of the machine during the run (other processes, CPU frequency) weighs on both alike.
 */
export async function measurePair(a: LoadOptions, b: LoadOptions): Promise<[LoadResult, LoadResult]> {
  const warmup = a.warmupSeconds ?? LOAD.warmupSeconds;
  const half = (a.durationSeconds ?? LOAD.durationSeconds) / 2;
  if (warmup > 0) {
    await once(a, warmup);
    await once(b, warmup);
  }
  const a1 = await once(a, half);
  const b1 = await once(b, half);
  const b2 = await once(b, half);
  const a2 = await once(a, half);
  return [combine([a1, a2]), combine([b1, b2])];
}

/** Why a load run cannot be trusted (errors, non-2xx), or null. */
export function loadProblem(r: LoadResult): string | null {
  if (r.requests === 0) return "no request completed";
  if (r.errors > 0 || r.timeouts > 0 || r.non2xx > 0)
    return `${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`;
  return null;
}

/** "server 97% busy, 31 µs CPU/request; autocannon 88% busy" — for the notes. */
export function cpuNote(r: LoadResult): string {
  const server =
    r.serverBusy === null
      ? "server CPU unknown"
      : `server ${(r.serverBusy * 100).toFixed(0)}% of a core, ${r.serverCpuUsPerRequest?.toFixed(0)} µs CPU/req`;
  return `${server}; autocannon ${(r.loadGeneratorBusy * 100).toFixed(0)}%`;
}
