import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { readServices, runAction } from '@deploy-actions/harness';
import { expectNoForm, quoteEveryForm } from '../snapshot-db/secret-forms';
import { fixture, unique } from './helpers';

/**
 * Echo audit (issue 12): build-image's secret inputs are github-token and secrets. echo.test.ts has a
 * server and a build step echoing them in some forms; here each is echoed in every form issue 12 names
 * (raw, URL- and form-encoded, base64 and base64url, JSON- and HTML-escaped), checked one by one: the
 * GitHub API quoting the request's token, and a build step that prints its secret mount in each encoding
 * it can compute with busybox.
 */

describe('build-image: every form of a secret input echoed back', () => {
  test('github-token quoted by the GitHub API in every form', async () => {
    const token = `ghs_Ech&<o>"'\\ ${unique('t')}/+=`;
    let calls = 0;
    const api = createServer((req, res) => {
      calls++;
      const auth = String(req.headers.authorization ?? '');
      const bare = auth.replace(/^(Bearer|token) /i, '');
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `Bad credentials: ${auth} ${quoteEveryForm(bare)}` }));
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    try {
      const result = await runAction('build-image', {
        inputs: {
          images: `localhost/${unique('build-image-echo-audit')}`,
          tags: 'x',
          context: fixture,
          network: 'host',
          'github-token': token,
        },
        env: { GITHUB_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}` },
        github: { eventName: 'schedule', event: {} },
        secrets: [token],
        debug: true,
      });
      expect(calls).toBeGreaterThan(0);
      expect(result.errors).toEqual([]);
      expectNoForm(result, [{ secret: token }]);
    } finally {
      api.close();
    }
  });

  test('a build step that prints its secret raw, base64, URL- and form-encoded, JSON- and HTML-escaped', async () => {
    // No backslash or quote-mark the shell would need escaping; & < > " / + = and a space make every form differ.
    const secret = `s3 cr&<e>t"/+=${unique('v')}`;
    const workspace = mkdtempSync(join(tmpdir(), 'build-image-echo-audit-'));
    const forms = [
      'echo "plain: $s"',
      'echo "base64: $(printf %s "$s" | base64 | tr -d "\\n")"',
      'echo "base64url: $(printf %s "$s" | base64 | tr -d "\\n=" | tr "+/" "-_")"',
      `echo "url: $(printf %s "$s" | sed 's/%/%25/g; s/ /%20/g; s/&/%26/g; s/</%3C/g; s/>/%3E/g; s/"/%22/g; s#/#%2F#g; s/+/%2B/g; s/=/%3D/g')"`,
      `echo "form: $(printf %s "$s" | sed 's/%/%25/g; s/+/%2B/g; s/ /+/g; s/&/%26/g; s/</%3C/g; s/>/%3E/g; s/"/%22/g; s#/#%2F#g; s/=/%3D/g')"`,
      `echo "json: $(printf %s "$s" | sed 's/"/\\\\"/g')"`,
      `echo "html: $(printf %s "$s" | sed 's/&/\\&amp;/g; s/</\\&lt;/g; s/>/\\&gt;/g; s/"/\\&quot;/g')"`,
    ];
    writeFileSync(
      join(workspace, 'Dockerfile'),
      `FROM ${readServices().baseImage}\nRUN --mount=type=secret,id=tok s=$(cat /run/secrets/tok); ${forms.join('; ')}\n`,
    );
    const result = await runAction('build-image', {
      inputs: {
        images: `localhost/${unique('build-image-echo-audit2')}`,
        tags: 'x',
        network: 'host',
        'no-cache': true,
        secrets: `tok=${secret}`,
      },
      workspace,
      secrets: [secret],
    });
    expect(result.errors).toEqual([]);
    // The step did print each form (masked), so the check below is about real output.
    for (const label of ['plain', 'base64', 'base64url', 'url', 'form', 'json', 'html'])
      expect(result.log).toMatch(new RegExp(`${label}: \\*\\*\\*`));
    expectNoForm(result, [{ secret }]);
  });
});
