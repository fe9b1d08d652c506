/**
 * A client for one registry host speaking the OCI distribution API: the auth handshake, blob existence,
 * cross-repository mounts, uploads (monolithic PUT for small blobs, one streamed PATCH for big ones, each
 * attempt a fresh upload session), streamed blob downloads verified against their digest, and manifests
 * by tag or digest as raw bytes. Every call is retried on connection failures, 5xx, 408 and 429 with
 * jittered backoff that honours Retry-After.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Clock, describeRetry, realClock, redact, retry } from '@deploy-actions/toolkit';
import { AuthError, Authenticator, type CredentialSource, parseChallenge } from './auth';
import { ACCEPT } from './media';
import { apiHost } from './reference';
import { type Response, type SendOptions, StatusError, sameOrigin, send, TransportError } from './transport';

export interface RegistryOptions {
  /** `http` for loopback and insecure registries, else `https`. */
  scheme: 'http' | 'https';
  credentials: CredentialSource;
  /** Tries per request, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  /** Blobs up to this size go up in one PUT; bigger ones are streamed in a PATCH. */
  monolithicMaxBytes?: number;
  log?: (line: string) => void;
  /** Time for token lifetimes and retry waits; tests inject one. */
  clock?: Clock;
  /** Ends every request and retry wait when the step is over. */
  signal?: AbortSignal;
}

