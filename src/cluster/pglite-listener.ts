import type { DatabaseHandle } from "../db/database.js";
import type { Listener, ListenerEvents } from "./listener.js";

/**
 * The embedded engine is one process and one session: its own LISTEN hears its own NOTIFY, at
 * commit (never on rollback), so every app on the handle gets each message in process.
 */
export class PgliteListener implements Listener {
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly channel: string,
    private readonly events: ListenerEvents,
  ) {}

  async start(): Promise<void> {
    const client = this.database.pglite;
    if (!client) throw new Error("the PGlite listener needs the embedded engine");
    this.unlisten = await client.listen(this.channel, (payload) => this.events.onMessage(payload));
    this.events.onConnected();
  }

  async close(): Promise<void> {
    const unlisten = this.unlisten;
    this.unlisten = null;
    // The engine may already be closing with the database; nothing is left to hear then.
    if (unlisten && !this.database.pglite?.closed) await unlisten().catch(() => {});
  }

  backendPid(): number | null {
    return null;
  }
}
