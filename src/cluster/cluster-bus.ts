import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { DatabaseHandle } from "../db/database.js";
import type { Executor } from "../db/transaction.js";
import type { Listener, ListenerEvents } from "./listener.js";
import { PgliteListener } from "./pglite-listener.js";
import { PostgresListener, type RetryPolicy } from "./postgres-listener.js";

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const NOTIFY_LIMIT_BYTES = 7999;

/** Who sent a message: this process (`local`) or another node. */
export interface MessageOrigin {
  nodeId: string;
  local: boolean;
}

export type MessageHandler = (payload: string, origin: MessageOrigin) => void;
export type ResyncHandler = () => void | Promise<void>;

/** Channel names are short tokens: they travel in every envelope. */
const CHANNEL_NAME = /^[a-z][a-z0-9_.-]{0,39}$/;

/** The database-level channel of one schema: nodes on other schemas (tests) never hear each other. */
export function databaseChannel(schema: string): string {
  const name = `perkwise_${schema}`;
  return Buffer.byteLength(name) <= 63 ? name : `perkwise_${schema.slice(0, 40)}_${name.length}`;
}

/**
 * The nodes on each embedded database: PGlite lives in one process (its data directory is locked),
 * so every node that could hear a message is a bus of this process.
 */
const pgliteNodes = new WeakMap<object, number>();

/**
 * Messages between the Perkwise processes on one database. `notify` is a statement of the caller's
 * transaction (`pg_notify`), so the message leaves only when that transaction commits, and never
 * when it rolls back. Every node, the sender included, receives each message once; a node that lost
 * its connection has missed messages, so `onResync` handlers run on every (re)connect and must
 * rebuild whatever the messages keep fresh.
 */
export class ClusterBus {
  /** This process's id, in every envelope it sends (handlers learn whether a message is their own). */
  readonly nodeId = `node_${randomBytes(6).toString("hex")}`;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly resyncHandlers = new Set<ResyncHandler>();
  private readonly disconnectHandlers = new Set<() => void>();
  private readonly listener: Listener;
  private readonly channel: string;
  private linked = false;
  private closed = false;
  private resyncs = 0;
  private lastResync: Promise<void> = Promise.resolve();
  /** The embedded database this node is on, or null on PostgreSQL (where other processes may be). */
  private readonly embedded: object | null;

  constructor(
    database: DatabaseHandle,
    options: { onError?: (error: unknown, context: string) => void; retry?: RetryPolicy } = {},
  ) {
    this.channel = databaseChannel(database.schema);
    this.embedded = database.pglite ?? null;
    if (this.embedded) pgliteNodes.set(this.embedded, (pgliteNodes.get(this.embedded) ?? 0) + 1);
    const report = options.onError ?? (() => {});
    const events: ListenerEvents = {
      onMessage: (raw) => this.deliver(raw, report),
      onConnected: () => {
        this.linked = true;
        this.resyncs++;
        this.lastResync = this.runResync(report);
      },
      onDisconnected: (error) => {
        if (!this.linked) return;
        this.linked = false;
        report(error, "cluster link lost");
        for (const handler of this.disconnectHandlers) handler();
      },
    };
    this.listener =
      database.kind === "pglite"
        ? new PgliteListener(database, this.channel, events)
        : new PostgresListener(
            database.url!,
            this.channel,
            `perkwise-listen ${this.nodeId}`,
            events,
            options.retry,
          );
  }

  /** Starts listening; resolves after the first connection attempt (later ones retry on their own). */
  start(): Promise<void> {
    return this.listener.start();
  }

  /** True while messages can arrive; false between a lost connection and its replacement. */
  get connected(): boolean {
    return this.linked;
  }

  /** How many times the resync handlers have run (each (re)connect), and the last run's promise. */
  get resyncCount(): number {
    return this.resyncs;
  }
  settled(): Promise<void> {
    return this.lastResync;
  }

  backendPid(): number | null {
    return this.listener.backendPid();
  }

  /** The largest payload `notify` accepts on `channel`, in bytes. */
  payloadLimit(channel: string): number {
    return NOTIFY_LIMIT_BYTES - Buffer.byteLength(this.envelope(channel, ""));
  }

  /** Sends `payload` to every node when the transaction `executor` belongs to commits. */
  async notify(executor: Executor, channel: string, payload: string): Promise<void> {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`cluster channel name not allowed: ${channel}`);
    const message = this.envelope(channel, payload);
    if (Buffer.byteLength(message) > NOTIFY_LIMIT_BYTES)
      throw new Error(`cluster message on ${channel} exceeds ${NOTIFY_LIMIT_BYTES} bytes`);
    await sql`select pg_notify(${this.channel}, ${message})`.execute(executor);
  }

  /**
   * `notify` for messages the sender ignores its own copy of: skipped when no other node can hear
   * it (the only node on an embedded database), which saves a statement in every write.
   */
  async notifyOthers(executor: Executor, channel: string, payload: string): Promise<void> {
    if (this.embedded !== null && pgliteNodes.get(this.embedded) === 1) return;
    await this.notify(executor, channel, payload);
  }

  subscribe(channel: string, handler: MessageHandler): () => void {
    const set = this.handlers.get(channel) ?? new Set<MessageHandler>();
    this.handlers.set(channel, set);
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Runs on every (re)connect: notifications sent while this node was not listening are lost. */
  onResync(handler: ResyncHandler): () => void {
    this.resyncHandlers.add(handler);
    return () => this.resyncHandlers.delete(handler);
  }

  /** Runs when the connection is lost, before any reconnect. */
  onDisconnect(handler: () => void): () => void {
    this.disconnectHandlers.add(handler);
    return () => this.disconnectHandlers.delete(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.linked = false;
    if (this.embedded) pgliteNodes.set(this.embedded, (pgliteNodes.get(this.embedded) ?? 1) - 1);
    await this.listener.close();
  }

  private envelope(channel: string, payload: string): string {
    return `${this.nodeId} ${channel} ${payload}`;
  }

  private deliver(raw: string, report: (error: unknown, context: string) => void): void {
    const first = raw.indexOf(" ");
    const second = raw.indexOf(" ", first + 1);
    if (first < 0 || second < 0) return;
    const nodeId = raw.slice(0, first);
    const handlers = this.handlers.get(raw.slice(first + 1, second));
    if (!handlers) return;
    const payload = raw.slice(second + 1);
    const origin = { nodeId, local: nodeId === this.nodeId };
    for (const handler of handlers) {
      try {
        handler(payload, origin);
      } catch (error) {
        report(error, "cluster message handler");
      }
    }
  }

  private async runResync(report: (error: unknown, context: string) => void): Promise<void> {
    for (const handler of this.resyncHandlers) {
      try {
        await handler();
      } catch (error) {
        report(error, "cluster resync handler");
      }
    }
  }
}
