import { readFileSync } from 'node:fs';

/**
 * What the tag and label rules are computed from: the GitHub context as the runner gives it to an action
 * (GITHUB_* variables and the event payload at GITHUB_EVENT_PATH), read the way docker/metadata-action
 * reads it so the same workflow gives the same tags:
 * - `pull_request_target` runs on the base branch, but its ref is the PR's (`refs/pull/N/merge`), so a PR
 *   build is never tagged (and pushed) as the base branch in an event that has write access;
 * - the commit is GITHUB_SHA (the merge commit for pull requests); DOCKER_METADATA_PR_HEAD_SHA=true opts
 *   into the PR head commit the author pushed, as in metadata-action.
 */

export interface MetadataContext {
  eventName: string;
  ref: string;
  sha: string;
  /** The event payload, as the runner wrote it (fields are read where a rule needs them). */
  payload: EventPayload;
  /** When the commit was made: from the payload's commits, else the GitHub API, else the build time. */
  commitDate: Date;
  /** owner/name, from GITHUB_REPOSITORY. */
  repository: string;
  serverUrl: string;
  apiUrl: string;
}

export interface EventPayload {
  number?: number;
  base_ref?: string | null;
  pull_request?: { number?: number; head?: { sha?: string; ref?: string }; base?: { ref?: string } };
  repository?: Partial<RepositoryInfo> & Record<string, unknown>;
  commits?: Array<{ id?: string; timestamp?: string }>;
  head_commit?: { id?: string; timestamp?: string } | null;
  [key: string]: unknown;
}

/** The repository fields the labels use, in the GitHub API's shape (`GET /repos/{owner}/{repo}`). */
export interface RepositoryInfo {
  name: string;
  description: string | null;
  html_url: string;
  default_branch: string;
  license: { spdx_id?: string | null } | null;
}

export function readPayload(env: NodeJS.ProcessEnv): EventPayload {
  if (!env.GITHUB_EVENT_PATH) return {};
  try {
    const parsed = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as EventPayload) : {};
  } catch {
    return {};
  }
}

export function readContext(
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
  payload: EventPayload = readPayload(env),
): MetadataContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let ref = env.GITHUB_REF ?? '';
  let sha = env.GITHUB_SHA ?? '';
  if (/pull_request_target/.test(eventName)) ref = `refs/pull/${payload.number}/merge`;
  if (/true/i.test(env.DOCKER_METADATA_PR_HEAD_SHA ?? '') && /pull_request/.test(eventName)) {
    const head = payload.pull_request?.head?.sha;
    if (head !== undefined) sha = head;
  }
  return {
    eventName,
    ref,
    sha,
    payload,
    commitDate: commitDateFromPayload(payload, sha) ?? now,
    repository: env.GITHUB_REPOSITORY ?? '',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
  };
}

/** The commit's timestamp when the push payload carries it (branch pushes list commits, tags a head_commit). */
export function commitDateFromPayload(payload: EventPayload, sha: string): Date | undefined {
  const fromCommits = payload.commits?.find((c) => c.id === sha)?.timestamp;
  if (fromCommits) return new Date(fromCommits);
  if (payload.head_commit?.id === sha && payload.head_commit.timestamp) return new Date(payload.head_commit.timestamp);
  return undefined;
}

/** The repository from the payload when it carries every field the labels use, else undefined. */
export function repositoryFromPayload(payload: EventPayload): RepositoryInfo | undefined {
  const repo = payload.repository;
  if (!repo || typeof repo.name !== 'string' || typeof repo.html_url !== 'string') return undefined;
  if (!('description' in repo) || !('license' in repo) || typeof repo.default_branch !== 'string') return undefined;
  return {
    name: repo.name,
    description: repo.description ?? null,
    html_url: repo.html_url,
    default_branch: repo.default_branch,
    license: repo.license ?? null,
  };
}

/** What is known without the API: name and URL from GITHUB_REPOSITORY, the rest from the payload if any. */
export function repositoryFallback(context: MetadataContext): RepositoryInfo {
  const repo = context.payload.repository ?? {};
  const name = context.repository.split('/')[1] ?? '';
  return {
    name: typeof repo.name === 'string' ? repo.name : name,
    description: typeof repo.description === 'string' ? repo.description : null,
    html_url:
      typeof repo.html_url === 'string'
        ? repo.html_url
        : context.repository
          ? `${context.serverUrl}/${context.repository}`
          : '',
    default_branch: typeof repo.default_branch === 'string' ? repo.default_branch : '',
    license: repo.license ?? null,
  };
}
