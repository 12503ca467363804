import type { LifecyclePart } from "../lifecycle.js";
import type { Server } from "./server-types.js";

/**
 * The HTTP listener as the last part `App.start()` starts (so it is the first stopped): requests
 * arrive only once the catalog is loaded, and in-flight ones finish before the workers stop.
 */
export class HttpServerPart implements LifecyclePart {
  readonly name = "HTTP server";
  /** The address it listens on, once started. */
  url = "";

  /**
   * `cutConnectionsAfterMs`: keep-alive connections still open that long after close() began are
   * cut (0: at once, for a benchmark server that needs no drain); by default close() waits for them.
   */
  constructor(
    private readonly server: Server,
    private readonly listen: { port: number; host: string },
    private readonly cutConnectionsAfterMs?: number,
  ) {}

  async start(): Promise<void> {
    this.url = await this.server.listen(this.listen);
  }

  async stop(): Promise<void> {
    const closing = this.server.close();
    if (this.cutConnectionsAfterMs === 0) this.server.server.closeAllConnections();
    else if (this.cutConnectionsAfterMs !== undefined)
      setTimeout(() => this.server.server.closeAllConnections(), this.cutConnectionsAfterMs).unref();
    await closing;
  }
}
