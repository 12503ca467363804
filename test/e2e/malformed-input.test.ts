/**
 * Hostile and broken input on every endpoint that takes a body or path parameters: always a 4xx
 * with a code from the closed list in the documented shape, never a 5xx, and nothing written.
 */
import fc from "fast-check";
import { sql } from "kysely";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ERROR_STATUS } from "../../src/errors.js";
import { ADMIN_KEY, type ApiResponse, PAYMENT_SECRET, TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const ALICE = "mi-alice";
const RUNS = { numRuns: 40 };

const INJECTIONS = [
  "'; DROP TABLE members; --",
  "1' OR '1'='1",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "会员🙂",
  "Ω≈ç√∫˜µ≤≥÷ ٩(͡๏̯͡๏)۶ Z̤͔ͧ̑̓",
  "a\u0000b",
  "\u0000",
  "\ud800",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell probe, literal on purpose.
  "${jndi:ldap://x}",
  "{{7*7}}",
  "%00",
  " ",
  "x".repeat(129),
  "x".repeat(10_000),
];

type Counts = Record<string, number>;
const TABLES = [
  "members",
  "orders",
  "payment_events",
  "catalog_versions",
  "api_keys",
  "memberships",
  "grants",
  "outbox",
];

/** A response that is never a fault: below 500 and, when an error, documented and from the closed list. */
function expectSafe(res: ApiResponse, label = ""): void {
  const where = `${label} → ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`;
  expect(res.status, where).toBeLessThan(500);
  if (res.status < 400) return;
  expect(res.body, where).toBeTypeOf("object");
  expect(Object.keys(res.body ?? {}), where).toEqual(["error"]);
  const { code, message, details } = res.body.error;
  expect(Object.keys(res.body.error).sort(), where).toEqual(["code", "details", "message"]);
  expect(Object.keys(ERROR_STATUS), where).toContain(code);
  expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], where).toBe(res.status);
  expect(typeof message, where).toBe("string");
  expect(Array.isArray(details), where).toBe(true);
  for (const d of details) {
    expect(typeof d.path, where).toBe("string");
    expect(typeof d.message, where).toBe("string");
  }
}

/** A client error with one of `codes`. */
function expectRejected(res: ApiResponse, codes: readonly string[], label = ""): void {
  expectSafe(res, label);
  expect(res.status, `${label} → ${JSON.stringify(res.body).slice(0, 400)}`).toBeGreaterThanOrEqual(400);
  expect(codes, `${label} → ${JSON.stringify(res.body).slice(0, 400)}`).toContain(res.body.error.code);
}

interface BodyEndpoint {
  name: string;
  method: "POST" | "PUT";
  path: string;
  /** "member": a member token for ALICE; otherwise the admin key (admin may do everything). */
  as?: "member";
  valid?: () => Record<string, unknown>;
  /** A body lacking a required field, when the body has one. */
  missing?: Record<string, unknown>;
  wrongTypes?: Record<string, unknown>[];
  /** The body with `s` in each id-like field (ids and codes must match a strict pattern). */
  inject?: (s: string) => Record<string, unknown>[];
}

