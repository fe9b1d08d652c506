/**
 * Seeds 001 and 003 end to end against the emulators (ECS with real containers, CloudWatch Logs, ELBv2,
 * RDS), each step through the harness as the runner runs it, in the order of the starters
 * (workflow-templates/ecs-rds-migrate.yml and maintenance-migration.yml): deploy-ecs, snapshot-db and
 * run-migrations (mode ecs-task) as the built bundles.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EcsEmulator } from '../../packages/emulators/src/ecs';
import { RdsEmulator } from '../../packages/emulators/src/rds';
import { runAction } from '../../packages/harness/src/run-action';
import { addApi, buildTestImage, deployEcs, removeImage, startEcs, tagImage } from '../deploy-ecs/fixture';

let image: string;
let release: string;
let ecs: EcsEmulator;
let rds: RdsEmulator;

beforeAll(async () => {
  image = buildTestImage();
  release = tagImage(image, `release-${Date.now().toString(36)}`);
  ecs = await startEcs();
  rds = new RdsEmulator({ scale: 600, snapshotDurationMs: 60_000 });
  await rds.listen();
  rds.addInstance('app-db');
});
afterAll(async () => {
  await ecs.close();
  await rds.close();
  removeImage(release);
  removeImage(image);
});

function snapshot() {
  return runAction('snapshot-db', {
    timeoutMs: 120_000,
    inputs: { provider: 'rds', database: 'app-db', 'poll-interval': '500ms', region: 'us-east-1' },
    env: {
      ...ecs.env(),
      AWS_ENDPOINT_URL_RDS: rds.url,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    },
  });
}

let runId = 7000;
/** run-migrations mode ecs-task, as the starters call it; lines of the job log come back. */
async function migrate(service: string, command: string, lines: string[]) {
  const result = await runAction('run-migrations', {
    timeoutMs: 120_000,
    inputs: { mode: 'ecs-task', cluster: 'prod', service, image: release, command },
    github: { runId: String(++runId) },
    env: { ...ecs.env(), AWS_PROFILE: undefined, AWS_CONFIG_FILE: '/nonexistent/aws-config' },
  });
  lines.push(...result.log.split('\n'));
  if (result.exitCode !== 0) throw new Error(result.errors.join(' '));
  return { exitCode: 0, outputs: result.outputs };
}

describe('seed 001: build → snapshot RDS → stop the old tasks → migrate → deploy', () => {
  it('runs the release and serves the new image, 2 tasks again', async () => {
    const svc = await addApi(ecs, image, { name: 'server', desiredCount: 2 });
    const snap = await snapshot();
    expect(snap.errors).toEqual([]);
    expect(snap.outputs['snapshot-id']).toBeTruthy();

    const stop = await deployEcs(ecs, { cluster: 'prod', service: 'server', 'desired-count': 0 });
    expect(stop.outputs['previous-desired-count']).toBe('2');
    expect(ecs.tasksOf(svc, false).every((t) => t.lastStatus === 'STOPPED')).toBe(true);

    const lines: string[] = [];
    const migration = await migrate('server', 'echo applying 002_users.sql; exit 0', lines);
    expect(migration.exitCode).toBe(0);
    expect(lines).toContain('│ applying 002_users.sql');
    // While the migration ran, the service ran no task.
    expect(ecs.tasksOf(svc).filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(0);

    const deploy = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'server',
      image: release,
      'desired-count': stop.outputs['previous-desired-count'],
      'health-path': '/health',
    });
    expect(deploy.errors).toEqual([]);
    expect(deploy.outputs.status).toBe('SUCCESSFUL');
    const td = ecs.taskDefinitions.get(deploy.outputs['task-definition-arn'])!;
    expect(td.body.containerDefinitions[0].image).toBe(release);
    expect(ecs.tasksOf(svc).filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2);
  });

  it('restores the task count on the old revision when the migration fails', async () => {
    const svc = await addApi(ecs, image, { name: 'server-b', desiredCount: 2 });
    const before = svc.taskDefinition;
    const stop = await deployEcs(ecs, { cluster: 'prod', service: 'server-b', 'desired-count': 0 });
    const failed = await migrate('server-b', 'echo relation exists >&2; exit 1', []).catch((e: Error) => e);
    expect((failed as Error).message).toMatch(/exited with code 1/);
    const restore = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'server-b',
      'desired-count': stop.outputs['previous-desired-count'],
    });
    expect(restore.outputs.status).toBe('scaled');
    expect(ecs.service('server-b', 'prod').taskDefinition).toBe(before);
    expect(ecs.tasksOf(svc).filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2);
  });
});

describe('seed 003: maintenance → snapshot → one-off migration task (logs watched) → deploy core → running', () => {
  it('keeps the maintenance page up through the migration and the deploy, then serves the new core', async () => {
    const svc = await addApi(ecs, image, { name: 'core', desiredCount: 1 });
    const url = ecs.lbInfo.get(svc.arn)!.productionUrl;
    const on = await deployEcs(ecs, { cluster: 'prod', service: 'core', maintenance: 'on' });
    expect(on.outputs.status).toBe('maintenance-on');
    expect((await fetch(`${url}/`)).status).toBe(503);

    expect((await snapshot()).errors).toEqual([]);

    const lines: string[] = [];
    const migration = await migrate('core', 'for i in 1 2 3; do echo "migration step $i"; sleep 0.3; done', lines);
    expect(migration.exitCode).toBe(0);
    expect(lines.filter((l) => l.startsWith('│ migration step'))).toHaveLength(3);
    expect(lines.some((l) => l.includes('console.aws.amazon.com/ecs/v2/clusters/prod/tasks/'))).toBe(true);

    const deploy = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'core',
      image: release,
      'env-vars': 'APP_VERSION=v1.54.8',
    });
    expect(deploy.outputs.status).toBe('SUCCESSFUL');
    // "restricted": the new core runs, the public still sees the maintenance page.
    expect((await fetch(`${url}/`)).status).toBe(503);

    const off = await deployEcs(ecs, { cluster: 'prod', service: 'core', maintenance: 'off' });
    expect(off.outputs.status).toBe('maintenance-off');
    expect(await (await fetch(`${url}/`)).text()).toContain('version v1.54.8');
  });
});
