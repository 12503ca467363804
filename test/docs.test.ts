import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../src/http/error-status.js";

const ROOT = path.resolve(".");
const PAGES = ["README.md", ...readdirSync("docs").map((name) => `docs/${name}`)].filter((file) =>
  file.endsWith(".md"),
);

/** The text of a page outside its code blocks, where links and headings live. */
function prose(file: string): string {
  return readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchors(file: string): Set<string> {
  return new Set([...prose(file).matchAll(/^#+ (.+)$/gm)].map((match) => anchor(match[1])));
}

describe("the README and docs/", () => {
  it("link only inside the repository, to files and headings that exist", () => {
    const broken: string[] = [];
    for (const file of PAGES) {
      for (const [, target] of prose(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [filePart, hash] = target.split("#");
        const linked = filePart === "" ? file : path.join(path.dirname(file), filePart);
        const resolved = path.resolve(linked);
        if (!resolved.startsWith(`${ROOT}${path.sep}`))
          broken.push(`${file}: ${target} is outside the repository`);
        else if (!existsSync(resolved)) broken.push(`${file}: ${target} does not exist`);
        else if (hash !== undefined && !anchors(linked).has(hash))
          broken.push(`${file}: ${target} names no heading`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("list every error code with its status, and no other", () => {
    const table = readFileSync("docs/http-api.md", "utf8").split("### Error codes")[1].split("\n\n")[1];
    const listed = Object.fromEntries(
      [...table.matchAll(/^\| (\d{3}) \| (.+) \|$/gm)].flatMap(([, status, codes]) =>
        [...codes.matchAll(/`([A-Z_]+)`/g)].map(([, code]) => [code, Number(status)]),
      ),
    );
    expect(listed).toEqual(ERROR_STATUS);
  });
});
