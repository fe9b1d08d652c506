import { EmulatorServer } from '@deploy-actions/emulators';
import { runAction } from '@deploy-actions/harness';

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
    } finally {
      await server.close();
    }
  });
});
