/**
 * Perkwise as an OpenFeature provider (@openfeature/server-sdk): a flag key is a benefit code, the
 * targeting key the member id, and the answer Perkwise's decision. The reason mapping is documented in
 * docs/sdk.md ("OpenFeature").
 */
import {
  type EvaluationContext,
  FlagNotFoundError,
  GeneralError,
  InvalidContextError,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
  type ResolutionReason,
  StandardResolutionReasons,
  TargetingKeyMissingError,
  TypeMismatchError,
} from "@openfeature/server-sdk";
import type { DecisionContextInput, Entitlements, PerkwiseClient } from "./client.js";
import type { EvaluatedDecision, LocalEvaluator } from "./local-evaluator.js";
import { PerkwiseError } from "./perkwise-error.js";

export interface PerkwiseProviderOptions {
  /** Decide locally (preferred: microseconds, pushed updates). */
  evaluator?: LocalEvaluator;
  /** Else ask the server for every evaluation. */
  client?: PerkwiseClient;
}

/** Causes whose denial is the context's doing (product, channel, app): targeting said no. */
const TARGETED_CAUSES = new Set(["rule_condition", "client_stale"]);

export class PerkwiseProvider implements Provider {
  readonly metadata = { name: "perkwise" } as const;
  readonly runsOn = "server" as const;
  readonly events = new OpenFeatureEventEmitter();
  private readonly evaluator: LocalEvaluator | null;
  private readonly client: PerkwiseClient;

  constructor(options: PerkwiseProviderOptions) {
    const client = options.client ?? options.evaluator?.client;
    if (client === undefined) throw new TypeError("PerkwiseProvider needs an evaluator or a client.");
    this.client = client;
    this.evaluator = options.evaluator ?? null;
    this.evaluator?.on("stale", () => this.events.emit(ProviderEvents.Stale));
    this.evaluator?.on("fresh", () => this.events.emit(ProviderEvents.Ready));
    this.evaluator?.on("member", (memberId, entitlementsVersion) =>
      this.events.emit(ProviderEvents.ConfigurationChanged, { metadata: { memberId, entitlementsVersion } }),
    );
    this.evaluator?.on("catalog", (version) =>
      this.events.emit(ProviderEvents.ConfigurationChanged, { metadata: { catalogVersion: version } }),
    );
  }

  async initialize(): Promise<void> {
    await this.evaluator?.ready();
  }

  async onClose(): Promise<void> {
    await this.evaluator?.close();
  }

  /** Allowed or not: Perkwise's decision, with its reasons in flagMetadata. */
  async resolveBooleanEvaluation(
    flagKey: string,
    _defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    const decision = await this.decide(flagKey, context);
    return { value: decision.allowed, ...this.describe(decision) };
  }

  /** A quota benefit's remaining amount in its current period (0 when the member has none); other kinds: TYPE_MISMATCH. */
  async resolveNumberEvaluation(
    flagKey: string,
    _defaultValue: number,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<number>> {
    const memberId = targetingKey(context);
    let entitlements: Entitlements | null;
    try {
      entitlements = this.evaluator
        ? await this.evaluator.entitlements(memberId)
        : await this.client.entitlements(memberId);
    } catch (error) {
      if (!(error instanceof PerkwiseError && error.code === "MEMBER_NOT_FOUND"))
        throw openFeatureError(error);
      entitlements = null;
    }
    if (entitlements === null) return { value: 0, reason: StandardResolutionReasons.DISABLED };
    const entry = entitlements.benefits.find((b) => b.benefit === flagKey);
    if (entry === undefined) throw new FlagNotFoundError(`Benefit ${flagKey} is not in the catalog.`);
    if (entry.kind !== "quota")
      throw new TypeMismatchError(`Benefit ${flagKey} is a ${entry.kind}, not a quota.`);
    const remaining = entry.quota?.remaining ?? 0;
    return {
      value: remaining,
      reason: remaining > 0 ? StandardResolutionReasons.TARGETING_MATCH : StandardResolutionReasons.DISABLED,
      flagMetadata: {
        state: entry.state,
        entitlementsVersion: entitlements.entitlementsVersion,
        ...(entry.quota ? { quota: JSON.stringify(entry.quota) } : {}),
      },
    };
  }

  /** The whole decision as an object (allowed, reasons, grant, entitlementsVersion, freshness, source). */
  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    _defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    const decision = await this.decide(flagKey, context);
    return { value: JSON.parse(JSON.stringify(decision)) as T, ...this.describe(decision) };
  }

