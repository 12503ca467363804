import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.js";
import { corrupt } from "./support/corrupt.js";
import { startServe } from "./support/serve-process.js";

const run = promisify(execFile);
const BIN = path.resolve("bin/perkwise.js");

/**
 * The real command line, as a newcomer runs it: a PGlite data directory of its own. Each command is a
 * new Node process that compiles TypeScript and opens PGlite (seconds each on a loaded 2-core VM),
 * hence the long timeouts.
 */
describe("perkwise CLI", () => {
  let dataDir: string;
  const env = () => ({ ...process.env, PERKWISE_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" });
  const perkwise = (...args: string[]) =>
    run("node", [BIN, ...args], { env: env() }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "perkwise-cli-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("migrates, seeds the demo once, and prints decisions in words and JSON", async () => {
    expect((await perkwise("migrate")).stdout).toContain("applied: 0001-initial");
    expect((await perkwise("migrate")).stdout).toContain("up to date");
    expect((await perkwise("seed", "demo")).stdout).toContain("seeded");
    expect((await perkwise("seed", "demo")).stdout).toContain("already there");

    const allowed = await perkwise("check", "demo-vip", "ad_free");
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("demo-vip / ad_free: ALLOWED");
    const expired = await perkwise("check", "demo-expired", "ad_free", "--locale", "en");
    expect(expired.code).toBe(1);
    expect(expired.stdout).toMatch(/MEMBERSHIP_EXPIRED \(membership_status\): .*expired/);
    const json = JSON.parse(expired.stdout.slice(expired.stdout.indexOf("{")));
    expect(json).toMatchObject({ memberId: "demo-expired", allowed: false });
    const outdated = await perkwise(
      "check",
      "demo-vip",
      "vip_zone",
      "--context",
      '{"client":{"platform":"web","version":"1.0.0"}}',
    );
    expect(outdated.stdout).toContain("CLIENT_OUTDATED");
    expect((await perkwise("check", "demo-vip")).code).toBe(2);

    // Diagnosis: the self-check list, then each finding with its fix and evidence; exit 1 when not working.
    const diagnosis = await perkwise("diagnose", "demo-hold", "ad_free", "--locale", "en");
    expect(diagnosis.code).toBe(1);
    expect(diagnosis.stdout).toContain("demo-hold / ad_free: NOT WORKING");
    expect(diagnosis.stdout).toMatch(/^ {2}✗ membership_status +.*paused/m);
    expect(diagnosis.stdout).toMatch(/^ {2}– update_client +Not checked/m);
    expect(diagnosis.stdout).toMatch(
      /1\. ACCOUNT_ON_HOLD \(account_risk\): .*\n +fix: member → verify_identity/,
    );
    expect(diagnosis.stdout).toMatch(/evidence: hold hold_\S+ \(/);
    // No answer at all (an order that is not the member's) is exit 2, not a "not working".
    const unknownOrder = await perkwise("diagnose", "demo-hold", "ad_free", "--order", "ord_not_hers");
    expect(unknownOrder.code).toBe(2);
    expect(unknownOrder.stderr).toContain("ORDER_NOT_FOUND");
    const diagnosisJson = await perkwise("diagnose", "demo-grace", "ad_free", "--json");
    expect(diagnosisJson.code).toBe(0);
    expect(JSON.parse(diagnosisJson.stdout)).toMatchObject({
      memberId: "demo-grace",
      verdict: "working",
      findings: [{ code: "MEMBERSHIP_IN_GRACE" }],
    });

    const history = await perkwise("timeline", "demo-refunded");
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/order\.created .*\n.*payment\.succeeded[\s\S]*membership\.revoked/);
    const asJson = JSON.parse((await perkwise("timeline", "demo-refunded", "--json")).stdout);
    expect(asJson.entries.map((e: { kind: string }) => e.kind)).toContain("payment.refunded");

    // The demo's memberships have their expiries and reminders scheduled.
    const jobs = await perkwise("jobs", "--all");
    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toMatch(/^jobs: \d+ pending, 0 running, \d+ done, 0 failed/);
    expect(jobs.stdout).toMatch(/upcoming:\n[\s\S]*membership\.(expire|remind)/);
    const jobsJson = JSON.parse((await perkwise("jobs", "--json")).stdout);
    expect(jobsJson.counts.pending).toBeGreaterThan(0);
    expect(jobsJson.upcoming).toEqual([]);
  }, 300_000);

  it("reconcile: a dry run finds drift and exits 1 with a table; --fix repairs it and exits 0", async () => {
    // The demo's data (seeded by the first test) is clean.
    const clean = await perkwise("reconcile");
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("no drift found");
    // Drift injected behind Perkwise's back, with no Perkwise process holding the data directory.
    const database = await openDatabase({ dataDir: path.join(dataDir, "data") });
    try {
      await corrupt.grantMissing(database.db, "demo-vip", "ad_free");
      await corrupt.membershipWithoutGrants(database.db, "demo-svip");
    } finally {
      await database.close();
    }
    const dry = await perkwise("reconcile");
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/^drift +found +repaired$/m);
    expect(dry.stdout).toMatch(/^grant_missing +1 +-$/m);
    expect(dry.stdout).toMatch(/^membership_without_grants +1 +-$/m);
    expect(dry.stdout).toMatch(/^total +2 +-$/m);
    expect(dry.stdout).toContain("run with --fix to repair");
    // Not a terminal: progress comes as plain lines on stderr.
    expect(dry.stderr).toMatch(/^reconcile: \d+\/\d+ members +100%/m);
    expect((await perkwise("check", "demo-vip", "ad_free")).stdout).toContain("STATE_INCONSISTENT");

    const fixed = await perkwise("reconcile", "--fix");
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/^total +2 +2$/m);
    expect(fixed.stdout).toContain("all drift repaired");
    const again = JSON.parse((await perkwise("reconcile", "--json")).stdout);
    expect(again).toMatchObject({ found: 0, remaining: 0, fix: false });
    expect((await perkwise("check", "demo-vip", "ad_free")).code).toBe(0);
    expect((await perkwise("timeline", "demo-svip")).stdout).toMatch(
      /reconcile\.repaired +system .*membership_without_grants/,
    );
  }, 300_000);

  it("serves with the demo, answers /healthz, and shuts down cleanly on SIGTERM", async () => {
    const server = await startServe(["--demo", "--port", "0"], env());
    expect(server.output()).toMatch(/admin key: +\S+/);
    expect(server.output()).toMatch(/demo-vip .*\n +eyJ/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    // The embedded database serves one process: a second one is refused, not let in to corrupt it.
    const second = await perkwise("check", "demo-vip", "ad_free");
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("is in use by process");
    expect(await server.stop()).toBe(0);
  }, 180_000);
});

