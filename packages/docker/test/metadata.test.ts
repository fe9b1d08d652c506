import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from '@jest/globals';
import { InputError, UserError } from '@deploy-actions/toolkit';
import moment from 'moment-timezone';
import {
  computeMetadata,
  type EventPayload,
  gitRunner,
  Meta,
  type MetaInputs,
  needsMoment,
  readContext,
  readGitContext,
  resolveRepository,
} from '../src/metadata';
import { repoFixture } from './metadata-action/harness';

/**
 * What the ported metadata-action tables do not cover: this suite's opt-ins, the errors where the peer is
 * silent, the PEP 440 library, and where the repository fields come from.
 */

const NOW = new Date('2026-03-04T05:06:07.089Z');
const SHA = '0123456789abcdef0123456789abcdef01234567';
const HEAD = 'fedcba9876543210fedcba9876543210fedcba98';
const payload: EventPayload = {
  number: 7,
  pull_request: { number: 7, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } },
  repository: { ...repoFixture, default_branch: 'main' },
};

function meta(env: NodeJS.ProcessEnv, inputs: Partial<MetaInputs>, options = {}, event = payload): Meta {
  const context = readContext({ GITHUB_SHA: SHA, GITHUB_REPOSITORY: 'acme/api', ...env }, NOW, event);
  const all = { images: ['ghcr.io/acme/api'], tags: [], flavor: [], labels: [], annotations: [], ...inputs };
  return new Meta(all, context, repoFixture, { now: NOW, moment, ...options });
}

