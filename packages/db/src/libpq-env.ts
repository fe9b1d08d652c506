import type { DatabaseUrl } from './url';

/**
 * The connection of a PostgreSQL URL as libpq environment variables, for pg_dump and other libpq tools.
 * Everything goes through the environment and nothing on the command line, where `ps` and the runner's
 * process listing would show it: the password (userinfo or `?password=`) as PGPASSWORD, the host (a Unix
 * socket directory too), port, user, database, and the libpq keywords the URL carries (sslmode,
 * sslrootcert, options, ...). Keywords only node-postgres knows are translated (`sslmode=no-verify` is
 * libpq's `require`; `ssl=true` is `sslmode=require`) or left out (`uselibpqcompat`), so a URL that works
 * for the migration tool also works for pg_dump, which refuses unknown URI parameters.
 * PG* variables already in the environment are dropped: the URL alone says where to connect.
 */

/** libpq connection keywords and their environment variables (libpq "Environment Variables"). */
const LIBPQ_ENV: Record<string, string> = {
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslcrl: 'PGSSLCRL',
  sslnegotiation: 'PGSSLNEGOTIATION',
  sslcompression: 'PGSSLCOMPRESSION',
  requiressl: 'PGREQUIRESSL',
  options: 'PGOPTIONS',
  application_name: 'PGAPPNAME',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  client_encoding: 'PGCLIENTENCODING',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
  gssencmode: 'PGGSSENCMODE',
  krbsrvname: 'PGKRBSRVNAME',
  channel_binding: 'PGCHANNELBINDING',
  require_auth: 'PGREQUIREAUTH',
  hostaddr: 'PGHOSTADDR',
  service: 'PGSERVICE',
  load_balance_hosts: 'PGLOADBALANCEHOSTS',
};

const LIBPQ_SSLMODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

export function libpqEnv(db: DatabaseUrl, appName?: string): Record<string, string> {
  const env: Record<string, string> = {
    PGHOST: db.host,
    PGPORT: String(db.port),
    PGDATABASE: db.database,
  };
  if (db.user) env.PGUSER = db.user;
  if (db.password) env.PGPASSWORD = db.password;
  for (const [key, value] of Object.entries(db.params)) {
    const name = LIBPQ_ENV[key];
    if (name) env[name] = value;
  }
  const mode = db.params.sslmode;
  if (mode === 'no-verify') env.PGSSLMODE = 'require';
  else if (mode !== undefined && !LIBPQ_SSLMODES.has(mode)) delete env.PGSSLMODE;
  if (!mode && (db.params.ssl === 'true' || db.params.ssl === '1')) env.PGSSLMODE = 'require';
  if (appName && !env.PGAPPNAME) env.PGAPPNAME = appName;
  return env;
}

/** `base` without libpq's variables, with the URL's instead. */
export function withLibpqEnv(base: NodeJS.ProcessEnv, db: DatabaseUrl, appName?: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!/^PG[A-Z_]+$/.test(key)) out[key] = value;
  return { ...out, ...libpqEnv(db, appName) };
}
