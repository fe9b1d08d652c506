import { type DatabaseUrl, connect } from './connection';

/**
 * The PostgreSQL server's version, from `server_version_num`: the major version picks the pg_dump that
 * can dump it (a pg_dump older than the server refuses with "server version mismatch").
 */

export interface ServerVersion {
  /** `server_version_num`, e.g. 150004. */
  num: number;
  /** `15`, or `9.6` before PostgreSQL 10. */
  major: string;
  /** `server_version`, e.g. `15.4 (Debian 15.4-1.pgdg120+1)`. */
  text: string;
}

export function majorOf(num: number): string {
  return num >= 100_000
    ? String(Math.floor(num / 10_000))
    : `${Math.floor(num / 10_000)}.${Math.floor(num / 100) % 100}`;
}

export async function serverVersion(db: DatabaseUrl): Promise<ServerVersion> {
  const connection = await connect(db, { applicationName: 'deploy-actions snapshot-db' });
  try {
    const [row] = await connection.query<{ num: string; text: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text",
    );
    const num = Number(row.num);
    return { num, major: majorOf(num), text: row.text };
  } finally {
    await connection.close();
  }
}
