/**
 * run-migrations: what the action costs around a migration that has nothing to do (the built bundle run
 * through the harness, as the runner runs it, versus the same tool run directly), and how the lock
 * behaves when five deploys race on one database (total time, each run's lock wait, exactly one applies).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, runAction } from '../packages/harness/src';
import { migrationsDir, postgresDatabase, services } from '../test/run-migrations/databases';

export const title = 'run-migrations: overhead and racing deploys';

const tool = join(repoRoot, 'test', 'run-migrations', 'fixtures', 'migrate.sh');
const ROUNDS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${Math.round(value)} ms`;

export async function run(): Promise<string> {
  const env = {
    PSQL: join(services().postgresBin, 'psql'),
    MIGRATIONS: join(repoRoot, 'examples', 'app', 'migrations'),
  };
  const db = await postgresDatabase();
  const race = await postgresDatabase();
  try {
    // Bring the database up to date once, so every measured run is a no-op for the tool.
    execFileSync('sh', [tool], { env: { ...process.env, ...env, DATABASE_URL: db.url }, stdio: 'ignore' });

    const direct: number[] = [];
    const action: number[] = [];
    const sql: number[] = [];
    const startup: number[] = [];
    const sqlDir = join(repoRoot, 'examples', 'app', 'migrations');
    await runAction('run-migrations', { inputs: { mode: 'sql', 'database-url': db.url, 'migrations-dir': sqlDir } });
    for (let i = 0; i < ROUNDS; i++) {
      // Side by side, alternating, so load changes hit both alike.
      const started = Date.now();
      execFileSync('sh', [tool], { env: { ...process.env, ...env, DATABASE_URL: db.url }, stdio: 'ignore' });
      direct.push(Date.now() - started);
      const viaAction = await runAction('run-migrations', {
        inputs: { mode: 'command', 'database-url': db.url, command: `sh ${tool}` },
        env,
        secrets: [db.url, db.password],
      });
      if (viaAction.outputs.status !== 'up-to-date')
        throw new Error(`bench: expected up-to-date, got ${viaAction.outputs.status}`);
      action.push(viaAction.durationMs);
      const viaSql = await runAction('run-migrations', {
        inputs: { mode: 'sql', 'database-url': db.url, 'migrations-dir': sqlDir },
        secrets: [db.url, db.password],
      });
      sql.push(viaSql.durationMs);
      // Node start and bundle load alone: a run that stops at its first input check.
      const bare = await runAction('run-migrations', { inputs: { mode: 'none', 'database-url': db.url } });
      startup.push(bare.durationMs);
    }

    // Five deploys at once; the first migration takes about a second, so the others really wait.
    const dir = migrationsDir({
      '001_slow.sql': 'SELECT pg_sleep(1);\nCREATE TABLE slow (id int);',
      '002_next.sql': 'CREATE TABLE next_one (id int);',
    });
    const raceStarted = Date.now();
    const runs = await Promise.all(
      Array.from({ length: 5 }, () =>
        runAction('run-migrations', {
          inputs: { mode: 'sql', 'database-url': race.url, 'migrations-dir': dir },
          secrets: [race.url, race.password],
        }),
      ),
    );
    const raceTotal = Date.now() - raceStarted;
    const applied = runs.filter((r) => r.outputs.status === 'applied').length;
    const upToDate = runs.filter((r) => r.outputs.status === 'up-to-date').length;
    const [{ n: rows }] = await race.query<{ n: string }>('SELECT count(*) AS n FROM migration_history');

    const dm = median(direct);
    const am = median(action);
    return [
      `### No-op migration (database already up to date), median of ${ROUNDS}`,
      '',
      '| how | median | ratio to direct |',
      '|---|---|---|',
      `| the tool run directly (\`sh migrate.sh\`, psql) | ${ms(dm)} | 1.0× |`,
      `| the same tool through the action (command mode: node start, inputs, connect, lock, history read ×2, summary) | ${ms(am)} | ${(am / dm).toFixed(1)}× |`,
      `| sql mode, nothing pending (the action is the tool) | ${ms(median(sql))} | ${(median(sql) / dm).toFixed(1)}× |`,
      `| the action stopping at its first input check (Node start and bundle load only) | ${ms(median(startup))} | ${(median(startup) / dm).toFixed(1)}× |`,
      '',
      `Overhead of the action: ${ms(am - dm)} per run (median), of which ${ms(median(startup))} is starting Node and loading the bundle.`,
      '',
      '### Five deploys racing on one database (sql mode, first migration sleeps 1 s)',
      '',
      '| run | status | lock wait | duration |',
      '|---|---|---|---|',
      ...runs
        .map((r) => ({
          status: r.outputs.status,
          wait: Number(r.outputs['lock-wait-seconds']),
          duration: r.durationMs,
        }))
        .sort((a, b) => a.wait - b.wait)
        .map((r, i) => `| ${i + 1} | ${r.status} | ${r.wait.toFixed(1)} s | ${ms(r.duration)} |`),
      '',
      `Total ${ms(raceTotal)}; ${applied} applied, ${upToDate} up to date; ${rows} history rows for 2 files (exactly once: ${applied === 1 && Number(rows) === 2 ? 'yes' : 'NO'}).`,
    ].join('\n');
  } finally {
    await db.drop();
    await race.drop();
  }
}
