/**
 * Each action's README carries its inputs and outputs tables between `<!-- inputs -->`/`<!-- /inputs -->`
 * and `<!-- outputs -->`/`<!-- /outputs -->` markers, written from action.yml so the two never disagree.
 * `npm run docs` rewrites them; `--check` (run by lint) fails when a README is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ActionManifest, readManifest, repoRoot } from '../packages/harness/src/action-yml';
import { actionDirs } from './lint-actions';

const cell = (text: string) =>
  text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|');

export function inputsTable(manifest: ActionManifest): string {
  const rows = Object.entries(manifest.inputs ?? {}).map(([name, spec]) => {
    const fallback = spec.default === undefined || spec.default === '' ? '' : `\`${String(spec.default)}\``;
    return `| \`${name}\` | ${spec.required ? 'yes' : ''} | ${fallback} | ${cell(spec.description ?? '')} |`;
  });
  return ['| input | required | default | description |', '|---|---|---|---|', ...rows].join('\n');
}

export function outputsTable(manifest: ActionManifest): string {
  const rows = Object.entries(manifest.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description ?? '')} |`,
  );
  return ['| output | description |', '|---|---|', ...rows].join('\n');
}

function replaceBetween(text: string, marker: string, body: string, file: string): string {
  const pattern = new RegExp(`<!-- ${marker} -->[\\s\\S]*?<!-- /${marker} -->`);
  if (!pattern.test(text)) throw new Error(`${file}: add <!-- ${marker} --> and <!-- /${marker} --> markers`);
  return text.replace(pattern, `<!-- ${marker} -->\n${body}\n<!-- /${marker} -->`);
}

export function renderReadme(action: string): { file: string; current: string; wanted: string } {
  const file = join(repoRoot, action, 'README.md');
  const current = readFileSync(file, 'utf8');
  const manifest = readManifest(action);
  let wanted = replaceBetween(current, 'inputs', inputsTable(manifest), file);
  wanted = replaceBetween(wanted, 'outputs', outputsTable(manifest), file);
  return { file, current, wanted };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const action of actionDirs()) {
    const { file, current, wanted } = renderReadme(action);
    if (current === wanted) continue;
    if (check) {
      console.error(`${file}: inputs/outputs tables differ from action.yml; run "npm run docs"`);
      stale++;
    } else writeFileSync(file, wanted);
  }
  process.exit(stale ? 1 : 0);
}
