import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import moment from 'moment-timezone';
import { type EventPayload, Meta, type MetaInputs, readContext, type RepositoryInfo } from '../../src/metadata';

/**
 * What metadata-action's tables need, without its vitest mocks: the .env fixture is the runner's
 * environment, the event file is read from this folder, the repository comes from repo.json (the
 * GitHub API's answer in the peer's tests), and the clock is fixed at 2020-01-10T00:30:00Z. The peer
 * mocks `moment()` to that instant for every call, so `{{commit_date}}` gives it too; the tables' commit
 * date is therefore injected as the same instant (context.test.ts checks the real payload date).
 */

export const fixtures = join(import.meta.dirname, 'fixtures');
export const NOW = new Date('2020-01-10T00:30:00.000Z');
export const repoFixture = JSON.parse(readFileSync(join(fixtures, 'repo.json'), 'utf8')) as RepositoryInfo;

export type Inputs = Partial<MetaInputs> & {
  sepTags?: string;
  sepLabels?: string;
  sepAnnotations?: string;
  bakeTarget?: string;
};
export type { Version } from '../../src/metadata';

/** dotenv's KEY=VALUE lines (the fixtures have no quoting or multi-line values). */
export function loadEnv(envFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const line of readFileSync(join(fixtures, envFile), 'utf8').split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0 && !line.startsWith('#')) env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  if (env.GITHUB_EVENT_PATH) env.GITHUB_EVENT_PATH = join(fixtures, basename(env.GITHUB_EVENT_PATH));
  return env;
}

export function makeMeta(env: NodeJS.ProcessEnv, inputs: Inputs): Meta {
  let payload: EventPayload = {};
  if (env.GITHUB_EVENT_PATH) payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload;
  const context = { ...readContext(env, NOW, payload), commitDate: NOW };
  return new Meta({ images: [], tags: [], flavor: [], labels: [], annotations: [], ...inputs }, context, repoFixture, {
    now: NOW,
    moment,
    shortShaLength: env.DOCKER_METADATA_SHORT_SHA_LENGTH,
  });
}
