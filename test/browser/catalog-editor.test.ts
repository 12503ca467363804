import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ADMIN_KEY, type TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import {
  editorJson,
  fillCatalogEditor,
  HAS_CHROMIUM,
  missingKeysShown,
  openPage,
  SCREENSHOTS,
  startDemoWithBrowser,
} from "./browser-support.js";

async function openEditor(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/admin#catalog`);
  await page.getByLabel(/Admin or support key/).fill(ADMIN_KEY);
  await page.keyboard.press("Enter");
  await page.locator('[data-testid="catalog-code"]').waitFor();
}

/** CodeMirror lints a moment after the last keystroke. */
const LINT = { timeout: 5000 };
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

/** The operator's catalog editor on the demo as `npm start` seeds it. */
describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("the catalog editor on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  const inForce = async () => (await s.request("GET", "/v1/catalog")).body;
  const versionCount = async () => (await s.request("GET", "/v1/catalog/versions")).body.versions.length;
  beforeAll(async () => {
    [s, browser] = await startDemoWithBrowser(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it("marks a schema error as it is typed and the server's semantic error at its line, publishing nothing", async () => {
    const { context, page, problems } = await openPage(browser, "en-US");
    await openEditor(page, s.baseUrl);
    const original = editorJson(await inForce());
    const versions = await versionCount();

    // Not one of the schema's activations: underlined in place before anything is sent.
    const badActivation = original.replace('"activation": "claim"', '"activation": "sometimes"');
    expect(badActivation).toContain("sometimes");
    await fillCatalogEditor(page, badActivation);
    const listed = page
      .locator('[data-testid="editor-problems"]')
      .getByRole("button", { name: `line ${lineOf(badActivation, '"activation": "sometimes"')}:` });
    await expect.poll(() => listed.count(), LINT).toBe(1);
    await listed.click();
    const badLine = page.locator(".cm-line", { hasText: '"activation": "sometimes"' });
    await expect.poll(() => badLine.locator(".cm-lintRange-error").count(), LINT).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="publish-preview"]').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/console-catalog-schema-error.png`, fullPage: true });

    // A period the schema allows (a short text) but the server does not (no ISO duration).
    const badPeriod = original.replace('"period": "P1M"', '"period": "monthly"');
    await fillCatalogEditor(page, badPeriod);
    await page.getByRole("button", { name: "Check and preview" }).click();
    const errors = page.locator('[data-testid="catalog-errors"]');
    const line = lineOf(badPeriod, '"period": "monthly"');
    const problem = errors.getByRole("button", {
      name: new RegExp(`^line ${line}: /tiers/\\d+/plans/\\d+/period$`),
    });
    await expect.poll(() => problem.count()).toBe(1);
    await problem.click();
    const marked = page.locator(".cm-line", { hasText: '"period": "monthly"' });
    await expect.poll(() => marked.locator(".cm-lintRange-error").count(), LINT).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}/console-catalog-server-error.png`, fullPage: true });
    expect(await versionCount()).toBe(versions);
    expect([...problems, ...(await missingKeysShown(page))]).toEqual([]);
    await context.close();
  });

  it("previews a narrowed rule's impact (the VIP and SVIP members) and the diff, then publishes", async () => {
    const { context, page, problems } = await openPage(browser, "en-US");
    await openEditor(page, s.baseUrl);
    const record = await inForce();
    // The demo's vip_zone needs app 5.3.0 (seed-rule-change.ts); 6.0.0 narrows it again.
    const before = record.benefits.find((b: { code: string }) => b.code === "vip_zone").rules
      .minClientVersion;
    const narrowed = editorJson(record).replace(
      `"minClientVersion": "${before}"`,
      '"minClientVersion": "6.0.0"',
    );
    expect(narrowed).toContain('"minClientVersion": "6.0.0"');
    await fillCatalogEditor(page, narrowed);
    await page.getByRole("button", { name: "Check and preview" }).click();
    const preview = page.locator('[data-testid="publish-preview"]');
    await preview.waitFor();

    // What the server's dry run says, as the preview must show it.
    const dry = await s.request("PUT", "/v1/catalog?dryRun=true", {
      body: { ...JSON.parse(narrowed), policy: "apply_now" },
    });
    expect(dry.status).toBe(200);
    const tiers = dry.body.impact.tiers as Record<string, { members: number }>;
    expect(Object.keys(tiers).sort()).toEqual(["svip", "vip"]);
    for (const [tier, { members }] of Object.entries(tiers)) {
      expect(members).toBeGreaterThan(0);
      const row = preview.locator(`tr[data-tier="${tier}"]`);
      expect(await row.textContent()).toContain(`${members} member(s)`);
      expect(await row.textContent()).toContain(`vip_zone.rules.minClientVersion "${before}" → "6.0.0"`);
    }
    // The members whose decisions change, by id: the dry run names them, the preview lists them.
    const affected = dry.body.impact.affectedMembers as string[];
    // The demo's members with a live VIP or SVIP membership, in id order (demo-pending's order is
    // unpaid, demo-expired's and demo-refunded's memberships give nothing now).
    expect(affected).toEqual([
      "demo-downgrade",
      "demo-grace",
      "demo-hold",
      "demo-oldapp",
      "demo-svip",
      "demo-upgraded",
      "demo-vip",
    ]);
    expect(affected).toHaveLength(dry.body.impact.members);
    const listed = preview.locator('[data-testid="preview-members"] li');
    expect(await listed.allTextContents()).toEqual(affected);
    expect(await listed.getByRole("link", { name: "demo-svip" }).getAttribute("href")).toBe(
      "#members/demo-svip",
    );
    expect(await preview.locator('[data-testid="preview-impact"]').textContent()).toContain(
      `${dry.body.impact.members} member(s) would see different decisions and get ${dry.body.impact.notices} notice(s)`,
    );
    expect(await preview.locator("td.before").first().textContent()).toContain(before);
    expect(await preview.locator("td.after").first().textContent()).toContain("6.0.0");
    await page.screenshot({ path: `${SCREENSHOTS}/console-catalog-preview.png`, fullPage: true });

    await preview.getByRole("button", { name: "Publish" }).click();
    await expect
      .poll(() => page.locator('[data-testid="published"]').textContent())
      .toBe(`Published as version ${record.version + 1}.`);
    expect(JSON.stringify(await inForce())).toContain('"minClientVersion":"6.0.0"');
    expect(problems).toEqual([]);
    await context.close();
  });

  it("publishes an edit made in YAML, sent as YAML", async () => {
    const { context, page, problems } = await openPage(browser, "zh-CN");
    await page.goto(`${s.baseUrl}/admin#catalog`);
    await page.getByLabel(/管理员或客服密钥/).fill(ADMIN_KEY);
    await page.keyboard.press("Enter");
    await page.getByLabel("YAML").check();
    await page.getByLabel("目录文档（YAML）").waitFor();
    const record = await inForce();
    const { version: _v, createdAt: _c, ...document } = record;
    const text = stringify(document, { lineWidth: 0 }).replace("en: VIP zone", "en: VIP lounge");
    expect(parse(text).benefits.some((b: { name: { en: string } }) => b.name.en === "VIP lounge")).toBe(true);
    await fillCatalogEditor(page, text);
    const sent: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "PUT") sent.push(r.headers()["content-type"] ?? "");
    });
    await page.getByRole("button", { name: "检查并预览" }).click();
    const preview = page.locator('[data-testid="publish-preview"]');
    await preview.getByRole("button", { name: "发布" }).click();
    await expect
      .poll(() => page.locator('[data-testid="published"]').textContent())
      .toBe(`已发布为第 ${record.version + 1} 版。`);
    expect(sent).toEqual(["application/yaml", "application/yaml"]);
    const published = await inForce();
    expect(published.benefits.find((b: { code: string }) => b.code === "vip_zone").name.en).toBe(
      "VIP lounge",
    );
    await page.screenshot({ path: `${SCREENSHOTS}/console-catalog-yaml-zh.png`, fullPage: true });
    expect([...problems, ...(await missingKeysShown(page))]).toEqual([]);
    await context.close();
  });
});
