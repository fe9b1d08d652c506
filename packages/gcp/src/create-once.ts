import * as core from '@actions/core';
import { type Clock, HttpError, NetworkError, type RetryOptions, realClock } from '@deploy-actions/toolkit';

/**
 * The rule for calls that create something (services.create, jobs.create, jobs.run, setIamPolicy): never
 * re-sent blindly. Only a 429 is retried on the spot (the server refused it before doing anything). After an
 * ambiguous failure (the connection dropped, a timeout, a 5xx) the state is read and decides: what was
 * created is used; only when nothing was is the call sent again. Local until the toolkit's createOnce lands.
 */

/** Per-request retry policy for non-idempotent calls: a 429 only. */
export const NOT_RETRIED: RetryOptions = {
  retryable: (error) => error instanceof HttpError && error.status === 429,
};

/** A failure after which the call may or may not have taken effect. */
export function isAmbiguous(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  const status = (error as { status?: number } | undefined)?.status;
  return typeof status === 'number' && (status >= 500 || status === 408);
}

export interface CreateOnceOptions<T> {
  /** For log lines: "services.create api". */
  what: string;
  send: () => Promise<T>;
  /** What the call would have created, if it exists now; undefined when it does not. */
  find: () => Promise<T | undefined>;
  attempts?: number;
  clock?: Clock;
  log?: (line: string) => void;
}

export async function createOnce<T>(options: CreateOnceOptions<T>): Promise<T> {
  const { what, send, find, attempts = 3, clock = realClock, log = (line: string) => core.info(line) } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const exists = (error as { status?: number }).status === 409 && attempt > 1;
      if (!exists && (!isAmbiguous(error) || attempt >= attempts)) throw error;
      log(`${what}: no clear answer (${(error as Error).message}); reading the state before deciding`);
      await clock.sleep(exists ? 0 : 500 * attempt);
      const found = await find();
      if (found !== undefined) {
        log(`${what}: it had gone through; using what it created`);
        return found;
      }
      if (exists) throw error;
      log(`${what}: nothing was created; sending it again`);
    }
  }
}
