/** Something the app starts and, once started, stops: a worker, a listener, a pool, a server. */
export interface LifecyclePart {
  name: string;
  start(): void | Promise<void>;
  /** Absent for steps that only load something (secrets, the catalog): nothing to undo. */
  stop?(): void | Promise<void>;
}

/** A step every stop runs after the parts, even when nothing started: drains and flushes. */
export interface StopStep {
  name: string;
  stop(): void | Promise<void>;
}

/**
 * Starts parts in order and stops the started ones in reverse. A failed start stops what already
 * started (and runs the stop steps) before it rethrows, so a half-started process holds no timer,
 * connection or listener.
 * `stop()` is idempotent: a second call (SIGTERM twice, a test's cleanup after a failed start)
 * waits for the first.
 */
export class Lifecycle {
  private readonly started: LifecyclePart[] = [];
  private stopping: Promise<void> | null = null;
  private begun = false;

  constructor(private readonly stopSteps: StopStep[] = []) {}

  /** The names of the parts running now, in start order. */
  running(): string[] {
    return this.started.map((part) => part.name);
  }

  async start(parts: LifecyclePart[]): Promise<void> {
    if (this.stopping) throw new Error("a stopped app does not start again");
    if (this.begun) throw new Error("the app was started already");
    this.begun = true;
    for (const part of parts) {
      try {
        await part.start();
      } catch (error) {
        // The start's error is the one to report; a stop failing after it would only hide it.
        await this.stop().catch(() => {});
        throw error;
      }
      this.started.push(part);
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    const failures: unknown[] = [];
    await this.stopStarted().catch((error) => failures.push(error));
    for (const step of this.stopSteps) {
      try {
        await step.stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  /** Stops the started parts, last first; every one is stopped even when an earlier stop throws. */
  private async stopStarted(): Promise<void> {
    let failure: { error: unknown } | null = null;
    while (this.started.length > 0) {
      const part = this.started.pop()!;
      try {
        await part.stop?.();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
