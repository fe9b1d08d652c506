import { createHash } from 'node:crypto';
import { type Clock, poll } from '@deploy-actions/toolkit';
import type { Connection } from './connection';

/**
 * Session-scoped advisory locks: `pg_advisory_lock` on PostgreSQL, `GET_LOCK` on MySQL/MariaDB. The lock
 * lives as long as the connection that took it, so a runner that dies mid-migration cannot leave it
 * stuck (unlike a lock *table*, such as Liquibase's, which needs a manual releaseLocks). Waiting is
 * try-lock polling with backoff rather than one blocking call, so the log shows who holds the lock and
 * for how long we have waited, and the wait ends at a deadline or on cancellation.
 */

export interface LockIdentity {
  /** The text the user chose (or the default), for messages. */
  key: string;
  /** PostgreSQL: a signed 64-bit key; MySQL: a lock name of at most 64 characters. */
  id: string;
}

/** Derives a stable lock id from any text: the first 8 bytes of its SHA-256 (pg), or a hex name (MySQL). */
export function lockIdentity(dialect: Connection['dialect'], key: string): LockIdentity {
  const digest = createHash('sha256').update(key).digest();
  const id =
    dialect === 'postgres'
      ? digest.readBigInt64BE(0).toString()
      : `run-migrations:${digest.toString('hex').slice(0, 40)}`;
  return { key, id };
}

export class AdvisoryLock {
  readonly identity: LockIdentity;
  private held = false;

  constructor(
    private readonly connection: Connection,
    key: string,
  ) {
    this.identity = lockIdentity(connection.dialect, key);
  }

  get isHeld(): boolean {
    return this.held;
  }

  async tryAcquire(): Promise<boolean> {
    const sql =
      this.connection.dialect === 'postgres'
        ? 'SELECT pg_try_advisory_lock($1::bigint) AS ok'
        : 'SELECT GET_LOCK(?, 0) AS ok';
    const [row] = await this.connection.query<{ ok: boolean | number | null }>(sql, [this.identity.id]);
    this.held = row?.ok === true || Number(row?.ok) === 1;
    return this.held;
  }

  /** Releases the lock; true when it was held. Closing the connection releases it too. */
  async release(): Promise<boolean> {
    if (!this.held) return false;
    const sql =
      this.connection.dialect === 'postgres'
        ? 'SELECT pg_advisory_unlock($1::bigint) AS ok'
        : 'SELECT RELEASE_LOCK(?) AS ok';
    const [row] = await this.connection.query<{ ok: boolean | number | null }>(sql, [this.identity.id]);
    this.held = false;
    return row?.ok === true || Number(row?.ok) === 1;
  }

  /** Who holds the lock, as far as the server tells us (stable while it holds it, so the wait logs it once); undefined when nobody or we cannot see. */
  async holder(): Promise<string | undefined> {
    try {
      return this.connection.dialect === 'postgres' ? await this.postgresHolder() : await this.mysqlHolder();
    } catch {
      return undefined;
    }
  }

  private async postgresHolder(): Promise<string | undefined> {
    const key = BigInt.asUintN(64, BigInt(this.identity.id));
    const rows = await this.connection.query<{
      pid: number;
      application_name: string | null;
      usename: string | null;
      client: string | null;
    }>(
      `SELECT l.pid, a.application_name, a.usename, host(a.client_addr) AS client
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [(key >> 32n).toString(), (key & 0xffffffffn).toString()],
    );
    const row = rows[0];
    if (!row) return undefined;
    const parts = [
      row.application_name ? `"${row.application_name}"` : undefined,
      row.usename ? `user ${row.usename}` : undefined,
      row.client ? `from ${row.client}` : undefined,
    ].filter(Boolean);
    return `session pid ${row.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }

  private async mysqlHolder(): Promise<string | undefined> {
    const [used] = await this.connection.query<{ id: number | null }>('SELECT IS_USED_LOCK(?) AS id', [
      this.identity.id,
    ]);
    if (used?.id === null || used?.id === undefined) return undefined;
    const [info] = await this.connection.query<{ user: string; host: string }>(
      'SELECT USER AS user, HOST AS host FROM information_schema.PROCESSLIST WHERE ID = ?',
      [used.id],
    );
    if (!info) return `connection ${used.id}`;
    return `connection ${used.id} (user ${info.user}, from ${info.host.replace(/:\d+$/, '')})`;
  }
}

export interface AcquireOptions {
  timeoutMs: number;
  /** How often a waiting run says it still waits. */
  progressEveryMs?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface Acquired {
  waitedMs: number;
  /** Who held the lock when we started waiting, if anyone. */
  waitedFor?: string;
}

/** Takes the lock, polling with backoff until `timeoutMs`; throws the toolkit's TimeoutError naming the holder. */
export async function acquireLock(lock: AdvisoryLock, options: AcquireOptions): Promise<Acquired> {
  const signal = options.signal;
  // The toolkit's poll sleeps through its clock: this one wakes up (rejecting) when the run is cancelled.
  const clock: Clock = {
    now: () => Date.now(),
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
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
  let waitedFor: string | undefined;
  const { elapsedMs } = await poll({
    what: `migration lock "${lock.identity.key}"`,
    timeoutMs: options.timeoutMs,
    initialMs: 200,
    maxMs: 5000,
    progressEveryMs: options.progressEveryMs ?? 15_000,
    clock,
    log: options.log,
    timeoutHint:
      'Another run is still migrating this database (or died holding a session that the server has not closed yet). Wait for it, raise lock-timeout, or end that session.',
    check: async () => {
      if (await lock.tryAcquire()) return { done: true, value: undefined };
      const holder = (await lock.holder()) ?? 'another session';
      waitedFor ??= holder;
      return { done: false, status: `waiting for ${holder}` };
    },
  });
  return { waitedMs: elapsedMs, waitedFor };
}
