/**
 * `npm run demo`: the example pipeline end to end, on this machine, exactly as a workflow would run it.
 *
 *   1. build-image          builds examples/app with BuildKit, tags it like docker/metadata-action, pushes it
 *   2. push-registry        promotes the pushed image to two more repositories (blobs mounted, not re-sent)
 *   3. snapshot-db          pg_dumps the production database before anything touches it
 *   4. run-migrations       applies examples/app/migrations exactly once, under an advisory lock
 *   5. deploy-cloudrun      first release on (emulated) Cloud Run, revisions running as real containers
 *   6. deploy-cloudrun      the next release as a canary, 25% then 100%, with a health gate at each step
 *   7. deploy-cloudrun      a broken release (health answers 500) rolled back to the exact previous traffic
 *   8. trigger-render-hook  deploys the same image to (emulated) Render by deploy hook and waits until live
 *   ECS (seed 001/003 path, emulated ECS with tasks as real containers behind an emulated load balancer):
 *   9. deploy-ecs           the image to an ECS service, rolling, followed to SUCCESSFUL, health-gated
 *  10. deploy-ecs           a release whose tasks never get healthy: ECS's circuit breaker rolls it back,
 *                           and the step fails saying so
 *  11. run-migrations       mode ecs-task: a one-off migration task whose awslogs stream is followed live
 *
 * Every step runs the built bundle in dist/ through the harness (inputs, file commands, post step), so
 * what you see is what a runner would show. Docker, the registry and PostgreSQL are real; Cloud Run and
 * Render are the local emulators from packages/emulators (Cloud Run revisions run as real containers).
 * The job summaries of all steps are written to one markdown file at the end.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudRunEmulator } from '@deploy-actions/emulators/cloudrun';
import { EcsEmulator } from '@deploy-actions/emulators/ecs';
import { GoogleTokenEmulator } from '@deploy-actions/emulators/google-oauth';
import { RenderEmulator } from '@deploy-actions/emulators/render';
import {
  parseCommand,
  type RunOptions,
  type RunResult,
  readServices,
  repoRoot,
  runAction,
} from '@deploy-actions/harness';
import pg from 'pg';

const services = readServices();
const work = await mkdtemp(join(tmpdir(), 'deploy-actions-demo-'));
const stamp = Date.now().toString(36);
const image = `${services.registry}/acme/backend`;
const github = {
  repository: 'acme/backend',
  ref: 'refs/heads/main',
  sha: `${stamp.padEnd(8, '0')}c0ffee1234567890abcdef1234567890`.slice(0, 40),
  event: { repository: { default_branch: 'main', html_url: 'https://github.com/acme/backend', name: 'backend' } },
};

const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;
const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const red = (s: string) => `\x1b[31m${s}\x1b[0m`;
const green = (s: string) => `\x1b[32m${s}\x1b[0m`;

/**
 * Prints a step's log the way the Actions UI shows it: a group collapsed to its title and line count
 * (its last line shown), annotations highlighted, everything else as is.
 */
let group: { title: string; lines: string[] } | undefined;
function show(line: string): void {
  const command = parseCommand(line);
  if (command?.command === 'group') group = { title: command.message, lines: [] };
  else if (command?.command === 'endgroup' && group) {
    const last = group.lines.at(-1);
    console.log(
      `   ${bold(`▸ ${group.title}`)} ${dim(`(${group.lines.length} lines${last ? `, last: ${last.slice(0, 90)}` : ''})`)}`,
    );
    group = undefined;
  } else if (command?.command === 'error') console.log(`   ${red(`✖ ${command.message}`)}`);
  else if (command?.command === 'warning') console.log(`   ! ${command.message}`);
  else if (command?.command === 'notice') console.log(`   ℹ ${command.message}`);
  else if (!command && group) group.lines.push(line);
  else if (!command) console.log(`   ${line}`);
}

const summaries: string[] = [];
const results: { step: string; ok: boolean; seconds: number }[] = [];

