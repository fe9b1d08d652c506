import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { redact } from '@deploy-actions/toolkit';

/**
 * Runs the docker CLI and hands back its output line by line as it comes (BuildKit's progress is long,
 * and a person watching the log wants it live). Written on child_process rather than @actions/exec so
 * every line can pass through `redact()` before it is printed, a timeout can stop the tool, and the
 * runner's cancel (SIGINT, then SIGTERM) reaches it: the docker CLI cancels the build on SIGINT.
 */

export interface ToolResult {
  code: number;
  /** Stopped by the timeout or by a cancel signal. */
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
}

export function runTool(command: string, args: string[], options: ToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    // The tool gets the step's environment minus INPUT_*, which holds the inputs (secrets included).
    const env = Object.fromEntries(
      Object.entries(options.env ?? process.env).filter(([key]) => !key.startsWith('INPUT_')),
    );
    const child = spawn(command, args, {
      env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const stdout: string[] = [];
    const collect = (stream: NodeJS.ReadableStream, isStdout: boolean) =>
      new Promise<void>((done) =>
        createInterface({ input: stream })
          .on('line', (raw) => {
            const line = redact(raw);
            lines.push(line);
            if (isStdout) stdout.push(line);
            options.onLine?.(line);
          })
          .on('close', done),
      );
    const streams = Promise.all([collect(child.stdout, true), collect(child.stderr, false)]);
    let stopped: ToolResult['stopped'];
    const timers: NodeJS.Timeout[] = [];
    const stop = (why: NonNullable<ToolResult['stopped']>) => {
      stopped ??= why;
      child.kill('SIGINT');
      timers.push(setTimeout(() => child.kill('SIGKILL'), 10_000).unref());
    };
    const onSignal = () => stop('cancelled');
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (options.timeoutMs !== undefined) timers.push(setTimeout(() => stop('timeout'), options.timeoutMs));
    const cleanup = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      for (const timer of timers) clearTimeout(timer);
    };
    child.on('error', (error) => {
      cleanup();
      reject(error);
    });
    child.on('close', (code) => {
      cleanup();
      void streams.then(() => resolve({ code: code ?? 1, stopped, stdout: stdout.join('\n'), lines }));
    });
  });
}
