import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with (null: left hanging). */
  answered: number | null;
}

/** What the receiver answers next: a status code, or "hang" (never answers: the sender times out). */
export type Answer = number | "hang";

/**
 * A webhook receiver on 127.0.0.1 that answers as told — failing on purpose — and records every
 * request as it arrived, for the test to verify as a real receiver would.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Answers for the next requests, in order; when empty, `otherwise`. */
  script: Answer[] = [];
  otherwise: Answer = 200;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = "/hooks"): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const answer = receiver!.script.shift() ?? receiver!.otherwise;
        receiver!.received.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          answered: answer === "hang" ? null : answer,
        });
        if (answer === "hang") return;
        res.writeHead(answer, { "content-type": "text/plain" }).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`);
    return receiver;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
