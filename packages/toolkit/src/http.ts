import * as core from './workflow';
import { type Clock, realClock } from './clock';
import { formatDuration } from './duration';
import { type CallKind, mayRetry } from './idempotency';
import { type Retryable, type RetryOptions, describeRetry, retry, serverWaitMs } from './retry';
import { redact } from './secrets';
import { VERSION } from './version';

/**
 * The one HTTP client every action uses, on Node's built-in fetch (through the proxy when one is
 * configured: proxy.ts). Each request has a timeout and a versioned user agent. Failures are retried by the
 * suite's one rule (idempotency.ts): reads and idempotent calls on any transient failure (connection errors,
 * resets, timeouts, 408, 429, 500/502/503/504); creates (POST/PATCH unless marked otherwise) only when the
 * server certainly did nothing (a refused connection, 429), never after a lost answer: use `createOnce`.
 * Waits are jittered backoff, or as long as Retry-After or RateLimit-Reset asks. When a response says no
 * requests remain in the window, the next request waits for the reset instead of earning a 429.
 */

let actionName = 'unknown';

/** Names the action in the user agent (`deploy-actions/<action>/<version>`); runAction sets it. */
export function setUserAgentAction(action: string): void {
  actionName = action;
}

export function userAgent(): string {
  return `deploy-actions/${actionName}/${VERSION}`;
}

export class HttpError extends Error implements Retryable {
  override name = 'HttpError';
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  constructor(
    readonly method: string,
    readonly target: string,
    readonly status: number,
    readonly body: string,
    readonly headers: Headers,
    kind: CallKind | boolean,
  ) {
    super(redact(`${method} ${target} answered ${status}${excerpt(body)}`));
    // `kind` was `idempotent: boolean` before the call kinds: true is idempotent, false a create.
    const callKind = typeof kind === 'boolean' ? (kind ? 'idempotent' : 'create') : kind;
    this.retryable = mayRetry(callKind, { status });
    this.retryAfterMs = serverWaitMs(headers);
  }
}

/** The request failed without an answer. `code` is the system's (ECONNRESET, ECONNREFUSED...) or TimeoutError. */
export class NetworkError extends Error implements Retryable {
  override name = 'NetworkError';
  readonly retryable = true;
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  return `: ${text.length > 300 ? `${text.slice(0, 297)}...` : text}`;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON. */
  body?: string | Uint8Array | object;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
  /**
   * What re-sending could do (idempotency.ts). Default: GET/HEAD/OPTIONS read, PUT/DELETE idempotent,
   * POST/PATCH create (retried only when certainly not processed).
   */
  kind?: CallKind;
  /** Shorthand for `kind: 'idempotent'` on a POST/PATCH the server de-duplicates. */
  idempotent?: boolean;
  /** Aborts the request and the waits between retries (pass ctx.signal). */
  signal?: AbortSignal;
  /** Statuses returned instead of thrown. 2xx always are. */
  accept?: number[];
  /** Replaces the URL in errors and logs, for URLs that are themselves secret. */
  describe?: string;
  retry?: RetryOptions | false;
}

export interface HttpClientOptions {
  baseUrl?: string;
  headers?: Record<string, string> | (() => Promise<Record<string, string>>);
  timeoutMs?: number;
  retry?: RetryOptions;
  clock?: Clock;
}

const READ = new Set(['GET', 'HEAD', 'OPTIONS']);
const IDEMPOTENT = new Set(['PUT', 'DELETE']);

function callKind(method: string, options: RequestOptions): CallKind {
  if (options.kind) return options.kind;
  if (options.idempotent) return 'idempotent';
  return READ.has(method) ? 'read' : IDEMPOTENT.has(method) ? 'idempotent' : 'create';
}

export class HttpClient {
  /** Requests sent, retries included: reported in summaries and benchmarks. */
  requests = 0;
  private gateUntil = 0;
  private readonly clock: Clock;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.clock = options.clock ?? realClock;
  }

  url(path: string, query?: RequestOptions['query']): URL {
    const base = this.options.baseUrl;
    const url = base ? new URL(base.replace(/\/?$/, '/') + path.replace(/^\//, '')) : new URL(path);
    if (!base && path.startsWith('/')) throw new Error(`relative path ${path} without a base URL`);
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.request(path, options)).json<T>();
  }

  async request(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = this.url(path, options.query);
    const target = options.describe ?? `${url.origin}${url.pathname}`;
    const kind = callKind(method, options);
    const send = () => this.once(method, url, target, kind, options);
    if (options.retry === false) return send();
    const policy = { ...this.options.retry, ...options.retry };
    return retry(send, {
      ...policy,
      retryable: policy.retryable ?? ((error) => mayRetry(kind, error)),
      clock: this.clock,
      signal: options.signal,
      onRetry: policy.onRetry ?? ((error, attempt, delay) => core.info(describeRetry(error, attempt, delay))),
    });
  }

  private async once(
    method: string,
    url: URL,
    target: string,
    kind: CallKind,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    const wait = this.gateUntil - this.clock.now();
    if (wait > 0) {
      if (wait > 1000) core.info(`Rate limit reached: waiting ${formatDuration(wait)} for the window to reset`);
      await this.clock.sleep(wait, options.signal);
    }
    const defaults = typeof this.options.headers === 'function' ? await this.options.headers() : this.options.headers;
    const headers: Record<string, string> = { 'user-agent': userAgent(), ...defaults, ...options.headers };
    let body: string | Uint8Array | undefined;
    if (options.body instanceof Uint8Array || typeof options.body === 'string') body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }

    this.requests++;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        body,
        redirect: 'follow',
        signal: requestSignal(options.timeoutMs ?? this.options.timeoutMs ?? 30_000, options.signal),
      });
      text = method === 'HEAD' ? '' : await response.text();
    } catch (error) {
      // Our caller's cancellation is not a network failure: it ends the call as it is.
      if (options.signal?.aborted) throw options.signal.reason;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const timedOut = (error as Error).name === 'TimeoutError';
      const reason = timedOut ? 'timed out' : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new NetworkError(redact(`${method} ${target} failed: ${reason}`), timedOut ? 'ETIMEDOUT' : cause?.code);
    }

    const waitMs = serverWaitMs(response.headers, this.clock.now());
    const remaining = response.headers.get('ratelimit-remaining') ?? response.headers.get('x-ratelimit-remaining');
    if (remaining !== null && Number(remaining) <= 0 && waitMs !== undefined)
      this.gateUntil = this.clock.now() + waitMs;

    const ok = (response.status >= 200 && response.status < 300) || options.accept?.includes(response.status);
    if (!ok) throw new HttpError(method, target, response.status, text, response.headers, kind);
    return {
      status: response.status,
      headers: response.headers,
      text,
      json<T>() {
        try {
          return (text ? JSON.parse(text) : undefined) as T;
        } catch {
          throw new Error(
            redact(`${method} ${target} answered ${response.status} with a body that is not JSON${excerpt(text)}`),
          );
        }
      },
    };
  }
}

function requestSignal(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}
