import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import type { Answer } from "../common/api-types";
import { type Client, unwrap } from "../common/client";
import { Loaded } from "../common/Loaded";
import { Section } from "../common/ui";
import { useI18n } from "../i18n/i18n";

type QueueTicket = Answer<"/v1/tickets", "get">["tickets"][number];

/** The live timers tick this often; the queue itself is read again every 30 s. */
const TICK_MS = 15_000;

/** The support queue: soonest due first (the API's order), each ticket's due time, countdown and breach. */
export function SupportQueue({ client }: { client: Client }) {
  const { t } = useI18n();
  const [breachedOnly, setBreachedOnly] = useState(false);
  const id = useId();
  const queue = useInfiniteQuery({
    queryKey: ["tickets", "queue", breachedOnly],
    queryFn: ({ pageParam }) =>
      unwrap(
        client.GET("/v1/tickets", {
          params: {
            query: {
              sort: "due",
              limit: 50,
              ...(breachedOnly ? { breached: true } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <Section id="support" title={t("queue.title")}>
      <div className="field checkbox">
        <input
          id={id}
          type="checkbox"
          checked={breachedOnly}
          onChange={(e) => setBreachedOnly(e.target.checked)}
        />
        <label htmlFor={id}>{t("queue.breachedOnly")}</label>
      </div>
      <Loaded query={queue}>
        {(data) => {
          const tickets = data.pages.flatMap((page) => page.tickets);
          return tickets.length === 0 ? (
            <p className="muted">{t("queue.empty")}</p>
          ) : (
            <div className="table-scroll">
              <table data-testid="ticket-queue">
                <thead>
                  <tr>
                    <th scope="col">{t("queue.due")}</th>
                    <th scope="col">{t("queue.ticket")}</th>
                    <th scope="col">{t("queue.member")}</th>
                    <th scope="col">{t("queue.status")}</th>
                    <th scope="col">{t("queue.priority")}</th>
                    <th scope="col">{t("queue.level")}</th>
                    <th scope="col">{t("queue.assignee")}</th>
                  </tr>
                </thead>
                <tbody>
                  {tickets.map((ticket) => (
                    <QueueRow key={ticket.ticketId} ticket={ticket} now={now} />
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Loaded>
      {queue.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={queue.isFetchingNextPage}
          onClick={() => void queue.fetchNextPage()}
        >
          {t("queue.more")}
        </button>
      )}
    </Section>
  );
}

function QueueRow({ ticket, now }: { ticket: QueueTicket; now: number }) {
  const { t, tc, formatTime, formatAge } = useI18n();
  const due = ticket.dueAt ? Date.parse(ticket.dueAt) : null;
  const overdue = due !== null && due < now;
  return (
    <tr data-ticket={ticket.ticketId} data-testid="queue-row" data-due={ticket.dueAt ?? ""}>
      <td data-testid="queue-due">
        {ticket.dueAt ? formatTime(ticket.dueAt) : "—"}
        {ticket.dueAt && (
          <>
            <br />
            <span className="muted">{formatAge(ticket.dueAt, now)}</span>
          </>
        )}{" "}
        {(ticket.breached || overdue) && (
          <span className="badge state-expired" data-testid="breach-badge">
            {t("queue.breached")}
          </span>
        )}
      </td>
      <td translate="no">
        <code>{ticket.ticketId}</code>
      </td>
      <td>
        <a href={`#members/${encodeURIComponent(ticket.memberId)}`} translate="no">
          {ticket.memberId}
        </a>
      </td>
      <td>{tc("queueStatus", ticket.status)}</td>
      <td>{tc("queuePriority", ticket.priority)}</td>
      <td>{ticket.level}</td>
      <td translate="no">{ticket.assignee?.number ?? "—"}</td>
    </tr>
  );
}
