import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type ActionManifest, actionDir, readManifest } from './action-yml';
import { bundleNode, describeNode } from './bundle-node';
import { parseCommand, parseFileCommands } from './workflow-commands';

/**
 * Runs a built action (`dist/<action>/index.js`) the way the GitHub runner does: inputs as INPUT_<NAME>
 * over the action.yml defaults, the file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE,
 * GITHUB_STEP_SUMMARY, GITHUB_PATH), the usual GITHUB_* and RUNNER_* variables, then the post step with
 * STATE_*. Returns what a workflow would see, and throws if any secret shows up in the log, the outputs,
 * the annotations or the summary. The bundle runs on the node `bundleNode()` names: the pinned Node 24
 * the actions declare (`runs.using: node24`), fetched by scripts/services.sh, when the services are set up.
 */

export interface GithubContext {
  repository: string;
  sha: string;
  ref: string;
  eventName: string;
  event: Record<string, unknown>;
  runId: string;
  runAttempt: string;
  actor: string;
  serverUrl: string;
  token: string;
  workflow: string;
  job: string;
}

export interface RunOptions {
  inputs?: Record<string, string | number | boolean | undefined>;
  /** Extra environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Values that must appear nowhere a user could read them. The action's own masks are checked too. */
  secrets?: string[];
  workspace?: string;
  github?: Partial<GithubContext>;
  debug?: boolean;
  /** Kill the step (and fail the test) after this long. */
  timeoutMs?: number;
  /** Cancel the run as the runner does (SIGINT, then SIGTERM 7.5 s later) after this long... */
  cancelAfterMs?: number;
  /** ...or as soon as a line of output matches. */
  cancelOnLine?: RegExp;
  /** Run the post step when action.yml has one (default true). */
  post?: boolean;
  /** Every line of output as it happens, e.g. for the demo. */
  onLine?: (line: string, step: 'main' | 'post') => void;
  /**
   * Preload the network guard (default true): every TCP connection the bundle makes is recorded in
   * `connections`, and any to an address outside loopback is refused (EACCES).
   */
  networkGuard?: boolean;
}

/** One TCP connection attempt the bundle made (network guard). */
export interface Connection {
  host: string;
  port: number;
  /** Outside loopback: refused. */
  blocked: boolean;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface StepResult {
  exitCode: number | null;
  log: string;
  summary: string;
  annotations: Annotation[];
  durationMs: number;
  /** Connections the step's process made (empty with `networkGuard: false`). */
  connections: Connection[];
  /** The node that ran the step, e.g. `node v24.22.3 (/tmp/deploy-actions/.../bin/node, from services.env)`. */
  node: string;
}

export interface RunResult extends StepResult {
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  errors: string[];
  warnings: string[];
  cancelled: boolean;
  workspace: string;
  post?: StepResult;
}

const DEFAULT_GITHUB: GithubContext = {
  repository: 'acme/backend',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  ref: 'refs/heads/main',
  eventName: 'push',
  event: {},
  runId: '4242',
  runAttempt: '1',
  actor: 'octocat',
  serverUrl: 'https://github.com',
  token: '',
  workflow: 'deploy',
  job: 'deploy',
};

export async function runAction(action: string, options: RunOptions = {}): Promise<RunResult> {
  const manifest = readManifest(action);
  const github = { ...DEFAULT_GITHUB, ...options.github };
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'workspace-'));
  const runnerDir = mkdtempSync(join(tmpdir(), 'runner-'));
  const runnerTemp = join(runnerDir, 'temp');
  mkdirSync(runnerTemp);
  const eventPath = join(runnerDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(github.event));

  const inputs = inputEnv(manifest, action, options.inputs ?? {}, { ...github, workspace, runnerTemp });
  const base = baseEnv(options.env, github, { workspace, runnerTemp, eventPath, action, debug: options.debug });
  const masks = new Set<string>();

  const main = await runStep('main', manifest.runs.main, { ...base, ...inputs }, runnerDir, options, masks);
  const outputs = parseFileCommands(read(main.files.GITHUB_OUTPUT));
  const state = parseFileCommands(read(main.files.GITHUB_STATE));
  const env = parseFileCommands(read(main.files.GITHUB_ENV));
  const path = read(main.files.GITHUB_PATH).split('\n').filter(Boolean);

  let post: StepResult | undefined;
  if (manifest.runs.post && options.post !== false && shouldRunPost(manifest, main.exitCode)) {
    const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
    const postStep = await runStep(
      'post',
      manifest.runs.post,
      { ...base, ...inputs, ...stateEnv },
      runnerDir,
      options,
      masks,
    );
    post = postStep;
  }

  const result: RunResult = {
    ...main,
    outputs,
    state,
    env,
    path,
    errors: main.annotations.filter((a) => a.level === 'error').map((a) => a.message),
    warnings: main.annotations.filter((a) => a.level === 'warning').map((a) => a.message),
    cancelled: main.cancelled,
    workspace,
    post,
  };
  assertNoLeaks(result, [...(options.secrets ?? []), ...masks]);
  return result;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function shouldRunPost(manifest: ActionManifest, exitCode: number | null): boolean {
  const condition = (manifest.runs['post-if'] ?? 'always()').trim();
  if (condition === 'always()') return true;
  if (condition === 'success()') return exitCode === 0;
  if (condition === 'failure()') return exitCode !== 0;
  throw new Error(`harness: unsupported post-if "${condition}"`);
}

