import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot, runAction } from '@deploy-actions/harness';
import { echoPostgres } from '../snapshot-db/echo-postgres';
import { expectNoForm, quoteEveryForm } from '../snapshot-db/secret-forms';

/**
 * Echo audit (issue 12): run-migrations' one secret input is database-url. The tool that prints its
 * credentials is in hostile.test.ts (echo-credentials.sh); here the server echoes them: a PostgreSQL that
 * refuses the login with the user and password quoted in every form in its FATAL message, for the
 * password in the userinfo and given as ?password=, in sql mode (the action's own driver connects, for the
 * lock and the files) and in command mode (the lock connection). No form reaches the log, outputs or summary.
 */

const USER = 'rm_echo';
const password = () => `Pw&<x>"q'\\ ${randomBytes(6).toString('hex')}/+=`;
const migrations = join(repoRoot, 'examples', 'app', 'migrations');
const urls: [string, (port: number, pw: string) => string][] = [
  ['in the userinfo', (port, pw) => `postgres://${USER}:${encodeURIComponent(pw)}@127.0.0.1:${port}/orders`],
  [
    'as ?password=',
    (port, pw) => `postgres://${USER}@127.0.0.1:${port}/orders?sslmode=disable&password=${encodeURIComponent(pw)}`,
  ],
];
const modes: [string, Record<string, string>][] = [
  ['sql', { mode: 'sql', 'migrations-dir': migrations }],
  ['command', { mode: 'command', command: 'true' }],
];

describe('run-migrations: a database server that quotes the credentials back', () => {
  for (const [mode, inputs] of modes)
    it.each(urls)(`${mode} mode, the password %s`, async (_, urlFor) => {
      const secret = password();
      const db = await echoPostgres({ echo: (user, pw) => `no pg_hba entry for ${user}: ${quoteEveryForm(pw, user)}` });
      try {
        const url = urlFor(db.port, secret);
        const result = await runAction('run-migrations', {
          inputs: { ...inputs, 'database-url': url },
          secrets: [secret, url],
          debug: true,
        });
        expect(db.logins).toEqual([expect.objectContaining({ user: USER, password: secret, admitted: false })]);
        expect(result.exitCode).toBe(1);
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0]).toMatch(/no pg_hba entry for rm_echo: plain=\*\*\* ; URL-encoded=\*\*\*/);
        expectNoForm(result, [{ secret, user: USER }, { secret: url }]);
      } finally {
        await db.close();
      }
    });
});

// ecs-task mode's credentials are the AWS ones in the environment (no input carries them): an ECS endpoint
// that refuses the call with the session token and the secret key quoted in every form.
describe('run-migrations ecs-task: AWS credentials echoed back by the API', () => {
  it('a session token and secret key quoted in a 403 body', async () => {
    const sessionToken = `FwoGZXIvYXdzEch&<o>"Rm${randomBytes(4).toString('hex')}/+=`;
    const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiRmEchoSecretKey';
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          __type: 'AccessDeniedException',
          message: `token ${quoteEveryForm(String(req.headers['x-amz-security-token'] ?? ''))}; key ${quoteEveryForm(secretKey)}`,
        }),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await runAction('run-migrations', {
        inputs: { mode: 'ecs-task', cluster: 'prod', service: 'core', command: 'true', 'aws-region': 'us-east-1' },
        env: {
          AWS_ENDPOINT_URL_ECS: url,
          AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
          AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: secretKey,
          AWS_SESSION_TOKEN: sessionToken,
          AWS_PROFILE: undefined,
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        secrets: [sessionToken, secretKey],
        debug: true,
        timeoutMs: 60_000,
      });
      expect(requests).toBeGreaterThan(0);
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringMatching(/token plain=\*\*\*/)]);
      expectNoForm(result, [{ secret: sessionToken }, { secret: secretKey }]);
    } finally {
      server.close();
    }
  });
});
