import type { RunResult } from '@deploy-actions/harness';

/**
 * Hostile-input tables through the harness (issue 12): each case must end in ONE error line that names the
 * input, with no stack trace, and without a single connection. Connections are counted by the harness's own
 * network guard (packages/harness/src/network-guard.cjs, preloaded into every run), which records each one
 * in `result.connections` and refuses any to a non-loopback address (`blocked`).
 */

export type HostileCase = [label: string, inputs: Record<string, string | number | boolean>, input: string];

/** The assertions every hostile case shares. */
export function expectRefused(result: RunResult, input: string): void {
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  const [line] = result.errors;
  expect(line.startsWith(`Input "${input}": `)).toBe(true);
  expect(line).not.toContain('\n');
  expect(line.length).toBeLessThan(600);
  expect(result.log).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
  // Not one connection, and so none outside loopback either (the guard would have refused and listed it).
  expect(result.connections).toEqual([]);
  expect(result.connections.filter((c) => c.blocked)).toEqual([]);
}