/** INPUT_<NAME> for every declared input: the test's value, else the default (with `${{ }}` evaluated). */
function inputEnv(
  manifest: ActionManifest,
  action: string,
  given: NonNullable<RunOptions['inputs']>,
  context: GithubContext & { workspace: string; runnerTemp: string },
): Record<string, string> {
  const declared = manifest.inputs ?? {};
  const unknown = Object.keys(given).filter((name) => !(name in declared));
  if (unknown.length) throw new Error(`harness: ${action}/action.yml declares no input ${unknown.join(', ')}`);
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = given[name] ?? (spec.default === undefined ? undefined : evaluate(String(spec.default), context));
    if (value !== undefined) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value);
  }
  return env;
}

/** The few expressions action.yml defaults use. */
function evaluate(text: string, context: GithubContext & { workspace: string; runnerTemp: string }): string {
  const values: Record<string, string> = {
    'github.token': context.token,
    'github.sha': context.sha,
    'github.ref': context.ref,
    'github.ref_name': context.ref.replace(/^refs\/(heads|tags)\//, ''),
    'github.repository': context.repository,
    'github.repository_owner': context.repository.split('/')[0],
    'github.server_url': context.serverUrl,
    'github.run_id': context.runId,
    'github.event_name': context.eventName,
    'github.actor': context.actor,
    'github.workspace': context.workspace,
    'runner.temp': context.runnerTemp,
  };
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    if (!(expression in values)) throw new Error(`harness: cannot evaluate \${{ ${expression} }} in a default`);
    return values[expression];
  });
}

function baseEnv(
  extra: RunOptions['env'],
  github: GithubContext,
  where: { workspace: string; runnerTemp: string; eventPath: string; action: string; debug?: boolean },
): Record<string, string> {
  const env: Record<string, string> = {};
  // Start from this process's environment without anything a runner would set per step, nor jest's own
  // NODE_OPTIONS (--experimental-vm-modules): the runner starts the action's node without any.
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(INPUT_|STATE_|GITHUB_|RUNNER_|NODE_OPTIONS$)/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository.split('/')[0],
    GITHUB_SHA: github.sha,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: github.ref.replace(/^refs\/(heads|tags|pull)\//, ''),
    GITHUB_REF_TYPE: github.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_EVENT_NAME: github.eventName,
    GITHUB_EVENT_PATH: where.eventPath,
    GITHUB_RUN_ID: github.runId,
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: github.runAttempt,
    GITHUB_ACTOR: github.actor,
    GITHUB_WORKFLOW: github.workflow,
    GITHUB_JOB: github.job,
    GITHUB_SERVER_URL: github.serverUrl,
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_WORKSPACE: where.workspace,
    GITHUB_ACTION: basename(where.action),
    GITHUB_ACTION_PATH: actionDir(where.action),
    GITHUB_ACTION_REPOSITORY: 'org/deploy-actions',
    GITHUB_ACTION_REF: 'v1',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'harness',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: where.runnerTemp,
    RUNNER_TOOL_CACHE: join(where.runnerTemp, '..', 'tool-cache'),
  });
  if (github.token) env.GITHUB_TOKEN = github.token;
  if (where.debug) env.RUNNER_DEBUG = '1';
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

