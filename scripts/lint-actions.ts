/**
 * Checks that every `<action>/action.yml` is sound: name, description and branding; every input and
 * output described and kebab-case; `runs.using: node24`; `main` (and `post`) pointing at the bundle in
 * dist/ that exists; a README beside it; a manifest (`actions/<action>/src/manifest.ts`, the source of
 * action.yml); and no action importing another action's code (shared code lives in packages/).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { readManifest, repoRoot } from '../packages/harness/src/action-yml';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function actionDirs(): string[] {
  return readdirSync(repoRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(repoRoot, d.name, 'action.yml')))
    .map((d) => d.name)
    .sort();
}

export function problems(action: string): string[] {
  const found: string[] = [];
  const manifest = readManifest(action);
  if (!manifest.name) found.push('no name');
  if (!manifest.description) found.push('no description');
  if (!manifest.branding?.icon || !manifest.branding?.color) found.push('no branding icon and color');
  for (const [kind, entries] of [
    ['input', manifest.inputs],
    ['output', manifest.outputs],
  ] as const) {
    for (const [name, spec] of Object.entries(entries ?? {})) {
      if (!KEBAB.test(name)) found.push(`${kind} "${name}" is not kebab-case`);
      if (!spec?.description?.trim()) found.push(`${kind} "${name}" has no description`);
    }
  }
  if (manifest.runs?.using !== 'node24') found.push(`runs.using is "${manifest.runs?.using}", not node24`);
  const bundle = `../dist/${action}/index.js`;
  for (const step of ['main', 'post'] as const) {
    const entry = manifest.runs?.[step];
    if (!entry) continue;
    if (entry !== bundle) found.push(`runs.${step} is "${entry}", not "${bundle}"`);
    if (!existsSync(resolve(repoRoot, action, entry)))
      found.push(`runs.${step} points at ${entry}, which does not exist`);
  }
  if (!manifest.runs?.main) found.push('no runs.main');
  if (!existsSync(join(repoRoot, action, 'README.md'))) found.push('no README.md beside action.yml');
  if (!existsSync(join(repoRoot, 'actions', action, 'src', 'index.ts')))
    found.push(`no source at actions/${action}/src/index.ts`);
  if (!existsSync(join(repoRoot, 'actions', action, 'src', 'manifest.ts')))
    found.push(`no manifest at actions/${action}/src/manifest.ts (tsx scripts/manifest-from-action-yml.ts ${action})`);
  found.push(...crossImports(action));
  return found;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : /\.(ts|mts|js|mjs)$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** Imports from another action: its workspace package (`@deploy-actions/<action>`) or a path into actions/<other>. */
export function crossImports(action: string, actionsDir = join(repoRoot, 'actions')): string[] {
  const others = new Set(readdirSync(actionsDir).filter((a) => a !== action));
  const found: string[] = [];
  for (const file of sourceFiles(join(actionsDir, action, 'src'))) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const pkg = /^@deploy-actions\/([^/]+)/.exec(specifier)?.[1];
      let other = pkg && others.has(pkg) ? pkg : undefined;
      if (!other && specifier.startsWith('.')) {
        const target = relative(actionsDir, resolve(dirname(file), specifier));
        const first = target.split('/')[0];
        if (!target.startsWith('..') && others.has(first)) other = first;
      }
      if (other)
        found.push(
          `${relative(dirname(actionsDir), file)} imports "${specifier}" from action ${other}: move shared code to packages/`,
        );
    }
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = false;
  for (const action of actionDirs()) {
    for (const problem of problems(action)) {
      console.error(`${action}/action.yml: ${problem}`);
      failed = true;
    }
  }
  console.log(failed ? 'lint-actions: problems found' : `lint-actions: ${actionDirs().length} actions are sound`);
  process.exit(failed ? 1 : 0);
}
