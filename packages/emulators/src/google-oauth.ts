import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EmulatorRequest, type EmulatorResponse, EmulatorServer } from './server';

/**
 * Google's token endpoints on 127.0.0.1, for google-auth-library driven as users set it up with
 * google-github-actions/auth (https://github.com/google-github-actions/auth: it writes a service-account key, or an
 * `external_account` file for Workload Identity Federation, and exports GOOGLE_APPLICATION_CREDENTIALS):
 *
 * - service-account keys: `POST /token`, the JWT bearer grant (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
 *   `assertion=<RS256 JWT>`), checked against the public half of a key this emulator generated. Self-signed JWTs
 *   (what google-auth-library sends with `clientOptions.useJWTAccessWithScope: true`, and what Google APIs accept as
 *   access tokens) are accepted by `isValid` too.
 * - Workload Identity Federation: a GitHub-like OIDC endpoint (`GET /oidc/token?api-version=2.0&audience=`, bearer
 *   request token → `{"value": "<jwt>"}`, like ACTIONS_ID_TOKEN_REQUEST_URL), the STS exchange (`POST /v1/token`,
 *   `grant_type=urn:ietf:params:oauth:grant-type:token-exchange`) and IAM credentials impersonation
 *   (`POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken` → `{accessToken, expireTime}`).
 *
 * Known limit of the real client, not of this emulator: google-auth-library's JWT client posts the bearer grant to
 * the hard-coded https://oauth2.googleapis.com/token and ignores the key file's `token_uri`. A client that wants
 * this emulator in key mode either sends the grant to the key's `token_uri` (a request interceptor on the client's
 * Gaxios transporter that rewrites that one URL), or uses self-signed JWTs (`useJWTAccessWithScope`), which need no
 * token endpoint at all. External-account files carry `token_url` and `service_account_impersonation_url`, which
 * the library honours as they are.
 *
 * API:
 *   const tokens = new GoogleTokenEmulator({ tokenLifetimeSeconds?: 3600 });
 *   await tokens.start();                                     // → base url, also `tokens.url`
 *   tokens.writeServiceAccountKey(dir, { project, email? })  // → path of a real key JSON
 *   tokens.writeExternalAccount(dir, { project, impersonate? }) // → { path, requestToken, requestUrl, audience, email }
 *   tokens.isValid(bearer, scope?)   // for other emulators' auth checks; scope: one, or a list of which any will do
 *   tokens.issued                                             // log of every token handed out
 *   tokens.expireAll()                                        // test hook: every token issued so far stops working
 *   tokens.server                                             // the EmulatorServer: inject faults, count requests
 *   await tokens.close();
 * Crypto is node:crypto (RS256 sign/verify is three calls; a JOSE library would add a dependency for nothing).
 */

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
export const SQLSERVICE_ADMIN_SCOPE = 'https://www.googleapis.com/auth/sqlservice.admin';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface IssuedToken {
  token: string;
  kind: 'service-account' | 'federated' | 'impersonated' | 'oidc';
  /** Service account email, or the federated principal (OIDC subject). */
  principal: string;
  scopes: string[];
  audience?: string;
  expiresAt: number;
}

interface ServiceAccount {
  email: string;
  project: string;
  keyId: string;
  publicKey: KeyObject;
}

interface Federation {
  audience: string;
  requestToken: string;
  /** Service account the federated principal may impersonate. */
  email?: string;
}

export interface GoogleTokenEmulatorOptions {
  /** Lifetime of the access tokens it issues (default 3600 s, as Google's). */
  tokenLifetimeSeconds?: number;
}

export class GoogleTokenEmulator {
  readonly server = new EmulatorServer();
  readonly issued: IssuedToken[] = [];
  private readonly accounts = new Map<string, ServiceAccount>(); // by key id
  private readonly federations: Federation[] = [];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly oidcKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly lifetime: number;
  private notBefore = 0;

