import * as core from '@actions/core';
import { type Clock, realClock } from './clock';
import { formatDuration } from './duration';
import { type Retryable, type RetryOptions, describeRetry, retry, serverWaitMs } from './retry';
import { redact } from './secrets';

/**
 * The one HTTP client every action uses, on Node's built-in fetch. Each request has a timeout; transient
 * failures (connection errors, timeouts, 429, 502/503/504, and 500 for idempotent requests) are retried
 * with jittered backoff, waiting as long as Retry-After or RateLimit-Reset asks. When a response says no
 * requests remain in the window, the next request waits for the reset instead of earning a 429.
 */

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
    idempotent: boolean,
  ) {
    super(redact(`${method} ${target} answered ${status}${excerpt(body)}`));
    this.retryable =
      status === 429 || status === 502 || status === 503 || status === 504 || (idempotent && status >= 500);
    this.retryAfterMs = serverWaitMs(headers);
  }
}

export class NetworkError extends Error implements Retryable {
  override name = 'NetworkError';
  readonly retryable = true;
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
  /** Retry a 500 (and other failures) even for POST/PATCH: the server de-duplicates. */
  idempotent?: boolean;
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

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

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
    const idempotent = options.idempotent ?? IDEMPOTENT.has(method);
    const send = () => this.once(method, url, target, idempotent, options);
    if (options.retry === false) return send();
    const policy = { ...this.options.retry, ...options.retry };
    return retry(send, {
      ...policy,
      clock: this.clock,
      onRetry: policy.onRetry ?? ((error, attempt, delay) => core.info(describeRetry(error, attempt, delay))),
    });
  }

  private async once(
    method: string,
    url: URL,
    target: string,
    idempotent: boolean,
    options: RequestOptions,
  ): Promise<HttpResponse> {
    const wait = this.gateUntil - this.clock.now();
    if (wait > 0) {
      if (wait > 1000) core.info(`Rate limit reached: waiting ${formatDuration(wait)} for the window to reset`);
      await this.clock.sleep(wait);
    }
    const defaults = typeof this.options.headers === 'function' ? await this.options.headers() : this.options.headers;
    const headers: Record<string, string> = { 'user-agent': 'deploy-actions', ...defaults, ...options.headers };
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
        signal: AbortSignal.timeout(options.timeoutMs ?? this.options.timeoutMs ?? 30_000),
      });
      text = method === 'HEAD' ? '' : await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason =
        (error as Error).name === 'TimeoutError'
          ? 'timed out'
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new NetworkError(redact(`${method} ${target} failed: ${reason}`));
    }

    const waitMs = serverWaitMs(response.headers, this.clock.now());
    const remaining = response.headers.get('ratelimit-remaining') ?? response.headers.get('x-ratelimit-remaining');
    if (remaining !== null && Number(remaining) <= 0 && waitMs !== undefined)
      this.gateUntil = this.clock.now() + waitMs;

    const ok = (response.status >= 200 && response.status < 300) || options.accept?.includes(response.status);
    if (!ok) throw new HttpError(method, target, response.status, text, response.headers, idempotent);
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
