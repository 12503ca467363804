import type { EventOptions } from "./event-module.js";

function positive(env: NodeJS.ProcessEnv, name: string, scale: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return Math.round(value * scale);
}

/**
 * Event stream settings from the environment: PERKWISE_EVENT_RETENTION_HOURS (24),
 * PERKWISE_SSE_HEARTBEAT_SECONDS (15), PERKWISE_SSE_MAX_STREAMS (20000 per process),
 * PERKWISE_SSE_MAX_STREAMS_PER_MEMBER (10), PERKWISE_SSE_STALL_SECONDS (60).
 */
export function eventOptionsFromEnv(env: NodeJS.ProcessEnv): EventOptions {
  return {
    retentionMs: positive(env, "PERKWISE_EVENT_RETENTION_HOURS", 3_600_000),
    heartbeatMs: positive(env, "PERKWISE_SSE_HEARTBEAT_SECONDS", 1_000),
    maxConnections: positive(env, "PERKWISE_SSE_MAX_STREAMS", 1),
    maxStreamsPerMember: positive(env, "PERKWISE_SSE_MAX_STREAMS_PER_MEMBER", 1),
    stallTimeoutMs: positive(env, "PERKWISE_SSE_STALL_SECONDS", 1_000),
  };
}
