import { workflow as core } from '@deploy-actions/toolkit';
import { execTool, redact, spawnTool, UserError } from '@deploy-actions/toolkit';
import type { ToolInputs } from './inputs';

/**
 * Command and image modes: the user's migration tool, either on the runner through a shell, or inside the
 * image just built (so the migrations that run are the ones that ship) with `docker run --network host`.
 * The database URL reaches the tool only through its environment: for the container, `-e NAME` without a
 * value makes Docker copy it from the client's environment, so it is never on a command line. The tool
 * runs through the toolkit's one runner: it never sees the step's INPUT_ and STATE_ variables, its output
 * is redacted line by line (the URL, the password, their URL-encoded and base64 forms), and a cancelled
 * run stops its whole process group.
 */

export class ToolFailed extends UserError {
  override name = 'ToolFailed';
  constructor(
    message: string,
    readonly tail: string[],
  ) {
    super(message);
  }
}

export interface ToolRun {
  tail: string[];
}

/**
 * The docker client for image mode, from the suite's one engine layer: the first docker on PATH that answers
 * (running a container needs no buildx), its DOCKER_HOST kept. Loaded only in image mode.
 */
async function dockerClient(): Promise<{ file: string; env: NodeJS.ProcessEnv }> {
  const { DockerEngine } = await import('@deploy-actions/docker/engine');
  const engine = new DockerEngine();
  return { file: (await engine.client()).path, env: engine.childEnv() };
}

/** Runs `command` (the migration, or the dry-run command) the way the mode says, until it ends or `signal` fires. */
export async function runTool(inputs: ToolInputs, command: string | undefined, signal: AbortSignal): Promise<ToolRun> {
  const extraEnv = { ...inputs.env, [inputs.databaseUrlEnv]: inputs.database.text };
  let file: string;
  let args: string[];
  let cwd: string | undefined;
  let env: NodeJS.ProcessEnv | undefined;
  let container: string | undefined;
  let what: string;

  if (inputs.mode === 'image') {
    container = `run-migrations-${process.env.GITHUB_RUN_ID ?? 'local'}-${process.pid}-${Date.now().toString(36)}`;
    ({ file, env } = await dockerClient());
    args = ['run', '--rm', '--name', container, '--network', 'host', '-e', inputs.databaseUrlEnv];
    for (const name of Object.keys(inputs.env)) args.push('-e', name);
    if (inputs.workingDirectory) args.push('--workdir', inputs.workingDirectory);
    // With a command, the image's shell runs it; without one, the image's own entrypoint and CMD do.
    args.push(...(command ? ['--entrypoint', '/bin/sh', inputs.image, '-c', command] : [inputs.image]));
    what = command ? `"${command}" in ${inputs.image}` : `${inputs.image}`;
  } else {
    file = '/bin/sh';
    args = ['-c', command ?? inputs.command];
    cwd = inputs.workingDirectory;
    what = `"${command ?? inputs.command}"`;
  }

  core.info(redact(`Running ${what}`));
  const child = spawnTool(file, args, { cwd, env, extraEnv, onLine: (line) => core.info(line) });
  const onAbort = () => {
    core.info(`Stopping ${container ? `container ${container}` : `process group ${child.pid}`}`);
    child.stop('cancelled');
    if (container) void removeContainer(file, env, container);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const result = await child.done;
  signal.removeEventListener('abort', onAbort);

  if (signal.aborted) throw signal.reason;
  if (result.code !== 0) {
    if (result.error) result.tail.push(`could not start ${file}: ${result.error}`);
    const how = result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
    const where =
      inputs.mode === 'image' && result.code === 125
        ? ' (Docker could not start the container: see the lines above)'
        : '';
    throw new ToolFailed(`The migration ${command ? `command ${what}` : `image ${what}`} ${how}${where}`, result.tail);
  }
  return { tail: result.tail };
}

/** Killing the docker client does not stop its container: remove it by name, and wait until it is gone. */
async function removeContainer(docker: string, env: NodeJS.ProcessEnv | undefined, name: string): Promise<void> {
  await execTool(docker, ['rm', '--force', name], { env, timeoutMs: 30_000 });
}
