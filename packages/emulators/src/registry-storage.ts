import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultProxy, forward } from './fault-proxy';

/**
 * A registry backed by object storage, the way the reference registry behaves on S3 or GCS and how GHCR,
 * Docker Hub and ECR hand out blobs: blob HEAD and GET are answered with a 307 to a pre-signed URL on
 * another origin (a second loopback port), which refuses any request that also carries an Authorization
 * header, as S3 does ("Only one auth mechanism allowed"), and refuses a missing or wrong signature.
 * Upload sessions get absolute Locations carrying extra query parameters (`_state` and a `session`
 * signature) that every later PATCH/PUT must keep; with `uploadsOnStorage`, the Location points at the
 * storage origin too, so an upload must go there without the registry's credentials.
 *
 * Sits in front of a plain docker-registry (which does the real work); put a RegistryAuthServer in front
 * of it for a registry that also wants tokens.
 */

export interface StorageRegistryOptions {
  /** The plain registry behind, `127.0.0.1:port`. */
  upstream: string;
  uploadsOnStorage?: boolean;
}

export class StorageRegistry {
  readonly proxy: FaultProxy;
  private storage?: Server;
  storageHost = '';
  private readonly key = 'storage-signing-key';
  /** Requests the storage origin refused because they carried Authorization. */
  refusedWithAuthorization = 0;
  /** Requests the storage origin served. */
  served = 0;
  /** Upload requests refused because the Location's query was not kept. */
  refusedWithoutSession = 0;

  constructor(private readonly options: StorageRegistryOptions) {
    this.proxy = new FaultProxy(options.upstream, (req, res) => this.registry(req, res));
  }

  get host(): string {
    return this.proxy.host;
  }

  async listen(): Promise<string> {
    this.storage = createServer((req, res) => void this.serveStorage(req, res));
    await new Promise<void>((resolve) => this.storage!.listen(0, '127.0.0.1', resolve));
    this.storageHost = `127.0.0.1:${(this.storage.address() as AddressInfo).port}`;
    return this.proxy.listen();
  }

  async close(): Promise<void> {
    this.storage?.closeAllConnections();
    await new Promise<void>((resolve) => (this.storage ? this.storage.close(() => resolve()) : resolve()));
    await this.proxy.close();
  }

  private sign(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('hex');
  }

  /** The registry side: blob reads redirect to storage; upload Locations become absolute with a session. */
  private async registry(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://registry');
    const method = req.method ?? 'GET';
    const blob = /^\/v2\/(.+)\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    if (blob && (method === 'GET' || method === 'HEAD')) {
      // Only redirect what exists; a missing blob is the registry's 404.
      const status = await upstreamStatus(this.options.upstream, 'HEAD', url.pathname, req.headers.authorization);
      if (status !== 200) return false;
      const path = `/blobs/${blob[1]}/${blob[2]}`;
      const expires = String(Math.floor(Date.now() / 1000) + 600);
      const target = `http://${this.storageHost}${path}?X-Amz-Expires=600&X-Amz-Date=${expires}&X-Amz-Signature=${this.sign(`${path}:${expires}`)}`;
      req.resume();
      res.writeHead(307, { location: target, 'content-length': '0' });
      res.end();
      return true;
    }
    const upload = /^\/v2\/(.+)\/blobs\/uploads\/(.*)$/.exec(url.pathname);
    if (!upload) return false;
    if (upload[2]) {
      // A session request: it must carry the query the Location had.
      const session = url.searchParams.get('session');
      if (session !== this.sign(url.pathname)) {
        this.refusedWithoutSession++;
        req.resume();
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'BLOB_UPLOAD_INVALID', message: 'upload session query lost' }] }));
        return true;
      }
      url.searchParams.delete('session');
      req.url = `${url.pathname}${url.search}`;
    }
    await this.forwardRewriting(req, res);
    return true;
  }

  /** Forwards to the registry and rewrites a Location into an absolute one with a session signature. */
  private forwardRewriting(req: IncomingMessage, res: ServerResponse, base = this.host): Promise<void> {
    return new Promise((resolve) => {
      const out = request(
        new URL(req.url ?? '/', `http://${this.options.upstream}`),
        { method: req.method, headers: { ...req.headers, host: this.host } },
        (up) => {
          const headers = { ...up.headers };
          if (typeof headers.location === 'string') {
            const location = new URL(headers.location, `http://${this.host}`);
            location.searchParams.set('session', this.sign(location.pathname));
            const origin = this.options.uploadsOnStorage ? this.storageHost : base;
            headers.location = `http://${origin}${this.options.uploadsOnStorage ? '/upload' : ''}${location.pathname}${location.search}`;
          }
          res.writeHead(up.statusCode ?? 502, headers);
          up.pipe(res);
          up.on('end', () => resolve());
        },
      );
      out.on('error', () => {
        res.writeHead(502);
        res.end();
        resolve();
      });
      req.pipe(out);
    });
  }

  /** The storage side: pre-signed blob reads, and (uploadsOnStorage) upload sessions. */
  private async serveStorage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://storage');
    if (req.headers.authorization) {
      this.refusedWithAuthorization++;
      req.resume();
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message></Error>',
      );
      return;
    }
    if (url.pathname.startsWith('/upload/')) {
      const path = url.pathname.slice('/upload'.length);
      const session = url.searchParams.get('session');
      if (session !== this.sign(path)) {
        this.refusedWithoutSession++;
        req.resume();
        res.writeHead(403);
        res.end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
        return;
      }
      url.searchParams.delete('session');
      req.url = `${path}${url.search}`;
      this.served++;
      await this.forwardRewriting(req, res, this.storageHost);
      return;
    }
    const blob = /^\/blobs\/(.+)\/(sha256:[a-f0-9]{64})$/.exec(url.pathname);
    const expires = url.searchParams.get('X-Amz-Date') ?? '';
    if (!blob || url.searchParams.get('X-Amz-Signature') !== this.sign(`${url.pathname}:${expires}`)) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
      return;
    }
    this.served++;
    req.url = `/v2/${blob[1]}/blobs/${blob[2]}`;
    await forward(req, res, `http://${this.options.upstream}`);
  }
}

function upstreamStatus(upstream: string, method: string, path: string, authorization?: string): Promise<number> {
  return new Promise((resolve) => {
    const out = request(
      `http://${upstream}${path}`,
      { method, headers: authorization ? { authorization } : {} },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 502);
      },
    );
    out.on('error', () => resolve(502));
    out.end();
  });
}