interface StepRun extends StepResult {
  files: Record<'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_ENV' | 'GITHUB_PATH' | 'GITHUB_STEP_SUMMARY', string>;
  cancelled: boolean;
}

async function runStep(
  step: 'main' | 'post',
  entry: string,
  env: Record<string, string>,
  runnerDir: string,
  options: RunOptions,
  masks: Set<string>,
): Promise<StepRun> {
  const dir = join(runnerDir, step);
  mkdirSync(dir);
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const script = resolve(env.GITHUB_ACTION_PATH, entry);
  const netLog = join(dir, 'connections.jsonl');
  const guard = options.networkGuard === false ? [] : ['--require', NETWORK_GUARD];
  const node = bundleNode();
  const started = Date.now();
  const child = spawn(node.path, [...guard, script], {
    cwd: env.GITHUB_WORKSPACE,
    env: { ...env, ...files, ...(guard.length ? { DEPLOY_ACTIONS_NET_LOG: netLog } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const lines: string[] = [];
  const annotations: Annotation[] = [];
  const timers: NodeJS.Timeout[] = [];
  let cancelled = false;
  let timedOut = false;
  const cancel = () => {
    cancelled = true;
    child.kill('SIGINT');
    timers.push(setTimeout(() => child.kill('SIGTERM'), 7500));
  };
  const onLine = (line: string) => {
    const command = parseCommand(line);
    if (command?.command === 'add-mask') {
      masks.add(command.message);
      return;
    }
    if (command && (command.command === 'error' || command.command === 'warning' || command.command === 'notice')) {
      annotations.push({ level: command.command, message: command.message, properties: command.properties });
    }
    lines.push(line);
    options.onLine?.(line, step);
    if (step === 'main' && !cancelled && options.cancelOnLine?.test(line)) cancel();
  };
  const done = Promise.all(
    [child.stdout, child.stderr].map(
      (stream) => new Promise<void>((res) => createInterface({ input: stream }).on('line', onLine).on('close', res)),
    ),
  );

  if (step === 'main' && options.cancelAfterMs !== undefined) timers.push(setTimeout(cancel, options.cancelAfterMs));
  const timeoutMs = options.timeoutMs ?? 300_000;
  timers.push(
    setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs),
  );
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  const exitCode = await new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  await done;
  for (const timer of timers) clearTimeout(timer);
  if (spawnError)
    throw new Error(`harness: ${step} step could not start on ${describeNode(node)}: ${spawnError.message}`);
  if (timedOut) {
    throw new Error(
      `harness: ${step} step did not finish within ${timeoutMs} ms on ${describeNode(node)}\n${lines.join('\n')}`,
    );
  }

  return {
    exitCode,
    log: lines.join('\n'),
    summary: read(files.GITHUB_STEP_SUMMARY),
    annotations,
    durationMs: Date.now() - started,
    connections: read(netLog)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Connection),
    node: describeNode(node),
    files,
    cancelled,
  };
}

/** The preload that records and guards connections (a CommonJS file beside this one). */
const NETWORK_GUARD = join(import.meta.dirname, 'network-guard.cjs');

function assertNoLeaks(result: RunResult, secrets: string[]): void {
  const places: Record<string, string> = {
    log: result.log,
    outputs: Object.values(result.outputs).join('\n'),
    summary: result.summary,
    'post log': result.post?.log ?? '',
    'post summary': result.post?.summary ?? '',
  };
  for (const secret of secrets.filter((s) => s.length >= 3)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      for (const [where, text] of Object.entries(places)) {
        const at = text.indexOf(form);
        if (at < 0) continue;
        const context = text
          .slice(Math.max(0, at - 60), at + form.length + 60)
          .split(form)
          .join('<SECRET>');
        throw new Error(`harness: a secret appears in the ${where} (run on ${result.node}): ...${context}...`);
      }
    }
  }
}
