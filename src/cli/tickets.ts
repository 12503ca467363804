import { SYSTEM_ACTOR } from "../tickets/ticket-changes.js";
import type { TicketDeskService } from "../tickets/ticket-desk-service.js";
import { withApp } from "./open.js";

type TicketSummary = Awaited<ReturnType<TicketDeskService["queue"]>>["tickets"][number];

/** One line per ticket, soonest due first: id, state, priority, level, due time, assignee, member. */
export function describeTickets(tickets: TicketSummary[], breachedOnly: boolean): string {
  if (tickets.length === 0) return breachedOnly ? "no breached tickets" : "no tickets";
  const rows = [
    ["ticket", "status", "priority", "level", "due", "breached", "agent", "member"],
    ...tickets.map((t) => [
      t.ticketId,
      t.status,
      t.priority,
      String(t.level),
      t.dueAt ?? "-",
      t.breached ? "yes" : "no",
      t.assignee?.number ?? "-",
      t.memberId,
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd(),
  );
  return [`${tickets.length} ticket(s), soonest due first`, ...lines].join("\n");
}

/** `perkwise tickets [--breached] [--json]`: the open queue (every page), as the console shows it. */
export async function ticketsCommand(options: { breached: boolean; json: boolean }) {
  const tickets = await withApp(async (app) => {
    const all: TicketSummary[] = [];
    for (const status of ["open", "waiting_on_member"] as const) {
      let cursor: string | undefined;
      do {
        const page = await app.ticketDesk.queue(
          { status, breached: options.breached ? true : undefined, limit: 200, cursor },
          SYSTEM_ACTOR,
        );
        all.push(...page.tickets);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    }
    // Both states in one order: soonest due first, tickets with no running clock last.
    return all.sort(
      (a, b) => (a.dueAt ?? "~").localeCompare(b.dueAt ?? "~") || a.ticketId.localeCompare(b.ticketId),
    );
  });
  console.log(
    options.json ? JSON.stringify({ tickets }, null, 2) : describeTickets(tickets, options.breached),
  );
  return 0;
}
