/**
 * The local evaluator: member snapshots and the compiled catalog in memory, decided by the engine's
 * own pure decide() in microseconds, kept fresh by following the server's event stream. Every
 * decision says how fresh the local copy was and who answered (see docs/sdk.md).
 */
import { EventEmitter } from "node:events";
import type { Locale } from "../catalog/catalog-types.js";
import { decide as engineDecide } from "../engine/decide.js";
import { DEFAULT_LOCALE, decisionContext } from "../engine/decision-context.js";
import { EngineInputError } from "../engine/engine-error.js";
import { buildEntitlements } from "../engine/entitlements.js";
import { isKnownBenefit } from "../engine/rule-changes.js";
import { errorMessage } from "../error-messages.js";
import { CatalogState } from "./catalog-state.js";
import {
  type ClientOptions,
  createClient,
  type DecisionContextInput,
  type Entitlements,
  type PerkwiseClient,
} from "./client.js";
import {
  type DecisionSource,
  defaultDecision,
  type EvaluatedDecision,
  type FallbackCode,
  type Freshness,
  fallbackMessage,
} from "./evaluated-decision.js";
import { EventStream, type StreamEvent } from "./event-stream.js";
import { type MemberEntry, MemberSnapshots } from "./member-snapshots.js";
import { PerkwiseError } from "./perkwise-error.js";

export type { DecisionSource, EvaluatedDecision, FallbackCode, Freshness };

export interface LocalEvaluatorOptions extends ClientOptions {
  /** Members to load at start; the stream then follows just them (and members loaded later). Default: follow every event. */
  members?: readonly string[];
  /** The answer per benefit when nothing better is available (server unreachable); absent: deny. */
  defaults?: Readonly<Record<string, boolean>>;
  /** A local copy older than this while the stream is down is stale. Default 30,000 ms. */
  staleAfterMs?: number;
  /** What decide() does with a stale copy: ask the server (default), use it anyway, or answer the default. */
  whenStale?: "server" | "local" | "default";
  /** Follow GET /v1/events. Default true; without it every copy turns stale staleAfterMs after its fetch. */
  follow?: boolean;
  /** The decision time (epoch ms); default Date.now. Freshness always uses the real clock. */
  now?: () => number;
  /** Delay before reconnecting the stream until the server sends its own. Default 2000 ms. */
  reconnectMs?: number;
  /** The stream is reopened after this long without a byte (heartbeats come every 15 s). Default 45,000 ms. */
  heartbeatTimeoutMs?: number;
  /** A client to share; default one made from these options. */
  client?: PerkwiseClient;
}

export interface LocalEvaluatorEvents {
  /** The stream connected (the local copies are fresh again). */
  fresh: [];
  /** The stream has been down longer than staleAfterMs. */
  stale: [];
  /** A member's snapshot was (re)loaded. */
  member: [memberId: string, entitlementsVersion: number];
  /** The catalog was (re)loaded. */
  catalog: [latestVersion: number];
  /** The stream or a background fetch failed (it keeps retrying). Not "error": nothing throws when unheard. */
  failure: [error: PerkwiseError];
}

export interface LocalEvaluatorStatus {
  connected: boolean;
  /** When the stream went down (or the evaluator started without one yet); null while connected. */
  disconnectedSince: number | null;
  lastEventId: string | undefined;
  catalogVersion: number;
  members: number;
}

export class LocalEvaluator extends EventEmitter<LocalEvaluatorEvents> {
  readonly client: PerkwiseClient;
  private readonly catalog = new CatalogState();
  private readonly members: MemberSnapshots;
  private readonly stream: EventStream | null;
  private readonly followed: Set<string> | null;
  private readonly staleAfterMs: number;
  private readonly now: () => number;
  private readonly locale: Locale | null;
  private disconnectedSince: number | null = Date.now();
  private catalogFetchedAt = 0;
  /** Set by the first catalog load that succeeds: decide() stops waiting for (or retrying) the start. */
  private catalogLoaded = false;
  private staleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly started: Promise<void>;

  constructor(private readonly options: LocalEvaluatorOptions) {
    super();
    this.client = options.client ?? createClient(options);
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.locale = options.locale ?? null;
    this.followed = options.members ? new Set(options.members) : null;
    this.members = new MemberSnapshots(this.client, (id, entry) =>
      this.emit("member", id, entry.snapshot.entitlementsVersion),
    );
    this.stream =
      options.follow === false
        ? null
        : new EventStream({
            url: options.url,
            apiKey: options.apiKey,
            fetch: options.fetch,
            reconnectMs: options.reconnectMs,
            heartbeatTimeoutMs: options.heartbeatTimeoutMs,
            members: () => (this.followed === null ? null : [...this.followed]),
            onEvent: (event) => this.onStreamEvent(event),
            onConnection: (connected, error, resumed) => this.onConnection(connected, error, resumed),
          });
    this.armStaleTimer();
    this.started = this.start();
    // ready() reports the failure; nothing else must see an unhandled rejection.
    this.started.catch(() => {});
  }

