import { afterAll, beforeAll, describe, it } from "vitest";
import { monthTurns } from "../../test/support/demo-instants.js";
import { expectDemoStates } from "../../test/support/demo-states.js";
import { reseedDemo } from "../../test/support/seeded-demo-app.js";
import { type DatabaseHandle, openDatabase } from "../db/database.js";

/**
 * The demo seeds, and shows every member in its state, at every turn of the month (Asia/Shanghai):
 * `npm start` once failed on the 1st and 2nd of each month while every test seeded at one instant.
 */
describe("the demo on any day: the turn of every month", () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openDatabase({ memory: true });
  });
  afterAll(() => database.close());

  for (const instant of monthTurns()) {
    it(instant.label, async () => {
      const app = await reseedDemo(database, instant.now, instant.timeZone);
      await expectDemoStates(app, instant.now, instant.timeZone);
    });
  }
});
