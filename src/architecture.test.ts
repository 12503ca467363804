/**
 * The boundaries of the feature folders, checked rather than hoped for (DESIGN.md, "Architecture"):
 * no import cycles, routes never reach a store, a feature's tables are written by its own store
 * only, a service is given the stores it uses and never the bundle of them all, and the engine is
 * pure (no I/O, no clock). Each check is a function of the import graph, run on src/ and on small
 * made-up graphs that must fail it.
 */
import { describe, expect, it } from "vitest";
import {
  crossFeaturePicks,
  crossFeatureStoreImports,
  crossFeatureTableWrites,
  crossFeatureWrites,
  engineImpurities,
  IMPORT,
  importCycles,
  isFeatureFactory,
  isService,
  isStore,
  type Module,
  routeAppImports,
  routeStoreImports,
  sourceModules,
  storeFeatures,
  wholeBundles,
} from "../test/boundary-checks.js";

/**
 * What legitimately still names a whole bundle of stores, each with why: the member write scope,
 * whose transaction the membership flows run in.
 */
const WHOLE_BUNDLE_ALLOWED = new Set([
  // The write scope: MemberWrites runs work on every store of one transaction (`scope.stores`), and
  // the membership flows run inside it. Narrowing the scope per writer is the next step.
  "src/members/member-writes.ts",
  "src/memberships/membership-changes.ts",
  "src/orders/activate-from-order.ts",
  "src/orders/order-settlement.ts",
]);

/** Other features' stores a service reads (never writes): the member page shows the member's rows. */
const CROSS_FEATURE_READS: Record<string, string[]> = {
  "src/members/member-service.ts": ["memberships", "grants", "orders", "holds"],
  // A catalog preview counts the members its notices would go to, and names the first of them.
  "src/catalog/catalog-service.ts": ["notices"],
  // The plans page quotes an upgrade from the member's running memberships and their paid orders,
  // by the function the payment runs (memberships/upgrade-quote.ts).
  "src/plans/plan-service.ts": ["memberships", "orders"],
};

/**
 * Writes into another feature's rows through a write scope that remain, each with why; the list
 * only shrinks.
 */
const CROSS_FEATURE_WRITES_LEFT: Record<string, string[]> = {
  // The write scope's `record`, by design: every feature's timeline entry is written through it.
  "src/members/member-writes.ts": ["timeline"],
};

/** Each table of the database and the feature whose store owns it; `settings` is a shared key-value table. */
const TABLE_OWNERS: Record<string, string> = {
  api_keys: "auth",
  catalog_versions: "catalog",
  members: "members",
  orders: "orders",
  payment_events: "payments",
  memberships: "memberships",
  grants: "grants",
  quota_usage: "grants",
  outbox: "outbox",
  timeline: "timeline",
  jobs: "jobs",
  client_sessions: "sessions",
  notices: "notices",
  signals: "holds",
  holds: "holds",
  hold_events: "holds",
  verification_codes: "holds",
  reconcile_runs: "reconcile",
  member_coupons: "coupons",
  coupon_usage: "coupons",
  coupon_redemptions: "coupons",
  event_log: "events",
  event_sequencer: "events",
  webhook_endpoints: "webhooks",
  webhook_deliveries: "webhooks",
  webhook_attempts: "webhooks",
  demo_seed: "demo",
  support_agents: "tickets",
  tickets: "tickets",
  ticket_messages: "tickets",
  ticket_attachments: "tickets",
  ticket_evidence: "tickets",
  ticket_events: "tickets",
  ticket_sla_marks: "tickets",
  support_policies: "tickets",
};
const SHARED_TABLES = new Set(["settings"]);

/**
 * Stores whose SQL writes another feature's table, each with why. Every one is a write folded into
 * the owner's statement to save a round trip on a hot path (a payment is 8 round trips; see
 * docs/performance.md), with the row built by the owner's exported row builder.
 */
