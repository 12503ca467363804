import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lockDataDir } from "./data-dir-lock.js";

describe("lockDataDir", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a directory another live process holds, and takes over a dead one's", () => {
    dir = mkdtempSync(path.join(tmpdir(), "perkwise-lock-"));
    const lockFile = path.join(dir, "perkwise.lock");
    writeFileSync(lockFile, String(process.ppid)); // a live process that is not us
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    writeFileSync(lockFile, "999999999"); // no such process
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, "utf8")).toBe(String(process.pid));
    release();
    expect(() => readFileSync(lockFile)).toThrow();
  });
});
