import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudRunEmulator } from '../../emulators/src/cloudrun';
import { GoogleTokenEmulator } from '../../emulators/src/google-oauth';
import {
  CloudRunClient,
  OperationError,
  deployJob,
  describeCondition,
  googleCredentials,
  jobPath,
  locationPath,
  runJob,
  servicePath,
  waitForExecution,
} from '../src';

// The Cloud Run client and the jobs helpers (as run-migrations uses them) against the emulator.

describe('CloudRunClient', () => {
  let tokens: GoogleTokenEmulator;
  let run: CloudRunEmulator;
  let dir: string;
  let client: CloudRunClient;
  const log: string[] = [];
  beforeEach(async () => {
    tokens = new GoogleTokenEmulator();
    await tokens.start();
    run = new CloudRunEmulator({ tokens, scale: 100, readyDelayMs: 500, containers: false, taskDurationMs: 500 });
    await run.start();
    dir = mkdtempSync(join(tmpdir(), 'gcp-test-'));
    const key = tokens.writeServiceAccountKey(dir, { project: 'p-test' });
    const credentials = await googleCredentials({ env: { GOOGLE_APPLICATION_CREDENTIALS: key } });
    expect(credentials.project).toBe('p-test');
    client = new CloudRunClient({ credentials, endpoint: run.url });
    log.length = 0;
  });
  afterEach(async () => {
    await run.close();
    await tokens.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const service = { template: { containers: [{ image: 'example.com/api:1' }] } };

  it('creates a service and waits for its operation with operations.wait', async () => {
    const op = await client.createService(locationPath('p-test', 'us-central1'), 'api', service);
    const done = await client.waitOperation(op, { what: 'create', timeoutMs: 10_000, log: (l) => log.push(l) });
    expect(done.done).toBe(true);
    expect(run.server.count('POST', /operations\/[^/]+:wait$/)).toBeGreaterThanOrEqual(1);
    expect(run.server.count('GET', /operations\//)).toBe(0);
    const svc = await client.getService(servicePath('p-test', 'us-central1', 'api'));
    expect(svc?.latestReadyRevision).toBeDefined();
    expect(await client.getService(servicePath('p-test', 'us-central1', 'nope'))).toBeUndefined();
  });

  it('falls back to operations.get when the server has no :wait', async () => {
    run.server.inject({ method: 'POST', path: /:wait$/, status: 404, times: Number.POSITIVE_INFINITY });
    const op = await client.createService(locationPath('p-test', 'us-central1'), 'api', service);
    const done = await client.waitOperation(op, { what: 'create', timeoutMs: 10_000, log: (l) => log.push(l) });
    expect(done.done).toBe(true);
    expect(run.server.count('GET', /operations\//)).toBeGreaterThanOrEqual(1);
  });

  it('throws OperationError with the operation message', async () => {
    run.failNextOperation('Resource exhausted.', 8);
    const op = await client.createService(locationPath('p-test', 'us-central1'), 'api', service);
    await expect(client.waitOperation(op, { what: 'create of api', timeoutMs: 10_000, log: () => {} })).rejects.toThrow(
      new OperationError({ name: op.name, error: { code: 8, message: 'Resource exhausted.' } }, 'create of api'),
    );
  });

  it('turns Google errors into one line with a hint', async () => {
    await expect(client.createService(locationPath('p-test', 'us-central1'), 'Bad_Name', service)).rejects.toThrow(
      /Cloud Run Admin API: POST \/v2\/projects\/p-test\/locations\/us-central1\/services answered 400 INVALID_ARGUMENT: Violation in service_id/,
    );
  });

  it('deploys, runs and follows a job (succeeded, then failed)', async () => {
    const spec = {
      project: 'p-test',
      region: 'us-central1',
      job: 'migrate',
      image: 'example.com/api:1',
      env: { A: '1' },
    };
    const first = await deployJob(client, spec, { log: () => {} });
    expect(first.created).toBe(true);
    const second = await deployJob(client, { ...spec, image: 'example.com/api:2', args: ['up'] }, { log: () => {} });
    expect(second.created).toBe(false);
    expect(second.job.template?.template?.containers?.[0]).toMatchObject({
      image: 'example.com/api:2',
      args: ['up'],
      env: [{ name: 'A', value: '1' }],
    });

    const name = jobPath('p-test', 'us-central1', 'migrate');
    const execution = await runJob(client, name, { args: ['up', '--dry-run'] });
    expect(execution.name).toMatch(/\/executions\/migrate-/);
    const ok = await waitForExecution(client, execution.name, { timeoutMs: 20_000, log: (l) => log.push(l) });
    expect(ok).toMatchObject({ succeeded: true, succeededCount: 1, failedCount: 0, taskCount: 1 });
    expect(ok.logUri).toMatch(/^http/);

    run.nextExecution({ exitCode: 2 });
    const failing = await runJob(client, name);
    const bad = await waitForExecution(client, failing.name, { timeoutMs: 20_000, log: (l) => log.push(l) });
    expect(bad.succeeded).toBe(false);
    expect(bad.reason).toMatch(/^NON_ZERO_EXIT_CODE: .*exit code of 2/);
    expect(log.some((l) => /execution migrate-\w+: (pending|running)/.test(l))).toBe(true);
  });

  it('describes conditions with their reasons', () => {
    expect(
      describeCondition({
        type: 'Ready',
        state: 'CONDITION_FAILED',
        reason: 'REVISION_FAILED',
        revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
        message: 'boom',
      }),
    ).toBe('REVISION_FAILED / HEALTH_CHECK_CONTAINER_ERROR: boom');
    expect(describeCondition({ type: 'Ready', state: 'CONDITION_PENDING' })).toBe('Ready is CONDITION_PENDING');
  });
});
