import { expect } from "vitest";
import type { TestServer } from "../e2e-harness.js";
import type { Diagnosis } from "./diagnosis-shape.js";

/** What every diagnosis scenario does to set up a member and ask about them, over real HTTP. */
export class DiagnosisScenarios {
  private seq = 0;

  constructor(private readonly server: () => TestServer) {}

  async member(prefix: string, body: Record<string, unknown> = { locale: "en" }) {
    const memberId = `${prefix}-${++this.seq}`;
    await this.server().createMember(memberId, body);
    return memberId;
  }

  async buy(memberId: string, plan = "vip_month", webhookId?: string) {
    const s = this.server();
    const order = await s.createOrder(memberId, plan);
    expect((await s.pay(order.orderId, order.amount.amount, webhookId)).status).toBe(200);
    return order;
  }

  async vip(prefix: string) {
    const memberId = await this.member(prefix);
    const order = await this.buy(memberId);
    return { memberId, order };
  }

  async diagnose(memberId: string, body: unknown, headers?: Record<string, string>): Promise<Diagnosis> {
    const res = await this.server().request("POST", `/v1/members/${memberId}/diagnose`, { body, headers });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async detail(memberId: string) {
    return (await this.server().request("GET", `/v1/members/${memberId}`)).body;
  }

  async timeline(memberId: string) {
    return (await this.server().request("GET", `/v1/members/${memberId}/timeline`)).body.entries as {
      kind: string;
      data: Record<string, unknown>;
    }[];
  }
}

/** The scenarios' methods as plain functions, so a test reads `await vip("x")`. */
export function bind(scenarios: DiagnosisScenarios) {
  return {
    member: scenarios.member.bind(scenarios),
    buy: scenarios.buy.bind(scenarios),
    vip: scenarios.vip.bind(scenarios),
    diagnose: scenarios.diagnose.bind(scenarios),
    detail: scenarios.detail.bind(scenarios),
    timeline: scenarios.timeline.bind(scenarios),
  };
}
