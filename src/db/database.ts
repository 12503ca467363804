import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.js";
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
  close(): Promise<void>;
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

const MAX_PREPARED_PER_CONNECTION = 500;
/** SQLSTATE 0A000 with this text: a table under a prepared `select *` changed shape (a migration). */
const STALE_PLAN = /cached plan must not change result type/;

/**
 * Runs parameterized queries as named prepared statements, so PostgreSQL parses and plans each
 * distinct statement once per connection rather than on every call (~20 % more payments/s). Our
 * SQL comes from a fixed set of query builders, so the texts are few; past the limit a connection
 * falls back to unnamed statements. A statement whose plan went stale through a migration run by
 * another node fails once, and is prepared anew under a fresh name the next time.
 */
function usePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const names = new Map<string, string>();
  let counter = 0;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text !== "string" || !Array.isArray(values) || values.length === 0 || callback !== undefined) {
      return query(text, values, callback);
    }
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED_PER_CONNECTION) {
      name = `pw_${counter++}`;
      names.set(text, name);
    }
    if (name === undefined) return query(text, values);
    return query({ name, text, values }).catch((error: Error) => {
      if (STALE_PLAN.test(error.message)) names.delete(text);
      throw error;
    });
  };
}

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
    if (options.preparedStatements !== false) pool.on("connect", usePreparedStatements);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: "postgres",
      url: options.url,
      schema: options.schema ?? "public",
      close: () => db.destroy(),
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
  return {
    db,
    kind: "pglite",
    url: null,
    schema: "public",
    async close() {
      await db.destroy();
      unlock();
    },
  };
}
