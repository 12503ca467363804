import { describe, expect, it } from "vitest";
import { fixtureCatalog } from "../engine-fixtures.js";
import { sharedFailure } from "./rule-types.js";

const catalog = fixtureCatalog();
const [benefit, other] = [...catalog.benefits.values()];
const build = (actual: string) => () => ({
  code: "OUT_OF_SCOPE" as const,
  details: { actual },
  remedy: { actor: "member" as const, action: "none" as const },
});

describe("sharedFailure", () => {
  it("builds a failure once per owner, benefit and key, frozen all the way down", () => {
    const owner = {};
    const first = sharedFailure(owner, benefit, "books", build("books"));
    expect(sharedFailure(owner, benefit, "books", build("other"))).toBe(first);
    expect(first.details).toEqual({ actual: "books" });
    expect(Object.isFrozen(first) && Object.isFrozen(first.details) && Object.isFrozen(first.remedy)).toBe(
      true,
    );
    expect(sharedFailure(owner, benefit, "toys", build("toys"))).not.toBe(first);
    expect(sharedFailure(owner, other, "books", build("books"))).not.toBe(first);
    expect(sharedFailure({}, benefit, "books", build("books"))).not.toBe(first);
  });

  it("holds a bounded number of keys per owner, since keys come from callers", () => {
    const owner = {};
    const first = sharedFailure(owner, benefit, "k0", build("k0"));
    for (let i = 1; i <= 300; i++) sharedFailure(owner, benefit, `k${i}`, build(`k${i}`));
    const again = sharedFailure(owner, benefit, "k0", build("k0"));
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
