import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readServices, runAction } from '@deploy-actions/harness';
import pg from 'pg';
import { ArtifactServiceEmulator } from './artifact-service';

// The postgres provider against the real PostgreSQL: dump a database with data, restore the dump into a
// fresh database with pg_restore, and compare row counts and checksums of every table.

const services = readServices();
const suffix = randomBytes(4).toString('hex');
const role = `snap_${suffix}`;
const password = `pw-${randomBytes(12).toString('hex')}`;
const PASSPHRASE = `artifact-${randomBytes(12).toString('hex')}`;
const source = `snapsrc_${suffix}`;
const restored = `snaprst_${suffix}`;
const server = new URL(services.postgresUrl);
const urlFor = (db: string, pass = password) =>
  `postgres://${role}:${encodeURIComponent(pass)}@${server.hostname}:${server.port}/${db}`;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const admin = (sql: string) => withClient(services.postgresUrl, (c) => c.query(sql));

/** Row count and an md5 over every row of each table, in key order. */
async function fingerprint(db: string): Promise<Record<string, string>> {
  return withClient(urlFor(db), async (c) => {
    const out: Record<string, string> = {};
    for (const table of ['customers', 'orders', 'audit_log']) {
      const { rows } = await c.query(
        `SELECT count(*)::text AS n, md5(string_agg(t::text, '|' ORDER BY t.id)) AS sum FROM ${table} t`,
      );
      out[table] = `${rows[0].n}:${rows[0].sum}`;
    }
    const seq = await c.query(`SELECT last_value::text AS v FROM orders_id_seq`);
    out.sequence = seq.rows[0].v;
    return out;
  });
}

