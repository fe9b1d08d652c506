import { workflow as core } from '@deploy-actions/toolkit';
import {
  type CreateOnceOptions,
  type RetryOptions,
  createOnce as toolkitCreateOnce,
  failureKind,
  mayRetry,
} from '@deploy-actions/toolkit';

/**
 * The suite's rule for calls that create something (services.create, jobs.create, jobs.run, setIamPolicy),
 * from the toolkit (packages/toolkit/src/idempotency.ts): never re-sent blindly. Only a failure that
 * certainly did nothing (a 429, a refused connection) is retried on the spot; after an ambiguous one (the
 * connection dropped, a timeout, a 5xx) the state is read and decides. Here: the per-request retry policy
 * for those calls, and createOnce logging to the step's log by default.
 */

/** Per-request retry policy for non-idempotent calls. */
export const NOT_RETRIED: RetryOptions = { retryable: (error) => mayRetry('create', error) };

/** A failure after which the call may or may not have taken effect. */
export function isAmbiguous(error: unknown): boolean {
  return failureKind(error) === 'ambiguous';
}

export function createOnce<T>(options: CreateOnceOptions<T>): Promise<T> {
  return toolkitCreateOnce({ ...options, log: options.log ?? ((line) => core.info(line)) });
}
