/**
 * Echo audit (issue 12): deploy-ecs's manifest marks no input secret (`secrets` holds ARNs, never values;
 * hostile.test.ts refuses a value there). Its credentials are the AWS ones in the environment, from the
 * credentials step: here an ECS endpoint refuses every call with the request's credentials quoted in its
 * error body (the session token, the Authorization header, in every form). None may reach the log,
 * outputs or summary.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runAction } from '../../packages/harness/src/run-action';
import { expectNoForm, quoteEveryForm } from '../snapshot-db/secret-forms';

const SESSION_TOKEN = `FwoGZXIvYXdzEch&<o>"Session${Date.now().toString(36)}/+=`;
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiEchoSecretKey';
let server: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const token = String(req.headers['x-amz-security-token'] ?? '');
    res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        __type: 'AccessDeniedException',
        message: `token ${quoteEveryForm(token)} with ${req.headers.authorization ?? ''} may not call this; key ${quoteEveryForm(SECRET_KEY)}`,
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('deploy-ecs: AWS credentials echoed back by the API', () => {
  it('a session token and secret key quoted in a 403 body', async () => {
    const result = await runAction('deploy-ecs', {
      timeoutMs: 60_000,
      inputs: { service: 'api', cluster: 'prod', image: 'registry.example.com/acme/api:2', region: 'us-east-1' },
      env: {
        AWS_ENDPOINT_URL_ECS: url,
        AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: url,
        AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: SECRET_KEY,
        AWS_SESSION_TOKEN: SESSION_TOKEN,
        AWS_REGION: 'us-east-1',
        AWS_PROFILE: undefined,
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      secrets: [SESSION_TOKEN, SECRET_KEY],
      debug: true,
    });
    expect(requests).toBeGreaterThan(0);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/token plain=\*\*\*/);
    expectNoForm(result, [{ secret: SESSION_TOKEN }, { secret: SECRET_KEY }]);
  });
});