  constructor(options: GoogleTokenEmulatorOptions = {}) {
    this.lifetime = options.tokenLifetimeSeconds ?? 3600;
    this.server
      .route('POST', /^\/token$/, (req) => this.jwtBearer(req))
      .route('POST', /^\/v1\/token$/, (req) => this.exchange(req))
      .route('POST', /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/, (req) =>
        this.impersonate(req),
      )
      .route('GET', /^\/oidc\/token$/, (req) => this.oidc(req));
  }

  get url(): string {
    return this.server.url;
  }

  start(): Promise<string> {
    return this.server.listen();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Writes a service-account key JSON like the one the IAM console downloads; returns its path. */
  writeServiceAccountKey(dir: string, options: { project: string; email?: string }): string {
    const email = options.email ?? `deployer@${options.project}.iam.gserviceaccount.com`;
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = randomBytes(20).toString('hex');
    this.accounts.set(keyId, { email, project: options.project, keyId, publicKey });
    const key = {
      type: 'service_account',
      project_id: options.project,
      private_key_id: keyId,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 15)}`).toString(),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: `${this.url}/token`,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      universe_domain: 'googleapis.com',
    };
    return writeJson(dir, `${options.project}-${keyId.slice(0, 12)}.json`, key);
  }

  /**
   * Writes the external_account file google-github-actions/auth writes in Workload Identity Federation mode, and
   * returns it with the OIDC request token and URL (what the runner exports as ACTIONS_ID_TOKEN_REQUEST_TOKEN/_URL).
   * With `impersonate` (default true) the file names a service account to impersonate, as most setups do.
   */
  writeExternalAccount(
    dir: string,
    options: { project: string; impersonate?: boolean; email?: string },
  ): { path: string; requestToken: string; requestUrl: string; audience: string; email?: string } {
    const number = BigInt(`0x${createHash('sha256').update(options.project).digest('hex').slice(0, 11)}`).toString();
    const audience = `//iam.googleapis.com/projects/${number}/locations/global/workloadIdentityPools/github/providers/github`;
    const email =
      options.impersonate === false
        ? undefined
        : (options.email ?? `deployer@${options.project}.iam.gserviceaccount.com`);
    const requestToken = randomBytes(24).toString('base64url');
    const requestUrl = `${this.url}/oidc/token?api-version=2.0`;
    this.federations.push({ audience, requestToken, email });
    const file = {
      type: 'external_account',
      audience,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${this.url}/v1/token`,
      credential_source: {
        url: `${requestUrl}&audience=${encodeURIComponent(`https:${audience}`)}`,
        headers: { Authorization: `Bearer ${requestToken}` },
        format: { type: 'json', subject_token_field_name: 'value' },
      },
      ...(email
        ? {
            service_account_impersonation_url: `${this.url}/v1/projects/-/serviceAccounts/${email}:generateAccessToken`,
          }
        : {}),
    };
    const path = writeJson(dir, `gha-creds-${randomBytes(6).toString('hex')}.json`, file);
    return { path, requestToken, requestUrl, audience, email };
  }

  /**
   * Whether a bearer token would be accepted by a Google API: one this emulator issued and that has not expired,
   * or a self-signed JWT from one of its service-account keys. With `scope` (one, or a list of which any will do,
   * as an API lists the scopes it accepts), the token must carry it; a self-signed JWT with an audience instead of
   * scopes passes too, as Google APIs accept it.
   */
  isValid(accessToken: string, scope?: string | string[]): boolean {
    const wanted = scope === undefined ? undefined : [scope].flat();
    const grants = (scopes: string[]) => !wanted || wanted.some((s) => scopes.includes(s));
    const issued = this.tokens.get(accessToken);
    if (issued) {
      const fresh = Date.now() < issued.expiresAt && !this.expired(issued);
      return fresh && issued.kind !== 'oidc' && grants(issued.scopes);
    }
    const jwt = parseJwt(accessToken);
    const account = jwt && this.accounts.get(String(jwt.header.kid));
    if (!jwt || !account || !verifyJwt(jwt, account.publicKey)) return false;
    const { iss, sub, exp, iat, scope: scopes, aud } = jwt.payload;
    if (iss !== account.email || sub !== account.email) return false;
    if (typeof exp !== 'number' || exp * 1000 <= Date.now() || Number(iat) * 1000 < this.notBefore) return false;
    return typeof scopes === 'string' ? grants(scopes.split(' ')) : typeof aud === 'string';
  }

  /** Test hook: every token issued (or self-signed) until now stops being valid, as after expiry or revocation. */
  expireAll(): void {
    this.notBefore = Date.now() + 1;
  }

  private expired(token: IssuedToken): boolean {
    return token.expiresAt - this.lifetime * 1000 < this.notBefore;
  }

  private issue(kind: IssuedToken['kind'], principal: string, scopes: string[], audience?: string): IssuedToken {
    const token: IssuedToken = {
      token: `ya29.${randomBytes(32).toString('base64url')}`,
      kind,
      principal,
      scopes,
      audience,
      expiresAt: Date.now() + this.lifetime * 1000,
    };
    this.tokens.set(token.token, token);
    this.issued.push(token);
    return token;
  }

  private jwtBearer(req: EmulatorRequest): EmulatorResponse {
    const form = req.form();
    if (form.get('grant_type') !== JWT_BEARER) return oauthError('unsupported_grant_type', 'Invalid grant_type.');
    const jwt = parseJwt(form.get('assertion') ?? '');
    if (!jwt) return oauthError('invalid_request', 'Invalid JWT: not a JWS compact serialization.');
    const account = this.accounts.get(String(jwt.header.kid));
    const byEmail = account ?? [...this.accounts.values()].find((a) => a.email === jwt.payload.iss);
    if (!byEmail || !verifyJwt(jwt, byEmail.publicKey)) return oauthError('invalid_grant', 'Invalid JWT Signature.');
    const { iss, aud, exp, iat, scope } = jwt.payload;
    if (iss !== byEmail.email) return oauthError('invalid_grant', 'Invalid JWT: iss does not match the key.');
    if (aud !== GOOGLE_TOKEN_URL && aud !== `${this.url}/token`)
      return oauthError('invalid_grant', `Invalid JWT: aud must be ${GOOGLE_TOKEN_URL}.`);
    const now = Date.now() / 1000;
    if (typeof exp !== 'number' || typeof iat !== 'number' || exp < now || iat > now + 300 || exp - iat > 3600)
      return oauthError(
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      );
    if (typeof scope !== 'string' || !scope.trim())
      return oauthError('invalid_scope', 'Empty or missing scope not allowed.');
    const token = this.issue('service-account', byEmail.email, scope.split(' '));
    return { status: 200, body: { access_token: token.token, expires_in: this.lifetime, token_type: 'Bearer' } };
  }

  private exchange(req: EmulatorRequest): EmulatorResponse {
    const form = req.form();
    if (form.get('grant_type') !== TOKEN_EXCHANGE) return oauthError('unsupported_grant_type', 'Invalid grant_type.');
    if (form.get('subject_token_type') !== 'urn:ietf:params:oauth:token-type:jwt')
      return oauthError('invalid_request', 'Invalid subject_token_type.');
    const federation = this.federations.find((f) => f.audience === form.get('audience'));
    if (!federation)
      return oauthError('invalid_target', 'The target service indicated by the "audience" parameters is invalid.');
    const jwt = parseJwt(form.get('subject_token') ?? '');
    const issued = jwt && this.tokens.get(form.get('subject_token')!);
    if (!jwt || !issued || issued.kind !== 'oidc' || !verifyJwt(jwt, this.oidcKey.publicKey))
      return oauthError('invalid_grant', 'The subject token could not be verified.');
    if (jwt.payload.aud !== `https:${federation.audience}`)
      return oauthError('invalid_grant', 'The audience in the ID Token does not match the expected audience.');
    if (Number(jwt.payload.exp) * 1000 <= Date.now()) return oauthError('invalid_grant', 'The ID Token has expired.');
    const scopes = (form.get('scope') ?? CLOUD_PLATFORM_SCOPE).split(' ');
    const token = this.issue('federated', `principal://${String(jwt.payload.sub)}`, scopes, federation.audience);
    return {
      status: 200,
      body: {
        access_token: token.token,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: this.lifetime,
      },
    };
  }

  private impersonate(req: EmulatorRequest): EmulatorResponse {
    const email = req.params[0];
    const bearer = bearerOf(req);
    const caller = bearer ? this.tokens.get(bearer) : undefined;
    if (!bearer || !caller || !this.isValid(bearer))
      return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    if (!caller.scopes.includes(CLOUD_PLATFORM_SCOPE) && !caller.scopes.includes('https://www.googleapis.com/auth/iam'))
      return googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.');
    const allowed = this.federations.some((f) => f.email === email && f.audience === caller.audience);
    if (!allowed)
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).`,
      );
    const body = req.json<{ scope?: string[]; lifetime?: string }>();
    if (!body.scope?.length) return googleError(400, 'INVALID_ARGUMENT', 'Scope required.');
    const lifetime = Number.parseInt(body.lifetime ?? '3600', 10);
    if (!(lifetime > 0 && lifetime <= 43200)) return googleError(400, 'INVALID_ARGUMENT', 'Invalid lifetime.');
    const token = this.issue('impersonated', email, body.scope);
    token.expiresAt = Date.now() + Math.min(lifetime, this.lifetime) * 1000;
    return { status: 200, body: { accessToken: token.token, expireTime: new Date(token.expiresAt).toISOString() } };
  }

  private oidc(req: EmulatorRequest): EmulatorResponse {
    const federation = this.federations.find((f) => f.requestToken === bearerOf(req));
    if (!federation) return { status: 401, body: { message: 'Bad credentials' } };
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      jti: randomBytes(8).toString('hex'),
      sub: 'repo:acme/backend:ref:refs/heads/main',
      aud: req.query.get('audience') ?? 'https://github.com/acme',
      ref: 'refs/heads/main',
      repository: 'acme/backend',
      repository_owner: 'acme',
      iss: GITHUB_ISSUER,
      nbf: now - 5,
      iat: now,
      exp: now + 300,
    };
    const value = signJwt({ alg: 'RS256', typ: 'JWT', kid: 'github-oidc' }, payload, this.oidcKey.privateKey);
    const issued: IssuedToken = {
      token: value,
      kind: 'oidc',
      principal: payload.sub,
      scopes: [],
      audience: payload.aud,
      expiresAt: payload.exp * 1000,
    };
    this.tokens.set(value, issued);
    this.issued.push(issued);
    return { status: 200, body: { count: 1, value } };
  }
}

interface Jwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signed: string;
  signature: Buffer;
}

function parseJwt(token: string): Jwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
      signed: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return undefined;
  }
}

function verifyJwt(jwt: Jwt, publicKey: KeyObject): boolean {
  return jwt.header.alg === 'RS256' && verify('sha256', Buffer.from(jwt.signed), publicKey, jwt.signature);
}

function signJwt(header: object, payload: object, privateKey: KeyObject): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signed = `${encode(header)}.${encode(payload)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), privateKey).toString('base64url')}`;
}

/** The bearer token of a request, if any. */
export function bearerOf(req: EmulatorRequest): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** Google's JSON error body: `{error: {code, message, status}}`. */
export function googleError(
  code: number,
  status: string,
  message: string,
  headers?: Record<string, string>,
): EmulatorResponse {
  return { status: code, headers, body: { error: { code, message, status } } };
}

function oauthError(error: string, description: string): EmulatorResponse {
  return { status: 400, body: { error, error_description: description } };
}

function writeJson(dir: string, name: string, value: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  return path;
}
