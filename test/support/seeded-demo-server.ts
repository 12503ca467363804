import { type App, createApp } from "../../src/app.js";
import { ManualClock } from "../../src/clock.js";
import { seedDemo } from "../../src/demo/seed-demo.js";
import { HttpServerPart } from "../../src/http/http-server-part.js";
import { buildServer } from "../../src/http/server.js";
import type { TestEngine } from "../test-database.js";
import { createResponseCheck } from "./response-check.js";
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
  const app = createApp({ database, clock, ...DEMO_TEST_OPTIONS });
  const server = await buildServer(app, { logLevel: "silent", checkResponse: createResponseCheck() });
  const http = new HttpServerPart(server, { port: 0, host: "127.0.0.1" });
  await app.start({ after: [http] });
  const baseUrl = http.url;
  return {
    app,
    clock,
    baseUrl,
    adminKey: DEMO_TEST_OPTIONS.adminKey,
    async stop() {
      await app.stop();
      await database.close();
    },
  };
}
