/**
 * ecs-task mode's advisory lock (migrate.ts `withLock`): when the runner can reach the database
 * (`database-url` given), the step takes the migration lock on the runner BEFORE it starts the ECS task and
 * keeps it until the task has stopped, so two runs against the same database never have their migration
 * tasks in flight together, whatever their `started-by` marks. With a migration tool that checks and then
 * applies (as every tool does: read the history, apply what is missing), that means the migrations run
 * exactly once: the second task finds them applied.
 *
 * The "tool" is a busybox task that asks a loopback ledger (standing in for the database's history table)
 * whether 001 is applied and applies it if not. The ledger holds each check until the test opens its gate,
 * so the race is made by conditions the test controls, not by timing:
 * - with the lock: run A's task is held inside its check; run B starts, and the gate opens only once B's
 *   session has been refused the lock (pg_stat_activity shows it asked who holds it). A applies; B's task
 *   starts after A's stopped, finds 001 applied, and applies nothing.
 * - the control, same tool and same race without database-url (so without the lock) and with different
 *   started-by marks: both checks are held until both have arrived, both see "pending", 001 is applied twice.
 *   That is what the lock prevents, and it shows the assertion above can fail.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { EcsEmulator } from '../../packages/emulators/src/ecs';
import { type RunResult, runAction } from '../../packages/harness/src/run-action';
import { addApi, buildTestImage, removeImage, startEcs } from '../deploy-ecs/fixture';
import { postgresDatabase, services, type TestDatabase } from './databases';

interface Ledger {
  url: string;
  /** Checks received (held or answered), by task hostname. */
  checks: { task: string; answer?: string }[];
  applies: number;
  /** Answers every held check (and every later one at once), each with the state at that moment. */
  open(): void;
  /** Resolves when `n` checks have arrived. */
  checksArrived(n: number): Promise<void>;
  close(): Promise<void>;
}

