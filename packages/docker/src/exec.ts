import { spawnTool } from '@deploy-actions/toolkit';

/**
 * The docker CLI, run through the suite's one child-process runner (toolkit spawnTool: no INPUT_/STATE_
 * variables, every line redacted, the process group stopped on the signal or the timeout). This wrapper
 * keeps every line (BuildKit's progress is read for cache counts and the failing step) and stops the CLI
 * with SIGINT, on which it cancels the build, then SIGKILL 10 s later.
 */

export interface ToolResult {
  code: number;
  /** Stopped by the timeout, the signal's step timeout, or a cancel. */
  stopped?: 'timeout' | 'cancelled';
  stdout: string;
  /** stdout and stderr lines, in the order they arrived, redacted. */
  lines: string[];
}

export interface ToolOptions {
  env?: NodeJS.ProcessEnv;
  /** Each output line (redacted) as it arrives. */
  onLine?: (line: string) => void;
  cwd?: string;
  /** Stop the tool (SIGINT, then SIGKILL 10 s later) after this long. */
  timeoutMs?: number;
  /** Stops the tool the same way when aborted (the lifecycle's cancel and step timeout). */
  signal?: AbortSignal;
  /** Pass the runner's ACTIONS_RUNTIME_TOKEN and results URL (buildx's `type=gha` cache needs them). */
  runnerTokens?: boolean;
}

export async function runTool(command: string, args: string[], options: ToolOptions = {}): Promise<ToolResult> {
  const lines: string[] = [];
  const result = await spawnTool(command, args, {
    env: options.env,
    cwd: options.cwd,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    runnerTokens: options.runnerTokens,
    stopSignal: 'SIGINT',
    graceMs: 10_000,
    tailLines: 0,
    onLine: (line) => {
      lines.push(line);
      options.onLine?.(line);
    },
  }).done;
  if (result.error && result.code === 127) throw new Error(`cannot run ${command}: ${result.error}`);
  return { code: result.code ?? 1, stopped: result.stopped, stdout: result.stdout, lines };
}
