import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { dockerCandidates } from '@deploy-actions/docker/client';
import { DockerEngine, engineTarget } from '@deploy-actions/docker/engine';

/**
 * What runs behind the Cloud Run emulator: each ready revision as a real container (Docker engine, host
 * networking, `--pull never`, PORT set to a free loopback port) or, without Docker, as a stub HTTP server; each
 * job task as a container run to its exit; and one HTTP proxy per service (plus one port per traffic tag) that
 * routes requests by the traffic split. Docker is driven through its CLI, like the rest of the project, found by
 * the suite's one engine layer (packages/docker: the first docker on PATH that answers, the daemon at DOCKER_HOST
 * or the default socket); nothing here builds, so a client without buildx is as good as any. Images come from the
 * engine, or from a loopback registry (127.0.0.1:5000); nothing is pulled from anywhere else.
 */

let engine: DockerEngine | undefined;

/** The engine, created on first use (so DOCKER_HOST and PATH are read when an emulator first needs Docker). */
export function dockerEngine(): DockerEngine {
  engine ??= new DockerEngine();
  return engine;
}

/** Whether containers can run: a docker client on PATH and, for a unix:// DOCKER_HOST, its socket. */
export function dockerAvailable(found: DockerEngine = dockerEngine()): boolean {
  const { env, host } = found;
  if (!dockerCandidates(env.PATH ?? '').length) return false;
  try {
    const target = engineTarget(host);
    return 'socketPath' in target ? existsSync(target.socketPath) : true;
  } catch {
    return false;
  }
}

/** The docker client's path (the engine layer's choice) and the environment to run it with. */
export async function dockerCli(
  found: DockerEngine = dockerEngine(),
): Promise<{ path: string; env: NodeJS.ProcessEnv }> {
  return { path: (await found.client()).path, env: found.childEnv() };
}

export interface ContainerSpec {
  image: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  /** `key=value` label naming the emulator that started it (besides deploy-actions.emulator=cloudrun). */
  label: string;
}

/** An HTTP endpoint serving one revision, and how to stop it. */
export interface RevisionInstance {
  port: number;
  /** Resolves when it answers (startup probe passed), rejects with the reason it never will. */
  ready: Promise<void>;
  logs(): Promise<string>;
  stop(): Promise<void>;
}

