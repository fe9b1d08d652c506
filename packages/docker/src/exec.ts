import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { redact } from '@deploy-actions/toolkit';

/**
 * Runs the docker CLI and hands back its output line by line as it comes (BuildKit's progress is long,
 * and a person watching the log wants it live). Written on child_process rather than @actions/exec so
 * every line can pass through `redact()` before it is printed, and stdout/stderr stay in order per line.
 */

export interface ToolResult {
  code: number;
  stdout: string;
  /** stdout and stderr lines, in the order they arrived, redacted. */
  lines: string[];
}

export interface ToolOptions {
  env?: NodeJS.ProcessEnv;
  /** Each output line (redacted) as it arrives. */
  onLine?: (line: string) => void;
  cwd?: string;
}

export function runTool(command: string, args: string[], options: ToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
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
    child.on('error', reject);
    child.on('close', (code) => {
      void streams.then(() => resolve({ code: code ?? 1, stdout: stdout.join('\n'), lines }));
    });
  });
}
