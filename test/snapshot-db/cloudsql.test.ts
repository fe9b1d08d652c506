import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSqlEmulator, GoogleTokenEmulator } from '@deploy-actions/emulators';
import { type RunOptions, type RunResult, runAction } from '@deploy-actions/harness';

// snapshot-db's cloudsql provider against the Cloud SQL Admin API emulator, authenticated as users set it
// up: a service-account key file from google-github-actions/auth, exchanged for tokens by google-auth-library.

const PROJECT = 'acme-prod-42';
const DAY = 86_400_000;

describe('snapshot-db: Cloud SQL', () => {
  let tokens: GoogleTokenEmulator;
  let sql: CloudSqlEmulator;
  let keyFile: string;
  beforeAll(async () => {
    tokens = new GoogleTokenEmulator();
    await tokens.start();
    keyFile = tokens.writeServiceAccountKey(mkdtempSync(join(tmpdir(), 'gcp-key-')), { project: PROJECT });
  });
  afterAll(() => tokens.close());
  beforeEach(async () => {
    sql = new CloudSqlEmulator({ scale: 600, tokens, backupDurationMs: 5 * 60_000, deleteDurationMs: 30_000 });
    await sql.listen();
    sql.addInstance(PROJECT, 'main-db');
  });
  afterEach(() => sql.close());

  async function snapshot(inputs: RunOptions['inputs'], options: Omit<RunOptions, 'inputs'> = {}): Promise<RunResult> {
    const result = await runAction('snapshot-db', {
      timeoutMs: 60_000,
      ...options,
      inputs: {
        provider: 'cloudsql',
        database: 'main-db',
        'api-endpoint': sql.url,
        'poll-interval': '500ms',
        ...inputs,
      },
      env: { GOOGLE_APPLICATION_CREDENTIALS: keyFile, GOOGLE_CLOUD_PROJECT: undefined, ...options.env },
    });
    // Every access token handed out stays out of what users can read.
    for (const { token } of tokens.issued) {
      for (const text of [result.log, result.summary, Object.values(result.outputs).join('\n')]) {
        expect(text).not.toContain(token);
      }
    }
    return result;
  }

  it('takes an on-demand backup, waits for its operation and reports the restore command', async () => {
    const result = await snapshot({ tags: 'team=payments' });
    expect(result.exitCode).toBe(0);
    const id = result.outputs['snapshot-id'];
    const backup = sql.backup(id)!;
    expect(backup.description).toMatch(
      /^main-db-main-a1b2c3d-\d{8}-\d{6} \[managed-by=deploy-actions db=main-db repository=acme\/backend sha=a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 workflow-run=https:\/\/github.com\/acme\/backend\/actions\/runs\/4242 team=payments\]$/,
    );
    expect(result.outputs.status).toBe('SUCCESSFUL');
    expect(result.outputs['snapshot-arn']).toBe(`${sql.url}/v1/projects/${PROJECT}/instances/main-db/backupRuns/${id}`);
    expect(Date.parse(result.outputs['created-at'])).not.toBeNaN();
    expect(result.log).toContain(`credentials from service account deployer@${PROJECT}.iam.gserviceaccount.com`);
    expect(result.summary).toContain(`gcloud sql backups restore ${id}`);
    expect(result.summary).toContain(`--restore-instance=main-db --backup-instance=main-db --project=${PROJECT}`);
    expect(tokens.issued.length).toBeGreaterThan(0);
  });

  it('waits while another operation holds the instance (409 operationInProgress)', async () => {
    const update = sql.busy(PROJECT, 'main-db', 10 * 3_600_000);
    const onLine = (line: string) => {
      if (line.includes('waiting for another operation')) update.durationMs = 0;
    };
    const result = await snapshot({}, { onLine });
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('backup of main-db: waiting for another operation on the instance to finish');
    expect(sql.server.requests.filter((r) => r.status === 409).length).toBeGreaterThanOrEqual(1);
    expect(result.outputs.status).toBe('SUCCESSFUL');
  });

  it.each([
    ['the connection drops after Cloud SQL enqueued it', { lostAnswer: 'reset' as const }],
    ['Cloud SQL answers 503 before doing anything', { status: 503 }],
  ])('makes exactly one backup when %s', async (_, fault) => {
    sql.server.inject({ method: 'POST', path: /\/backupRuns$/, ...fault });
    const result = await snapshot({});
    expect(result.exitCode).toBe(0);
    const ours = [...sql.backups.values()].filter((b) => b.type === 'ON_DEMAND' && !b.deleted);
    expect(ours).toHaveLength(1);
    expect(result.outputs['snapshot-id']).toBe(ours[0].id);
    expect(result.outputs.status).toBe('SUCCESSFUL');
    expect(result.warnings).toEqual([
      expect.stringMatching(/^No answer to backupRuns\.insert .*reading the backup runs before deciding$/),
    ]);
  });

  it('fails clearly when the backup operation ends with an error', async () => {
    sql.plan({ fails: true });
    const result = await snapshot({});
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['backup of main-db failed: INTERNAL_ERROR: Backup failed: internal error']);
  });

  it('says when the instance does not exist', async () => {
    const result = await snapshot({ database: 'nope' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Cloud SQL instance "nope" not found in project ${PROJECT}: check "database" and "project-id"`,
    ]);
  });

  it('refuses a bad access token without printing it', async () => {
    const bad = 'ya29.not-a-real-token-0123456789';
    const result = await snapshot({ 'access-token': bad, 'project-id': PROJECT }, { secrets: [bad] });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/^Cloud SQL Admin API: GET .* answered 401 UNAUTHENTICATED/);
  });

  it('prunes only its own backups of this instance, one deletion at a time', async () => {
    const ours = (days: number, inProgress = false) =>
      sql.seedBackup({
        project: PROJECT,
        instance: 'main-db',
        ageMs: days * DAY,
        inProgress,
        description: `old [managed-by=deploy-actions db=main-db repository=acme/backend sha=x workflow-run=y]`,
      });
    const [d1, d2, d4, d5] = [1, 2, 4, 5].map((d) => ours(d));
    const running = ours(6, true);
    const foreign = sql.seedBackup({ project: PROJECT, instance: 'main-db', ageMs: 30 * DAY, description: 'by hand' });
    const auto = sql.seedBackup({ project: PROJECT, instance: 'main-db', ageMs: 30 * DAY, type: 'AUTOMATED' });
    const result = await snapshot({ 'keep-last': 3 });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.deleted.split(',').sort()).toEqual([d4.id, d5.id].sort());
    for (const kept of [d1, d2, running, foreign, auto]) expect(sql.backup(kept.id)?.deleted).toBeUndefined();
    expect(result.log).toMatch(/Retention: 6 backups of main-db made by this action \(2 others left alone\)/);
  });

  it('max-age with dry-run lists our old backups and deletes nothing', async () => {
    const old = sql.seedBackup({
      project: PROJECT,
      instance: 'main-db',
      ageMs: 40 * DAY,
      description: 'x [managed-by=deploy-actions db=main-db repository=acme/backend sha=x workflow-run=y]',
    });
    const otherInstance = sql.seedBackup({
      project: PROJECT,
      instance: 'main-db',
      ageMs: 40 * DAY,
      description: 'x [managed-by=deploy-actions db=replica-db repository=acme/backend sha=x workflow-run=y]',
    });
    const result = await snapshot({ 'max-age': '30d', 'dry-run': true });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.deleted).toBe('');
    expect(result.log).toContain(`Retention (dry run): would delete backup ${old.id}`);
    expect(result.log).not.toContain(`would delete backup ${otherInstance.id}`);
    expect(sql.server.count('DELETE')).toBe(0);
  });
});
