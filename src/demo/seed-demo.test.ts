import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectDemoStates } from "../../test/support/demo-states.js";
import { DEMO_TEST_OPTIONS, openSeededDemo, reseedDemo } from "../../test/support/seeded-demo-app.js";
import type { App } from "../app.js";
import type { DatabaseHandle } from "../db/database.js";
import { AppError } from "../errors.js";
import { DEMO_MEMBERS, seedDemo } from "./seed-demo.js";

const NOW = Date.parse("2026-11-24T02:00:00Z");

/** What a newcomer sees after `npm start`: a member in each lifecycle state, with the right reason and dates. */
describe("the demo members", () => {
  let database: DatabaseHandle;
  let app: App;
  beforeAll(async () => {
    ({ app, database } = await openSeededDemo(NOW));
  });
  afterAll(() => database.close());

  it("seeds once", async () => {
    expect(await seedDemo({ database, ...DEMO_TEST_OPTIONS, now: NOW })).toBe(false);
    expect(DEMO_MEMBERS.length).toBe(11);
  });

  it("every member in its state, with the right reasons, dates, coupons and sample cart", async () => {
    await expectDemoStates(app, NOW, "Asia/Shanghai");
  });

  it("a daily quota used up today resets at midnight in Shanghai; the grace month ran out yesterday", async () => {
    const decision = await app.decisions.check(
      { memberId: "demo-vip", benefit: "hd_downloads", context: { usage: 1 } },
      "en",
    );
    // Midnight in Shanghai after 10:00 on 24 November.
    expect(decision.reasons[0].details).toMatchObject({ resetAt: "2026-11-24T16:00:00.000Z" });
    const [grace] = (await app.members.detail("demo-grace")).memberships;
    expect(grace.expiresAt).toBe("2026-11-23T02:00:00.000Z");
  });
});

describe("a database the demo cannot be seeded into", () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    ({ database } = await openSeededDemo(NOW));
  });
  afterAll(() => database.close());
  const refusal = () =>
    seedDemo({ database, ...DEMO_TEST_OPTIONS, now: NOW }).then(
      () => null,
      (error: unknown) => error,
    );

  it("half seeded (a start died mid-seed): refused, saying how to start afresh", async () => {
    await sql`UPDATE demo_seed SET completed_at = NULL`.execute(database.db);
    const error = await refusal();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "CONFLICT" });
    expect((error as AppError).message).toMatch(/did not finish.*rm -rf \.perkwise/);
  });

  it("holding a catalog of its own: refused, nothing seeded into it", async () => {
    await reseedDemo(database, NOW);
    await sql`DELETE FROM demo_seed`.execute(database.db);
    const error = await refusal();
    expect(error).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/without --demo/) });
    const seeds = await sql<{ n: number }>`SELECT count(*)::int AS n FROM demo_seed`.execute(database.db);
    expect(seeds.rows[0].n).toBe(0);
  });
});
