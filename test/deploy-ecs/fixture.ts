/**
 * What the deploy-ecs, ecs-task and seed tests share: a test image built locally FROM the busybox base
 * (busybox httpd on $PORT; HEALTHY=false serves no /health, EXIT_CODE=n exits at once, APP_VERSION is
 * what / answers), an ECS emulator on scaled time, a service behind its load balancer, and harness runs
 * with the emulator's endpoints in the environment.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcsEmulator, type EcsEmulatorOptions, type ServiceOptions } from '../../packages/emulators/src/ecs';
import { type RunOptions, type RunResult, runAction } from '../../packages/harness/src/run-action';
import { readServices } from '../../packages/harness/src/services';

// The client and daemon the local services found for builds (services.env), not a hard-coded path.
const services = readServices();
const DOCKER = services.dockerClient;
const DOCKER_HOST = services.dockerHost;

const START = `#!/bin/sh
if [ -n "$EXIT_CODE" ]; then echo "exiting with $EXIT_CODE"; exit "$EXIT_CODE"; fi
mkdir -p /www
echo "version \${APP_VERSION:-dev}" > /www/index.html
if [ "$HEALTHY" != "false" ]; then echo ok > /www/health; fi
echo "listening on $PORT (version \${APP_VERSION:-dev})"
exec httpd -f -p "127.0.0.1:$PORT" -h /www
`;

/** Builds the test image once per test file under a unique tag; returns its reference. */
export function buildTestImage(tag = `${process.pid}-${Date.now().toString(36)}`): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-app-'));
  writeFileSync(join(dir, 'start.sh'), START);
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM localhost/busybox:latest\nCOPY start.sh /start.sh\nCMD ["/bin/sh", "/start.sh"]\n',
  );
  const image = `localhost/ecs-emu-app:${tag}`;
  execFileSync(DOCKER, ['build', '--network', 'host', '-q', '-t', image, dir], {
    env: { ...process.env, DOCKER_BUILDKIT: '1', DOCKER_HOST },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  rmSync(dir, { recursive: true, force: true });
  return image;
}

/** Another reference to the same image (a "new release" without a second build). */
export function tagImage(image: string, tag: string): string {
  const target = `${image.split(':')[0]}:${tag}`;
  execFileSync(DOCKER, ['tag', image, target], { env: { ...process.env, DOCKER_HOST } });
  return target;
}

export function removeImage(image: string): void {
  try {
    execFileSync(DOCKER, ['rmi', '-f', image], {
      stdio: 'ignore',
      env: { ...process.env, DOCKER_HOST },
    });
  } catch {
    // already gone
  }
}

export async function startEcs(options: EcsEmulatorOptions = {}): Promise<EcsEmulator> {
  const ecs = new EcsEmulator({ scale: 60, healthGraceMs: 60_000, ...options });
  await ecs.listen();
  return ecs;
}

export function taskDefinition(image: string, family = 'api', extra: Record<string, unknown> = {}) {
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    containerDefinitions: [
      {
        name: 'api',
        image,
        essential: true,
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        environment: [
          { name: 'NODE_ENV', value: 'production' },
          { name: 'APP_VERSION', value: 'v1' },
        ],
        secrets: [{ name: 'DATABASE_URL', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/api', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
    tags: [{ key: 'team', value: 'backend' }],
    ...extra,
  };
}

export async function addApi(ecs: EcsEmulator, image: string, options: Partial<ServiceOptions> = {}) {
  return ecs.addService({
    name: 'api',
    cluster: 'prod',
    taskDefinition: taskDefinition(image),
    desiredCount: 2,
    loadBalancer: { healthCheckPath: '/health' },
    ...options,
  });
}

export function deployEcs(
  ecs: EcsEmulator,
  inputs: RunOptions['inputs'],
  options: RunOptions = {},
): Promise<RunResult> {
  return runAction('deploy-ecs', {
    timeoutMs: 180_000,
    ...options,
    inputs: { region: 'us-east-1', ...inputs },
    env: {
      ...ecs.env(),
      AWS_PROFILE: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      ...options.env,
    },
  });
}
