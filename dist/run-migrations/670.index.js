export const id = 670;
export const ids = [670];
export const modules = {

/***/ 26122:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {



//Parse method copied from https://github.com/brianc/node-postgres
//Copyright (c) 2010-2014 Brian Carlson (brian.m.carlson@gmail.com)
//MIT License

//parses a connection string
function parse(str, options = {}) {
  //unix socket
  if (str.charAt(0) === '/') {
    const config = str.split(' ')
    return { host: config[0], database: config[1] }
  }

  // Check for empty host in URL

  const config = Object.create(null)
  let result
  let dummyHost = false
  if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(str)) {
    // Ensure spaces are encoded as %20
    str = encodeURI(str).replace(/%25(\d\d)/g, '%$1')
  }

  try {
    try {
      result = new URL(str, 'postgres://base')
    } catch (e) {
      // The URL is invalid so try again with a dummy host
      result = new URL(str.replace('@/', '@___DUMMY___/'), 'postgres://base')
      dummyHost = true
    }
  } catch (err) {
    // Remove the input from the error message to avoid leaking sensitive information
    err.input && (err.input = '*****REDACTED*****')
    throw err
  }

  // We'd like to use Object.fromEntries() here but Node.js 10 does not support it
  for (const entry of result.searchParams.entries()) {
    config[entry[0]] = entry[1]
  }

  config.user = config.user || decodeURIComponent(result.username)
  config.password = config.password || decodeURIComponent(result.password)

  if (result.protocol == 'socket:') {
    config.host = decodeURI(result.pathname)
    config.database = result.searchParams.get('db')
    config.client_encoding = result.searchParams.get('encoding')
    return config
  }
  const hostname = (dummyHost ? '' : result.hostname).replace(/^\[(.+)\]$/, '$1')
  if (!config.host) {
    // Only set the host if there is no equivalent query param.
    config.host = decodeURIComponent(hostname)
  } else if (hostname && /^%2f/i.test(hostname)) {
    // Only prepend the hostname to the pathname if it is not a URL encoded Unix socket host.
    result.pathname = hostname + result.pathname
  }
  if (!config.port) {
    // Only set the port if there is no equivalent query param.
    config.port = result.port
  }

  const pathname = result.pathname.slice(1) || null
  config.database = pathname ? decodeURI(pathname) : null

  if (config.ssl === 'true' || config.ssl === '1') {
    config.ssl = true
  }

  if (config.ssl === '0') {
    config.ssl = false
  }

  if (config.sslcert || config.sslkey || config.sslrootcert || config.sslmode) {
    config.ssl = {}
  }

  // sslnegotiation=direct implies SSL is in use (libpq requires sslmode>=require),
  // so enable SSL if the connection string did not otherwise configure it.
  if (config.sslnegotiation === 'direct' && config.ssl === undefined) {
    config.ssl = true
  }

  // Only try to load fs if we expect to read from the disk
  const fs = config.sslcert || config.sslkey || config.sslrootcert ? __webpack_require__(79896) : null

  if (config.sslcert) {
    config.ssl.cert = fs.readFileSync(config.sslcert).toString()
  }

  if (config.sslkey) {
    config.ssl.key = fs.readFileSync(config.sslkey).toString()
  }

  if (config.sslrootcert) {
    config.ssl.ca = fs.readFileSync(config.sslrootcert).toString()
  }

  if (options.useLibpqCompat && config.uselibpqcompat) {
    throw new Error('Both useLibpqCompat and uselibpqcompat are set. Please use only one of them.')
  }

  if (config.uselibpqcompat === 'true' || options.useLibpqCompat) {
    switch (config.sslmode) {
      case 'disable': {
        config.ssl = false
        break
      }
      case 'prefer': {
        config.ssl.rejectUnauthorized = false
        break
      }
      case 'require': {
        if (config.sslrootcert) {
          // If a root CA is specified, behavior of `sslmode=require` will be the same as that of `verify-ca`
          config.ssl.checkServerIdentity = function () {}
        } else {
          config.ssl.rejectUnauthorized = false
        }
        break
      }
      case 'verify-ca': {
        if (!config.ssl.ca) {
          throw new Error(
            'SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert. If a public CA is used, verify-ca allows connections to a server that somebody else may have registered with the CA, making you vulnerable to Man-in-the-Middle attacks. Either specify a custom CA certificate with sslrootcert parameter or use sslmode=verify-full for proper security.'
          )
        }
        config.ssl.checkServerIdentity = function () {}
        break
      }
      case 'verify-full': {
        break
      }
    }
  } else {
    switch (config.sslmode) {
      case 'disable': {
        config.ssl = false
        break
      }
      case 'prefer':
      case 'require':
      case 'verify-ca':
      case 'verify-full': {
        if (config.sslmode !== 'verify-full') {
          deprecatedSslModeWarning(config.sslmode)
        }
        break
      }
      case 'no-verify': {
        config.ssl.rejectUnauthorized = false
        break
      }
    }
  }

  return config
}

// convert pg-connection-string ssl config to a ClientConfig.ConnectionOptions
function toConnectionOptions(sslConfig) {
  const connectionOptions = Object.entries(sslConfig).reduce((c, [key, value]) => {
    // we explicitly check for undefined and null instead of `if (value)` because some
    // options accept falsy values. Example: `ssl.rejectUnauthorized = false`
    if (value !== undefined && value !== null) {
      c[key] = value
    }

    return c
  }, Object.create(null))

  return connectionOptions
}

// convert pg-connection-string config to a ClientConfig
function toClientConfig(config) {
  const poolConfig = Object.entries(config).reduce((c, [key, value]) => {
    if (key === 'ssl') {
      const sslConfig = value

      if (typeof sslConfig === 'boolean') {
        c[key] = sslConfig
      }

      if (typeof sslConfig === 'object') {
        c[key] = toConnectionOptions(sslConfig)
      }
    } else if (value !== undefined && value !== null) {
      if (key === 'port') {
        // when port is not specified, it is converted into an empty string
        // we want to avoid NaN or empty string as a values in ClientConfig
        if (value !== '') {
          const v = parseInt(value, 10)
          if (isNaN(v)) {
            throw new Error(`Invalid ${key}: ${value}`)
          }

          c[key] = v
        }
      } else {
        c[key] = value
      }
    }

    return c
  }, Object.create(null))

  return poolConfig
}

// parses a connection string into ClientConfig
function parseIntoClientConfig(str) {
  return toClientConfig(parse(str))
}

function deprecatedSslModeWarning(sslmode) {
  if (!deprecatedSslModeWarning.warned && typeof process !== 'undefined' && process.emitWarning) {
    deprecatedSslModeWarning.warned = true
    process.emitWarning(`SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'.
In the next major version (pg-connection-string v3.0.0 and pg v9.0.0), these modes will adopt standard libpq semantics, which have weaker security guarantees.

To prepare for this change:
- If you want the current behavior, explicitly use 'sslmode=verify-full'
- If you want libpq compatibility now, use 'uselibpqcompat=true&sslmode=${sslmode}'

See https://www.postgresql.org/docs/current/libpq-ssl.html for libpq SSL mode definitions.`)
  }
}

module.exports = parse

parse.parse = parse
parse.toClientConfig = toClientConfig
parse.parseIntoClientConfig = parseIntoClientConfig


/***/ }),

/***/ 73670:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 24 modules
var src = __webpack_require__(37464);
// EXTERNAL MODULE: ./node_modules/pg-connection-string/index.js
var pg_connection_string = __webpack_require__(26122);
;// CONCATENATED MODULE: ./node_modules/pg-connection-string/esm/index.mjs
// ESM wrapper for pg-connection-string


// Re-export the parse function
/* harmony default export */ const esm = (pg_connection_string.parse);
const parse = pg_connection_string.parse
const toClientConfig = pg_connection_string.toClientConfig
const parseIntoClientConfig = pg_connection_string.parseIntoClientConfig

;// CONCATENATED MODULE: ./packages/db/src/url.ts

