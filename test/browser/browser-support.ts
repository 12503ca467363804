import { existsSync, mkdirSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { ManualClock } from "../../src/clock.js";
import { seedDemo } from "../../src/demo/seed-demo.js";
import { WEB_DIST } from "../../src/web/web-ui.js";
import { ADMIN_KEY, PAYMENT_SECRET, T0, TestServer } from "../e2e-harness.js";
import type { TestEngine } from "../test-database.js";

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does)`);
}

export const SCREENSHOTS = "test-artifacts/screens";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(`${WEB_DIST}index.html`)) {
    throw new Error("web/dist is missing: run `npm run build:web` (npm test does) before the browser tests");
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/**
 * A page whose browser prefers `locale`, failing the test on any missing translation: the UI
 * logs `missing translation: …` and shows the key marked; both are collected here.
 */
export async function openPage(
  browser: Browser,
  locale: string,
  viewport = { width: 1100, height: 900 },
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.text().startsWith("missing translation")) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

/** Marked missing keys in the rendered text (the UI shows `⟦missing:key⟧`). */
export async function missingKeysShown(page: Page): Promise<string[]> {
  const text = (await page.textContent("body")) ?? "";
  return [...text.matchAll(/⟦missing:([^⟧]+)⟧/g)].map((m) => m[1]);
}

export function benefitCard(page: Page, benefit: string) {
  return page.locator(`li[data-benefit="${benefit}"]`);
}

/**
 * Replaces the catalog editor's text as typing would (CodeMirror reads the browser's input events;
 * it renders only the lines in view, so tests compare with the text they wrote, not the DOM).
 */
export async function fillCatalogEditor(page: Page, text: string) {
  const editor = page.locator('[data-testid="catalog-code"]');
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(text);
}

/** The catalog in force as the editor shows it: its document, pretty-printed JSON. */
export function editorJson(record: Record<string, unknown>): string {
  const { version: _version, createdAt: _createdAt, ...document } = record;
  return JSON.stringify(document, null, 2);
}

/**
 * Sentences in the wrong language: Chinese characters on an English page, or three Latin words in a
 * row on a Chinese page. Codes, ids and raw data (`code`, `pre`, `translate="no"`) and text marked
 * with another `lang` (the language switcher's "中文") are not sentences of the page.
 */
const WRONG_LANGUAGE = `(() => {
  const page = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('code, pre, script, style, [translate="no"]')) continue;
    const lang = el.closest("[lang]");
    if (lang && lang.getAttribute("lang") !== page) continue;
    const text = node.textContent.trim();
    if (!text) continue;
    const wrong = page === "en" ? /[\\u4e00-\\u9fff]/.test(text) : /[A-Za-z]{2,}(\\s+[A-Za-z]{2,}){2,}/.test(text);
    if (wrong) found.push(text);
  }
  return found;
})()`;

export async function wrongLanguage(page: Page): Promise<string[]> {
  return (await page.evaluate(WRONG_LANGUAGE)) as string[];
}

/** The demo as `npm start` seeds it (at T0, on a manual clock) and a browser, for one test file. */
export async function startDemoWithBrowser(engine: TestEngine): Promise<[TestServer, Browser]> {
  const database = await engine.open();
  await seedDemo({ database, adminKey: ADMIN_KEY, paymentSecret: PAYMENT_SECRET, now: T0 });
  return Promise.all([TestServer.startOn(database, new ManualClock(T0)), launchBrowser()]);
}
