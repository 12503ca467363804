/**
 * The instants the demo is seeded at in the any-day tests: where the calendar turns (month and year
 * ends, a leap day, DST changes for members in those zones), each labelled for the failure message.
 */
import { DateTime } from "luxon";

export interface DemoInstant {
  label: string;
  now: number;
  timeZone: string;
}

const SHANGHAI = "Asia/Shanghai";

function local(iso: string, zone: string, label: string): DemoInstant {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad instant ${iso}`);
  return { label: `${label} (${iso} ${zone})`, now: dt.toMillis(), timeZone: zone };
}

/**
 * For every month of 2027 in Shanghai: 23:59 on the last day of the month before, 00:00 and 00:30 on
 * the 1st, and 47 hours after the 1st began (the seed's "paid two days ago" is still last month).
 */
export function monthTurns(): DemoInstant[] {
  const out: DemoInstant[] = [];
  for (let month = 1; month <= 12; month++) {
    const first = DateTime.fromObject({ year: 2027, month, day: 1 }, { zone: SHANGHAI });
    const at = (dt: DateTime, label: string) =>
      out.push({ label: `${label} ${dt.toISO()}`, now: dt.toMillis(), timeZone: SHANGHAI });
    at(first.minus({ minutes: 1 }), "the last minute of the month before");
    at(first, "midnight on the 1st");
    at(first.plus({ minutes: 30 }), "00:30 on the 1st");
    at(first.plus({ hours: 47 }), "47 h after the 1st began");
  }
  return out;
}

/** A leap day, the year's turn, and the DST change days of New York and Berlin in those zones. */
export function calendarEdges(): DemoInstant[] {
  const out = [
    local("2028-02-29T00:00", SHANGHAI, "a leap day begins"),
    local("2028-02-29T12:00", SHANGHAI, "noon on a leap day"),
    local("2028-03-01T00:30", SHANGHAI, "the day after a leap day"),
    local("2027-12-31T23:59:59", SHANGHAI, "the last second of the year"),
    local("2028-01-01T00:00", SHANGHAI, "New Year"),
    local("2027-03-30T10:00", SHANGHAI, "30 March: no month bought on a day ends yesterday"),
    local("2027-03-31T23:00", SHANGHAI, "31 March"),
  ];
  // Spring forward (02:00 → 03:00) and fall back in each zone, and the two days after.
  const changes = [
    ["America/New_York", "2027-03-14"],
    ["America/New_York", "2027-11-07"],
    ["Europe/Berlin", "2027-03-28"],
    ["Europe/Berlin", "2027-10-31"],
  ];
  for (const [zone, day] of changes) {
    for (const [time, label] of [
      ["00:30", "before the DST change"],
      ["03:30", "after the DST change"],
      ["23:59", "the end of a DST change day"],
    ]) {
      out.push(local(`${day}T${time}`, zone, label));
    }
    const start = DateTime.fromISO(day, { zone });
    out.push({
      label: `47 h after a DST change day began, ${zone}`,
      now: start.plus({ hours: 47 }).toMillis(),
      timeZone: zone,
    });
  }
  return out;
}
