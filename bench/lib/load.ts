/** The HTTP load generator: autocannon's programmatic API, with a warm-up run that is thrown away. */
import autocannon from "autocannon";

/** Identical for every server compared, so the ratio compares servers, not load shapes. */
export const LOAD = {
  connections: 50,
  pipelining: 1,
  warmupSeconds: 2,
  durationSeconds: 5,
} as const;

export interface LoadOptions {
  url: string;
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  body?: string;
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
}

function once(options: LoadOptions, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    method: options.method ?? "POST",
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? LOAD.connections,
    pipelining: options.pipelining ?? LOAD.pipelining,
    duration: seconds,
  });
}

/** Warms up (result discarded), then measures; requests/s = completed requests ÷ elapsed seconds. */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  const warmup = options.warmupSeconds ?? LOAD.warmupSeconds;
  if (warmup > 0) await once(options, warmup);
  const r = await once(options, options.durationSeconds ?? LOAD.durationSeconds);
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
  };
}

/** Why a load run cannot be trusted (errors, non-2xx), or null. */
export function loadProblem(r: LoadResult): string | null {
  if (r.requests === 0) return "no request completed";
  if (r.errors > 0 || r.timeouts > 0 || r.non2xx > 0)
    return `${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`;
  return null;
}
