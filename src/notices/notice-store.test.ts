import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { systemClock } from "../clock.js";
import type { DatabaseHandle } from "../db/database.js";
import { ALL_MEMBERS } from "../db/member-range.js";
import { createDataAccess, type DataAccess } from "../db/stores.js";
import type { NoticeFanOut } from "./notice-store.js";

const T = Date.parse("2026-11-24T02:00:00Z");
const at = (days: number) => new Date(T + days * 24 * 3600 * 1000);

/** Members n01…n09: vip (live), n05 svip, n06 vip expired, n07 vip in grace, n08 vip revoked, n09 vip starting later. */
async function seed(handle: DatabaseHandle) {
  const rows: [string, string, number, number, string, number | null][] = [
    ["n01", "vip", -2, 28, "active", null],
    ["n02", "vip", -2, 10, "active", null],
    ["n03", "vip", -2, 28, "active", null],
    ["n04", "vip", -2, 28, "active", null],
    ["n05", "svip", -2, 28, "active", null],
    ["n06", "vip", -40, -10, "active", null],
    ["n07", "vip", -31, -1, "active", 3],
    ["n08", "vip", -2, 28, "revoked", null],
    ["n09", "vip", 5, 35, "active", null],
  ];
  for (const [id, tier, from, to, status, grace] of rows) {
    await sql`insert into members (id, timezone, updated_at) values (${id}, 'Asia/Shanghai', now())`.execute(
      handle.db,
    );
    await sql`insert into memberships (id, member_id, tier_code, starts_at, expires_at, status, source_order_id, updated_at, grace_ends_at)
      values (${`ms-${id}`}, ${id}, ${tier}, ${at(from)}, ${at(to)}, ${status}, ${`o-${id}`}, now(), ${grace === null ? null : at(grace)})`.execute(
      handle.db,
    );
    for (const benefit of ["member_discount", "vip_zone"]) {
      await sql`insert into grants (id, member_id, membership_id, benefit_code, tier_code, status, effective_from, expires_at, catalog_version, updated_at)
        values (${`g-${id}-${benefit}`}, ${id}, ${`ms-${id}`}, ${benefit}, ${tier}, ${status === "active" ? "active" : "ended"}, ${at(from)}, ${at(to)}, 1, now())`.execute(
        handle.db,
      );
    }
  }
}

const impact = {
  vip: {
    withdrawn: ["vip_zone"],
    added: [],
    changed: [{ benefit: "member_discount", fields: [{ field: "rules.scope", before: null, after: {} }] }],
  },
};

