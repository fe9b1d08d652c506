/**
 * One-shot converter for moving an action onto the manifest: `tsx scripts/manifest-from-action-yml.ts <action>`
 * writes `actions/<action>/src/manifest.ts` from today's `<action>/action.yml`, guessing each input's kind
 * from its default (true/false → boolean, 10m → duration, 5 → integer, else string). The owner then sets
 * the real kinds (enum values, lists, maps, urls), `secret`, `appliesTo` and bounds, and runs `npm run docs`.
 * It refuses to overwrite an existing manifest.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, repoRoot } from '../packages/harness/src/action-yml';

const action = process.argv[2];
if (!action || !existsSync(join(repoRoot, action, 'action.yml'))) {
  console.error('usage: tsx scripts/manifest-from-action-yml.ts <action>   (an action folder with action.yml)');
  process.exit(2);
}
const target = join(repoRoot, 'actions', action, 'src', 'manifest.ts');
if (existsSync(target)) {
  console.error(`${target} exists; edit it instead`);
  process.exit(1);
}

const yml = readManifest(action);
const q = (text: string) =>
  `'${text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")}'`;
const key = (name: string) => (/^[a-z][a-z0-9]*$/i.test(name) ? name : q(name));

function guess(value: unknown): { kind: string; literal?: string } {
  if (value === undefined) return { kind: 'string' };
  const text = String(value);
  if (text.includes('${{')) return { kind: 'string', literal: `docDefault: ${q(text)}` };
  if (/^(true|false)$/.test(text)) return { kind: 'boolean', literal: `default: ${text}` };
  if (/^-?\d+$/.test(text)) return { kind: 'integer', literal: `default: ${text}` };
  if (/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(text)) return { kind: 'duration', literal: `default: ${q(text)}` };
  return { kind: 'string', literal: `default: ${q(text)}` };
}

const lines: string[] = [
  "import { defineAction } from '@deploy-actions/toolkit';",
  '',
  `/** Every input and output of ${action}, declared once: action.yml and the README tables are generated from it. */`,
  'export const manifest = defineAction({',
  `  id: ${q(action)},`,
  `  name: ${q(yml.name)},`,
  `  description: ${q(yml.description)},`,
  `  branding: { icon: ${q(yml.branding?.icon ?? 'play')}, color: ${q(yml.branding?.color ?? 'blue')} },`,
];
if (yml.runs.post) lines.push(yml.runs['post-if'] ? `  post: { if: ${q(yml.runs['post-if'])} },` : '  post: true,');
lines.push('  inputs: {');
for (const [name, spec] of Object.entries(yml.inputs ?? {})) {
  const { kind, literal } = guess(spec.default);
  const parts = [`kind: '${kind}'`, `description: ${q(spec.description ?? '')}`];
  if (spec.required) parts.push('required: true');
  if (literal) parts.push(literal);
  if (/secret|token|password|key/i.test(name)) parts.push('secret: true // TODO: check');
  lines.push(
    `    ${key(name)}: {`,
    ...parts.map((p) => `      ${p.endsWith('check') ? p.replace(' // TODO: check', ', // TODO: check') : `${p},`}`),
    '    },',
  );
}
lines.push('  },', '  outputs: {');
for (const [name, spec] of Object.entries(yml.outputs ?? {}))
  lines.push(`    ${key(name)}: { description: ${q(spec.description ?? '')} },`);
lines.push('  },', '});', '');
writeFileSync(target, lines.join('\n'));
console.log(`wrote ${target}: set kinds, enum values, secret, appliesTo and bounds, then run "npm run docs"`);