const STORE_TABLE_WRITES_ALLOWED: Record<string, string[]> = {
  // A membership is inserted with its grants and lifecycle jobs in one statement (grants/grant-rows.ts, jobs/new-job.ts).
  "src/memberships/membership-store.ts": ["grants", "jobs"],
  // The entitlements bump writes the member's timeline entry and outbox event in the same statement.
  "src/members/member-store.ts": ["timeline", "outbox"],
  // A notice fan-out bumps each member and writes their event and timeline entry in one statement per chunk.
  "src/notices/notice-store.ts": ["members", "outbox", "timeline"],
  // Grandfathering marks are columns of the grants a rule change touches, set in one statement per chunk.
  "src/catalog/rule-change-store.ts": ["grants"],
  // The sequencer numbers outbox rows in place (the log is the outbox, numbered).
  "src/events/event-log-store.ts": ["outbox"],
};

describe("the feature boundaries", () => {
  const modules = sourceModules();

  it("finds the source it checks", () => {
    expect(modules.size).toBeGreaterThan(200);
    expect(modules.get("src/http/server.ts")?.files).toContain("src/coupons/coupon-routes.ts");
    expect([...modules.keys()].filter(isService).length).toBeGreaterThan(20);
    expect([...modules.keys()].filter((f) => f.startsWith("src/engine/")).length).toBeGreaterThan(20);
  });

  it("has no import cycle, type imports included", () => {
    expect(importCycles(modules)).toEqual([]);
  });

  it("never lets a route import a store", () => {
    expect(routeStoreImports(modules)).toEqual([]);
  });

  it("gives route modules only the services they use, never the whole app", () => {
    expect(routeAppImports(modules)).toEqual([]);
  });

  it("never lets a store import another feature's store", () => {
    expect(crossFeatureStoreImports(modules, isStore)).toEqual([]);
  });

  it("never lets a service or a feature factory import another feature's store", () => {
    expect(crossFeatureStoreImports(modules, (file) => isService(file) || isFeatureFactory(file))).toEqual(
      [],
    );
  });

  it("keeps the engine free of I/O and of the wall clock", () => {
    expect(engineImpurities(modules)).toEqual([]);
  });

  it("gives no module outside the wiring the whole bundle of stores", () => {
    expect(wholeBundles(modules, WHOLE_BUNDLE_ALLOWED)).toEqual([]);
    // The allow-list shrinks as modules are converted: an entry that no longer needs it goes.
    const stillNeeded = wholeBundles(
      new Map([...modules].filter(([file]) => WHOLE_BUNDLE_ALLOWED.has(file))),
      new Set(),
    );
    expect(new Set(stillNeeded.map((v) => v.split(" ")[0]))).toEqual(WHOLE_BUNDLE_ALLOWED);
  });

  it("lets a service pick only its own feature's stores, the shared ones and the reads listed", () => {
    const features = storeFeatures(modules);
    expect(features.get("ruleChanges")).toBe("catalog");
    expect(features.get("orders")).toBe("orders");
    expect(features.size).toBeGreaterThan(20);
    expect(crossFeaturePicks(modules, features, CROSS_FEATURE_READS)).toEqual([]);
  });

  it("gives every table an owner, and lets a store write another feature's table only where listed", () => {
    const keysOf = (source: string, name: string) => {
      const body = source.slice(source.indexOf(`export interface ${name}`));
      return [...body.slice(0, body.indexOf("}")).matchAll(/^\s+(\w+): \w+;$/gm)].map((m) => m[1]);
    };
    const schema = modules.get("src/db/schema.ts")?.source ?? "";
    // Features with many tables declare them in an interface of their own that Database extends.
    const merged = /export interface Database extends ([\w, ]+) \{/.exec(schema)?.[1].split(/,\s*/) ?? [];
    const tables = [
      ...keysOf(schema, "Database"),
      ...merged.flatMap((name) =>
        [...modules.values()]
          .filter((m) => m.source.includes(`export interface ${name} {`))
          .flatMap((m) => keysOf(m.source, name)),
      ),
    ];
    expect(tables.length).toBeGreaterThan(25);
    expect(tables).toContain("ticket_messages");
    expect(tables.filter((t) => TABLE_OWNERS[t] === undefined && !SHARED_TABLES.has(t))).toEqual([]);
    expect(crossFeatureTableWrites(modules, TABLE_OWNERS, STORE_TABLE_WRITES_ALLOWED)).toEqual([]);
    const stillWriting = new Set(
      crossFeatureTableWrites(modules, TABLE_OWNERS, {}).map((v) => v.split(" → ")[0]),
    );
    expect(stillWriting).toEqual(new Set(Object.keys(STORE_TABLE_WRITES_ALLOWED)));
  });

  it("lets no module change another feature's rows through a write scope, but those listed", () => {
    const features = storeFeatures(modules);
    expect(crossFeatureWrites(modules, features, CROSS_FEATURE_WRITES_LEFT)).toEqual([]);
    // An entry that no longer writes there goes from the list.
    const stillWriting = crossFeatureWrites(modules, features, {}).map((v) => v.split(" ")[0]);
    expect(new Set(stillWriting)).toEqual(new Set(Object.keys(CROSS_FEATURE_WRITES_LEFT)));
  });
});

describe("the boundary checks themselves", () => {
  const module = (files: string[], source = "", packages: string[] = []): Module => ({
    files,
    packages,
    source,
  });

  it("finds a cycle through type imports", () => {
    const modules = new Map([
      ["src/a/x.ts", module(["src/b/y.ts"])],
      ["src/b/y.ts", module(["src/a/x.ts"])],
      ["src/c/z.ts", module(["src/a/x.ts"])],
    ]);
    expect(importCycles(modules)).toEqual([["src/a/x.ts", "src/b/y.ts"]]);
  });

  it("reads type-only and dynamic imports", () => {
    const source =
      'import type { A } from "./a.js";\nexport { B } from "../b/b.js";\nawait import("./c.js");';
    expect([...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2])).toEqual(["./a.js", "../b/b.js", "./c.js"]);
  });

  it("finds a write into another feature's rows through the write scope, not a read or a lock", () => {
    const source = [
      "await scope.stores.members.lock(id);",
      "await scope.stores.orders.get(id);",
      "await scope.stores.orders.markPaid(id, at);",
      "await scope.stores.outbox.append(event);",
      "// scope.stores.orders.markClosed(id) in a comment",
    ].join("\n");
    const modules = new Map([["src/payments/p-service.ts", module([], source)]]);
    const features = new Map([
      ["members", "members"],
      ["orders", "orders"],
      ["outbox", "outbox"],
    ]);
    expect(crossFeatureWrites(modules, features, {})).toEqual([
      "src/payments/p-service.ts → orders.markPaid (orders/)",
    ]);
    expect(crossFeatureWrites(modules, features, { "src/payments/p-service.ts": ["orders"] })).toEqual([]);
  });

  it("finds a store's SQL writing another feature's table, in Kysely and in raw SQL", () => {
    const source = [
      'await db.insertInto("orders").values(row).execute();',
      "await sql`update grants g set rules_version = 1 where g.id = 7`.execute(db);",
      "await sql`select * from grants for update skip locked`.execute(db);",
      "await sql`insert into outbox (id) values (1) on conflict do update set id = 1`.execute(db);",
    ].join("\n");
    const modules = new Map([["src/orders/order-store.ts", module([], source)]]);
    const owners = { orders: "orders", grants: "grants", outbox: "outbox" };
    expect(crossFeatureTableWrites(modules, owners, {})).toEqual([
      "src/orders/order-store.ts → grants (grants/)",
      "src/orders/order-store.ts → outbox (outbox/)",
    ]);
  });

  it("finds a route importing a store", () => {
    const modules = new Map([
      ["src/a/a-routes.ts", module(["src/a/a-store.ts", "src/a/a-service.ts"])],
      ["src/a/a-service.ts", module(["src/a/a-store.ts"])],
    ]);
    expect(routeStoreImports(modules)).toEqual(["src/a/a-routes.ts → src/a/a-store.ts"]);
  });

  it("finds a route importing the whole app or its type", () => {
    const modules = new Map([
      ["src/a/a-routes.ts", module(["src/app.ts", "src/a/a-service.ts"])],
      ["src/b/b-routes.ts", module(["src/app-types.ts", "src/http/server-types.ts"])],
      ["src/http/server.ts", module(["src/app.ts"])],
    ]);
    expect(routeAppImports(modules)).toEqual([
      "src/a/a-routes.ts → src/app.ts",
      "src/b/b-routes.ts → src/app-types.ts",
    ]);
  });

  it("finds a store or a service importing another feature's store, not its own", () => {
    const modules = new Map([
      ["src/a/a-store.ts", module(["src/b/b-store.ts", "src/a/other-store.ts"])],
      ["src/a/a-service.ts", module(["src/a/a-store.ts", "src/b/b-store.ts", "src/b/b-service.ts"])],
    ]);
    expect(crossFeatureStoreImports(modules, isStore)).toEqual(["src/a/a-store.ts → src/b/b-store.ts"]);
    expect(crossFeatureStoreImports(modules, isService)).toEqual(["src/a/a-service.ts → src/b/b-store.ts"]);
  });

  it("finds I/O, stateful modules and the wall clock in the engine, not a time passed in", () => {
    const modules = new Map([
      ["src/engine/io.ts", module([], "", ["node:fs", "@sinclair/typebox"])],
      ["src/engine/sql.ts", module(["src/db/database.ts", "src/engine/memo.ts"], "", ["kysely"])],
      ["src/engine/now.ts", module([], "const t = Date.now();")],
      ["src/engine/today.ts", module([], "const d = new Date( );")],
      ["src/engine/given.ts", module([], "const d = new Date(now); // not Date.now()")],
      ["src/orders/order-service.ts", module([], "const t = Date.now();", ["kysely"])],
    ]);
    expect(engineImpurities(modules)).toEqual([
      "src/engine/io.ts → node:fs",
      "src/engine/sql.ts → kysely",
      "src/engine/sql.ts → src/db/database.ts",
      "src/engine/now.ts: the wall clock",
      "src/engine/today.ts: the wall clock",
    ]);
  });

  it("finds a whole bundle of stores outside the wiring, not a pick of one", () => {
    const from = (names: string) => `import type { ${names} } from "../db/stores.js";\n`;
    const modules = new Map([
      ["src/a/a-service.ts", module([], `${from("DataAccess")}constructor(data: Pick<DataAccess, "a">) {}`)],
      [
        "src/a/a-feature.ts",
        module([], `${from("DataAccess")}(data: Pick<DataAccess, "a" | "transaction">) => 1`),
      ],
      ["src/b/b-feature.ts", module([], `${from("DataAccess")}(data: DataAccess) => 1`)],
      [
        "src/b/b-service.ts",
        module([], `${from("type Stores, Transact")}t: Transact<Pick<Stores, "b">>; s: Stores;`),
      ],
      [
        "src/c/c-service.ts",
        module([], `${from("Stores, Transact")}t: Transact<Pick<Stores, "c">>; r: Stores["c"];`),
      ],
      ["src/c/c-worker.ts", module([], `import { createStores } from "../db/stores.js";\n// Stores`)],
      ["src/d/d-service.ts", module([], `${from("Transact")}t: Transact;`)],
      ["src/db/stores.ts", module([], "export interface DataAccess extends Stores {}")],
      ["src/app.ts", module([], `${from("DataAccess")}const data: DataAccess = x;`)],
    ]);
    expect(wholeBundles(modules, new Set())).toEqual([
      "src/a/a-service.ts names DataAccess",
      "src/b/b-feature.ts names DataAccess whole",
      "src/b/b-service.ts names Stores whole",
      "src/c/c-worker.ts imports createStores",
      "src/d/d-service.ts names Transact whole",
    ]);
    expect(wholeBundles(modules, new Set(["src/a/a-service.ts", "src/b/b-service.ts"]))).toHaveLength(3);
  });

  it("finds a service picking another feature's store, not its own, a shared one or a listed read", () => {
    const features = new Map([
      ["apples", "a"],
      ["pears", "b"],
      ["plums", "b"],
      ["outbox", "outbox"],
    ]);
    const modules = new Map([
      [
        "src/a/a-service.ts",
        module([], 'Transact<Pick<Stores, "apples" | "outbox" | "pears">>; p: Stores["plums"]'),
      ],
      ["src/a/a-feature.ts", module([], 'Pick<Stores, "pears">')],
      ["src/c/c-service.ts", module([], 'r: Pick<Stores["pears"], "list">;')],
    ]);
    expect(crossFeaturePicks(modules, features, {})).toEqual([
      "src/a/a-service.ts → pears (b/)",
      "src/a/a-service.ts → plums (b/)",
      "src/c/c-service.ts → pears (b/)",
    ]);
    expect(crossFeaturePicks(modules, features, { "src/a/a-service.ts": ["pears", "plums"] })).toEqual([
      "src/c/c-service.ts → pears (b/)",
    ]);
  });
});
