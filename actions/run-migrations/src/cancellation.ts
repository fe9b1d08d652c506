import * as core from '@actions/core';
import { UserError } from '@deploy-actions/toolkit';

/**
 * Cancellation and the run's own timeout, as one AbortSignal. The runner cancels a step with SIGINT, then
 * SIGTERM 7.5 s later, then kills it: on the first signal the action stops the tool (or the container, or
 * the running statement), releases the lock and exits non-zero. If the cleanup itself hangs (a database
 * that stopped answering), the process exits anyway before the runner's kill; the server then ends the
 * session, and the session-scoped lock with it.
 */

export class Cancelled extends UserError {
  override name = 'Cancelled';
}

export interface Cancellation {
  signal: AbortSignal;
  /** Starts the `timeout` clock for the migration itself. */
  startTimeout(ms: number, what: string): void;
  /** Stops the run for another reason, such as a lost lock connection. */
  abort(error: Error): void;
  dispose(): void;
}

export function watchCancellation(): Cancellation {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    core.info(`Received ${name}: stopping the migration and releasing the lock`);
    controller.abort(new Cancelled(`Cancelled (${name}): the migration was stopped and the lock released`));
    setTimeout(() => {
      core.setFailed('Cancelled: cleanup did not finish in 6s; exiting (the database ends the session and its lock)');
      process.exit(1);
    }, 6000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    startTimeout(ms, what) {
      timer = setTimeout(
        () =>
          controller.abort(
            new UserError(
              `${what} did not finish within the timeout (${Math.round(ms / 1000)}s); it was stopped and the lock released. Raise "timeout" if it needs longer`,
            ),
          ),
        ms,
      );
      timer.unref();
    },
    abort(error) {
      if (!controller.signal.aborted) controller.abort(error);
    },
    dispose() {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
