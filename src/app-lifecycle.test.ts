import { createServer, type Server as NetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../test/test-database.js";
import { type App, createApp } from "./app.js";
import { ManualClock } from "./clock.js";
import type { DatabaseHandle } from "./db/database.js";
import { eventPruneJob } from "./events/event-prune-job.js";
import { HttpServerPart } from "./http/http-server-part.js";
import { buildServer } from "./http/server.js";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-11-24T02:00:00Z");
const SECRETS = {
  adminKey: "pwadmin_lifecycle_test_0123456789",
  paymentSecret: `whsec_${Buffer.from("lifecycle-test-secret-32-bytes!!").toString("base64")}`,
};
const POLL_MS = 10;

function appOn(database: DatabaseHandle): App {
  return createApp({ database, clock: new ManualClock(T0), ...SECRETS, scheduler: { pollMs: POLL_MS } });
}

/** A prune job due now, under a key of its own: a polling scheduler runs it within a poll or two. */
async function scheduleDueJob(app: App, label: string): Promise<string> {
  const job = { ...eventPruneJob(T0 - HOUR), key: `lifecycle-test:${label}` };
  await app.data.jobs.schedule([job]);
  return job.key;
}

async function isPending(app: App, key: string): Promise<boolean> {
  const pending = await app.data.jobs.list({ statuses: ["pending"], limit: 100 });
  return pending.some((job) => job.key === key);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(TEST_ENGINES)("App.start() and App.stop() on $name", (engine) => {
  let database: DatabaseHandle;
  let squatter: NetServer;
  let takenPort: number;

  beforeAll(async () => {
    database = await engine.open();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    takenPort = (squatter.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => squatter.close(resolve));
    await database.close();
  });

  it("starts its parts in order and stops them all, once however often stop() is called", async () => {
    const app = appOn(database);
    const http = new HttpServerPart(await buildServer(app, { logLevel: "silent" }), {
      port: 0,
      host: "127.0.0.1",
    });
    await app.start({ workers: true, after: [http] });
    expect(app.running()).toEqual([
      "auth secrets",
      "verification key",
      "catalog",
      "cluster bus listener",
      "scheduler",
      "event dispatcher",
      "webhook worker",
      "HTTP server",
    ]);
    expect(app.cluster.connected).toBe(true);
    expect((await fetch(`${http.url}/healthz`)).status).toBe(200);
    const key = await scheduleDueJob(app, "while running");
    await waitUntil(async () => !(await isPending(app, key)));

    await Promise.all([app.stop(), app.stop()]);
    await app.stop();
    expect(app.running()).toEqual([]);
    expect(app.cluster.connected).toBe(false);
    await expect(fetch(`${http.url}/healthz`)).rejects.toThrow();
    await expect(app.start()).rejects.toThrow("a stopped app does not start again");
  });

  it("a start that fails (the HTTP port is taken) stops the workers and listener it had started", async () => {
    const app = appOn(database);
    const http = new HttpServerPart(await buildServer(app, { logLevel: "silent" }), {
      port: takenPort,
      host: "127.0.0.1",
    });
    await expect(app.start({ workers: true, after: [http] })).rejects.toMatchObject({ code: "EADDRINUSE" });
    expect(app.running()).toEqual([]);
    expect(app.cluster.connected).toBe(false);
    // The scheduler polled every 10 ms while it ran: a job due now stays pending, nobody polls.
    const key = await scheduleDueJob(app, "after a failed start");
    await sleep(POLL_MS * 10);
    expect(await isPending(app, key)).toBe(true);
    // stop() after a failed start is a no-op, not an error.
    await app.stop();
    await app.stop();
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(POLL_MS);
  }
}
