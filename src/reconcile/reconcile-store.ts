import { type Selectable, sql } from "kysely";
import type { ReconcileRunsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { DriftKind, Finding } from "./drift.js";

/** The tiers of the current catalog and their benefits: what grants an active membership must have. */
export type TierBenefits = Record<string, string[]>;

export type RunTrigger = "cli" | "http" | "job";

export interface KindCount {
  kind: DriftKind;
  found: number;
  repaired: number;
}

export interface ReconcileRunRecord {
  id: string;
  trigger: RunTrigger;
  fix: boolean;
  status: "running" | "finished" | "failed";
  startedAt: Date;
  finishedAt: Date | null;
  membersScanned: number;
  found: number;
  repaired: number;
  kinds: KindCount[];
  findings: (Finding & { repaired: boolean })[];
  error: string | null;
}

/** Detection queries over member-id ranges, and the record of runs. */
export interface ReconcileStore {
  /** How many members there are (the progress bar's total). */
  countMembers(): Promise<number>;
  /** The next chunk of member ids after `after` (exclusive), as its first and last id; null at the end. */
  nextChunk(
    after: string | null,
    size: number,
  ): Promise<{ first: string; last: string; count: number } | null>;
  /** Every drift of the members whose ids are in [first, last], in a single statement. */
  detect(first: string, last: string, now: Date, tiers: TierBenefits): Promise<Finding[]>;
  /** The membership a paid order created, when the order lost its link to it. */
  membershipOfOrder(orderId: string): Promise<string | null>;
  insertRun(run: ReconcileRunRecord): Promise<void>;
  finishRun(run: ReconcileRunRecord): Promise<void>;
  listRuns(limit: number): Promise<ReconcileRunRecord[]>;
}

interface FindingRow {
  kind: DriftKind;
  member_id: string;
  membership_id: string | null;
  order_id: string | null;
  ids: string[] | null;
}

type RunRow = Selectable<ReconcileRunsTable>;

function toRun(row: RunRow): ReconcileRunRecord {
  return {
    id: row.id,
    trigger: row.trigger as RunTrigger,
    fix: row.fix,
    status: row.status as ReconcileRunRecord["status"],
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    membersScanned: row.members_scanned,
    found: row.found,
    repaired: row.repaired,
    kinds: row.counts as KindCount[],
    findings: row.findings as ReconcileRunRecord["findings"],
    error: row.error,
  };
}

export function createReconcileStore(db: Executor): ReconcileStore {
  return {
    async countMembers() {
      const row = await db
        .selectFrom("members")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async nextChunk(after, size) {
      const { rows } = await sql<{ first: string | null; last: string | null; count: string }>`
        select min(id) as first, max(id) as last, count(*) as count from (
          select id from members where ${after === null ? sql`true` : sql`id > ${after}`}
          order by id limit ${size}) chunk`.execute(db);
      const row = rows[0];
      if (!row || row.first === null || row.last === null) return null;
      return { first: row.first, last: row.last, count: Number(row.count) };
    },
    async detect(first, last, now, tiers) {
      // One statement per chunk: each table is read once over the id range (index range scans), and
      // only findings come back. See docs/support.md, "Reconciliation", for each kind's definition.
      //
      // version_not_bumped compares transaction ids. Every write path changes grants or memberships
      // and bumps the member (members row, outbox, timeline) in one transaction, so a grant or
      // membership row whose writing transaction is newer than the member row's (smaller age(xmin))
      // was written without a bump — unless that transaction wrote a timeline entry for the member:
      // then it did bump, and the member row was rewritten since by a transaction whose id was
      // assigned earlier (a concurrent writer that queued on the member's lock). Checking the
      // timeline also keeps frozen or wrapped-around ids of very old rows from counting.
      const range = sql`between ${first} and ${last}`;
      const query = sql<FindingRow>`
        with
        tiers as (
          select t.key as tier_code, array(select jsonb_array_elements_text(t.value)) as benefits
          from jsonb_each(${JSON.stringify(tiers)}::jsonb) t),
        mem as materialized (select id, xmin as x from members where id ${range}),
        ms as materialized (
          select id, member_id, tier_code, status, coalesce(grace_ends_at, expires_at) as ends_at, xmin as x
          from memberships where member_id ${range}),
        g as materialized (
          select membership_id, member_id, benefit_code, xmin as x from grants where member_id ${range}),
        ord as materialized (
          select id, member_id, membership_id, status from orders where member_id ${range}),
        paid_of as (
          select membership_id, bool_or(status = 'paid') as any_paid, bool_or(status = 'refunded') as any_refunded
          from ord where membership_id is not null group by membership_id),
        -- What every live membership must hold, minus what it holds: one hash anti join.
        absent as (
          select ms.id, ms.member_id, b.code
          from ms join tiers t on t.tier_code = ms.tier_code cross join unnest(t.benefits) as b(code)
          where ms.status = 'active' and ms.ends_at > ${now}::timestamptz
            and not exists (select 1 from g where g.membership_id = ms.id and g.benefit_code = b.code)),
        absent_of as (
          select id, member_id, array_agg(code order by code) as codes from absent group by id, member_id),
        refunded as (
          select ms.id, ms.member_id from ms left join paid_of p on p.membership_id = ms.id
          where ms.status = 'revoked' or (ms.status = 'active' and p.any_refunded and not p.any_paid)),
        newer as materialized (
          select w.member_id, w.x
          from (select member_id, x from g union all select member_id, x from ms) w
          join mem on mem.id = w.member_id
          where age(w.x) < age(mem.x))
        select 'paid_without_membership' as kind, o.member_id, o.membership_id, o.id as order_id, null::text[] as ids
          from ord o left join ms on ms.id = o.membership_id
          where o.status = 'paid' and ms.id is null
        union all
        select 'payment_event_not_applied', o.member_id, null, o.id, array_agg(pe.webhook_id order by pe.webhook_id)
          from ord o join payment_events pe on pe.order_id = o.id
          where o.status = 'pending_payment' and pe.type = 'payment.succeeded' and pe.outcome = 'applied'
          group by o.member_id, o.id
        union all
        -- Drift is rare: each membership that lacks something is probed once on the grants index.
        select case when has.any then 'grant_missing' else 'membership_without_grants' end,
            a.member_id, a.id, null, case when has.any then a.codes end
          from absent_of a
          cross join lateral (select exists (select 1 from grants x where x.membership_id = a.id) as any) has
        union all
        select 'grant_after_refund', r.member_id, r.id, null, array_agg(x.id order by x.id)
          from refunded r join grants x on x.membership_id = r.id
          where x.status = 'active'
          group by r.member_id, r.id
        union all
        select 'version_not_bumped', n.member_id, null, null, null
          from newer n
          -- a sublink with LIMIT stays a per-row index probe: the timeline is never scanned whole
          where not exists (select 1 from timeline t where t.member_id = n.member_id and t.xmin = n.x limit 1)
          group by n.member_id
        order by 2, 1, 3, 4`;
      // Room for the chunk's hash tables in memory (a transaction of its own unless already in one).
      const run = async (trx: Executor) => {
        await sql`set local work_mem = '64MB'`.execute(trx);
        return (await query.execute(trx)).rows;
      };
      const rows = db.isTransaction ? await run(db) : await db.transaction().execute(run);
      return rows.map((r) => ({
        kind: r.kind,
        memberId: r.member_id,
        membershipId: r.membership_id,
        orderId: r.order_id,
        ids: r.ids,
      }));
    },
    async membershipOfOrder(orderId) {
      const row = await db
        .selectFrom("memberships")
        .select("id")
        .where("source_order_id", "=", orderId)
        .orderBy("created_at", "desc")
        .executeTakeFirst();
      return row?.id ?? null;
    },
    async insertRun(run) {
      await db
        .insertInto("reconcile_runs")
        .values({
          id: run.id,
          trigger: run.trigger,
          fix: run.fix,
          status: run.status,
          started_at: run.startedAt,
          finished_at: run.finishedAt,
          members_scanned: run.membersScanned,
          found: run.found,
          repaired: run.repaired,
          counts: JSON.stringify(run.kinds),
          findings: JSON.stringify(run.findings),
          error: run.error,
        })
        .execute();
    },
    async finishRun(run) {
      await db
        .updateTable("reconcile_runs")
        .set({
          status: run.status,
          finished_at: run.finishedAt,
          members_scanned: run.membersScanned,
          found: run.found,
          repaired: run.repaired,
          counts: JSON.stringify(run.kinds),
          findings: JSON.stringify(run.findings),
          error: run.error,
        })
        .where("id", "=", run.id)
        .execute();
    },
    async listRuns(limit) {
      const rows = await db
        .selectFrom("reconcile_runs")
        .selectAll()
        // Insertion order by the database's clock: the service's clock may be moved (tests).
        .orderBy("created_at", "desc")
        .limit(limit)
        .execute();
      return rows.map(toRun);
    },
  };
}
