import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorServer } from '@deploy-actions/emulators';
import { readServices, runAction } from '@deploy-actions/harness';
import pg from 'pg';
import { ArtifactServiceEmulator } from './artifact-service';
import { type EchoPostgres, type EchoPostgresOptions, echoPostgres } from './echo-postgres';
import { expectNoForm, quoteEveryForm, secretForms } from './secret-forms';

// Issue 12's echo tests: servers that put the credentials they were sent into their error bodies, in every
// encoding. The harness fails the run if any form shows up in the log, the outputs or the summary.

const forms = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  Buffer.from(secret).toString('base64'),
  Buffer.from(secret).toString('base64url'),
];

/** Answers every request with `status` and a body quoting the header `name` raw, URL-encoded and base64. */
async function echoServer(name: string, status: number, body: (value: string) => string): Promise<EmulatorServer> {
  const server = new EmulatorServer();
  server.route('POST', /.*/, (req) => ({
    status,
    headers: { 'content-type': 'text/xml' },
    body: body(String(req.headers[name] ?? '')),
  }));
  server.route('GET', /.*/, (req) => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: body(String(req.headers[name] ?? '')),
  }));
  await server.listen();
  return server;
}

const everyForm = (value: string) => {
  const bare = value.replace(/^Bearer /, '');
  return [
    value,
    bare,
    encodeURIComponent(bare),
    Buffer.from(bare).toString('base64'),
    Buffer.from(bare).toString('base64url'),
  ].join(' | ');
};