async function ledger(): Promise<Ledger> {
  let applied = false;
  let open = false;
  const held: (() => void)[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const state: Ledger = {
    url: '',
    checks: [],
    applies: 0,
    open() {
      open = true;
      for (const answer of held.splice(0)) answer();
    },
    checksArrived: (n) =>
      new Promise<void>((resolve) => {
        if (state.checks.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://ledger');
    if (url.pathname === '/check') {
      const check: { task: string; answer?: string } = { task: url.searchParams.get('task') ?? '?' };
      state.checks.push(check);
      for (const w of waiters.filter((w) => state.checks.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const answer = () => {
        check.answer = applied ? 'applied' : 'pending';
        res.end(check.answer);
      };
      if (open) answer();
      else held.push(answer);
    } else if (url.pathname === '/apply') {
      state.applies++;
      applied = true;
      res.end('ok');
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** A check-then-apply migration tool, as an ECS task command (busybox sh and wget; host networking). */
const tool = (url: string) =>
  `s=$(wget -qO- "${url}/check?task=$HOSTNAME"); echo "001_init is $s"; ` +
  `if [ "$s" = applied ]; then echo "up to date"; else wget -qO- "${url}/apply" >/dev/null && echo "applied 001_init"; fi`;

/** Resolves once the session of run `runId` has been refused the lock and asked who holds it. */
async function refusedTheLock(db: TestDatabase, runId: string, signal: AbortSignal): Promise<void> {
  const admin = new pg.Client({ connectionString: services().postgresUrl });
  await admin.connect();
  try {
    while (!signal.aborted) {
      const { rows } = await admin.query<{ query: string }>(
        'SELECT query FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
        [db.name, `run-migrations acme/backend run ${runId}`],
      );
      if (rows.some((r) => r.query.includes('pg_locks'))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await admin.end();
  }
}

let image: string;
let ecs: EcsEmulator;
let db: TestDatabase;
let runs = 7100 + Math.floor(Math.random() * 800);
beforeAll(async () => {
  image = buildTestImage();
  ecs = await startEcs();
  await addApi(ecs, image, { name: 'core', desiredCount: 1, launchType: 'FARGATE' });
  db = await postgresDatabase();
});
afterAll(async () => {
  await ecs?.close();
  await db?.drop();
  if (image) removeImage(image);
});

function run(runId: string, inputs: Record<string, string>, started?: (line: string) => void): Promise<RunResult> {
  return runAction('run-migrations', {
    timeoutMs: 180_000,
    inputs: { mode: 'ecs-task', cluster: 'prod', service: 'core', image, 'lock-timeout': '2m', ...inputs },
    github: { runId },
    env: { ...ecs.env(), AWS_PROFILE: undefined, AWS_CONFIG_FILE: '/nonexistent/aws-config' },
    secrets: [db.password],
    onLine: started,
  });
}

const tasksOf = (startedBy: string) => [...ecs.tasks.values()].filter((t) => t.startedBy === startedBy);

describe('run-migrations ecs-task: the advisory lock', () => {
  it('two concurrent runs against the same database: the migration is applied exactly once', async () => {
    const book = await ledger();
    try {
      const idA = String(++runs);
      const idB = String(++runs);
      const a = run(idA, { 'database-url': db.url, command: tool(book.url), 'started-by': 'rm-lock-a' });
      await book.checksArrived(1); // A holds the lock (taken before its task started) and its task is in the check.
      const b = run(idB, { 'database-url': db.url, command: tool(book.url), 'started-by': 'rm-lock-b' });
      const giveUp = new AbortController();
      const refused = refusedTheLock(db, idB, giveUp.signal);
      await Promise.race([refused, b.then(() => undefined)]);
      giveUp.abort();
      await refused;
      book.open();
      const [ra, rb] = await Promise.all([a, b]);

      expect([ra.errors, rb.errors]).toEqual([[], []]);
      expect([ra.exitCode, rb.exitCode]).toEqual([0, 0]);
      expect(book.applies).toBe(1);
      expect(book.checks.map((c) => c.answer)).toEqual(['pending', 'applied']);
      expect(ra.log).toContain('│ applied 001_init');
      expect(rb.log).toContain('│ up to date');
      // B waited on the lock for A's session, and its task started only after A's had stopped.
      expect(rb.log).toMatch(
        new RegExp(`Lock taken after waiting .* for session pid \\d+ \\("run-migrations acme/backend run ${idA}"`),
      );
      const [taskA] = tasksOf('rm-lock-a');
      const [taskB] = tasksOf('rm-lock-b');
      expect([tasksOf('rm-lock-a').length, tasksOf('rm-lock-b').length]).toEqual([1, 1]);
      expect(taskB.createdAt).toBeGreaterThanOrEqual(taskA.stoppedAt!);
      // The lock is gone with the runs.
      const [{ n }] = await db.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      expect(n).toBe('0');
    } finally {
      book.open();
      await book.close();
    }
  });

  it('the control: the same race without database-url (no lock) applies it twice', async () => {
    const book = await ledger();
    try {
      const a = run(String(++runs), { command: tool(book.url), 'started-by': 'rm-nolock-a' });
      await book.checksArrived(1);
      const b = run(String(++runs), { command: tool(book.url), 'started-by': 'rm-nolock-b' });
      await Promise.race([book.checksArrived(2), b.then(() => undefined)]);
      book.open();
      const [ra, rb] = await Promise.all([a, b]);
      expect([ra.exitCode, rb.exitCode]).toEqual([0, 0]);
      expect(book.checks.map((c) => c.answer)).toEqual(['pending', 'pending']);
      expect(book.applies).toBe(2);
      // Both tasks were in flight together: each started before the other stopped.
      const [taskA] = tasksOf('rm-nolock-a');
      const [taskB] = tasksOf('rm-nolock-b');
      expect(taskB.createdAt).toBeLessThan(taskA.stoppedAt!);
    } finally {
      book.open();
      await book.close();
    }
  });
});
