import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as core from '@actions/core';
import { redact } from '@deploy-actions/toolkit';

/**
 * Runs the migration tool (or `docker run`) and streams its output line by line through `redact()`, so
 * the database URL never reaches the log even when the tool prints it in an error. Spawned directly
 * rather than with @actions/exec because a cancelled run must stop the whole process group (a shell
 * and the tool it started), and exec neither redacts nor exposes the group.
 */

export interface ChildResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines of output, redacted, for the job summary. */
  tail: string[];
  /** True when it was stopped by `stop()` (cancellation or timeout). */
  stopped: boolean;
}

export interface RunningChild {
  pid: number;
  done: Promise<ChildResult>;
  /** SIGTERM to the group, SIGKILL after `graceMs` if it is still there. */
  stop(graceMs?: number): void;
}

const TAIL_LINES = 40;

export function startChild(
  file: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; log?: (line: string) => void },
): RunningChild {
  const log = options.log ?? ((line: string) => core.info(line));
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() reaches grandchildren (the tool a shell started).
    detached: true,
  });
  const tail: string[] = [];
  let stopped = false;
  const onLine = (line: string) => {
    const clean = redact(line);
    log(clean);
    tail.push(clean);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const streams = [child.stdout, child.stderr].map(
    (stream) =>
      new Promise<void>((resolve) => createInterface({ input: stream }).on('line', onLine).on('close', resolve)),
  );
  const done = new Promise<ChildResult>((resolve) => {
    let spawnError: Error | undefined;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', async (exitCode, signal) => {
      await Promise.all(streams);
      if (spawnError) onLine(`could not start ${file}: ${spawnError.message}`);
      resolve({ exitCode: spawnError ? 127 : exitCode, signal, tail, stopped });
    });
  });
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    pid: child.pid ?? -1,
    done,
    stop(graceMs = 5000) {
      if (stopped) return;
      stopped = true;
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), graceMs);
      timer.unref();
      done.then(() => {
        clearTimeout(timer);
        // The group may outlive its leader (a tool that ignored SIGTERM): make sure nothing is left.
        kill('SIGKILL');
      });
    },
  };
}
