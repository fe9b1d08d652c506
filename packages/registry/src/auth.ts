/**
 * Registry authentication per the distribution spec: `GET /v2/` answers 401 with a `WWW-Authenticate`
 * challenge; Basic means sending the credentials on every request, Bearer means fetching a token from
 * the realm for the scopes needed (`repository:NAME:pull,push`), with the credentials as Basic auth when
 * we have them, and sending that. Tokens are cached per registry and refreshed before they expire or
 * when a request is refused with a new challenge (more scopes, or expired).
 */
import { StatusError, send } from './transport';

export interface Credentials {
  username: string;
  password: string;
}

/** Resolves credentials for a registry when first needed (cloud tokens are fetched lazily). */
export type CredentialSource = () => Promise<Credentials | undefined>;

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** Parses `Bearer realm="https://...",service="...",scope="..."` (quoted values may hold commas). */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  for (const m of match[2].matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[m[1].toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme, params };
}

export class AuthError extends Error {
  override name = 'AuthError';
}

interface Token {
  value: string;
  scopes: Set<string>;
  expiresAt: number;
  /** Renew this long before expiry: 10 s, or half the lifetime of a short-lived token. */
  margin: number;
}

/** The Authorization header for one registry, kept current across scopes and expiry. */
export class Authenticator {
  private challenge?: Challenge;
  private token?: Token;
  private pending?: Promise<Token>;
  private credentials?: Promise<Credentials | undefined>;
  /** Token requests made, for the summary and tests. */
  tokensFetched = 0;

  constructor(
    private readonly registry: string,
    private readonly source: CredentialSource,
    private readonly scopes: Set<string>,
  ) {}

  /** Records the challenge from `GET /v2/` (or a later 401); returns whether anything changed. */
  setChallenge(challenge: Challenge | undefined): boolean {
    if (!challenge) return false;
    const extra = challenge.params.scope?.split(' ').filter((s) => s && !this.scopes.has(s)) ?? [];
    for (const scope of extra) this.scopes.add(scope);
    const changed = !this.challenge || this.challenge.scheme !== challenge.scheme || extra.length > 0;
    this.challenge = challenge;
    return changed;
  }

  addScope(scope: string): void {
    this.scopes.add(scope);
  }

  /** Forgets the token so the next request fetches a fresh one (after a 401). */
  invalidate(): void {
    this.token = undefined;
  }

  get scheme(): string {
    return this.challenge?.scheme ?? 'none';
  }

  /** Asked once, even by concurrent requests (an ECR or Google token is one API call). */
  private creds(): Promise<Credentials | undefined> {
    this.credentials ??= this.source().catch((error) => {
      this.credentials = undefined;
      throw error;
    });
    return this.credentials;
  }

  async header(): Promise<string | undefined> {
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === 'basic') {
      const creds = await this.creds();
      if (!creds) throw new AuthError(`${this.registry} asks for a username and password and none were given`);
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    }
    const fresh =
      this.token &&
      this.token.expiresAt - this.token.margin > Date.now() &&
      [...this.scopes].every((s) => this.token!.scopes.has(s));
    if (!fresh) {
      this.pending ??= this.fetchToken().finally(() => {
        this.pending = undefined;
      });
      this.token = await this.pending;
    }
    return `Bearer ${this.token!.value}`;
  }

  private async fetchToken(): Promise<Token> {
    const { realm, service } = this.challenge!.params;
    if (!realm) throw new AuthError(`${this.registry} sent a Bearer challenge without a realm`);
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    const scopes = new Set(this.scopes);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const creds = await this.creds();
    const headers: Record<string, string> = {};
    if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    this.tokensFetched++;
    const started = Date.now();
    const response = await send({ method: 'GET', url, headers, idleTimeoutMs: 30_000 });
    const text = await response.text();
    if (response.status === 401 || response.status === 403) {
      throw new AuthError(
        `${this.registry} refused the ${creds ? 'credentials' : 'anonymous request'} for ${[...scopes].join(' ')} (${response.status}): ${creds ? 'check the username and password or token and its permissions' : 'give credentials for it'}`,
      );
    }
    // A busy or failing token service is worth retrying like any registry request.
    if (response.status >= 500 || response.status === 429 || response.status === 408)
      throw new StatusError(
        response.status,
        `${this.registry}: token request answered ${response.status}`,
        response.headers,
      );
    if (response.status !== 200) throw new AuthError(`${this.registry}: token request answered ${response.status}`);
    let body: { token?: string; access_token?: string; expires_in?: number };
    try {
      body = JSON.parse(text);
    } catch {
      throw new AuthError(`${this.registry}: the token response is not JSON`);
    }
    const value = body.token ?? body.access_token;
    if (!value) throw new AuthError(`${this.registry}: the token response has neither "token" nor "access_token"`);
    // The spec's default lifetime is 60 s when expires_in is absent.
    const lifetime = (body.expires_in ?? 60) * 1000;
    return { value, scopes, expiresAt: started + lifetime, margin: Math.min(10_000, lifetime / 2) };
  }
}
