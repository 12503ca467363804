/**
 * The import graph of src/ and the boundary checks over it (src/architecture.test.ts runs them on
 * src/ and on made-up graphs). Each check returns what it rejects, as `from → to` lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Static imports and re-exports (type-only ones included) and dynamic imports. */
export const IMPORT = /(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

export interface Module {
  /** Source files it imports, relative to the repository. */
  files: string[];
  /** Packages and node: modules it imports. */
  packages: string[];
  source: string;
}

/** Every non-test source file under src/, with what it imports. */
export function sourceModules(): Map<string, Module> {
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
export function importCycles(modules: Map<string, Module>): string[][] {
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
export const featureOf = (file: string) => {
  const parts = file.split("/");
  return parts.length > 2 ? parts[1] : null;
};
export const isStore = (file: string) => /-store\.ts$/.test(file);
export const isRoute = (file: string) => /-routes\.ts$/.test(file);
export const isService = (file: string) => /-service\.ts$/.test(file);

/** `from → to` for every import of `modules` that `forbidden` rejects. */
export function violations(
  modules: Map<string, Module>,
  forbidden: (from: string, to: string) => boolean,
): string[] {
  const found: string[] = [];
  for (const [from, { files }] of modules) {
    for (const to of files) if (forbidden(from, to)) found.push(`${from} → ${to}`);
  }
  return found;
}

export const routeStoreImports = (modules: Map<string, Module>) =>
  violations(modules, (from, to) => isRoute(from) && isStore(to));

/** Route modules reaching the whole `App` (app.ts, or its type in app-types.ts) instead of services. */
export const routeAppImports = (modules: Map<string, Module>) =>
  violations(modules, (from, to) => isRoute(from) && (to === "src/app.ts" || to === "src/app-types.ts"));

/** Stores and services (`kind`) importing a store of another feature. */
export const crossFeatureStoreImports = (modules: Map<string, Module>, kind: (file: string) => boolean) =>
  violations(modules, (from, to) => kind(from) && isStore(to) && featureOf(from) !== featureOf(to));

export const IO_PACKAGES = [
  /^node:(fs|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)(\/|$)/,
  /^(fs|net|http|https|child_process)$/,
  /^(kysely|pg|@electric-sql\/pglite|fastify|@fastify\/.*|pino|undici)$/,
];
export const WALL_CLOCK = /Date\.now\(\)|new Date\(\s*\)/;

/** What makes engine code impure: I/O packages, stateful modules, the wall clock. */
export function engineImpurities(modules: Map<string, Module>): string[] {
  const engine = [...modules].filter(([file]) => file.startsWith("src/engine/"));
  return engine.flatMap(([file, { files, packages, source }]) => [
    ...packages.filter((p) => IO_PACKAGES.some((re) => re.test(p))).map((p) => `${file} → ${p}`),
    // Engine code reaches no store, service, route or database module either.
    ...files
      .filter((f) => /-(store|service|routes)\.ts$|^src\/(db|http)\//.test(f))
      .map((f) => `${file} → ${f}`),
    ...(WALL_CLOCK.test(withoutComments(source)) ? [`${file}: the wall clock`] : []),
  ]);
}

export const withoutComments = (source: string) =>
  source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");

/** The names a module imports from db/stores.ts. */
export function storesImports(source: string): string[] {
  const clause = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"[^"]*db\/stores\.js"/g;
  return [...source.matchAll(clause)].flatMap((m) =>
    m[1]
      .split(",")
      .map((name) => name.replace(/^\s*type\s+/, "").trim())
      .filter((name) => name !== ""),
  );
}

/** How each bundle type of db/stores.ts may be named: picked, never whole. */
export const PICKED: Record<string, RegExp> = {
  DataAccess: /\bPick<DataAccess,/g,
  Stores: /\bPick<Stores,|\bStores\[/g,
  Transact: /\bTransact</g,
};
/** Where the whole bundle is made and handed out: the database wiring and the app. */
export const isWiring = (file: string) =>
  file.startsWith("src/db/") || file === "src/app.ts" || file === "src/app-types.ts";
export const isFeatureFactory = (file: string) => /-feature\.ts$/.test(file);

/**
 * Modules outside the wiring naming a whole bundle of stores: `DataAccess` (every store and the
 * transaction), `Stores` or `Transact` unpicked, or a value of db/stores.ts. A service never names
 * `DataAccess` at all (it is given stores and a `transaction`); a feature factory may pick from it.
 */
export function wholeBundles(modules: Map<string, Module>, allowed: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const [file, { source }] of modules) {
    if (isWiring(file) || allowed.has(file)) continue;
    const code = withoutComments(source).replace(/import[^;]*from\s+"[^"]*db\/stores\.js";/g, "");
    for (const name of storesImports(source)) {
      const picked = PICKED[name];
      if (picked === undefined) found.push(`${file} imports ${name}`);
      else if (name === "DataAccess" && !isFeatureFactory(file)) found.push(`${file} names DataAccess`);
      else if (new RegExp(`\\b${name}\\b`).test(code.replace(picked, "")))
        found.push(`${file} names ${name} whole`);
    }
  }
  return found;
}

/** Each key of `Stores` (db/stores.ts) with the feature its store belongs to. */
export function storeFeatures(modules: Map<string, Module>): Map<string, string> {
  const source = modules.get("src/db/stores.ts")?.source ?? "";
  const featureOfType = new Map<string, string>();
  for (const m of source.matchAll(/import\s+\{([^}]*)\}\s+from\s+"\.\.\/([\w-]+)\/[\w-]+-store\.js"/g)) {
    for (const name of m[1].split(",")) featureOfType.set(name.replace(/^\s*type\s+/, "").trim(), m[2]);
  }
  const keys = new Map<string, string>();
  const body = source.slice(source.indexOf("export interface Stores"));
  for (const m of body.slice(0, body.indexOf("}")).matchAll(/^\s+(\w+): (\w+);$/gm)) {
    const feature = featureOfType.get(m[2]);
    if (feature !== undefined) keys.set(m[1], feature);
  }
  return keys;
}

/** The outbox and the durable job queue are written in every feature's transaction, by design. */
export const SHARED_STORES = new Set(["outbox", "jobs"]);

/** Services picking (`Pick<Stores, "x">`, `Stores["x"]`) another feature's store, unless `reads` allows it. */
export function crossFeaturePicks(
  modules: Map<string, Module>,
  features: Map<string, string>,
  reads: Readonly<Record<string, string[]>>,
): string[] {
  const found: string[] = [];
  for (const [file, { source }] of modules) {
    if (!isService(file)) continue;
    const code = withoutComments(source);
    const keys = [
      ...[...code.matchAll(/\bPick<Stores,([^>]*)>/g)].flatMap((m) =>
        [...m[1].matchAll(/"(\w+)"/g)].map((k) => k[1]),
      ),
      ...[...code.matchAll(/\bStores\["(\w+)"\]/g)].map((m) => m[1]),
    ];
    for (const key of new Set(keys)) {
      const owner = features.get(key);
      if (owner === undefined || owner === featureOf(file) || SHARED_STORES.has(key)) continue;
      if (!reads[file]?.includes(key)) found.push(`${file} → ${key} (${owner}/)`);
    }
  }
  return found;
}

/** A store method that only reads (or locks) rows, by its name; any other method may write. */
const READ_METHOD =
  /^(get|list|load|find|lock|count|next|detect|has|is|read|search|stats|paidFor|membershipsOf|membershipOf)/;

/**
 * Calls that change another feature's rows through a write scope (`scope.stores.orders.markPaid(…)`):
 * the transaction hands every store to its work, so the types cannot stop it, and this check does.
 * Any method not named as a read counts as a write. Returns `file → store.method (owner/)`, unless
 * `allowed[file]` lists the store.
 */
export function crossFeatureWrites(
  modules: Map<string, Module>,
  features: Map<string, string>,
  allowed: Readonly<Record<string, string[]>>,
): string[] {
  const found = new Set<string>();
  for (const [file, { source }] of modules) {
    if (isWiring(file)) continue;
    for (const [, key, method] of withoutComments(source).matchAll(/\bstores\.(\w+)\.(\w+)\(/g)) {
      const owner = features.get(key);
      if (owner === undefined || owner === featureOf(file) || SHARED_STORES.has(key)) continue;
      if (!READ_METHOD.test(method) && !allowed[file]?.includes(key))
        found.add(`${file} → ${key}.${method} (${owner}/)`);
    }
  }
  return [...found];
}

/** The tables a store's SQL writes: Kysely's insertInto/updateTable/deleteFrom and raw `insert into`, `update`, `delete from`. */
export function tablesWritten(source: string): string[] {
  const code = withoutComments(source);
  const tables = [
    ...[...code.matchAll(/\b(?:insertInto|updateTable|deleteFrom)\(\s*"(\w+)"/g)].map((m) => m[1]),
    ...[...code.matchAll(/\b(?:insert\s+into|update|delete\s+from)\s+"?(\w+)"?[\s(]/gi)].map((m) => m[1]),
  ];
  return [...new Set(tables)];
}

/**
 * Stores writing a table another feature owns (`owners`: table → feature), unless `allowed[file]`
 * lists the table. Words SQL uses after `update` (`set`, `skip` of `skip locked`) are not tables.
 */
export function crossFeatureTableWrites(
  modules: Map<string, Module>,
  owners: Readonly<Record<string, string>>,
  allowed: Readonly<Record<string, string[]>>,
): string[] {
  const found: string[] = [];
  for (const [file, { source }] of modules) {
    if (!isStore(file)) continue;
    for (const table of tablesWritten(source)) {
      const owner = owners[table];
      if (owner === undefined || owner === featureOf(file) || allowed[file]?.includes(table)) continue;
      found.push(`${file} → ${table} (${owner}/)`);
    }
  }
  return found;
}
