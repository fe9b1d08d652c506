export const id = 614;
export const ids = [614];
export const modules = {

/***/ 31614:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  snapshotPostgres: () => (/* binding */ snapshotPostgres)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 23 modules
var src = __webpack_require__(41048);
// EXTERNAL MODULE: ./packages/db/src/url.ts + 1 modules
var url = __webpack_require__(24431);
;// CONCATENATED MODULE: ./packages/db/src/connection.ts

/**
 * Connections for PostgreSQL (node-postgres) and MySQL/MariaDB (mysql2) behind one small interface, so
 * the lock and the SQL-file runner are written once for both engines. The drivers are loaded when the
 * first connection is made, so an action that never connects (another provider, another mode) never
 * pays for them at start.
 */

async function connect(db, options = {}) {
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
function connection_quoteIdentifier(dialect, name) {
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
    const digest = createHash('sha256').update(key).digest();
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
    const { elapsedMs } = await poll({
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

;// CONCATENATED MODULE: ./packages/db/src/sql-migrations.ts




const NO_TRANSACTION = /^\s*--\s*run-migrations:\s*no-transaction\s*$/im;
function checksum(sql) {
    return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
/** The `.sql` files directly in `dir` (down migrations, `*.down.sql`, skipped), in natural name order. */
function readMigrationFiles(dir, dialect) {
    return readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.sql') && !e.name.endsWith('.down.sql'))
        .map((e) => e.name)
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .map((name) => {
        const sql = readFileSync(join(dir, name), 'utf8');
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
function withLibpqEnv(base, db, appName) {
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
        entries = (0,external_node_fs_.readdirSync)(root);
    }
    catch {
        return [];
    }
    return entries
        .filter((m) => /^\d+(\.\d+)?$/.test(m) && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(root, m, 'bin', 'pg_dump')))
        .sort((a, b) => Number(b) - Number(a));
}
/** The pg_dump of the server's major version, or a UserError naming the package that provides it. */
function findPgDump(serverMajor, root = POSTGRESQL_ROOT) {
    const installed = installedMajors(root);
    if (installed.includes(serverMajor))
        return { path: (0,external_node_path_.join)(root, serverMajor, 'bin', 'pg_dump'), major: serverMajor };
    const found = installed.length ? `installed: ${installed.join(', ')}` : 'none installed';
    throw new src/* UserError */.yo(`pg_dump ${serverMajor} is missing (the server runs PostgreSQL ${serverMajor}; ${found} under ${root}): ` +
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
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(options.file), { recursive: true });
    const args = [
        '--format=custom',
        `--compress=${options.compression ?? 6}`,
        '--no-password',
        '--verbose',
        `--file=${options.file}`,
    ];
    // The toolkit's runner: no INPUT_*/STATE_* or runner tokens for the child, lines redacted, stopped on the signal.
    const result = await (0,src/* execTool */.wc)(options.pgDump, args, {
        env: withLibpqEnv(options.env ?? process.env, db, 'deploy-actions snapshot-db'),
        signal: options.signal,
        onLine: (line) => options.onLine?.(line),
        tailLines: 20,
    });
    if (result.stopped)
        throw new src/* UserError */.yo(`pg_dump was stopped (${result.stopped}); the dump is incomplete`);
    if (result.code !== 0) {
        const tail = result.error ? [result.error] : result.tail;
        const errors = tail.filter((l) => /error|fatal|abort/i.test(l));
        throw new src/* UserError */.yo(`pg_dump exited with ${result.code}: ${(errors.length ? errors : tail.slice(-3)).join(' | ')}`);
    }
    return { bytes: (0,external_node_fs_.statSync)(options.file).size, durationMs: result.durationMs };
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








// EXTERNAL MODULE: ./actions/snapshot-db/src/artifact-encryption.ts + 1 modules
var artifact_encryption = __webpack_require__(66111);
// EXTERNAL MODULE: ./actions/snapshot-db/src/identifier.ts
var identifier = __webpack_require__(83570);
;// CONCATENATED MODULE: ./actions/snapshot-db/src/provider-postgres.ts







/**
 * Any PostgreSQL, by pg_dump: asks the server its version, runs the pg_dump of that major into a
 * compressed custom-format archive, and optionally keeps it as a workflow artifact (without one, the
 * file lives only as long as the runner).
 */
/** The artifact service is there only inside a GitHub Actions job. */
function artifactServiceMissing() {
    const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((name) => !process.env[name]);
    return missing.length ? missing.join(' and ') : undefined;
}
/**
 * @actions/artifact prints the service's answers itself (`::debug::Body: {...}`, JSON-escaped, and its retry
 * lines), straight to stdout, past `redact`: an answer that quotes a secret would reach the raw log. While it
 * runs, what it writes is redacted first; a workflow command's message is redacted unescaped (its `%`
 * written `%25`, so a URL-encoded secret would otherwise slip through) and escaped again (issue 12's echo test).
 */
const unescapeData = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const escapeData = (s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const scrub = (text) => (0,src/* redact */.E$)(text.replace(/^(::[^:\n]*::)(.*)$/gm, (_, head, message) => head + escapeData((0,src/* redact */.E$)(unescapeData(message)))));
async function redactingStdout(fn) {
    const write = process.stdout.write;
    process.stdout.write = ((chunk, ...rest) => write.call(process.stdout, scrub(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')), ...rest));
    try {
        return await fn();
    }
    finally {
        process.stdout.write = write;
    }
}
/** Uploads `file` (already encrypted unless the opt-in said otherwise); the artifact's name, or undefined. */
async function upload(run, file) {
    const name = run.inputs.artifactName ?? (0,external_node_path_.basename)(file);
    const missing = artifactServiceMissing();
    if (missing) {
        src/* workflow.warning */.kn.warning(`upload-artifact: the artifact service is not available here (${missing} unset: not a GitHub Actions job?), so the dump was not uploaded; it stays at ${file} until the runner is cleaned`);
        return undefined;
    }
    try {
        const { DefaultArtifactClient } = await Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(659), __webpack_require__.e(669), __webpack_require__.e(584)]).then(__webpack_require__.bind(__webpack_require__, 20584));
        const { id, size } = await redactingStdout(() => new DefaultArtifactClient().uploadArtifact(name, [file], (0,external_node_path_.dirname)(file), {
            retentionDays: run.inputs.artifactRetentionDays,
            // The archive is compressed already.
            compressionLevel: 0,
        }));
        src/* workflow.info */.kn.info(`Uploaded artifact "${name}" (id ${id}, ${size} bytes)`);
        return name;
    }
    catch (error) {
        throw new src/* UserError */.yo((0,src/* redact */.E$)(`Uploading the dump as artifact "${name}" failed: ${error.message}`));
    }
}
async function snapshotPostgres(run) {
    const db = run.inputs.databaseUrl;
    let version;
    try {
        version = await serverVersion(db);
    }
    catch (error) {
        throw new src/* UserError */.yo((0,src/* redact */.E$)(`Could not connect to ${db.describe}: ${error.message}`));
    }
    const binary = findPgDump(version.major);
    src/* workflow.info */.kn.info(`${db.describe} runs PostgreSQL ${version.text}; dumping with ${binary.path}`);
    const dir = (0,external_node_path_.resolve)(run.inputs.path);
    const base = (0,identifier/* fileName */.Md)(run.inputs.identifier, { ...run.values, db: db.database });
    let file = (0,external_node_path_.join)(dir, `${base}.dump`);
    for (let n = 2; (0,external_node_fs_.existsSync)(file); n++)
        file = (0,external_node_path_.join)(dir, `${base}-${n}.dump`);
    run.requested(`a dump of ${db.database} to ${file}`);
    const result = await src/* workflow.group */.kn.group(`pg_dump ${db.describe}`, () => pgDump({
        db,
        pgDump: binary.path,
        file,
        compression: run.inputs.compressionLevel,
        onLine: (line) => src/* workflow.info */.kn.info((0,src/* redact */.E$)(line)),
        signal: run.signal,
    }));
    src/* workflow.info */.kn.info(`Dumped ${db.database} to ${file}: ${result.bytes} bytes in ${(0,src/* formatDuration */.a3)(result.durationMs)}`);
    let artifact;
    let uploaded = file;
    const key = run.inputs.artifactKey;
    if (run.inputs.uploadArtifact) {
        if (key) {
            uploaded = `${file}.age`;
            const started = Date.now();
            await (0,artifact_encryption/* encryptFile */.oL)(file, uploaded, key);
            src/* workflow.info */.kn.info(`Encrypted the dump to ${(0,external_node_path_.basename)(uploaded)} (age, ${key.kind === 'recipients' ? `${key.recipients.length} recipient(s)` : 'passphrase'}) in ${(0,src/* formatDuration */.a3)(Date.now() - started)}`);
        }
        else {
            src/* workflow.warning */.kn.warning('artifact-unencrypted: the database dump is uploaded UNENCRYPTED: anyone who can read this repository can download it for the retention period. Set artifact-passphrase instead');
        }
        artifact = await upload(run, uploaded);
    }
    const restore = [
        ...(artifact ? [`gh run download ${process.env.GITHUB_RUN_ID ?? '<run-id>'} --name "${artifact}"`] : []),
        ...(artifact && key ? [(0,artifact_encryption/* decryptCommand */.NN)(key, (0,external_node_path_.basename)(uploaded), (0,external_node_path_.basename)(file))] : []),
        `pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" ${artifact ? (0,external_node_path_.basename)(file) : file}`,
    ].join('\n');
    return {
        id: (0,external_node_path_.basename)(file),
        ref: file,
        status: 'completed',
        createdAt: new Date(),
        sizeBytes: result.bytes,
        restore,
        facts: [
            ['Source', db.describe],
            ['Server', `PostgreSQL ${version.text}`],
            ['pg_dump', binary.path],
            ['Format', `custom, compression level ${run.inputs.compressionLevel}`],
            ['Artifact', artifact ?? (run.inputs.uploadArtifact ? 'not uploaded (no artifact service)' : undefined)],
            [
                'Encryption',
                run.inputs.uploadArtifact
                    ? key
                        ? `age (${key.kind === 'recipients' ? 'to recipients' : 'passphrase'})`
                        : '⚠️ none: the artifact is the database in the clear (artifact-unencrypted)'
                    : undefined,
            ],
        ],
    };
}


/***/ })

};
