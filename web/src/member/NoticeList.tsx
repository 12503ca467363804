import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { BeforeAfter } from "../common/BeforeAfter";
import { type Client, unwrap } from "../common/client";
import type { Notice } from "../common/types";
import { ErrorMessage } from "../common/ui";
import { useI18n } from "../i18n/i18n";
import { invalidate, memberKeys } from "./member-queries";

/** Notices about rule changes, newest first; unread ones stand out until marked read. */
export function NoticeList({ notices, client }: { notices: Notice[]; client: Client }) {
  const { t, tc, formatTime } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const queries = useQueryClient();
  if (notices.length === 0) return <p>{t("notices.empty")}</p>;
  const markRead = async (id: string) => {
    try {
      await unwrap(client.POST("/v1/me/notices/{noticeId}/read", { params: { path: { noticeId: id } } }));
      invalidate(queries, [memberKeys.notices]);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <ErrorMessage error={error} />
      <ul className="notices" data-testid="notices">
        {notices.map((notice) => (
          <li key={notice.id} className={notice.readAt ? "read" : "unread"}>
            <h3>
              {!notice.readAt && <span className="badge warn">{t("notices.new")}</span>} {notice.title}
            </h3>
            <p>{notice.message}</p>
            <BeforeAfter items={[...notice.explained.benefits, ...notice.explained.coupons]} />
            <p className="muted">
              {t("notices.appliesFrom", { at: formatTime(notice.appliesFrom) })} ·{" "}
              {tc("policy", notice.policy)}
            </p>
            {!notice.readAt && (
              <button type="button" className="secondary" onClick={() => markRead(notice.id)}>
                {t("notices.markRead")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