const tier = DEMO_CATALOG.tiers[0];
const BODY_ENDPOINTS: readonly BodyEndpoint[] = [
  {
    name: "create API key",
    method: "POST",
    path: "/v1/api-keys",
    valid: () => ({ name: "k", role: "service" }),
    missing: { name: "k" },
    wrongTypes: [
      { name: 1, role: "service" },
      { name: "k", role: "root" },
      { name: "", role: "admin" },
      { name: ["k"], role: true },
      { name: "k".repeat(101), role: "support" },
    ],
    inject: (s) => [{ name: "k", role: s }],
  },
  {
    name: "catalog PUT",
    method: "PUT",
    path: "/v1/catalog",
    valid: () => ({ ...DEMO_CATALOG }),
    missing: { tiers: DEMO_CATALOG.tiers },
    wrongTypes: [
      { tiers: "vip", benefits: {} },
      { ...DEMO_CATALOG, tiers: [{ ...tier, rank: "1" }] },
      {
        ...DEMO_CATALOG,
        tiers: [{ ...tier, plans: [{ ...tier.plans[0], price: { amount: 1.5, currency: "CNY" } }] }],
      },
      { ...DEMO_CATALOG, policy: "yolo" },
      { ...DEMO_CATALOG, effectiveFrom: 12 },
      { ...DEMO_CATALOG, notice: { fr: "bonjour" } },
    ],
    inject: (s) => [
      { ...DEMO_CATALOG, tiers: [{ ...tier, code: s }] },
      { ...DEMO_CATALOG, tiers: [{ ...tier, benefits: [s] }] },
      { ...DEMO_CATALOG, tiers: [{ ...tier, plans: [{ ...tier.plans[0], period: s }] }] },
    ],
  },
  {
    name: "member PUT",
    method: "PUT",
    path: `/v1/members/${ALICE}`,
    valid: () => ({ displayName: "Alice" }),
    wrongTypes: [
      { displayName: 5 },
      { displayName: "x".repeat(201) },
      { locale: "fr" },
      { timezone: 7 },
      { timezone: "Mars/Olympus" },
      { timezone: "" },
    ],
    inject: (s) => [{ timezone: s }, { locale: s }],
  },
  {
    name: "member token",
    method: "POST",
    path: `/v1/members/${ALICE}/token`,
    valid: () => ({}),
    wrongTypes: [{ ttlSeconds: "60" }, { ttlSeconds: 1 }, { ttlSeconds: 1.5 }, { ttlSeconds: 1e12 }],
  },
  {
    name: "order",
    method: "POST",
    path: "/v1/orders",
    valid: () => ({ memberId: ALICE, plan: "vip_month" }),
    missing: { memberId: ALICE },
    wrongTypes: [
      { memberId: 1, plan: "vip_month" },
      { memberId: ALICE, plan: ["vip_month"] },
      { memberId: ALICE, plan: "vip_month", channel: 5 },
      { memberId: null, plan: null },
    ],
    inject: (s) => [
      { memberId: s, plan: "vip_month" },
      { memberId: ALICE, plan: s },
      { memberId: ALICE, plan: "vip_month", channel: s },
    ],
  },
  {
    name: "check",
    method: "POST",
    path: "/v1/check",
    valid: () => ({ memberId: ALICE, benefit: "ad_free" }),
    missing: { memberId: ALICE },
    wrongTypes: [
      { memberId: ALICE, benefit: 1 },
      { memberId: ALICE, benefit: "ad_free", context: "now" },
      { memberId: ALICE, benefit: "ad_free", context: { usage: "5" } },
      { memberId: ALICE, benefit: "ad_free", context: { usage: -1 } },
      { memberId: ALICE, benefit: "ad_free", context: { product: { onSale: "yes" } } },
      { memberId: ALICE, benefit: "ad_free", context: { at: "yesterday" } },
      { memberId: ALICE, benefit: "ad_free", context: { client: { entitlementsVersion: -1 } } },
    ],
    inject: (s) => [
      { memberId: s, benefit: "ad_free" },
      { memberId: ALICE, benefit: s },
    ],
  },
  {
    name: "check batch",
    method: "POST",
    path: "/v1/check/batch",
    valid: () => ({ checks: [{ memberId: ALICE, benefit: "ad_free" }] }),
    missing: {},
    wrongTypes: [
      { checks: {} },
      { checks: [] },
      { checks: [1] },
      { checks: [{ memberId: ALICE }] },
      { checks: Array.from({ length: 1001 }, () => ({ memberId: ALICE, benefit: "ad_free" })) },
    ],
    inject: (s) => [
      { checks: [{ memberId: s, benefit: "ad_free" }] },
      {
        checks: [
          { memberId: ALICE, benefit: "ad_free" },
          { memberId: ALICE, benefit: s },
        ],
      },
    ],
  },
  {
    name: "toggle for a member",
    method: "PUT",
    path: `/v1/members/${ALICE}/benefits/hd_download_boost/toggle`,
    valid: () => ({ on: true }),
    missing: {},
    wrongTypes: [{ on: "true" }, { on: 1 }, { on: null }],
  },
  {
    name: "claim for a member",
    method: "POST",
    path: `/v1/members/${ALICE}/benefits/monthly_gift/claim`,
  },
  {
    name: "my check",
    method: "POST",
    path: "/v1/me/check",
    as: "member",
    valid: () => ({ benefit: "ad_free" }),
    missing: {},
    wrongTypes: [{ benefit: 5 }, { benefit: "ad_free", context: [] }],
    inject: (s) => [{ benefit: s }],
  },
  {
    name: "my toggle",
    method: "PUT",
    path: "/v1/me/benefits/hd_download_boost/toggle",
    as: "member",
    valid: () => ({ on: false }),
    missing: {},
    wrongTypes: [{ on: "false" }, { on: 0 }],
  },
  { name: "my claim", method: "POST", path: "/v1/me/benefits/monthly_gift/claim", as: "member" },
];

