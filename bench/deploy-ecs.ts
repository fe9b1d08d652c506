/**
 * deploy-ecs: how soon a finished ECS deployment is noticed and what the wait costs in API calls, for 1 min,
 * 10 min and 2 h deployments, on emulated time (a virtual clock: no sleeping), beside the AWS CLI's
 * `aws ecs wait services-stable` (DescribeServices every 15 s, 40 times, then exit 255) and the peer
 * aws-actions/amazon-ecs-deploy-task-definition (the SDK's waitUntilServicesStable: 15 s minimum delay,
 * 120 s maximum, exponential with jitter, `wait-for-minutes` default 30). Each deployment ends at a random
 * instant (seeded), 200 runs each. Then the action's own overhead (the built bundle run through the harness
 * against the emulator) beside one `aws --version`.
 */
import { execFileSync } from 'node:child_process';
import { type DeploymentView, follow, type Sources } from '../actions/deploy-ecs/src/wait';
import { addApi, buildTestImage, deployEcs, removeImage, startEcs } from '../test/deploy-ecs/fixture';

export const title = 'deploy-ecs: noticing a finished deployment, and the overhead';

const RUNS = 200;

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

class VirtualClock {
  t = 0;
  now = () => this.t;
  sleep = async (ms: number) => {
    this.t += Math.max(0, ms);
  };
}

interface Outcome {
  delayMs?: number;
  calls: number;
  failed?: string;
}

async function ours(endsAt: number): Promise<Outcome> {
  const clock = new VirtualClock();
  const view = (): DeploymentView =>
    clock.t >= endsAt
      ? { status: 'SUCCESSFUL', stage: 'CLEAN_UP', running: 2, desired: 2, pending: 0 }
      : clock.t >= endsAt - 20_000
        ? { status: 'IN_PROGRESS', stage: 'CLEAN_UP', running: 2, desired: 2, pending: 0 }
        : { status: 'IN_PROGRESS', stage: 'SCALE_UP', running: 1, desired: 2, pending: 1 };
  const sources: Sources = {
    deployment: async () => view(),
    service: async () => ({ events: [], ended: clock.t >= endsAt }),
  };
  const result = await follow(sources, { timeoutMs: 6 * 3600_000, clock });
  return { delayMs: result.seenAt - endsAt, calls: result.calls };
}

/** `aws ecs wait services-stable`: a check at 0, then every 15 s, 40 checks in all. */
function cli(endsAt: number): Outcome {
  for (let attempt = 0; attempt < 40; attempt++) {
    const t = attempt * 15_000;
    if (t >= endsAt) return { delayMs: t - endsAt, calls: attempt + 1 };
  }
  return { calls: 40, failed: 'exit 255 after 10 min' };
}

/** The SDK waiter (smithy util-waiter): checks at 0, then delays random in [min, min·2^(n-1)] capped at max. */
function peer(endsAt: number, random: () => number, waitMinutes = 30): Outcome {
  const minDelay = 15;
  const maxDelay = 120;
  const ceiling = Math.log(maxDelay / minDelay) / Math.log(2) + 1;
  const maxWait = waitMinutes * 60_000;
  let t = 0;
  for (let attempt = 1; ; attempt++) {
    if (t >= endsAt) return { delayMs: t - endsAt, calls: attempt };
    const upper = attempt > ceiling ? maxDelay : minDelay * 2 ** (attempt - 1);
    const delay = (attempt > ceiling ? maxDelay : minDelay + random() * (upper - minDelay)) * 1000;
    if (t + delay > maxWait) return { calls: attempt, failed: `stops at wait-for-minutes (${waitMinutes} min)` };
    t += delay;
  }
}

function summarize(outcomes: Outcome[]): string {
  const failed = outcomes.find((o) => o.failed);
  if (failed) return `${failed.failed} (${failed.calls} calls)`;
  const delays = outcomes.map((o) => o.delayMs!).sort((a, b) => a - b);
  const calls = outcomes.map((o) => o.calls);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return `${(mean(delays) / 1000).toFixed(1)} s mean, ${(delays[delays.length - 1] / 1000).toFixed(1)} s max · ${Math.round(mean(calls))} calls`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<string> {
  const random = seeded(42);
  const rows: string[] = [];
  for (const [label, base] of [
    ['1 min', 60_000],
    ['10 min', 600_000],
    ['2 h', 7_200_000],
  ] as const) {
    const ends = Array.from({ length: RUNS }, () => base + random() * 15_000);
    const a: Outcome[] = [];
    for (const e of ends) a.push(await ours(e));
    const b = ends.map(cli);
    const c = ends.map((e) => peer(e, random));
    const d = ends.map((e) => peer(e, random, 360));
    const minutes = ends.reduce((sum, e) => sum + e, 0) / ends.length / 60_000;
    const perMinute = (o: Outcome[]) => (o.reduce((sum, x) => sum + x.calls, 0) / o.length / minutes).toFixed(1);
    rows.push(
      `| ${label} | ${summarize(a)} (${perMinute(a)}/min) | ${summarize(b)} | ${summarize(c)} | ${summarize(d)} |`,
    );
  }

  // Overhead: the bundle through the harness for a step that does almost nothing (maintenance already off:
  // DescribeServices, the load balancer lookups, DescribeRules, DescribeTags), beside one `aws --version`.
  const image = buildTestImage(`bench-${Date.now().toString(36)}`);
  const ecs = await startEcs();
  const action: number[] = [];
  const awsCli: number[] = [];
  let calls = 0;
  let cliVersion = 'not installed';
  try {
    await addApi(ecs, image, { name: 'bench', desiredCount: 1 });
    for (let i = 0; i < 5; i++) {
      const before = ecs.count();
      const started = Date.now();
      const result = await deployEcs(ecs, { cluster: 'prod', service: 'bench', maintenance: 'off' });
      action.push(Date.now() - started);
      if (result.exitCode !== 0) throw new Error(`bench: deploy-ecs failed: ${result.errors.join(' ')}`);
      calls = ecs.count() - before;
      try {
        const t = Date.now();
        cliVersion = execFileSync('aws', ['--version'], { encoding: 'utf8' }).trim().split(' ')[0];
        awsCli.push(Date.now() - t);
      } catch {
        // no CLI: reported below
      }
    }
  } finally {
    await ecs.close();
    removeImage(image);
  }
  const overhead = awsCli.length
    ? `${median(action)} ms for the whole step (${calls} API calls) vs ${median(awsCli)} ms for one \`aws --version\` (${cliVersion}): ${(median(action) / median(awsCli)).toFixed(2)}×`
    : `${median(action)} ms for the whole step (${calls} API calls); the aws CLI is not installed here, so no comparison`;

  return [
    'Time from the deployment reaching its end to the step knowing the outcome, and API calls spent, on emulated',
    `time (${RUNS} deployments per row, ending at random instants within 15 s of the length; the last 20 s in CLEAN_UP):`,
    '',
    '| deployment | deploy-ecs (2 s cadence, ≤ 30 calls/min) | `aws ecs wait services-stable` | peer waiter, default `wait-for-minutes: 30` | peer waiter, `wait-for-minutes: 360` |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'The CLI and the peer count "stable" (one deployment, running = desired), which a circuit-breaker rollback also',
    'reaches: they report that rollback as success; deploy-ecs follows the service deployment and fails it.',
    '',
    `Overhead, median of 5, side by side: ${overhead}.`,
  ].join('\n');
}
