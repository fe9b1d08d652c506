import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { echoedCredentials, FaultProxy } from './fault-proxy';

/**
 * A registry that demands Bearer tokens, the way GHCR, Docker Hub and GAR do: a token server (`GET
 * /token?service=&scope=`, credentials as Basic auth) and an auth-checking reverse proxy in front of a
 * plain docker-registry that answers 401 with `WWW-Authenticate: Bearer realm=...,service=...,scope=...`
 * unless the request carries a valid token granting the scope it needs (pull for GET/HEAD, push for
 * writes, and pull on the `from` repository of a cross-repository mount).
 *
 * Chosen over docker-registry's own `auth: token` mode, which needs a signed JWT and a certificate bundle:
 * the proxy exercises the same client behaviour (challenge, realm, scopes, refresh on 401) with HMAC-signed
 * JWT-shaped tokens, and can also answer with `access_token` instead of `token` or short lifetimes.
 */

export interface RegistryAuthOptions {
  /** The plain registry behind, `127.0.0.1:port`. */
  upstream: string;
  /** Accepted username → password. */
  users: Record<string, string>;
  /** The token response field: `token` (Docker Hub), `access_token` (OAuth style), or both. */
  tokenField?: 'token' | 'access_token' | 'both';
  /** Token lifetime in seconds (expires_in). */
  expiresIn?: number;
  service?: string;
  /**
   * Where the realm is: `same` (this proxy's /token, the default), `separate` (a token server on another
   * loopback port, as auth.docker.io is apart from registry-1.docker.io), or a URL to name as the realm
   * without serving it (a realm the client must refuse to send credentials to).
   */
  realm?: 'same' | 'separate' | string;
  /** Quote the request's credentials back in error bodies (token refusals and 401 challenges). */
  echoCredentials?: boolean;
  /**
   * Each token is good for this many registry requests, then refused with a fresh challenge as an expired
   * one is: renewal tested by a condition the test controls instead of the wall clock.
   */
  tokenUses?: number;
}

interface Claims {
  sub: string;
  access: { type: string; name: string; actions: string[] }[];
  exp: number;
  /** Makes every token distinct, so its uses can be counted. */
  jti?: string;
}

export class RegistryAuthServer {
  readonly proxy: FaultProxy;
  readonly key = randomBytes(32);
  tokensIssued = 0;
  /** Every token issued, so tests can look for it in what the client printed. */
  readonly issued: string[] = [];
  /** Requests refused because their token was used up. */
  usedUp = 0;
  private readonly uses = new Map<string, number>();
  /** Scopes asked for, per token request, for assertions. */
  readonly tokenRequests: string[][] = [];
  challenges = 0;
  /** Connections the separate token server accepted. */
  private tokenServer?: Server;
  private tokenHost = '';

  constructor(private readonly options: RegistryAuthOptions) {
    this.proxy = new FaultProxy(options.upstream, (req, res) => this.check(req, res));
  }

  get host(): string {
    return this.proxy.host;
  }

  /** The realm named in challenges. */
  get realm(): string {
    const realm = this.options.realm ?? 'same';
    if (realm === 'same') return `http://${this.host}/token`;
    if (realm === 'separate') return `http://${this.tokenHost}/token`;
    return realm;
  }

  async listen(): Promise<string> {
    if (this.options.realm === 'separate') {
      this.tokenServer = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://auth');
        if (url.pathname === '/token') this.issue(url, req, res);
        else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((resolve) => this.tokenServer!.listen(0, '127.0.0.1', resolve));
      this.tokenHost = `127.0.0.1:${(this.tokenServer.address() as AddressInfo).port}`;
    }
    return this.proxy.listen();
  }

  async close(): Promise<void> {
    if (this.tokenServer) {
      this.tokenServer.closeAllConnections();
      await new Promise<void>((resolve) => this.tokenServer!.close(() => resolve()));
    }
    return this.proxy.close();
  }

  private get service(): string {
    return this.options.service ?? 'test-registry';
  }

