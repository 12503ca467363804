import { connect, type Socket } from "node:net";

/**
 * An event stream opened over a raw socket that reads nothing until `resume()`: a client that
 * stopped reading (a frozen tab, a phone in a tunnel), for the backpressure tests.
 */
export class StalledSseSocket {
  private chunks: Buffer[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk) => this.chunks.push(chunk));
    socket.on("close", () => {
      this.closed = true;
    });
    socket.on("error", () => {});
  }

  static async open(baseUrl: string, path: string, auth: string): Promise<StalledSseSocket> {
    const { hostname, port } = new URL(baseUrl);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const stalled = new StalledSseSocket(socket);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${auth}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    return stalled;
  }

  /** Stops reading: the kernel buffers fill, then the server's writes stop being taken. */
  pause(): void {
    this.socket.pause();
  }

  /** Reads again; returns everything received so far (after a moment for it to flow). */
  resume(): void {
    this.socket.resume();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }

  /** The event ids received, in order. */
  ids(): number[] {
    return [...this.text().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }

  close(): void {
    this.socket.destroy();
  }
}
