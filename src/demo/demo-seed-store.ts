/** The demo feature's one table: whether the demo seed of this database started, and finished. */
import type { Db } from "../db/database.js";

export interface DemoSeedRecord {
  /** The instant the seeded times are relative to. */
  seededFor: Date;
  startedAt: Date;
  completedAt: Date | null;
}

export interface DemoSeedStore {
  get(): Promise<DemoSeedRecord | null>;
  /**
   * Written before the first seeded row, in a transaction of its own: a seed that dies leaves it.
   * False when another seed wrote it first.
   */
  start(seededFor: number): Promise<boolean>;
  complete(): Promise<void>;
}

const ID = "demo";

export function createDemoSeedStore(db: Db): DemoSeedStore {
  return {
    async get() {
      const row = await db.selectFrom("demo_seed").selectAll().where("id", "=", ID).executeTakeFirst();
      return row
        ? { seededFor: row.seeded_for, startedAt: row.started_at, completedAt: row.completed_at }
        : null;
    },
    async start(seededFor) {
      const inserted = await db
        .insertInto("demo_seed")
        .values({ id: ID, seeded_for: new Date(seededFor) })
        .onConflict((c) => c.column("id").doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async complete() {
      await db.updateTable("demo_seed").set({ completed_at: new Date() }).where("id", "=", ID).execute();
    },
  };
}
