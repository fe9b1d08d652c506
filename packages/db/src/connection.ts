import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * Database URLs and connections for PostgreSQL (`postgres://`, `postgresql://`) and MySQL/MariaDB
 * (`mysql://`, `mariadb://`). A URL is parsed once into what a log may show (`describe`, never the
 * password) and what must be masked (`secretForms`: the URL, its password raw and URL-encoded, since
 * tools print any of them in their errors). Connections share one small interface so the lock and the
 * SQL-file runner are written once for both engines.
 */

export type Dialect = 'postgres' | 'mysql';

export interface DatabaseUrl {
  dialect: Dialect;
  /** The URL exactly as given, for tools that read it from an environment variable. */
  text: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Decoded. */
  password: string;
  /** `postgres://user@host:port/db`: safe to print. */
  describe: string;
  /** Every form of the secret parts a tool might print. */
  secretForms: string[];
}

const DIALECTS: Record<string, Dialect> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};
const DEFAULT_PORT: Record<Dialect, number> = { postgres: 5432, mysql: 3306 };

/** Parses a database URL; throws an Error whose message never quotes the URL. */
export function parseDatabaseUrl(text: string): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error('is not a URL');
  }
  const dialect = DIALECTS[url.protocol];
  if (!dialect) throw new Error(`uses ${url.protocol} (supported: postgres://, postgresql://, mysql://, mariadb://)`);
  if (!url.hostname) throw new Error('has no host');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) throw new Error('names no database (add /DBNAME after the host)');
  const user = decodeURIComponent(url.username);
  let password: string;
  try {
    password = decodeURIComponent(url.password);
  } catch {
    throw new Error('has a password that is not valid URL encoding');
  }
  const port = url.port ? Number(url.port) : DEFAULT_PORT[dialect];
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const describe = `${url.protocol}//${user ? `${user}@` : ''}${shownHost}:${port}/${database}`;
  const secretForms = [text, text.trim(), url.password, password].filter((s) => s.length > 0);
  return {
    dialect,
    text: text.trim(),
    host,
    port,
    database,
    user,
    password,
    describe,
    secretForms: [...new Set(secretForms)],
  };
}

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
  const connection = await mysql.createConnection({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
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
