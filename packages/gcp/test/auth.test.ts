import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { googleCredentials } from '../src/auth';

// Where credentials and the project come from, and the errors when they cannot be used (no network here).

describe('googleCredentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gcp-auth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers an explicit token, and the explicit project over the environment', async () => {
    const credentials = await googleCredentials({
      accessToken: ' ya29.explicit ',
      project: 'from-input',
      env: { GOOGLE_CLOUD_PROJECT: 'from-env', GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent' },
    });
    expect(await credentials.token()).toBe('ya29.explicit');
    expect(credentials).toMatchObject({ project: 'from-input', source: 'access-token input' });
    expect((await googleCredentials({ accessToken: 't0k', env: { CLOUDSDK_CORE_PROJECT: 'p-env' } })).project).toBe(
      'p-env',
    );
  });

  it('says how to fix missing credentials', async () => {
    await expect(googleCredentials({ env: {} })).rejects.toThrow(
      /No Google credentials found: run google-github-actions\/auth before this step .* or pass an OAuth token in the "access-token" input/,
    );
  });

  it('names the variable when its file cannot be read', async () => {
    await expect(googleCredentials({ env: { GOOGLE_GHA_CREDS_PATH: join(dir, 'gone.json') } })).rejects.toThrow(
      /GOOGLE_GHA_CREDS_PATH points at .*gone\.json, which cannot be read: run google-github-actions\/auth in the same job/,
    );
  });

  it('never quotes a file that is not JSON (it may be a key)', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n');
    const error = await googleCredentials({ env: { GOOGLE_APPLICATION_CREDENTIALS: path } }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/is not a JSON credentials file/);
    expect((error as Error).message).not.toContain('MIIEvQIBADANBg');
  });

  it('accepts other credential types google-auth-library reads (authorized_user)', async () => {
    const path = join(dir, 'user.json');
    writeFileSync(
      path,
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'id',
        client_secret: 'shh-secret',
        refresh_token: 'r-token',
        quota_project_id: 'q',
      }),
    );
    const credentials = await googleCredentials({ env: { CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: path } });
    expect(credentials.source).toBe('authorized user (CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE)');
    expect(credentials.project).toBeUndefined();
  });
});