  /** Resolves once the catalog and the `members` given are loaded; rejects when the server cannot be reached. */
  ready(): Promise<void> {
    return this.started;
  }

  /**
   * The decision, from the local copy when it is fresh. A member not held yet is fetched first; a
   * stale copy goes by `whenStale`; an unreachable server gives the default.
   */
  async decide(
    memberId: string,
    benefit: string,
    context?: DecisionContextInput,
  ): Promise<EvaluatedDecision> {
    let entry: MemberEntry | undefined;
    try {
      if (!this.catalogLoaded) await this.started.catch(() => this.loadCatalog());
      entry = await (this.members.pending(memberId) ?? this.members.get(memberId));
      this.follow(memberId);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return this.fallbackDecision(memberId, benefit, "SERVER_UNREACHABLE", entry);
    }
    const freshness = this.freshness(entry);
    if (freshness === "fresh" || this.options.whenStale === "local")
      return this.local(entry, benefit, context);
    if (this.options.whenStale === "default")
      return this.fallbackDecision(memberId, benefit, "STALE_SNAPSHOT", entry);
    try {
      const decision = await this.client.check(memberId, benefit, context);
      return {
        ...decision,
        freshness,
        source: "server",
        fallback: { code: "STALE_SNAPSHOT", message: fallbackMessage("STALE_SNAPSHOT", this.staleAfterMs) },
      };
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return this.fallbackDecision(memberId, benefit, "SERVER_UNREACHABLE", entry);
    }
  }

  /**
   * The decision from what is in memory, synchronously (the hot path). A member not held yet answers
   * the default (MEMBER_NOT_LOADED) and is fetched in the background; a stale copy is used, marked stale.
   */
  decideCached(memberId: string, benefit: string, context?: DecisionContextInput): EvaluatedDecision {
    const entry = this.members.entries.get(memberId);
    if (entry === undefined) {
      this.members.fetch(memberId).then(
        () => this.follow(memberId),
        (error) => this.report(error),
      );
      return this.fallbackDecision(memberId, benefit, "MEMBER_NOT_LOADED", undefined);
    }
    return this.local(entry, benefit, context);
  }

  /** Every benefit with its state, from the local copy when fresh, else from the server. */
  async entitlements(memberId: string): Promise<Entitlements> {
    const entry = await this.members.get(memberId);
    const catalog = this.catalog.at(this.now());
    if (this.freshness(entry) === "stale" || catalog === null || !entry.snapshot.exists) {
      return this.client.entitlements(memberId);
    }
    return buildEntitlements(entry.snapshot, catalog, this.context(entry, undefined));
  }

  /** Loads (or reloads) members now, e.g. those about to be asked for. */
  async preload(memberIds: readonly string[]): Promise<void> {
    await Promise.all(memberIds.map((id) => this.members.fetch(id)));
    for (const id of memberIds) this.follow(id);
  }

  status(): LocalEvaluatorStatus {
    return {
      connected: this.stream?.connected ?? false,
      disconnectedSince: this.disconnectedSince,
      lastEventId: this.stream?.lastEventId,
      catalogVersion: this.catalog.latestVersion,
      members: this.members.entries.size,
    };
  }

  /** Stops following the stream; decisions keep working from memory (turning stale). */
  async close(): Promise<void> {
    clearTimeout(this.staleTimer);
    await this.stream?.stop();
  }

  private async start(): Promise<void> {
    await this.loadCatalog();
    if (this.options.members) await this.preload(this.options.members);
  }

  private async loadCatalog(): Promise<void> {
    const fetchedAt = Date.now();
    this.catalog.load(await this.client.catalogHistory());
    this.catalogFetchedAt = fetchedAt;
    this.catalogLoaded = true;
    this.emit("catalog", this.catalog.latestVersion);
  }

