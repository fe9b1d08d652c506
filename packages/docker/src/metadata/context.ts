import { readFileSync } from 'node:fs';

/**
 * What the tag and label rules are computed from: the GitHub context as the runner gives it to an action
 * (GITHUB_* variables and the event payload at GITHUB_EVENT_PATH). For pull requests the commit is the PR's
 * head, not the merge commit GitHub checks out (the docker/metadata-action complaint #206/#414): the image
 * is labelled and `sha-` tagged with the commit the author pushed.
 */

export interface RepositoryInfo {
  name?: string;
  description?: string;
  htmlUrl?: string;
  defaultBranch?: string;
  license?: string;
}

export interface MetadataContext {
  eventName: string;
  ref: string;
  /** The commit the image is built from: the PR head for pull_request events. */
  sha: string;
  /** The base branch of a pull request. */
  baseRef?: string;
  /** The head branch of a pull request. */
  headRef?: string;
  /** The pull request number, for `pr-N` tags. */
  prNumber?: number;
  repository: RepositoryInfo;
  /** When the build happened (labels, `{{date}}`). */
  now: Date;
}

export function readContext(env: NodeJS.ProcessEnv = process.env, now = new Date()): MetadataContext {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      payload = {};
    }
  }
  return contextFrom({
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    baseRef: env.GITHUB_BASE_REF,
    headRef: env.GITHUB_HEAD_REF,
    repositoryName: env.GITHUB_REPOSITORY,
    serverUrl: env.GITHUB_SERVER_URL,
    payload,
    now,
  });
}

interface Payload {
  number?: number;
  pull_request?: { number?: number; head?: { sha?: string; ref?: string }; base?: { ref?: string } };
  repository?: {
    name?: string;
    description?: string | null;
    html_url?: string;
    default_branch?: string;
    license?: { spdx_id?: string } | null;
  };
}

export function contextFrom(given: {
  eventName: string;
  ref: string;
  sha: string;
  baseRef?: string;
  headRef?: string;
  repositoryName?: string;
  serverUrl?: string;
  payload?: Record<string, unknown>;
  now?: Date;
}): MetadataContext {
  const payload = (given.payload ?? {}) as Payload;
  const pr = given.eventName.startsWith('pull_request') ? payload.pull_request : undefined;
  const refNumber = /^refs\/pull\/(\d+)\//.exec(given.ref)?.[1];
  const prNumber = pr?.number ?? payload.number ?? (refNumber ? Number(refNumber) : undefined);
  const repo = payload.repository ?? {};
  const fullName = given.repositoryName;
  const license = repo.license?.spdx_id;
  return {
    eventName: given.eventName,
    ref: given.ref,
    sha: pr?.head?.sha ?? given.sha,
    baseRef: given.baseRef || pr?.base?.ref || undefined,
    headRef: given.headRef || pr?.head?.ref || undefined,
    prNumber: given.eventName.startsWith('pull_request') || refNumber ? prNumber : undefined,
    repository: {
      name: repo.name ?? fullName?.split('/')[1],
      description: repo.description ?? undefined,
      htmlUrl: repo.html_url ?? (fullName ? `${given.serverUrl ?? 'https://github.com'}/${fullName}` : undefined),
      defaultBranch: repo.default_branch,
      license: license && license !== 'NOASSERTION' ? license : undefined,
    },
    now: given.now ?? new Date(),
  };
}

/** The branch name when the ref is a branch (`refs/heads/x`), else undefined. */
export function branchOf(ref: string): string | undefined {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

/** The tag name when the ref is a tag (`refs/tags/x`), else undefined. */
export function tagOf(ref: string): string | undefined {
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

export function isDefaultBranch(context: MetadataContext): boolean {
  const branch = branchOf(context.ref);
  return branch !== undefined && branch === context.repository.defaultBranch;
}
