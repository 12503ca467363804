import path from "node:path";
import { type App, startApp } from "../app.js";
import { systemClock } from "../clock.js";
import { type Config, loadConfig } from "../config.js";
import { type DatabaseHandle, openDatabase } from "../db/database.js";
import { migrateToLatest } from "../db/migrate.js";

/** Opens the configured database (PostgreSQL with DATABASE_URL, else PGlite under the data dir) and migrates it. */
export async function openConfigured(flags: { memory?: boolean; port?: number } = {}) {
  const config: Config = loadConfig(process.env, flags);
  const database: DatabaseHandle = await openDatabase({
    url: config.databaseUrl,
    dataDir: path.join(config.dataDir, "data"),
    memory: config.memory,
    preparedStatements: config.preparedStatements,
  });
  const applied = await migrateToLatest(database);
  return { config, database, applied };
}

/** Runs a one-off command against the configured database with the app wired, then closes it. */
export async function withApp<T>(work: (app: App) => Promise<T>): Promise<T> {
  const { config, database } = await openConfigured();
  try {
    const app = await startApp({
      database,
      clock: systemClock,
      adminKey: config.adminKey,
      paymentSecret: config.paymentSecret,
      // A one-shot command: a serving node numbers its events (on start, and by its poll).
      events: { dispatchOnCommit: false },
    });
    try {
      return await work(app);
    } finally {
      // A decision that met drift asked for a repair: stop() lets that request reach the database first.
      await app.stop();
    }
  } finally {
    await database.close();
  }
}
