import { type Clock, realClock } from './clock';
import { formatDuration } from './duration';

/** Exponential backoff with "equal jitter": half the step is fixed, half random, so retries spread out but never collapse to zero. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, factor = 2, random = Math.random): number {
  const step = Math.min(maxMs, baseMs * factor ** attempt);
  return step / 2 + random() * (step / 2);
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the server asked us to wait: `Retry-After` (seconds or an HTTP date), else the IETF/GitHub-style
 * `RateLimit-Reset` / `X-RateLimit-Reset` when no requests remain (delta seconds, or epoch seconds when large).
 */
export function serverWaitMs(headers: HeaderSource, now = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const remaining = header(headers, 'ratelimit-remaining') ?? header(headers, 'x-ratelimit-remaining');
  const reset = header(headers, 'ratelimit-reset') ?? header(headers, 'x-ratelimit-reset');
  if (reset && /^\d+(\.\d+)?$/.test(reset.trim()) && (remaining === undefined || Number(remaining) <= 0)) {
    const seconds = Number(reset);
    return seconds > 1e9 ? Math.max(0, seconds * 1000 - now) : seconds * 1000;
  }
  return undefined;
}

/** An error that says it is worth trying again, optionally after a wait the server asked for. */
export interface Retryable {
  retryable?: boolean;
  retryAfterMs?: number;
}

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  /** Give up rather than sleep past this instant (epoch ms). */
  deadline?: number;
  /**
   * Decides whether an error is worth another try; by default errors marked `retryable`. Prefer
   * `retryCall(kind, ...)` (idempotency.ts), which applies the suite's one rule for the call's kind.
   */
  retryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  clock?: Clock;
  /** Stops the waits between tries (the lifecycle's cancel + step timeout). */
  signal?: AbortSignal;
  /** For the jitter; tests inject a fixed one. */
  random?: () => number;
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, baseMs = 500, maxMs = 30_000, clock = realClock, random = Math.random } = options;
  const retryable = options.retryable ?? ((error: unknown) => Boolean((error as Retryable)?.retryable));
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= attempts || !retryable(error)) throw error;
      const asked = (error as Retryable)?.retryAfterMs;
      // Honour the server's wait exactly (plus a little jitter so a fleet does not return in lockstep).
      const delay = asked !== undefined ? asked + random() * 250 : backoffDelay(attempt, baseMs, maxMs, 2, random);
      if (options.deadline !== undefined && clock.now() + delay > options.deadline) throw error;
      options.onRetry?.(error, attempt + 1, delay);
      await clock.sleep(delay, options.signal);
    }
  }
}

export function describeRetry(error: unknown, attempt: number, delayMs: number): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${message}; retry ${attempt} in ${formatDuration(delayMs)}`;
}
