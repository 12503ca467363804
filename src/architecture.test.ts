/**
 * The boundaries of the feature folders, checked rather than hoped for (DESIGN.md, "Architecture"):
 * no import cycles, routes never reach a store, a feature's tables are written by its own store
 * only, and the engine is pure (no I/O, no clock).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Static imports and re-exports (type-only ones included) and dynamic imports. */
const IMPORT = /(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

interface Module {
  /** Source files it imports, relative to the repository. */
  files: string[];
  /** Packages and node: modules it imports. */
  packages: string[];
  source: string;
}

/** Every non-test source file under src/, with what it imports. */
function sourceModules(): Map<string, Module> {
  const modules = new Map<string, Module>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        const source = readFileSync(path, "utf8");
        const files: string[] = [];
        const packages: string[] = [];
        for (const match of source.matchAll(IMPORT)) {
          const specifier = match[1] ?? match[2];
          if (specifier.startsWith(".")) {
            files.push(relative(ROOT, resolve(dirname(path), specifier.replace(/\.js$/, ".ts"))));
          } else packages.push(specifier);
        }
        modules.set(relative(ROOT, path), { files, packages, source });
      }
    }
  };
  visit(join(ROOT, "src"));
  return modules;
}

/** The import cycles: strongly connected components of more than one module (Tarjan). */
function importCycles(modules: Map<string, Module>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const dep of modules.get(file)?.files ?? []) {
      if (!modules.has(dep)) continue;
      if (!index.has(dep)) {
        connect(dep);
        low.set(file, Math.min(low.get(file)!, low.get(dep)!));
      } else if (onStack.has(dep)) low.set(file, Math.min(low.get(file)!, index.get(dep)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || modules.get(file)!.files.includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of modules.keys()) if (!index.has(file)) connect(file);
  return cycles;
}

/** `src/coupons/coupon-store.ts` → `coupons`; files at the top of src/ have no feature. */
const featureOf = (file: string) => {
  const parts = file.split("/");
  return parts.length > 2 ? parts[1] : null;
};
const isStore = (file: string) => /-store\.ts$/.test(file);
const isRoute = (file: string) => /-routes\.ts$/.test(file);
const isService = (file: string) => /-service\.ts$/.test(file);

/** `from → to` for every import of `modules` that `forbidden` rejects. */
function violations(
  modules: Map<string, Module>,
  forbidden: (from: string, to: string) => boolean,
): string[] {
  const found: string[] = [];
  for (const [from, { files }] of modules) {
    for (const to of files) if (forbidden(from, to)) found.push(`${from} → ${to}`);
  }
  return found;
}

const IO_PACKAGES = [
  /^node:(fs|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)(\/|$)/,
  /^(fs|net|http|https|child_process)$/,
  /^(kysely|pg|@electric-sql\/pglite|fastify|@fastify\/.*|pino|undici)$/,
];

describe("the feature boundaries", () => {
  const modules = sourceModules();

  it("finds the source it checks", () => {
    expect(modules.size).toBeGreaterThan(200);
    expect(modules.get("src/http/server.ts")?.files).toContain("src/coupons/coupon-routes.ts");
  });

  it("has no import cycle, type imports included", () => {
    expect(importCycles(modules)).toEqual([]);
  });

  it("never lets a route import a store", () => {
    expect(violations(modules, (from, to) => isRoute(from) && isStore(to))).toEqual([]);
  });

  it("gives route modules only the services they use, never the whole app", () => {
    expect(violations(modules, (from, to) => isRoute(from) && to === "src/app.ts")).toEqual([]);
  });

  it("never lets a store import another feature's store", () => {
    const crossing = (from: string, to: string) =>
      isStore(from) && isStore(to) && featureOf(from) !== featureOf(to);
    expect(violations(modules, crossing)).toEqual([]);
  });

  it("never lets a service import another feature's store", () => {
    const crossing = (from: string, to: string) =>
      isService(from) && isStore(to) && featureOf(from) !== featureOf(to);
    expect(violations(modules, crossing)).toEqual([]);
  });

  it("keeps the engine free of I/O and of the wall clock", () => {
    const engine = [...modules].filter(([file]) => file.startsWith("src/engine/"));
    expect(engine.length).toBeGreaterThan(20);
    const io = engine.flatMap(([file, { packages }]) =>
      packages.filter((p) => IO_PACKAGES.some((re) => re.test(p))).map((p) => `${file} → ${p}`),
    );
    expect(io).toEqual([]);
    // Engine code reaches no store, service, route or database module either.
    const reaches = engine.flatMap(([file, { files }]) =>
      files
        .filter((f) => /-(store|service|routes)\.ts$|^src\/(db|http)\//.test(f))
        .map((f) => `${file} → ${f}`),
    );
    expect(reaches).toEqual([]);
    const clock = /Date\.now\(\)|new Date\(\s*\)/;
    expect(engine.filter(([, { source }]) => clock.test(source)).map(([file]) => file)).toEqual([]);
  });
});

describe("the boundary checks themselves", () => {
  const module = (files: string[], source = ""): Module => ({ files, packages: [], source });

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
});
