import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Connection, type Dialect, quoteIdentifier } from './connection';

/**
 * A folder of plain .sql files applied in name order, each in its own transaction, recorded in a history
 * table (name, sha256 checksum, applied_at, duration, applied_by, dirty) so a changed file or a half-applied
 * one is caught before anything else runs.
 *
 * Written here rather than on a migration library because none fits cleanly: postgres-migrations and
 * node-pg-migrate are PostgreSQL-only (and record md5 or nothing), and umzug would only contribute the
 * ordering and the pending list (a few lines) while the parts that matter here (checksums, the history
 * columns, per-file transactions, the dirty flag for MySQL's implicitly committed DDL) would all be
 * custom storage anyway. This runner sits on `pg` and `mysql2`, which the bundle has already.
 *
 * The caller holds the advisory lock (lock.ts) around plan + apply, so two runs never apply a file twice.
 */

export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 of the text with line endings normalised, so a CRLF checkout does not look like drift. */
  checksum: string;
  /**
   * False for a file marked `-- run-migrations: no-transaction` (e.g. CREATE INDEX CONCURRENTLY), and for
   * every file on MySQL/MariaDB, where DDL commits implicitly: such files are recorded dirty first.
   */
  transactional: boolean;
}

export interface HistoryRow {
  name: string;
  checksum: string;
  applied_at: Date;
  duration_ms: number;
  applied_by: string;
  dirty: boolean;
}

export interface MigrationPlan {
  applied: HistoryRow[];
  pending: MigrationFile[];
  /** Applied files whose text changed since. */
  changed: { file: MigrationFile; row: HistoryRow }[];
  /** Files a previous run started outside a transaction and did not finish. */
  dirty: HistoryRow[];
  /** Recorded as applied, but no longer in the folder. */
  missing: HistoryRow[];
}

const NO_TRANSACTION = /^\s*--\s*run-migrations:\s*no-transaction\s*$/im;

export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** The `.sql` files directly in `dir` (down migrations, `*.down.sql`, skipped), in natural name order. */
export function readMigrationFiles(dir: string, dialect: Dialect): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sql') && !e.name.endsWith('.down.sql'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: checksum(sql), transactional: dialect === 'postgres' && !NO_TRANSACTION.test(sql) };
    });
}

export function planMigrations(files: MigrationFile[], history: HistoryRow[]): MigrationPlan {
  const byName = new Map(history.map((row) => [row.name, row]));
  const names = new Set(files.map((f) => f.name));
  const plan: MigrationPlan = {
    applied: history.filter((r) => !r.dirty),
    pending: [],
    changed: [],
    dirty: [],
    missing: [],
  };
  plan.dirty = history.filter((r) => r.dirty);
  plan.missing = history.filter((r) => !names.has(r.name));
  for (const file of files) {
    const row = byName.get(file.name);
    if (!row) plan.pending.push(file);
    else if (!row.dirty && row.checksum !== file.checksum) plan.changed.push({ file, row });
  }
  return plan;
}

/** A migration file that failed, with where in the file when the server says. */
export class MigrationFailed extends Error {
  override name = 'MigrationFailed';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly leftDirty: boolean,
  ) {
    super(`${file} failed: ${reason}`);
  }
}

export class MigrationHistory {
  private readonly table: string;

  constructor(
    private readonly connection: Connection,
    readonly tableName: string,
  ) {
    this.table = quoteIdentifier(connection.dialect, tableName);
  }

  async ensure(): Promise<void> {
    const sql =
      this.connection.dialect === 'postgres'
        ? `CREATE TABLE IF NOT EXISTS ${this.table} (
             name text PRIMARY KEY,
             checksum char(64) NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now(),
             duration_ms integer NOT NULL DEFAULT 0,
             applied_by text NOT NULL,
             dirty boolean NOT NULL DEFAULT false)`
        : `CREATE TABLE IF NOT EXISTS ${this.table} (
             name varchar(255) NOT NULL PRIMARY KEY,
             checksum char(64) NOT NULL,
             applied_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
             duration_ms integer NOT NULL DEFAULT 0,
             applied_by varchar(255) NOT NULL,
             dirty boolean NOT NULL DEFAULT false)`;
    await this.connection.exec(sql);
  }

  /** The recorded rows; empty when the table does not exist yet (a dry run creates nothing). */
  async rows(): Promise<HistoryRow[]> {
    if (!(await this.exists())) return [];
    const rows = await this.connection.query<HistoryRow>(
      `SELECT name, checksum, applied_at, duration_ms, applied_by, dirty FROM ${this.table} ORDER BY applied_at, name`,
    );
    return rows.map((r) => ({ ...r, dirty: Boolean(r.dirty), duration_ms: Number(r.duration_ms) }));
  }

  private async exists(): Promise<boolean> {
    const parts = this.tableName.split('.');
    if (this.connection.dialect === 'postgres') {
      const [row] = await this.connection.query<{ oid: string | null }>('SELECT to_regclass($1) AS oid', [this.table]);
      return Boolean(row?.oid);
    }
    const [schema, table] = parts.length === 2 ? parts : [undefined, parts[0]];
    const rows = await this.connection.query(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
      [schema ?? null, table],
    );
    return rows.length > 0;
  }

  /** Applies one file and records it; returns how long it took. */
  async apply(file: MigrationFile, appliedBy: string): Promise<number> {
    const started = Date.now();
    const c = this.connection;
    const p = (n: number) => (c.dialect === 'postgres' ? `$${n}` : '?');
    const insert = `INSERT INTO ${this.table} (name, checksum, applied_by, dirty, duration_ms) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`;
    const finish = `UPDATE ${this.table} SET dirty = false, duration_ms = ${p(1)} WHERE name = ${p(2)}`;

    if (file.transactional) {
      await c.exec('BEGIN');
      try {
        await c.exec(file.sql);
        await c.query(insert, [file.name, file.checksum, appliedBy, false, Date.now() - started]);
        await c.exec('COMMIT');
      } catch (error) {
        await c.exec('ROLLBACK').catch(() => undefined);
        throw new MigrationFailed(file.name, describeError(error, file.sql), false);
      }
      return Date.now() - started;
    }

    // Recorded dirty before it starts, so a failure half-way stops every later run until someone looks.
    await c.query(insert, [file.name, file.checksum, appliedBy, true, 0]);
    try {
      await c.exec(file.sql);
    } catch (error) {
      throw new MigrationFailed(file.name, describeError(error, file.sql), true);
    }
    const duration = Date.now() - started;
    await c.query(finish, [duration, file.name]);
    return duration;
  }
}

/** The server's message, with the line it points at (PostgreSQL gives a character position). */
function describeError(error: unknown, sql: string): string {
  const e = error as { message?: string; position?: string; code?: string };
  let text = (e.message ?? String(error)).split('\n')[0];
  const position = Number(e.position);
  if (position > 0) text += ` (line ${sql.slice(0, position - 1).split('\n').length})`;
  if (e.code) text += ` [${e.code}]`;
  return text;
}
