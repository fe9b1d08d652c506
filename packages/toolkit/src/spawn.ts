import { createRequire } from 'node:module';
import { TimeoutError } from './errors';
import { redact } from './secrets';

/**
 * The one way an action starts a child process (docker, pg_dump, a migration tool, a credential helper).
 * Written on child_process rather than @actions/exec because exec neither redacts nor stops a process group:
 * - the child never gets the step's inputs or state (`INPUT_*`, `STATE_*`: secrets live there), nor the
 *   runner's `ACTIONS_RUNTIME_TOKEN` / `ACTIONS_ID_TOKEN_REQUEST_*` unless `runnerTokens: true`;
 * - every line it prints is redacted before anyone sees it (the log, `onLine`, the tail, stdout);
 * - it stops on the AbortSignal (the lifecycle's cancel + step timeout) or its own `timeoutMs`: the stop
 *   signal (SIGTERM, or SIGINT for tools that cancel cleanly on it, like the docker CLI) to its whole process
 *   group, SIGKILL after `graceMs`, and SIGKILL to anything of the group left once the leader exits.
 */

export interface ToolOptions {
  cwd?: string;
  /** The environment to start from (default process.env); the step's inputs and state are removed from it. */
  env?: NodeJS.ProcessEnv;
  /** Added after the filtering (e.g. libpq's PG* variables). */
  extraEnv?: Record<string, string>;
  /** Pass ACTIONS_RUNTIME_TOKEN and the OIDC request variables (only for tools that need the runner's services). */
  runnerTokens?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Between the stop signal and SIGKILL (default 5 s). */
  graceMs?: number;
  stopSignal?: 'SIGTERM' | 'SIGINT';
  /** Each output line, redacted, as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** How many last lines to keep for an error or summary (default 40). */
  tailLines?: number;
  /** Written to stdin, which is then closed. Without it stdin is ignored. */
  stdin?: string | Uint8Array;
  /**
   * Keep stdout whole and unredacted, not as lines (a credential helper's JSON, whose secret we need). It is
   * then never passed to `onLine` nor kept in `tail`. Handle it as a secret.
   */
  rawStdout?: boolean;
}

export interface ToolResult {
  /** The exit code; 127 when the program could not be started; null when ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it was stopped, if it was. */
  stopped?: 'timeout' | 'cancelled';
  /** stdout lines joined (redacted), or the raw stdout with `rawStdout`. */
  stdout: string;
  /** The last lines of stdout and stderr in arrival order, redacted. */
  tail: string[];
  /** Why it could not start (`spawn docker ENOENT`). */
  error?: string;
  durationMs: number;
}

export interface RunningTool {
  pid: number | undefined;
  done: Promise<ToolResult>;
  stop(why?: 'timeout' | 'cancelled'): void;
}

const RUNNER_TOKENS = /^(ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN|ACTIONS_ID_TOKEN_REQUEST_URL)$/;

/** The environment a child gets: `env` without INPUT_*, STATE_* and (unless asked) the runner's tokens. */
export function toolEnv(env: NodeJS.ProcessEnv = process.env, runnerTokens = false): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([key, value]) =>
        value !== undefined &&
        !/^(INPUT|STATE)_/i.test(key) &&
        (runnerTokens || !RUNNER_TOKENS.test(key.toUpperCase())),
    ),
  );
}

// node:child_process and node:readline load on the first spawn, not at start-up (they cost ~3 ms).
const require = createRequire(import.meta.url);

export function spawnTool(file: string, args: readonly string[], options: ToolOptions = {}): RunningTool {
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const { createInterface } = require('node:readline') as typeof import('node:readline');
  const started = Date.now();
  const env = { ...toolEnv(options.env, options.runnerTokens), ...options.extraEnv };
  const child = spawn(file, args, {
    cwd: options.cwd,
    env,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // Its own process group, so a stop reaches grandchildren (the tool a shell started).
    detached: true,
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  const keep = options.tailLines ?? 40;
  const tail: string[] = [];
  const stdoutLines: string[] = [];
  const rawChunks: Buffer[] = [];
  let stopped: ToolResult['stopped'];
  const timers: NodeJS.Timeout[] = [];

  const onLine = (raw: string, stream: 'stdout' | 'stderr') => {
    const line = redact(raw);
    tail.push(line);
    if (tail.length > keep) tail.shift();
    if (stream === 'stdout') stdoutLines.push(line);
    options.onLine?.(line, stream);
  };
  const lines = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') =>
    new Promise<void>((resolve) =>
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
        .on('line', (l) => onLine(l, name))
        .on('close', resolve),
    );
  const streams = Promise.all([
    options.rawStdout
      ? new Promise<void>((resolve) => child.stdout!.on('data', (c: Buffer) => rawChunks.push(c)).on('close', resolve))
      : lines(child.stdout!, 'stdout'),
    lines(child.stderr!, 'stderr'),
  ]);

  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  let exited = false;
  const stop = (why: NonNullable<ToolResult['stopped']> = 'cancelled') => {
    if (stopped || exited) return;
    stopped = why;
    kill(options.stopSignal ?? 'SIGTERM');
    timers.push(setTimeout(() => kill('SIGKILL'), options.graceMs ?? 5000));
  };
  const onAbort = () => stop(options.signal?.reason instanceof TimeoutError ? 'timeout' : 'cancelled');
  if (options.signal?.aborted) queueMicrotask(onAbort);
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.timeoutMs !== undefined) timers.push(setTimeout(() => stop('timeout'), options.timeoutMs));

  const done = new Promise<ToolResult>((resolve) => {
    let error: string | undefined;
    child.on('error', (e) => {
      error = redact(e.message);
    });
    child.on('close', async (code, signal) => {
      exited = true;
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // The group may outlive its leader (a tool that ignored the stop): leave nothing behind.
      if (stopped) kill('SIGKILL');
      await streams;
      resolve({
        code: error ? 127 : code,
        signal,
        stopped,
        stdout: options.rawStdout ? Buffer.concat(rawChunks).toString('utf8') : stdoutLines.join('\n'),
        tail,
        error,
        durationMs: Date.now() - started,
      });
    });
  });
  return { pid: child.pid, done, stop };
}

/** `spawnTool(...).done`: for tools that are simply awaited. */
export function execTool(file: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolResult> {
  return spawnTool(file, args, options).done;
}
