import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from './workflow';
import { type Clock, realClock } from './clock';
import { formatDuration } from './duration';
import { TimeoutError, UserError } from './errors';
import { setUserAgentAction } from './http';
import { actionsLogger, type Logger } from './logger';
import type { ManifestDefinition } from './manifest';
import { configureProxy } from './proxy';
import { type Env, type Inputs, readInputs } from './read-inputs';
import { redact } from './secrets';
import { escapeHtml, type Status, SummaryBuilder } from './summary';

/**
 * The one lifecycle of every action, in the manner of docker/actions-toolkit's `run(main, post)` but fuller.
 * One bundle serves the main and the post step (the post step is found through saved state). The main step:
 *  1. reads and checks every input from the manifest (`ctx.inputs`, typed);
 *  2. runs `main(ctx)` with one AbortSignal (`ctx.signal`) that fires on SIGINT/SIGTERM (the runner's
 *     cancellation) and when the step's `timeout` input passes;
 *  3. ALWAYS runs `report(ctx, outcome)`, on success, failure, timeout and cancellation (and after an input
 *     error), which sets outputs and fills the job summary under the shared header;
 *  4. writes outputs and the summary (redacted), then ends a failure in ONE `::error::` line, never a stack
 *     for a UserError (the stack of other errors goes to the debug log).
 * The post step removes the temp dirs of `ctx.tempDir()` and runs `post(ctx)` when given.
 */

export class CancelledError extends UserError {
  override name = 'CancelledError';
}

export type Outcome<R> =
  | { status: 'success'; value: R }
  | { status: 'failure' | 'timeout' | 'cancelled'; error: unknown; phase: 'inputs' | 'main' };

export interface StateStore {
  get(name: string): string;
  set(name: string, value: string): void;
}

export interface Context<M extends ManifestDefinition, P> {
  manifest: M;
  inputs: Inputs<M>;
  /** Aborted on cancellation and at the step timeout; pass it to every wait, request and child process. */
  signal: AbortSignal;
  /** When the step's timeout passes (epoch ms of `clock`), or undefined without a `timeout` input. */
  deadline?: number;
  clock: Clock;
  log: Logger;
  /** A fresh directory, removed in the post step (or at the end of main for actions without one). */
  tempDir(prefix?: string): string;
  /** The runner's state, read by the post step. */
  state: StateStore;
  /** What main has done so far, for the report of a failed step: fill it as you go. */
  progress: P;
  startedAt: number;
}

type OutputName<M extends ManifestDefinition> = keyof M['outputs'] & string;

export interface ReportContext<M extends ManifestDefinition, P> extends Omit<Context<M, P>, 'inputs' | 'tempDir'> {
  /** Undefined when reading the inputs failed. */
  inputs: Inputs<M> | undefined;
  summary: SummaryBuilder;
  /** Sets an output (redacted). Undefined leaves it unset. */
  output(name: OutputName<M>, value: string | number | boolean | undefined): void;
  elapsedMs(): number;
}

export interface PostContext {
  state: StateStore;
  log: Logger;
  clock: Clock;
}

export interface ActionDefinition<M extends ManifestDefinition, R, P> {
  manifest: M;
  main: (ctx: Context<M, P>) => Promise<R>;
  report: (ctx: ReportContext<M, P>, outcome: Outcome<R>) => void | Promise<void>;
  post?: (ctx: PostContext) => Promise<void>;
  /** The initial `ctx.progress` (default `{}`). */
  progress?: () => P;
  /** How long main may go on after a cancellation before the report runs anyway (default 5 s). */
  cancelGraceMs?: number;
  /** ...and after the step timeout, e.g. to roll back (default 60 s). */
  timeoutGraceMs?: number;
}

/** Where the lifecycle writes: the runner by default; tests pass a recording one. */
export interface ActionIO {
  env: Env;
  log: Logger;
  clock: Clock;
  setOutput(name: string, value: string): void;
  writeSummary(markdown: string): void;
  setFailed(message: string): void;
  state: StateStore;
  /** Ends the process after a cancellation or timeout, when main did not let go. */
  exit(code: number): void;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe. */
  onSignal(handler: (signal: string) => void): () => void;
}

export const runnerIO = (): ActionIO => ({
  env: process.env,
  log: actionsLogger,
  clock: realClock,
  setOutput: (name, value) => core.setOutput(name, value),
  writeSummary: (markdown) => {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  },
  setFailed: (message) => core.setFailed(message),
  state: { get: (name) => core.getState(name), set: (name, value) => core.saveState(name, value) },
  exit: (code) => process.exit(code),
  onSignal: (handler) => {
    const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
      const listener = () => handler(signal);
      process.on(signal, listener);
      return [signal, listener] as const;
    });
    return () => {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    };
  },
});

const TEMP_DIRS = 'deploy-actions.temp-dirs';
const IS_POST = 'isPost';

/** Runs an action: the main step, or the post step when the main step saved state saying so. */
export async function runAction<const M extends ManifestDefinition, R, P = Partial<R>>(
  action: ActionDefinition<M, R, P>,
  io: ActionIO = runnerIO(),
): Promise<void> {
  if (io.state.get(IS_POST) === 'true') return runPost(action, io);
  if (action.manifest.post || action.post) io.state.set(IS_POST, 'true');
  return runMain(action, io);
}

async function runPost<M extends ManifestDefinition, R, P>(action: ActionDefinition<M, R, P>, io: ActionIO) {
  try {
    removeTempDirs(io.state.get(TEMP_DIRS));
    await action.post?.({ state: io.state, log: io.log, clock: io.clock });
  } catch (error) {
    io.setFailed(failureLine(error, io.log));
  }
}

