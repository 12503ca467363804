import { useEffect, useState } from "react";
import type { Client } from "../../common/client";
import { Loaded } from "../../common/Loaded";
import { useI18n } from "../../i18n/i18n";
import { useMyTickets } from "../member-queries";
import { NewTicketForm } from "./NewTicketForm";
import { TicketPage } from "./TicketPage";
import type { TicketDraft, TicketSummary } from "./ticket-types";

/** `#support/new`, `#support/tkt_…` or the list (`#support`). */
function viewOfHash(): string {
  return window.location.hash.replace(/^#\/?/, "").split("/")[1] ?? "";
}

/** The member's tickets: the list, one ticket's conversation, or the new-ticket form. */
export function SupportPage({
  client,
  draft,
  benefits,
  benefitName,
}: {
  client: Client;
  draft: TicketDraft | null;
  benefits: string[];
  benefitName: (code: string) => string;
}) {
  const { t } = useI18n();
  const [view, setView] = useState(viewOfHash);
  useEffect(() => {
    const onHash = () => setView(viewOfHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  if (view === "new") {
    return (
      <>
        <a href="#support">{t("support.back")}</a>
        <NewTicketForm
          client={client}
          draft={draft}
          benefits={benefits}
          benefitName={benefitName}
          onOpened={(ticket) => {
            window.location.hash = `support/${ticket.ticketId}`;
          }}
        />
      </>
    );
  }
  if (view.startsWith("tkt_")) {
    return (
      <>
        <a href="#support">{t("support.back")}</a>
        <TicketPage client={client} ticketId={view} benefitName={benefitName} />
      </>
    );
  }
  return (
    <>
      <p>{t("support.intro")}</p>
      <p>
        <a href="#support/new" className="button" data-testid="new-ticket-link">
          {t("support.newTicket")}
        </a>
      </p>
      <TicketList client={client} benefitName={benefitName} />
    </>
  );
}

function TicketList({ client, benefitName }: { client: Client; benefitName: (code: string) => string }) {
  const { t } = useI18n();
  const tickets = useMyTickets(client);
  return (
    <Loaded query={tickets}>
      {(data) =>
        data.tickets.length === 0 ? (
          <p className="muted">{t("support.none")}</p>
        ) : (
          <ul className="tickets" data-testid="my-tickets">
            {data.tickets.map((ticket) => (
              <TicketRow key={ticket.ticketId} ticket={ticket} benefitName={benefitName} />
            ))}
          </ul>
        )
      }
    </Loaded>
  );
}

function TicketRow({
  ticket,
  benefitName,
}: {
  ticket: TicketSummary;
  benefitName: (code: string) => string;
}) {
  const { t, tc, formatTime } = useI18n();
  return (
    <li data-ticket={ticket.ticketId}>
      <a href={`#support/${ticket.ticketId}`}>
        {ticket.benefit ? benefitName(ticket.benefit) : t("support.general")}
      </a>{" "}
      <span className={`badge status-${ticket.status}`} data-testid="ticket-status">
        {tc("ticketStatus", ticket.status)}
      </span>
      <br />
      <span className="muted">{ticket.expected}</span>
      {ticket.nextTarget && (
        <p data-testid="next-target">
          {tc("support.target", ticket.nextTarget.target, { at: formatTime(ticket.nextTarget.dueAt) })}
        </p>
      )}
      {ticket.promisedBy && <p>{t("support.promise", { at: formatTime(ticket.promisedBy) })}</p>}
    </li>
  );
}
