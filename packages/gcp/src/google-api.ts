import {
  type Clock,
  HttpClient,
  HttpError,
  type RequestOptions,
  type RetryOptions,
  UserError,
  redact,
} from '@deploy-actions/toolkit';
import type { GoogleCredentials } from './auth';
import { credentialEndpoint } from './endpoint';

/**
 * A Google REST API on the toolkit HttpClient: the bearer token from `googleCredentials` on every request,
 * transient failures retried (429/5xx, resets, Retry-After), and Google's error body
 * (`{error:{code,status,message}}`) turned into one line that says what to do.
 */

export class GoogleApiError extends UserError {
  override name = 'GoogleApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface GoogleApiOptions {
  credentials: GoogleCredentials;
  /** The API's base URL, e.g. https://run.googleapis.com; an `api-endpoint` input overrides it. */
  endpoint: string;
  /** Name used in error messages: "Cloud Run Admin API". */
  api: string;
  clock?: Clock;
  retry?: RetryOptions;
  timeoutMs?: number;
}

export class GoogleApi {
  readonly http: HttpClient;
  constructor(readonly options: GoogleApiOptions) {
    this.http = new HttpClient({
      // The Bearer token goes wherever this points: https, or http to loopback only; never metadata.
      baseUrl: credentialEndpoint('api-endpoint', options.endpoint),
      clock: options.clock,
      timeoutMs: options.timeoutMs ?? 60_000,
      retry: { attempts: 6, baseMs: 500, maxMs: 20_000, ...options.retry },
      headers: async () => ({ authorization: `Bearer ${await options.credentials.token()}` }),
    });
  }

  /** Requests sent so far, retries included. */
  get requests(): number {
    return this.http.requests;
  }

  async call<T>(path: string, options: RequestOptions = {}): Promise<T> {
    try {
      return await this.http.json<T>(path, options);
    } catch (error) {
      throw this.explain(error, options.method ?? 'GET', path);
    }
  }

  /** Like `call`, but a 404 gives undefined. */
  async find<T>(path: string, options: RequestOptions = {}): Promise<T | undefined> {
    try {
      const response = await this.http.request(path, { ...options, accept: [404] });
      return response.status === 404 ? undefined : response.json<T>();
    } catch (error) {
      throw this.explain(error, options.method ?? 'GET', path);
    }
  }

  private explain(error: unknown, method: string, path: string): unknown {
    if (!(error instanceof HttpError)) return error;
    let status: string | undefined;
    let message = error.body.trim();
    try {
      const parsed = JSON.parse(error.body) as { error?: { status?: string; message?: string } };
      status = parsed.error?.status;
      message = parsed.error?.message ?? message;
    } catch {}
    if (message.length > 500) message = `${message.slice(0, 497)}...`;
    const what = `${this.options.api}: ${method} ${path.split('?')[0]} answered ${error.status}${status ? ` ${status}` : ''}`;
    const hint = HINTS[error.status] ?? '';
    return new GoogleApiError(redact(`${what}: ${message || 'no details'}${hint}`), error.status, status);
  }
}

const HINTS: Record<number, string> = {
  401: ' (the credentials were refused: check the google-github-actions/auth step and that the token has not expired)',
  403: ' (the credentials lack a permission: grant the service account the role the message names, e.g. roles/run.admin, and roles/iam.serviceAccountUser on the runtime service account)',
  429: ' (quota exhausted even after retries: try again later or raise the quota)',
};
