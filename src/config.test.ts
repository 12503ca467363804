import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("configuration from the environment", () => {
  const load = (env: NodeJS.ProcessEnv) => loadConfig(env, { memory: true });

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

  it("an invalid port is refused", () => {
    expect(() => load({ PORT: "70000" })).toThrow("invalid port: 70000");
    expect(load({ PORT: "0" }).port).toBe(0);
  });
});
