import { sql } from "kysely";

/**
 * A membership (alias `ms`) that still gives benefits at `now`: active, or future, or in grace. The
 * activation job's chunks, the notice fan-out and the counts of a change's reach all select by it.
 */
export const liveMembership = (now: Date) =>
  sql`ms.status = 'active' and coalesce(ms.grace_ends_at, ms.expires_at) > ${now}`;
