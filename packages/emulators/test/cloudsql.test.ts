import { CloudSqlEmulator } from '../src/cloudsql';
import { SQLADMIN_ENUMS, sqlAdminSchema } from '../src/google/sqladmin-schema';

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

  it('refuses an unknown field, a wrong enum and an unknown query parameter, as the sqladmin v1 definitions say', async () => {
    const unknown = await call('POST', `${base}/backupRuns`, 'good-token', { description: 'x', retainDays: 7 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: `Invalid JSON payload received. Unknown name "retainDays" at 'body': Cannot find field.`,
      errors: [{ domain: 'global', reason: 'invalid' }],
    });
    const kind = await call('POST', `${base}/backupRuns`, 'good-token', { backupKind: 'INCREMENTAL' });
    expect(kind.body.error.message).toBe(
      `Invalid value at 'body.backup_kind' (type.googleapis.com/google.cloud.sql.v1.SqlBackupKind), "INCREMENTAL"`,
    );
    const nested = await call('POST', `${base}/backupRuns`, 'good-token', {
      diskEncryptionConfiguration: { kmsKey: 'k' },
    });
    expect(nested.body.error.message).toMatch(/Unknown name "kmsKey" at 'body.disk_encryption_configuration'/);
    const query = await call('GET', `${base}/backupRuns?limit=5`);
    expect(query.body.error.message).toMatch(/Unknown name "limit": Cannot bind query parameter/);
    expect((await call('GET', `${base}/backupRuns?maxResults=many`)).status).toBe(400);
    expect(sql.backups.size).toBe(0);
  });

  it('ignores output-only fields (accepted, not refused as unknown), and `type` on insert (always ON_DEMAND)', async () => {
    const op = await call('POST', `${base}/backupRuns`, 'good-token', {
      description: 'pre-deploy',
      databaseVersion: 'MYSQL_5_1',
      maxChargeableBytes: '1',
      type: 'AUTOMATED',
    });
    expect(op.status).toBe(200);
    const backup = await call('GET', `${base}/backupRuns/${op.body.backupContext.backupId}`);
    expect(backup.body).toMatchObject({ type: 'ON_DEMAND', description: 'pre-deploy' });
  });

  it('takes its fields from @googleapis/sqladmin: every enum it checks is a field there', () => {
    const schema = sqlAdminSchema();
    for (const key of Object.keys(SQLADMIN_ENUMS)) {
      const [resource, field] = key.split('.');
      expect(schema.schemas.get(resource)?.has(field)).toBe(true);
    }
    expect(schema.settable('BackupRun')).not.toContain('databaseVersion');
    expect(schema.settable('BackupRun')).toContain('description');
    // answers are held to the response schemas too
    expect(schema.answer('BackupRun', { kind: 'sql#backupRun', status: 'DONE' })[0].description).toMatch(
      /SqlBackupRunStatus\), "DONE"/,
    );
    expect(schema.answer('Operation', { kind: 'sql#operation', backupId: '1' })).toHaveLength(1);
  });

  it('backupRuns.insert that loses its answer made exactly one backup, which a client finds by listing', async () => {
    sql.loseAnswer('backupRuns.insert');
    const lost = await fetch(`${sql.url}${base}/backupRuns`, {
      method: 'POST',
      headers: { authorization: 'Bearer good-token', 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'deploy 42' }),
    }).then(
      () => 'answered',
      () => 'lost',
    );
    expect(lost).toBe('lost');
    const list = await call('GET', `${base}/backupRuns`);
    expect(list.body.items.filter((b: { description?: string }) => b.description === 'deploy 42')).toHaveLength(1);
    // A blind re-send would make a second backup, or (while the first runs) meet operationInProgress.
    expect((await call('POST', `${base}/backupRuns`, 'good-token', { description: 'deploy 42' })).status).toBe(409);
    expect(sql.backups.size).toBe(1);
  });
});
