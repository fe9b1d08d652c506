import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAction } from '@deploy-actions/harness';
import { expectNoForm, quoteEveryForm } from '../snapshot-db/secret-forms';
import { makeLayout } from './fixtures';

/**
 * Echo audit (issue 12): push-registry's secret inputs are github-token, credentials and
 * google-access-token. `credentials` has its echo tests in login.test.ts (a token service and a proxy
 * quoting them back); these cover the other two: a registry whose token service refuses the login with
 * the request's Basic credentials quoted in its error body in every form (raw, decoded user:password,
 * URL- and form-encoded, base64, JSON- and HTML-escaped). None may reach the log, outputs or summary.
 * The ECR methods use the AWS credentials in the environment (no input): an ECR API that quotes the
 * session token and the secret key back is the last case.
 */

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiPrEchoSecretKey';
let server: Server;
/** Answer /v2/ with a Basic challenge, as ECR does (the token-service cases get a Bearer one). */
let basicChallenge = false;
let host: string;
const seen: string[] = [];
const layout = makeLayout({ layerSizes: [200] });

beforeAll(async () => {
  server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    seen.push(`${req.method} ${req.url} ${auth.split(' ')[0]}`);
    if (req.method === 'POST' && req.url === '/') {
      // The ECR API (AWS JSON 1.1), refusing GetAuthorizationToken with the request's credentials quoted.
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1' });
      const token = String(req.headers['x-amz-security-token'] ?? '');
      res.end(
        JSON.stringify({
          __type: 'AccessDeniedException',
          message: `token ${quoteEveryForm(token)}; key ${quoteEveryForm(AWS_SECRET)}`,
        }),
      );
      return;
    }
    if (req.url === '/v2/' && basicChallenge) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="ecr"' }).end('{}');
      return;
    }
    if (req.url?.startsWith('/token')) {
      const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
      const user = decoded.slice(0, decoded.indexOf(':'));
      const password = decoded.slice(decoded.indexOf(':') + 1);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          details: `incorrect username or password: you sent "${auth}" (${decoded}); ${quoteEveryForm(password, user)}`,
        }),
      );
      return;
    }
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': `Bearer realm="http://${host}/token",service="echo"`,
    });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `authentication required: "${auth}"` }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(layout.dir, { recursive: true, force: true });
});

describe('push-registry: a token service that quotes the credentials back', () => {
  it('github-token (sent as octocat:<token>)', async () => {
    const token = `ghs_Ech&<o>"'\\ ${Date.now().toString(36)}`;
    const result = await runAction('push-registry', {
      inputs: {
        'source-archive': layout.dir,
        destinations: `${host}/acme/api:1`,
        'registry-auth': `${host}=github`,
        'github-token': token,
        retries: 0,
      },
      secrets: [token],
      debug: true,
    });
    // The token service did get the credentials (and quoted them back).
    expect(seen).toContainEqual(expect.stringMatching(/^GET \/token\?.* Basic$/));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/refused the credentials|incorrect username or password/);
    expectNoForm(result, [{ secret: token, user: 'octocat' }]);
  });

  it('google-access-token (sent as oauth2accesstoken:<token>)', async () => {
    const token = `ya29.Ech&<o>"'\\ ${Date.now().toString(36)}`;
    const result = await runAction('push-registry', {
      inputs: {
        'source-archive': layout.dir,
        destinations: `${host}/proj/images/api:1`,
        'registry-auth': `${host}=google`,
        'google-access-token': token,
        retries: 0,
      },
      secrets: [token],
      debug: true,
    });
    expect(seen).toContainEqual(expect.stringMatching(/^GET \/token\?.*proj%2Fimages.* Basic$/));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/refused the credentials|incorrect username or password/);
    expectNoForm(result, [{ secret: token, user: 'oauth2accesstoken' }]);
  });

  it('ECR: the AWS session token and secret key (from the environment) quoted by the ECR API', async () => {
    const sessionToken = `FwoGZXIvYXdzEch&<o>"Pr${Date.now().toString(36)}/+=`;
    // This registry answers /v2/ with a Basic challenge, as ECR does, so the action asks ECR for a token.
    basicChallenge = true;
    try {
      const result = await runAction('push-registry', {
        inputs: {
          'source-archive': layout.dir,
          destinations: `${host}/acme/api:1`,
          'registry-auth': `${host}=ecr`,
          'aws-region': 'us-east-1',
          retries: 0,
        },
        env: {
          AWS_ENDPOINT_URL_ECR: `http://${host}`,
          AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: AWS_SECRET,
          AWS_SESSION_TOKEN: sessionToken,
          AWS_PROFILE: undefined,
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        secrets: [sessionToken, AWS_SECRET],
        debug: true,
      });
      expect(seen).toContainEqual('POST / AWS4-HMAC-SHA256');
      expect(result.exitCode).toBe(1);
      expect(result.errors).toEqual([expect.stringMatching(/token plain=\*\*\*/)]);
      expectNoForm(result, [{ secret: sessionToken }, { secret: AWS_SECRET }]);
    } finally {
      basicChallenge = false;
    }
  });
});
