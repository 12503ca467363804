import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";
import { toAgent } from "./ticket-rows.js";
import type { Agent } from "./ticket-types.js";

/** Agents: support and admin credentials with the public number (工号) each is given once. */
export interface AgentStore {
  /** The agent of an API key, given its number on first use. */
  agent(keyId: string): Promise<Agent>;
  agents(keyIds: string[]): Promise<Map<string, Agent>>;
  /** The agent with that public number (`A1001`), if one has it. */
  agentByNumber(number: string): Promise<Agent | null>;
  setAgentName(keyId: string, displayName: string | null): Promise<Agent>;
}

export function createAgentStore(db: Executor): AgentStore {
  const agents: AgentStore = {
    async agent(keyId) {
      const found = await db
        .selectFrom("support_agents")
        .selectAll()
        .where("key_id", "=", keyId)
        .executeTakeFirst();
      if (found) return toAgent(found);
      await db
        .insertInto("support_agents")
        .values({ key_id: keyId, display_name: null })
        .onConflict((oc) => oc.column("key_id").doNothing())
        .execute();
      const row = await db
        .selectFrom("support_agents")
        .selectAll()
        .where("key_id", "=", keyId)
        .executeTakeFirstOrThrow();
      return toAgent(row);
    },
    async agents(keyIds) {
      if (keyIds.length === 0) return new Map();
      const rows = await db.selectFrom("support_agents").selectAll().where("key_id", "in", keyIds).execute();
      return new Map(rows.map((r) => [r.key_id, toAgent(r)]));
    },
    async agentByNumber(number) {
      if (!/^A[0-9]{1,15}$/.test(number)) return null;
      const row = await db
        .selectFrom("support_agents")
        .selectAll()
        .where(sql<boolean>`number = ${number.slice(1)}::bigint`)
        .executeTakeFirst();
      return row ? toAgent(row) : null;
    },
    async setAgentName(keyId, displayName) {
      await agents.agent(keyId);
      const row = await db
        .updateTable("support_agents")
        .set({ display_name: displayName })
        .where("key_id", "=", keyId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAgent(row);
    },
  };
  return agents;
}
