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
 */

let server: Server;
let host: string;
const seen: string[] = [];
const layout = makeLayout({ layerSizes: [200] });

beforeAll(async () => {
  server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    seen.push(`${req.method} ${req.url} ${auth.split(' ')[0]}`);
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
});
