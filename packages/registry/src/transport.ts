/**
 * HTTP for the registry protocol on node:http/https. Written on the core modules rather than the toolkit
 * HttpClient (which buffers bodies as text) because blobs must stream both ways: uploads are piped from
 * disk and downloads to disk, so a 200 MB layer never sits in memory. Keep-alive agents are shared so
 * HEAD checks and uploads reuse connections. Retrying is the caller's job (registry.ts), because an
 * upload restart has to begin a new upload session, not just resend.
 */
import { Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { serverWaitMs } from '@deploy-actions/toolkit';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });

export interface SendOptions {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A buffer, or a function opening a fresh stream (called once per send). */
  body?: Buffer | (() => Readable);
  /** Required with a stream body. */
  contentLength?: number;
  /** Fails the request when the connection is silent this long. */
  idleTimeoutMs?: number;
  /** Called with byte counts as a streamed body is sent, for progress. */
  onProgress?: (bytes: number) => void;
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  stream: IncomingMessage;
  header(name: string): string | undefined;
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
  /** Reads and discards the body so the connection can be reused. */
  drain(): Promise<void>;
}

/** A failure before a complete response: refused, reset, timed out. Worth retrying. */
export class TransportError extends Error {
  override name = 'TransportError';
  readonly retryable = true;
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

export function send(options: SendOptions): Promise<Response> {
  const { url, method } = options;
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = { 'user-agent': 'deploy-actions/push-registry', ...options.headers };
  if (Buffer.isBuffer(options.body)) headers['content-length'] = String(options.body.length);
  else if (options.body) headers['content-length'] = String(options.contentLength ?? 0);
  else if (method === 'PUT' || method === 'POST' || method === 'PATCH') headers['content-length'] = '0';

  return new Promise<Response>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: secure ? httpsAgent : httpAgent,
    });
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      const code = (error as { code?: string }).code;
      req.destroy();
      reject(new TransportError(`${method} ${url.host}${url.pathname} failed: ${code ?? error.message}`));
    };
    req.setTimeout(options.idleTimeoutMs ?? 60_000, () => fail(new Error('timed out')));
    req.on('error', fail);
    req.on('response', (res) => {
      if (settled) {
        res.resume();
        return;
      }
      settled = true;
      res.on('error', () => {});
      resolve(wrap(res));
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

function wrap(res: IncomingMessage): Response {
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    stream: res,
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

/** Closes kept-alive connections so the process can exit as soon as the work is done. */
export function closeConnections(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}
