import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { docker, dockerAvailable, dockerCli, imageExists } from './cloudrun-runtime';

/**
 * What runs an ECS task: each container of the task definition as a real container on the engine (host
 * networking, `--pull never`, images from the engine or the loopback registry only), like the Cloud Run
 * emulator's revisions. awsvpc gives every task its own IP, which host networking cannot, so each task gets
 * a free loopback port in PORT and the load balancer routes to that port. `docker logs -f` feeds each
 * container's output to the log store (the awslogs driver), `docker wait` reports its exit code. The docker
 * client and the daemon come from the suite's engine layer, as for the Cloud Run emulator (cloudrun-runtime).
 */

export { docker, dockerAvailable };

export interface ContainerRun {
  image: string;
  entryPoint?: string[];
  command?: string[];
  env: Record<string, string>;
  /** ECS container health check (`CMD-SHELL …` or `CMD …`), run by the engine. */
  healthCheck?: { command: string[]; intervalMs: number; retries: number };
  onLine: (line: string) => void;
}

export interface RunningContainer {
  name: string;
  /** Resolves with the exit code when the container stops (or -1 when it never started). */
  exited: Promise<{ exitCode: number; reason?: string }>;
  /** healthy / unhealthy / starting, or undefined without a health check. */
  health(): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** Starts one container; `failure` explains a start that could not happen (CannotPullContainerError…). */
export async function startContainer(run: ContainerRun): Promise<RunningContainer | { failure: string }> {
  if (!(await imageExists(run.image)))
    return {
      failure: `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${run.image}: not found`,
    };
  const name = `ecs-emu-${randomBytes(5).toString('hex')}`;
  const args = ['run', '-d', '--pull', 'never', '--network', 'host', '--name', name];
  args.push('--label', 'deploy-actions.emulator=ecs');
  for (const [key, value] of Object.entries(run.env)) args.push('-e', `${key}=${value}`);
  if (run.healthCheck) {
    const [kind, ...rest] = run.healthCheck.command;
    const cmd = kind === 'CMD-SHELL' ? rest.join(' ') : rest.join(' ');
    args.push('--health-cmd', cmd, '--health-interval', `${Math.max(200, run.healthCheck.intervalMs)}ms`);
    args.push('--health-retries', String(run.healthCheck.retries), '--health-start-period', '0s');
  }
  const [entry, ...entryRest] = run.entryPoint ?? [];
  if (entry) args.push('--entrypoint', entry);
  args.push(run.image, ...entryRest, ...(run.command ?? []));
  const started = await docker(args);
  if (started.code !== 0) return { failure: `CannotStartContainerError: ${started.stderr.trim().slice(0, 255)}` };

  const cli = await dockerCli();
  const follower: ChildProcess = spawn(cli.path, ['logs', '-f', name], {
    env: cli.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [follower.stdout!, follower.stderr!].map(
    (stream) => new Promise<void>((res) => createInterface({ input: stream }).on('line', run.onLine).on('close', res)),
  );
  const exited = docker(['wait', name], 24 * 3600_000).then(async (waited) => {
    // The log follower ends when the container does; let it flush before the exit is reported.
    await Promise.race([Promise.all(lines), new Promise((r) => setTimeout(r, 2000))]);
    follower.kill();
    if (waited.code !== 0) return { exitCode: -1, reason: 'the engine lost the container' };
    return { exitCode: Number(waited.stdout.trim()) };
  });
  return {
    name,
    exited,
    health: async () => {
      if (!run.healthCheck) return undefined;
      const out = await docker(['inspect', '-f', '{{.State.Health.Status}}', name]);
      return out.stdout.trim() || undefined;
    },
    stop: async () => {
      await docker(['stop', '-t', '2', name], 30_000);
    },
  };
}

export async function removeContainer(name: string): Promise<void> {
  await docker(['rm', '-f', name]);
}
