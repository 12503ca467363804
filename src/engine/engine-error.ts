/**
 * Input the engine cannot decide on (a `context.at` that is no date-time). The engine knows nothing
 * of error codes or HTTP: the edges (src/http/error-handler.ts, the SDK's local evaluator) map this
 * to VALIDATION_FAILED with the same details.
 */
export class EngineInputError extends Error {
  readonly problems: readonly { path: string; message: string }[];

  constructor(message: string, problems: readonly { path: string; message: string }[]) {
    super(message);
    this.name = "EngineInputError";
    this.problems = problems;
  }
}