  private sign(claims: Claims): string {
    const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
    return `${body}.${createHmac('sha256', this.key).update(body).digest('base64url')}`;
  }

  private verify(token: string): Claims | undefined {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return undefined;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
    return claims.exp * 1000 > Date.now() ? claims : undefined;
  }

  /** Handles /token itself, and refuses /v2/ requests without a sufficient token. */
  private check(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://auth');
    if (url.pathname === '/token' && (this.options.realm ?? 'same') === 'same') {
      this.issue(url, req, res);
      return true;
    }
    if (!url.pathname.startsWith('/v2/')) return false;
    const needed = requiredScopes(req.method ?? 'GET', url);
    const header = req.headers.authorization ?? '';
    const claims = header.startsWith('Bearer ') ? this.verify(header.slice(7)) : undefined;
    const granted = (name: string, action: string) =>
      claims?.access.some((a) => a.type === 'repository' && a.name === name && a.actions.includes(action));
    if (claims && needed.every(([name, action]) => granted(name, action))) {
      const token = header.slice(7);
      const used = (this.uses.get(token) ?? 0) + 1;
      this.uses.set(token, used);
      if (this.options.tokenUses === undefined || used <= this.options.tokenUses) return false;
      this.usedUp++;
    }
    this.challenges++;
    const scope = scopeString(needed);
    req.resume();
    res.writeHead(401, {
      'www-authenticate': `Bearer realm="${this.realm}",service="${this.service}"${scope ? `,scope="${scope}"` : ''}`,
      'content-type': 'application/json',
    });
    const message = `authentication required${this.options.echoCredentials ? `: ${echoedCredentials(req)}` : ''}`;
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message }] }));
    return true;
  }

  private issue(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const basic = req.headers.authorization?.startsWith('Basic ')
      ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString()
      : undefined;
    const user = basic?.slice(0, basic.indexOf(':'));
    const password = basic?.slice(basic.indexOf(':') + 1);
    if (!user || this.options.users[user] === undefined || this.options.users[user] !== password) {
      res.writeHead(401, { 'content-type': 'application/json' });
      const details = `incorrect username or password${this.options.echoCredentials ? `: ${echoedCredentials(req)}` : ''}`;
      res.end(JSON.stringify({ details }));
      return;
    }
    const scopes = url.searchParams.getAll('scope');
    this.tokenRequests.push(scopes);
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      return type === 'repository' && name && actions ? [{ type, name, actions: actions.split(',') }] : [];
    });
    const expiresIn = this.options.expiresIn ?? 300;
    const token = this.sign({
      sub: user,
      access,
      exp: Math.floor(Date.now() / 1000) + expiresIn,
      jti: randomBytes(8).toString('hex'),
    });
    this.tokensIssued++;
    this.issued.push(token);
    const field = this.options.tokenField ?? 'token';
    const body =
      field === 'both'
        ? { token, access_token: token, expires_in: expiresIn }
        : { [field]: token, expires_in: expiresIn };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** The repository actions a request needs: pull to read, push to write, plus pull on a mount's source. */
function requiredScopes(method: string, url: URL): [string, string][] {
  const match = /^\/v2\/(.+?)\/(blobs|manifests|tags)\//.exec(url.pathname);
  if (!match) return [];
  const write = !['GET', 'HEAD'].includes(method);
  const needed: [string, string][] = [[match[1], write ? 'push' : 'pull']];
  if (write) needed.push([match[1], 'pull']);
  const from = url.searchParams.get('from');
  if (from) needed.push([from, 'pull']);
  return needed;
}

function scopeString(needed: [string, string][]): string {
  const byName = new Map<string, Set<string>>();
  for (const [name, action] of needed) {
    if (!byName.has(name)) byName.set(name, new Set());
    byName.get(name)!.add(action);
  }
  return [...byName].map(([name, actions]) => `repository:${name}:${[...actions].sort().join(',')}`).join(' ');
}
