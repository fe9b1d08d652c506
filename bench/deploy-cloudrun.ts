/**
 * deploy-cloudrun: what the action itself costs. Deploys against the Cloud Run emulator with no delays
 * (the cloud side is instant), so the wall time is the action's own overhead: Node start, reading inputs,
 * credentials, API round trips, the job summary. Beside it, in the same run, one `gcloud --version`: the
 * least any gcloud-based deploy action pays before it talks to Cloud Run at all. Then, with a revision that
 * takes 2 s to become ready, the delay from the revision reported ready to the action finishing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudRunEmulator } from '../packages/emulators/src/cloudrun';
import { GoogleTokenEmulator } from '../packages/emulators/src/google-oauth';
import { type RunResult, runAction } from '../packages/harness/src';

export const title = 'deploy-cloudrun: action overhead against an instant Cloud Run';

const PROJECT = 'bench-project';
const REGION = 'europe-west1';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function withCloud<T>(
  options: { readyDelayMs: number; scale: number },
  fn: (run: CloudRunEmulator, keyPath: string) => Promise<T>,
): Promise<T> {
  const tokens = new GoogleTokenEmulator();
  await tokens.start();
  const run = new CloudRunEmulator({ tokens, containers: false, ...options });
  await run.start();
  const dir = mkdtempSync(join(tmpdir(), 'bench-cloudrun-'));
  try {
    return await fn(run, tokens.writeServiceAccountKey(dir, { project: PROJECT }));
  } finally {
    await run.close();
    await tokens.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function deploy(run: CloudRunEmulator, keyPath: string, inputs: Record<string, string>): Promise<RunResult> {
  return runAction('deploy-cloudrun', {
    inputs: { service: 'api', region: REGION, 'api-endpoint': run.url, image: 'example.com/api:1', ...inputs },
    env: { GOOGLE_APPLICATION_CREDENTIALS: keyPath, GOOGLE_CLOUD_PROJECT: PROJECT },
  });
}

function timeGcloud(args: string[]): number {
  const started = performance.now();
  execFileSync('/usr/bin/gcloud', args, {
    stdio: 'ignore',
    env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1', CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1' },
  });
  return performance.now() - started;
}

export async function run(): Promise<string> {
  const rounds = 5;
  const action: number[] = [];
  const canary: number[] = [];
  const requests: number[] = [];
  await withCloud({ readyDelayMs: 0, scale: 1 }, async (cloud, key) => {
    await deploy(cloud, key, {}); // create, not measured
    for (let i = 0; i < rounds; i++) {
      const before = cloud.server.requests.length;
      const result = await deploy(cloud, key, { 'env-vars': `ROUND=${i}` });
      if (result.exitCode !== 0) throw new Error(`bench deploy failed: ${result.errors.join('; ')}`);
      action.push(result.durationMs);
      requests.push(cloud.server.requests.length - before);
      const steps = await deploy(cloud, key, {
        'env-vars': `ROUND=c${i}`,
        strategy: 'canary',
        'canary-steps': '10,50,100',
      });
      if (steps.exitCode !== 0) throw new Error(`bench canary failed: ${steps.errors.join('; ')}`);
      canary.push(steps.durationMs);
    }
  });
  const gcloud: number[] = [];
  for (let i = 0; i < 3; i++) gcloud.push(timeGcloud(['--version']));

  // Notice delay: the revision takes 2 s to become ready; how long after that does the step end?
  const notice: number[] = [];
  await withCloud({ readyDelayMs: 2000, scale: 1 }, async (cloud, key) => {
    await deploy(cloud, key, {});
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const result = await deploy(cloud, key, { 'env-vars': `N=${i}` });
      const finished = started + result.durationMs;
      // The service turns Ready in the same instant its new revision does.
      const svc = cloud.getService(PROJECT, REGION, 'api') as {
        latestReadyRevision: string;
        terminalCondition: { lastTransitionTime: string };
      };
      if (!result.log.includes(svc.latestReadyRevision.split('/').pop()!))
        throw new Error('bench: unexpected revision');
      const readyAt = Date.parse(svc.terminalCondition.lastTransitionTime);
      notice.push(finished - readyAt);
    }
  });

  const a = median(action);
  const g = median(gcloud);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `Median of ${rounds} updates of one service (all-at-once), ${rounds} canary updates (10 → 50 → 100, no pause, no probes) and 3 \`gcloud --version\` runs, all in this run. Each deploy is a whole action step as the runner runs it (a fresh Node process), against the Cloud Run emulator with zero delays.`,
    '',
    '| measure | time |',
    '|---|---|',
    `| deploy-cloudrun update, whole step | ${fmt(a)} (${median(requests)} API requests) |`,
    `| deploy-cloudrun canary in 3 steps, whole step | ${fmt(median(canary))} |`,
    `| \`gcloud --version\` alone | ${fmt(g)} |`,
    `| ratio: one gcloud start / our whole deploy | **${(g / a).toFixed(1)}×** |`,
    `| revision ready → step finished (2 s revision start) | ${Math.round(median(notice))} ms (median of 3) |`,
    '',
    'A gcloud-based action pays the gcloud start at least once per deploy (usually more: `gcloud run deploy` then `gcloud run services describe` for the URL), before any API time; this action finishes the whole deploy in less. The last row is how late the step notices a ready revision: operations are awaited with `operations.wait`, which the server answers the moment the operation is done, so the delay is the final reads, the summary and process exit, not a polling interval.',
  ].join('\n');
}
