import { type Clock, createOnce, failureKind, retryCall, UserError } from '@deploy-actions/toolkit';

/**
 * A deploy trigger (or rollback) is a create: a second one starts a second deploy. With a way to look at
 * the deploy list (`lookup`), the toolkit's `createOnce` settles a lost answer by reading it. Without one
 * (a deploy hook and no API key) only failures that prove nothing was sent are retried, and a lost answer
 * ends the step with that said, rather than risk a second deploy.
 */

export interface TriggerOnceOptions<T> {
  /** Sends the request once, without retries of its own. */
  send: () => Promise<T>;
  /** Finds what an earlier attempt created, or undefined when there is none. */
  lookup?: () => Promise<T | undefined>;
  /** Says what to do when the answer is lost and there is no lookup. */
  lostHint: string;
  what: string;
  clock?: Clock;
  log?: (line: string) => void;
}

export async function triggerOnce<T>(options: TriggerOnceOptions<T>): Promise<{ value: T; found: boolean }> {
  const { lookup, what, clock, log } = options;
  if (lookup) {
    let found = false;
    const value = await createOnce({
      what,
      send: options.send,
      reconcile: async () => {
        const existing = await lookup();
        found = existing !== undefined;
        return existing;
      },
      attempts: 6,
      clock,
      log,
    });
    return { value, found };
  }
  try {
    const value = await retryCall('create', () => options.send(), {
      attempts: 6,
      clock,
      onRetry: (error, attempt, delayMs) =>
        log?.(`${(error as Error).message}; retry ${attempt} in ${Math.round(delayMs / 100) / 10}s`),
    });
    return { value, found: false };
  } catch (error) {
    if (failureKind(error) !== 'ambiguous') throw error;
    throw new LostAnswerError(`The answer to ${what} was lost (${(error as Error).message}); ${options.lostHint}`);
  }
}

/** An answer lost where nothing could be checked: the step stops rather than risk a second deploy. */
export class LostAnswerError extends UserError {
  override name = 'LostAnswerError';
}
