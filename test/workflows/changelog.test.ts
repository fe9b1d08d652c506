/** The CHANGELOG check (scripts/lint-changelog.ts) on a scratch repository. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { changelogBase, changelogProblems } from '../../scripts/lint-changelog';

let repo: string;
let base: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
const write = (file: string, text: string) => {
  mkdirSync(join(repo, file, '..'), { recursive: true });
  writeFileSync(join(repo, file), text);
};

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'changelog-test-'));
  git('init', '--quiet', '--initial-branch=main');
  write('CHANGELOG.md', '# Changelog\n\n## Unreleased\n\n- Earlier change.\n\n## 1.0.0\n\n- First.\n');
  write('actions/deploy-cloudrun/src/index.ts', 'export {};\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'base');
  base = git('rev-parse', 'HEAD');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

test('a change to an action without an Unreleased line is refused', () => {
  write('actions/deploy-cloudrun/src/index.ts', 'export const x = 1;\n');
  git('commit', '--quiet', '-am', 'change');
  expect(changelogProblems(repo, base)).toEqual([
    'CHANGELOG.md: 1 user-visible file(s) changed (actions/deploy-cloudrun/src/index.ts) but nothing was added under "## Unreleased"; say what changed for users',
  ]);
});

test('the same change with a line under Unreleased passes; a line under a released version does not count', () => {
  write('actions/deploy-cloudrun/src/index.ts', 'export const x = 1;\n');
  write('CHANGELOG.md', '# Changelog\n\n## Unreleased\n\n- Earlier change.\n\n## 1.0.0\n\n- First.\n- Sneaked in.\n');
  git('commit', '--quiet', '-am', 'change');
  expect(changelogProblems(repo, base)).toHaveLength(1);
  write(
    'CHANGELOG.md',
    '# Changelog\n\n## Unreleased\n\n- Earlier change.\n- deploy-cloudrun: x.\n\n## 1.0.0\n\n- First.\n',
  );
  git('commit', '--quiet', '-am', 'notes');
  expect(changelogProblems(repo, base)).toEqual([]);
});

test('tests and docs alone need no line', () => {
  write('actions/deploy-cloudrun/test/a.test.ts', 'x\n');
  write('docs/benchmarks.md', 'x\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'tests');
  expect(changelogProblems(repo, base)).toEqual([]);
});

test('the base: CHANGELOG_BASE, else none when HEAD is the base itself', () => {
  expect(changelogBase(repo, {})).toBeUndefined();
  git('commit', '--quiet', '--allow-empty', '-m', 'next');
  expect(changelogBase(repo, { CHANGELOG_BASE: base })).toBe(base);
});
