import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunOptions, type RunResult, runAction } from './run-action';

/**
 * Helpers for the hostile-input tables (issue 12): each row is a bad input given to the real bundle, and the
 * action must refuse it the way a user can act on: a clean exit (code 1, no crash, no signal), exactly one
 * `::error::` line that names the input, no stack trace, and no connection at all (the refusal comes before
 * any side effect). `countingServer` stands in for a service and counts what reached it.
 */

export interface CountingServer {
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  /** HTTP requests received, `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (an ephemeral port) that counts connections and requests; answers 200 `{}` by default. */
export async function countingServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  },
): Promise<CountingServer> {
  const server = createServer((req, res) => {
    counting.requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  const counting: CountingServer = {
    url: '',
    port: 0,
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => counting.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  counting.port = (server.address() as AddressInfo).port;
  counting.url = `http://127.0.0.1:${counting.port}`;
  return counting;
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;

/** Why a run is not a clean one-line refusal of `input`, or undefined when it is. */
export function refusalProblems(result: RunResult, input: string, message?: string | RegExp): string[] {
  const problems: string[] = [];
  if (result.exitCode !== 1) problems.push(`exit code ${result.exitCode}, not 1`);
  if (result.errors.length !== 1) problems.push(`${result.errors.length} ::error:: lines, not exactly one`);
  const [error = ''] = result.errors;
  if (!error.includes(`Input "${input}"`)) problems.push(`the error does not name Input "${input}": ${error}`);
  if (message !== undefined && !(typeof message === 'string' ? error.includes(message) : message.test(error)))
    problems.push(`the error does not match ${message}: ${error}`);
  if (STACK.test(result.log)) problems.push(`a stack trace in the log: ${STACK.exec(result.log)?.[0].trim()}`);
  if (/Uncaught|UnhandledPromiseRejection|node:internal/.test(result.log)) problems.push('a crash in the log');
  if (result.connections.length)
    problems.push(
      `${result.connections.length} connection(s): ${result.connections.map((c) => `${c.host}:${c.port}`).join(', ')}`,
    );
  return problems;
}

/** Throws unless `result` is a clean one-line refusal of `input` that made no connection. */
export function assertRefused(result: RunResult, input: string, message?: string | RegExp): void {
  const problems = refusalProblems(result, input, message);
  if (problems.length)
    throw new Error(`harness: not a clean refusal of "${input}":\n- ${problems.join('\n- ')}\nlog:\n${result.log}`);
}

export interface HostileCase {
  /** For the test title. */
  name: string;
  inputs: NonNullable<RunOptions['inputs']>;
  /** The input the error must name. */
  input: string;
  /** What the error must also say. */
  message?: string | RegExp;
  env?: RunOptions['env'];
}

/** Runs one row of a hostile-input table against the bundle (network guard on) and asserts the refusal. */
export async function runHostile(action: string, row: HostileCase, options: RunOptions = {}): Promise<RunResult> {
  const result = await runAction(action, {
    ...options,
    inputs: { ...options.inputs, ...row.inputs },
    env: { ...options.env, ...row.env },
    networkGuard: true,
  });
  assertRefused(result, row.input, row.message);
  return result;
}
