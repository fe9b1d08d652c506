import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksum, lockIdentity, parseDatabaseUrl, planMigrations, readMigrationFiles } from '../src/index';

// Unit tests for what run-migrations relies on without a server: URL parsing and masking forms, lock ids,
// file order and the plan (pending, drift, dirty, missing).

describe('parseDatabaseUrl', () => {
  test('PostgreSQL URL: what may be shown, what must be masked', () => {
    const db = parseDatabaseUrl('postgresql://app:p%40ss%2Fw0rd@db.internal/orders?sslmode=require');
    expect(db).toMatchObject({
      dialect: 'postgres',
      host: 'db.internal',
      port: 5432,
      database: 'orders',
      user: 'app',
      password: 'p@ss/w0rd',
    });
    expect(db.describe).toBe('postgresql://app@db.internal:5432/orders');
    expect(db.describe).not.toContain('p%40ss');
    expect(db.secretForms).toEqual(expect.arrayContaining(['p@ss/w0rd', 'p%40ss%2Fw0rd', db.text]));
  });

  test('mysql:// and mariadb:// are MySQL with port 3306', () => {
    expect(parseDatabaseUrl('mariadb://root:secret@127.0.0.1/app')).toMatchObject({ dialect: 'mysql', port: 3306 });
    expect(parseDatabaseUrl('mysql://root:secret@[::1]:3307/app').describe).toBe('mysql://root@[::1]:3307/app');
  });

  test.each([
    ['not a url', /is not a URL/],
    ['redis://h/0', /uses redis:/],
    ['postgres://u:p@h:5432', /names no database/],
    ['postgres://u:p@h:5432/', /names no database/],
  ])('%s is refused without quoting it', (text, message) => {
    expect(() => parseDatabaseUrl(text)).toThrow(message);
    try {
      parseDatabaseUrl(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(text);
    }
  });
});

test('lock ids are stable, differ per key, and fit each engine', () => {
  const a = lockIdentity('postgres', 'acme/api/orders');
  expect(a.id).toBe(lockIdentity('postgres', 'acme/api/orders').id);
  expect(a.id).not.toBe(lockIdentity('postgres', 'acme/api/billing').id);
  const n = BigInt(a.id);
  expect(n >= -(2n ** 63n) && n < 2n ** 63n).toBe(true);
  const m = lockIdentity('mysql', 'x'.repeat(500));
  expect(m.id.length).toBeLessThanOrEqual(64);
});

describe('plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plan-'));
  writeFileSync(join(dir, '10_late.sql'), 'SELECT 10;');
  writeFileSync(join(dir, '2_early.sql'), 'SELECT 2;\r\n');
  writeFileSync(join(dir, '2_early.down.sql'), 'SELECT -2;');
  writeFileSync(join(dir, '3_index.sql'), '-- run-migrations: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);');
  writeFileSync(join(dir, 'notes.txt'), 'not a migration');

  test('files in natural order, down files skipped, CRLF not drift, no-transaction honoured', () => {
    const files = readMigrationFiles(dir, 'postgres');
    expect(files.map((f) => f.name)).toEqual(['2_early.sql', '3_index.sql', '10_late.sql']);
    expect(files[0].checksum).toBe(checksum('SELECT 2;\n'));
    expect(files.map((f) => f.transactional)).toEqual([true, false, true]);
    expect(readMigrationFiles(dir, 'mysql').every((f) => !f.transactional)).toBe(true);
  });

  test('pending, changed, dirty and missing', () => {
    const files = readMigrationFiles(dir, 'postgres');
    const row = (name: string, sum: string, dirty = false) => ({
      name,
      checksum: sum,
      applied_at: new Date(),
      duration_ms: 1,
      applied_by: 'test',
      dirty,
    });
    const plan = planMigrations(files, [
      row('2_early.sql', files[0].checksum),
      row('3_index.sql', 'f'.repeat(64), true),
      row('1_gone.sql', 'a'.repeat(64)),
    ]);
    expect(plan.pending.map((f) => f.name)).toEqual(['10_late.sql']);
    expect(plan.dirty.map((r) => r.name)).toEqual(['3_index.sql']);
    expect(plan.missing.map((r) => r.name)).toEqual(['1_gone.sql']);
    expect(plan.changed).toEqual([]);
    const drift = planMigrations(files, [row('2_early.sql', 'b'.repeat(64))]);
    expect(drift.changed.map((c) => c.file.name)).toEqual(['2_early.sql']);
  });
});
