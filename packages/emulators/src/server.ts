import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The small HTTP server every emulator is built on: a route table, a request log (so tests and the
 * benchmark can count API calls), and faults that can be injected into matching requests: an error
 * status with headers (5xx, 429 with rate-limit headers), a delay, or a connection reset, either before
 * answering or halfway through the body. Written by hand: the emulators need exact control of status,
 * headers, timing and broken connections, which a framework would only get in the way of.
 * Emulators listen on 127.0.0.1 only.
 */

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  params: string[];
  json<T = Record<string, unknown>>(): T;
  form(): URLSearchParams;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Handler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface Fault {
  /** Which requests: method and/or a path pattern; all when omitted. */
  method?: string;
  path?: RegExp;
  /** How many matching requests it affects (default 1; Infinity for all). */
  times?: number;
  /** Answer with this status (and headers/body) instead of handling the request. */
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (or before the reset). */
  delayMs?: number;
  /** Drop the connection: before any response, or after sending half of the real response body. */
  reset?: 'before-response' | 'mid-body';
  /**
   * Lose the answer of a call that took effect: the request is handled (the resource is created, the job
   * runs), then the connection is reset, or left open with no answer until the client gives up ('timeout').
   * For testing that a client reconciles by reading state instead of sending a create again.
   */
  lostAnswer?: 'reset' | 'timeout';
  /** Only requests this predicate accepts (e.g. by a form field or body), besides method and path. */
  match?: (req: EmulatorRequest) => boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

export class EmulatorServer {
  readonly requests: LoggedRequest[] = [];
  private readonly routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  private readonly faults: (Fault & { left: number })[] = [];
  private server?: Server;
  url = '';

  route(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  inject(fault: Fault): this {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
    return this;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests matching a method and path pattern, for counting API calls. */
  count(method?: string, path?: RegExp): number {
    return this.requests.filter((r) => (!method || r.method === method) && (!path || path.test(r.path))).length;
  }

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private takeFault(method: string, path: string, request?: EmulatorRequest): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.left > 0 &&
        (!f.method || f.method === method) &&
        (!f.path || f.path.test(path)) &&
        (!f.match || (request !== undefined && f.match(request))),
    );
    if (fault) fault.left--;
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    const body = Buffer.concat(chunks);
    const log = (status: number) => this.requests.push({ method, path, status, at: Date.now() });

    const fault = this.takeFault(method, path, {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      body,
      params: [],
      json: <T>() => (body.length ? JSON.parse(body.toString('utf8')) : {}) as T,
      form: () => new URLSearchParams(body.toString('utf8')),
    });
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.reset === 'before-response') {
      log(0);
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      log(fault.status);
      send(res, { status: fault.status, headers: fault.headers, body: fault.body ?? { error: 'injected fault' } });
      return;
    }

    let response: EmulatorResponse;
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) response = { status: 404, body: { message: `no route for ${method} ${path}` } };
    else {
      const params = route.pattern.exec(path)!.slice(1);
      const request: EmulatorRequest = {
        method,
        path,
        query: url.searchParams,
        headers: req.headers,
        body,
        params,
        json: <T>() => (body.length ? JSON.parse(body.toString('utf8')) : {}) as T,
        form: () => new URLSearchParams(body.toString('utf8')),
      };
      try {
        response = await route.handler(request);
      } catch (error) {
        response = { status: 500, body: { message: `emulator error: ${(error as Error).message}` } };
      }
    }
    log(response.status);
    if (fault?.lostAnswer === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.lostAnswer === 'timeout') return; // never answered; close() ends the connection
    if (fault?.reset === 'mid-body') {
      const payload = encode(response.body);
      res.writeHead(response.status, { 'content-length': String(payload.length), ...response.headers });
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
      return;
    }
    send(res, response);
  }
}

function encode(body: unknown): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  const payload = encode(response.body);
  const isJson = response.body !== undefined && !Buffer.isBuffer(response.body) && typeof response.body !== 'string';
  res.writeHead(response.status, {
    ...(isJson ? { 'content-type': 'application/json' } : {}),
    'content-length': String(payload.length),
    ...response.headers,
  });
  res.end(payload);
}

/**
 * Emulated time: operations declare durations in emulated milliseconds; `scale` emulated ms pass per real
 * ms, so a 10-minute deploy can finish in a second of a test.
 */
export class EmulatedClock {
  private readonly origin = Date.now();
  constructor(readonly scale = 1) {}

  now(): number {
    return this.origin + (Date.now() - this.origin) * this.scale;
  }
}
