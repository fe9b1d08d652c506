import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { InputError } from '@deploy-actions/toolkit';
import {
  computeTags,
  contextFrom,
  readContext,
  ociLabels,
  parseFlavor,
  parseImages,
  parsePep440,
  parseTagRules,
  sanitizeTag,
} from '../src/metadata';

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const HEAD_SHA = 'f00dfeed00112233445566778899aabbccddeeff';

interface Case {
  event?: string;
  ref: string;
  tags?: string[];
  flavor?: string[];
  images?: string;
  defaultBranch?: string;
  payload?: Record<string, unknown>;
  now?: Date;
}

function meta(c: Case) {
  const context = contextFrom({
    eventName: c.event ?? 'push',
    ref: c.ref,
    sha: SHA,
    repositoryName: 'octo/hello-world',
    payload: { repository: { default_branch: c.defaultBranch ?? 'main' }, ...c.payload },
    now: c.now ?? new Date('2020-01-10T00:30:00Z'),
  });
  return computeTags(
    parseTagRules(c.tags ?? []),
    parseFlavor(c.flavor ?? []),
    parseImages(c.images ?? 'name/app'),
    context,
  );
}

const tagsOf = (c: Case) => meta(c).tags;

describe('metadata-action README: default tags', () => {
  test.each([
    ['pull_request', 'refs/pull/2/merge', ['pr-2']],
    ['push', 'refs/heads/master', ['master']],
    ['push', 'refs/heads/releases/v1', ['releases-v1']],
    ['push', 'refs/tags/v1.2.3', ['v1.2.3', 'latest']],
    ['push', 'refs/tags/v2.0.8-beta.67', ['v2.0.8-beta.67', 'latest']],
    ['workflow_dispatch', 'refs/heads/master', ['master']],
  ])('%s %s', (event, ref, expected) => {
    expect(tagsOf({ event, ref })).toEqual(expected);
  });

  test('tags are given for every image, names lowercased', () => {
    expect(meta({ ref: 'refs/tags/v1.2.3', images: 'Name/App\nghcr.io/Octo/App' }).refs).toEqual([
      'name/app:v1.2.3',
      'name/app:latest',
      'ghcr.io/octo/app:v1.2.3',
      'ghcr.io/octo/app:latest',
    ]);
  });
});

describe('metadata-action README: branch, pr and semver rules', () => {
  const tags = [
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}',
  ];
  test.each([
    ['pull_request', 'refs/pull/2/merge', ['pr-2']],
    ['push', 'refs/heads/master', ['master']],
    ['push', 'refs/heads/releases/v1', ['releases-v1']],
    ['push', 'refs/tags/v1.2.3', ['1.2.3', '1.2', 'latest']],
    ['push', 'refs/tags/v2.0.8-beta.67', ['2.0.8-beta.67']],
  ])('%s %s', (event, ref, expected) => {
    expect(tagsOf({ event, ref, tags })).toEqual(expected);
  });

  test('the version output is the highest-priority tag', () => {
    expect(meta({ ref: 'refs/tags/v1.2.3', tags }).version).toBe('1.2.3');
    expect(meta({ ref: 'refs/heads/master', tags }).version).toBe('master');
  });
});

