/**
 * Every action's README has the sections a team adopting it needs, in the same words everywhere, and
 * every action has a distinct Marketplace-style `name:` that no peer action uses.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '../..');
const actions = readdirSync(root).filter((dir) => existsSync(join(root, dir, 'action.yml')));

/** Headings every action README has (level 2), each matched at the start of a heading. */
const SECTIONS = [
  'Usage',
  'Inputs',
  'Outputs',
  'Permissions',
  'Behaviour',
  'Security',
  'Troubleshooting',
  'Migrating from',
];

/** The names of the peer actions users move from: ours must not be mistaken for them. */
const PEER_NAMES = [
  'Deploy to Cloud Run',
  'Build and push Docker images',
  'Docker Metadata action',
  'Amazon ECS "Deploy Task Definition" Action for GitHub Actions',
  'Amazon ECS "Render Task Definition" Action for GitHub Actions',
  'Docker Login',
  'Render Deploy Action',
];

test('the repository has its actions', () => {
  expect(actions).toEqual(
    expect.arrayContaining([
      'build-image',
      'push-registry',
      'snapshot-db',
      'run-migrations',
      'deploy-cloudrun',
      'trigger-render-hook',
    ]),
  );
});

describe.each(actions)('%s/README.md', (action) => {
  const readme = readFileSync(join(root, action, 'README.md'), 'utf8');
  const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim());

  test.each(SECTIONS)('has a "%s" section', (section) => {
    expect(headings.some((h) => h.startsWith(section))).toBe(true);
  });

  test('Troubleshooting names at least five errors', () => {
    const start = readme.indexOf('## Troubleshooting');
    const body = readme.slice(start + 1, readme.indexOf('\n## ', start + 1) >>> 0 || undefined);
    const entries = body.split('\n').filter((line) => /^(###\s|\*\*|- \*\*|\|\s*`)/.test(line));
    expect(entries.length).toBeGreaterThanOrEqual(5);
  });
});

describe('names', () => {
  const names = actions.map(
    (action) => (parse(readFileSync(join(root, action, 'action.yml'), 'utf8')) as { name: string }).name,
  );

  test('every action has a distinct name', () => {
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(actions)('%s is not named like a peer action', (action) => {
    const name = names[actions.indexOf(action)];
    expect(PEER_NAMES.map((n) => n.toLowerCase())).not.toContain(name.toLowerCase());
  });
});