export class StartupError extends Error {
  constructor(
    message: string,
    readonly reason: 'CONTAINER_MISSING' | 'HEALTH_CHECK_CONTAINER_ERROR',
  ) {
    super(message);
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One docker CLI call; never throws (no client on PATH is exit code 127 with the reason on stderr). */
export async function docker(
  args: string[],
  timeoutMs = 60_000,
  found: DockerEngine = dockerEngine(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  let cli: { path: string; env: NodeJS.ProcessEnv };
  try {
    cli = await dockerCli(found);
  } catch (error) {
    return { code: 127, stdout: '', stderr: (error as Error).message };
  }
  return new Promise((resolve) => {
    execFile(cli.path, args, { env: cli.env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function runArgs(name: string, spec: ContainerSpec): string[] {
  const args = [
    'run',
    '-d',
    '--pull',
    'never',
    '--network',
    'host',
    '--name',
    name,
    '--label',
    'deploy-actions.emulator=cloudrun',
    '--label',
    spec.label,
  ];
  for (const [key, value] of Object.entries(spec.env)) args.push('-e', `${key}=${value}`);
  // Cloud Run's command replaces the image ENTRYPOINT and args its CMD; docker takes one entrypoint word.
  const [entrypoint, ...rest] = spec.command ?? [];
  if (entrypoint) args.push('--entrypoint', entrypoint);
  args.push(spec.image, ...rest, ...(spec.args ?? []));
  return args;
}

/**
 * Whether the engine has the image, pulling it first when it lives in a loopback registry (as Cloud Run pulls
 * from Artifact Registry). Nothing else is ever pulled.
 */
export async function imageExists(image: string): Promise<boolean> {
  if ((await docker(['image', 'inspect', image])).code === 0) return true;
  if (!/^(127\.0\.0\.1|localhost|\[::1\]):\d+\//.test(image)) return false;
  return (await docker(['pull', '-q', image], 120_000)).code === 0;
}

async function containerLogs(name: string): Promise<string> {
  const { stdout, stderr } = await docker(['logs', name]);
  return stdout + stderr;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', () => resolve(0));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

export interface StartOptions {
  spec: ContainerSpec;
  /** Startup probe: HTTP GET this path for a 2xx, or (default) a TCP connect, as Cloud Run's default probe. */
  probePath?: string;
  startupTimeoutMs: number;
  isClosed: () => boolean;
}

/** Starts a revision's container on a free port and probes it. */
export async function startContainer(options: StartOptions): Promise<RevisionInstance> {
  const port = await freePort();
  const name = `cloudrun-emu-${randomBytes(5).toString('hex')}`;
  const spec = { ...options.spec, env: { ...options.spec.env, PORT: String(port) } };
  let run: Promise<unknown> | undefined;
  let stopped = false;
  const stop = async () => {
    stopped = true;
    if (!run) return;
    await run; // a container being created is removed once it exists
    await docker(['rm', '-f', name]);
  };
  const ready = async () => {
    if (!(await imageExists(spec.image)))
      throw new StartupError(`Image '${spec.image}' not found.`, 'CONTAINER_MISSING');
    if (stopped || options.isClosed()) throw new StartupError('The emulator closed.', 'HEALTH_CHECK_CONTAINER_ERROR');
    const started = docker(runArgs(name, spec));
    run = started;
    const { code, stderr } = await started;
    if (code !== 0)
      throw new StartupError(`The container failed to start: ${stderr.trim()}`, 'HEALTH_CHECK_CONTAINER_ERROR');
    const deadline = Date.now() + options.startupTimeoutMs;
    for (let attempt = 0; Date.now() < deadline && !stopped && !options.isClosed(); attempt++) {
      const up = options.probePath
        ? Math.floor((await httpStatus(port, options.probePath)) / 100) === 2
        : await canConnect(port);
      if (up) return;
      if (attempt % 5 === 4) {
        const state = await docker(['inspect', '-f', '{{.State.Running}} {{.State.ExitCode}}', name]);
        const [running, exitCode] = state.stdout.trim().split(' ');
        if (running === 'false') throw exitedError(port, exitCode);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw timeoutError(port);
  };
  const instance: RevisionInstance = {
    port,
    ready: ready(),
    logs: () => (run ? containerLogs(name) : Promise.resolve('')),
    stop,
  };
  instance.ready.catch(() => {}); // observed by the caller; keeps an unawaited rejection quiet
  return instance;
}

function exitedError(port: number, exitCode: string | undefined): StartupError {
  return new StartupError(
    `The user-provided container failed to start and listen on the port defined provided by the PORT=${port} environment variable: the container exited with code ${exitCode}. Logs for this revision might contain more information.`,
    'HEALTH_CHECK_CONTAINER_ERROR',
  );
}

function timeoutError(port: number): StartupError {
  return new StartupError(
    `The user-provided container failed to start and listen on the port defined provided by the PORT=${port} environment variable within the allocated timeout. This can happen when the container port is misconfigured or if the timeout is too short. Logs for this revision might contain more information.`,
    'HEALTH_CHECK_CONTAINER_ERROR',
  );
}

/**
 * Without Docker: a stub that answers like the example app. Paths containing "health" answer the revision's
 * HEALTH_STATUS (default 200), everything else 200.
 */
export async function startStub(revision: string, env: Record<string, string>): Promise<RevisionInstance> {
  const status = Number(env.HEALTH_STATUS ?? 200);
  const server = createServer((req, res) => {
    const code = req.url?.includes('health') ? status : 200;
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: code === 200 ? 'OK' : 'Unhealthy', revision, version: env.APP_VERSION ?? 'dev' }));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ready: Promise.resolve(),
    logs: async () => `stub for ${revision}\n`,
    stop: () => closeServer(server),
  };
}

/** Runs one job task to its exit; the container is removed afterwards, its logs kept. */
export async function runTask(
  spec: ContainerSpec,
  timeoutMs: number,
  running: Set<string>,
  signal: AbortSignal,
): Promise<{ exitCode: number; logs: string; reason?: string }> {
  if (!(await imageExists(spec.image))) return { exitCode: -1, logs: '', reason: `Image '${spec.image}' not found.` };
  if (signal.aborted) return { exitCode: -1, logs: '', reason: 'The task was cancelled.' };
  const name = `cloudrun-emu-task-${randomBytes(5).toString('hex')}`;
  running.add(name);
  try {
    const run = await docker(runArgs(name, spec));
    if (run.code !== 0)
      return { exitCode: -1, logs: run.stderr, reason: `The container failed to start: ${run.stderr.trim()}` };
    if (signal.aborted) return { exitCode: -1, logs: '', reason: 'The task was cancelled.' };
    const waited = await docker(['wait', name], timeoutMs);
    const logs = await containerLogs(name);
    if (waited.code !== 0) return { exitCode: -1, logs, reason: 'The configured timeout was reached.' };
    return { exitCode: Number(waited.stdout.trim()), logs };
  } finally {
    running.delete(name);
    await docker(['rm', '-f', name]);
  }
}

/** Removes task containers still running (when the emulator closes mid-execution). */
export async function removeContainers(names: Iterable<string>): Promise<void> {
  const list = [...names];
  if (list.length) await docker(['rm', '-f', ...list]);
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A service's front door: one port for the service URL (weighted random over the traffic split, per request)
 * and one port per tag (straight to that tag's revision). Routes are swapped atomically on each reconcile.
 */
export class ServiceProxy {
  private main?: Server;
  private readonly tagServers = new Map<string, Server>();
  private split: { port: number; percent: number }[] = [];
  private tags = new Map<string, number>();
  url = '';

  /**
   * `refuse` decides per request whether the caller may reach the service: undefined lets it through, 404 is
   * an ingress refusal (the URL does not exist for that caller), 403 a missing invoker permission.
   */
  constructor(
    private readonly random: () => number,
    private readonly refuse: (req: IncomingMessage) => 403 | 404 | undefined = () => undefined,
  ) {}

  async start(): Promise<string> {
    this.main = await this.listen(() => this.pick());
    this.url = `http://127.0.0.1:${(this.main.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Sets where traffic goes; returns the URL of each tag (a port of its own, stable for the tag's name). */
  async route(split: { port: number; percent: number }[], tags: Map<string, number>): Promise<Map<string, string>> {
    this.split = split.filter((s) => s.percent > 0);
    this.tags = tags;
    const urls = new Map<string, string>();
    for (const tag of tags.keys()) {
      let server = this.tagServers.get(tag);
      if (!server) {
        server = await this.listen(() => this.tags.get(tag));
        this.tagServers.set(tag, server);
      }
      urls.set(tag, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
    return urls;
  }

  async close(): Promise<void> {
    await Promise.all([this.main, ...this.tagServers.values()].filter((s) => s !== undefined).map(closeServer));
  }

  private pick(): number | undefined {
    const total = this.split.reduce((sum, s) => sum + s.percent, 0);
    let roll = this.random() * total;
    for (const target of this.split) {
      roll -= target.percent;
      if (roll < 0) return target.port;
    }
    return this.split.at(-1)?.port;
  }

  private async listen(target: () => number | undefined): Promise<Server> {
    const server = createServer((req, res) => {
      const refused = this.refuse(req);
      if (refused === undefined) return forward(req, res, target());
      res.writeHead(refused, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(
        refused === 404
          ? `<h1>Error: Page not found</h1>\n<h2>The requested URL ${req.url} was not found on this server.</h2>\n`
          : `<h1>Error: Forbidden</h1>\n<h2>Your client does not have permission to get URL ${req.url} from this server.</h2>\n`,
      );
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  }
}

function forward(req: IncomingMessage, res: ServerResponse, port: number | undefined): void {
  if (port === undefined) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('Service Unavailable: no revision is serving this URL.\n');
    return;
  }
  const upstream = request(
    {
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: `127.0.0.1:${port}` },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.once('error', () => {
    if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('Service Unavailable: the revision did not answer.\n');
  });
  req.pipe(upstream);
}
