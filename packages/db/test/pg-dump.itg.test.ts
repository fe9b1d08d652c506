import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServices } from '@deploy-actions/harness';
import { parseDatabaseUrl } from '../src/connection';
import { findPgDump, installedMajors } from '../src/pg-dump';
import { majorOf, serverVersion } from '../src/server-version';

describe('pg_dump matched to the server', () => {
  it('reads the major from server_version_num, before and after PostgreSQL 10', () => {
    expect(majorOf(90624)).toBe('9.6');
    expect(majorOf(100023)).toBe('10');
    expect(majorOf(150004)).toBe('15');
  });

  it('asks the real server its version', async () => {
    const version = await serverVersion(parseDatabaseUrl(readServices().postgresUrl));
    expect(version.major).toBe('15');
    expect(version.num).toBeGreaterThanOrEqual(150000);
    expect(version.text).toMatch(/^15\./);
  });

  it('picks the exact major, and names the package to install when it is missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'pg-root-'));
    for (const major of ['13', '16']) {
      mkdirSync(join(root, major, 'bin'), { recursive: true });
      writeFileSync(join(root, major, 'bin', 'pg_dump'), '#!/bin/sh\n');
      chmodSync(join(root, major, 'bin', 'pg_dump'), 0o755);
    }
    mkdirSync(join(root, '14', 'bin'), { recursive: true }); // a server package without the client
    expect(installedMajors(root)).toEqual(['16', '13']);
    expect(findPgDump('13', root)).toEqual({ path: join(root, '13', 'bin', 'pg_dump'), major: '13' });
    expect(() => findPgDump('15', root)).toThrow(
      /^pg_dump 15 is missing \(the server runs PostgreSQL 15; installed: 16, 13 under .*\): install the package postgresql-client-15 before this step/,
    );
    expect(() => findPgDump('15', join(root, 'nowhere'))).toThrow(/none installed.*postgresql-client-15/);
  });
});
