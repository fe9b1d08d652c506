import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from '@jest/globals';
import { runAction } from '@deploy-actions/harness';
import { fixture, unique } from './helpers';

/**
 * Echo tests for build-image's secret inputs (issue 12): a GitHub API that answers with the request's
 * own credentials in its error body, and a build step that prints its secret. No form of either secret
 * (plain, base64, URL-encoded, JSON-escaped) appears in the log, the outputs or the summary.
 */

function forms(secret: string): string[] {
  return [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
}

function expectNoForm(result: { log: string; summary: string; outputs: Record<string, string> }, secret: string) {
  const text = [result.log, result.summary, ...Object.values(result.outputs)].join('\n');
  for (const form of forms(secret)) expect(text).not.toContain(form);
}

describe('build-image never shows a secret input', () => {
  test('github-token echoed back by the API in its error body', async () => {
    const token = `tok/${unique('echo')}+"&<>`;
    const api = createServer((req, res) => {
      res.statusCode = 401;
      res.setHeader('content-type', 'application/json');
      const auth = String(req.headers.authorization);
      res.end(JSON.stringify({ message: `Bad credentials: ${auth} (${Buffer.from(auth).toString('base64')})` }));
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    try {
      const result = await runAction('build-image', {
        inputs: {
          images: `localhost/${unique('build-image-echo')}`,
          tags: 'x',
          context: fixture,
          network: 'host',
          secrets: 'token=abcdef',
          'github-token': token,
        },
        env: { GITHUB_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}` },
        github: { eventName: 'schedule', event: {} },
      });
      expect(result.errors).toEqual([]);
      expect(result.warnings.join('\n')).toMatch(/could not read the repository from the GitHub API/);
      expectNoForm(result, token);
    } finally {
      api.close();
    }
  });

  test('a build step that prints its secret, also base64-encoded', async () => {
    const secret = `s3cr3t-${unique('echo')}`;
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readServices } = await import('@deploy-actions/harness');
    const workspace = mkdtempSync(join(tmpdir(), 'build-image-echo-'));
    writeFileSync(
      join(workspace, 'Dockerfile'),
      `FROM ${readServices().baseImage}\nRUN --mount=type=secret,id=tok cat /run/secrets/tok && echo && base64 /run/secrets/tok\n`,
    );
    const result = await runAction('build-image', {
      inputs: {
        images: `localhost/${unique('build-image-echo2')}`,
        tags: 'x',
        network: 'host',
        secrets: `tok=${secret}`,
      },
      workspace,
    });
    expect(result.errors).toEqual([]);
    expectNoForm(result, secret);
  });
});
