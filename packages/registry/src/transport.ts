/**
 * HTTP for the registry protocol on node:http/https. Written on the core modules rather than the toolkit
 * HttpClient (which buffers bodies as text) because blobs must stream both ways: uploads are piped from
 * disk and downloads to disk, so a 200 MB layer never sits in memory. Keep-alive agents are shared so
 * HEAD checks and uploads reuse connections. Retrying is the caller's job (registry.ts), because an
 * upload restart has to begin a new upload session, not just resend.
 *
 * Redirects (301/302/303/307/308) are followed here for every request, blob HEAD and GET included, as
 * registries hand blobs out from storage on another host (S3, GCS, a CDN). The Authorization header is
 * sent only to the origin it was meant for: a redirect to another host (or scheme or port) goes without
 * it, as a pre-signed storage URL refuses it. Every request has an idle timeout, and all of them end when
 * the step's AbortSignal fires, so nothing outlives the step.
 */
import { Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { proxyAgent, serverWaitMs, userAgent } from '@deploy-actions/toolkit';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });
// Through HTTPS_PROXY/HTTP_PROXY (NO_PROXY honoured) when a proxy is configured; undefined otherwise.
const proxiedHttp = proxyAgent('http');
const proxiedHttps = proxyAgent('https');

export const REDIRECTS = [301, 302, 303, 307, 308];
const MAX_REDIRECTS = 5;

export interface SendOptions {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A buffer, or a function opening a fresh stream (called once per send, redirects included). */
  body?: Buffer | (() => Readable);
  /** Required with a stream body. */
  contentLength?: number;
  /** Fails the request when the connection is silent this long (default 60 s). */
  idleTimeoutMs?: number;
  /** Called with byte counts as a streamed body is sent, for progress. */
  onProgress?: (bytes: number) => void;
  /** Ends the request (and any redirect hop) when the step is over. */
  signal?: AbortSignal;
  /** Return redirects to the caller instead of following them (upload sessions handle their own). */
  noFollow?: boolean;
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  stream: IncomingMessage;
  /** Where the final answer came from, after redirects. */
  url: URL;
  header(name: string): string | undefined;
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
  /** Reads and discards the body so the connection can be reused. */
  drain(): Promise<void>;
}

/** A failure before a complete response: refused, reset, timed out. Worth retrying. */
export class TransportError extends Error {
  override name = 'TransportError';
  readonly retryable: boolean;
  constructor(message: string, retryable = true) {
    super(message);
    this.retryable = retryable;
  }
}

/** An HTTP status the caller did not expect; 5xx, 408 and 429 are worth retrying (after Retry-After). */
export class StatusError extends Error {
  override name = 'StatusError';
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  constructor(
    readonly status: number,
    message: string,
    headers: IncomingHttpHeaders,
  ) {
    super(message);
    this.retryable = status >= 500 || status === 429 || status === 408;
    this.retryAfterMs = serverWaitMs(headers as Record<string, string>);
  }
}

/** Same scheme, host and port: the only place an Authorization header may go. */
export function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

/** Sends a request, following redirects; Authorization only ever goes to the first request's origin. */
export async function send(options: SendOptions): Promise<Response> {
  let current = options;
  for (let hops = 0; ; hops++) {
    const response = await sendOnce(current);
    if (options.noFollow || !REDIRECTS.includes(response.status)) return response;
    await response.drain();
    const location = response.header('location');
    if (!location) return response;
    if (hops === MAX_REDIRECTS)
      throw new TransportError(
        `${options.method} ${options.url.host}${options.url.pathname} redirects more than ${MAX_REDIRECTS} times`,
        false,
      );
    const url = new URL(location, current.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new TransportError(`${options.url.host} redirected to a ${url.protocol} URL`, false);
    if (current.url.protocol === 'https:' && url.protocol === 'http:')
      throw new TransportError(`${options.url.host} redirected from https to plain http (${url.host}); refused`, false);
    const headers = { ...current.headers };
    if (!sameOrigin(url, options.url)) delete headers.authorization;
    // 303 (and 301/302 after a POST, as browsers do) turns into a GET without a body.
    const toGet = response.status === 303 && current.method !== 'HEAD';
    current = {
      ...current,
      url,
      headers,
      method: toGet ? 'GET' : current.method,
      body: toGet ? undefined : current.body,
    };
  }
}

function sendOnce(options: SendOptions): Promise<Response> {
  const { url, method, signal } = options;
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = { 'user-agent': userAgent(), ...options.headers };
  if (Buffer.isBuffer(options.body)) headers['content-length'] = String(options.body.length);
  else if (options.body) headers['content-length'] = String(options.contentLength ?? 0);
  else if (method === 'PUT' || method === 'POST' || method === 'PATCH') headers['content-length'] = '0';

  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TransportError(`${method} ${url.host}${url.pathname} not sent: the step is over`, false));
      return;
    }
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: secure ? (proxiedHttps ?? httpsAgent) : (proxiedHttp ?? httpAgent),
    });
    let settled = false;
    const onAbort = () => fail(new Error('cancelled'), false);
    signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (error: Error, retryable = true) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      const code = (error as { code?: string }).code;
      req.destroy();
      reject(new TransportError(`${method} ${url.host}${url.pathname} failed: ${code ?? error.message}`, retryable));
    };
    req.setTimeout(options.idleTimeoutMs ?? 60_000, () => fail(new Error('timed out')));
    req.on('error', (error) => fail(error));
    req.on('response', (res) => {
      if (settled) {
        res.resume();
        return;
      }
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      res.on('error', () => {});
      if (signal) {
        const stop = () => res.destroy(new Error('cancelled'));
        signal.addEventListener('abort', stop, { once: true });
        res.once('close', () => signal.removeEventListener('abort', stop));
      }
      resolve(wrap(res, url));
    });
    if (Buffer.isBuffer(options.body)) req.end(options.body);
    else if (options.body) {
      const stream = options.body();
      if (options.onProgress) stream.on('data', (chunk: Buffer) => options.onProgress!(chunk.length));
      // The response (or the error) settles the promise; a broken pipe shows up there as a reset.
      pipeline(stream, req).catch((error) => fail(error));
    } else req.end();
  });
}

function wrap(res: IncomingMessage, url: URL): Response {
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    stream: res,
    url,
    header(name) {
      const value = res.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    },
    async bytes() {
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of res) chunks.push(chunk as Buffer);
      } catch (error) {
        throw new TransportError(`reading the response failed: ${(error as { code?: string }).code ?? error}`);
      }
      return Buffer.concat(chunks);
    },
    async text() {
      return (await this.bytes()).toString('utf8');
    },
    async drain() {
      try {
        for await (const _ of res);
      } catch {
        // A broken body after a status we already have changes nothing.
      }
    },
  };
}

/** Closes kept-alive connections (and any in use) so the process can exit as soon as the work is done. */
export function closeConnections(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
  proxiedHttp?.destroy();
  proxiedHttps?.destroy();
}
