/**
 * Bundles each action (or the ones named on the command line) with ncc into dist/<action>/: one minified
 * ESM index.js serving both the main and the post step, lazy chunks beside it, and licenses.txt listing
 * every third-party package of every chunk (from ncc's stats: bundle-licenses.ts).
 * Two at a time, for the two cores CI has. ncc only transpiles (`-t`): types are checked once for the
 * whole project by `npm run typecheck`, not again per bundle, which also keeps one action's build from
 * failing on another's half-written code.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, statsDir, statsFile, writeLicenses } from './bundle-licenses';

const root = join(import.meta.dirname, '..');
const all = readdirSync(join(root, 'actions')).filter((a) => existsSync(join(root, 'actions', a, 'src', 'index.ts')));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((a) => !all.includes(a));
if (unknown.length) {
  console.error(`build: no action named ${unknown.join(', ')} (actions: ${all.join(', ')})`);
  process.exit(2);
}
const queue = wanted.length ? wanted : all;

function build(action: string): Promise<void> {
  const out = join(distDir, action);
  rmSync(out, { recursive: true, force: true });
  const args = [
    'build',
    join('actions', action, 'src', 'index.ts'),
    '-o',
    out,
    '-m',
    '-t',
    '-q',
    '--stats-out',
    statsFile(action),
  ];
  mkdirSync(statsDir, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'ncc'), args, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`build: ncc failed for ${action} (exit ${code})`));
      writeLicenses(action);
      resolve();
    });
  });
}

const started = Date.now();
const workers = Array.from({ length: 2 }, async () => {
  for (let action = queue.shift(); action; action = queue.shift()) {
    await build(action);
    console.log(`built ${join(distDir, action, 'index.js')}`);
  }
});
try {
  await Promise.all(workers);
  console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
