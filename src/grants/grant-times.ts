import type { CompiledBenefit } from "../catalog/catalog-types.js";
import { addIsoDuration, startOfNextDay } from "../time/durations.js";

/** When a grant of `benefit` takes effect for a membership starting at `startsAt` (member's time zone). */
export function grantEffectiveFrom(benefit: CompiledBenefit, startsAt: number, timeZone: string): number {
  const delay = benefit.effective;
  switch (delay.type) {
    case "immediate":
      return startsAt;
    case "next_day":
      return startOfNextDay(startsAt, timeZone);
    case "duration":
      return addIsoDuration(startsAt, delay.iso, timeZone);
  }
}
