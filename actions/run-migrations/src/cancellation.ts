import { UserError } from '@deploy-actions/toolkit';

/**
 * The run's one AbortSignal: the lifecycle's (cancellation by the runner, and the step's `timeout`), plus
 * the run's own reasons to stop (a lost lock connection). Its reason says what was stopped: on a
 * cancellation or the timeout the tool (or the container, the running statement, the Cloud Run
 * execution) is stopped and the lock released before the step ends.
 */

export class Cancelled extends UserError {
  override name = 'Cancelled';
}

export interface Cancellation {
  signal: AbortSignal;
  /** Stops the run for another reason, such as a lost lock connection. */
  abort(error: Error): void;
  dispose(): void;
}

/** The lifecycle's reasons, in words about the migration. */
function explain(reason: unknown): unknown {
  const error = reason as Error | undefined;
  if (error?.name === 'CancelledError') {
    const signal = /\((SIG[A-Z]+)\)/.exec(error.message)?.[1] ?? 'cancelled';
    return new Cancelled(`Cancelled (${signal}): the migration was stopped and the lock released`);
  }
  if (error instanceof Error && /timeout/i.test(error.name))
    return new UserError(
      `${error.message.replace(/; raise.*$/, '')}: the migration was stopped and the lock released. Raise "timeout" if it needs longer`,
    );
  return reason;
}

export function cancellationFrom(parent: AbortSignal, log: (line: string) => void): Cancellation {
  const controller = new AbortController();
  const follow = () => {
    if (controller.signal.aborted) return;
    const reason = explain(parent.reason);
    if (reason instanceof Cancelled) {
      const signal = /\((SIG[A-Z]+)\)/.exec(reason.message)?.[1] ?? 'a cancellation';
      log(`Received ${signal}: stopping the migration and releasing the lock`);
    }
    controller.abort(reason);
  };
  if (parent.aborted) follow();
  else parent.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    abort(error) {
      if (!controller.signal.aborted) controller.abort(error);
    },
    dispose() {
      parent.removeEventListener('abort', follow);
    },
  };
}
