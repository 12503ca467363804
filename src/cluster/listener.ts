/**
 * Where notifications come from: PostgreSQL's LISTEN on a dedicated connection, or PGlite's own
 * (one process). `onConnected` runs on every (re)connect, `onDisconnected` when the link is lost.
 */
export interface Listener {
  start(): Promise<void>;
  close(): Promise<void>;
  /** The LISTEN connection's server process id (PostgreSQL), for operators and tests; null when none. */
  backendPid(): number | null;
}

export interface ListenerEvents {
  onMessage(raw: string): void;
  onConnected(): void;
  onDisconnected(error: unknown): void;
}
