import {
  backoffDelay,
  type Clock,
  HttpError,
  NetworkError,
  realClock,
  serverWaitMs,
  UserError,
} from '@deploy-actions/toolkit';

/**
 * Sending a deploy trigger at most once. A trigger creates a deploy, so an answer that is lost (a reset,
 * a timeout, a 5xx from a proxy that may have passed the request on) must not be answered by sending it
 * again: that is how a second deploy starts. After such a failure the deploy list is read (`lookup`), and
 * only when it shows no deploy from this trigger is the request sent again. Answers that prove nothing was
 * created (429, a refused connection) are retried as usual. Without a way to look (a deploy hook and no
 * API key), an ambiguous failure ends the step instead.
 */

export interface OnceOptions<T> {
  /** Sends the request once, without retries of its own. */
  send: () => Promise<T>;
  /** Finds what an earlier attempt created, or undefined when there is none. */
  lookup?: () => Promise<T | undefined>;
  /** Says what to do when the answer is lost and there is no lookup. */
  lostHint: string;
  what: string;
  attempts?: number;
  clock?: Clock;
  log?: (line: string) => void;
}

/** Failures after which the request certainly did nothing. */
function provenUnsent(error: unknown): boolean {
  if (error instanceof HttpError) return error.status === 429;
  return error instanceof NetworkError && /failed: (ECONNREFUSED|ENOTFOUND|EAI_AGAIN)$/.test(error.message);
}

function ambiguous(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof HttpError && error.status >= 500);
}

export async function sendOnce<T>(options: OnceOptions<T>): Promise<{ value: T; attempts: number; found: boolean }> {
  const clock = options.clock ?? realClock;
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await options.send(), attempts: attempt, found: false };
    } catch (error) {
      if (attempt >= attempts || !(provenUnsent(error) || ambiguous(error))) throw error;
      const reason = (error as Error).message;
      if (!provenUnsent(error)) {
        if (!options.lookup)
          throw new LostAnswerError(`The answer to ${options.what} was lost (${reason}); ${options.lostHint}`);
        const found = await options.lookup();
        if (found !== undefined) {
          options.log?.(
            `The answer to ${options.what} was lost (${reason}), but the deploy list shows what it started`,
          );
          return { value: found, attempts: attempt, found: true };
        }
        options.log?.(
          `The answer to ${options.what} was lost (${reason}) and the deploy list shows nothing new: sending it again`,
        );
      }
      const headers = error instanceof HttpError ? error.headers : undefined;
      const waitMs = (headers && serverWaitMs(headers, clock.now())) ?? backoffDelay(attempt - 1, 500, 30_000);
      if (provenUnsent(error)) options.log?.(`${reason}; retry ${attempt} in ${Math.round(waitMs / 100) / 10}s`);
      await clock.sleep(waitMs);
    }
  }
}

/** An answer lost where nothing could be checked: the step stops rather than risk a second deploy. */
export class LostAnswerError extends UserError {
  override name = 'LostAnswerError';
}
