import { CloudSqlEmulator } from '../src/cloudsql';

describe('CloudSqlEmulator', () => {
  let sql: CloudSqlEmulator;
  const base = '/v1/projects/p-123456/instances/db';
  const call = async (method: string, path: string, token = 'good-token', body?: unknown) => {
    const response = await fetch(`${sql.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: API answers are read loosely in assertions
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  beforeEach(async () => {
    sql = new CloudSqlEmulator({ scale: 100, accessToken: 'good-token', backupDurationMs: 100_000 });
    await sql.listen();
    sql.addInstance('p-123456', 'db');
  });
  afterEach(() => sql.close());

  it('runs a backup as an operation, refusing a concurrent one with 409 operationInProgress', async () => {
    const op = await call('POST', `${base}/backupRuns`, 'good-token', { description: 'before deploy' });
    expect(op.body).toMatchObject({ kind: 'sql#operation', status: 'PENDING', operationType: 'BACKUP_VOLUME' });
    const backupId = op.body.backupContext.backupId;
    const second = await call('POST', `${base}/backupRuns`, 'good-token', {});
    expect(second.status).toBe(409);
    expect(second.body.error.errors[0].reason).toBe('operationInProgress');
    expect((await call('GET', `${base}/backupRuns/${backupId}`)).body.status).toMatch(/ENQUEUED|RUNNING/);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call('GET', `/v1/projects/p-123456/operations/${op.body.name}`)).body.status).toBe('DONE');
    const backup = await call('GET', `${base}/backupRuns/${backupId}`);
    expect(backup.body).toMatchObject({ status: 'SUCCESSFUL', type: 'ON_DEMAND', description: 'before deploy' });
    const list = await call('GET', `${base}/backupRuns?maxResults=1`);
    expect(list.body.items).toHaveLength(1);
  });

  it('checks the bearer token and the instance', async () => {
    expect((await call('GET', base, 'stolen')).status).toBe(401);
    expect((await call('GET', '/v1/projects/p-123456/instances/other')).status).toBe(404);
    sql.plan({ fails: true, durationMs: 500 });
    const op = await call('POST', `${base}/backupRuns`, 'good-token', {});
    await new Promise((r) => setTimeout(r, 20));
    const done = await call('GET', `/v1/projects/p-123456/operations/${op.body.name}`);
    expect(done.body.status).toBe('DONE');
    expect(done.body.error.errors[0].code).toBe('INTERNAL_ERROR');
  });
});