  async resolveStringEvaluation(flagKey: string): Promise<ResolutionDetails<string>> {
    throw new TypeMismatchError(`Benefit ${flagKey} answers booleans (and numbers for quotas), not strings.`);
  }

  private async decide(benefit: string, context: EvaluationContext): Promise<EvaluatedDecision> {
    const memberId = targetingKey(context);
    const input = decisionInput(context);
    try {
      if (this.evaluator) {
        const decision = await this.evaluator.decide(memberId, benefit, input);
        if (decision.source === "default") throw new GeneralError(decision.fallback?.message);
        return decision;
      }
      return { ...(await this.client.check(memberId, benefit, input)), freshness: "fresh", source: "server" };
    } catch (error) {
      throw openFeatureError(error);
    }
  }

  private describe(d: EvaluatedDecision): Omit<ResolutionDetails<never>, "value"> {
    let reason: ResolutionReason;
    if (d.source === "local" && d.freshness === "stale") reason = StandardResolutionReasons.STALE;
    else if (d.allowed) reason = StandardResolutionReasons.TARGETING_MATCH;
    else if (TARGETED_CAUSES.has(d.reasons[0]?.cause ?? ""))
      reason = StandardResolutionReasons.TARGETING_MATCH;
    else reason = StandardResolutionReasons.DISABLED;
    return {
      reason,
      variant: d.allowed ? "granted" : "denied",
      flagMetadata: {
        allowed: d.allowed,
        reasonCodes: d.reasons.map((r) => r.code).join(","),
        reasons: JSON.stringify(d.reasons),
        entitlementsVersion: d.entitlementsVersion,
        freshness: d.freshness,
        source: d.source,
        ...(d.grant ? { grant: JSON.stringify(d.grant) } : {}),
        ...(d.fallback ? { fallback: d.fallback.code } : {}),
      },
    };
  }
}

function targetingKey(context: EvaluationContext): string {
  const key = context.targetingKey;
  if (typeof key !== "string" || key === "") {
    throw new TargetingKeyMissingError("Perkwise needs the member id as the targeting key.");
  }
  return key;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** The decision context from the evaluation context: `at`, `channel`, `product`, `client`, `usage`. */
function decisionInput(context: EvaluationContext): DecisionContextInput | undefined {
  const { at, channel, product, client, usage } = context;
  const input: DecisionContextInput = {};
  if (at !== undefined) {
    if (at instanceof Date) input.at = at.toISOString();
    else if (typeof at === "string") input.at = at;
    else throw new InvalidContextError("`at` must be a Date or an ISO time.");
  }
  if (channel !== undefined) {
    if (typeof channel !== "string") throw new InvalidContextError("`channel` must be a string.");
    input.channel = channel;
  }
  if (product !== undefined) {
    if (!isRecord(product)) throw new InvalidContextError("`product` must be an object.");
    input.product = product as DecisionContextInput["product"];
  }
  if (client !== undefined) {
    if (!isRecord(client)) throw new InvalidContextError("`client` must be an object.");
    input.client = client as DecisionContextInput["client"];
  }
  if (usage !== undefined) {
    if (typeof usage !== "number") throw new InvalidContextError("`usage` must be a number.");
    input.usage = usage;
  }
  return Object.keys(input).length > 0 ? input : undefined;
}

/** Perkwise's errors as OpenFeature's: unknown benefit, bad context, anything else. */
function openFeatureError(error: unknown): unknown {
  if (!(error instanceof PerkwiseError)) return error;
  if (error.code === "BENEFIT_NOT_FOUND") return new FlagNotFoundError(error.message);
  if (error.code === "VALIDATION_FAILED") return new InvalidContextError(error.message);
  return new GeneralError(`${error.code}: ${error.message}`);
}