const DIALECTS = {
    'postgres:': 'postgres',
    'postgresql:': 'postgres',
    'mysql:': 'mysql',
    'mariadb:': 'mysql',
};
const DEFAULT_PORT = { postgres: 5432, mysql: 3306 };
const SECRET_PARAMS = new Set(['password', 'sslpassword']);
const base64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const base64url = (text) => Buffer.from(text, 'utf8').toString('base64url');
/** The raw, still-encoded value of a query parameter, as the URL text spells it. */
function rawParam(text, name) {
    const found = [];
    for (const [, value] of text.matchAll(new RegExp(`[?&]${name}=([^&#]*)`, 'gi')))
        found.push(value);
    return found;
}
/** Every encoding of one secret value a tool could print. */
function secretFormsOf(value) {
    if (!value)
        return [];
    return [
        value,
        encodeURIComponent(value),
        new URLSearchParams({ v: value }).toString().slice(2),
        base64(value),
        base64url(value),
    ];
}
/** Parses a database URL; throws an Error whose message never quotes the URL. */
function parseDatabaseUrl(input) {
    const text = input.trim();
    if (text.length > 8192)
        throw new Error(`is ${text.length} characters long (at most 8192)`);
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*:)\/\//.exec(text)?.[1].toLowerCase();
    if (!scheme)
        throw new Error('is not a URL');
    const dialect = DIALECTS[scheme];
    if (!dialect)
        throw new Error(`uses ${scheme} (supported: postgres://, postgresql://, mysql://, mariadb://)`);
    if (/[\s\0]/.test(text))
        throw new Error('contains a space, a line break or NUL (%-encode them)');
    // The userinfo as written (pg-connection-string accepts an empty host, which WHATWG URL does not).
    const rawUserinfo = /^[^:]+:\/\/([^@/?#]*)@/.exec(text)?.[1] ?? '';
    const rawPassword = rawUserinfo.includes(':') ? rawUserinfo.slice(rawUserinfo.indexOf(':') + 1) : '';
    const query = new URLSearchParams(text.includes('?') ? text.slice(text.indexOf('?') + 1).split('#')[0] : '');
    const params = {};
    for (const [key, value] of query)
        if (!SECRET_PARAMS.has(key))
            params[key] = value;
    let host;
    let port;
    let database;
    let user;
    let password;
    try {
        if (dialect === 'postgres') {
            // Certificate files are read by the driver when it connects, not while the inputs are checked.
            const forParsing = text.replace(/([?&])(sslcert|sslkey|sslrootcert)=[^&#]*/g, '$1_$2=');
            const config = parse(forParsing);
            host = config.host ?? '';
            port = config.port ? Number(config.port) : DEFAULT_PORT.postgres;
            database = config.database ?? params.dbname ?? '';
            user = config.user ?? '';
            password = config.password ?? '';
        }
        else {
            const url = new URL(text);
            host = params.socket ?? params.socketPath ?? url.hostname.replace(/^\[(.*)\]$/, '$1');
            port = url.port ? Number(url.port) : DEFAULT_PORT.mysql;
            database = decodeURIComponent(url.pathname.replace(/^\//, ''));
            user = decodeURIComponent(url.username);
            password = query.get('password') ?? decodeURIComponent(url.password);
        }
    }
    catch {
        throw new Error('could not be parsed (check the port and the %-encoding)');
    }
    if (!host)
        throw new Error(`has no host (give HOST, or ${dialect === 'postgres' ? '?host=/socket/dir' : '?socket=/path/mysqld.sock'})`);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error('has a port outside 1-65535');
    if (!database || database.includes('/'))
        throw new Error('names no database (add /DBNAME after the host)');
    // PostgreSQL truncates names to 63 bytes (NAMEDATALEN - 1), MySQL refuses names over 64 characters.
    const maxName = dialect === 'postgres' ? 63 : 64;
    if (Buffer.byteLength(database) > maxName)
        throw new Error(`names a database longer than ${maxName} bytes`);
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

;// CONCATENATED MODULE: ./packages/db/src/connection.ts

/**
 * Connections for PostgreSQL (node-postgres) and MySQL/MariaDB (mysql2) behind one small interface, so
 * the lock and the SQL-file runner are written once for both engines. The drivers are loaded when the
 * first connection is made, so an action that never connects (another provider, another mode) never
 * pays for them at start.
 */

async function connection_connect(db, options = {}) {
    return db.dialect === 'postgres' ? connectPostgres(db, options) : connectMysql(db, options);
}
async function connectPostgres(db, options) {
    const { default: pg } = await __webpack_require__.e(/* import() */ 849).then(__webpack_require__.bind(__webpack_require__, 83849));
    const client = new pg.Client({
        connectionString: db.text,
        application_name: options.applicationName?.slice(0, 63),
        connectionTimeoutMillis: options.connectTimeoutMs ?? 15_000,
        // A runner that vanishes without closing its socket still loses its session (and its locks) soon.
        keepAlive: true,
    });
    const listeners = [];
    let closing = false;
    client.on('error', (error) => {
        if (!closing)
            for (const listener of listeners.splice(0))
                listener(error);
    });
    await client.connect();
    const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
    return {
        dialect: 'postgres',
        sessionId: pid,
        async query(sql, params) {
            return (await client.query(sql, params)).rows;
        },
        async exec(script) {
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
async function connectMysql(db, options) {
    const { default: mysql } = await __webpack_require__.e(/* import() */ 588).then(__webpack_require__.t.bind(__webpack_require__, 27588, 19));
    const connection = await mysql.createConnection({
        ...mysqlOptions(db),
        multipleStatements: true,
        connectTimeout: options.connectTimeoutMs ?? 15_000,
        enableKeepAlive: true,
        connectAttributes: options.applicationName ? { program_name: options.applicationName } : undefined,
    });
    const listeners = [];
    let closing = false;
    connection.on('error', (error) => {
        if (!closing)
            for (const listener of listeners.splice(0))
                listener(error);
    });
    return {
        dialect: 'mysql',
        sessionId: connection.threadId,
        async query(sql, params) {
            const [rows] = await connection.query(sql, params);
            return (Array.isArray(rows) ? rows : []);
        },
        async exec(script) {
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
function quoteIdentifier(dialect, name) {
    const q = dialect === 'postgres' ? '"' : '`';
    return name
        .split('.')
        .map((part) => `${q}${part.split(q).join(q + q)}${q}`)
        .join('.');
}
/** Cancels what another session is running (from a second connection): how a run stops a migration mid-way. */
async function cancelSession(via, sessionId) {
    if (via.dialect === 'postgres')
        await via.query('SELECT pg_cancel_backend($1)', [sessionId]);
    else
        await via.query(`KILL QUERY ${Number(sessionId)}`);
}
/**
 * mysql2 options from the URL, its query options kept: mysql2's own (`ssl` as JSON, `charset`,
 * `timezone`, `connectTimeout`...), a Unix `socket`, and the TLS spellings other tools use in the same
 * URL (`ssl-mode`/`sslmode` of the mysql client, Prisma's `sslaccept`), so the lock connection is as
 * secure as the tool's.
 */
function mysqlOptions(db) {
    const out = { user: db.user || undefined, password: db.password || undefined, database: db.database };
    if (db.socket)
        out.socketPath = db.host;
    else
        Object.assign(out, { host: db.host, port: db.port });
    const p = db.params;
    if (p.charset)
        out.charset = p.charset;
    if (p.timezone)
        out.timezone = p.timezone;
    if (p.connectTimeout && /^\d+$/.test(p.connectTimeout))
        out.connectTimeout = Number(p.connectTimeout);
    const mode = (p['ssl-mode'] ?? p.sslmode ?? '').toUpperCase();
    const accept = (p.sslaccept ?? '').toLowerCase();
    if (p.ssl !== undefined) {
        try {
            const ssl = JSON.parse(p.ssl);
            if (ssl && typeof ssl === 'object')
                out.ssl = ssl;
            else if (ssl === true)
                out.ssl = {};
        }
        catch {
            out.ssl = p.ssl; // a named profile such as "Amazon RDS"
        }
    }
    else if (mode === 'VERIFY_IDENTITY' || mode === 'VERIFY_CA' || accept === 'strict')
        out.ssl = {};
    else if (mode === 'REQUIRED' || accept === 'accept_invalid_certs')
        out.ssl = { rejectUnauthorized: false };
    return out;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./packages/db/src/lock.ts


/** Derives a stable lock id from any text: the first 8 bytes of its SHA-256 (pg), or a hex name (MySQL). */
function lockIdentity(dialect, key) {
    const digest = (0,external_node_crypto_.createHash)('sha256').update(key).digest();
    const id = dialect === 'postgres'
        ? digest.readBigInt64BE(0).toString()
        : `run-migrations:${digest.toString('hex').slice(0, 40)}`;
    return { key, id };
}
class AdvisoryLock {
    connection;
    identity;
    held = false;
    constructor(connection, key) {
        this.connection = connection;
        this.identity = lockIdentity(connection.dialect, key);
    }
    get isHeld() {
        return this.held;
    }
    async tryAcquire() {
        const sql = this.connection.dialect === 'postgres'
            ? 'SELECT pg_try_advisory_lock($1::bigint) AS ok'
            : 'SELECT GET_LOCK(?, 0) AS ok';
        const [row] = await this.connection.query(sql, [this.identity.id]);
        this.held = row?.ok === true || Number(row?.ok) === 1;
        return this.held;
    }
    /** Releases the lock; true when it was held. Closing the connection releases it too. */
    async release() {
        if (!this.held)
            return false;
        const sql = this.connection.dialect === 'postgres'
            ? 'SELECT pg_advisory_unlock($1::bigint) AS ok'
            : 'SELECT RELEASE_LOCK(?) AS ok';
        const [row] = await this.connection.query(sql, [this.identity.id]);
        this.held = false;
        return row?.ok === true || Number(row?.ok) === 1;
    }
    /** Who holds the lock, as far as the server tells us (stable while it holds it, so the wait logs it once); undefined when nobody or we cannot see. */
    async holder() {
        try {
            return this.connection.dialect === 'postgres' ? await this.postgresHolder() : await this.mysqlHolder();
        }
        catch {
            return undefined;
        }
    }
    async postgresHolder() {
        const key = BigInt.asUintN(64, BigInt(this.identity.id));
        const rows = await this.connection.query(`SELECT l.pid, a.application_name, a.usename, host(a.client_addr) AS client
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [(key >> 32n).toString(), (key & 0xffffffffn).toString()]);
        const row = rows[0];
        if (!row)
            return undefined;
        const parts = [
            row.application_name ? `"${row.application_name}"` : undefined,
            row.usename ? `user ${row.usename}` : undefined,
            row.client ? `from ${row.client}` : undefined,
        ].filter(Boolean);
        return `session pid ${row.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`;
    }
    async mysqlHolder() {
        const [used] = await this.connection.query('SELECT IS_USED_LOCK(?) AS id', [
            this.identity.id,
        ]);
        if (used?.id === null || used?.id === undefined)
            return undefined;
        const [info] = await this.connection.query('SELECT USER AS user, HOST AS host FROM information_schema.PROCESSLIST WHERE ID = ?', [used.id]);
        if (!info)
            return `connection ${used.id}`;
        return `connection ${used.id} (user ${info.user}, from ${info.host.replace(/:\d+$/, '')})`;
    }
}
/** Takes the lock, polling with backoff until `timeoutMs`; throws the toolkit's TimeoutError naming the holder. */
async function acquireLock(lock, options) {
    const signal = options.signal;
    // The toolkit's poll sleeps through its clock: this one wakes up (rejecting) when the run is cancelled.
    const clock = {
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve, reject) => {
            if (signal?.aborted)
                return reject(signal.reason);
            const onAbort = () => {
                clearTimeout(timer);
                reject(signal?.reason);
            };
            const timer = setTimeout(() => {
                signal?.removeEventListener('abort', onAbort);
                resolve();
            }, ms);
            signal?.addEventListener('abort', onAbort, { once: true });
        }),
    };
    let waitedFor;
    const { elapsedMs } = await (0,src/* poll */.wt)({
        what: `migration lock "${lock.identity.key}"`,
        timeoutMs: options.timeoutMs,
        initialMs: 200,
        maxMs: 5000,
        progressEveryMs: options.progressEveryMs ?? 15_000,
        clock,
        log: options.log,
        timeoutHint: 'Another run is still migrating this database (or died holding a session that the server has not closed yet). Wait for it, raise lock-timeout, or end that session.',
        check: async () => {
            if (await lock.tryAcquire())
                return { done: true, value: undefined };
            const holder = (await lock.holder()) ?? 'another session';
            waitedFor ??= holder;
            return { done: false, status: `waiting for ${holder}` };
        },
    });
    return { waitedMs: elapsedMs, waitedFor };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./packages/db/src/sql-migrations.ts




const NO_TRANSACTION = /^\s*--\s*run-migrations:\s*no-transaction\s*$/im;
function checksum(sql) {
    return (0,external_node_crypto_.createHash)('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
/** The `.sql` files directly in `dir` (down migrations, `*.down.sql`, skipped), in natural name order. */
function readMigrationFiles(dir, dialect) {
    return (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.sql') && !e.name.endsWith('.down.sql'))
        .map((e) => e.name)
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .map((name) => {
        const sql = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, name), 'utf8');
        return { name, sql, checksum: checksum(sql), transactional: dialect === 'postgres' && !NO_TRANSACTION.test(sql) };
    });
}
function planMigrations(files, history) {
    const byName = new Map(history.map((row) => [row.name, row]));
    const names = new Set(files.map((f) => f.name));
    const plan = {
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
        if (!row)
            plan.pending.push(file);
        else if (!row.dirty && row.checksum !== file.checksum)
            plan.changed.push({ file, row });
    }
    return plan;
}
/** A migration file that failed, with where in the file when the server says. */
class MigrationFailed extends Error {
    file;
    reason;
    leftDirty;
    name = 'MigrationFailed';
    constructor(file, reason, leftDirty) {
        super(`${file} failed: ${reason}`);
        this.file = file;
        this.reason = reason;
        this.leftDirty = leftDirty;
    }
}
class MigrationHistory {
    connection;
    tableName;
    table;
    constructor(connection, tableName) {
        this.connection = connection;
        this.tableName = tableName;
        this.table = quoteIdentifier(connection.dialect, tableName);
    }
    async ensure() {
        const sql = this.connection.dialect === 'postgres'
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
    async rows() {
        if (!(await this.exists()))
            return [];
        const rows = await this.connection.query(`SELECT name, checksum, applied_at, duration_ms, applied_by, dirty FROM ${this.table} ORDER BY applied_at, name`);
        return rows.map((r) => ({ ...r, dirty: Boolean(r.dirty), duration_ms: Number(r.duration_ms) }));
    }
    async exists() {
        const parts = this.tableName.split('.');
        if (this.connection.dialect === 'postgres') {
            const [row] = await this.connection.query('SELECT to_regclass($1) AS oid', [this.table]);
            return Boolean(row?.oid);
        }
        const [schema, table] = parts.length === 2 ? parts : [undefined, parts[0]];
        const rows = await this.connection.query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?', [schema ?? null, table]);
        return rows.length > 0;
    }
    /** Applies one file and records it; returns how long it took. */
    async apply(file, appliedBy) {
        const started = Date.now();
        const c = this.connection;
        const p = (n) => (c.dialect === 'postgres' ? `$${n}` : '?');
        const insert = `INSERT INTO ${this.table} (name, checksum, applied_by, dirty, duration_ms) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`;
        const finish = `UPDATE ${this.table} SET dirty = false, duration_ms = ${p(1)} WHERE name = ${p(2)}`;
        if (file.transactional) {
            await c.exec('BEGIN');
            try {
                await c.exec(file.sql);
                await c.query(insert, [file.name, file.checksum, appliedBy, false, Date.now() - started]);
                await c.exec('COMMIT');
            }
            catch (error) {
                await c.exec('ROLLBACK').catch(() => undefined);
                throw new MigrationFailed(file.name, describeError(error, file.sql), false);
            }
            return Date.now() - started;
        }
        // Recorded dirty before it starts, so a failure half-way stops every later run until someone looks.
        await c.query(insert, [file.name, file.checksum, appliedBy, true, 0]);
        try {
            await c.exec(file.sql);
        }
        catch (error) {
            throw new MigrationFailed(file.name, describeError(error, file.sql), true);
        }
        const duration = Date.now() - started;
        await c.query(finish, [duration, file.name]);
        return duration;
    }
}
/** The server's message, with the line it points at (PostgreSQL gives a character position). */
function describeError(error, sql) {
    const e = error;
    let text = (e.message ?? String(error)).split('\n')[0];
    const position = Number(e.position);
    if (position > 0)
        text += ` (line ${sql.slice(0, position - 1).split('\n').length})`;
    if (e.code)
        text += ` [${e.code}]`;
    return text;
}

;// CONCATENATED MODULE: ./packages/db/src/libpq-env.ts
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
const LIBPQ_ENV = {
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
function libpqEnv(db, appName) {
    const env = {
        PGHOST: db.host,
        PGPORT: String(db.port),
        PGDATABASE: db.database,
    };
    if (db.user)
        env.PGUSER = db.user;
    if (db.password)
        env.PGPASSWORD = db.password;
    for (const [key, value] of Object.entries(db.params)) {
        const name = LIBPQ_ENV[key];
        if (name)
            env[name] = value;
    }
    const mode = db.params.sslmode;
    if (mode === 'no-verify')
        env.PGSSLMODE = 'require';
    else if (mode !== undefined && !LIBPQ_SSLMODES.has(mode))
        delete env.PGSSLMODE;
    if (!mode && (db.params.ssl === 'true' || db.params.ssl === '1'))
        env.PGSSLMODE = 'require';
    if (appName && !env.PGAPPNAME)
        env.PGAPPNAME = appName;
    return env;
}
/** `base` without libpq's variables, with the URL's instead. */
function libpq_env_withLibpqEnv(base, db, appName) {
    const out = {};
    for (const [key, value] of Object.entries(base))
        if (!/^PG[A-Z_]+$/.test(key))
            out[key] = value;
    return { ...out, ...libpqEnv(db, appName) };
}

;// CONCATENATED MODULE: ./packages/db/src/pg-dump.ts




/**
 * pg_dump with the client major matched to the server's. Debian and Ubuntu (GitHub's runners) install
 * each major under /usr/lib/postgresql/<major>/bin and put a wrapper on PATH that runs the newest one,
 * which is how runners end up with "aborting because of server version mismatch". We pick the exact
 * binary, and say which package to install when it is missing.
 */
const POSTGRESQL_ROOT = '/usr/lib/postgresql';
/** Majors with a pg_dump under `root`, newest first. */
function installedMajors(root = POSTGRESQL_ROOT) {
    let entries;
    try {
        entries = readdirSync(root);
    }
    catch {
        return [];
    }
    return entries
        .filter((m) => /^\d+(\.\d+)?$/.test(m) && existsSync(join(root, m, 'bin', 'pg_dump')))
        .sort((a, b) => Number(b) - Number(a));
}
/** The pg_dump of the server's major version, or a UserError naming the package that provides it. */
function findPgDump(serverMajor, root = POSTGRESQL_ROOT) {
    const installed = installedMajors(root);
    if (installed.includes(serverMajor))
        return { path: join(root, serverMajor, 'bin', 'pg_dump'), major: serverMajor };
    const found = installed.length ? `installed: ${installed.join(', ')}` : 'none installed';
    throw new UserError(`pg_dump ${serverMajor} is missing (the server runs PostgreSQL ${serverMajor}; ${found} under ${root}): ` +
        `install the package postgresql-client-${serverMajor} before this step, e.g. ` +
        `"sudo apt-get install -y postgresql-client-${serverMajor}" with the PGDG apt repository`);
}
/**
 * Dumps to a custom-format archive (`pg_restore` reads it, selectively and in parallel). The whole
 * connection, password included, travels in libpq's environment variables (libpq-env.ts), never on the
 * command line where `ps` would show it.
 */
async function pgDump(options) {
    const { db } = options;
    mkdirSync(dirname(options.file), { recursive: true });
    const args = [
        '--format=custom',
        `--compress=${options.compression ?? 6}`,
        '--no-password',
        '--verbose',
        `--file=${options.file}`,
    ];
    // The toolkit's runner: no INPUT_*/STATE_* or runner tokens for the child, lines redacted, stopped on the signal.
    const result = await execTool(options.pgDump, args, {
        env: withLibpqEnv(options.env ?? process.env, db, 'deploy-actions snapshot-db'),
        signal: options.signal,
        onLine: (line) => options.onLine?.(line),
        tailLines: 20,
    });
    if (result.stopped)
        throw new UserError(`pg_dump was stopped (${result.stopped}); the dump is incomplete`);
    if (result.code !== 0) {
        const tail = result.error ? [result.error] : result.tail;
        const errors = tail.filter((l) => /error|fatal|abort/i.test(l));
        throw new UserError(`pg_dump exited with ${result.code}: ${(errors.length ? errors : tail.slice(-3)).join(' | ')}`);
    }
    return { bytes: statSync(options.file).size, durationMs: result.durationMs };
}

;// CONCATENATED MODULE: ./packages/db/src/server-version.ts

function majorOf(num) {
    return num >= 100_000
        ? String(Math.floor(num / 10_000))
        : `${Math.floor(num / 10_000)}.${Math.floor(num / 100) % 100}`;
}
async function serverVersion(db) {
    const connection = await connect(db, { applicationName: 'deploy-actions snapshot-db' });
    try {
        const [row] = await connection.query("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text");
        const num = Number(row.num);
        return { num, major: majorOf(num), text: row.text };
    }
    finally {
        await connection.close();
    }
}

;// CONCATENATED MODULE: ./packages/db/src/index.ts








;// CONCATENATED MODULE: ./actions/run-migrations/src/cancellation.ts

/**
 * The run's one AbortSignal: the lifecycle's (cancellation by the runner, and the step's `timeout`), plus
 * the run's own reasons to stop (a lost lock connection). Its reason says what was stopped: on a
 * cancellation or the timeout the tool (or the container, the running statement, the Cloud Run
 * execution) is stopped and the lock released before the step ends.
 */
class Cancelled extends src/* UserError */.yo {
    name = 'Cancelled';
}
/** The lifecycle's reasons, in words about the migration. */
function explain(reason) {
    const error = reason;
    if (error?.name === 'CancelledError') {
        const signal = /\((SIG[A-Z]+)\)/.exec(error.message)?.[1] ?? 'cancelled';
        return new Cancelled(`Cancelled (${signal}): the migration was stopped and the lock released`);
    }
    if (error instanceof Error && /timeout/i.test(error.name))
        return new src/* UserError */.yo(`${error.message.replace(/; raise.*$/, '')}: the migration was stopped and the lock released. Raise "timeout" if it needs longer`);
    return reason;
}
function cancellationFrom(parent, log) {
    const controller = new AbortController();
    const follow = () => {
        if (controller.signal.aborted)
            return;
        const reason = explain(parent.reason);
        if (reason instanceof Cancelled) {
            const signal = /\((SIG[A-Z]+)\)/.exec(reason.message)?.[1] ?? 'a cancellation';
            log(`Received ${signal}: stopping the migration and releasing the lock`);
        }
        controller.abort(reason);
    };
    if (parent.aborted)
        follow();
    else
        parent.addEventListener('abort', follow, { once: true });
    return {
        signal: controller.signal,
        abort(error) {
            if (!controller.signal.aborted)
                controller.abort(error);
        },
        dispose() {
            parent.removeEventListener('abort', follow);
        },
    };
}

;// CONCATENATED MODULE: ./packages/registry/src/reference.ts
/**
 * The one image reference grammar of the suite (distribution/reference, as Docker parses it):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] path-component ["/" path-component]*   (at most 255 characters in all)
 *   domain    := host [":" port]; host is a DNS name, an IPv4 address or a bracketed IPv6 address
 *   path-component := [a-z0-9]+ ( ([._] | "__" | "-"+) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := sha256:<64 hex> | sha512:<128 hex>
 *
 * The first path component is a registry host when it has a dot or a port, is `localhost`, or has
 * uppercase letters (Docker's splitDockerDomain rule); the host is case-insensitive and is returned in
 * lowercase, so `Registry.Example.com/app:1` and `registry.example.com/app:1` are the same image. Docker
 * Hub names get their `library/` prefix and the real API host. Every action that takes an image parses it
 * here. Also decides which registries may be spoken to over plain HTTP.
 */
/** Limits of the grammar: the whole name (host included) and a tag. */
const NAME_MAX_LENGTH = 255;
const TAG_MAX_LENGTH = 128;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const ANY_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;
class BadReferenceError extends Error {
    name = 'BadReferenceError';
}
/** Shows a value in an error without flooding it (a 100 KB input) or breaking the line. */
function shown(value) {
    const line = value.replace(/[\r\n\t]/g, ' ');
    return line.length > 80 ? `${line.slice(0, 60)}... (${value.length} characters)` : line;
}
/** Whether the first component of `name/...` is a registry host (Docker's rule). */
function isDomain(first) {
    return first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
}
/** Parses a reference; throws a BadReferenceError that says what is wrong (the caller names the input). */
function parseReference(text, options = {}) {
    const value = text.trim();
    if (!value)
        throw new BadReferenceError('is empty');
    const quoted = `"${shown(value)}"`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
    if (/[\0-\x1f\x7f]/.test(value))
        throw new BadReferenceError(`${quoted} is invalid: it contains line breaks or control characters`);
    if (value.length > NAME_MAX_LENGTH + TAG_MAX_LENGTH + 140)
        throw new BadReferenceError(`${quoted} is too long to be an image reference`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
        throw new BadReferenceError(`${quoted} has a URL scheme; write it as registry/name:tag without one`);
    let rest = value;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!ANY_DIGEST.test(digest))
            throw new BadReferenceError(`${quoted} has a malformed digest (want sha256: and 64 lowercase hex digits)`);
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw new BadReferenceError(`${quoted} has an invalid tag "${shown(tag)}" (letters, digits, _ . -, not starting with . or -, at most ${TAG_MAX_LENGTH})`);
    }
    const parts = rest.split('/');
    let registry = options.defaultRegistry ?? 'docker.io';
    if (parts.length > 1 && isDomain(parts[0])) {
        registry = parts.shift();
        if (!HOST.test(registry))
            throw new BadReferenceError(`${quoted} has an invalid registry host "${shown(registry)}"`);
        const port = /:(\d+)$/.exec(registry);
        if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535))
            throw new BadReferenceError(`${quoted} has an invalid port in "${registry}"`);
        registry = registry.toLowerCase();
    }
    if (!parts.length || parts.some((p) => !p))
        throw new BadReferenceError(`${quoted} has an empty name component`);
    for (const part of parts) {
        if (!COMPONENT.test(part)) {
            const hint = part !== part.toLowerCase() ? ' (repository names must be lowercase)' : '';
            throw new BadReferenceError(`${quoted} has an invalid name component "${shown(part)}"${hint}`);
        }
    }
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io')
        registry = 'docker.io';
    if (registry === 'docker.io' && parts.length === 1)
        parts.unshift('library');
    const repository = parts.join('/');
    if (`${registry}/${repository}`.length > NAME_MAX_LENGTH || repository.length > NAME_MAX_LENGTH)
        throw new BadReferenceError(`${quoted} has a name longer than ${NAME_MAX_LENGTH} characters`);
    return { registry, repository, tag, digest };
}
/** `registry/repository[:tag][@digest]`, the canonical form of a parsed reference. */
function formatReference(ref) {
    return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
/** Whether a first path component names a registry (so `app:1` is local but `ghcr.io/org/app:1` is not). */
function hasRegistryHost(text) {
    const first = text.split('/')[0];
    return text.includes('/') && isDomain(first);
}
/** The host the API is served from: Docker Hub's differs from its name. */
function apiHost(registry) {
    return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}
/** Loopback registries may be plain HTTP, as Docker allows (127.0.0.0/8, ::1, localhost). */
function isLoopback(registry) {
    const host = hostOf(registry).toLowerCase();
    return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
/** The host without its port (IPv6 brackets removed). */
function hostOf(registry) {
    if (registry.startsWith('['))
        return registry.slice(1, registry.indexOf(']'));
    return registry.replace(/:\d+$/, '');
}
function isValidHost(text) {
    return text.length <= 255 && HOST.test(text);
}

// EXTERNAL MODULE: ./packages/toolkit/src/errors.ts
var errors = __webpack_require__(72087);
;// CONCATENATED MODULE: ./packages/aws/src/region.ts

/**
 * The AWS region rule of the suite: the form every AWS partition's region names take (`eu-west-1`,
 * `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`), and where a region comes from when the input is empty
 * (AWS_REGION, then AWS_DEFAULT_REGION, as the SDK and aws-actions/configure-aws-credentials have it).
 * No SDK is loaded here: actions check it with their inputs, before any call.
 */
const AWS_REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** The region to use, from the input or the environment; an InputError naming `input` when none or not a region. */
function awsRegion(input, given, env, quote) {
    const region = given || env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (!region)
        throw new errors/* InputError */.dz(input, 'is empty and AWS_REGION is not set', `set ${input}, e.g. us-east-1, or configure credentials first`);
    if (!AWS_REGION_PATTERN.test(region))
        throw new errors/* InputError */.dz(input, `${quote(region)} is not an AWS region`, 'write e.g. eu-west-1');
    return region;
}

;// CONCATENATED MODULE: ./actions/run-migrations/src/ecs-task-inputs.ts


const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
const ECS_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:[a-z-]+\/[A-Za-z0-9/_:.-]+$/;
const TASK_DEFINITION = /^[A-Za-z0-9_-]{1,255}(:\d+)?$/;
const STARTED_BY = /^[A-Za-z0-9_-]{1,36}$/;
const show = (v) => JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
function readEcsTask(raw, common, database, image, env) {
    const cluster = raw.cluster || 'default';
    if (!NAME.test(cluster) && !ECS_ARN.test(cluster))
        throw new src/* InputError */.dz('cluster', `${show(cluster)} is not a cluster name or ARN`, 'give the cluster name, e.g. prod');
    if (raw.service && !NAME.test(raw.service) && !ECS_ARN.test(raw.service))
        throw new src/* InputError */.dz('service', `${show(raw.service)} is not a service name or ARN`, 'give the service name');
    if (raw.taskDefinition && !TASK_DEFINITION.test(raw.taskDefinition) && !ECS_ARN.test(raw.taskDefinition))
        throw new src/* InputError */.dz('task-definition', `${show(raw.taskDefinition)} is not a task definition`, 'give family, family:revision or its ARN');
    if (!raw.service && !raw.taskDefinition)
        throw new src/* InputError */.dz('service', 'is required in ecs-task mode (or task-definition)', 'name the service whose task definition and network the migration task uses');
    if (!raw.service && !raw.subnets?.length)
        throw new src/* InputError */.dz('subnets', 'is required with task-definition and no service', 'give the subnets the task runs in, or name the service');
    if (raw.container && !NAME.test(raw.container))
        throw new src/* InputError */.dz('container', `${show(raw.container)} is not a container name`, 'use letters, digits, - and _');
    for (const subnet of raw.subnets ?? [])
        if (!/^subnet-[0-9a-f]{8,17}$/.test(subnet))
            throw new src/* InputError */.dz('subnets', `${show(subnet)} is not a subnet ID`, 'write subnet-0a1b2c3d, one per line');
    for (const group of raw.securityGroups ?? [])
        if (!/^sg-[0-9a-f]{8,17}$/.test(group))
            throw new src/* InputError */.dz('security-groups', `${show(group)} is not a security group ID`, 'write sg-0a1b2c3d, one per line');
    const startedBy = raw.startedBy || 'run-migrations';
    if (!STARTED_BY.test(startedBy))
        throw new src/* InputError */.dz('started-by', `${show(startedBy)} is not a startedBy mark`, 'use up to 36 letters, digits, - and _');
    const region = awsRegion('aws-region', raw.awsRegion, env, show);
    if (common.dryRun)
        throw new src/* InputError */.dz('dry-run', 'is not used in ecs-task mode', 'run the dry run in command or image mode');
    return {
        ...common,
        mode: 'ecs-task',
        database,
        image,
        command: raw.command,
        ecs: {
            region,
            cluster,
            service: raw.service,
            taskDefinition: raw.taskDefinition,
            container: raw.container,
            subnets: raw.subnets ?? [],
            securityGroups: raw.securityGroups ?? [],
            assignPublicIp: raw.assignPublicIp,
            startedBy,
        },
    };
}

;// CONCATENATED MODULE: ./actions/run-migrations/src/inputs.ts






const PROJECT = /^(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+(?:-[a-z]+)+\d{1,2}$/;
const JOB = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SECRET_REF = /^(projects\/[a-z0-9][a-z0-9-]{4,28}[a-z0-9]\/secrets\/[\w-]{1,255}(\/versions\/(\d+|latest))?|[\w-]{1,255}(:(\d+|latest))?)$/;
/** A value for an error message: short, on one line, and never a URL's credentials. */
function inputs_shown(value) {
    const text = value.replace(/\/\/[^/@\s]*@/g, '//***@').replace(/[\r\n]+/g, ' ');
    return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
function readDatabase(text) {
    if (!text)
        return undefined;
    let database;
    try {
        database = parseDatabaseUrl(text);
    }
    catch (error) {
        throw new src/* InputError */.dz('database-url', `the value ${error.message}`, 'pass a URL such as postgres://user:password@host:5432/dbname or mysql://user:password@host:3306/dbname');
    }
    // The URL is masked whole by the reader; mask its password alone too, in every encoding a tool prints.
    for (const form of database.secretForms)
        (0,src/* registerSecret */.cl)(form);
    const why = database.socket ? undefined : (0,src/* forbiddenHost */.sR)(database.host);
    if (why)
        throw new src/* InputError */.dz('database-url', `points at ${why}`, "use the database's own address: metadata and link-local addresses hand out the runner's cloud credentials");
    return database;
}
function readImage(image, mode) {
    if (!image) {
        const fix = mode === 'image'
            ? 'give the image just built, e.g. the build step output'
            : 'give the image pushed to the registry Cloud Run reads';
        throw new src/* InputError */.dz('image', `is required in ${mode} mode`, fix);
    }
    try {
        parseReference(image);
    }
    catch (error) {
        if (!(error instanceof BadReferenceError))
            throw error;
        throw new src/* InputError */.dz('image', `${inputs_shown(image)} is not an image reference`, 'use an image reference such as ghcr.io/acme/api:1.2.3');
    }
    return image;
}
const required = (database) => {
    if (!database)
        throw new src/* InputError */.dz('database-url', 'is required but empty', "pass the database URL from a secret in the step's with: block");
    return database;
};
function validate(raw, env = process.env) {
    const database = readDatabase(raw.databaseUrl);
    const mode = raw.mode;
    const prototypeKey = Object.keys(raw.env).find((k) => k === '__proto__' || k === 'constructor' || k === 'prototype');
    if (prototypeKey)
        throw new src/* InputError */.dz('env', `the key "${prototypeKey}" is not allowed`, 'give environment variable names the tool reads');
    if (raw.databaseUrlEnv in raw.env)
        throw new src/* InputError */.dz('env', `sets ${raw.databaseUrlEnv}, which carries database-url`, 'remove it from env, or change database-url-env');
    const common = {
        databaseUrlEnv: raw.databaseUrlEnv,
        lockKey: raw.lockKey || env.GITHUB_REPOSITORY || 'run-migrations',
        lockTimeoutMs: raw.lockTimeout,
        timeoutMs: raw.timeout,
        dryRun: raw.dryRun,
        env: { ...raw.env },
    };
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    if (mode === 'command') {
        const db = required(database);
        if (!raw.command)
            throw new src/* InputError */.dz('command', 'is required in command mode', 'give the migration command, e.g. npx prisma migrate deploy');
        if (raw.dryRun && !raw.dryRunCommand)
            throw new src/* InputError */.dz('dry-run-command', 'is required for a dry run in command mode', "give the tool's own status/plan command, e.g. npx prisma migrate status");
        const given = raw.workingDirectory;
        const dir = given ? ((0,external_node_path_.isAbsolute)(given) ? given : (0,external_node_path_.resolve)(workspace, given)) : workspace;
        if (given && (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory()))
            throw new src/* InputError */.dz('working-directory', `${inputs_shown(given)} is not a directory`, 'give a folder of the checked-out repository');
        return {
            ...common,
            mode,
            database: db,
            command: raw.command,
            workingDirectory: dir,
            dryRunCommand: raw.dryRunCommand,
        };
    }
    if (mode === 'image') {
        const db = required(database);
        const image = readImage(raw.image, mode);
        if (raw.dryRun && !raw.dryRunCommand)
            throw new src/* InputError */.dz('dry-run-command', 'is required for a dry run in image mode', 'give the command that lists pending migrations inside the image');
        const dir = raw.workingDirectory;
        if (dir && !dir.startsWith('/'))
            throw new src/* InputError */.dz('working-directory', `${inputs_shown(dir)} is not an absolute path`, 'in image mode it is a folder inside the image, e.g. /app');
        return {
            ...common,
            mode,
            database: db,
            image,
            command: raw.command,
            workingDirectory: dir,
            dryRunCommand: raw.dryRunCommand,
        };
    }
    if (mode === 'sql') {
        const db = required(database);
        const given = raw.migrationsDir;
        if (!given)
            throw new src/* InputError */.dz('migrations-dir', 'is required in sql mode', 'give the folder of .sql files, e.g. db/migrations');
        const migrationsDir = (0,external_node_path_.isAbsolute)(given) ? given : (0,external_node_path_.resolve)(workspace, given);
        if (!(0,external_node_fs_.existsSync)(migrationsDir) || !(0,external_node_fs_.statSync)(migrationsDir).isDirectory())
            throw new src/* InputError */.dz('migrations-dir', `${inputs_shown(given)} is not a directory`, 'give a folder of the checked-out repository');
        const files = readMigrationFiles(migrationsDir, db.dialect);
        if (!files.length)
            throw new src/* InputError */.dz('migrations-dir', `${inputs_shown(given)} holds no .sql files`, 'check the path; files are applied in name order (001_x.sql, 002_y.sql)');
        return { ...common, mode, database: db, migrationsDir, files, historyTable: raw.historyTable };
    }
    if (mode === 'ecs-task')
        return readEcsTask(raw, common, database, raw.image ? readImage(raw.image, mode) : undefined, env);
    // cloudrun-job
    const image = readImage(raw.image, mode);
    const secretRef = raw.databaseUrlSecret;
    if (!database && !secretRef)
        throw new src/* InputError */.dz('database-url', 'is required but empty', 'pass the database URL from a secret (for the lock), or database-url-secret to let only the job connect');
    if (raw.dryRun)
        throw new src/* InputError */.dz('dry-run', 'is not used in cloudrun-job mode', 'run the dry run in command or image mode');
    const project = raw.projectId;
    const region = raw.region;
    const job = raw.job;
    if (!project)
        throw new src/* InputError */.dz('project-id', 'is required in cloudrun-job mode', 'give the Google Cloud project ID');
    if (!region)
        throw new src/* InputError */.dz('region', 'is required in cloudrun-job mode', 'give the Cloud Run region, e.g. europe-west1');
    if (!job)
        throw new src/* InputError */.dz('job', 'is required in cloudrun-job mode', 'name the migration job, e.g. api-migrate');
    (0,src/* assertPathSegment */.TR)(project, 'project-id', {
        pattern: PROJECT,
        described: 'a Google Cloud project ID like my-project-123',
    });
    (0,src/* assertPathSegment */.TR)(region, 'region', { pattern: REGION, described: 'a Cloud Run region such as europe-west1' });
    (0,src/* assertPathSegment */.TR)(job, 'job', {
        pattern: JOB,
        described: 'a Cloud Run job name (lowercase letters, digits, hyphens; a letter first; at most 63)',
    });
    if (secretRef !== undefined && (!SECRET_REF.test(secretRef) || secretRef.includes('..')))
        throw new src/* InputError */.dz('database-url-secret', `${inputs_shown(secretRef)} is not a Secret Manager secret`, 'give NAME, NAME:VERSION or projects/P/secrets/NAME/versions/V');
    const endpoint = raw.apiEndpoint
        ? (0,src/* checkCredentialUrl */.Jh)(raw.apiEndpoint, 'api-endpoint').toString().replace(/\/$/, '')
        : undefined;
    return {
        ...common,
        mode,
        database,
        image,
        command: raw.command,
        cloudRun: { project, region, job, endpoint, databaseUrlSecret: secretRef ? secretReference(secretRef) : undefined },
    };
}
/** `NAME`, `NAME:VERSION` or `projects/P/secrets/NAME/versions/V` as Cloud Run's secretKeyRef wants it. */
function secretReference(text) {
    const full = /^(projects\/[^/]+\/secrets\/[\w-]+)(?:\/versions\/(\w+))?$/.exec(text);
    if (full)
        return { secret: full[1], version: full[2] ?? 'latest' };
    const [secret, version = 'latest'] = text.split(':');
    return { secret, version };
}

;// CONCATENATED MODULE: ./actions/run-migrations/src/sql-mode.ts



const quoteSqlString = (text) => `'${text.replace(/'/g, "''")}'`;
/** Reads the history and checks it against the files; throws a UserError on drift or dirt. */
async function checkedPlan(connection, inputs) {
    const history = new MigrationHistory(connection, inputs.historyTable);
    const plan = planMigrations(inputs.files, await history.rows());
    const table = inputs.historyTable;
    if (plan.dirty.length) {
        const row = plan.dirty[0];
        throw new src/* UserError */.yo(`${row.name} was started by ${row.applied_by} at ${new Date(row.applied_at).toISOString()} outside a transaction and did not finish, so the database may be half-migrated. ` +
            `Check which of its statements took effect, complete or undo them by hand, then run DELETE FROM ${table} WHERE name = ${quoteSqlString(row.name)}; and run again`);
    }
    if (plan.changed.length) {
        const { file, row } = plan.changed[0];
        const others = plan.changed.length > 1 ? ` (and ${plan.changed.length - 1} more)` : '';
        throw new src/* UserError */.yo(`${file.name}${others} changed after it was applied at ${new Date(row.applied_at).toISOString()} (checksum ${row.checksum.slice(0, 12)}... recorded, ${file.checksum.slice(0, 12)}... now). ` +
            `Applied migrations must not change: restore the file and put the change in a new migration; if the edit is harmless (a comment), accept it with UPDATE ${table} SET checksum = '${file.checksum}' WHERE name = ${quoteSqlString(file.name)};`);
    }
    for (const row of plan.missing)
        src/* workflow.warning */.kn.warning(`${row.name} is recorded as applied in ${table} but is not in migrations-dir any more`);
    return plan;
}
/** Applies what is pending, one file at a time, filling `outcome` as it goes (so a failure still reports what was applied); a cancellation cancels the running statement. */
async function applySql(inputs, connection, lockConnection, signal, appliedBy, outcome) {
    const history = new MigrationHistory(connection, inputs.historyTable);
    await history.ensure();
    const plan = await checkedPlan(connection, inputs);
    outcome.pending.push(...plan.pending.map((f) => f.name));
    if (!plan.pending.length) {
        src/* workflow.info */.kn.info(`Nothing to apply: all ${inputs.files.length} migrations are in ${inputs.historyTable}`);
        return;
    }
    src/* workflow.info */.kn.info(`${plan.pending.length} pending: ${plan.pending.map((f) => f.name).join(', ')}`);
    // The statement runs on `connection`; the lock connection is free to cancel it. Cancelling again until
    // the file returns covers a cancellation that lands between two statements (BEGIN, the file, the insert).
    let canceller;
    const cancel = () => void cancelSession(lockConnection, connection.sessionId).catch(() => undefined);
    const onAbort = () => {
        cancel();
        canceller = setInterval(cancel, 250);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
        for (const file of plan.pending) {
            if (signal.aborted)
                throw signal.reason;
            outcome.applied.push({ name: file.name, durationMs: await applyOne(history, file, appliedBy, signal) });
            outcome.pending.shift();
        }
    }
    finally {
        signal.removeEventListener('abort', onAbort);
        clearInterval(canceller);
    }
}
async function applyOne(history, file, appliedBy, signal) {
    const how = file.transactional ? '' : ' (no transaction: recorded dirty until it completes)';
    src/* workflow.info */.kn.info(`Applying ${file.name}${how}`);
    try {
        const ms = await history.apply(file, appliedBy);
        src/* workflow.info */.kn.info(`Applied ${file.name} in ${(0,src/* formatDuration */.a3)(ms)}`);
        return ms;
    }
    catch (error) {
        if (signal.aborted)
            throw signal.reason;
        if (error instanceof MigrationFailed) {
            const after = error.leftDirty
                ? ` It ran outside a transaction, so it is recorded dirty in ${history.tableName}: check what it changed before running again.`
                : ' Its transaction was rolled back: nothing of it was applied.';
            throw new src/* UserError */.yo(`Migration ${error.message}.${after}`);
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./actions/run-migrations/src/tool-history.ts
const KNOWN = [
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
/** The first recognised table in the database and its applied rows; undefined when none is there. */
async function readToolHistory(connection) {
    const present = await presentTables(connection);
    for (const known of KNOWN) {
        const actual = present.find((t) => t.toLowerCase() === known.table.toLowerCase());
        if (!actual)
            continue;
        // golang-migrate also calls its table schema_migrations, but keeps one row with a dirty flag.
        if (known.table === 'schema_migrations' && (await hasColumn(connection, actual, 'dirty')))
            continue;
        const q = connection.dialect === 'postgres' ? '"' : '`';
        const nameExpr = connection.dialect === 'mysql' ? known.name.replace(/"/g, '`') : known.name;
        const rows = await connection.query(`SELECT ${nameExpr} AS name FROM ${q}${actual}${q}${known.where ? ` WHERE ${known.where}` : ''}`);
        return { tool: known.tool, names: new Set(rows.map((r) => String(r.name))) };
    }
    return undefined;
}
/** What `after` has that `before` had not, in a stable order. */
function newlyApplied(before, after) {
    if (!after)
        return undefined;
    return [...after.names]
        .filter((n) => !before?.names.has(n))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
async function presentTables(connection) {
    const names = KNOWN.map((k) => k.table.toLowerCase());
    const rows = connection.dialect === 'postgres'
        ? await connection.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ANY (current_schemas(false)) AND lower(table_name) = ANY ($1)', [names])
        : await connection.query(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) IN (${names.map(() => '?').join(', ')})`, names);
    return rows.map((r) => r.name);
}
async function hasColumn(connection, table, column) {
    const sql = connection.dialect === 'postgres'
        ? 'SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2'
        : 'SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?';
    return (await connection.query(sql, [table, column])).length > 0;
}

// EXTERNAL MODULE: ./actions/run-migrations/src/tool-mode.ts
var tool_mode = __webpack_require__(45649);
;// CONCATENATED MODULE: ./actions/run-migrations/src/migrate.ts








/**
 * The migration run, loaded by index.ts once the lifecycle has started (so the step starts without the
 * database drivers and modes). Runs a deploy's database migrations exactly once. The run holds a session-scoped
 * advisory lock on a dedicated connection (a second deploy waits, then finds nothing to do), and the
 * migrations run in the mode asked for: any tool on the runner, the tool inside the image just built,
 * a Cloud Run job, or a folder of plain .sql files. Cancellation stops the tool and releases the lock.
 */
const applicationName = () => `run-migrations ${process.env.GITHUB_REPOSITORY ?? ''} run ${process.env.GITHUB_RUN_ID ?? ''}`.slice(0, 63);
const appliedBy = () => {
    const env = process.env;
    const sha = env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 7)}` : '';
    return `${env.GITHUB_REPOSITORY ?? 'local'}${sha} run ${env.GITHUB_RUN_ID ?? '?'} (${env.GITHUB_ACTOR ?? 'unknown'})`;
};
/** The step's work: read and check the inputs, then migrate (under the lock when the runner reaches the database). */
async function main(ctx) {
    const inputs = validate(ctx.inputs);
    const report = ctx.progress;
    report.mode = inputs.mode;
    report.database = inputs.database;
    const cancellation = cancellationFrom(ctx.signal, (line) => src/* workflow.info */.kn.info(line));
    const target = inputs.database?.describe ?? `reached by the ${inputs.mode === 'ecs-task' ? 'ECS task' : 'Cloud Run job'} only`;
    src/* workflow.info */.kn.info(`Database: ${target} (${inputs.mode} mode${inputs.dryRun ? ', dry run' : ''})`);
    try {
        if (inputs.dryRun)
            await dryRun(inputs, report, cancellation.signal);
        else if (!inputs.database) {
            // cloudrun-job with database-url-secret only (or ecs-task): the job (the started-by mark) serialises the runs.
            await migrate(inputs, report, undefined, cancellation);
        }
        else {
            const database = inputs.database;
            await withLock(inputs, database, report, cancellation, (lockConnection) => migrate(inputs, report, lockConnection, cancellation));
        }
    }
    catch (error) {
        report.status = 'failed';
        const cause = cancellation.signal.aborted ? cancellation.signal.reason : error;
        report.error = cause instanceof Error ? cause.message : String(cause);
        if (error instanceof tool_mode/* ToolFailed */.C)
            report.tail = error.tail;
        throw cause;
    }
    finally {
        cancellation.dispose();
    }
    return report;
}
/** Takes the lock on its own connection, runs `fn`, and releases the lock whatever happens. */
async function withLock(inputs, database, report, cancellation, fn) {
    const connection = await connectOrExplain(database, applicationName());
    const lock = new AdvisoryLock(connection, `${inputs.lockKey}/${database.database}`);
    report.lockKey = lock.identity.key;
    try {
        src/* workflow.info */.kn.info(`Taking the migration lock "${lock.identity.key}" (waiting up to ${(0,src/* formatDuration */.a3)(inputs.lockTimeoutMs)})`);
        const waitStarted = Date.now();
        const acquired = await acquireLock(lock, {
            timeoutMs: inputs.lockTimeoutMs,
            signal: cancellation.signal,
            progressEveryMs: Math.min(15_000, Math.max(1000, inputs.lockTimeoutMs / 6)),
            log: (line) => src/* workflow.info */.kn.info((0,src/* redact */.E$)(line)),
        }).catch((error) => {
            // A run that gave up (or was cancelled) waiting still reports how long it waited.
            report.lockWaitMs = Date.now() - waitStarted;
            throw error;
        });
        report.lockWaitMs = acquired.waitedMs;
        report.waitedFor = acquired.waitedFor;
        src/* workflow.info */.kn.info(acquired.waitedFor
            ? `Lock taken after waiting ${(0,src/* formatDuration */.a3)(acquired.waitedMs)} for ${acquired.waitedFor}`
            : 'Lock taken');
        connection.onLost((error) => cancellation.abort(new src/* UserError */.yo(`The connection holding the lock was lost (${error.message}); stopped, since another run may now start`)));
        await fn(connection);
    }
    finally {
        if (lock.isHeld) {
            try {
                await lock.release();
                src/* workflow.info */.kn.info('Lock released');
            }
            catch (error) {
                src/* workflow.warning */.kn.warning(`Could not release the lock (${(0,src/* redact */.E$)(error.message)}); it ends with the session, now`);
            }
        }
        await connection.close();
    }
}
async function migrate(inputs, report, lockConnection, cancellation) {
    const signal = cancellation.signal;
    if (inputs.mode === 'sql') {
        if (!lockConnection)
            throw new src/* UserError */.yo('sql mode runs only under the lock');
        const connection = await connectOrExplain(inputs.database, `${applicationName().slice(0, 50)} migrate`);
        try {
            const outcome = { applied: [], pending: [] };
            report.applied = outcome.applied;
            report.pending = outcome.pending;
            await applySql(inputs, connection, lockConnection, signal, appliedBy(), outcome);
            report.status = outcome.applied.length ? 'applied' : 'up-to-date';
        }
        finally {
            await connection.close();
        }
        return;
    }
    const before = lockConnection && (await toolHistory(lockConnection));
    if (inputs.mode === 'cloudrun-job') {
        // Loaded only in this mode: the Google client stays out of the other modes' start.
        const { runCloudRunJob } = await __webpack_require__.e(/* import() */ 546).then(__webpack_require__.bind(__webpack_require__, 43546));
        const execution = await runCloudRunJob(inputs, signal, !lockConnection);
        report.execution = execution.name;
        report.logUrl = execution.logUri;
        if (!lockConnection) {
            report.lockKey = `one execution of job ${inputs.cloudRun.job} at a time`;
            report.lockWaitMs = execution.waitedMs;
            report.waitedFor = execution.waitedFor;
        }
    }
    else if (inputs.mode === 'ecs-task') {
        // Loaded only in this mode: the ECS and Logs clients stay out of the other modes' start.
        const { runEcsTaskMode } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(255)]).then(__webpack_require__.bind(__webpack_require__, 48255));
        const outcome = await runEcsTaskMode(inputs, signal, (line) => src/* workflow.info */.kn.info(line));
        report.execution = outcome.taskArn;
        report.logUrl = outcome.consoleUrl;
        if (!lockConnection) {
            report.lockKey = `one task started by "${inputs.ecs.startedBy}" at a time`;
            report.waitedFor = outcome.waitedFor;
        }
    }
    else {
        await (0,tool_mode/* runTool */.q)(inputs, inputs.command, signal);
    }
    const after = lockConnection && (await toolHistory(lockConnection));
    const names = newlyApplied(before, after);
    report.historyFrom = after?.tool;
    if (names) {
        report.applied = names.map((name) => ({ name }));
        report.status = names.length ? 'applied' : 'up-to-date';
        src/* workflow.info */.kn.info(names.length
            ? `Applied ${names.length} (from the ${report.historyFrom ?? 'tool'}'s history): ${names.join(', ')}`
            : 'The tool applied nothing: the database was up to date');
    }
    else {
        report.status = 'applied';
        src/* workflow.info */.kn.info('The migration tool succeeded (its history table is not one this action reads, so the count is unknown)');
    }
}
/** The tool's own history, if we recognise it; a failure to read it only costs the counts. */
async function toolHistory(connection) {
    try {
        return await readToolHistory(connection);
    }
    catch (error) {
        src/* workflow.debug */.kn.debug(`Could not read the tool's history: ${(0,src/* redact */.E$)(error.message)}`);
        return undefined;
    }
}
/** Lists what would run, without the lock (nothing is written), and applies nothing. */
async function dryRun(inputs, report, signal) {
    if (inputs.mode === 'sql') {
        const connection = await connectOrExplain(inputs.database, applicationName());
        try {
            const plan = await checkedPlan(connection, inputs);
            report.pending = plan.pending.map((f) => f.name);
            report.applied = [];
            src/* workflow.info */.kn.info(plan.pending.length
                ? `Would apply ${plan.pending.length}: ${report.pending.join(', ')}`
                : `Nothing pending: all ${inputs.files.length} migrations are applied`);
        }
        finally {
            await connection.close();
        }
    }
    else if (inputs.mode === 'command' || inputs.mode === 'image') {
        await (0,tool_mode/* runTool */.q)(inputs, inputs.dryRunCommand, signal);
    }
    report.status = 'dry-run';
}
async function connectOrExplain(database, name) {
    try {
        return await connection_connect(database, { applicationName: name });
    }
    catch (error) {
        throw new src/* UserError */.yo(`Could not connect to ${database.describe}: ${(0,src/* redact */.E$)(error.message)}. Check database-url and that the runner can reach the database`);
    }
}


/***/ }),

/***/ 45649:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ ToolFailed),
/* harmony export */   q: () => (/* binding */ runTool)
/* harmony export */ });
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37464);


/**
 * Command and image modes: the user's migration tool, either on the runner through a shell, or inside the
 * image just built (so the migrations that run are the ones that ship) with `docker run --network host`.
 * The database URL reaches the tool only through its environment: for the container, `-e NAME` without a
 * value makes Docker copy it from the client's environment, so it is never on a command line. The tool
 * runs through the toolkit's one runner: it never sees the step's INPUT_ and STATE_ variables, its output
 * is redacted line by line (the URL, the password, their URL-encoded and base64 forms), and a cancelled
 * run stops its whole process group.
 */
class ToolFailed extends _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo {
    tail;
    name = 'ToolFailed';
    constructor(message, tail) {
        super(message);
        this.tail = tail;
    }
}
/**
 * The docker client for image mode, from the suite's one engine layer: the first docker on PATH that answers
 * (running a container needs no buildx), its DOCKER_HOST kept. Loaded only in image mode.
 */
async function dockerClient() {
    const { DockerEngine } = await __webpack_require__.e(/* import() */ 950).then(__webpack_require__.bind(__webpack_require__, 25950));
    const engine = new DockerEngine();
    return { file: (await engine.client()).path, env: engine.childEnv() };
}
/** Runs `command` (the migration, or the dry-run command) the way the mode says, until it ends or `signal` fires. */
async function runTool(inputs, command, signal) {
    const extraEnv = { ...inputs.env, [inputs.databaseUrlEnv]: inputs.database.text };
    let file;
    let args;
    let cwd;
    let env;
    let container;
    let what;
    if (inputs.mode === 'image') {
        container = `run-migrations-${process.env.GITHUB_RUN_ID ?? 'local'}-${process.pid}-${Date.now().toString(36)}`;
        ({ file, env } = await dockerClient());
        args = ['run', '--rm', '--name', container, '--network', 'host', '-e', inputs.databaseUrlEnv];
        for (const name of Object.keys(inputs.env))
            args.push('-e', name);
        if (inputs.workingDirectory)
            args.push('--workdir', inputs.workingDirectory);
        // With a command, the image's shell runs it; without one, the image's own entrypoint and CMD do.
        args.push(...(command ? ['--entrypoint', '/bin/sh', inputs.image, '-c', command] : [inputs.image]));
        what = command ? `"${command}" in ${inputs.image}` : `${inputs.image}`;
    }
    else {
        file = '/bin/sh';
        args = ['-c', command ?? inputs.command];
        cwd = inputs.workingDirectory;
        what = `"${command ?? inputs.command}"`;
    }
    _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .workflow.info */ .kn.info((0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(`Running ${what}`));
    const child = (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .spawnTool */ .My)(file, args, { cwd, env, extraEnv, onLine: (line) => _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .workflow.info */ .kn.info(line) });
    const onAbort = () => {
        _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .workflow.info */ .kn.info(`Stopping ${container ? `container ${container}` : `process group ${child.pid}`}`);
        child.stop('cancelled');
        if (container)
            void removeContainer(file, env, container);
    };
    if (signal.aborted)
        onAbort();
    else
        signal.addEventListener('abort', onAbort, { once: true });
    const result = await child.done;
    signal.removeEventListener('abort', onAbort);
    if (signal.aborted)
        throw signal.reason;
    if (result.code !== 0) {
        if (result.error)
            result.tail.push(`could not start ${file}: ${result.error}`);
        const how = result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
        const where = inputs.mode === 'image' && result.code === 125
            ? ' (Docker could not start the container: see the lines above)'
            : '';
        throw new ToolFailed(`The migration ${command ? `command ${what}` : `image ${what}`} ${how}${where}`, result.tail);
    }
    return { tail: result.tail };
}
/** Killing the docker client does not stop its container: remove it by name, and wait until it is gone. */
async function removeContainer(docker, env, name) {
    await (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .execTool */ .wc)(docker, ['rm', '--force', name], { env, timeoutMs: 30_000 });
}


/***/ })

};
