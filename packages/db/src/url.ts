import { parse as parsePg } from 'pg-connection-string';

/**
 * Database URLs for PostgreSQL (`postgres://`, `postgresql://`) and MySQL/MariaDB (`mysql://`,
 * `mariadb://`). PostgreSQL URLs are read by pg-connection-string, the parser node-postgres itself uses,
 * so what we understand is what the driver connects to: Unix-socket hosts (`?host=/var/run/postgresql`
 * or a `%2F`-encoded host), `?password=`, `sslmode`, `options` and the other libpq keywords. MySQL URLs
 * keep their options (`ssl`, `charset`, `timezone`, `socket`...), which mysql2 then receives.
 *
 * A URL is parsed once into what a log may show (`describe`: never a password, never the query) and
 * what must be masked (`secretForms`): the URL, the password raw, as it is written in the URL, URL- and
 * form-encoded, and base64 of the password, of `user:password` (HTTP Basic) and of the whole URL, since
 * tools print any of those in errors and debug output.
 */

export type Dialect = 'postgres' | 'mysql';

export interface DatabaseUrl {
  dialect: Dialect;
  /** The URL exactly as given (trimmed), for tools that read it from an environment variable. */
  text: string;
  /** Host name, or the Unix socket directory (PostgreSQL) / file (MySQL) when `socket` is true. */
  host: string;
  port: number;
  /** True when `host` is a Unix socket path. */
  socket: boolean;
  database: string;
  user: string;
  /** Decoded; from the userinfo or `?password=`. */
  password: string;
  /** The query parameters other than the password, as given. */
  params: Record<string, string>;
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
const SECRET_PARAMS = new Set(['password', 'sslpassword']);

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The raw, still-encoded value of a query parameter, as the URL text spells it. */
function rawParam(text: string, name: string): string[] {
  const found: string[] = [];
  for (const [, value] of text.matchAll(new RegExp(`[?&]${name}=([^&#]*)`, 'gi'))) found.push(value);
  return found;
}

/** Every encoding of one secret value a tool could print. */
export function secretFormsOf(value: string): string[] {
  if (!value) return [];
  return [
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    base64(value),
    base64url(value),
  ];
}

/** Parses a database URL; throws an Error whose message never quotes the URL. */
export function parseDatabaseUrl(input: string): DatabaseUrl {
  const text = input.trim();
  if (text.length > 8192) throw new Error(`is ${text.length} characters long (at most 8192)`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*:)\/\//.exec(text)?.[1].toLowerCase();
  if (!scheme) throw new Error('is not a URL');
  const dialect = DIALECTS[scheme];
  if (!dialect) throw new Error(`uses ${scheme} (supported: postgres://, postgresql://, mysql://, mariadb://)`);
  if (/[\s\0]/.test(text)) throw new Error('contains a space, a line break or NUL (%-encode them)');
  // The userinfo as written (pg-connection-string accepts an empty host, which WHATWG URL does not).
  const rawUserinfo = /^[^:]+:\/\/([^@/?#]*)@/.exec(text)?.[1] ?? '';
  const rawPassword = rawUserinfo.includes(':') ? rawUserinfo.slice(rawUserinfo.indexOf(':') + 1) : '';
  const query = new URLSearchParams(text.includes('?') ? text.slice(text.indexOf('?') + 1).split('#')[0] : '');
  const params: Record<string, string> = {};
  for (const [key, value] of query) if (!SECRET_PARAMS.has(key)) params[key] = value;

  let host: string;
  let port: number;
  let database: string;
  let user: string;
  let password: string;
  try {
    if (dialect === 'postgres') {
      // Certificate files are read by the driver when it connects, not while the inputs are checked.
      const forParsing = text.replace(/([?&])(sslcert|sslkey|sslrootcert)=[^&#]*/g, '$1_$2=');
      const config = parsePg(forParsing);
      host = config.host ?? '';
      port = config.port ? Number(config.port) : DEFAULT_PORT.postgres;
      database = config.database ?? params.dbname ?? '';
      user = config.user ?? '';
      password = config.password ?? '';
    } else {
      const url = new URL(text);
      host = params.socket ?? params.socketPath ?? url.hostname.replace(/^\[(.*)\]$/, '$1');
      port = url.port ? Number(url.port) : DEFAULT_PORT.mysql;
      database = decodeURIComponent(url.pathname.replace(/^\//, ''));
      user = decodeURIComponent(url.username);
      password = query.get('password') ?? decodeURIComponent(url.password);
    }
  } catch {
    throw new Error('could not be parsed (check the port and the %-encoding)');
  }
  if (!host)
    throw new Error(
      `has no host (give HOST, or ${dialect === 'postgres' ? '?host=/socket/dir' : '?socket=/path/mysqld.sock'})`,
    );
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('has a port outside 1-65535');
  if (!database || database.includes('/')) throw new Error('names no database (add /DBNAME after the host)');
  // PostgreSQL truncates names to 63 bytes (NAMEDATALEN - 1), MySQL refuses names over 64 characters.
  const maxName = dialect === 'postgres' ? 63 : 64;
  if (Buffer.byteLength(database) > maxName) throw new Error(`names a database longer than ${maxName} bytes`);
  const socket = host.startsWith('/');

  const shownHost = socket ? `(socket ${host})` : `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const describe = `${scheme}//${user ? `${user}@` : ''}${shownHost}/${database}`;
  const sslPassword = query.get('sslpassword') ?? '';
  const secretForms = [
    text,
    input,
    base64(text),
    rawPassword,
    ...rawParam(text, 'password'),
    ...rawParam(text, 'sslpassword'),
    ...secretFormsOf(password),
    ...(password ? secretFormsOf(`${user}:${password}`).slice(3) : []),
    ...secretFormsOf(sslPassword),
  ].filter((s) => s.length >= 3);
  return {
    dialect,
    text,
    host,
    port,
    socket,
    database,
    user,
    password,
    params,
    describe,
    secretForms: [...new Set(secretForms)],
  };
}
