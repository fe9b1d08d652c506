/**
 * Registry authentication per the distribution spec: `GET /v2/` answers 401 with a `WWW-Authenticate`
 * challenge; Basic means sending the credentials on every request, Bearer means fetching a token from
 * the realm for the scopes needed (`repository:NAME:pull,push`), with the credentials as Basic auth when
 * we have them, and sending that. Tokens are cached per registry and refreshed before they expire or
 * when a request is refused with a new challenge (more scopes, or expired).
 *
 * Every credential form is masked the moment it exists: the password, the Basic header's base64, each
 * issued token (and its Bearer header). Basic credentials go to a token realm only over https or to a
 * loopback host; a realm elsewhere is refused, naming the registry and the realm, before anything is sent.
 * Time comes from an injected clock, so token renewal is tested without waiting on the wall clock.
 */
import { type Clock, realClock, redact, registerSecret } from '@deploy-actions/toolkit';
import { isLoopback } from './reference';
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

/** Masks a credential in every form it is sent or could be echoed in (raw, URL-encoded, JSON-escaped). */
export function maskCredential(value: string): string {
  registerSecret(value);
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) registerSecret(json);
  return value;
}

/** The Basic header for a username and password, with the base64 (and the header) masked. */
export function basicAuthorization(creds: Credentials): string {
  maskCredential(creds.password);
  const encoded = maskCredential(Buffer.from(`${creds.username}:${creds.password}`).toString('base64'));
  return `Basic ${encoded}`;
}

/** Whether Basic credentials may be sent to a realm: https, or plain http to a loopback host. */
export function realmAllowsCredentials(realm: URL): boolean {
  return realm.protocol === 'https:' || (realm.protocol === 'http:' && isLoopback(realm.host));
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
  private resolved?: Promise<Credentials | undefined>;
  /** Token requests made, for the summary and tests. */
  tokensFetched = 0;

  constructor(
    private readonly registry: string,
    private readonly source: CredentialSource,
    private readonly scopes: Set<string>,
    private readonly options: { clock?: Clock; signal?: AbortSignal } = {},
  ) {}

  private get clock(): Clock {
    return this.options.clock ?? realClock;
  }

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

  /**
   * Forgets the token so the next request fetches a fresh one (after a 401). Given the header a refused
   * request carried, only that token is forgotten: concurrent refusals of an old token keep the new one.
   */
  invalidate(refused?: string): void {
    if (refused && this.token && refused !== `Bearer ${this.token.value}`) return;
    this.token = undefined;
  }

  get scheme(): string {
    return this.challenge?.scheme ?? 'none';
  }

  /** The credentials this registry is logged in with (for `login: true`), resolved once. */
  credentials(): Promise<Credentials | undefined> {
    return this.creds();
  }

  /** Asked once, even by concurrent requests (an ECR or Google token is one API call). */
  private creds(): Promise<Credentials | undefined> {
    this.resolved ??= this.source().catch((error) => {
      this.resolved = undefined;
      throw error;
    });
    return this.resolved;
  }

  async header(): Promise<string | undefined> {
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === 'basic') {
      const creds = await this.creds();
      if (!creds) throw new AuthError(`${this.registry} asks for a username and password and none were given`);
      return basicAuthorization(creds);
    }
    const fresh =
      this.token &&
      this.token.expiresAt - this.token.margin > this.clock.now() &&
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
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new AuthError(`${this.registry} names a token realm that is not a URL: ${redact(realm).slice(0, 200)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new AuthError(`${this.registry} names a token realm ${url.protocol} URL; only https realms are used`);
    if (service) url.searchParams.set('service', service);
    const scopes = new Set(this.scopes);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const creds = await this.creds();
    const headers: Record<string, string> = {};
    if (creds) {
      if (!realmAllowsCredentials(url))
        throw new AuthError(
          `${this.registry} sends its token requests to ${url.origin}${url.pathname}, which is neither https nor loopback; credentials are not sent there (use an https realm)`,
        );
      headers.authorization = basicAuthorization(creds);
    }
    this.tokensFetched++;
    const started = this.clock.now();
    const response = await send({ method: 'GET', url, headers, idleTimeoutMs: 30_000, signal: this.options.signal });
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
    if (value) maskCredential(value);
    if (body.token && body.access_token && body.token !== body.access_token) maskCredential(body.access_token);
    if (!value) throw new AuthError(`${this.registry}: the token response has neither "token" nor "access_token"`);
    // The spec's default lifetime is 60 s when expires_in is absent.
    const lifetime = (body.expires_in ?? 60) * 1000;
    return { value, scopes, expiresAt: started + lifetime, margin: Math.min(10_000, lifetime / 2) };
  }
}
