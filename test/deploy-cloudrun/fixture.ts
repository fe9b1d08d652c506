// Shared setup for the deploy-cloudrun integration tests: a local Google token endpoint, the Cloud Run
// emulator behind it, a service-account key the action finds the way google-github-actions/auth leaves it,
// and a runner for the built action.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudRunEmulator, type CloudRunEmulatorOptions } from '../../packages/emulators/src/cloudrun';
import { GoogleTokenEmulator } from '../../packages/emulators/src/google-oauth';
import { type RunOptions, type RunResult, repoRoot, runAction } from '../../packages/harness/src';

export const PROJECT = 'acme-prod';
export const REGION = 'europe-west1';

export interface Cloud {
  tokens: GoogleTokenEmulator;
  run: CloudRunEmulator;
  dir: string;
  keyPath: string;
  /** The private key: it must never appear in anything the action prints. */
  privateKey: string;
  close(): Promise<void>;
}

export async function startCloud(options: Omit<CloudRunEmulatorOptions, 'tokens'> = {}): Promise<Cloud> {
  const tokens = new GoogleTokenEmulator();
  await tokens.start();
  const run = new CloudRunEmulator({ tokens, scale: 100, readyDelayMs: 200, containers: false, ...options });
  await run.start();
  const dir = mkdtempSync(join(tmpdir(), 'deploy-cloudrun-'));
  const keyPath = tokens.writeServiceAccountKey(dir, { project: PROJECT });
  const privateKey = JSON.parse(readFileSync(keyPath, 'utf8')).private_key as string;
  return {
    tokens,
    run,
    dir,
    keyPath,
    privateKey,
    async close() {
      await run.close();
      await tokens.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the action with the key file as google-github-actions/auth exports it, against the emulator. */
export function deploy(
  cloud: Cloud,
  inputs: RunOptions['inputs'],
  options: Omit<RunOptions, 'inputs'> = {},
): Promise<RunResult> {
  return runAction('deploy-cloudrun', {
    ...options,
    inputs: { region: REGION, 'api-endpoint': cloud.run.url, 'deploy-wait': '1m', ...inputs },
    env: {
      GOOGLE_APPLICATION_CREDENTIALS: cloud.keyPath,
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: cloud.keyPath,
      GOOGLE_GHA_CREDS_PATH: cloud.keyPath,
      GOOGLE_CLOUD_PROJECT: PROJECT,
      CLOUDSDK_CORE_PROJECT: PROJECT,
      GCLOUD_PROJECT: undefined,
      GCP_PROJECT: undefined,
      ...options.env,
    },
    secrets: [cloud.privateKey, ...(options.secrets ?? [])],
    timeoutMs: options.timeoutMs ?? 110_000,
  });
}

/** The API's view of a service, as loose JSON for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: emulator JSON, read field by field in assertions
export type View = Record<string, any>;

export function service(cloud: Cloud, name: string, region = REGION): View {
  return cloud.run.getService(PROJECT, region, name) as View;
}

/** Revision → percent of what the service serves, tags aside. */
export function split(svc: View): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of (svc.trafficStatuses ?? []) as { revision: string; percent?: number }[])
    if (t.percent) out[t.revision] = (out[t.revision] ?? 0) + t.percent;
  return out;
}

export function envOf(svc: View): Record<string, unknown> {
  return Object.fromEntries(
    ((svc.template.containers[0].env ?? []) as View[]).map((e) => [e.name, e.value ?? e.valueSource?.secretKeyRef]),
  );
}

/** Builds examples/app once under a unique name (real containers for the rollout tests). */
export function buildExampleApp(): string {
  const image = `localhost/deploy-cloudrun-test-app:${process.pid}-${Date.now().toString(36)}`;
  execFileSync(
    '/usr/bin/docker',
    ['build', '--network', 'host', '-q', '-t', image, join(repoRoot, 'examples', 'app')],
    {
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    },
  );
  return image;
}

export function removeImage(image: string): void {
  try {
    execFileSync('/usr/bin/docker', ['rmi', '-f', image], { stdio: 'ignore' });
  } catch {}
}
