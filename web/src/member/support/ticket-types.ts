/** Names for the support desk's answers, derived from the generated OpenAPI types. */
import type { Answer } from "../../common/api-types";

export type MemberTicket = Answer<"/v1/me/tickets/{ticketId}", "get">;
export type TicketSummary = Answer<"/v1/me/tickets", "get">["tickets"][number];
export type TicketMessage = MemberTicket["messages"][number];
export type Escalation = Answer<"/v1/me/tickets/{ticketId}/escalate", "post">;

/** What "contact support" from a diagnosis carries into the new-ticket form. */
export interface TicketDraft {
  benefit: string;
  orderId: string | null;
  /** The diagnosis the member just read, in their language: the "what happened" to start from. */
  diagnosisText: string;
}

/** The file types the API takes (it checks the bytes; this only narrows the picker). */
export const ATTACHMENT_TYPES = "image/png,image/jpeg,image/webp,application/pdf";
export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** A file as the API's `{filename, content}`: its bytes in base64. */
export function readAttachment(file: File): Promise<{ filename: string; content: string }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error);
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ filename: file.name, content: url.slice(url.indexOf(",") + 1) });
    };
    reader.readAsDataURL(file);
  });
}

/**
 * A `datetime-local` value ("2026-11-24T09:30") read as a wall-clock time in `zone` (the member's,
 * not the browser's), as an ISO instant. The zone's offset is read at the guessed instant and once
 * more at the corrected one, so a time beside a DST change lands on the right side.
 */
export function zonedToIso(local: string, zone: string | null): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return null;
  const [y, mo, d, h, mi] = match.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (!zone) return new Date(y, mo - 1, d, h, mi).toISOString();
  const first = wall - offsetAt(wall, zone);
  return new Date(wall - offsetAt(first, zone)).toISOString();
}

function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute")) -
    Math.floor(instant / 60_000) * 60_000
  );
}

/** Now as a `datetime-local` value in `zone`: the form's default "when did it happen". */
export function nowInZone(zone: string | null, now = Date.now()): string {
  const shifted = new Date(now + (zone ? offsetAt(now, zone) : -new Date(now).getTimezoneOffset() * 60_000));
  return shifted.toISOString().slice(0, 16);
}

/** Escalation is the member's once a target or the promise was missed (the API decides; 409 else). */
export function mayEscalate(ticket: MemberTicket, now = Date.now()): boolean {
  if (ticket.level >= 3 || ticket.status === "closed" || ticket.status === "resolved") return false;
  const past = (iso: string | null | undefined) => iso != null && Date.parse(iso) < now;
  return ticket.breached || past(ticket.nextTarget?.dueAt) || past(ticket.promisedBy);
}