describe('snapshot-db: credentials echoed back by a server never reach the user', () => {
  it('cloudsql: an access token quoted in a 403 body', async () => {
    const token = 'ya29.Echo-Token-4d5e6f7a8b9c0d1e';
    const server = await echoServer('authorization', 403, (auth) =>
      JSON.stringify({
        error: {
          code: 403,
          status: 'PERMISSION_DENIED',
          message: `caller ${everyForm(auth)} lacks cloudsql.instances.get`,
        },
      }),
    );
    try {
      const result = await runAction('snapshot-db', {
        inputs: {
          provider: 'cloudsql',
          database: 'main-db',
          'project-id': 'acme-prod-42',
          'api-endpoint': server.url,
          'access-token': token,
        },
        secrets: forms(token),
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        expect.stringMatching(/answered 403 PERMISSION_DENIED: caller Bearer \*\*\* \| \*\*\* \| \*\*\*/),
      ]);
      expect(server.requests.length).toBeGreaterThan(0);
      expectNoForm(result, [{ secret: token }]);
    } finally {
      await server.close();
    }
  });

  it('cloudsql: an access token with & < > " \' \\ / + = quoted in every form in a 403 body', async () => {
    const token = `ya29.Ec&<h>"o'\\tok/+=${randomBytes(4).toString('hex')}`;
    const server = await echoServer('authorization', 403, (auth) =>
      JSON.stringify({
        error: {
          code: 403,
          status: 'PERMISSION_DENIED',
          message: `caller ${quoteEveryForm(auth.replace(/^Bearer /, ''))} lacks cloudsql.instances.get`,
        },
      }),
    );
    try {
      const result = await runAction('snapshot-db', {
        inputs: {
          provider: 'cloudsql',
          database: 'main-db',
          'project-id': 'acme-prod-42',
          'api-endpoint': server.url,
          'access-token': token,
        },
        secrets: [token],
        debug: true,
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        expect.stringMatching(/answered 403 PERMISSION_DENIED: caller plain=\*\*\* ; URL-encoded=\*\*\*/),
      ]);
      expectNoForm(result, [{ secret: token }]);
    } finally {
      await server.close();
    }
  });

  it('rds: a session token quoted in an error body', async () => {
    const sessionToken = 'FwoGZXIvYXdzEchoSessionToken0123456789abcdef';
    const server = await echoServer(
      'x-amz-security-token',
      403,
      (value) =>
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>token ${everyForm(value)} is not allowed</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
    );
    try {
      const result = await runAction('snapshot-db', {
        inputs: { provider: 'rds', database: 'app-db' },
        env: {
          AWS_ENDPOINT_URL_RDS: server.url,
          AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
          AWS_SESSION_TOKEN: sessionToken,
          AWS_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        secrets: [...forms(sessionToken), ...forms('wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY')],
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringMatching(/token \*\*\*/)]);
      expectNoForm(result, [{ secret: sessionToken }, { secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY' }]);
    } finally {
      await server.close();
    }
  });
});

// The postgres provider's two secrets, database-url (its password in the userinfo or as ?password=) and
// artifact-passphrase, each echoed back by what the action talks to: a PostgreSQL server that quotes the
// credentials it was sent in its FATAL message (read by the driver's version query, and printed by the real
// pg_dump), and an artifact service that quotes the passphrase and the database password in its error
// (which @actions/artifact prints, JSON-escaped, in its debug lines). Every form issue 12 names is checked
// explicitly, one by one (secret-forms.ts), on top of the harness's own check of the raw and URL-encoded ones.

// Characters that make every encoding differ from the plain text: & < > " ' for HTML, " and \ for JSON,
// space, / and + for the URL and base64 forms.
const hostilePassword = () => `Pw&<x>"q'\\ ${randomBytes(6).toString('hex')}/+=`;
const USER = 'snap_echo';

async function withEcho<T>(options: EchoPostgresOptions, fn: (db: EchoPostgres) => Promise<T>): Promise<T> {
  const db = await echoPostgres(options);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('snapshot-db: database-url and artifact-passphrase echoed back never reach the user', () => {
  it.each([
    [
      'in the userinfo',
      (port: number, pw: string) => `postgres://${USER}:${encodeURIComponent(pw)}@127.0.0.1:${port}/appdb`,
    ],
    [
      'as ?password=',
      (port: number, pw: string) =>
        `postgres://${USER}@127.0.0.1:${port}/appdb?password=${encodeURIComponent(pw)}&sslmode=disable`,
    ],
  ])('a server that quotes the password %s in its login error (the driver path)', async (_, urlFor) => {
    const password = hostilePassword();
    await withEcho({ echo: (user, pw) => `no entry for ${user}: ${quoteEveryForm(pw, user)}` }, async (db) => {
      const url = urlFor(db.port, password);
      const result = await runAction('snapshot-db', {
        inputs: { provider: 'postgres', 'database-url': url },
        secrets: [password, url],
        debug: true,
      });
      // The server did get the password, and did send it back.
      expect(db.logins).toEqual([expect.objectContaining({ user: USER, password, admitted: false })]);
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Could not connect to postgres://${USER}@127\\.0\\.0\\.1:${db.port}/appdb: no entry for ${USER}: plain=\\*\\*\\* ; URL-encoded=\\*\\*\\*`,
          ),
        ),
      ]);
      expectNoForm(result, [{ secret: password, user: USER }, { secret: url }]);
    });
  });

  it.each([
    [
      'in the userinfo',
      (port: number, pw: string) => `postgres://${USER}:${encodeURIComponent(pw)}@127.0.0.1:${port}/appdb`,
    ],
    [
      'as ?password=',
      (port: number, pw: string) =>
        `postgres://${USER}@127.0.0.1:${port}/appdb?sslmode=disable&password=${encodeURIComponent(pw)}`,
    ],
  ])('pg_dump printing what the server quoted of the password %s', async (_, urlFor) => {
    const password = hostilePassword();
    // The version query gets in; pg_dump's own login is the one refused, so pg_dump prints the echo.
    await withEcho(
      { admit: 1, echo: (user, pw) => `pg_hba rejects ${user} / ${quoteEveryForm(pw, user)}` },
      async (db) => {
        const url = urlFor(db.port, password);
        const result = await runAction('snapshot-db', {
          inputs: { provider: 'postgres', 'database-url': url },
          secrets: [password, url],
          debug: true,
          timeoutMs: 60_000,
        });
        // Both logins sent the password: the driver's, then pg_dump's (from PGPASSWORD, never its argv).
        expect(db.logins.map((l) => [l.password === password, l.admitted])).toEqual([
          [true, true],
          [true, false],
        ]);
        expect(result.exitCode).toBe(1);
        expect(result.log).toMatch(/pg_dump: error: .*pg_hba rejects snap_echo \/ plain=\*\*\* ; URL-encoded=\*\*\*/);
        expect(result.errors).toEqual([expect.stringMatching(/^pg_dump exited with 1: .*pg_hba rejects snap_echo/)]);
        expectNoForm(result, [{ secret: password, user: USER }, { secret: url }]);
      },
    );
  });

  describe('against the real PostgreSQL', () => {
    const services = readServices();
    const suffix = randomBytes(4).toString('hex');
    const role = `snap_echo_${suffix}`;
    const dbName = `snapecho_${suffix}`;
    const password = hostilePassword();
    const server = new URL(services.postgresUrl);
    const url = `postgres://${role}:${encodeURIComponent(password)}@${server.hostname}:${server.port}/${dbName}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: services.postgresUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    beforeAll(async () => {
      await admin(`CREATE ROLE ${role} LOGIN PASSWORD '${password.replace(/'/g, "''")}'`);
      await admin(`CREATE DATABASE ${dbName} OWNER ${role}`);
    });
    afterAll(async () => {
      await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin(`DROP ROLE IF EXISTS ${role}`);
    });

    it('an artifact service that quotes the passphrase and the database password in its error', async () => {
      const passphrase = `Pass&<phrase>"\\ ${randomBytes(8).toString('hex')}`;
      const dumps = mkdtempSync(join(tmpdir(), 'snapshot-echo-'));
      const service = new ArtifactServiceEmulator({
        refuse: (name) =>
          `cannot store ${name}: passphrase ${quoteEveryForm(passphrase)} / database ${quoteEveryForm(password, role)}`,
      });
      await service.listen();
      try {
        const result = await runAction('snapshot-db', {
          inputs: {
            provider: 'postgres',
            'database-url': url,
            'upload-artifact': true,
            'artifact-name': 'echo-dump',
            'artifact-passphrase': passphrase,
            path: dumps,
          },
          env: { ACTIONS_RUNTIME_TOKEN: service.runtimeToken, ACTIONS_RESULTS_URL: `${service.url}/` },
          secrets: [password, url, passphrase, service.runtimeToken],
          debug: true,
          timeoutMs: 120_000,
        });
        expect(service.server.requests.some((r) => r.path.endsWith('/CreateArtifact'))).toBe(true);
        expect(result.exitCode).toBe(1);
        expect(result.errors).toEqual([
          expect.stringMatching(
            /^Uploading the dump as artifact "echo-dump" failed: .*cannot store echo-dump: passphrase plain=\*\*\*/,
          ),
        ]);
        expectNoForm(result, [{ secret: passphrase }, { secret: password, user: role }, { secret: url }]);
        // What was encrypted on disk holds no form of the passphrase either (age keeps only a salt and a wrapped key).
        const files = readdirSync(dumps).filter((f) => f.endsWith('.dump.age'));
        expect(files).toHaveLength(1);
        const encrypted = readFileSync(join(dumps, files[0]));
        expect(encrypted.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
        for (const form of Object.values(secretForms(passphrase))) expect(encrypted.includes(form)).toBe(false);
      } finally {
        await service.close();
      }
    });
  });
});
