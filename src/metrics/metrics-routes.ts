import { Type } from "@sinclair/typebox";
import { errors } from "../http/schemas.js";
import type { Server } from "../http/server-types.js";
import type { AppMetrics } from "./app-metrics.js";

/** The services these routes use. */
export interface MetricsRouteDeps {
  metrics: AppMetrics;
}

/**
 * `GET /metrics`: Prometheus text. The admin key may read it, and so may the metrics token
 * (`PERKWISE_METRICS_TOKEN`), which opens nothing else: give scrapers that one.
 */
export function registerMetricsRoutes(server: Server, { metrics }: MetricsRouteDeps): void {
  server.get(
    "/metrics",
    {
      config: { roles: ["admin"], acceptsToken: () => metrics.token },
      schema: {
        tags: ["operations"],
        summary: "This process's metrics in the Prometheus text format",
        description:
          "Decisions by benefit and reason code, decision latency, payment-to-grant latency, outbox lag, webhook failures, SSE clients, snapshot cache hits and misses, the cluster link, and Node.js process metrics. Bearer: the admin key or PERKWISE_METRICS_TOKEN.",
        produces: ["text/plain"],
        response: {
          200: Type.String({ description: "Prometheus exposition format 0.0.4" }),
          ...errors(401, 403),
        },
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await metrics.scrape();
      return reply.type(contentType).send(body);
    },
  );
}
