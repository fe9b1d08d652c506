/**
 * Start-up and bundle size of every action (issue 9, "fast start"): the main bundle's size (target ≤ 1 MB;
 * lazy chunks load only for the provider or mode that needs them) and the time from starting the bundle to
 * its first input check, as a ratio to a bare `node -e 0` measured in the same run, interleaved round by
 * round so both see the same machine (target ≤ 1.6×). The first input check is the first read of an
 * INPUT_* variable; a preload (bench/startup-probe.cjs) ends the process there, so nothing else runs.
 * Bundles and bare node both run on the node the harness runs bundles on (Node 24, as the runner does).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleNode } from '../packages/harness/src/bundle-node';

export const title = 'Start-up and bundle size';

const root = join(import.meta.dirname, '..');
/** The bundles measured: dist/, or DEPLOY_ACTIONS_DIST (a fresh `npm run build` elsewhere). */
const dist = process.env.DEPLOY_ACTIONS_DIST ?? join(root, 'dist');
const probe = join(import.meta.dirname, 'startup-probe.cjs');
const ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 21);
const MAX_BUNDLE = 1_000_000;
const MAX_RATIO = 1.6;

const node = bundleNode();
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' };

function timeOnce(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(node.path, ['--require', probe, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`startup: ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const commit = () =>
  spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || 'this tree';

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;

export async function run(): Promise<string> {
  const actions = readdirSync(dist)
    .filter((a) => existsSync(join(dist, a, 'index.js')))
    .sort();
  const bare: number[] = [];
  const floor: number[] = [];
  // The floor of any bundle: an empty ES module (our bundles are ESM, and Node's ESM loader has a cost of its own).
  const empty = join(mkdtempSync(join(tmpdir(), 'startup-')), 'empty.mjs');
  writeFileSync(empty, '');
  const times = new Map<string, number[]>(actions.map((a) => [a, []]));
  // Warm the file cache once, then interleave: bare, every action, bare, every action...
  for (const action of actions) timeOnce([join(dist, action, 'index.js')]);
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(timeOnce(['-e', '0']));
    floor.push(timeOnce([empty]));
    for (const action of actions) times.get(action)?.push(timeOnce([join(dist, action, 'index.js')]));
  }
  const base = median(bare);
  const rows = actions.map((action) => {
    const dir = join(dist, action);
    const main = statSync(join(dir, 'index.js')).size;
    const chunks = readdirSync(dir).filter((f) => f.endsWith('.js') && f !== 'index.js');
    const all = chunks.reduce((sum, f) => sum + statSync(join(dir, f)).size, main);
    const ms = median(times.get(action) ?? []);
    const ratio = ms / base;
    const met = main <= MAX_BUNDLE && ratio <= MAX_RATIO;
    return { action, main, all, chunks: chunks.length, ms, ratio, met };
  });
  const table = [
    '| action | main bundle | with lazy chunks | start to first input check | ratio to `node -e 0` | targets |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.action} | ${mb(r.main)} | ${mb(r.all)} (${r.chunks} chunks) | ${r.ms.toFixed(0)} ms | ${r.ratio.toFixed(2)}× | ${r.met ? 'met' : `**not met**${r.main > MAX_BUNDLE ? ' (bundle)' : ''}${r.ratio > MAX_RATIO ? ' (start)' : ''}`} |`,
    ),
  ].join('\n');
  const failing = rows.filter((r) => !r.met).map((r) => r.action);
  const emptyMs = median(floor);
  return [
    process.env.DEPLOY_ACTIONS_DIST
      ? `Bundles: a fresh \`npm run build\` of ${commit()} (DEPLOY_ACTIONS_DIST), not the committed dist/.`
      : 'Bundles: the committed dist/.',
    `Median of ${ROUNDS} interleaved rounds; bare \`node -e 0\` took ${base.toFixed(0)} ms (median) in the same run,`,
    `an empty ES module ${emptyMs.toFixed(0)} ms (${(emptyMs / base).toFixed(2)}×: the floor of any ESM bundle on Node ${node.version.replace(/^v/, '')}).`,
    'Both run with the same preload, which ends the bundle at its first input read. Targets: main bundle ≤ 1 MB,',
    `ratio ≤ ${MAX_RATIO}×.`,
    '',
    table,
    '',
    failing.length ? `Not met yet: ${failing.join(', ')}.` : 'Every action meets both targets.',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
