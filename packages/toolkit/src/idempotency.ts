import { type Clock, realClock } from './clock';
import { backoffDelay, describeRetry, type RetryOptions, retry } from './retry';

/**
 * The one rule for which failures are transient and which calls may be re-sent (issue 9, "one owner per
 * concept"). Every call is classified by what re-sending it could do:
 * - `read`: nothing (GET, list, describe);
 * - `idempotent`: nothing more than the first time (PUT, DELETE, a PATCH with an etag, cancel, an upsert);
 * - `create`: something again (a second deploy, execution, backup, revision).
 * A failure is `not-sent` when the server certainly did nothing (the connection was never made, a 429 or
 * throttling answer), `ambiguous` when it may have acted (a reset or timeout after sending, 500/502/503/504,
 * 408), else `permanent`. Reads and idempotent calls retry every transient failure, with backoff, jitter and
 * Retry-After; a create retries only `not-sent` failures, and after an ambiguous one `createOnce` reads the
 * state (`reconcile`) and decides instead of re-sending.
 */

export type CallKind = 'read' | 'idempotent' | 'create';
export type FailureKind = 'not-sent' | 'ambiguous' | 'permanent';

/** Connection failures before anything was sent. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Failures after the request may have reached the server. */
const AMBIGUOUS_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);
const AMBIGUOUS_STATUS = new Set([408, 500, 502, 503, 504]);
const THROTTLING =
  /^(Throttling(Exception)?|TooManyRequests(Exception)?|RequestLimitExceeded|SlowDown|RequestThrottled(Exception)?|ProvisionedThroughputExceededException)$/;

interface ErrorShape {
  name?: string;
  code?: string | number;
  status?: number;
  statusCode?: number;
  retryable?: boolean;
  /** Set by a client that knows the request never left (e.g. it failed before connecting). */
  notSent?: boolean;
  cause?: unknown;
  response?: { status?: number };
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  message?: string;
}

function statusOf(e: ErrorShape): number | undefined {
  const status = e.status ?? e.statusCode ?? e.response?.status ?? e.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function codeOf(e: ErrorShape): string | undefined {
  const cause = e.cause as ErrorShape | undefined;
  const code = e.code ?? cause?.code ?? (cause?.cause as ErrorShape | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function failureKind(error: unknown): FailureKind {
  if (!error || typeof error !== 'object') return 'permanent';
  const e = error as ErrorShape;
  // Our own cancellation or a caller's abort: never retried.
  if (e.name === 'AbortError' || e.name === 'CancelledError') return 'permanent';
  if (e.notSent) return 'not-sent';
  if (e.$retryable?.throttling || (e.name && THROTTLING.test(e.name))) return 'not-sent';
  // What happened (status, system code) decides before what an error says of itself: an HttpError's
  // `retryable` is already this rule applied to its call's kind.
  const status = statusOf(e);
  if (status === 429) return 'not-sent';
  if (status !== undefined) return AMBIGUOUS_STATUS.has(status) ? 'ambiguous' : 'permanent';
  const code = codeOf(e);
  if (code && NOT_SENT_CODES.has(code)) return 'not-sent';
  if (code && AMBIGUOUS_CODES.has(code)) return 'ambiguous';
  if (e.retryable === false) return 'permanent';
  if (e.name === 'TimeoutError' || /socket hang up|timed out/i.test(e.message ?? '')) return 'ambiguous';
  // Errors that say they are worth retrying, without saying why (older clients): treated as ambiguous.
  if (e.retryable === true) return 'ambiguous';
  return 'permanent';
}

/** A failure worth trying again for a read or an idempotent call. */
export function isTransient(error: unknown): boolean {
  return failureKind(error) !== 'permanent';
}

/** Whether a call of this kind may be sent again after this failure. */
export function mayRetry(kind: CallKind, error: unknown): boolean {
  const failure = failureKind(error);
  return kind === 'create' ? failure === 'not-sent' : failure !== 'permanent';
}

/** `retry` with the rule for the call's kind. */
export function retryCall<T>(
  kind: CallKind,
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  return retry(fn, { ...options, retryable: options.retryable ?? ((error) => mayRetry(kind, error)) });
}

export interface CreateOnceOptions<T> {
  /** For log lines: "jobs.run migrate". */
  what: string;
  /** The create call. It should not retry by itself (pass `retry: false` or `kind: 'create'`). */
  send: () => Promise<T>;
  /** What the call would have created, if it exists now; undefined when it does not. */
  reconcile: () => Promise<T | undefined>;
  /** Sends in all (default 3). */
  attempts?: number;
  baseMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  log?: (line: string) => void;
  random?: () => number;
}

/**
 * Sends a create at most once per known outcome. A `not-sent` failure is retried with backoff (and the
 * server's Retry-After). After an `ambiguous` one the state is read: what was created is used, and only when
 * nothing was is the call sent again. A 409 (already exists) after an earlier ambiguous attempt means that
 * attempt went through: the state is read and used.
 */
export async function createOnce<T>(options: CreateOnceOptions<T>): Promise<T> {
  const { what, send, reconcile, attempts = 3, baseMs = 500, clock = realClock, random = Math.random } = options;
  const log = options.log ?? (() => {});
  let uncertain = false;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await send();
    } catch (error) {
      const conflict = statusOf(error as ErrorShape) === 409 && uncertain;
      const failure = conflict ? 'ambiguous' : failureKind(error);
      if (failure === 'permanent' || (attempt >= attempts && failure === 'not-sent')) throw error;
      if (failure === 'not-sent') {
        const asked = (error as { retryAfterMs?: number }).retryAfterMs;
        const delay =
          asked !== undefined ? asked + random() * 250 : backoffDelay(attempt - 1, baseMs, 30_000, 2, random);
        log(describeRetry(error, attempt, delay));
        await clock.sleep(delay, options.signal);
        continue;
      }
      uncertain = true;
      log(`${what}: no clear answer (${(error as Error).message}); reading the state before deciding`);
      const found = await retryCall('read', () => reconcile(), { clock, signal: options.signal, attempts: 4, baseMs });
      if (found !== undefined) {
        log(`${what}: it had gone through; using what it created`);
        return found;
      }
      if (conflict || attempt >= attempts) throw error;
      log(`${what}: nothing was created; sending it again`);
    }
  }
}
