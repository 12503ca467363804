import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** A Perkwise node in its own OS process (test/support/node-process.ts). */
export interface NodeProcess {
  url: string;
  nodeId: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a node on `schema` of the PostgreSQL at `databaseUrl`; resolves once it listens. `env`
 * passes node-process.ts's options (NOW, POOL_SIZE, MAX_STREAMS, IGNORE_CLUSTER_ERRORS).
 */
export async function startNode(
  databaseUrl: string,
  schema: string,
  secrets: { adminKey: string; paymentSecret: string },
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  const child = spawn("node", ["--import", "tsx", "test/support/node-process.ts"], {
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: databaseUrl,
      SCHEMA: schema,
      ADMIN_KEY: secrets.adminKey,
      PAYMENT_SECRET: secrets.paymentSecret,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const { url, nodeId } = await new Promise<{ url: string; nodeId: string }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`node exited with ${code} before listening`)));
    lines.on("line", (line) => {
      if (line.startsWith("{")) resolve(JSON.parse(line));
    });
  });
  return {
    url,
    nodeId,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