/** Every route with path parameters, as a function of the (raw, already encoded) parameter. */
const PARAM_ROUTES: readonly { name: string; method: string; path: (p: string) => string; body?: unknown }[] =
  [
    { name: "member PUT", method: "PUT", path: (p) => `/v1/members/${p}`, body: { displayName: "x" } },
    { name: "member GET", method: "GET", path: (p) => `/v1/members/${p}` },
    { name: "member token", method: "POST", path: (p) => `/v1/members/${p}/token`, body: {} },
    { name: "entitlements", method: "GET", path: (p) => `/v1/members/${p}/entitlements` },
    { name: "claim (member)", method: "POST", path: (p) => `/v1/members/${p}/benefits/monthly_gift/claim` },
    { name: "claim (benefit)", method: "POST", path: (p) => `/v1/members/${ALICE}/benefits/${p}/claim` },
    {
      name: "toggle (member)",
      method: "PUT",
      path: (p) => `/v1/members/${p}/benefits/hd_download_boost/toggle`,
      body: { on: true },
    },
    {
      name: "toggle (benefit)",
      method: "PUT",
      path: (p) => `/v1/members/${ALICE}/benefits/${p}/toggle`,
      body: { on: true },
    },
    { name: "my claim", method: "POST", path: (p) => `/v1/me/benefits/${p}/claim` },
    { name: "my toggle", method: "PUT", path: (p) => `/v1/me/benefits/${p}/toggle`, body: { on: true } },
    { name: "catalog version", method: "GET", path: (p) => `/v1/catalog/versions/${p}` },
    { name: "catalog diff", method: "GET", path: (p) => `/v1/catalog/versions/${p}/diff` },
  ];