describe('type=semver patterns (README table)', () => {
  test.each([
    ['v1.2.3', '{{raw}}', ['v1.2.3', 'latest']],
    ['v1.2.3', '{{version}}', ['1.2.3', 'latest']],
    ['v1.2.3', '{{major}}.{{minor}}', ['1.2', 'latest']],
    ['v1.2.3', 'v{{major}}', ['v1', 'latest']],
    ['v1.2.3', '{{minor}}', ['2', 'latest']],
    ['v1.2.3', '{{patch}}', ['3', 'latest']],
    ['v2.0.8-beta.67', '{{raw}}', ['v2.0.8-beta.67']],
    ['v2.0.8-beta.67', '{{version}}', ['2.0.8-beta.67']],
    ['v2.0.8-beta.67', '{{major}}.{{minor}}', ['2.0.8-beta.67']],
    ['v2.0.8-beta.67', '{{major}}', ['2.0.8-beta.67']],
  ])('%s with %s', (tag, pattern, expected) => {
    expect(tagsOf({ ref: `refs/tags/${tag}`, tags: [`type=semver,pattern=${pattern}`] })).toEqual(expected);
  });

  test('a full release gets version, major.minor and major; a pre-release only its version', () => {
    const rules = [
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      'type=semver,pattern={{major}}',
    ];
    expect(tagsOf({ ref: 'refs/tags/v3.1.4', tags: rules })).toEqual(['3.1.4', '3.1', '3', 'latest']);
    expect(tagsOf({ ref: 'refs/tags/v3.2.0-rc.1', tags: rules })).toEqual(['3.2.0-rc.1']);
  });

  test('major 0 is tagged like any other major, as in metadata-action (#70)', () => {
    expect(tagsOf({ ref: 'refs/tags/v0.2.3', tags: ['type=semver,pattern={{major}}'] })).toEqual(['0', 'latest']);
  });

  test('value= gives the version on a branch, match= extracts it', () => {
    expect(tagsOf({ ref: 'refs/heads/dev', tags: ['type=semver,pattern={{version}},value=v1.0.0'] })).toEqual([
      '1.0.0',
      'latest',
    ]);
    expect(
      tagsOf({ ref: 'refs/tags/app/v1.4.2', tags: ['type=semver,pattern={{major}}.{{minor}},match=v(.*)$'] }),
    ).toEqual(['1.4', 'latest']);
  });

  test('a tag that is not semver gives no tag and a warning; a branch gives nothing', () => {
    const result = meta({ ref: 'refs/tags/release-x', tags: ['type=semver,pattern={{version}}'] });
    expect(result.tags).toEqual([]);
    expect(result.warnings[0]).toMatch(/release-x is not a valid semantic version/);
    expect(tagsOf({ ref: 'refs/heads/feature', tags: ['type=semver,pattern={{version}}'] })).toEqual([]);
  });
});

describe('type=pep440 (README table)', () => {
  test.each([
    ['1.2.3', '{{raw}}', ['1.2.3', 'latest']],
    ['1.2.3', '{{version}}', ['1.2.3', 'latest']],
    ['v1.2.3', '{{version}}', ['1.2.3', 'latest']],
    ['1.2.3', '{{major}}.{{minor}}', ['1.2', 'latest']],
    ['1.2.3', '{{major}}', ['1', 'latest']],
    ['1.2.3a1', '{{version}}', ['1.2.3a1']],
    ['1.2.3a1', '{{major}}.{{minor}}', ['1.2.3a1']],
    ['1.2.3rc2', '{{raw}}', ['1.2.3rc2']],
    ['1.2.3.post1', '{{major}}.{{minor}}', ['1.2', 'latest']],
    ['1.2.3.post1', '{{version}}', ['1.2.3.post1', 'latest']],
    ['1.0dev4', '{{version}}', ['1.0.dev4']],
    ['1.2.3-beta.2', '{{version}}', ['1.2.3b2']],
  ])('%s with %s', (tag, pattern, expected) => {
    expect(tagsOf({ ref: `refs/tags/${tag}`, tags: [`type=pep440,pattern=${pattern}`] })).toEqual(expected);
  });

  test('normalises spellings', () => {
    expect(parsePep440('1.0-ALPHA_3')?.version).toBe('1.0a3');
    expect(parsePep440('2!1.0.post')?.version).toBe('2!1.0.post0');
    expect(parsePep440('not-a-version')).toBeUndefined();
  });
});