describe.each(TEST_ENGINES)("rule-change and notice stores on $name", (engine) => {
  let handle: DatabaseHandle;
  let data: DataAccess;
  beforeAll(async () => {
    handle = await engine.open();
    data = createDataAccess(handle.db, systemClock);
    await seed(handle);
  });
  afterAll(() => handle.close());

  const fanOut = (over: Partial<NoticeFanOut>): NoticeFanOut => ({
    version: 2,
    policy: "apply_now",
    activeAt: at(0),
    title: { en: "t" },
    message: null,
    tiers: impact,
    range: ALL_MEMBERS,
    now: at(0),
    ...over,
  });

  it("chunks members of affected tiers by member id: live, future and in-grace memberships only", async () => {
    const chunks: string[] = [];
    let after = "";
    for (;;) {
      const last = await data.ruleChanges.nextChunk(["vip"], after, 2, at(0));
      if (last === null) break;
      chunks.push(last);
      after = last;
    }
    expect(chunks).toEqual(["n02", "n04", "n09"]);
    const lastChunk = await data.ruleChanges.nextChunk(["vip"], "n04", 2, at(0));
    expect(lastChunk).toBe("n09");
    expect(await data.ruleChanges.nextChunk([], "", 2, at(0))).toBeNull();
  });

  it("grandfathers live grants of the changed pairs until their term ends, and apply_now clears them", async () => {
    const pairs = [{ tier: "vip", benefit: "member_discount" }];
    const range = { after: "", upTo: "n02" };
    expect(await data.ruleChanges.markGrandfathered(pairs, 2, 1, at(0), range)).toBe(2);
    // Already grandfathered grants keep their older rules: marking again changes nothing.
    expect(await data.ruleChanges.markGrandfathered(pairs, 3, 2, at(0), range)).toBe(0);
    const grants = await data.grants.listForMember("n02");
    const { rows } = await sql<{
      benefit_code: string;
      rules_version: number | null;
      rules_until: Date | null;
    }>`
      select benefit_code, rules_version, rules_until from grants where member_id = 'n02' order by benefit_code`.execute(
      handle.db,
    );
    expect(grants).toHaveLength(2);
    expect(rows[0]).toMatchObject({ benefit_code: "member_discount", rules_version: 1 });
    expect(new Date(rows[0].rules_until!).toISOString()).toBe(at(10).toISOString());
    expect(rows[1]).toMatchObject({ benefit_code: "vip_zone", rules_version: null });
    expect(await data.ruleChanges.clearGrandfathered(pairs, at(0), { after: "n01", upTo: null })).toBe(1);
    const snapshot = await data.snapshots.load("n01");
    expect(snapshot.grantsByBenefit.get("member_discount")![0]).toMatchObject({
      rulesVersion: 1,
      rulesUntil: at(28).getTime(),
    });
  });

  it("names the members a fan-out would notice, in id order, each once, up to the limit, as it counts them", async () => {
    expect(await data.notices.listRecipients(["vip"], at(0), 100)).toEqual([
      "n01",
      "n02",
      "n03",
      "n04",
      "n07",
      "n09",
    ]);
    expect(await data.notices.listRecipients(["svip", "vip"], at(0), 100)).toEqual([
      "n01",
      "n02",
      "n03",
      "n04",
      "n05",
      "n07",
      "n09",
    ]);
    expect(await data.notices.listRecipients(["svip", "vip"], at(0), 3)).toEqual(["n01", "n02", "n03"]);
    expect((await data.notices.countRecipients(["svip", "vip"], at(0))).members).toBe(7);
    expect(await data.notices.listRecipients([], at(0), 100)).toEqual([]);
  });

  it("writes a notice, outbox event, timeline entry and version bump per affected member, once", async () => {
    const before = (await data.members.get("n05"))!.entitlementsVersion;
    const named = await data.notices.listRecipients(Object.keys(impact), at(0), 100);
    const first = await data.notices.fanOut(fanOut({ range: { after: "", upTo: "n03" } }));
    expect(first.sort()).toEqual(["n01", "n02", "n03"]);
    const rest = await data.notices.fanOut(fanOut({ range: { after: "n03", upTo: null } }));
    expect(rest.sort()).toEqual(["n04", "n07", "n09"]);
    // The publish preview names exactly whom the activation notices.
    expect([...first, ...rest]).toEqual(named);
    expect(await data.notices.fanOut(fanOut({}))).toEqual([]);

    const [notice] = await data.notices.listForMember("n02");
    expect(notice).toMatchObject({
      catalogVersion: 2,
      policy: "apply_now",
      title: { en: "t" },
      message: null,
      changes: [{ tier: "vip", ...impact.vip }],
      readAt: null,
    });
    expect(notice.appliesFrom.toISOString()).toBe(at(0).toISOString());
    expect((await data.members.get("n02"))!.entitlementsVersion).toBe(2);
    expect((await data.members.get("n05"))!.entitlementsVersion).toBe(before);
    expect(await data.notices.listForMember("n06")).toEqual([]);
    const [event] = (await data.outbox.listForMember("n02")).filter((e) => e.type === "notice.created");
    expect(event.payload).toMatchObject({ noticeId: notice.id, catalogVersion: 2, entitlementsVersion: 2 });
    const timeline = await data.timeline.listForMember("n02");
    expect(timeline.map((e) => e.kind)).toContain("notice.created");

    expect(await data.notices.markRead("n02", notice.id, at(1))).toBe(true);
    expect(await data.notices.markRead("n02", notice.id, at(2))).toBe(true);
    expect((await data.notices.listForMember("n02"))[0].readAt?.toISOString()).toBe(at(1).toISOString());
    expect(await data.notices.markRead("n01", notice.id, at(1))).toBe(false);
  });

  it("grandfathered notices apply from the end of the member's term", async () => {
    await data.notices.fanOut(fanOut({ version: 3, policy: "grandfather", message: { en: "m" } }));
    const [notice] = await data.notices.listForMember("n02");
    expect(notice).toMatchObject({ catalogVersion: 3, policy: "grandfather", message: { en: "m" } });
    expect(notice.appliesFrom.toISOString()).toBe(at(10).toISOString());
  });
});
