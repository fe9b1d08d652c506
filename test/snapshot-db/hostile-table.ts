import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '@deploy-actions/harness';

/**
 * Hostile-input tables through the harness (issue 12): each case must end in ONE error line that names the
 * input, with no stack trace, and without a single connection, counted by a preloaded guard
 * (loopback-guard.cjs) that also ends the process on any connection to a non-loopback address.
 */

export type HostileCase = [label: string, inputs: Record<string, string | number | boolean>, input: string];

/** Environment for a guarded run; `connections()` reads what the guard recorded. */
export function guarded(): { env: Record<string, string>; connections: () => string[] } {
  const file = join(mkdtempSync(join(tmpdir(), 'guard-')), 'connections.log');
  return {
    env: {
      NODE_OPTIONS: `--require ${join(import.meta.dirname, 'loopback-guard.cjs')}`,
      LOOPBACK_GUARD_LOG: file,
    },
    connections: () => {
      try {
        return readFileSync(file, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
  };
}

/** The assertions every hostile case shares. */
export function expectRefused(result: RunResult, input: string, connections: string[]): void {
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  const [line] = result.errors;
  expect(line.startsWith(`Input "${input}": `)).toBe(true);
  expect(line).not.toContain('\n');
  expect(line.length).toBeLessThan(600);
  expect(result.log).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
  expect(connections).toEqual([]);
}