async function step(
  n: number,
  title: string,
  action: string,
  options: RunOptions,
  expectFailure = false,
): Promise<RunResult> {
  console.log(`\n${bold(`━━ ${n}. ${action}`)}: ${title}`);
  const result = await runAction(action, { github, timeoutMs: 300_000, ...options, onLine: show });
  const ok = (result.exitCode === 0) !== expectFailure;
  for (const [name, value] of Object.entries(result.outputs)) {
    const shown = value.length > 110 ? `${value.slice(0, 107)}...` : value;
    console.log(dim(`   output ${name} = ${shown.replace(/\n/g, ' ⏎ ')}`));
  }
  const verdict = result.exitCode === 0 ? 'succeeded' : 'failed';
  console.log(
    `   ${ok ? green('✔') : red('✖')} ${verdict}${expectFailure ? ' (as intended)' : ''} in ${(result.durationMs / 1000).toFixed(1)}s`,
  );
  summaries.push(`<!-- ${n}. ${action} -->\n${result.summary}${result.post?.summary ?? ''}`);
  results.push({ step: `${n}. ${action}: ${title}`, ok, seconds: result.durationMs / 1000 });
  if (!ok) throw new Error(`demo: step ${n} (${action}) did not go as intended`);
  return result;
}

// The "production" database the pipeline migrates, with a password the demo masks like a secret.
const dbName = `demo_${stamp}`;
const dbPassword = `demo-${stamp}-pw`;
const admin = new pg.Client({ connectionString: services.postgresUrl });
await admin.connect();
await admin.query(`CREATE ROLE ${dbName} LOGIN PASSWORD '${dbPassword}'`);
await admin.query(`CREATE DATABASE ${dbName} OWNER ${dbName}`);
await admin.end();
const databaseUrl = new URL(services.postgresUrl);
databaseUrl.username = dbName;
databaseUrl.password = dbPassword;
databaseUrl.pathname = `/${dbName}`;
const seed = new pg.Client({ connectionString: databaseUrl.toString() });
await seed.connect();
await seed.query(
  `CREATE TABLE visits (id serial PRIMARY KEY, path text); INSERT INTO visits (path) SELECT '/p' || g FROM generate_series(1, 500) g`,
);
await seed.end();

const tokens = new GoogleTokenEmulator();
await tokens.start();
const keyFile = tokens.writeServiceAccountKey(work, { project: 'acme-prod' });
const cloudRun = new CloudRunEmulator({ tokens, readyDelayMs: 500 });
await cloudRun.start();
const renderApiKey = `rnd_demo${stamp}`;
const render = await new RenderEmulator({ scale: 20, apiKey: renderApiKey }).start();
const googleEnv = { GOOGLE_APPLICATION_CREDENTIALS: keyFile, GOOGLE_CLOUD_PROJECT: 'acme-prod' };
// ---- ECS (deploy-ecs, run-migrations ecs-task): the emulator the ECS section below talks to ----
const ecs = new EcsEmulator({ scale: 60, healthGraceMs: 60_000 });
await ecs.listen();
const ecsEnv = { ...ecs.env(), AWS_PROFILE: undefined };

