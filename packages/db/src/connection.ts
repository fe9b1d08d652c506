import type { ConnectionOptions as MysqlOptions } from 'mysql2/promise';
import { type DatabaseUrl, type Dialect, parseDatabaseUrl } from './url';

/**
 * Connections for PostgreSQL (node-postgres) and MySQL/MariaDB (mysql2) behind one small interface, so
 * the lock and the SQL-file runner are written once for both engines. The drivers are loaded when the
 * first connection is made, so an action that never connects (another provider, another mode) never
 * pays for them at start.
 */

export { type DatabaseUrl, type Dialect, parseDatabaseUrl };

/** One connection, whichever the engine. `exec` runs a script of several statements. */
export interface Connection {
  readonly dialect: Dialect;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(script: string): Promise<void>;
  /** The server's id for this session (pg backend pid, MySQL connection id). */
  readonly sessionId: number;
  close(): Promise<void>;
  /** Called once if the server or the network drops the connection. */
  onLost(listener: (error: Error) => void): void;
}

export interface ConnectOptions {
  /** Shown in pg_stat_activity, so a waiting run can name who holds a lock. */
  applicationName?: string;
  connectTimeoutMs?: number;
}

export async function connect(db: DatabaseUrl, options: ConnectOptions = {}): Promise<Connection> {
  return db.dialect === 'postgres' ? connectPostgres(db, options) : connectMysql(db, options);
}

async function connectPostgres(db: DatabaseUrl, options: ConnectOptions): Promise<Connection> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: db.text,
    application_name: options.applicationName?.slice(0, 63),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 15_000,
    // A runner that vanishes without closing its socket still loses its session (and its locks) soon.
    keepAlive: true,
  });
  const listeners: ((error: Error) => void)[] = [];
  let closing = false;
  client.on('error', (error) => {
    if (!closing) for (const listener of listeners.splice(0)) listener(error);
  });
  await client.connect();
  const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  return {
    dialect: 'postgres',
    sessionId: pid,
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(script: string) {
      // Without parameters pg uses the simple query protocol, which runs several statements in one go.
      await client.query(script);
    },
    async close() {
      closing = true;
      await client.end().catch(() => undefined);
    },
    onLost(listener) {
      listeners.push(listener);
    },
  };
}

async function connectMysql(db: DatabaseUrl, options: ConnectOptions): Promise<Connection> {
  const { default: mysql } = await import('mysql2/promise');
  const connection = await mysql.createConnection({
    ...mysqlOptions(db),
    multipleStatements: true,
    connectTimeout: options.connectTimeoutMs ?? 15_000,
    enableKeepAlive: true,
    connectAttributes: options.applicationName ? { program_name: options.applicationName } : undefined,
  });
  const listeners: ((error: Error) => void)[] = [];
  let closing = false;
  connection.on('error', (error: Error) => {
    if (!closing) for (const listener of listeners.splice(0)) listener(error);
  });
  return {
    dialect: 'mysql',
    sessionId: connection.threadId,
    async query<T>(sql: string, params?: unknown[]) {
      const [rows] = await connection.query(sql, params);
      return (Array.isArray(rows) ? rows : []) as T[];
    },
    async exec(script: string) {
      await connection.query(script);
    },
    async close() {
      closing = true;
      await connection.end().catch(() => connection.destroy());
    },
    onLost(listener) {
      listeners.push(listener);
    },
  };
}

/** Quotes an identifier (optionally `schema.name`) for the dialect. */
export function quoteIdentifier(dialect: Dialect, name: string): string {
  const q = dialect === 'postgres' ? '"' : '`';
  return name
    .split('.')
    .map((part) => `${q}${part.split(q).join(q + q)}${q}`)
    .join('.');
}

/** Cancels what another session is running (from a second connection): how a run stops a migration mid-way. */
export async function cancelSession(via: Connection, sessionId: number): Promise<void> {
  if (via.dialect === 'postgres') await via.query('SELECT pg_cancel_backend($1)', [sessionId]);
  else await via.query(`KILL QUERY ${Number(sessionId)}`);
}

/**
 * mysql2 options from the URL, its query options kept: mysql2's own (`ssl` as JSON, `charset`,
 * `timezone`, `connectTimeout`...), a Unix `socket`, and the TLS spellings other tools use in the same
 * URL (`ssl-mode`/`sslmode` of the mysql client, Prisma's `sslaccept`), so the lock connection is as
 * secure as the tool's.
 */
export function mysqlOptions(db: DatabaseUrl): MysqlOptions {
  const out: MysqlOptions = { user: db.user || undefined, password: db.password || undefined, database: db.database };
  if (db.socket) out.socketPath = db.host;
  else Object.assign(out, { host: db.host, port: db.port });
  const p = db.params;
  if (p.charset) out.charset = p.charset;
  if (p.timezone) out.timezone = p.timezone;
  if (p.connectTimeout && /^\d+$/.test(p.connectTimeout)) out.connectTimeout = Number(p.connectTimeout);
  const mode = (p['ssl-mode'] ?? p.sslmode ?? '').toUpperCase();
  const accept = (p.sslaccept ?? '').toLowerCase();
  if (p.ssl !== undefined) {
    try {
      const ssl = JSON.parse(p.ssl);
      if (ssl && typeof ssl === 'object') out.ssl = ssl;
      else if (ssl === true) out.ssl = {};
    } catch {
      out.ssl = p.ssl; // a named profile such as "Amazon RDS"
    }
  } else if (mode === 'VERIFY_IDENTITY' || mode === 'VERIFY_CA' || accept === 'strict') out.ssl = {};
  else if (mode === 'REQUIRED' || accept === 'accept_invalid_certs') out.ssl = { rejectUnauthorized: false };
  return out;
}
