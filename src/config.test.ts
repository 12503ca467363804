import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeSecretSource, loadConfig } from "./config.js";

describe("configuration from the environment", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "perkwise-config-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const load = (env: NodeJS.ProcessEnv, memory = true) =>
    loadConfig({ PERKWISE_DATA_DIR: dataDir, ...env }, { memory });
  const adminKeyFile = () => path.join(dataDir, "admin-key");
  const paymentSecretFile = () => path.join(dataDir, "payment-secret");

  it("PERKWISE_WEBHOOK_ALLOW_PRIVATE: true/1, false/0, or unset (the serve mode decides)", () => {
    expect(load({ PERKWISE_WEBHOOK_ALLOW_PRIVATE: "true" }).webhookAllowPrivate).toBe(true);
    expect(load({ PERKWISE_WEBHOOK_ALLOW_PRIVATE: "1" }).webhookAllowPrivate).toBe(true);
    expect(load({ PERKWISE_WEBHOOK_ALLOW_PRIVATE: "false" }).webhookAllowPrivate).toBe(false);
    expect(load({ PERKWISE_WEBHOOK_ALLOW_PRIVATE: "0" }).webhookAllowPrivate).toBe(false);
    expect(load({}).webhookAllowPrivate).toBeUndefined();
    expect(() => load({ PERKWISE_WEBHOOK_ALLOW_PRIVATE: "yes please" })).toThrow(
      "invalid PERKWISE_WEBHOOK_ALLOW_PRIVATE: yes please (true or false)",
    );
  });

  it("PERKWISE_PAYMENT_QUERY_AFTER: a fixed ISO-8601 duration from PT1S to P1D, default PT5M", () => {
    expect(load({}).paymentQueryAfterMs).toBe(5 * 60_000);
    expect(load({ PERKWISE_PAYMENT_QUERY_AFTER: "PT10M" }).paymentQueryAfterMs).toBe(600_000);
    expect(load({ PERKWISE_PAYMENT_QUERY_AFTER: "PT1S" }).paymentQueryAfterMs).toBe(1000);
    expect(load({ PERKWISE_PAYMENT_QUERY_AFTER: "P1D" }).paymentQueryAfterMs).toBe(86_400_000);
    for (const bad of ["5", "PT0S", "P1M", "PT24H1S", "P2D", "PT", "5m"]) {
      expect(() => load({ PERKWISE_PAYMENT_QUERY_AFTER: bad })).toThrow(
        `invalid PERKWISE_PAYMENT_QUERY_AFTER: ${bad}`,
      );
    }
  });

  it("an invalid port is refused", () => {
    expect(() => load({ PORT: "70000" })).toThrow("invalid port: 70000");
    expect(load({ PORT: "0" }).port).toBe(0);
  });

  describe("secrets belong to the data directory, with or without --memory", () => {
    it.each([true, false])(
      "memory=%s: created in the data directory on first start, read back after",
      (memory) => {
        const first = load({}, memory);
        expect(first.adminKey).toMatch(/^pwadmin_/);
        expect(first.paymentSecret).toMatch(/^whsec_/);
        expect(readFileSync(adminKeyFile(), "utf8")).toBe(`${first.adminKey}\n`);
        expect(readFileSync(paymentSecretFile(), "utf8")).toBe(`${first.paymentSecret}\n`);
        expect(statSync(adminKeyFile()).mode & 0o777).toBe(0o600);
        expect(first.secretSources.adminKey).toEqual({
          kind: "file",
          path: adminKeyFile(),
          createdNow: true,
        });

        // A second start (in memory or not) accepts the key the file holds, not a fresh one.
        for (const again of [load({}, true), load({}, false)]) {
          expect(again.adminKey).toBe(first.adminKey);
          expect(again.paymentSecret).toBe(first.paymentSecret);
          expect(again.secretSources.paymentSecret).toEqual({
            kind: "file",
            path: paymentSecretFile(),
            createdNow: false,
          });
        }
      },
    );

    it("an environment variable wins; no file is written for it", () => {
      const config = load({ PERKWISE_ADMIN_KEY: "env-admin", PERKWISE_PAYMENT_SECRET: "whsec_env" });
      expect(config.adminKey).toBe("env-admin");
      expect(config.paymentSecret).toBe("whsec_env");
      expect(config.secretSources.adminKey).toEqual({ kind: "env", variable: "PERKWISE_ADMIN_KEY" });
      expect(() => statSync(adminKeyFile())).toThrow("ENOENT");
      expect(() => statSync(paymentSecretFile())).toThrow("ENOENT");
    });

    it("a file with another value than the variable is left alone and reported as not accepted", () => {
      writeFileSync(adminKeyFile(), "pwadmin_from_file\n");
      writeFileSync(paymentSecretFile(), "whsec_env\n");
      const config = load({ PERKWISE_ADMIN_KEY: "env-admin", PERKWISE_PAYMENT_SECRET: "whsec_env" });
      expect(config.adminKey).toBe("env-admin");
      expect(config.secretSources.adminKey).toEqual({
        kind: "env",
        variable: "PERKWISE_ADMIN_KEY",
        conflictingFile: adminKeyFile(),
      });
      expect(readFileSync(adminKeyFile(), "utf8")).toBe("pwadmin_from_file\n");
      // The same value in both places is no conflict.
      expect(config.secretSources.paymentSecret).toEqual({
        kind: "env",
        variable: "PERKWISE_PAYMENT_SECRET",
      });
    });

    it("an empty secret file is refused, not accepted as an empty key", () => {
      writeFileSync(adminKeyFile(), "\n");
      expect(() => load({})).toThrow(`${adminKeyFile()} is empty: delete it (a new secret is created)`);
    });

    it("the printout says where each secret lives, and warns about a file the server does not accept", () => {
      expect(describeSecretSource({ kind: "file", path: "/d/admin-key", createdNow: false })).toEqual({
        where: "(stored in /d/admin-key)",
      });
      expect(describeSecretSource({ kind: "file", path: "/d/admin-key", createdNow: true })).toEqual({
        where: "(created now, stored in /d/admin-key)",
      });
      expect(describeSecretSource({ kind: "env", variable: "PERKWISE_ADMIN_KEY" })).toEqual({
        where: "(from PERKWISE_ADMIN_KEY)",
      });
      expect(
        describeSecretSource({
          kind: "env",
          variable: "PERKWISE_ADMIN_KEY",
          conflictingFile: "/d/admin-key",
        }),
      ).toEqual({
        where: "(from PERKWISE_ADMIN_KEY)",
        warning:
          "/d/admin-key holds a different value, which this server does NOT accept (PERKWISE_ADMIN_KEY wins)",
      });
    });
  });
});