export interface Manifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class Registry {
  readonly auth: Authenticator;
  /** Requests sent, retries included. */
  requests = 0;
  private readonly base: string;
  private pinged?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly options: RegistryOptions,
    scopes: Set<string> = new Set(),
  ) {
    this.base = `${options.scheme}://${apiHost(name)}`;
    this.auth = new Authenticator(name, options.credentials, scopes, { clock: options.clock, signal: options.signal });
  }

  /** Retry waits that end early (and fail) when the step is over, so none keeps the process alive after it. */
  private readonly retryClock: Clock = {
    now: () => (this.options.clock ?? realClock).now(),
    sleep: (ms) => {
      const { signal } = this.options;
      if (this.options.clock) return this.options.clock.sleep(ms);
      return new Promise<void>((resolve, reject) => {
        const stop = () => {
          clearTimeout(timer);
          reject(new TransportError(`${this.name}: gave up waiting to retry, the step is over`, false));
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', stop);
          resolve();
        }, ms);
        if (signal?.aborted) stop();
        else signal?.addEventListener('abort', stop, { once: true });
      });
    },
  };

  /** `GET /v2/`: learns how the registry wants to be authenticated. Idempotent; done once. */
  ping(): Promise<void> {
    this.pinged ??= this.withRetry('GET /v2/', async () => {
      this.requests++;
      const response = await send({
        method: 'GET',
        url: new URL(`${this.base}/v2/`),
        idleTimeoutMs: 30_000,
        signal: this.options.signal,
      });
      await response.drain();
      if (response.status === 401) this.auth.setChallenge(parseChallenge(response.header('www-authenticate')));
      else if (response.status !== 200) throw this.statusError(response, 'GET /v2/', '');
    }).catch((error) => {
      this.pinged = undefined;
      throw error;
    });
    return this.pinged;
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.call(`HEAD ${repository} blob ${digest}`, {
      method: 'HEAD',
      path: `/v2/${repository}/blobs/${digest}`,
      ok: [200, 404],
    });
    await response.drain();
    return response.status === 200;
  }

  /**
   * Tries to mount a blob from another repository of this registry. Returns true when mounted; false when
   * the registry declined (it then opened an upload session, which we cancel).
   */
  async mountBlob(repository: string, digest: string, from: string): Promise<boolean> {
    const response = await this.call(`mount ${digest} into ${repository}`, {
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/`,
      query: { mount: digest, from },
      ok: [201, 202],
    });
    await response.drain();
    if (response.status === 201) return true;
    await this.cancelUpload(response);
    return false;
  }

  /**
   * Uploads a blob from a stream factory; each attempt starts a new upload session and reopens the stream,
   * so a connection reset halfway through restarts cleanly.
   */
  async uploadBlob(
    repository: string,
    blob: { digest: string; size: number; open: () => Readable },
    onProgress?: (bytes: number) => void,
  ): Promise<void> {
    const monolithic = blob.size <= (this.options.monolithicMaxBytes ?? 8 * 1024 * 1024);
    await this.withRetry(`upload ${blob.digest} to ${repository}`, async () => {
      let sent = 0;
      const progress = (bytes: number) => {
        sent += bytes;
        onProgress?.(bytes);
      };
      try {
        const start = await this.once({ method: 'POST', path: `/v2/${repository}/blobs/uploads/`, ok: [202] });
        await start.drain();
        let location = this.location(start);
        if (!monolithic) {
          const patched = await this.once({
            method: 'PATCH',
            url: location,
            headers: { 'content-type': 'application/octet-stream' },
            body: blob.open,
            contentLength: blob.size,
            onProgress: progress,
            ok: [202, 204],
          });
          await patched.drain();
          location = this.location(patched);
        }
        location.searchParams.set('digest', blob.digest);
        const put = await this.once({
          method: 'PUT',
          url: location,
          headers: { 'content-type': 'application/octet-stream' },
          ...(monolithic ? { body: blob.open, contentLength: blob.size, onProgress: progress } : {}),
          ok: [201, 204],
        });
        await put.drain();
      } catch (error) {
        // Progress already counted for a failed attempt is taken back so totals stay true.
        if (sent) onProgress?.(-sent);
        throw error;
      }
    });
  }

  /** Streams a blob to a file, verifying its digest; retried from the start on any failure. */
  async downloadBlob(repository: string, digest: string, file: string): Promise<void> {
    await this.withRetry(`download ${repository}@${digest}`, async () => {
      // Registries hand blobs out from storage (S3, GCS, a CDN) by redirect, to a pre-signed URL: send()
      // follows it without our Authorization header.
      const response = await this.once({ method: 'GET', path: `/v2/${repository}/blobs/${digest}`, ok: [200] });
      const hash = createHash('sha256');
      response.stream.on('data', (chunk: Buffer) => hash.update(chunk));
      try {
        await pipeline(response.stream, createWriteStream(file));
      } catch (error) {
        await rm(file, { force: true });
        throw new StatusError(
          599,
          `download of ${digest} from ${this.name}/${repository} broke off: ${(error as { code?: string }).code ?? error}`,
          {},
        );
      }
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== digest) {
        await rm(file, { force: true });
        throw new StatusError(599, `${this.name}/${repository} served ${digest} with content hashing to ${actual}`, {});
      }
    });
  }

  async getManifest(repository: string, reference: string): Promise<Manifest> {
    return this.withRetry(`GET ${repository} manifest ${reference}`, async () => {
      const response = await this.once({
        method: 'GET',
        path: `/v2/${repository}/manifests/${reference}`,
        headers: { accept: ACCEPT },
        ok: [200],
      });
      const bytes = await response.bytes();
      const digest = sha256(bytes);
      if (reference.startsWith('sha256:') && digest !== reference)
        throw new Error(`${this.name}/${repository} served manifest ${reference} with content hashing to ${digest}`);
      const mediaType = (response.header('content-type') ?? '').split(';')[0].trim();
      return { bytes, mediaType, digest };
    });
  }

  /** The digest a tag (or digest) points to, or undefined when there is none. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.call(`HEAD ${repository} manifest ${reference}`, {
      method: 'HEAD',
      path: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: ACCEPT },
      ok: [200, 404],
    });
    await response.drain();
    if (response.status === 404) return undefined;
    return response.header('docker-content-digest') ?? (reference.startsWith('sha256:') ? reference : undefined);
  }

  async putManifest(repository: string, reference: string, manifest: Manifest): Promise<string> {
    const response = await this.call(`PUT ${repository} manifest ${reference}`, {
      method: 'PUT',
      path: `/v2/${repository}/manifests/${reference}`,
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
      ok: [201, 200],
    });
    await response.drain();
    const digest = response.header('docker-content-digest');
    if (digest && digest !== manifest.digest)
      throw new Error(
        `${this.name}/${repository} stored manifest ${reference} as ${digest}, not ${manifest.digest}: it rewrote the manifest`,
      );
    return manifest.digest;
  }

  private async cancelUpload(response: Response): Promise<void> {
    try {
      const cancel = await this.once({ method: 'DELETE', url: this.location(response), ok: [200, 202, 204, 404] });
      await cancel.drain();
    } catch {
      // An abandoned session expires on its own.
    }
  }

  /** An upload Location, absolute or relative to the request, query parameters kept. */
  private location(response: Response): URL {
    const location = response.header('location');
    if (!location) throw new Error(`${this.name} answered ${response.status} without a Location for the upload`);
    return new URL(location, response.url);
  }

  private call(what: string, request: Request): Promise<Response> {
    return this.withRetry(what, () => this.once(request));
  }

  private withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return retry(fn, {
      attempts: this.options.attempts ?? 5,
      baseMs: this.options.baseDelayMs ?? 500,
      maxMs: 15_000,
      clock: this.retryClock,
      onRetry: (error, attempt, delay) =>
        this.options.log?.(`${this.name}: ${what}: ${describeRetry(error, attempt, delay)}`),
    });
  }

  /** One request with auth; a 401 takes the new challenge and is tried once more with a fresh token. */
  private async once(request: Request): Promise<Response> {
    await this.ping();
    for (let authTry = 0; ; authTry++) {
      const url = request.url ? new URL(request.url) : new URL(`${this.base}${request.path}`);
      for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
      const headers: Record<string, string> = { ...request.headers };
      // An upload Location on another host (storage) gets no credentials.
      const authorization = sameOrigin(url, new URL(this.base)) ? await this.auth.header() : undefined;
      if (authorization) headers.authorization = authorization;
      this.requests++;
      const response = await send({ ...request, url, headers, signal: this.options.signal } as SendOptions);
      // A refused token is renewed (up to twice: a concurrent request may use up the renewed one first).
      if (response.status === 401 && authTry < 2) {
        await response.drain();
        this.auth.setChallenge(parseChallenge(response.header('www-authenticate')));
        this.auth.invalidate(authorization);
        continue;
      }
      if (request.ok.includes(response.status)) return response;
      const what = `${request.method} ${url.pathname}`;
      const body = request.method === 'HEAD' ? '' : await response.text().catch(() => '');
      if (response.status === 401 || response.status === 403)
        throw new AuthError(
          `${this.name} refused ${what} (${response.status})${registryMessage(body)}: check the credentials and their push permission`,
        );
      throw this.statusError(response, what, body);
    }
  }

  private statusError(response: Response, what: string, body: string): StatusError {
    return new StatusError(
      response.status,
      `${this.name}: ${what} answered ${response.status}${registryMessage(body)}`,
      response.headers,
    );
  }
}

interface Request extends Omit<SendOptions, 'url'> {
  url?: URL;
  path?: string;
  query?: Record<string, string>;
  ok: number[];
}

/**
 * The registry's own words from an error body (`{"errors":[{"code":"...","message":"..."}]}`), redacted
 * at once: registries echo credentials in error bodies, and this text reaches the log, errors and summary.
 */
export function registryMessage(body: string): string {
  let text = '';
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = parsed.errors?.[0];
    if (first) text = [first.code, first.message].filter((v) => typeof v === 'string' && v).join(' ');
  } catch {}
  if (!text) text = redact(body).replace(/\s+/g, ' ').trim();
  text = redact(text).replace(/\s+/g, ' ').trim();
  return text ? `: ${text.slice(0, 200)}` : '';
}