describe('snapshot-db: postgres (pg_dump)', () => {
  beforeAll(async () => {
    await admin(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin(`CREATE DATABASE ${source} OWNER ${role}`);
    await admin(`CREATE DATABASE ${restored} OWNER ${role}`);
    await withClient(urlFor(source), (c) =>
      c.query(`
        CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE, joined date);
        INSERT INTO customers (name, email, joined)
          SELECT 'customer ' || n, 'c' || n || '@example.com', date '2024-01-01' + n FROM generate_series(1, 2000) n;
        CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10,2), items jsonb);
        INSERT INTO orders (customer_id, total, items)
          SELECT 1 + n % 2000, n * 1.25, jsonb_build_object('sku', 'sku-' || n, 'qty', n % 7) FROM generate_series(1, 5000) n;
        CREATE TABLE audit_log (id int PRIMARY KEY, note text, payload bytea);
        INSERT INTO audit_log SELECT n, repeat('é✓', n % 50), decode(md5(n::text), 'hex') FROM generate_series(1, 300) n;
        CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 1000;
      `),
    );
  });
  afterAll(async () => {
    for (const db of [source, restored]) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin(`DROP ROLE IF EXISTS ${role}`);
  });

  it('dumps with the matching pg_dump, and the dump restores to identical tables', async () => {
    const url = urlFor(source);
    const result = await runAction('snapshot-db', {
      inputs: {
        provider: 'postgres',
        'database-url': url,
        'upload-artifact': true,
        'artifact-retention-days': 3,
        'artifact-passphrase': PASSPHRASE,
      },
      env: { ACTIONS_RUNTIME_TOKEN: undefined, ACTIONS_RESULTS_URL: undefined },
      secrets: [password, url, PASSPHRASE],
      timeoutMs: 120_000,
    });
    expect(result.exitCode).toBe(0);
    const file = result.outputs['snapshot-arn'];
    expect(file).toMatch(/\/runner-[^/]+\/temp\/snapshot-db\/[^/]+\.dump$/);
    expect(file.endsWith(`/${result.outputs['snapshot-id']}`)).toBe(true);
    expect(result.outputs['snapshot-id']).toMatch(new RegExp(`^${source}-main-a1b2c3d-\\d{8}-\\d{6}\\.dump$`));
    expect(existsSync(file)).toBe(true);
    expect(Number(result.outputs.size)).toBe(statSync(file).size);
    expect(result.outputs.status).toBe('completed');
    expect(result.log).toContain(`/usr/lib/postgresql/15/bin/pg_dump`);
    expect(result.log).toMatch(/runs PostgreSQL 15\./);
    expect(result.log).toContain(`postgres://${role}@${server.hostname}:${server.port}/${source}`);
    // No artifact service outside GitHub: a clear warning, and the dump is still there.
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^upload-artifact: the artifact service is not available here \(ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL unset/,
      ),
    ]);
    expect(result.summary).toContain(`pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" ${file}`);

    const restore = spawnSync(
      join(services.postgresBin, 'pg_restore'),
      ['--no-owner', '--exit-on-error', `--dbname=${urlFor(restored, '')}`, file],
      { env: { ...process.env, PGPASSWORD: password }, encoding: 'utf8' },
    );
    expect(restore.stderr).toBe('');
    expect(restore.status).toBe(0);
    const before = await fingerprint(source);
    expect(before.customers).toMatch(/^2000:[0-9a-f]{32}$/);
    expect(before.orders).toMatch(/^5000:/);
    expect(await fingerprint(restored)).toEqual(before);
  });

  async function uploadWith(inputs: Record<string, string | boolean>, secrets: string[] = []) {
    const service = new ArtifactServiceEmulator();
    await service.listen();
    try {
      const url = urlFor(source);
      const result = await runAction('snapshot-db', {
        inputs: {
          provider: 'postgres',
          'database-url': url,
          'upload-artifact': true,
          'artifact-name': 'pre-deploy-dump',
          'artifact-retention-days': 3,
          ...inputs,
        },
        env: { ACTIONS_RUNTIME_TOKEN: service.runtimeToken, ACTIONS_RESULTS_URL: `${service.url}/` },
        secrets: [password, url, service.runtimeToken, ...secrets],
        timeoutMs: 120_000,
      });
      expect(result.errors).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(service.artifacts).toHaveLength(1);
      const [artifact] = service.artifacts;
      expect(artifact).toMatchObject({ name: 'pre-deploy-dump', finalized: true });
      expect(Date.parse(artifact.expiresAt!) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
      // A zip that stores the file as it is (the archive is compressed already, the ciphertext random).
      expect(artifact.content!.subarray(0, 4).toString('hex')).toBe('504b0304');
      expect(Number(artifact.size)).toBe(artifact.content!.length);
      expect(result.log).toContain('Uploaded artifact "pre-deploy-dump" (id 1000');
      expect(result.outputs['restore-command']).toContain('gh run download 4242 --name "pre-deploy-dump"');
      return { result, artifact, dump: readFileSync(result.outputs['snapshot-arn']) };
    } finally {
      await service.close();
    }
  }

  it('uploads the dump encrypted to age recipients; the age CLI decrypts it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'age-'));
    const keygen = spawnSync('age-keygen', ['-o', join(dir, 'key.txt')], { encoding: 'utf8' });
    expect(keygen.error).toBeUndefined(); // needs the age package (scripts/services.sh installs it)
    const recipient = /public key: (age1\S+)/i.exec(keygen.stderr)![1];
    const { result, artifact, dump } = await uploadWith({ 'artifact-recipients': recipient });
    expect(result.warnings).toEqual([]);
    const encrypted = readFileSync(`${result.outputs['snapshot-arn']}.age`);
    expect(encrypted.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(artifact.content!.indexOf(encrypted)).toBeGreaterThan(0);
    expect(artifact.content!.indexOf(dump.subarray(0, 64))).toBe(-1);
    const name = basename(result.outputs['snapshot-arn']);
    expect(result.outputs['restore-command']).toContain(
      `age --decrypt --identity key.txt --output ${name} ${name}.age`,
    );
    const out = join(dir, 'restored.dump');
    const age = spawnSync(
      'age',
      ['--decrypt', '--identity', join(dir, 'key.txt'), '--output', out, `${result.outputs['snapshot-arn']}.age`],
      {
        encoding: 'utf8',
      },
    );
    expect(age.stderr).toBe('');
    expect(readFileSync(out).equals(dump)).toBe(true);
  });

  it('uploads the dump encrypted with a passphrase, which the age CLI asks for', async () => {
    const { result, dump } = await uploadWith({ 'artifact-passphrase': PASSPHRASE }, [PASSPHRASE]);
    expect(result.summary).toContain('age (passphrase)');
    const dir = mkdtempSync(join(tmpdir(), 'age-'));
    const out = join(dir, 'restored.dump');
    // age reads a passphrase from the terminal only: `script` gives it one, fed from our stdin.
    const age = spawnSync(
      'script',
      ['-qec', `age --decrypt --output ${out} ${result.outputs['snapshot-arn']}.age`, '/dev/null'],
      { input: `${PASSPHRASE}\n`, encoding: 'utf8', timeout: 60_000 },
    );
    expect(age.status).toBe(0);
    expect(readFileSync(out).equals(dump)).toBe(true);
  });

  it('uploads in the clear only when told to, and says so in the log and the summary', async () => {
    const { result, artifact, dump } = await uploadWith({ 'artifact-unencrypted': true });
    expect(result.warnings).toEqual([
      expect.stringMatching(/^artifact-unencrypted: the database dump is uploaded UNENCRYPTED/),
    ]);
    expect(result.summary).toContain('The artifact is not encrypted');
    expect(artifact.content!.indexOf(dump)).toBeGreaterThan(0);
  });

  it('fails in one line, without the password, when the server refuses the credentials', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const url = urlFor(source, wrong);
    const result = await runAction('snapshot-db', {
      inputs: { provider: 'postgres', 'database-url': url },
      secrets: [wrong, url],
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        new RegExp(`^Could not connect to postgres://${role}@.*/${source}: password authentication failed`),
      ),
    ]);
  });
});
