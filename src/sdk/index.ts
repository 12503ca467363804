/**
 * `perkwise/sdk`: the remote client, the local evaluator and the OpenFeature provider. It imports the
 * pure engine and catalog compiler and nothing else of the server (src/sdk/sdk-boundary.test.ts).
 */
export {
  type CatalogHistory,
  type CheckRequest,
  type ClientOptions,
  createClient,
  DEFAULT_TIMEOUT_MS,
  type Decision,
  type DecisionContextInput,
  type DiagnoseOptions,
  type Diagnosis,
  type Entitlements,
  type MemberSnapshotWire,
  type PerkwiseClient,
  type Reason,
} from "./client.js";
export {
  createLocalEvaluator,
  type DecisionSource,
  type EvaluatedDecision,
  type FallbackCode,
  type Freshness,
  LocalEvaluator,
  type LocalEvaluatorEvents,
  type LocalEvaluatorOptions,
  type LocalEvaluatorStatus,
} from "./local-evaluator.js";
export type { paths as PerkwisePaths } from "./openapi-types.js";
export { PerkwiseProvider, type PerkwiseProviderOptions } from "./openfeature-provider.js";
export {
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  type ErrorDetail,
  PerkwiseError,
  type PerkwiseErrorCode,
} from "./perkwise-error.js";
