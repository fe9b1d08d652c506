/**
 * The release scripts that release.yml runs, against a local bare repository as `origin` and a
 * loopback stand-in for the GitHub API: every refusal (not main's head, CI not green, version exists
 * or does not increase, no release notes), the stamped workflows, and the atomic tag push.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';

const scripts = join(import.meta.dirname, '../../scripts/release');
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

let root: string;
let work: string;
let origin: string;
let server: Server;
let api: string;
/** head_sha → conclusion of main's CI run, as the fake API reports it. */
let ciRuns: Record<string, string>;
let apiRequests: { url: string; auth?: string }[];

/** Runs a release script; asynchronously, since the fake API answers from this process's event loop. */
function run(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', [join(scripts, script), ...args], {
    cwd: work,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: root,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
      GITHUB_API_URL: api,
      GITHUB_REPOSITORY: 'acme/deploy-actions',
      GH_TOKEN: 'read-only-token',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const workflow = `name: r
on: workflow_call
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - uses: org/deploy-actions/build-image@main
      - id: push
        uses: org/deploy-actions/push-registry@v1 # older pin
      - uses: org/deploy-actions/.github/workflows/other.yml@main
`;

beforeAll(async () => {
  server = createServer((req, res) => {
    apiRequests.push({ url: req.url ?? '', auth: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/repos/acme/deploy-actions/actions/workflows/ci.yml/runs') {
      res.writeHead(404).end('{}');
      return;
    }
    const sha = url.searchParams.get('head_sha') ?? '';
    const conclusion = ciRuns[sha];
    const runs = conclusion ? [{ head_sha: sha, status: 'completed', conclusion }] : [];
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ total_count: runs.length, workflow_runs: runs }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'release-test-'));
  origin = join(root, 'origin.git');
  work = join(root, 'work');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', origin]);
  execFileSync('git', ['clone', '--quiet', origin, work], { stdio: 'ignore' });
  mkdirSync(join(work, '.github/workflows'), { recursive: true });
  writeFileSync(join(work, '.github/workflows/release-flow.yml'), workflow);
  writeFileSync(
    join(work, 'CHANGELOG.md'),
    '# Changelog\n\n## Unreleased\n\n## 1.2.0\n\n- Canary rollback within seconds.\n\n## 1.1.0\n\n- Old.\n',
  );
  git(work, 'checkout', '--quiet', '-B', 'main');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'first');
  git(work, 'tag', '-a', 'v1.1.0', '-m', 'v1.1.0');
  git(work, 'tag', '-a', 'v1', '-m', 'v1');
  git(work, 'push', '--quiet', 'origin', 'main', '--tags');
  ciRuns = { [git(work, 'rev-parse', 'HEAD')]: 'success' };
  apiRequests = [];
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('preflight', () => {
  test('passes on main head with green CI and a new, higher version, reading CI with the token', async () => {
    const result = await run('preflight.sh', ['1.2.0']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('all checks passed');
    expect(apiRequests).toHaveLength(1);
    expect(apiRequests[0].auth).toBe('Bearer read-only-token');
    expect(apiRequests[0].url).toContain(`head_sha=${git(work, 'rev-parse', 'HEAD')}`);
  });

  test('refuses a commit that is not the head of main', async () => {
    git(work, 'checkout', '--quiet', '-b', 'feature');
    git(work, 'commit', '--quiet', '--allow-empty', '-m', 'not on main');
    ciRuns[git(work, 'rev-parse', 'HEAD')] = 'success';
    const result = await run('preflight.sh', ['1.2.0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is not the head of main/);
  });

  test('refuses when main moved on after this commit', async () => {
    const old = git(work, 'rev-parse', 'HEAD');
    git(work, 'commit', '--quiet', '--allow-empty', '-m', 'newer');
    git(work, 'push', '--quiet', 'origin', 'main');
    git(work, 'checkout', '--quiet', old);
    expect((await run('preflight.sh', ['1.2.0'])).stderr).toMatch(/is not the head of main/);
  });

  test.each([
    ['failure', /CI is not green/],
    ['cancelled', /CI is not green/],
  ])('refuses when main CI concluded %s', async (conclusion, message) => {
    ciRuns[git(work, 'rev-parse', 'HEAD')] = conclusion;
    const result = await run('preflight.sh', ['1.2.0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  test('refuses when CI has not run for the commit', async () => {
    ciRuns = {};
    expect((await run('preflight.sh', ['1.2.0'])).stderr).toMatch(/CI is not green/);
  });

  test('refuses a version that exists, on origin or here', async () => {
    expect((await run('preflight.sh', ['1.1.0'])).stderr).toMatch(/v1\.1\.0 exists already/);
    git(work, 'tag', '-d', 'v1.1.0');
    expect((await run('preflight.sh', ['1.1.0'])).stderr).toMatch(/v1\.1\.0 exists already/);
  });

  test('refuses a version that does not increase', async () => {
    writeFileSync(join(work, 'CHANGELOG.md'), '# Changelog\n\n## 1.0.5\n\n- Backport.\n');
    git(work, 'commit', '--quiet', '-am', 'notes');
    git(work, 'push', '--quiet', 'origin', 'main');
    ciRuns[git(work, 'rev-parse', 'HEAD')] = 'success';
    expect((await run('preflight.sh', ['1.0.5'])).stderr).toMatch(
      /1\.0\.5 does not increase on the latest release 1\.1\.0/,
    );
  });

  test.each(['1.2', 'v1.2.0', '1.2.0-rc.1', '01.2.0', '1.2.0; rm -rf /'])(
    'refuses the version "%s"',
    async (version) => {
      const result = await run('preflight.sh', [version]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/is not X\.Y\.Z/);
      expect(apiRequests).toHaveLength(0);
    },
  );

  test('refuses a version without release notes in CHANGELOG.md', async () => {
    const result = await run('preflight.sh', ['1.3.0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no "## 1\.3\.0" section/);
  });
});

describe('notes', () => {
  test('prints the body of the version section only', async () => {
    const result = await run('notes.sh', ['1.2.0']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('- Canary rollback within seconds.\n');
  });
});

describe('stamp', () => {
  test('pins every one of our actions to the release commit, and nothing else', async () => {
    const sha = git(work, 'rev-parse', 'HEAD');
    expect((await run('stamp.sh', [sha, '1.2.0'])).status).toBe(0);
    const stamped = readFileSync(join(work, '.github/workflows/release-flow.yml'), 'utf8');
    const ours = stamped.split('\n').filter((l) => /deploy-actions\/[\w-]+@/.test(l));
    expect(ours).toEqual([
      `      - uses: org/deploy-actions/build-image@${sha} # v1.2.0`,
      `        uses: org/deploy-actions/push-registry@${sha} # v1.2.0`,
    ]);
    // The commit named is this one and no other; the reusable workflow call and third-party pins stay.
    expect(new Set(stamped.match(/[0-9a-f]{40}/g))).toEqual(new Set([sha, '3d3c42e5aac5ba805825da76410c181273ba90b1']));
    expect(stamped).toContain('org/deploy-actions/.github/workflows/other.yml@main');
  });

  test('refuses a ref that is not a full SHA', async () => {
    expect((await run('stamp.sh', ['main', '1.2.0'])).stderr).toMatch(/not a full commit SHA/);
  });
});

describe('publish', () => {
  test('pushes vX.Y.Z on a stamped release commit and moves vX, leaving main alone', async () => {
    const source = git(work, 'rev-parse', 'HEAD');
    const result = await run('publish.sh', ['1.2.0']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('released v1.2.0');
    const tagged = git(origin, 'rev-parse', 'v1.2.0^{commit}');
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(tagged);
    expect(git(origin, 'rev-parse', `${tagged}^`)).toBe(source);
    expect(git(origin, 'rev-parse', 'refs/heads/main')).toBe(source);
    const file = git(origin, 'show', `${tagged}:.github/workflows/release-flow.yml`);
    expect(file).toContain(`org/deploy-actions/build-image@${source} # v1.2.0`);
    expect(git(origin, 'tag', '-l', '--format=%(contents)', 'v1.2.0')).toContain('Canary rollback within seconds.');
  });

  test('an existing vX.Y.Z is never moved, and then vX is not moved either (atomic)', async () => {
    const v1Before = git(origin, 'rev-parse', 'v1^{commit}');
    writeFileSync(join(work, 'CHANGELOG.md'), '# Changelog\n\n## 1.1.0\n\n- Again.\n');
    git(work, 'commit', '--quiet', '-am', 'later');
    git(work, 'tag', '-d', 'v1.1.0'); // a local state where the tag is gone, as a shallow checkout has
    const result = await run('publish.sh', ['1.1.0']);
    expect(result.status).not.toBe(0);
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(v1Before);
    expect(git(origin, 'rev-parse', 'v1.1.0^{commit}')).toBe(v1Before);
  });
});
