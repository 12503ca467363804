import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./support/eventually.js";
import { type ServeProcess, startServe } from "./support/serve-process.js";

/**
 * `perkwise serve --memory --demo` on today's date, with the system clock: no injected time, so this
 * test sees what a newcomer's `npm start` sees today (the other demo tests fix their instants).
 */
describe("the demo server on the real clock", () => {
  let dataDir: string;
  let server: ServeProcess;
  let adminKey: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "perkwise-real-clock-"));
    server = await startServe(["--memory", "--demo", "--port", "0"], {
      ...process.env,
      PERKWISE_DATA_DIR: dataDir,
      PERKWISE_ADMIN_KEY: "",
      PERKWISE_PAYMENT_SECRET: "",
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
    });
    adminKey = /admin key:\s+(\S+)/.exec(server.output())![1];
    const healthy = async () => (await fetch(`${server.url}/healthz`)).status === 200;
    await eventually("GET /healthz answers 200", healthy, 10_000);
  }, 130_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const check = async (memberId: string, benefit: string) => {
    const response = await fetch(`${server.url}/v1/check`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ memberId, benefit }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { reasons: { code: string }[] }).reasons.map((r) => r.code);
  };

  it("answers the demo members' decisions as the README shows them", async () => {
    expect(await check("demo-vip", "ad_free")).toEqual(["GRANTED"]);
    expect(await check("demo-pending", "ad_free")).toEqual(["PAYMENT_PENDING"]);
    expect(await check("demo-expired", "ad_free")).toEqual(["MEMBERSHIP_EXPIRED"]);
    expect(await check("demo-hold", "ad_free")).toEqual(["ACCOUNT_ON_HOLD"]);
  });

  it("gives demo-vip today's five member coupons, all usable", async () => {
    const token = /demo-vip .*\n\s+(\S+)/.exec(server.output())![1];
    const response = await fetch(`${server.url}/v1/me/coupons`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const { coupons } = (await response.json()) as { coupons: { state: string }[] };
    expect(coupons.map((c) => c.state)).toEqual(Array(5).fill("available"));
  });
});
