import { type Static, Type } from "@sinclair/typebox";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { StatsService } from "./stats-service.js";
import { STATS_BUCKETS } from "./stats-service.js";

const StatsQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ maxLength: 64, description: "ISO time with an offset; default `to` minus 24 hours" }),
    ),
    to: Type.Optional(
      Type.String({
        maxLength: 64,
        description: "ISO time with an offset; default the end of the current minute",
      }),
    ),
    bucket: Type.Optional(
      Type.Union(
        Object.keys(STATS_BUCKETS).map((b) => Type.Literal(b)),
        { description: "width of the decision buckets; default the smallest giving at most 300 buckets" },
      ),
    ),
  },
  { additionalProperties: false },
);
export type StatsQueryInput = Static<typeof StatsQuery>;

const Count = Type.Integer({ minimum: 0 });
const Ms = Type.Union([Type.Number(), Type.Null()]);

const StatsResponse = Type.Object({
  from: Type.String({ format: "date-time" }),
  to: Type.String({ format: "date-time" }),
  bucket: Type.String(),
  decisions: Type.Object({
    scope: Type.Literal("node", {
      description: "counted by the node that answered, in memory; other nodes count their own",
    }),
    nodeId: Type.String(),
    note: Type.String(),
    keptFrom: Type.String({ format: "date-time", description: "the oldest minute this node still holds" }),
    totals: Type.Record(Type.String(), Count, { description: "decisions in the range by first reason code" }),
    series: Type.Array(
      Type.Object({
        start: Type.String({ format: "date-time" }),
        total: Count,
        byReason: Type.Record(Type.String(), Count),
      }),
    ),
  }),
  paymentToGrant: Type.Object({
    source: Type.Literal("database"),
    count: Count,
    p50Ms: Ms,
    p95Ms: Ms,
    p99Ms: Ms,
    maxMs: Ms,
    histogram: Type.Array(
      Type.Object({
        ltMs: Type.Union([Type.Integer(), Type.Null()], {
          description: "upper bound, exclusive; null: none",
        }),
        count: Count,
      }),
    ),
  }),
  holds: Type.Object({
    source: Type.Literal("database"),
    byReason: Type.Array(Type.Object({ reason: Type.String(), placed: Count, open: Count })),
  }),
});

/** The services these routes use. */
export interface StatsRouteDeps {
  stats: StatsService;
}

/** `GET /v1/stats`: what the operator console charts. */
export function registerStatsRoutes(server: Server, { stats }: StatsRouteDeps): void {
  server.get(
    "/v1/stats",
    {
      config: { roles: ["admin", "support"] },
      schema: {
        tags: ["operations"],
        summary: "Decisions by reason code over time, payment-to-grant latency and holds by reason",
        description:
          "Decisions are this node's own, counted in memory per minute for the last 24 hours (a restart starts empty). Payment-to-grant latency (receipt to committed grants of applied payment.succeeded events received in the range) and holds placed in the range come from the database. The range is at most 31 days.",
        querystring: StatsQuery,
        response: { 200: StatsResponse, ...errors(400) },
      },
    },
    async (request) => stats.read(request.query),
  );
}
