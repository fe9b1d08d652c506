import { readFileSync } from 'node:fs';
import { type Cloud, deploy, service, startCloud } from './fixture';

// Credentials as google-github-actions/auth leaves them, against the local token endpoints: a
// service-account key (its token_uri honoured) and a Workload Identity Federation external_account file
// (OIDC request token → STS → impersonation), and an explicit access token. Nothing secret leaks.

describe('deploy-cloudrun credentials', () => {
  let cloud: Cloud;
  beforeEach(async () => {
    cloud = await startCloud();
  });
  afterEach(() => cloud.close());

  it('uses a service-account key file and its token_uri; the project comes from the key', async () => {
    const result = await deploy(
      cloud,
      { service: 'api', image: 'example.com/api:1' },
      {
        env: {
          GOOGLE_CLOUD_PROJECT: undefined,
          CLOUDSDK_CORE_PROJECT: undefined,
          CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: undefined,
          GOOGLE_GHA_CREDS_PATH: undefined,
        },
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.log).toContain(
      'Google credentials: service account deployer@acme-prod.iam.gserviceaccount.com (GOOGLE_APPLICATION_CREDENTIALS); project acme-prod',
    );
    expect(cloud.tokens.server.count('POST', /^\/token$/)).toBe(1);
    const issued = cloud.tokens.issued.map((t) => t.token);
    expect(issued).toHaveLength(1);
    // The harness fails the run if the token or any line of the key shows up; check the key file as a whole too.
    const key = readFileSync(cloud.keyPath, 'utf8');
    for (const text of [result.log, result.summary, JSON.stringify(result.outputs)]) {
      expect(text).not.toContain(issued[0]);
      expect(text).not.toContain(JSON.parse(key).private_key_id);
    }
  });

  it('uses a Workload Identity Federation file (GOOGLE_GHA_CREDS_PATH) with impersonation', async () => {
    const wif = cloud.tokens.writeExternalAccount(cloud.dir, { project: 'acme-prod' });
    const result = await deploy(
      cloud,
      { service: 'api', image: 'example.com/api:1' },
      {
        env: {
          GOOGLE_APPLICATION_CREDENTIALS: undefined,
          CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: undefined,
          GOOGLE_GHA_CREDS_PATH: wif.path,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: wif.requestToken,
          ACTIONS_ID_TOKEN_REQUEST_URL: wif.requestUrl,
        },
        secrets: [wif.requestToken],
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.log).toContain(
      'Google credentials: Workload Identity Federation (GOOGLE_GHA_CREDS_PATH); project acme-prod',
    );
    expect(cloud.tokens.server.count('GET', /^\/oidc\/token$/)).toBe(1);
    expect(cloud.tokens.server.count('POST', /^\/v1\/token$/)).toBe(1);
    expect(cloud.tokens.server.count('POST', /generateAccessToken$/)).toBe(1);
    const used = cloud.tokens.issued.filter((t) => t.kind === 'impersonated');
    expect(used).toHaveLength(1);
    expect(result.log).not.toContain(used[0].token);
    expect(service(cloud, 'api').uri).toBe(result.outputs.url);
  });

  it('takes an explicit access token over any file, masked', async () => {
    const key = cloud.tokens.writeServiceAccountKey(cloud.dir, {
      project: 'acme-prod',
      email: 'ci@acme-prod.iam.gserviceaccount.com',
    });
    // A token the emulator accepts, obtained out of band (as from another auth step).
    const { googleCredentials } = await import('../../packages/gcp/src/auth');
    const token = await (await googleCredentials({ env: { GOOGLE_APPLICATION_CREDENTIALS: key } })).token();
    const before = cloud.tokens.server.requests.length;
    const result = await deploy(
      cloud,
      { service: 'api', image: 'example.com/api:1', 'access-token': token },
      { secrets: [token] },
    );
    expect(result.errors).toEqual([]);
    expect(result.log).toContain('Google credentials: access-token input');
    expect(cloud.tokens.server.requests.length).toBe(before);
  });

  it('a refused token fails with one line that says what to check', async () => {
    const result = await deploy(
      cloud,
      { service: 'api', image: 'example.com/api:1', 'access-token': 'ya29.expired-or-forged' },
      { secrets: ['ya29.expired-or-forged'] },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/answered 401 UNAUTHENTICATED: .*the credentials were refused/);
  });
});
