import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n";
import { ErrorMessage } from "./ui";

/**
 * A query's three states: loading (said, not blank), failed (the error in words, with a retry), or
 * its data. A refetch that fails keeps the data shown and says so above it.
 */
export function Loaded<T>({
  query,
  children,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  const retry = (
    <button type="button" className="secondary" onClick={() => void query.refetch()}>
      {t("common.retry")}
    </button>
  );
  if (query.data === undefined) {
    if (query.isError)
      return (
        <div data-testid="load-error">
          <ErrorMessage error={query.error} />
          {retry}
        </div>
      );
    return (
      <p aria-busy="true" data-testid="loading">
        {t("common.loading")}
      </p>
    );
  }
  return (
    <>
      {query.isError && (
        <div data-testid="load-error">
          <ErrorMessage error={query.error} />
          {retry}
        </div>
      )}
      {children(query.data)}
    </>
  );
}
