import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A streaming reverse proxy in front of a real registry (or any HTTP server) that misbehaves on demand:
 * answers a matching request with an error status and headers (503, 429 with Retry-After), drops the
 * connection before answering, or drops it partway through a request body (a blob upload) or a response
 * body (a blob download). Bodies stream through untouched otherwise, so 200 MB layers pass without being
 * held in memory. Written by hand on node:http because the faults must cut streams at exact byte counts.
 * The Host header is passed through, so Location headers the registry builds point back at the proxy.
 */

export interface ProxyFault {
  method?: string;
  path?: RegExp;
  /** Matching requests affected (default 1; Infinity for all). */
  times?: number;
  /** Answer with this status and headers instead of forwarding. */
  status?: number;
  headers?: Record<string, string>;
  /** Drop the connection: before forwarding, after part of the request body, or after part of the response body. */
  reset?: 'before-response' | 'request-body' | 'response-body';
  /** Where a body reset happens (default: half of Content-Length). */
  afterBytes?: number;
  /**
   * With `status`: put the request's credentials in the error body (the Authorization header, its
   * decoded Basic form and the query string), as some registries and proxies do.
   */
  echo?: boolean;
}

/** What a careless server quotes back: the Authorization header and what it decodes to, and the query. */
export function echoedCredentials(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
  const query = new URL(req.url ?? '/', 'http://x').search;
  return `request had authorization "${header}"${decoded ? ` (${decoded})` : ''}${query ? ` and query ${query}` : ''}`;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  status: number;
  fault?: string;
}

/** Forwards one request to `upstream` (http://host:port), streaming both bodies; applies a body fault if given. */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  fault?: ProxyFault,
): Promise<number> {
  return new Promise((resolve) => {
    const target = new URL(req.url ?? '/', upstream);
    const out = request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (fault?.reset === 'response-body') {
        const limit = fault.afterBytes ?? Math.floor(Number(up.headers['content-length'] ?? 0) / 2);
        let sent = 0;
        if (limit <= 0) {
          up.destroy();
          res.socket?.destroy();
        }
        up.on('data', (chunk: Buffer) => {
          const room = limit - sent;
          if (room <= 0) return;
          res.write(room >= chunk.length ? chunk : chunk.subarray(0, room));
          sent += Math.min(room, chunk.length);
          if (sent >= limit) {
            up.destroy();
            res.socket?.destroy();
          }
        });
      } else up.pipe(res);
      resolve(up.statusCode ?? 502);
    });
    out.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502);
        res.end();
      }
      resolve(502);
    });
    if (fault?.reset === 'request-body') {
      const limit = fault.afterBytes ?? Math.floor(Number(req.headers['content-length'] ?? 0) / 2);
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen >= limit) {
          out.destroy();
          req.socket.destroy();
          resolve(0);
        } else out.write(chunk);
      });
      req.on('end', () => out.end());
    } else req.pipe(out);
  });
}

export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly faults: (ProxyFault & { left: number })[] = [];
  private server?: Server;
  /** `127.0.0.1:port`, a registry host for references. */
  host = '';

  constructor(
    private readonly upstream: string,
    /** Runs before forwarding; returns true when it answered the request itself (e.g. an auth check). */
    private readonly before?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>,
  ) {}

  inject(fault: ProxyFault): this {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
    return this;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Faults that have not fired yet (a test can assert every injected fault happened). */
  pendingFaults(): number {
    return this.faults.filter((f) => f.left > 0 && f.left !== Number.POSITIVE_INFINITY).length;
  }

  count(method?: string, path?: RegExp): number {
    return this.requests.filter((r) => (!method || r.method === method) && (!path || path.test(r.path))).length;
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.host;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private take(method: string, path: string): ProxyFault | undefined {
    const fault = this.faults.find(
      (f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(path)),
    );
    if (fault) fault.left--;
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const entry: ProxiedRequest = { method, path, status: 0 };
    this.requests.push(entry);
    const fault = this.take(method, path);
    if (fault) entry.fault = fault.status ? String(fault.status) : fault.reset;
    if (fault?.reset === 'before-response') {
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      req.resume();
      const message = fault.echo ? `injected fault: ${echoedCredentials(req)}` : 'injected fault';
      const body = JSON.stringify({ errors: [{ code: fault.echo ? 'DENIED' : 'UNAVAILABLE', message }] });
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        ...fault.headers,
      });
      res.end(body);
      entry.status = fault.status;
      return;
    }
    // After the faults, so a token endpoint or an auth check can be made to fail too.
    if (this.before && (await this.before(req, res))) {
      entry.status = res.statusCode;
      return;
    }
    entry.status = await forward(req, res, `http://${this.upstream.replace(/^https?:\/\//, '')}`, fault);
  }
}
