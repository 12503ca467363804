/** Who made a change: the platform's backend, the member, the payment provider, an operator or agent. */
export type TimelineSource = "service" | "member" | "payment_provider" | "admin" | "support" | "system";

export interface TimelineEntry {
  at: Date;
  kind: string;
  source: TimelineSource;
  data: Record<string, unknown>;
}
