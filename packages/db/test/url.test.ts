import { libpqEnv, withLibpqEnv } from '../src/libpq-env';
import { mysqlOptions } from '../src/connection';
import { parseDatabaseUrl, secretFormsOf } from '../src/url';

// URL parsing through pg-connection-string (what node-postgres connects to), the forms a secret is
// masked in, MySQL options kept, and the libpq environment pg_dump gets instead of a command line.

describe('PostgreSQL URLs as node-postgres reads them', () => {
  test('a Unix socket directory in ?host=, with an empty host', () => {
    const db = parseDatabaseUrl('postgres://app:s3cret-pw@/orders?host=/var/run/postgresql');
    expect(db).toMatchObject({ host: '/var/run/postgresql', socket: true, database: 'orders', password: 's3cret-pw' });
    expect(db.describe).toBe('postgres://app@(socket /var/run/postgresql)/orders');
  });

  test('a %2F-encoded socket host', () => {
    const db = parseDatabaseUrl('postgresql://app@%2Ftmp%2Fpg/orders');
    expect(db).toMatchObject({ host: '/tmp/pg', socket: true, port: 5432 });
  });

  test('?password= is the password, masked on its own in every form, and never in describe or params', () => {
    const db = parseDatabaseUrl('postgres://app@db.internal:6432/orders?sslmode=require&password=a%26b+c%2Fd');
    expect(db.password).toBe('a&b c/d');
    expect(db.params).toEqual({ sslmode: 'require' });
    expect(db.describe).toBe('postgres://app@db.internal:6432/orders');
    expect(db.secretForms).toEqual(
      expect.arrayContaining([
        'a&b c/d',
        'a%26b+c%2Fd', // as written in the URL
        encodeURIComponent('a&b c/d'),
        Buffer.from('a&b c/d').toString('base64'),
        Buffer.from('app:a&b c/d').toString('base64'),
        Buffer.from(db.text).toString('base64'),
      ]),
    );
  });

  test('options and other libpq keywords are kept', () => {
    const db = parseDatabaseUrl('postgres://u:pw-123@h/db?options=-c%20search_path%3Dapp&application_name=x');
    expect(db.params).toEqual({ options: '-c search_path=app', application_name: 'x' });
  });

  test('certificate paths are not read while the input is checked', () => {
    expect(
      parseDatabaseUrl('postgres://u:pw-123@h/db?sslmode=verify-full&sslrootcert=/nonexistent.pem').params,
    ).toMatchObject({ sslrootcert: '/nonexistent.pem' });
  });

  test.each([
    ['postgres://u:p@h/db\nx', /line break/],
    ['postgres://u:p@h:99999/db', /could not be parsed \(check the port/],
    ['mysql://u:p@h:3306', /names no database/],
  ])('%j is refused without quoting it', (text, message) => {
    expect(() => parseDatabaseUrl(text)).toThrow(message);
    try {
      parseDatabaseUrl(text);
    } catch (error) {
      expect((error as Error).message).not.toContain('u:p');
    }
  });
});

test('secretFormsOf: raw, URL-encoded, form-encoded, base64 and base64url', () => {
  expect(secretFormsOf('p w+/?')).toEqual(['p w+/?', 'p%20w%2B%2F%3F', 'p+w%2B%2F%3F', 'cCB3Ky8/', 'cCB3Ky8_']);
});

describe('pg_dump gets the connection in its environment', () => {
  test('host, port, user, database, password and libpq keywords', () => {
    const db = parseDatabaseUrl(
      'postgres://app@/orders?host=/run/pg&password=pw-1&sslmode=verify-full&options=-c%20x%3D1',
    );
    expect(libpqEnv(db, 'snap')).toEqual({
      PGHOST: '/run/pg',
      PGPORT: '5432',
      PGDATABASE: 'orders',
      PGUSER: 'app',
      PGPASSWORD: 'pw-1',
      PGSSLMODE: 'verify-full',
      PGOPTIONS: '-c x=1',
      PGAPPNAME: 'snap',
    });
  });

  test("node-postgres-only spellings become libpq's; unknown keywords are left out", () => {
    expect(libpqEnv(parseDatabaseUrl('postgres://u:pw-1@h/d?sslmode=no-verify&uselibpqcompat=true')).PGSSLMODE).toBe(
      'require',
    );
    expect(libpqEnv(parseDatabaseUrl('postgres://u:pw-1@h/d?ssl=true')).PGSSLMODE).toBe('require');
    expect(Object.keys(libpqEnv(parseDatabaseUrl('postgres://u:pw-1@h/d?connection_limit=5')))).not.toContain(
      'connection_limit',
    );
  });

  test('inherited PG* variables do not redirect the dump', () => {
    const env = withLibpqEnv(
      { PATH: '/bin', PGHOST: 'elsewhere', PGSERVICE: 'other' },
      parseDatabaseUrl('postgres://u:pw-1@h/d'),
    );
    expect(env).toMatchObject({ PATH: '/bin', PGHOST: 'h' });
    expect(env.PGSERVICE).toBeUndefined();
  });
});

describe('MySQL URLs keep their options', () => {
  test('mysql2 options, TLS spellings of other tools, a socket', () => {
    expect(mysqlOptions(parseDatabaseUrl('mysql://root:pw-123@db:3307/app?charset=utf8mb4&timezone=Z'))).toMatchObject({
      host: 'db',
      port: 3307,
      user: 'root',
      password: 'pw-123',
      database: 'app',
      charset: 'utf8mb4',
      timezone: 'Z',
    });
    expect(mysqlOptions(parseDatabaseUrl('mysql://u:pw-123@h/app?ssl={"rejectUnauthorized":true}')).ssl).toEqual({
      rejectUnauthorized: true,
    });
    expect(mysqlOptions(parseDatabaseUrl('mysql://u:pw-123@h/app?ssl-mode=REQUIRED')).ssl).toEqual({
      rejectUnauthorized: false,
    });
    expect(mysqlOptions(parseDatabaseUrl('mysql://u:pw-123@h/app?sslaccept=strict')).ssl).toEqual({});
    const socket = mysqlOptions(parseDatabaseUrl('mariadb://u:pw-123@localhost/app?socket=/run/mysqld/mysqld.sock'));
    expect(socket).toMatchObject({ socketPath: '/run/mysqld/mysqld.sock' });
    expect(socket.host).toBeUndefined();
  });

  test('?password= works for MySQL too', () => {
    const db = parseDatabaseUrl('mysql://root@h/app?password=pw%2F9');
    expect(db.password).toBe('pw/9');
    expect(db.secretForms).toEqual(expect.arrayContaining(['pw/9', 'pw%2F9']));
  });
});

test('a huge URL or an over-long database name is refused', () => {
  expect(() => parseDatabaseUrl(`postgres://u:pw-123@h/${'a'.repeat(9000)}`)).toThrow(/is 9\d{3} characters long/);
  expect(() => parseDatabaseUrl(`postgres://u:pw-123@h/${'a'.repeat(64)}`)).toThrow(/longer than 63 bytes/);
  expect(parseDatabaseUrl(`mysql://u:pw-123@h/${'a'.repeat(64)}`).database).toHaveLength(64);
});