function removeTempDirs(saved: string): void {
  if (!saved) return;
  for (const dir of JSON.parse(saved) as string[]) rmSync(dir, { recursive: true, force: true });
}

async function runMain<M extends ManifestDefinition, R, P>(action: ActionDefinition<M, R, P>, io: ActionIO) {
  const { manifest } = action;
  const clock = io.clock;
  const startedAt = clock.now();
  const controller = new AbortController();
  const tempDirs: string[] = [];
  const progress = (action.progress?.() ?? {}) as P;
  const base = { manifest, clock, log: io.log, state: io.state, progress, startedAt, signal: controller.signal };

  const unsubscribe = io.onSignal((signal) =>
    controller.abort(
      new CancelledError(`The run was cancelled (${signal}) after ${formatDuration(clock.now() - startedAt)}`),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  let inputs: Inputs<M> | undefined;
  let deadline: number | undefined;
  let outcome: Outcome<R>;
  try {
    inputs = await readInputs(manifest, io.env);
    setUserAgentAction(manifest.id);
    await configureProxy(io.env);
    const timeoutMs = (inputs as Record<string, unknown>).timeout;
    if (typeof timeoutMs === 'number' && manifest.inputs.timeout?.kind === 'duration') {
      deadline = startedAt + timeoutMs;
      timer = setTimeout(
        () =>
          controller.abort(
            new StepTimeoutError(
              `The step ran past its timeout of ${formatDuration(timeoutMs)}; raise "timeout" if it needs longer`,
            ),
          ),
        timeoutMs,
      );
      timer.unref?.();
    }
    const ctx: Context<M, P> = {
      ...base,
      inputs,
      deadline,
      tempDir(prefix = manifest.id) {
        const dir = mkdtempSync(join(io.env.RUNNER_TEMP || tmpdir(), `${prefix}-`));
        tempDirs.push(dir);
        io.state.set(TEMP_DIRS, JSON.stringify(tempDirs));
        return dir;
      },
    };
    outcome = await settle(action, ctx, controller.signal);
  } catch (error) {
    outcome = { status: classify(controller.signal), error, phase: inputs ? 'main' : 'inputs' };
  } finally {
    clearTimeout(timer);
  }

  const outputs = new Map<string, string>();
  const summary = new SummaryBuilder();
  const reportCtx: ReportContext<M, P> = {
    ...base,
    inputs,
    deadline,
    summary,
    output(name, value) {
      if (value !== undefined) outputs.set(name, redact(String(value)));
    },
    elapsedMs: () => clock.now() - startedAt,
  };
  let reportError: unknown;
  try {
    await action.report(reportCtx, outcome);
  } catch (error) {
    reportError = error;
  }
  for (const [name, value] of outputs) io.setOutput(name, value);
  const status: Status = outcome.status;
  if (outcome.status !== 'success')
    summary.raw(`\n> **Error:** ${escapeHtml(errorMessage(outcome.error)).replace(/\n/g, ' ')}\n`);
  io.writeSummary(summary.render(manifest.name, status));
  unsubscribe();
  if (!action.manifest.post && !action.post) for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });

  if (outcome.status !== 'success') {
    if (reportError) io.log.warning(`Writing the report failed too: ${errorMessage(reportError)}`);
    io.setFailed(failureLine(outcome.error, io.log));
  } else if (reportError) io.setFailed(failureLine(reportError, io.log));
  if (outcome.status === 'timeout' || outcome.status === 'cancelled') io.exit(1);
}

class StepTimeoutError extends TimeoutError {
  override name = 'StepTimeoutError';
}

/** Runs main; once the signal aborts, gives it a grace period to wind down, then settles without it. */
async function settle<M extends ManifestDefinition, R, P>(
  action: ActionDefinition<M, R, P>,
  ctx: Context<M, P>,
  signal: AbortSignal,
): Promise<Outcome<R>> {
  const running = action.main(ctx).then(
    (value): Outcome<R> => ({ status: 'success', value }),
    (error): Outcome<R> => ({ status: classify(signal), error, phase: 'main' }),
  );
  let graceTimer: NodeJS.Timeout | undefined;
  const abandoned = new Promise<Outcome<R>>((resolve) => {
    const onAbort = () => {
      const timedOut = signal.reason instanceof StepTimeoutError;
      const grace = timedOut ? (action.timeoutGraceMs ?? 60_000) : (action.cancelGraceMs ?? 5000);
      graceTimer = setTimeout(
        () => resolve({ status: timedOut ? 'timeout' : 'cancelled', error: signal.reason, phase: 'main' }),
        grace,
      );
      graceTimer.unref?.();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const outcome = await Promise.race([running, abandoned]);
  clearTimeout(graceTimer);
  // A success after the abort still counts as a success: the work was done.
  return outcome;
}

function classify(signal: AbortSignal): 'failure' | 'timeout' | 'cancelled' {
  if (!signal.aborted) return 'failure';
  if (signal.reason instanceof StepTimeoutError) return 'timeout';
  if (signal.reason instanceof CancelledError) return 'cancelled';
  return 'failure';
}

/** The message of anything thrown, redacted. */
export function errorMessage(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

/** The `::error::` text (@actions/core keeps it on one line); the stack of an unexpected error goes to the debug log only. */
function failureLine(error: unknown, log: Logger): string {
  if (error instanceof Error && !(error instanceof UserError) && error.stack) log.debug(error.stack);
  return errorMessage(error);
}
