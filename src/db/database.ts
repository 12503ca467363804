import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.js";
import { corkQueries, enablePreparedStatements } from "./pg-client-tuning.js";
import type { Database } from "./schema.js";

export type Db = Kysely<Database>;
export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  /** The PostgreSQL URL, for features that need their own connection (LISTEN); null on PGlite. */
  url: string | null;
  /** The schema that holds our tables (and the migration bookkeeping). */
  schema: string;
  /** The embedded engine (PGlite only): its LISTEN/NOTIFY carries the cluster bus in process. */
  pglite?: PGlite;
  /** Runs `hook` at the start of `close()` (e.g. the cluster bus's LISTEN connection goes first). */
  onClose(hook: () => Promise<void>): void;
  close(): Promise<void>;
}

/** Close hooks, run in order before the database itself closes. */
function closeHooks() {
  const hooks: (() => Promise<void>)[] = [];
  return {
    onClose: (hook: () => Promise<void>) => void hooks.push(hook),
    run: async () => {
      for (const hook of hooks.splice(0)) await hook();
    },
  };
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, the embedded PGlite engine is used. */
  url?: string;
  /** PGlite data directory; ignored with `memory` or `url`. */
  dataDir?: string;
  /** PGlite in memory: a throwaway database. */
  memory?: boolean;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  schema?: string;
  poolSize?: number;
  /** Named prepared statements on PostgreSQL (default on); off behind a transaction-mode pooler. */
  preparedStatements?: boolean;
}

// int8 and numeric come back as strings by default; our int8 values (counts, serial ids) fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Opens PostgreSQL when a URL is given, else the embedded PGlite (persistent or in memory). */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
    });
    // An idle client's error (server restart) must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    pool.on("connect", (client) => {
      corkQueries(client);
      if (options.preparedStatements !== false) enablePreparedStatements(client);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const hooks = closeHooks();
    return {
      db,
      kind: "postgres",
      url: options.url,
      schema: options.schema ?? "public",
      onClose: hooks.onClose,
      async close() {
        await hooks.run();
        await db.destroy();
      },
    };
  }
  let client: PGlite;
  let unlock = () => {};
  if (options.memory || !options.dataDir) {
    client = new PGlite();
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    unlock = lockDataDir(options.dataDir);
    client = new PGlite(options.dataDir);
  }
  try {
    await client.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  const hooks = closeHooks();
  return {
    db,
    kind: "pglite",
    url: null,
    schema: "public",
    pglite: client,
    onClose: hooks.onClose,
    async close() {
      await hooks.run();
      await db.destroy();
      unlock();
    },
  };
}