describe('type=match, edge, raw, sha, schedule', () => {
  test.each([
    ['v1.1.1', 'type=match,pattern=\\d.\\d.\\d', ['1.1.1', 'latest']],
    ['v1.1.1', 'type=match,pattern=v(\\d.\\d),group=1', ['1.1', 'latest']],
    ['v2.0.8-beta.67', 'type=match,pattern=v(\\d.\\d),group=1', ['2.0', 'latest']],
    ['v2.0.8-beta.67', 'type=match,pattern=\\d.\\d', ['2.0', 'latest']],
    ['release-1', 'type=match,pattern=v(\\d.\\d),group=1', []],
  ])('match on %s: %s', (tag, rule, expected) => {
    expect(tagsOf({ ref: `refs/tags/${tag}`, tags: [rule] })).toEqual(expected);
  });

  test('edge on the named branch, or the default branch', () => {
    expect(tagsOf({ ref: 'refs/heads/develop', tags: ['type=edge,branch=develop'] })).toEqual(['edge']);
    expect(tagsOf({ ref: 'refs/heads/other', tags: ['type=edge,branch=develop'] })).toEqual([]);
    expect(tagsOf({ ref: 'refs/heads/main', tags: ['type=edge'], flavor: ['latest=false'] })).toEqual(['edge']);
  });

  test('raw with expressions and enable', () => {
    expect(
      tagsOf({ ref: 'refs/heads/dev', tags: ['type=raw,value=foo', 'bar', 'type=raw,value={{branch}}-{{sha}}'] }),
    ).toEqual(['foo', 'bar', 'dev-860c190']);
    const rules = ['type=raw,value=stable,enable={{is_default_branch}}', 'type=ref,event=branch'];
    expect(tagsOf({ ref: 'refs/heads/main', tags: rules, flavor: ['latest=false'] })).toEqual(['main', 'stable']);
    expect(tagsOf({ ref: 'refs/heads/dev', tags: rules })).toEqual(['dev']);
    expect(tagsOf({ ref: 'refs/heads/dev', tags: ['type=raw,value=x,enable=false'] })).toEqual([]);
  });

  test('sha short, long, custom prefix; not touched by the flavor prefix', () => {
    expect(tagsOf({ ref: 'refs/heads/dev', tags: ['type=sha'] })).toEqual(['sha-860c190']);
    expect(tagsOf({ ref: 'refs/heads/dev', tags: ['type=sha,format=long'] })).toEqual([`sha-${SHA}`]);
    expect(tagsOf({ ref: 'refs/heads/dev', tags: ['type=sha,prefix=,suffix=-x'] })).toEqual(['860c190-x']);
    expect(
      tagsOf({ ref: 'refs/heads/dev', tags: ['type=sha', 'type=ref,event=branch'], flavor: ['prefix=app-'] }),
    ).toEqual(['app-dev', 'sha-860c190']);
  });

  test('pull requests: pr-N and the head commit, not the merge commit', () => {
    const payload = {
      number: 15,
      pull_request: { number: 15, head: { sha: HEAD_SHA, ref: 'feature' }, base: { ref: 'main' } },
    };
    const result = meta({
      event: 'pull_request',
      ref: 'refs/pull/15/merge',
      tags: ['type=ref,event=pr', 'type=sha', 'type=raw,value={{branch}}-{{base_ref}}'],
      payload,
    });
    expect(result.tags).toEqual(['pr-15', 'feature-main', `sha-${HEAD_SHA.slice(0, 7)}`]);
    expect(result.latest).toBe(false);
  });

  test('schedule: nightly and date patterns, only on schedule events', () => {
    expect(tagsOf({ event: 'schedule', ref: 'refs/heads/main', tags: ['type=schedule'] })).toEqual(['nightly']);
    expect(
      tagsOf({ event: 'schedule', ref: 'refs/heads/main', tags: ["type=schedule,pattern={{date 'YYYYMMDD'}}"] }),
    ).toEqual(['20200110']);
    expect(
      tagsOf({
        event: 'schedule',
        ref: 'refs/heads/main',
        tags: ["type=schedule,pattern={{date 'YYYYMMDD-HHmm' tz='Asia/Tokyo'}}"],
      }),
    ).toEqual(['20200110-0930']);
    expect(tagsOf({ event: 'push', ref: 'refs/heads/dev', tags: ['type=schedule'] })).toEqual([]);
  });

  test('priority decides the order and the version', () => {
    const result = meta({
      ref: 'refs/tags/v1.2.3',
      tags: ['type=semver,pattern={{version}}', 'type=raw,value=first,priority=2000'],
    });
    expect(result.tags).toEqual(['first', '1.2.3', 'latest']);
    expect(result.version).toBe('first');
  });
});

