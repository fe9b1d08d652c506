import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleAuth } from 'google-auth-library';
import { CLOUD_PLATFORM_SCOPE, GoogleTokenEmulator, SQLSERVICE_ADMIN_SCOPE } from '../src/google-oauth';

// google-auth-library's JWT client posts to the hard-coded Google token URL; send it to the key's token_uri.
async function followTokenUri(auth: GoogleAuth, tokenUri: string): Promise<void> {
  const client = await auth.getClient();
  client.transporter.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === 'https://oauth2.googleapis.com/token') config.url = new URL(tokenUri);
      return config;
    },
  });
}

describe('GoogleTokenEmulator', () => {
  const tokens = new GoogleTokenEmulator();
  let dir: string;
  beforeAll(async () => {
    await tokens.start();
    dir = mkdtempSync(join(tmpdir(), 'google-oauth-'));
  });
  afterAll(async () => {
    await tokens.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a real service-account key whose token_uri points at the emulator', () => {
    const key = JSON.parse(readFileSync(tokens.writeServiceAccountKey(dir, { project: 'acme-prod' }), 'utf8'));
    expect(key).toMatchObject({
      type: 'service_account',
      project_id: 'acme-prod',
      client_email: 'deployer@acme-prod.iam.gserviceaccount.com',
      token_uri: `${tokens.url}/token`,
    });
    expect(key.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('gives GoogleAuth a token for a service-account key (JWT bearer grant), valid for the scope it asked', async () => {
    const keyFilename = tokens.writeServiceAccountKey(dir, {
      project: 'acme-prod',
      email: 'ci@acme-prod.iam.gserviceaccount.com',
    });
    const auth = new GoogleAuth({ keyFilename, scopes: [CLOUD_PLATFORM_SCOPE] });
    await followTokenUri(auth, JSON.parse(readFileSync(keyFilename, 'utf8')).token_uri);
    const token = await auth.getAccessToken();
    expect(token).toMatch(/^ya29\./);
    expect(tokens.isValid(token!, CLOUD_PLATFORM_SCOPE)).toBe(true);
    expect(tokens.isValid(token!, SQLSERVICE_ADMIN_SCOPE)).toBe(false);
    expect(tokens.isValid(token!, [CLOUD_PLATFORM_SCOPE, SQLSERVICE_ADMIN_SCOPE])).toBe(true);
    expect(tokens.issued.at(-1)).toMatchObject({
      kind: 'service-account',
      principal: 'ci@acme-prod.iam.gserviceaccount.com',
    });
    expect(await auth.getProjectId()).toBe('acme-prod');
  });

  it('accepts self-signed JWTs from its keys (useJWTAccessWithScope) and rejects forged ones', async () => {
    const keyFilename = tokens.writeServiceAccountKey(dir, { project: 'acme-prod' });
    const auth = new GoogleAuth({ keyFilename, scopes: [CLOUD_PLATFORM_SCOPE] });
    auth.useJWTAccessWithScope = true; // what Google's generated API clients set
    const headers = await auth.getRequestHeaders('https://run.googleapis.com/');
    const token = headers.get('authorization')!.replace('Bearer ', '');
    expect(tokens.isValid(token, CLOUD_PLATFORM_SCOPE)).toBe(true);
    const [head, body] = token.split('.');
    expect(tokens.isValid(`${head}.${body}.${Buffer.from('forged').toString('base64url')}`)).toBe(false);
    expect(tokens.isValid('ya29.made-up')).toBe(false);
  });

  it('rejects a bearer grant signed by a key it did not issue', async () => {
    const other = new GoogleTokenEmulator();
    await other.start();
    try {
      const foreign = JSON.parse(readFileSync(other.writeServiceAccountKey(dir, { project: 'elsewhere' }), 'utf8'));
      const auth = new GoogleAuth({ credentials: foreign, scopes: [CLOUD_PLATFORM_SCOPE] });
      await followTokenUri(auth, `${tokens.url}/token`);
      await expect(auth.getAccessToken()).rejects.toThrow(/invalid_grant|Invalid JWT Signature/);
    } finally {
      await other.close();
    }
  });

  it('runs Workload Identity Federation end to end: OIDC token, STS exchange, impersonation', async () => {
    const { path, requestToken, email } = tokens.writeExternalAccount(dir, { project: 'acme-prod' });
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file).toMatchObject({ type: 'external_account', token_url: `${tokens.url}/v1/token` });
    expect(file.credential_source.headers.Authorization).toBe(`Bearer ${requestToken}`);
    // As google-github-actions/auth exports them (without the project, the library asks Resource Manager).
    const previous = { ...process.env };
    process.env.GOOGLE_APPLICATION_CREDENTIALS = path;
    process.env.GOOGLE_CLOUD_PROJECT = 'acme-prod';
    try {
      const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
      const token = await auth.getAccessToken();
      expect(tokens.isValid(token!, CLOUD_PLATFORM_SCOPE)).toBe(true);
      expect(tokens.issued.slice(-3).map((t) => t.kind)).toEqual(['oidc', 'federated', 'impersonated']);
      expect(tokens.issued.at(-1)!.principal).toBe(email);
    } finally {
      process.env = previous;
    }
  });

  it('uses the federated token directly when the file names no service account', async () => {
    const { path } = tokens.writeExternalAccount(dir, { project: 'acme-dev', impersonate: false });
    const token = await new GoogleAuth({ keyFilename: path, scopes: [CLOUD_PLATFORM_SCOPE] }).getAccessToken();
    expect(tokens.isValid(token!)).toBe(true);
    expect(tokens.issued.at(-1)!.kind).toBe('federated');
  });

  it('refuses the OIDC endpoint without the request token, and tokens after expireAll', async () => {
    const { requestUrl } = tokens.writeExternalAccount(dir, { project: 'acme-prod' });
    const denied = await fetch(`${requestUrl}&audience=x`, { headers: { authorization: 'Bearer wrong' } });
    expect(denied.status).toBe(401);
    const valid = tokens.issued.filter((t) => t.kind !== 'oidc' && tokens.isValid(t.token));
    expect(valid.length).toBeGreaterThan(0);
    tokens.expireAll();
    expect(valid.some((t) => tokens.isValid(t.token))).toBe(false);
  });
});