try {
  const built = await step(1, 'build the example backend and push it', 'build-image', {
    inputs: {
      images: image,
      tags: 'type=sha\ntype=ref,event=branch',
      context: join(repoRoot, 'examples', 'app'),
      network: 'host',
      push: true,
    },
  });
  const digestRef = `${image}@${built.outputs.digest}`;

  await step(2, 'promote the image to the release repositories', 'push-registry', {
    inputs: {
      source: digestRef,
      destinations: `${services.registry}/acme/backend-release:${github.sha.slice(0, 7)}\n${services.registry}/mirror/backend:latest`,
    },
  });

  await step(3, 'snapshot the database before migrating', 'snapshot-db', {
    inputs: { provider: 'postgres', 'database-url': databaseUrl.toString(), path: join(work, 'snapshots') },
    secrets: [dbPassword],
  });

  await step(4, 'apply the migrations that ship with this image, exactly once', 'run-migrations', {
    inputs: {
      mode: 'sql',
      'database-url': databaseUrl.toString(),
      'migrations-dir': join(repoRoot, 'examples', 'app', 'migrations'),
    },
    secrets: [dbPassword],
  });

  const cloudRunInputs = {
    service: 'backend',
    region: 'europe-west1',
    'api-endpoint': cloudRun.url,
    'health-path': '/cgi-bin/health',
    'allow-unauthenticated': true,
  };
  await step(5, 'first release', 'deploy-cloudrun', {
    inputs: { ...cloudRunInputs, image: digestRef, 'env-vars': 'APP_VERSION=1' },
    env: googleEnv,
  });
  await step(6, 'canary 25% → 100% with a health gate at each step', 'deploy-cloudrun', {
    inputs: {
      ...cloudRunInputs,
      image: digestRef,
      'env-vars': 'APP_VERSION=2',
      strategy: 'canary',
      'canary-steps': '25,100',
    },
    env: googleEnv,
  });
  await step(
    7,
    'a release whose health check answers 500 is rolled back exactly',
    'deploy-cloudrun',
    {
      inputs: {
        ...cloudRunInputs,
        image: digestRef,
        'env-vars': 'APP_VERSION=3\nHEALTH_STATUS=500',
        strategy: 'canary',
        'canary-steps': '25,100',
      },
      env: googleEnv,
    },
    true,
  );

  const service = render.addService({
    image: `${image}:latest`,
    durations: { created: 500, build: 3000, update: 2000 },
  });
  await step(8, 'deploy the same image to Render by deploy hook and wait until live', 'trigger-render-hook', {
    inputs: {
      'deploy-hook-url': render.hookUrl(service.id),
      'image-url': digestRef,
      'service-id': service.id,
      'api-key': renderApiKey,
      'api-url': `${render.url}/v1`,
      'health-path': '/',
    },
    secrets: [render.hookUrl(service.id), renderApiKey],
  });

  // ---- ECS section (deploy-ecs and the ecs-task migration; seeds 001 and 003) ----
  const taskDefinition = {
    family: 'backend',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'backend',
        image: digestRef,
        essential: true,
        portMappings: [{ containerPort: 8080 }],
        environment: [{ name: 'APP_VERSION', value: '1' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/backend', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
  };
  await ecs.addService({
    cluster: 'prod',
    name: 'backend',
    taskDefinition,
    desiredCount: 2,
    loadBalancer: { healthCheckPath: '/cgi-bin/health' },
  });
  const ecsInputs = { cluster: 'prod', service: 'backend' };
  await step(9, 'deploy to ECS, rolling, followed to SUCCESSFUL, health-gated', 'deploy-ecs', {
    inputs: {
      ...ecsInputs,
      region: 'us-east-1',
      image: digestRef,
      'env-vars': 'APP_VERSION=2',
      'health-path': '/cgi-bin/health',
    },
    env: ecsEnv,
  });
  await step(
    10,
    'a release whose tasks never get healthy: the circuit breaker rolls back, the step fails',
    'deploy-ecs',
    {
      inputs: { ...ecsInputs, region: 'us-east-1', image: digestRef, 'env-vars': 'APP_VERSION=3\nHEALTH_STATUS=500' },
      env: ecsEnv,
    },
    true,
  );
  await step(11, 'a one-off migration task whose log is followed live', 'run-migrations', {
    inputs: {
      mode: 'ecs-task',
      ...ecsInputs,
      'aws-region': 'us-east-1',
      command: 'for f in /migrations/*.sql; do echo "applying $f"; sleep 0.2; done; echo done',
    },
    env: ecsEnv,
  });
} finally {
  await Promise.allSettled([cloudRun.close(), render.close(), tokens.close(), ecs.close()]);
  const cleanup = new pg.Client({ connectionString: services.postgresUrl });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await cleanup.query(`DROP ROLE IF EXISTS ${dbName}`);
  await cleanup.end();
  const summaryFile = join(work, 'job-summaries.md');
  writeFileSync(summaryFile, summaries.join('\n\n'));
  console.log(`\n${bold('━━ Pipeline')}`);
  for (const r of results)
    console.log(`   ${r.ok ? green('✔') : red('✖')} ${r.step} ${dim(`(${r.seconds.toFixed(1)}s)`)}`);
  console.log(`\n   Job summaries of every step: ${summaryFile}`);
}
