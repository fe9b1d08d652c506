/**
 * run-migrations' ecs-task mode against the ECS emulator with real containers: the task runs once with the
 * service's network and launch settings, its awslogs stream reaches the job log live and redacted, the exit
 * code decides, stopCode/stoppedReason are named, a racing run waits, RunTask failures[] and cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EcsTaskFailed, type EcsTaskOptions, runEcsTask } from '../../actions/run-migrations/src/mode-ecs-task';
import type { EcsEmulator } from '../../packages/emulators/src/ecs';
import { runAction } from '../../packages/harness/src/run-action';
import { addApi, buildTestImage, removeImage, startEcs } from '../deploy-ecs/fixture';

let image: string;
let ecs: EcsEmulator;
const saved = { ...process.env };
beforeAll(async () => {
  image = buildTestImage();
  ecs = await startEcs();
  Object.assign(process.env, ecs.env());
  await addApi(ecs, image, { name: 'core', desiredCount: 1, launchType: 'FARGATE' });
});
afterAll(async () => {
  process.env = saved;
  await ecs.close();
  removeImage(image);
});

function options(lines: string[], extra: Partial<EcsTaskOptions> = {}): EcsTaskOptions {
  return {
    region: 'us-east-1',
    cluster: 'prod',
    service: 'core',
    command: 'echo "migrating with $MIGRATE_URL"; echo applied 3; exit 0',
    env: { MIGRATE_URL: 'postgres://app:s3cret-pw@db:5432/app' },
    startedBy: 'run-migrations',
    clientToken: `t-${Date.now()}-${Math.random()}`,
    log: (line) => lines.push(line),
    redact: (text) => text.replaceAll('s3cret-pw', '***'),
    pollMs: 200,
    ...extra,
  };
}

describe('ecs-task mode', () => {
  it('runs the migration as a task of the service, streams its log redacted, and succeeds on exit 0', async () => {
    const lines: string[] = [];
    const outcome = await runEcsTask(options(lines), new AbortController().signal);
    expect(outcome.exitCode).toBe(0);
    expect(lines).toContain('│ migrating with postgres://app:***@db:5432/app');
    expect(lines).toContain('│ applied 3');
    expect(lines.join('\n')).not.toContain('s3cret-pw');
    expect(outcome.consoleUrl).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/ecs\/v2\/clusters\/prod\/tasks\/\w+\/logs/,
    );
    const task = ecs.tasks.get(outcome.taskArn)!;
    expect(task.startedBy).toBe('run-migrations');
    expect(task.launchType).toBe('FARGATE');
    expect(task.networkConfiguration).toEqual(ecs.service('core', 'prod').networkConfiguration);
  });

  it('fails with the exit code, stopCode and stoppedReason when the migration exits non-zero', async () => {
    const lines: string[] = [];
    const error = await runEcsTask(
      options(lines, { command: 'echo boom >&2; exit 7' }),
      new AbortController().signal,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(EcsTaskFailed);
    expect(error.message).toMatch(
      /exited with code 7; stopCode EssentialContainerExited: Essential container in task exited/,
    );
    expect(lines).toContain('│ boom');
  });

  it('names RunTask failures[] (no capacity in the subnet) instead of waiting', async () => {
    const error = await runEcsTask(options([], { subnets: ['subnet-00000000'] }), new AbortController().signal).catch(
      (e) => e,
    );
    expect(error.message).toMatch(/RunTask started no task: RESOURCE:ENI \(No free ENI in subnet-00000000\)/);
  });

  it('a racing run waits for the running migration task before starting its own', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const a = runEcsTask(
      options(first, { command: 'echo first; sleep 2; echo first done' }),
      new AbortController().signal,
    );
    await new Promise((r) => setTimeout(r, 700));
    const b = await runEcsTask(options(second, { command: 'echo second' }), new AbortController().signal);
    const done = await a;
    expect(b.waitedFor).toBe(done.taskArn);
    const secondTask = ecs.tasks.get(b.taskArn)!;
    expect(secondTask.createdAt).toBeGreaterThanOrEqual(ecs.tasks.get(done.taskArn)!.stoppedAt!);
  });

  it('stops the task on cancellation', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runEcsTask(options(lines, { command: 'echo long; sleep 60' }), controller.signal);
    while (!lines.some((l) => l.includes('│ long'))) await new Promise((r) => setTimeout(r, 100));
    controller.abort(new Error('The job was cancelled'));
    await expect(running).rejects.toThrow('cancelled');
    const task = [...ecs.tasks.values()].find((t) =>
      t.overrides?.containerOverrides?.[0]?.command?.[2]?.includes('sleep 60'),
    )!;
    expect(task.stopCode).toBe('UserInitiated');
    expect(task.stoppedReason).toBe('run-migrations: The job was cancelled');
  });
});

let runs = 9000;
describe('run-migrations mode: ecs-task through the harness', () => {
  const run = (inputs: Record<string, string>) =>
    runAction('run-migrations', {
      timeoutMs: 120_000,
      inputs: { mode: 'ecs-task', cluster: 'prod', service: 'core', ...inputs },
      // Each test run is another workflow run: the same run attempt would get its first task back.
      github: { runId: String(++runs) },
      env: { ...ecs.env(), AWS_PROFILE: undefined, AWS_CONFIG_FILE: '/nonexistent/aws-config' },
    });

  it('runs the migration task, follows its log into the job log, and reports applied', async () => {
    const result = await run({ command: 'echo "applying 003_orders.sql"; exit 0', image });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('applied');
    expect(result.log).toContain('│ applying 003_orders.sql');
    expect(result.log).toMatch(
      /console: https:\/\/us-east-1\.console\.aws\.amazon\.com\/ecs\/v2\/clusters\/prod\/tasks\//,
    );
    expect(result.summary).toContain('started by');
  });

  it('fails with the exit code and stop code named, and refuses bad ECS inputs before any call', async () => {
    const failed = await run({ command: 'exit 3' });
    expect(failed.exitCode).toBe(1);
    expect(failed.errors[0]).toMatch(/exited with code 3; stopCode EssentialContainerExited/);
    const before = ecs.count();
    for (const [inputs, message] of [
      [{ subnets: 'subnet-nothex!' }, /Input "subnets"/],
      [{ 'started-by': 'x'.repeat(40) }, /Input "started-by"/],
      [{ service: '../other' }, /Input "service"/],
      [{ 'aws-region': 'moon-1' }, /Input "aws-region"/],
    ] as const) {
      const bad = await run(inputs as Record<string, string>);
      expect(bad.errors[0]).toMatch(message);
    }
    expect(ecs.count()).toBe(before);
  });
});
