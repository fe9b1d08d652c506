import type { Connection } from '@deploy-actions/db';

/**
 * What a migration tool applied, read from the history table it keeps. In command and image modes the
 * tool is a black box; reading its own table before and after the run (under our lock, so nobody else
 * changes it meanwhile) gives the `applied` outputs and tells `applied` from `up-to-date`. Only tools that
 * keep one row per applied migration are listed: golang-migrate and alembic keep just the current version.
 */

interface KnownTable {
  tool: string;
  table: string;
  /** An expression naming one applied migration. */
  name: string;
  /** Rows that count as applied. */
  where?: string;
}

const KNOWN: KnownTable[] = [
  {
    tool: 'Prisma',
    table: '_prisma_migrations',
    name: 'migration_name',
    where: 'finished_at IS NOT NULL AND rolled_back_at IS NULL',
  },
  { tool: 'Flyway', table: 'flyway_schema_history', name: 'script', where: 'success' },
  { tool: 'Knex', table: 'knex_migrations', name: 'name' },
  { tool: 'node-pg-migrate', table: 'pgmigrations', name: 'name' },
  { tool: 'Sequelize', table: 'SequelizeMeta', name: 'name' },
  { tool: 'Django', table: 'django_migrations', name: "concat(app, '.', name)" },
  { tool: 'goose', table: 'goose_db_version', name: 'version_id', where: 'is_applied AND version_id > 0' },
  { tool: 'Entity Framework', table: '__EFMigrationsHistory', name: '"MigrationId"' },
  { tool: 'Rails / dbmate', table: 'schema_migrations', name: 'version' },
];

export interface ToolHistory {
  tool: string;
  names: Set<string>;
}

/** The first recognised table in the database and its applied rows; undefined when none is there. */
export async function readToolHistory(connection: Connection): Promise<ToolHistory | undefined> {
  const present = await presentTables(connection);
  for (const known of KNOWN) {
    const actual = present.find((t) => t.toLowerCase() === known.table.toLowerCase());
    if (!actual) continue;
    // golang-migrate also calls its table schema_migrations, but keeps one row with a dirty flag.
    if (known.table === 'schema_migrations' && (await hasColumn(connection, actual, 'dirty'))) continue;
    const q = connection.dialect === 'postgres' ? '"' : '`';
    const nameExpr = connection.dialect === 'mysql' ? known.name.replace(/"/g, '`') : known.name;
    const rows = await connection.query<{ name: unknown }>(
      `SELECT ${nameExpr} AS name FROM ${q}${actual}${q}${known.where ? ` WHERE ${known.where}` : ''}`,
    );
    return { tool: known.tool, names: new Set(rows.map((r) => String(r.name))) };
  }
  return undefined;
}

/** What `after` has that `before` had not, in a stable order. */
export function newlyApplied(before: ToolHistory | undefined, after: ToolHistory | undefined): string[] | undefined {
  if (!after) return undefined;
  return [...after.names]
    .filter((n) => !before?.names.has(n))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

async function presentTables(connection: Connection): Promise<string[]> {
  const names = KNOWN.map((k) => k.table.toLowerCase());
  const rows =
    connection.dialect === 'postgres'
      ? await connection.query<{ name: string }>(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ANY (current_schemas(false)) AND lower(table_name) = ANY ($1)',
          [names],
        )
      : await connection.query<{ name: string }>(
          `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) IN (${names.map(() => '?').join(', ')})`,
          names,
        );
  return rows.map((r) => r.name);
}

async function hasColumn(connection: Connection, table: string, column: string): Promise<boolean> {
  const sql =
    connection.dialect === 'postgres'
      ? 'SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2'
      : 'SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?';
  return (await connection.query(sql, [table, column])).length > 0;
}
