/**
 * The third-party packages a bundle contains, from ncc's webpack stats (every chunk, the lazy ones
 * included), and the licenses.txt written from them. ncc's own `--license` covers the main chunk only, which
 * left google-auth-library, the AWS SDK, pg, mysql2, yaml and more out of the lazy-loading bundles.
 * `npm run build` writes licenses.txt with `writeLicenses`; check-dist runs `tsx scripts/bundle-licenses.ts
 * --check` after its fresh build, which fails when a bundled package is missing from licenses.txt or one
 * listed there is not bundled.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
/** Where bundles go: dist/, or DEPLOY_ACTIONS_DIST (to build elsewhere, e.g. to measure without touching dist/). */
export const distDir = process.env.DEPLOY_ACTIONS_DIST ?? join(root, 'dist');
/** Where the build leaves each bundle's stats (not committed: the module list of the last build). */
export const statsDir = process.env.DEPLOY_ACTIONS_DIST
  ? join(process.env.DEPLOY_ACTIONS_DIST, '.stats')
  : join(root, 'node_modules', '.cache', 'deploy-actions');
export const statsFile = (action: string) => join(statsDir, `${action}.stats.json`);

interface StatsModule {
  name?: string;
  chunks?: (string | number)[];
  modules?: StatsModule[];
}

/** `./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js` → the package directory, relative to the root. */
export function packageDir(modulePath: string): string | undefined {
  const clean = modulePath.replace(/^\.\//, '').replace(/ \+ \d+ modules$/, '');
  const at = clean.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const rest = clean.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  return `${clean.slice(0, at)}node_modules/${name}`;
}

/** Package directories of every module in an emitted chunk (concatenated modules included). */
export function bundledPackages(stats: { modules?: StatsModule[] }): string[] {
  const dirs = new Set<string>();
  const walk = (modules: StatsModule[], inChunk: boolean) => {
    for (const m of modules) {
      const emitted = inChunk || (m.chunks?.length ?? 0) > 0;
      if (!emitted) continue;
      const dir = m.name ? packageDir(m.name) : undefined;
      if (dir) dirs.add(dir);
      if (m.modules) walk(m.modules, true);
    }
  };
  walk(stats.modules ?? [], false);
  return [...dirs].sort();
}

interface PackageJson {
  name: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: { type?: string }[];
}

function licenseOf(pkg: PackageJson): string {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  return pkg.licenses?.map((l) => l.type).join(' OR ') || 'UNKNOWN';
}

/** The package names (scope included) of bundled package directories, each package once. */
export function packageNames(dirs: string[]): string[] {
  return [
    ...new Set(
      dirs.map((dir) => (JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as PackageJson).name),
    ),
  ].sort();
}

const RULE = '='.repeat(80);

/**
 * licenses.txt: one entry per bundled package and version, each opened by a rule line, then
 * `name@version`, `License: <SPDX>`, a blank line and the package's license file (or a note that it ships none).
 */
export function licensesText(dirs: string[]): string {
  const entries = new Map<string, string>();
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as PackageJson;
    const id = `${pkg.name}@${pkg.version ?? '0.0.0'}`;
    if (entries.has(id)) continue;
    const file = readdirSync(join(root, dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? readFileSync(join(root, dir, file), 'utf8').trim() : '(the package ships no license file)';
    entries.set(id, `${RULE}\n${id}\nLicense: ${licenseOf(pkg)}\n\n${text}\n`);
  }
  return [...entries.keys()]
    .sort()
    .map((id) => entries.get(id))
    .join('\n');
}

export function writeLicenses(action: string): string[] {
  const stats = JSON.parse(readFileSync(statsFile(action), 'utf8'));
  const dirs = bundledPackages(stats);
  writeFileSync(join(distDir, action, 'licenses.txt'), licensesText(dirs));
  return packageNames(dirs);
}

/** The package names a licenses.txt lists. */
export function listedPackages(text: string): string[] {
  const names = [...text.matchAll(new RegExp(`^${RULE}\\n(.+)@[^@\\n]+\\nLicense: `, 'gm'))].map((m) => m[1]);
  return [...new Set(names)].sort();
}

/** Problems of an action's licenses.txt against the module list of its last build. */
export function licenseProblems(action: string): string[] {
  const file = join(distDir, action, 'licenses.txt');
  if (!existsSync(statsFile(action))) return [`no build stats for ${action}: run "npm run build ${action}"`];
  if (!existsSync(file)) return [`dist/${action}/licenses.txt is missing`];
  const bundled = packageNames(bundledPackages(JSON.parse(readFileSync(statsFile(action), 'utf8'))));
  const listed = listedPackages(readFileSync(file, 'utf8'));
  return [
    ...bundled.filter((n) => !listed.includes(n)).map((n) => `${n} is bundled but not in licenses.txt`),
    ...listed.filter((n) => !bundled.includes(n)).map((n) => `${n} is in licenses.txt but not bundled`),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const actions = readdirSync(distDir).filter((a) => existsSync(join(distDir, a, 'index.js')));
  let failed = false;
  for (const action of actions) {
    for (const problem of licenseProblems(action)) {
      console.error(`dist/${action}/licenses.txt: ${problem}`);
      failed = true;
    }
  }
  console.log(
    failed ? 'licenses: problems found' : `licenses: ${actions.length} bundles list every package they contain`,
  );
  process.exit(failed ? 1 : 0);
}
