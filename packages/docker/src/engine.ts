import { createWriteStream } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '@deploy-actions/toolkit';
import { type DockerClient, dockerCandidates, findDocker } from './client';
import { runTool } from './exec';

/**
 * The Docker daemon, as every action and emulator in the suite reaches it: DOCKER_HOST (unix:// socket,
 * default /var/run/docker.sock, or tcp:// without TLS) for the engine API, and a docker client found on
 * PATH for what only the CLI does (build, push with credential helpers, run). Nothing is keyed to
 * /usr/bin/docker: on a runner the client may live anywhere, and a self-hosted runner may point
 * DOCKER_HOST at a remote or rootless daemon.
 */

export class EngineError extends UserError {
  override name = 'EngineError';
}

export interface EngineImage {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Size: number;
  RootFS?: { Layers?: string[] };
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The daemon address: DOCKER_HOST, else the default socket. */
export function dockerHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST || DEFAULT_DOCKER_HOST;
}

/** node:http options that reach the daemon at a DOCKER_HOST address. */
export function engineTarget(host: string = dockerHost()): { socketPath: string } | { host: string; port: number } {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('tcp://') || host.startsWith('http://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new EngineError(`DOCKER_HOST ${host} is not a unix:// or tcp:// address; fix DOCKER_HOST or unset it`);
}

/** The environment for a docker CLI child: the daemon address kept, the step's inputs dropped. */
export function dockerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = Object.fromEntries(
    Object.entries(env).filter(([key]) => !key.startsWith('INPUT_') && !key.startsWith('STATE_')),
  );
  out.DOCKER_HOST = dockerHost(env);
  return out;
}

/** One engine API call; the answer is the caller's to read. */
export function engineRequest(
  path: string,
  options: { method?: string; dockerHost?: string; signal?: AbortSignal } = {},
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...engineTarget(options.dockerHost),
        path,
        method: options.method ?? 'GET',
        headers: { host: 'docker' },
        signal: options.signal,
      },
      resolve,
    );
    req.on('error', (error) =>
      reject(
        new EngineError(
          `cannot reach the Docker engine at ${options.dockerHost ?? dockerHost()} (${(error as { code?: string }).code ?? error.message}); is it running?`,
        ),
      ),
    );
    req.end();
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `docker image inspect` over the API. */
export async function inspectImage(name: string, options: { dockerHost?: string } = {}): Promise<EngineImage> {
  const res = await engineRequest(`/images/${encodeURIComponent(name)}/json`, options);
  const text = await readAll(res);
  if (res.statusCode === 404)
    throw new EngineError(
      `the local Docker engine has no image ${name}; build or load it first (docker images lists what it has)`,
    );
  if (res.statusCode !== 200)
    throw new EngineError(`the Docker engine answered ${res.statusCode} inspecting ${name}: ${text.trim()}`);
  return JSON.parse(text) as EngineImage;
}

/** `docker save NAME > file` over the API, streamed (to a path, or a stream that writes it): needs no client on PATH. */
export async function exportImage(
  name: string,
  file: string | Writable,
  options: { dockerHost?: string } = {},
): Promise<void> {
  const res = await engineRequest(`/images/get?names=${encodeURIComponent(name)}`, options);
  if (res.statusCode !== 200)
    throw new EngineError(
      `the Docker engine answered ${res.statusCode} exporting ${name}: ${(await readAll(res)).trim()}`,
    );
  await pipeline(res, typeof file === 'string' ? createWriteStream(file) : file);
}

/**
 * A docker client for what any version does (run, rm, save, load, push, inspect): the first `docker` on
 * PATH that answers `--version`. For builds use findDocker, which also needs BuildKit to work.
 */
export async function findDockerCli(pathVariable = process.env.PATH ?? ''): Promise<DockerClient> {
  for (const path of dockerCandidates(pathVariable)) {
    const answered = await runTool(path, ['--version']);
    if (answered.code === 0)
      return { path, version: /version\s+v?([\w.+~-]+?),?\s/i.exec(`${answered.stdout} `)?.[1] ?? 'unknown' };
  }
  throw new UserError(
    'No docker client on PATH: this step needs the Docker CLI (and DOCKER_HOST, or the default socket)',
  );
}

/** The engine the suite talks to: the daemon address, and clients found on PATH (once each). */
export class DockerEngine {
  private cli?: Promise<DockerClient>;
  private builder?: Promise<DockerClient>;

  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly host: string = dockerHost(env),
  ) {}

  /** A client for run/push/save/load. */
  client(): Promise<DockerClient> {
    this.cli ??= findDockerCli(this.env.PATH ?? '');
    return this.cli;
  }

  /** A client that can build with BuildKit (buildx, or the engine's own with an older client). */
  buildClient(): Promise<DockerClient> {
    this.builder ??= findDocker(this.env.PATH ?? '');
    return this.builder;
  }

  /** Environment for the CLI: DOCKER_HOST set, INPUT_* and STATE_* removed. */
  childEnv(): NodeJS.ProcessEnv {
    return dockerEnv({ ...this.env, DOCKER_HOST: this.host });
  }

  inspectImage(name: string): Promise<EngineImage> {
    return inspectImage(name, { dockerHost: this.host });
  }

  exportImage(name: string, file: string): Promise<void> {
    return exportImage(name, file, { dockerHost: this.host });
  }
}
