/**
 * `npm run bench`: runs each benchmark in bench/ (or those named: `npm run bench -- render`) and writes
 * its section of docs/benchmarks.md, leaving the other sections as they were. A benchmark module exports
 * `title` and `run()`, which returns the section's markdown. Figures are measured side by side in one run
 * and given as ratios where there is something to compare with.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { bundleNode } from '../packages/harness/src/bundle-node';

interface Benchmark {
  title: string;
  run(): Promise<string>;
}

const here = import.meta.dirname;
const file = join(here, '..', 'docs', 'benchmarks.md');
// The order of docs/benchmarks.md: start-up of every action, the foundation's entry, then the pipeline's order.
const ORDER = ['startup', 'render', 'build-image', 'push-registry', 'snapshot-db', 'run-migrations', 'deploy-cloudrun'];
const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !names.includes(w));
if (unknown.length) {
  console.error(`bench: no benchmark named ${unknown.join(', ')} (have: ${names.join(', ')})`);
  process.exit(2);
}

const sections = new Map<string, string>();
let existing = '';
try {
  existing = readFileSync(file, 'utf8');
} catch {}
for (const match of existing.matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g))
  sections.set(match[1], match[2]);

for (const name of wanted.length ? wanted : names) {
  const module = (await import(join(here, `${name}.ts`))) as Benchmark;
  console.log(`bench: ${name}: ${module.title}`);
  const started = Date.now();
  const body = await module.run();
  const when = new Date().toISOString().slice(0, 10);
  sections.set(
    name,
    `## ${module.title}\n\n_Measured ${when} in ${((Date.now() - started) / 1000).toFixed(0)} s._\n\n${body.trim()}\n`,
  );
  console.log(body);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} (${arch()}), ${Math.round(totalmem() / 2 ** 30)} GiB; bundles run on Node ${bundleNode().version.replace(/^v/, '')} (the runtime the actions declare), the benchmarks on Node ${process.versions.node}`;
const text = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (one section per `bench/*.ts`; `npm run bench -- NAME` reruns one). Each',
  'figure is measured in the same run as what it is compared with, on local services and emulators.',
  '',
  `Last machine: ${machine}.`,
  '',
  ...names.filter((n) => sections.has(n)).map((n) => `<!-- bench:${n} -->\n${sections.get(n)}<!-- /bench:${n} -->\n`),
].join('\n');
writeFileSync(file, text);
console.log(`bench: wrote ${file}`);
