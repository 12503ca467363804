import { type App, createApp } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import { seedDemo } from "../../src/demo/seed-demo.js";
import { buildServer } from "../../src/http/server.js";
import type { TestEngine } from "../test-database.js";
import { DEMO_TEST_OPTIONS } from "./seeded-demo-app.js";

export interface SeededDemoServer {
  app: App;
  clock: ManualClock;
  baseUrl: string;
  adminKey: string;
  stop(): Promise<void>;
}

/** The demo as `npm start` seeds it, served over HTTP on 127.0.0.1 from a fresh database of `engine`. */
export async function startSeededDemoServer(engine: TestEngine, now: number): Promise<SeededDemoServer> {
  const database = await engine.open();
  await seedDemo({ database, ...DEMO_TEST_OPTIONS, now });
  const clock = new ManualClock(now);
  const app = await createApp({ database, clock, ...DEMO_TEST_OPTIONS });
  const server = await buildServer(app, { logLevel: "silent" });
  const baseUrl = await server.listen({ port: 0, host: "127.0.0.1" });
  return {
    app,
    clock,
    baseUrl,
    adminKey: DEMO_TEST_OPTIONS.adminKey,
    async stop() {
      await server.close();
      await app.reconcile.settle();
      await database.close();
    },
  };
}