describe('pull requests', () => {
  test('pull_request_target is tagged as the PR, never as the base branch', () => {
    const m = meta({ GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/main' }, {});
    expect(m.getTags()).toEqual(['ghcr.io/acme/api:pr-7']);
  });
  test('the commit is the merge commit unless DOCKER_METADATA_PR_HEAD_SHA=true', () => {
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' };
    expect(meta(env, { tags: ['type=sha'] }).getTags()).toEqual(['ghcr.io/acme/api:sha-0123456']);
    expect(meta({ ...env, DOCKER_METADATA_PR_HEAD_SHA: 'true' }, { tags: ['type=sha'] }).getTags()).toEqual([
      'ghcr.io/acme/api:sha-fedcba9',
    ]);
  });
});

describe('latest', () => {
  const push = { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' };
  test('a default-branch push is not tagged latest by default (metadata-action)', () => {
    expect(meta(push, {}).getTags()).toEqual(['ghcr.io/acme/api:main']);
  });
  test('latestOnDefaultBranch opts in', () => {
    expect(meta(push, {}, { latestOnDefaultBranch: true }).getTags()).toEqual([
      'ghcr.io/acme/api:main',
      'ghcr.io/acme/api:latest',
    ]);
    const feature = { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feature' };
    expect(meta(feature, {}, { latestOnDefaultBranch: true }).version.latest).toBe(false);
  });
  test('latest follows the rule that produced the first tag', () => {
    const tag = { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3' };
    // sha has priority 100, semver 900: semver gives the first tag, so latest.
    expect(meta(tag, { tags: ['type=sha', 'type=semver,pattern={{version}}'] }).version.latest).toBe(true);
    // A raw rule with a higher priority gives the first tag: no latest.
    expect(
      meta(tag, { tags: ['type=raw,value=x,priority=1000', 'type=semver,pattern={{version}}'] }).version.latest,
    ).toBe(false);
  });
});

describe('PEP 440 (@renovatebot/pep440)', () => {
  test.each([
    ['1.2post1', ['1.2.post1'], false],
    ['1.2.3rc2', ['1.2.3rc2'], false],
    ['1.0dev4', ['1.0.dev4'], false],
    ['1.2', ['1.2', '1', 'latest'], true],
  ])('%s', (version, tags, latest) => {
    const m = meta(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: `refs/tags/${version}` },
      { images: [], tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}'] },
    );
    expect(m.getTags()).toEqual(tags);
    expect(m.version.latest).toBe(latest);
  });
});

describe('expressions', () => {
  const push = { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' };
  test('moment formats with [escapes] and X, in a zone', () => {
    const m = meta(push, {
      images: [],
      tags: [
        "type=raw,value={{date 'YYYY[T]MM'}}",
        "type=raw,value={{date 'X'}}",
        "type=raw,value={{date 'HH' tz='Asia/Tokyo'}}",
      ],
    });
    expect(m.getTags()).toEqual(['2026T03', String(Math.floor(NOW.getTime() / 1000)), '14']);
  });
  test('commit_date and is_not_default_branch', () => {
    const m = meta(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feature', GITHUB_SHA: SHA },
      {
        images: [],
        tags: ["type=raw,value=c{{commit_date 'YYYYMMDD'}}", 'type=raw,value=f,enable={{is_not_default_branch}}'],
      },
      {},
      { ...payload, commits: [{ id: SHA, timestamp: '2025-12-31T23:00:00Z' }] },
    );
    expect(m.getTags()).toEqual(['c20251231', 'f']);
  });
  test('base_ref on a tag push comes from the payload', () => {
    const m = meta(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1' },
      { images: [], tags: ['type=raw,value=from-{{base_ref}}'] },
      {},
      { ...payload, base_ref: 'refs/heads/release' },
    );
    expect(m.getTags()).toEqual(['from-release']);
  });
  test('is_default_branch is true on create, issues and discussion events', () => {
    for (const event of ['create', 'issues', 'discussion'])
      expect(
        meta(
          { GITHUB_EVENT_NAME: event, GITHUB_REF: 'refs/heads/x' },
          { images: [], tags: ['type=raw,value=d,enable={{is_default_branch}}'] },
          {},
          {},
        ).getTags(),
      ).toEqual(['d']);
  });
  test('label values are expanded and lines without = are dropped with a warning', () => {
    const m = meta(push, { labels: ['foo={{branch}}', 'no-equals'] });
    expect(m.getLabels()).toContain('foo=main');
    expect(m.getLabels().some((l) => l.startsWith('no-equals'))).toBe(false);
    expect(m.warnings).toContain('labels: "no-equals" has no "=" and is ignored');
  });
  test('DOCKER_METADATA_SHORT_SHA_LENGTH', () => {
    expect(meta(push, { images: [], tags: ['type=sha'] }, { shortShaLength: '12' }).getTags()).toEqual([
      'sha-0123456789ab',
    ]);
    expect(() => meta(push, { tags: ['type=sha'] }, { shortShaLength: 'ten' })).toThrow(UserError);
  });
  test('a semver match= that does not match falls back to the whole tag', () => {
    const m = meta(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/1.2.3' },
      { images: [], tags: ['type=semver,pattern={{version}},match=^app-(.*)$'] },
    );
    expect(m.getTags()).toEqual(['1.2.3', 'latest']);
    expect(m.warnings[0]).toMatch(/does not match 1\.2\.3/);
  });
  test.each([
    ['type=raw,value={{nope}}', /unknown expression \{\{nope\}\}/],
    ["type=raw,value={{date 'YYYY' tz='Mars/Olympus'}}", /unknown time zone "Mars\/Olympus"/],
    ['type=raw,value={{branch', /is not a valid template/],
  ])('%s is an input error', (rule, message) => {
    expect(() => meta(push, { tags: [rule] })).toThrow(message);
  });
  test('needsMoment finds date templates only', () => {
    expect(needsMoment(["type=raw,value={{date 'YYYY'}}"])).toBe(true);
    expect(needsMoment(['type=raw,value={{ commit_date "YYYY" }}'])).toBe(true);
    expect(needsMoment(['type=ref,event=branch', 'type=raw,value=update'])).toBe(false);
  });
});

describe('type=match is bounded', () => {
  test('a catastrophic pattern fails the step quickly, naming the rule', () => {
    const started = process.hrtime.bigint();
    expect(() =>
      meta(
        { GITHUB_EVENT_NAME: 'push', GITHUB_REF: `refs/tags/${'a'.repeat(40)}!` },
        { tags: ['type=match,pattern=^(a+)+$'] },
        { matchTimeoutMs: 100 },
      ),
    ).toThrow(/rule "type=match,pattern=\^\(a\+\)\+\$" has a pattern that ran for more than 100 ms/);
    // Unbounded, this input backtracks for hours; bounded, it stops near the limit.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
  });
  test('lookarounds still work (JavaScript semantics, as in metadata-action)', () => {
    const m = meta(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2' },
      { images: [], tags: ['type=match,pattern=(?<=v)\\d+'] },
    );
    expect(m.getTags()).toEqual(['1', 'latest']);
  });
  test('an invalid pattern is an input error', () => {
    expect(() =>
      meta({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1' }, { tags: ['type=match,pattern=('] }),
    ).toThrow(InputError);
  });
});

describe('computeMetadata', () => {
  test('tags without images are bare tag names', async () => {
    const context = readContext({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/dev', GITHUB_SHA: SHA }, NOW, {});
    const result = await computeMetadata(
      { images: [], tags: [], flavor: [], labels: [], annotations: [] },
      context,
      repoFixture,
      { now: NOW },
    );
    expect(result.tags).toEqual(['dev']);
    expect(result.tagNames).toEqual(['dev']);
  });
});

describe('resolveRepository', () => {
  async function fakeApi(): Promise<{ url: string; requests: string[]; close: () => void }> {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.setHeader('content-type', 'application/json');
      if (req.url === '/repos/acme/api')
        res.end(
          JSON.stringify({
            name: 'api',
            description: 'The API',
            html_url: 'https://github.com/acme/api',
            default_branch: 'main',
            license: { spdx_id: 'Apache-2.0' },
          }),
        );
      else if (req.url === `/repos/acme/api/commits/${SHA}`)
        res.end(JSON.stringify({ commit: { committer: { date: '2025-01-02T03:04:05Z' } } }));
      else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, requests, close: () => server.close() };
  }
  const env = {
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: SHA,
    GITHUB_REPOSITORY: 'acme/api',
  };

  test('reads description, license and commit date from the API when the payload lacks them', async () => {
    const api = await fakeApi();
    try {
      const context = readContext({ ...env, GITHUB_API_URL: api.url }, NOW, {});
      const resolved = await resolveRepository(context, { token: 'tkn' });
      expect(resolved.source).toBe('api');
      expect(resolved.repo.description).toBe('The API');
      expect(resolved.repo.license?.spdx_id).toBe('Apache-2.0');
      expect(resolved.commitDate).toEqual(new Date('2025-01-02T03:04:05Z'));
      expect(api.requests).toEqual([`GET /repos/acme/api Bearer tkn`, `GET /repos/acme/api/commits/${SHA} Bearer tkn`]);
    } finally {
      api.close();
    }
  });
  test('no request when the payload has everything', async () => {
    const api = await fakeApi();
    try {
      const full = {
        repository: repoFixture,
        commits: [{ id: SHA, timestamp: '2024-01-01T00:00:00Z' }],
      } as unknown as EventPayload;
      const context = readContext({ ...env, GITHUB_API_URL: api.url }, NOW, full);
      const resolved = await resolveRepository(context, { token: 'tkn' });
      expect(resolved.source).toBe('payload');
      expect(api.requests).toEqual([]);
    } finally {
      api.close();
    }
  });
  test('without a token: what is known, and a note', async () => {
    const context = readContext(env, NOW, {});
    const resolved = await resolveRepository(context, {});
    expect(resolved.repo.html_url).toBe('https://github.com/acme/api');
    expect(resolved.notes[0]).toMatch(/give "github-token"/);
  });
  test('the token is never sent to a plain-http non-loopback API', async () => {
    const context = readContext({ ...env, GITHUB_API_URL: 'http://169.254.169.254' }, NOW, {});
    const resolved = await resolveRepository(context, { token: 'tkn' });
    expect(resolved.source).toBe('environment');
    expect(resolved.notes[0]).toMatch(/not sent/);
  });
});

describe('metadata context from git (a real repository)', () => {
  test('a branch, then a detached tag checkout', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'metadata-git-'));
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_COMMITTER_DATE: '2025-05-06T07:08:09Z',
      GIT_AUTHOR_DATE: '2025-05-06T07:08:09Z',
    };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'release');
    git('commit', '-q', '--allow-empty', '-m', 'one');
    git('tag', 'v3.1.4');
    const base = readContext({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }, NOW, {});
    const onBranch = await readGitContext(base, gitRunner(dir, env));
    expect(onBranch.ref).toBe('refs/heads/release');
    expect(onBranch.sha).toBe(git('rev-parse', 'HEAD'));
    expect(onBranch.commitDate).toEqual(new Date('2025-05-06T07:08:09Z'));
    git('checkout', '-q', '--detach', 'v3.1.4');
    const detached = await readGitContext(base, gitRunner(dir, env));
    expect(detached.ref).toBe('refs/tags/v3.1.4');
    const m = new Meta(
      { images: [], tags: ['type=semver,pattern={{version}}'], flavor: [], labels: [], annotations: [] },
      detached,
      repoFixture,
      { now: NOW, moment },
    );
    expect(m.getTags()).toEqual(['3.1.4', 'latest']);
  });
});
