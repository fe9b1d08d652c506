/**
 * Every user-visible change updates CHANGELOG.md's Unreleased section: when a change touches actions/,
 * packages/ or an action's action.yml, the diff must add a line under `## Unreleased`.
 * The change is HEAD against CHANGELOG_BASE (CI sets it to a pull request's base), or else against the
 * merge base with origin/main. A clean clone of main itself has no change to check, and says so.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

function tryGit(cwd: string, ...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit to compare HEAD with, or undefined when HEAD is the base itself. */
export function changelogBase(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const head = git(cwd, 'rev-parse', 'HEAD');
  const base = env.CHANGELOG_BASE ? env.CHANGELOG_BASE : tryGit(cwd, 'merge-base', 'HEAD', 'origin/main');
  return base && base !== head ? base : undefined;
}

const USER_VISIBLE = /^(actions|packages)\/(?!.*\/test\/)|^[\w-]+\/action\.yml$/;

/** Problems of the change base..HEAD: user-visible files changed without an Unreleased line added. */
export function changelogProblems(cwd: string, base: string): string[] {
  const changed = git(cwd, 'diff', '--name-only', `${base}...HEAD`).split('\n').filter(Boolean);
  const visible = changed.filter((file) => USER_VISIBLE.test(file));
  if (!visible.length) return [];
  const before = tryGit(cwd, 'show', `${base}:CHANGELOG.md`) ?? '';
  const after = tryGit(cwd, 'show', 'HEAD:CHANGELOG.md') ?? '';
  const unreleased = (text: string) => {
    const match = /^## Unreleased[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text);
    return new Set(
      (match?.[1] ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 2),
    );
  };
  const old = unreleased(before);
  const added = [...unreleased(after)].filter((line) => !old.has(line));
  if (added.length) return [];
  if (!/^## Unreleased/m.test(after)) return ['CHANGELOG.md has no "## Unreleased" section'];
  return [
    `CHANGELOG.md: ${visible.length} user-visible file(s) changed (${visible.slice(0, 3).join(', ')}${visible.length > 3 ? ', ...' : ''}) but nothing was added under "## Unreleased"; say what changed for users`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cwd = process.cwd();
  const base = changelogBase(cwd);
  if (!base) {
    console.log('lint-changelog: HEAD is its own base (a clean clone of main); no change to check');
    process.exit(0);
  }
  const problems = changelogProblems(cwd, base);
  for (const problem of problems) console.error(problem);
  console.log(`lint-changelog: against ${base.slice(0, 12)}, ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}
