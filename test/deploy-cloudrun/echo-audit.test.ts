import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectNoForm, quoteEveryForm } from '../snapshot-db/secret-forms';
import { type Cloud, deploy, startCloud } from './fixture';

/**
 * Echo audit (issue 12): deploy-cloudrun's secret inputs are access-token, secrets and health-headers. Here a Cloud Run API that refuses the deploy with what it was sent quoted in every
 * form (raw, URL- and form-encoded, base64, JSON- and HTML-escaped): the Authorization header's token, and
 * the request body (which carries the Secret Manager references of `secrets`). No form of the token, of
 * the `secrets` input or of the service-account key may reach the log, outputs or summary.
 * (health-headers go only to the probed service, never to the API, and the probe never reads an answer's
 * body (packages/health); hostile.test.ts checks that a quoted `Authorization: Bearer X` shows neither form.)
 */

const TOKEN = `ya29.Ech&<o>"'\\ ${Date.now().toString(36)}/+=`;
const SECRETS = 'DB_PASSWORD=db-pass-echo:latest\n/etc/app/key.pem=tls-key-echo:3';

describe('deploy-cloudrun: an API that quotes the credentials and the body back', () => {
  let cloud: Cloud;
  let api: Server;
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    cloud = await startCloud();
    api = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const auth = String(req.headers.authorization ?? '');
        seen.push(`${req.method} ${req.url} ${body ? 'with body' : ''}`.trim());
        const bare = auth.replace(/^Bearer /, '');
        const found = req.method === 'GET';
        res.writeHead(found ? 404 : 400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              code: found ? 404 : 400,
              status: found ? 'NOT_FOUND' : 'INVALID_ARGUMENT',
              message: `you sent ${auth}: ${quoteEveryForm(bare)}; body ${quoteEveryForm(body)}`,
            },
          }),
        );
      });
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await cloud.close();
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
  });

  it('access-token and secrets: no form of either shows', async () => {
    const result = await deploy(
      cloud,
      {
        service: 'api',
        image: 'europe-docker.pkg.dev/acme-prod/app/api:1',
        'access-token': TOKEN,
        'api-endpoint': url,
        secrets: SECRETS,
      },
      { secrets: [TOKEN, SECRETS], debug: true },
    );
    // The deploy got as far as sending the service (and its secret references) to the API.
    expect(seen).toContainEqual(expect.stringMatching(/^POST .*services.* with body$/));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/you sent Bearer \*\*\*: plain=\*\*\*/);
    expectNoForm(result, [{ secret: TOKEN }, { secret: SECRETS }, { secret: cloud.privateKey }]);
  });
});
