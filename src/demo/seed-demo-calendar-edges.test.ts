import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import { calendarEdges } from "../../test/support/demo-instants.js";
import { expectDemoStates } from "../../test/support/demo-states.js";
import { reseedDemo } from "../../test/support/seeded-demo-app.js";
import { type DatabaseHandle, openDatabase } from "../db/database.js";

/** The demo at a leap day, the turn of the year, DST changes (members in New York and Berlin), and random instants. */
describe("the demo on any day: calendar edges and random instants", () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openDatabase({ memory: true });
  });
  afterAll(() => database.close());

  for (const instant of calendarEdges()) {
    it(instant.label, async () => {
      const app = await reseedDemo(database, instant.now, instant.timeZone);
      await expectDemoStates(app, instant.now, instant.timeZone);
    });
  }

  it("random instants from 2000 to 2099, in Shanghai, New York and Berlin", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2099-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        fc.constantFrom("Asia/Shanghai", "America/New_York", "Europe/Berlin"),
        async (date, timeZone) => {
          const app = await reseedDemo(database, date.getTime(), timeZone);
          await expectDemoStates(app, date.getTime(), timeZone);
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});
