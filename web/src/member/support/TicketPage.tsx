import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Client, unwrap } from "../../common/client";
import { Loaded } from "../../common/Loaded";
import { ErrorMessage } from "../../common/ui";
import { useI18n } from "../../i18n/i18n";
import { memberKeys, useMyTicket } from "../member-queries";
import { EscalateForm, RatingForm, ReplyForm } from "./TicketForms";
import { type Escalation, type MemberTicket, mayEscalate, type TicketMessage } from "./ticket-types";

/** One ticket: its state, the next target, the promise, the conversation and what the member may do. */
export function TicketPage({
  client,
  ticketId,
  benefitName,
}: {
  client: Client;
  ticketId: string;
  benefitName: (code: string) => string;
}) {
  const ticket = useMyTicket(client, ticketId);
  return (
    <Loaded query={ticket}>
      {(data) => <TicketView client={client} ticket={data} benefitName={benefitName} />}
    </Loaded>
  );
}

/** Sends one action and refreshes the ticket and the list; the error stays in place. */
function useTicketAction(ticketId: string) {
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async <T,>(action: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    try {
      const answer = await action();
      setError(null);
      void queries.invalidateQueries({ queryKey: memberKeys.tickets });
      void queries.invalidateQueries({ queryKey: [...memberKeys.tickets, ticketId] });
      return answer;
    } catch (caught) {
      setError(caught);
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function TicketView({
  client,
  ticket,
  benefitName,
}: {
  client: Client;
  ticket: MemberTicket;
  benefitName: (code: string) => string;
}) {
  const { t, tc, formatTime } = useI18n();
  const path = { ticketId: ticket.ticketId };
  const { error, busy, run } = useTicketAction(ticket.ticketId);
  const [escalation, setEscalation] = useState<Escalation | null>(null);
  const finished = ticket.status === "resolved" || ticket.status === "closed";
  return (
    <article className="ticket" data-testid="ticket" data-ticket={ticket.ticketId}>
      <h3>
        {ticket.benefit ? benefitName(ticket.benefit) : t("support.general")}{" "}
        <span className={`badge status-${ticket.status}`} data-testid="ticket-status">
          {tc("ticketStatus", ticket.status)}
        </span>
      </h3>
      <dl className="facts">
        <dt>{t("support.ticketId")}</dt>
        <dd translate="no">{ticket.ticketId}</dd>
        {ticket.orderId && (
          <>
            <dt>{t("support.order")}</dt>
            <dd translate="no">{ticket.orderId}</dd>
          </>
        )}
        <dt>{t("support.expected")}</dt>
        <dd>{ticket.expected}</dd>
        {ticket.where && (
          <>
            <dt>{t("support.where")}</dt>
            <dd>{ticket.where}</dd>
          </>
        )}
        {ticket.occurredAt && (
          <>
            <dt>{t("support.when")}</dt>
            <dd>{formatTime(ticket.occurredAt)}</dd>
          </>
        )}
        <dt>{t("support.level")}</dt>
        <dd>{t("support.levelN", { level: ticket.level })}</dd>
        {ticket.assignee && (
          <>
            <dt>{t("support.assignee")}</dt>
            <dd data-testid="assignee">{agentName(t, ticket.assignee)}</dd>
          </>
        )}
      </dl>
      {ticket.nextTarget && (
        <p data-testid="next-target">
          {tc("support.target", ticket.nextTarget.target, { at: formatTime(ticket.nextTarget.dueAt) })}
        </p>
      )}
      {ticket.promisedBy && (
        <p data-testid="promise">{t("support.promise", { at: formatTime(ticket.promisedBy) })}</p>
      )}
      {ticket.resolution && (
        <p data-testid="resolution">
          <strong>{t("support.resolution")}</strong> {ticket.resolution}
        </p>
      )}
      <h4>{t("support.conversation")}</h4>
      <ol className="conversation" data-testid="conversation">
        {ticket.messages.map((message) => (
          <Message key={message.messageId} message={message} ticketId={ticket.ticketId} client={client} />
        ))}
      </ol>
      <ErrorMessage error={error} />
      {escalation && (
        <p role="status" data-testid="escalation">
          {t("support.escalated", { level: escalation.level })}{" "}
          {escalation.nextTarget &&
            tc("support.target", escalation.nextTarget.target, {
              at: formatTime(escalation.nextTarget.dueAt),
            })}{" "}
          {escalation.agent && t("support.handledBy", { agent: agentName(t, escalation.agent) })}
        </p>
      )}
      {ticket.status !== "closed" && (
        <ReplyForm
          busy={busy}
          label={finished ? t("support.reopen") : t("support.reply")}
          onSend={(text, attachments) =>
            run(() =>
              unwrap(
                client.POST("/v1/me/tickets/{ticketId}/replies", {
                  params: { path },
                  body: { text, ...(attachments.length > 0 ? { attachments } : {}) },
                }),
              ),
            )
          }
        />
      )}
      {ticket.status === "resolved" && (
        <p>
          <button
            type="button"
            disabled={busy}
            data-testid="confirm"
            onClick={() =>
              run(() => unwrap(client.POST("/v1/me/tickets/{ticketId}/confirm", { params: { path } })))
            }
          >
            {t("support.confirm")}
          </button>
        </p>
      )}
      {mayEscalate(ticket) && (
        <EscalateForm
          busy={busy}
          onSend={async (reason) => {
            const answer = await run(() =>
              unwrap(
                client.POST("/v1/me/tickets/{ticketId}/escalate", { params: { path }, body: { reason } }),
              ),
            );
            if (answer) setEscalation(answer);
          }}
        />
      )}
      {finished && !ticket.rating && (
        <RatingForm
          busy={busy}
          onSend={(score, comment) =>
            run(() =>
              unwrap(
                client.POST("/v1/me/tickets/{ticketId}/rating", {
                  params: { path },
                  body: { score, ...(comment ? { comment } : {}) },
                }),
              ),
            )
          }
        />
      )}
      {ticket.rating && <p data-testid="rating">{t("support.rated", { score: ticket.rating.score })}</p>}
    </article>
  );
}

type T = ReturnType<typeof useI18n>["t"];

function agentName(t: T, agent: { number: string; displayName: string | null }): string {
  return agent.displayName
    ? t("support.agentNamed", { number: agent.number, name: agent.displayName })
    : t("support.agent", { number: agent.number });
}

function Message({
  message,
  ticketId,
  client,
}: {
  message: TicketMessage;
  ticketId: string;
  client: Client;
}) {
  const { t, formatTime } = useI18n();
  const who =
    message.author === "member"
      ? t("support.you")
      : message.author === "system"
        ? t("support.system")
        : message.agent
          ? agentName(t, message.agent)
          : t("support.desk");
  return (
    <li className={`message message-${message.author}`} data-author={message.author}>
      <p className="muted">
        <span data-testid="message-author">{who}</span> · {formatTime(message.at)}
      </p>
      <p className="pre-line">{message.text}</p>
      {message.attachments.length > 0 && (
        <ul>
          {message.attachments.map((a) => (
            <li key={a.attachmentId}>
              <button type="button" translate="no" onClick={() => void download(client, ticketId, a)}>
                {a.filename}
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** An attachment is behind the bearer token, so it is fetched and handed to the browser as a file. */
async function download(client: Client, ticketId: string, a: { attachmentId: string; filename: string }) {
  const { data, response } = await client.GET("/v1/me/tickets/{ticketId}/attachments/{attachmentId}", {
    params: { path: { ticketId, attachmentId: a.attachmentId } },
    parseAs: "blob",
  });
  if (!response.ok || !data) return;
  const url = URL.createObjectURL(data as Blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = a.filename;
  link.click();
  URL.revokeObjectURL(url);
}