describe('latest and flavor', () => {
  test('latest=auto on a push to the default branch (the default branch comes from the event payload)', () => {
    expect(tagsOf({ ref: 'refs/heads/trunk', defaultBranch: 'trunk' })).toEqual(['trunk', 'latest']);
    expect(tagsOf({ ref: 'refs/heads/trunk', defaultBranch: 'main' })).toEqual(['trunk']);
    expect(tagsOf({ event: 'schedule', ref: 'refs/heads/main', tags: ['type=schedule'] })).toEqual(['nightly']);
  });

  test('latest=false and latest=true', () => {
    expect(tagsOf({ ref: 'refs/tags/v1.2.3', flavor: ['latest=false'] })).toEqual(['v1.2.3']);
    expect(tagsOf({ ref: 'refs/heads/dev', flavor: ['latest=true'] })).toEqual(['dev', 'latest']);
  });

  test('prefix and suffix apply to every tag, to latest only with onlatest', () => {
    const tags = ['type=semver,pattern={{version}}'];
    expect(tagsOf({ ref: 'refs/tags/v1.2.3', tags, flavor: ['prefix=app-', 'suffix=-alpine'] })).toEqual([
      'app-1.2.3-alpine',
      'latest',
    ]);
    expect(
      tagsOf({ ref: 'refs/tags/v1.2.3', tags, flavor: ['prefix=app-,onlatest=true', 'suffix=-alpine,onlatest=true'] }),
    ).toEqual(['app-1.2.3-alpine', 'app-latest-alpine']);
    expect(
      tagsOf({ ref: 'refs/tags/v1.2.3', tags: ['type=semver,pattern={{version}},prefix=v'], flavor: ['prefix=app-'] }),
    ).toEqual(['v1.2.3', 'latest']);
  });
});

describe('sanitising', () => {
  test('invalid tag characters become "-", at most 128 characters', () => {
    expect(tagsOf({ ref: 'refs/heads/feature/Some Thing#1' })).toEqual(['feature-Some-Thing-1']);
    expect(sanitizeTag(`x${'a'.repeat(300)}`)).toHaveLength(128);
    expect(sanitizeTag('-.weird')).toBe('weird');
  });

  test('duplicates are dropped', () => {
    expect(
      tagsOf({ ref: 'refs/tags/v1.2.3', tags: ['type=semver,pattern={{version}}', 'type=raw,value=1.2.3'] }),
    ).toEqual(['1.2.3', 'latest']);
  });
});

describe('OCI labels', () => {
  test('from the repository in the event payload, overridable', () => {
    const context = contextFrom({
      eventName: 'pull_request',
      ref: 'refs/pull/3/merge',
      sha: SHA,
      repositoryName: 'octo/hello-world',
      payload: {
        pull_request: { number: 3, head: { sha: HEAD_SHA } },
        repository: {
          name: 'hello-world',
          description: 'This your first repo!',
          html_url: 'https://github.com/octo/hello-world',
          default_branch: 'main',
          license: { spdx_id: 'MIT' },
        },
      },
      now: new Date('2020-01-10T00:30:00Z'),
    });
    expect(ociLabels(context, 'pr-3', { 'org.opencontainers.image.title': 'Hello' })).toEqual({
      'org.opencontainers.image.title': 'Hello',
      'org.opencontainers.image.description': 'This your first repo!',
      'org.opencontainers.image.url': 'https://github.com/octo/hello-world',
      'org.opencontainers.image.source': 'https://github.com/octo/hello-world',
      'org.opencontainers.image.version': 'pr-3',
      'org.opencontainers.image.created': '2020-01-10T00:30:00.000Z',
      'org.opencontainers.image.revision': HEAD_SHA,
      'org.opencontainers.image.licenses': 'MIT',
    });
  });

  test('without a payload the repository comes from GITHUB_REPOSITORY', () => {
    const context = contextFrom({ eventName: 'push', ref: 'refs/heads/main', sha: SHA, repositoryName: 'octo/app' });
    const labels = ociLabels(context, 'main');
    expect(labels['org.opencontainers.image.title']).toBe('app');
    expect(labels['org.opencontainers.image.source']).toBe('https://github.com/octo/app');
    expect(labels['org.opencontainers.image.licenses']).toBeUndefined();
  });
});