/** Percent-encodes every byte of the UTF-8 form (an unpaired surrogate becomes U+FFFD, as in fetch). */
function encodePath(s: string): string {
  return [...Buffer.from(s, "utf8")]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, "0").toUpperCase()}`,
    )
    .join("");
}

/** Path parameters as they go on the wire: encoded injections, plus raw tricks fetch sends as is. */
const PATH_PARAMS = [
  ...INJECTIONS.map(encodePath),
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "%E0%A4%A",
  "%ff",
  "a%00b",
  "x".repeat(600),
];

/** Where `value` replaces the field at `path` of `doc` (a copy). */
function setAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(doc) ? [...doc] : { ...(doc as object) };
  const [head, ...rest] = path;
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

/** Every field path of a JSON document. */
function pathsOf(doc: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(doc)) return doc.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (doc && typeof doc === "object") {
    return Object.entries(doc).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  }
  return [];
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Strings of any code point, and strings built from the characters that break things. */
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom("\u0000", "\ud800", "\udfff", "a", "'", '"', "<", "/", "\\", "é", "🙂", "%"),
    maxLength: 20,
  }),
);
/** Any string the payment service can store: see the KNOWN BUG test below for unpaired surrogates. */
const storableString = anyString.filter((s) => !UNPAIRED_SURROGATE.test(s));

/** A JSON value whose strings come from `strings`. */
const jsonWith = (strings: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.jsonValue(),
    strings,
    fc.dictionary(strings, fc.oneof(fc.jsonValue(), strings), { maxKeys: 4 }),
    fc.array(fc.oneof(fc.jsonValue(), strings), { maxLength: 4 }),
  );
const anyJson = jsonWith(anyString);
/** fc.anything(), as the text a client would send (undefined and bigint have no JSON: sent as is). */
const anythingText = fc.anything().map((v) => {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
});
const idLikeOf = (strings: fc.Arbitrary<string>) =>
  fc.oneof(
    strings,
    fc.constantFrom(...INJECTIONS),
    fc.string({ unit: "binary", minLength: 100, maxLength: 300 }),
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,20}$/),
  );
const idLike = idLikeOf(anyString);

describe.each(TEST_ENGINES)("malformed input ($name)", (engine) => {
  let server: TestServer;
  let memberToken: string;
  let paidOrder: { orderId: string; amount: number };

  async function counts(): Promise<Counts> {
    const selects = TABLES.map((t) => `(select count(*) from ${t})::int as ${t}`).join(", ");
    const result = await sql<Counts>`select ${sql.raw(selects)}`.execute(server.database.db);
    return result.rows[0];
  }

  /** Runs `send` and asserts it left every table as it was. */
  async function writesNothing<T>(send: () => Promise<T>): Promise<T> {
    const before = await counts();
    const result = await send();
    expect(await counts()).toEqual(before);
    return result;
  }

  const authOf = (e: { as?: "member" }) => (e.as === "member" ? memberToken : ADMIN_KEY);

  function send(e: BodyEndpoint, raw: string | undefined, headers: Record<string, string> = {}) {
    return server.request(e.method, e.path, { raw, auth: authOf(e), headers });
  }

  /** Posts a payment event body signed with the right secret, however malformed the body is. */
  function postSigned(raw: string, webhookId = `msg_${Math.random().toString(36).slice(2)}`) {
    const at = new Date(server.clock.now());
    return server.request("POST", "/v1/payments/events", {
      raw,
      auth: null,
      headers: {
        "webhook-id": webhookId,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(PAYMENT_SECRET).sign(webhookId, at, raw),
      },
    });
  }

  beforeAll(async () => {
    server = await TestServer.start(engine);
    await server.putCatalog(DEMO_CATALOG);
    await server.createMember(ALICE, { displayName: "Alice" });
    const order = await server.createOrder(ALICE, "vip_month");
    expect((await server.pay(order.orderId, order.amount.amount)).status).toBe(200);
    paidOrder = { orderId: order.orderId, amount: order.amount.amount };
    memberToken = await server.memberToken(ALICE);
  });

  afterAll(async () => {
    await server?.stop();
  });

  describe.each(BODY_ENDPOINTS)("$method $path ($name)", (e) => {
    it("malformed JSON, non-object JSON and prototype poisoning: 400, nothing written", async () => {
      await writesNothing(async () => {
        for (const raw of [
          '{"a":',
          "{'a': 1}",
          "{} x",
          "[1,]",
          "\u0000",
          '{"a":1,"a":}',
          '{"__proto__": {"polluted": true}}',
          '{"constructor": {"prototype": {"polluted": true}}}',
        ]) {
          expectRejected(await send(e, raw), ["MALFORMED_BODY", "VALIDATION_FAILED"], raw);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        if (!e.valid) return;
        for (const raw of ["[]", '"text"', "42", "null", "true", "[{}]"]) {
          expectRejected(await send(e, raw), ["VALIDATION_FAILED", "MALFORMED_BODY"], raw);
        }
        expectRejected(
          await send(e, "", { "content-type": "application/json" }),
          ["MALFORMED_BODY"],
          "empty",
        );
      });
    });

    it("wrong content types: 415, nothing written", async () => {
      await writesNothing(async () => {
        const body = JSON.stringify(e.valid?.() ?? {});
        for (const type of [
          "text/plain",
          "application/xml",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "image/png",
          "application/jsonx",
        ]) {
          expectRejected(await send(e, body, { "content-type": type }), ["UNSUPPORTED_MEDIA_TYPE"], type);
        }
        // No content type at all (fetch adds none to a byte body).
        const res = await fetch(`${server.baseUrl}${e.path}`, {
          method: e.method,
          headers: { authorization: `Bearer ${authOf(e)}` },
          body: Buffer.from(body),
        });
        expectRejected(
          { status: res.status, body: await res.json(), headers: res.headers },
          ["UNSUPPORTED_MEDIA_TYPE"],
          "none",
        );
      });
    });

    it("bodies over 1 MiB: 413 PAYLOAD_TOO_LARGE, nothing written", async () => {
      await writesNothing(async () => {
        const big = JSON.stringify({ ...(e.valid?.() ?? {}), padding: "x".repeat(1024 * 1024) });
        expectRejected(await send(e, big), ["PAYLOAD_TOO_LARGE"], "sized");
        expectRejected(
          await send(e, big, { "content-type": "application/yaml" }),
          ["PAYLOAD_TOO_LARGE"],
          "yaml",
        );
        // Streamed without a Content-Length: the limit holds all the same.
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const stream = new ReadableStream({
          start(controller) {
            for (let i = 0; i < 20; i++) controller.enqueue(chunk);
            controller.close();
          },
        });
        const res = await fetch(`${server.baseUrl}${e.path}`, {
          method: e.method,
          headers: { authorization: `Bearer ${authOf(e)}`, "content-type": "application/json" },
          body: stream,
          duplex: "half",
        } as RequestInit);
        expectRejected(
          { status: res.status, body: await res.json(), headers: res.headers },
          ["PAYLOAD_TOO_LARGE"],
          "chunked",
        );
        // Authentication comes before the body is read.
        const anonymous = await server.request(e.method, e.path, { raw: big, auth: null });
        expectRejected(anonymous, ["UNAUTHENTICATED"], "anonymous");
      });
    });

    it.runIf(e.valid)(
      "unknown, missing and wrongly typed fields: 400 naming them, nothing written",
      async () => {
        const valid = e.valid?.() ?? {};
        await writesNothing(async () => {
          const unknown = await server.request(e.method, e.path, {
            body: { ...valid, zzUnknown: 1 },
            auth: authOf(e),
          });
          expectRejected(unknown, ["VALIDATION_FAILED"], "unknown");
          expect(unknown.body.error.details.map((d: { path: string }) => d.path)).toContain("/zzUnknown");
          if (e.missing) {
            expectRejected(
              await server.request(e.method, e.path, { body: e.missing, auth: authOf(e) }),
              ["VALIDATION_FAILED"],
              "missing",
            );
          }
          for (const body of e.wrongTypes ?? []) {
            expectRejected(
              await server.request(e.method, e.path, { body, auth: authOf(e) }),
              ["VALIDATION_FAILED"],
              JSON.stringify(body).slice(0, 100),
            );
          }
          // YAML is accepted wherever JSON is, and refused the same way.
          const yaml = await send(e, "zzUnknown: 1\n", { "content-type": "application/yaml" });
          expectRejected(yaml, ["VALIDATION_FAILED"], "yaml");
          const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
          for (const n of ["b", "c", "d", "e", "f", "g"]) {
            const prev = bomb.at(-1)?.[0];
            bomb.push(`${n}: &${n} [${Array(10).fill(`*${prev}`).join(", ")}]`);
          }
          expectRejected(
            await send(e, bomb.join("\n"), { "content-type": "application/yaml" }),
            ["MALFORMED_BODY"],
            "yaml bomb",
          );
        });
      },
    );

    it.runIf(e.inject)("injection strings in ids and codes: 400, nothing written", async () => {
      await writesNothing(async () => {
        for (const s of INJECTIONS) {
          for (const body of e.inject?.(s) ?? []) {
            const res = await server.request(e.method, e.path, { body, auth: authOf(e) });
            expectRejected(res, ["VALIDATION_FAILED"], `${JSON.stringify(s).slice(0, 40)}`);
          }
        }
      });
    });

    it.runIf(e.valid)("U+0000 and unpaired surrogates in any string: 400 naming the field", async () => {
      await writesNothing(async () => {
        for (const bad of ["a\u0000b", "\udc00", "x\ud83d"]) {
          const body = { ...e.valid?.(), zzUnknown: bad };
          const res = await server.request(e.method, e.path, { body, auth: authOf(e) });
          expectRejected(res, ["VALIDATION_FAILED"], JSON.stringify(bad));
          expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain("/zzUnknown");
        }
      });
    });
  });

  // KNOWN BUGS outside src/http: these fields are checked with Date.parse, whose V8 fallback parser
  // reads almost anything as a date ("%00" → 2000-01-01, "1" → 2001-01-01 in the server's local
  // time zone). Each should be matched against an ISO-8601 date-time pattern (as catalog dates are,
  // DATE_TIME_PATTERN in src/catalog/catalog-schema.ts). Drop `.fails` once fixed.
  describe("KNOWN BUGS: non-ISO dates are accepted", () => {
    it("context.at (src/decisions/decision-service.ts)", async () => {
      for (const at of ["%00", "1", "x 1", "foo 2020"]) {
        const res = await server.request("POST", "/v1/check", {
          body: { memberId: ALICE, benefit: "ad_free", context: { at } },
        });
        expectRejected(res, ["VALIDATION_FAILED"], at);
      }
    });

    it("catalog effectiveFrom (src/catalog/catalog-service.ts)", async () => {
      await writesNothing(async () => {
        const res = await server.request("PUT", "/v1/catalog", {
          body: { ...DEMO_CATALOG, effectiveFrom: "1" },
        });
        expectRejected(res, ["VALIDATION_FAILED"]);
      });
    });

    it("payment paidAt (src/payments/payment-service.ts)", async () => {
      const order = await server.createOrder(ALICE, "vip_month");
      await writesNothing(async () => {
        const data = { orderId: order.orderId, amount: order.amount.amount, paidAt: "paid in 2020" };
        const res = await postSigned(JSON.stringify({ type: "payment.succeeded", data }));
        expectRejected(res, ["VALIDATION_FAILED"]);
      });
    });
  });

  describe("free text is stored verbatim, never interpreted", () => {
    it("a display name and an API key name holding injection strings round-trip unchanged", async () => {
      const texts = INJECTIONS.filter(
        (s) => !s.includes("\u0000") && !UNPAIRED_SURROGATE.test(s) && s.length <= 200 && s.trim(),
      );
      for (const [i, text] of texts.entries()) {
        const id = `mi-free-${i}`;
        const put = await server.request("PUT", `/v1/members/${id}`, { body: { displayName: text } });
        expect(put.status, JSON.stringify(put.body)).toBe(201);
        const got = await server.request("GET", `/v1/members/${id}`);
        expect(got.body.displayName).toBe(text);
        if (text.length <= 100) {
          const key = await server.request("POST", "/v1/api-keys", { body: { name: text, role: "support" } });
          expect(key.status).toBe(201);
          expect(key.body.name).toBe(text);
        }
      }
      // The tables are all still there.
      expect((await counts()).members).toBeGreaterThanOrEqual(texts.length + 1);
    });

    it("NUL in a display name is refused, not half-stored", async () => {
      await writesNothing(async () => {
        const res = await server.request("PUT", "/v1/members/mi-nul", { body: { displayName: "a\u0000b" } });
        expectRejected(res, ["VALIDATION_FAILED"]);
        expect(res.body.error.details).toEqual([{ path: "/displayName", message: expect.any(String) }]);
      });
    });
  });

  describe("path parameters", () => {
    it.each(PARAM_ROUTES)("$method $name: hostile ids are a 4xx, nothing written", async (route) => {
      await writesNothing(async () => {
        for (const p of PATH_PARAMS) {
          const member = route.path(p).startsWith("/v1/me/");
          const res = await server.request(route.method, route.path(p), {
            body: route.body,
            auth: member ? memberToken : ADMIN_KEY,
          });
          expectSafe(res, p.slice(0, 60));
          expect(res.status, p.slice(0, 60)).toBeGreaterThanOrEqual(400);
        }
      });
    });

    it("a path parameter past the header limit is a documented 413", async () => {
      const res = await server.request("GET", `/v1/members/${"x".repeat(20_000)}`);
      expectRejected(res, ["PAYLOAD_TOO_LARGE"]);
    });

    it("the longest valid member id (128 characters) works, the next one is refused", async () => {
      const longest = `m${"x".repeat(127)}`;
      expect((await server.request("PUT", `/v1/members/${longest}`, { body: {} })).status).toBe(201);
      expect((await server.request("GET", `/v1/members/${longest}`)).status).toBe(200);
      const encoded = encodeURIComponent(`m${"会".repeat(127)}`);
      expectRejected(await server.request("GET", `/v1/members/${encoded}`), ["VALIDATION_FAILED"]);
      expectRejected(await server.request("GET", `/v1/members/${longest}x`), ["VALIDATION_FAILED"]);
    });

    it("catalog version numbers: only positive integers in range", async () => {
      for (const n of [
        "abc",
        "-1",
        "0",
        "1.5",
        "1e3",
        "0x10",
        "%201",
        "2147483648",
        "99999999999999999999",
      ]) {
        expectRejected(await server.request("GET", `/v1/catalog/versions/${n}`), ["VALIDATION_FAILED"], n);
      }
      expectRejected(await server.request("GET", "/v1/catalog/versions/999"), ["CATALOG_VERSION_NOT_FOUND"]);
      expect((await server.request("GET", "/v1/catalog/versions/1")).status).toBe(200);
      expect((await server.request("GET", "/v1/catalog/versions/1/diff")).status).toBe(200);
    });

    it("random path ids never make a 5xx (property)", async () => {
      await fc.assert(
        fc.asyncProperty(idLike, fc.constantFrom(...PARAM_ROUTES), async (id, route) => {
          const path = route.path(encodePath(id));
          const member = path.startsWith("/v1/me/");
          const before = await counts();
          const res = await server.request(route.method, path, {
            body: route.body,
            auth: member ? memberToken : ADMIN_KEY,
          });
          expectSafe(res, path.slice(0, 80));
          if (res.status >= 400) expect(await counts()).toEqual(before);
        }),
        RUNS,
      );
    });
  });

  describe("payments", () => {
    it("unsigned, mis-signed and stale events: 4xx, nothing recorded", async () => {
      const raw = JSON.stringify({
        type: "payment.succeeded",
        data: { orderId: paidOrder.orderId, amount: paidOrder.amount },
      });
      const now = Math.floor(server.clock.now() / 1000);
      const sign = (id: string, ts: number, body = raw) =>
        new Webhook(PAYMENT_SECRET).sign(id, new Date(ts * 1000), body);
      await writesNothing(async () => {
        const cases: [string, Record<string, string>, string][] = [
          ["no headers", {}, "INVALID_SIGNATURE"],
          [
            "garbage signature",
            { "webhook-id": "m1", "webhook-timestamp": `${now}`, "webhook-signature": "x" },
            "INVALID_SIGNATURE",
          ],
          [
            "long id",
            {
              "webhook-id": "m".repeat(300),
              "webhook-timestamp": `${now}`,
              "webhook-signature": sign("m".repeat(300), now),
            },
            "INVALID_SIGNATURE",
          ],
          [
            "text timestamp",
            { "webhook-id": "m2", "webhook-timestamp": "now", "webhook-signature": sign("m2", now) },
            "TIMESTAMP_OUT_OF_TOLERANCE",
          ],
          [
            "negative timestamp",
            { "webhook-id": "m3", "webhook-timestamp": "-1", "webhook-signature": sign("m3", now) },
            "TIMESTAMP_OUT_OF_TOLERANCE",
          ],
          [
            "stale",
            {
              "webhook-id": "m4",
              "webhook-timestamp": `${now - 301}`,
              "webhook-signature": sign("m4", now - 301),
            },
            "TIMESTAMP_OUT_OF_TOLERANCE",
          ],
          [
            "future",
            {
              "webhook-id": "m5",
              "webhook-timestamp": `${now + 301}`,
              "webhook-signature": sign("m5", now + 301),
            },
            "TIMESTAMP_OUT_OF_TOLERANCE",
          ],
          [
            "huge timestamp",
            { "webhook-id": "m6", "webhook-timestamp": "999999999999", "webhook-signature": sign("m6", now) },
            "TIMESTAMP_OUT_OF_TOLERANCE",
          ],
          [
            "injection id",
            {
              "webhook-id": "'; DROP TABLE payment_events; --",
              "webhook-timestamp": `${now}`,
              "webhook-signature": "v1,AAAA",
            },
            "INVALID_SIGNATURE",
          ],
        ];
        for (const [label, headers, code] of cases) {
          const res = await server.request("POST", "/v1/payments/events", { raw, auth: null, headers });
          expectRejected(res, [code], label);
        }
        const huge = `{"padding":"${"x".repeat(1024 * 1024)}"}`;
        const big = await server.request("POST", "/v1/payments/events", {
          raw: huge,
          auth: null,
          headers: {
            "webhook-id": "m7",
            "webhook-timestamp": `${now}`,
            "webhook-signature": sign("m7", now, huge),
          },
        });
        expectRejected(big, ["PAYLOAD_TOO_LARGE"], "huge");
      });
    });

    it("signed but malformed events: 400 naming the problem, nothing recorded", async () => {
      const bodies = [
        "{",
        "",
        "null",
        "[]",
        '"payment.succeeded"',
        JSON.stringify({ type: "payment.succeeded" }),
        JSON.stringify({ type: "payment.stolen", data: { orderId: paidOrder.orderId, amount: 1 } }),
        JSON.stringify({ type: "payment.succeeded", data: { orderId: paidOrder.orderId, amount: "1500" } }),
        JSON.stringify({ type: "payment.succeeded", data: { orderId: paidOrder.orderId, amount: -1 } }),
        JSON.stringify({ type: "payment.succeeded", data: { orderId: paidOrder.orderId, amount: 1.5 } }),
        JSON.stringify({ type: "payment.succeeded", data: { orderId: "", amount: 1500 } }),
        JSON.stringify({ type: "payment.succeeded", data: { orderId: "o".repeat(129), amount: 1500 } }),
        JSON.stringify({
          type: "payment.succeeded",
          data: { orderId: paidOrder.orderId, amount: 1500, paidAt: "yesterday!" },
        }),
        JSON.stringify({
          type: "payment.succeeded",
          data: { orderId: paidOrder.orderId, amount: 1500, extra: 1 },
        }),
        JSON.stringify({
          type: "payment.succeeded",
          data: { orderId: paidOrder.orderId, amount: 1500 },
          extra: 1,
        }),
        '{"__proto__": {"polluted": true}, "type": "payment.succeeded"}',
      ];
      await writesNothing(async () => {
        for (const raw of bodies) {
          expectRejected(await postSigned(raw), ["MALFORMED_BODY", "VALIDATION_FAILED"], raw.slice(0, 80));
        }
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it("signed events with injection strings as order ids: a 4xx, no grant", async () => {
      for (const s of INJECTIONS.filter((x) => x.length <= 128 && !UNPAIRED_SURROGATE.test(x))) {
        const before = await counts();
        const raw = JSON.stringify({
          type: "payment.succeeded",
          data: { orderId: s, amount: 1500, providerRef: s },
        });
        const res = await postSigned(raw);
        expectSafe(res, JSON.stringify(s));
        expect(res.status).toBeGreaterThanOrEqual(400);
        const after = await counts();
        // An unknown order is recorded (404), by design; nothing else moves.
        expect({ ...after, payment_events: 0 }).toEqual({ ...before, payment_events: 0 });
      }
    });

    // KNOWN BUG (src/payments, not the HTTP edge): the payment route parses its raw body itself, and
    // PaymentService stores the event as jsonb without refusing unpaired surrogates, which PostgreSQL
    // rejects (SQLSTATE 22P02) inside the transaction: 500 INTERNAL instead of 400. Nothing is written.
    // Drop `.fails` once PaymentService refuses such strings.
    it("an unpaired surrogate in a signed event is a 400, not a 500", async () => {
      for (const field of ["orderId", "providerRef"]) {
        const data = { orderId: paidOrder.orderId, amount: paidOrder.amount, [field]: "x\ud800" };
        const res = await writesNothing(() => postSigned(JSON.stringify({ type: "payment.refunded", data })));
        expectRejected(res, ["VALIDATION_FAILED"], field);
      }
    });

    it("unsigned random bodies and headers: 400/401, nothing recorded (property)", async () => {
      const header = fc.string({ unit: "grapheme-ascii", maxLength: 60 });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            anyJson.map((v) => JSON.stringify(v)),
            anythingText,
          ),
          fc.record(
            { "webhook-id": header, "webhook-timestamp": header, "webhook-signature": header },
            {
              requiredKeys: [],
            },
          ),
          async (raw, headers) => {
            const before = await counts();
            const res = await server.request("POST", "/v1/payments/events", { raw, auth: null, headers });
            expectRejected(res, ["INVALID_SIGNATURE", "TIMESTAMP_OUT_OF_TOLERANCE"], raw.slice(0, 80));
            expect(await counts()).toEqual(before);
          },
        ),
        RUNS,
      );
    });

    it("signed random bodies: never a 5xx, a 400 writes nothing (property)", async () => {
      const storableId = idLikeOf(storableString).filter((x) => !UNPAIRED_SURROGATE.test(x));
      const storableJson = jsonWith(storableString);
      const eventish = fc.record(
        {
          type: fc.oneof(fc.constantFrom("payment.succeeded", "payment.refunded"), fc.jsonValue()),
          data: fc.oneof(
            fc.record(
              {
                orderId: fc.oneof(fc.constant(paidOrder.orderId), storableId, fc.jsonValue()),
                amount: fc.oneof(fc.constant(paidOrder.amount), fc.integer(), fc.double(), fc.jsonValue()),
                paidAt: fc.oneof(
                  fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())),
                  storableId,
                ),
                providerRef: storableId,
              },
              { requiredKeys: [] },
            ),
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            eventish.map((v) => JSON.stringify(v)),
            storableJson.map((v) => JSON.stringify(v)),
            anythingText,
          ),
          async (raw) => {
            const before = await counts();
            const res = await postSigned(raw);
            expectSafe(res, raw.slice(0, 120));
            if (res.status === 400) expect(await counts()).toEqual(before);
          },
        ),
        RUNS,
      );
    });
  });

  describe("random bodies never make a 5xx, and a 4xx writes nothing (property)", () => {
    async function property(method: string, path: string, raw: string, auth = ADMIN_KEY) {
      const before = await counts();
      const res = await server.request(method, path, { raw, auth });
      expectSafe(res, raw.slice(0, 120));
      if (res.status >= 400) expect(await counts()).toEqual(before);
    }
    const catalogPaths = pathsOf(DEMO_CATALOG);

    it("PUT /v1/catalog: random JSON, anything, and the demo catalog with one field replaced", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            anyJson.map((v) => JSON.stringify(v)),
            anythingText,
            fc
              .tuple(fc.constantFrom(...catalogPaths), anyJson)
              .map(([path, value]) => JSON.stringify(setAt(DEMO_CATALOG, path, value))),
          ),
          (raw) => property("PUT", "/v1/catalog", raw),
        ),
        RUNS,
      );
    });

    const checkBody = fc.record(
      {
        memberId: fc.oneof(fc.constant(ALICE), idLike, fc.jsonValue()),
        benefit: fc.oneof(
          fc.constantFrom("ad_free", "cloud_storage", "member_discount"),
          idLike,
          fc.jsonValue(),
        ),
        context: anyJson,
      },
      { requiredKeys: [] },
    );

    it("POST /v1/check", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            checkBody.map((v) => JSON.stringify(v)),
            anyJson.map((v) => JSON.stringify(v)),
            anythingText,
          ),
          (raw) => property("POST", "/v1/check", raw),
        ),
        RUNS,
      );
    });

    it("POST /v1/check/batch", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.array(checkBody, { maxLength: 5 }).map((checks) => JSON.stringify({ checks })),
            anyJson.map((v) => JSON.stringify({ checks: v })),
            anyJson.map((v) => JSON.stringify(v)),
            anythingText,
          ),
          (raw) => property("POST", "/v1/check/batch", raw),
        ),
        RUNS,
      );
    });

    it("POST /v1/orders", async () => {
      const order = fc.record(
        {
          memberId: fc.oneof(fc.constant(ALICE), idLike, fc.jsonValue()),
          plan: fc.oneof(fc.constantFrom("vip_month", "svip_year"), idLike, fc.jsonValue()),
          channel: fc.oneof(fc.constantFrom("official_app", "partner:x"), idLike, fc.jsonValue()),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            order.map((v) => JSON.stringify(v)),
            anyJson.map((v) => JSON.stringify(v)),
            anythingText,
          ),
          (raw) => property("POST", "/v1/orders", raw),
        ),
        RUNS,
      );
    });

    it("PUT /v1/members/{id}: random ids and bodies", async () => {
      const member = fc.record(
        {
          displayName: fc.oneof(fc.string({ unit: "binary", maxLength: 250 }), fc.jsonValue()),
          locale: fc.oneof(fc.constantFrom("en", "zh-CN", null), fc.jsonValue()),
          timezone: fc.oneof(
            fc.constantFrom("Asia/Shanghai", "UTC", "Europe/Berlin"),
            idLike,
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(
          idLike,
          fc.oneof(
            member.map((v) => JSON.stringify(v)),
            anyJson.map((v) => JSON.stringify(v)),
            anythingText,
          ),
          (id, raw) => property("PUT", `/v1/members/${encodePath(id)}`, raw),
        ),
        RUNS,
      );
    });

    it("the member's own routes (/v1/me/check, toggle)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(
            ["POST", "/v1/me/check"],
            ["PUT", "/v1/me/benefits/hd_download_boost/toggle"],
            ["PUT", `/v1/members/${ALICE}/benefits/hd_download_boost/toggle`],
          ),
          fc.oneof(
            anyJson.map((v) => JSON.stringify(v)),
            anythingText,
          ),
          ([method, path], raw) =>
            property(method, path, raw, path.startsWith("/v1/me/") ? memberToken : ADMIN_KEY),
        ),
        RUNS,
      );
    });
  });
});