/** Issue 12 item 7: `cat <dataDir>/admin-key` always gives a key the running server accepts. */
describe("perkwise serve --memory and the data directory's secrets", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "perkwise-secrets-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    PERKWISE_ADMIN_KEY: "",
    PERKWISE_PAYMENT_SECRET: "",
    ...extra,
    PERKWISE_DATA_DIR: dataDir,
    DATABASE_URL: "",
    LOG_LEVEL: "warn",
  });
  const adminKeyFile = () => path.join(dataDir, "admin-key");
  const membersWith = (url: string, key: string) =>
    fetch(`${url}/v1/members`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

  it("two in-memory starts accept the key in the file, and the printout says where each secret lives", async () => {
    for (const start of ["first", "second"]) {
      const server = await startServe(["--memory", "--port", "0"], env());
      try {
        const fileKey = readFileSync(adminKeyFile(), "utf8").trim();
        const paymentSecret = readFileSync(path.join(dataDir, "payment-secret"), "utf8").trim();
        const stored = start === "first" ? "created now, stored" : "stored";
        expect(server.output()).toContain(`admin key:       ${fileKey}  (${stored} in ${adminKeyFile()})`);
        expect(server.output()).toContain(
          `payment secret:  ${paymentSecret}  (${stored} in ${path.join(dataDir, "payment-secret")})`,
        );
        expect(await membersWith(server.url, fileKey)).toBe(200);
        expect(await membersWith(server.url, `${fileKey}x`)).toBe(401);
      } finally {
        expect(await server.stop()).toBe(0);
      }
    }
  }, 300_000);

  it("with PERKWISE_ADMIN_KEY set, the printout names the variable and warns that the file's key is not accepted", async () => {
    const fileKey = readFileSync(adminKeyFile(), "utf8").trim();
    const server = await startServe(
      ["--memory", "--port", "0"],
      env({ PERKWISE_ADMIN_KEY: "pwadmin_from_env" }),
    );
    try {
      expect(server.output()).toContain("admin key:       pwadmin_from_env  (from PERKWISE_ADMIN_KEY)");
      expect(server.output()).toContain(
        `warning: ${adminKeyFile()} holds a different value, which this server does NOT accept (PERKWISE_ADMIN_KEY wins)`,
      );
      expect(await membersWith(server.url, "pwadmin_from_env")).toBe(200);
      expect(await membersWith(server.url, fileKey)).toBe(401);
      // The file is left as it was.
      expect(readFileSync(adminKeyFile(), "utf8").trim()).toBe(fileKey);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);

  it("admin-key rotate: the new key and, for the overlap, the previous one open the server; then only the new", async () => {
    const perkwise = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      run("node", [BIN, ...args], { env: env(extra) }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    expect((await perkwise(["migrate"])).code).toBe(0); // the data directory has its admin key
    const old = readFileSync(adminKeyFile(), "utf8").trim();
    const refused = await perkwise(["admin-key", "rotate"], { PERKWISE_ADMIN_KEY: "pwadmin_from_env" });
    expect(refused).toMatchObject({ code: 2 });
    expect(refused.out).toContain("PERKWISE_ADMIN_KEY is set");
    expect(readFileSync(adminKeyFile(), "utf8").trim()).toBe(old);

    const rotated = await perkwise(["admin-key", "rotate", "--overlap-minutes", "30"]);
    expect(rotated.code).toBe(0);
    const fresh = readFileSync(adminKeyFile(), "utf8").trim();
    expect(fresh).not.toBe(old);
    expect(rotated.out).toContain(`new admin key: ${fresh}`);
    expect(statSync(path.join(dataDir, "admin-key.previous")).mode & 0o077).toBe(0);
    let server = await startServe(["--memory", "--port", "0"], env());
    try {
      expect(server.output()).toMatch(/the previous admin key is accepted until \S+Z/);
      expect(await membersWith(server.url, fresh)).toBe(200);
      expect(await membersWith(server.url, old)).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // Rotated again without overlap: the key before is refused at once.
    expect((await perkwise(["admin-key", "rotate", "--overlap-minutes", "0"])).code).toBe(0);
    const newest = readFileSync(adminKeyFile(), "utf8").trim();
    server = await startServe(["--memory", "--port", "0"], env());
    try {
      expect(server.output()).not.toContain("previous admin key");
      expect(await membersWith(server.url, newest)).toBe(200);
      expect(await membersWith(server.url, fresh)).toBe(401);
      expect(await membersWith(server.url, old)).toBe(401);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 300_000);
});