describe('rule errors name the input and the rule', () => {
  test.each([
    [
      ['type=semvr,pattern={{version}}'],
      /Input "tags": rule "type=semvr,pattern=\{\{version\}\}" has an unknown type "semvr"/,
    ],
    [['type=semver'], /rule "type=semver" has no pattern/],
    [['type=match'], /rule "type=match" has no pattern/],
    [['type=ref'], /rule "type=ref" needs event=branch/],
    [['type=ref,event=push'], /needs event=branch, event=tag or event=pr/],
    [['type=raw'], /rule "type=raw" has no value/],
    [['type=sha,format=medium'], /has format "medium"/],
    [['type=sha,pattern=x'], /has an attribute "pattern" that type=sha does not take/],
    [['type=raw,value=x,priority=high'], /priority that is not a whole number/],
    [['type=match,pattern=(unclosed'], /pattern that is not a regular expression/],
    [['type=raw,value=a"b,c'], /Input "tags": cannot read/],
    [['ghcr.io/acme/api:v1'], /rule "ghcr.io\/acme\/api:v1" looks like a full image reference/],
  ])('%s', (tags, message) => {
    expect(() => parseTagRules(tags)).toThrow(InputError);
    expect(() => parseTagRules(tags)).toThrow(message);
  });

  test('expressions and enable values are checked', () => {
    expect(() => tagsOf({ ref: 'refs/heads/x', tags: ['type=raw,value={{nope}}'] })).toThrow(
      /unknown expression \{\{nope\}\}/,
    );
    expect(() => tagsOf({ ref: 'refs/heads/x', tags: ['type=raw,value=a,enable=maybe'] })).toThrow(/enable=maybe/);
  });

  test('flavor and images', () => {
    expect(() => parseFlavor(['latest=sometimes'])).toThrow(/Input "flavor": latest=sometimes is not a choice/);
    expect(() => parseFlavor(['colour=blue'])).toThrow(/unknown key "colour"/);
    expect(() => parseFlavor(['onlatest=true'])).toThrow(/onlatest without a prefix or suffix/);
    expect(() => parseImages('ghcr.io/octo/app:v1')).toThrow(/Input "images": "ghcr.io\/octo\/app:v1" has a tag/);
    expect(() => parseImages('bad name!')).toThrow(/is not a valid image name/);
    expect(() => parseImages('127.0.0.1:5000/app:v1')).toThrow(/"127.0.0.1:5000\/app:v1" has a tag/);
    expect(() => parseImages('ghcr.io/acme/app@sha256:abc')).toThrow(/has a tag or digest/);
    expect(parseImages('name=ghcr.io/a/b,enable=false\n127.0.0.1:5000/x, docker.io/y/z')).toEqual([
      { name: 'ghcr.io/a/b', enable: 'false' },
      { name: '127.0.0.1:5000/x', enable: 'true' },
      { name: 'docker.io/y/z', enable: 'true' },
    ]);
  });

  test('a disabled image gets no refs', () => {
    expect(meta({ ref: 'refs/heads/dev', images: 'name=a/b,enable={{is_default_branch}}\nc/d' }).refs).toEqual([
      'c/d:dev',
    ]);
  });
});

describe('the GitHub context from the runner environment', () => {
  test('reads GITHUB_* and the event payload; a pull_request uses its head commit and number', () => {
    const eventPath = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
    writeFileSync(
      eventPath,
      JSON.stringify({
        number: 9,
        pull_request: { number: 9, head: { sha: HEAD_SHA, ref: 'fix/login' }, base: { ref: 'main' } },
        repository: { name: 'api', default_branch: 'main', html_url: 'https://github.com/acme/api' },
      }),
    );
    const context = readContext({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: 'refs/pull/9/merge',
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_EVENT_PATH: eventPath,
    });
    expect(context).toMatchObject({
      eventName: 'pull_request',
      sha: HEAD_SHA,
      prNumber: 9,
      baseRef: 'main',
      headRef: 'fix/login',
      repository: { name: 'api', defaultBranch: 'main', htmlUrl: 'https://github.com/acme/api' },
    });
  });

  test('a missing or unreadable event file leaves the payload empty', () => {
    const context = readContext({
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/x',
      GITHUB_SHA: SHA,
      GITHUB_EVENT_PATH: '/nonexistent/event.json',
    });
    expect(context.sha).toBe(SHA);
    expect(context.repository.defaultBranch).toBeUndefined();
    expect(context.prNumber).toBeUndefined();
  });
});