  private local(
    entry: MemberEntry,
    benefit: string,
    input: DecisionContextInput | undefined,
  ): EvaluatedDecision {
    const at = this.now();
    const catalog = this.catalog.at(at);
    if (catalog === null) {
      return this.fallbackDecision(entry.snapshot.memberId, benefit, "CATALOG_NOT_LOADED", entry);
    }
    if (!isKnownBenefit(catalog, benefit)) {
      throw new PerkwiseError(
        "BENEFIT_NOT_FOUND",
        // The server's words: its catalogue, in the language the server would pick for this client.
        errorMessage("BENEFIT_NOT_FOUND", this.locale ?? DEFAULT_LOCALE, {
          variant: "code",
          params: { benefit },
        }),
        [{ path: "/benefit", message: "unknown benefit" }],
        // The status the server answers an unknown benefit with (src/http/error-status.ts).
        404,
      );
    }
    const d = engineDecide(entry.snapshot, catalog, benefit, this.context(entry, input, at));
    return {
      memberId: d.memberId,
      benefit: d.benefit,
      allowed: d.allowed,
      reasons: d.reasons,
      grant: d.grant,
      entitlementsVersion: d.entitlementsVersion,
      freshness: this.freshness(entry),
      source: "local",
    };
  }

  private context(entry: MemberEntry, input: DecisionContextInput | undefined, at = this.now()) {
    try {
      return decisionContext(entry.snapshot, input, this.locale, at);
    } catch (error) {
      throw error instanceof EngineInputError ? PerkwiseError.fromEngineInput(error) : error;
    }
  }

  /**
   * Fresh while the stream is up; while it is down, for staleAfterMs after the later of the
   * disconnection and the fetch. A snapshot an event announced a newer version of is stale at once.
   */
  private freshness(entry: MemberEntry): Freshness {
    if (entry.wantedVersion > entry.snapshot.entitlementsVersion) return "stale";
    if (this.disconnectedSince === null) return "fresh";
    const since = Math.max(this.disconnectedSince, Math.min(entry.fetchedAt, this.catalogFetchedAt));
    return Date.now() - since > this.staleAfterMs ? "stale" : "fresh";
  }

  private fallbackDecision(
    memberId: string,
    benefit: string,
    code: FallbackCode,
    entry: MemberEntry | undefined,
  ): EvaluatedDecision {
    const allowed = this.options.defaults?.[benefit] ?? false;
    const version = entry?.snapshot.entitlementsVersion ?? 0;
    return defaultDecision(memberId, benefit, allowed, version, code, this.staleAfterMs);
  }

  /** Members loaded after start join the stream's member list (a resumed reconnect, no gap). */
  private follow(memberId: string): void {
    if (this.followed === null || this.followed.has(memberId)) return;
    this.followed.add(memberId);
    this.stream?.reconnect();
  }

  private onStreamEvent(event: StreamEvent): void {
    const data = event.data as {
      memberId?: unknown;
      entitlementsVersion?: unknown;
      version?: unknown;
    } | null;
    if (event.type === "entitlements.changed") {
      if (typeof data?.memberId === "string" && typeof data.entitlementsVersion === "number") {
        this.members.announce(data.memberId, data.entitlementsVersion);
      }
    } else if (event.type === "catalog.changed") {
      if (typeof data?.version !== "number" || data.version > this.catalog.latestVersion) this.resync();
    } else if (event.type === "reset") {
      // Events were lost (older than the server keeps): reload everything held.
      this.resync();
    }
  }

  /** Reloads the catalog, then every member (a catalog change may mark their grants). */
  private resync(): void {
    this.loadCatalog()
      .then(() => this.members.refetchAll())
      .catch((error) => this.report(error));
  }

  private onConnection(connected: boolean, error: PerkwiseError | null, resumed: boolean): void {
    if (error !== null) this.report(error);
    if (connected) {
      // A subscription that does not resume may have missed what happened before it: reload what is held.
      if (!resumed) this.resync();
      const wasStale =
        this.disconnectedSince !== null && Date.now() - this.disconnectedSince > this.staleAfterMs;
      this.disconnectedSince = null;
      clearTimeout(this.staleTimer);
      if (wasStale) this.emit("fresh");
    } else if (this.disconnectedSince === null) {
      this.disconnectedSince = Date.now();
      this.armStaleTimer();
    }
  }

  /** Emits `stale` once the stream has stayed down for staleAfterMs. */
  private armStaleTimer(delay = this.staleAfterMs): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => {
      if (this.disconnectedSince === null) return;
      // A timer may fire a millisecond before Date.now() says its time has passed: the event must
      // not come before decisions turn stale.
      const left = this.disconnectedSince + this.staleAfterMs - Date.now();
      if (left >= 0) this.armStaleTimer(left + 1);
      else this.emit("stale");
    }, delay);
    this.staleTimer.unref?.();
  }

  private report(error: unknown): void {
    this.emit("failure", error instanceof PerkwiseError ? error : PerkwiseError.fromFetchFailure(error, 0));
  }
}

/** A local evaluator over the server at `url`; `await evaluator.ready()` before relying on it. */
export function createLocalEvaluator(options: LocalEvaluatorOptions): LocalEvaluator {
  return new LocalEvaluator(options);
}

const isUnavailable = (error: unknown) => error instanceof PerkwiseError && error.unavailable;
