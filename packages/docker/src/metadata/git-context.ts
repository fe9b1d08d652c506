import { UserError } from '@deploy-actions/toolkit';
import { runTool } from '../exec';
import type { MetadataContext } from './context';

/**
 * metadata-action's `context: git`: the ref, commit and commit date from the checked-out repository
 * instead of the event, for builds that run on a different commit than the one that triggered the
 * workflow (a checkout of another ref, a release job). A port of @docker/actions-toolkit's Git.ref(),
 * fullCommit() and commitDate() (Apache-2.0), including its reading of a detached HEAD: `HEAD, tag: v1`,
 * `pull/N/merge`, `origin/branch, branch`, and the ref that contains HEAD when git names none.
 */

export type GitRunner = (args: string[]) => Promise<string>;

export function gitRunner(cwd: string, env: NodeJS.ProcessEnv = process.env): GitRunner {
  return async (args) => {
    const result = await runTool('git', args, { cwd, env });
    if (result.code !== 0)
      throw new UserError(
        `git ${args[0]} failed in ${cwd}: ${result.lines.slice(-2).join(' / ') || `exit ${result.code}`}`,
      );
    return result.stdout.trim();
  };
}

export async function readGitContext(base: MetadataContext, git: GitRunner): Promise<MetadataContext> {
  const ref = await gitRef(git);
  const sha = await git(['show', '--format=%H', 'HEAD', '--quiet', '--']);
  const commitDate = new Date((await git(['show', '-s', '--format=%cI', sha])).replace(/^"|"$/g, ''));
  return { ...base, ref, sha, commitDate };
}

export async function gitRef(git: GitRunner): Promise<string> {
  const current = await git(['branch', '--show-current']);
  if (current.length > 0) return git(['symbolic-ref', 'HEAD']);
  const decorations = await git(['show', '-s', '--pretty=%D']);
  const normalized = decorations.replace(/^grafted, /, '').trim();
  if (normalized === 'HEAD') return inferRefFromHead(git);
  const ref = /^HEAD, (.*)$/.exec(normalized)?.[1]?.trim();
  if (!ref) throw new UserError(`Cannot find the ref of the detached HEAD in "${decorations}"`);
  if (ref.startsWith('tag: ')) return detachedTagRef(git, ref, decorations);
  if (/^pull\/\d+\/(head|merge)$/.test(ref)) return `refs/${ref}`;
  const branch = /^[^/]+\/[^/]+, (.+)$/.exec(ref)?.[1] ?? /^[^/]+\/(.+)$/.exec(ref)?.[1];
  if (branch) return `refs/heads/${branch.trim()}`;
  throw new UserError(`Unsupported detached HEAD ref in "${decorations}"`);
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

async function inferRefFromHead(git: GitRunner): Promise<string> {
  const containing = async (scope: string) =>
    lines(await git(['for-each-ref', '--format=%(refname)', '--contains', 'HEAD', '--sort=-committerdate', scope]))[0];
  const local = await containing('refs/heads/');
  if (local) return local;
  const remote = await containing('refs/remotes/');
  if (remote) {
    const branch = /^refs\/remotes\/[^/]+\/(.+)$/.exec(remote)?.[1];
    return branch ? `refs/heads/${branch}` : remote;
  }
  const tag = lines(await git(['tag', '--contains', 'HEAD']))[0];
  if (tag) return `refs/tags/${tag}`;
  throw new UserError('Cannot infer a ref from the detached HEAD: no branch or tag contains it');
}

async function detachedTagRef(git: GitRunner, decoration: string, original: string): Promise<string> {
  const refs = lines(await git(['for-each-ref', '--format=%(refname)', '--points-at', 'HEAD', 'refs/tags/'])).sort(
    (a, b) => b.length - a.length,
  );
  for (const ref of refs) {
    const expected = `tag: ${ref.slice('refs/tags/'.length)}`;
    if (decoration === expected || decoration.startsWith(`${expected}, `)) return ref;
  }
  if (refs.length === 1) return refs[0];
  throw new UserError(`Cannot find the tag of the detached HEAD in "${original}"`);
}
