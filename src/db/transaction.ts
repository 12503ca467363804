import type { Kysely, Transaction } from "kysely";
import type { Db } from "./database.js";
import type { Database } from "./schema.js";

/** A connection or an open transaction: stores accept either, so services choose the boundary. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Runs `work` in one transaction: all of it commits, or none of it. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
