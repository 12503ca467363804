import { useI18n } from "../i18n/i18n";
import type { ExplainedChange } from "./types";

/** Each changed benefit, coupon or plan: the sentences that stopped being true, and those that now are. */
export function BeforeAfter({ items }: { items: ExplainedChange[] }) {
  const { t } = useI18n();
  return (
    <ul className="before-after">
      {items.map((item) => (
        <li key={item.code} data-changed={item.code}>
          <strong>{item.name}</strong>
          {item.before.length > 0 && (
            <p className="before">
              {t("plans.before")} {item.before.join(" · ")}
            </p>
          )}
          {item.after.length > 0 && (
            <p className="after">
              {t("plans.after")} {item.after.join(" · ")}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
