import fc from "fast-check";
import { it } from "vitest";
import { calendarEdges } from "../../test/support/demo-instants.js";
import { describeDemoAt } from "../../test/support/demo-states.js";

/** The demo at a leap day, the turn of the year, DST changes (members in New York and Berlin), and random instants. */
describeDemoAt("the demo on any day: calendar edges and random instants", calendarEdges(), (seedAt) => {
  it("random instants from 2000 to 2099, in Shanghai, New York and Berlin", async () => {
    const instants = fc.date({
      min: new Date("2000-01-01T00:00:00Z"),
      max: new Date("2099-12-31T23:59:59Z"),
      noInvalidDate: true,
    });
    const zones = fc.constantFrom("Asia/Shanghai", "America/New_York", "Europe/Berlin");
    await fc.assert(
      fc.asyncProperty(instants, zones, (date, timeZone) => seedAt(date.getTime(), timeZone)),
      { numRuns: 8 },
    );
  }, 120_000);
});
