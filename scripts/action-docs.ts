/**
 * The inputs and outputs of each action come from one declaration. For an action with a manifest
 * (`actions/<action>/src/manifest.ts`, `defineAction`), this writes `<action>/action.yml` from it and the
 * README tables between `<!-- inputs -->`/`<!-- /inputs -->` and `<!-- outputs -->`/`<!-- /outputs -->`,
 * with the modes each input applies to. Actions not yet moved to a manifest keep action.yml as the source
 * of their tables. `npm run docs` rewrites; `--check` (run by lint) fails on any drift of a default,
 * description or applicability between the manifest, action.yml and the README.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { type ActionManifest, readManifest, repoRoot } from '../packages/harness/src/action-yml';
import { docDefault, type ManifestDefinition } from '../packages/toolkit/src/manifest';
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

/** Where an input applies, for the README: `provider: rds, aurora`. */
function applicability(appliesTo: Readonly<Record<string, readonly string[]>> | undefined): string {
  if (!appliesTo) return '';
  return Object.entries(appliesTo)
    .map(([dimension, values]) => `${dimension}: ${values.map((v) => `\`${v}\``).join(', ')}`)
    .join('; ');
}

const KIND_WORD: Record<string, string> = {
  string: 'text',
  boolean: 'boolean',
  integer: 'integer',
  number: 'number',
  duration: 'duration',
  enum: 'one of',
  list: 'list',
  map: 'KEY=VALUE lines',
  url: 'URL',
  json: 'JSON',
  yaml: 'YAML',
};

export function manifestInputsTable(manifest: ManifestDefinition): string {
  const rows = Object.entries(manifest.inputs).map(([name, spec]) => {
    const value = docDefault(spec);
    const fallback = value === undefined || value === '' ? '' : `\`${value}\``;
    const kind =
      spec.kind === 'enum'
        ? spec.values.map((v) => `\`${v}\``).join(', ')
        : KIND_WORD[spec.kind] + (spec.secret ? ', secret' : '');
    const secret = spec.kind === 'enum' && spec.secret ? ', secret' : '';
    return `| \`${name}\` | ${spec.required ? 'yes' : ''} | ${fallback} | ${kind}${secret} | ${applicability(spec.appliesTo)} | ${cell(spec.description)} |`;
  });
  return [
    '| input | required | default | kind | applies to | description |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function outputsTable(manifest: { outputs?: Readonly<Record<string, { description?: string }>> }): string {
  const rows = Object.entries(manifest.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description ?? '')} |`,
  );
  return ['| output | description |', '|---|---|', ...rows].join('\n');
}

/** action.yml as generated from a manifest. */
export function renderActionYml(manifest: ManifestDefinition): string {
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(manifest.inputs)) {
    const entry: Record<string, unknown> = { description: spec.description };
    if (spec.required) entry.required = true;
    const value = docDefault(spec);
    if (value !== undefined) entry.default = value;
    if (spec.deprecated) entry.deprecationMessage = spec.deprecated;
    inputs[name] = entry;
  }
  const outputs = Object.fromEntries(
    Object.entries(manifest.outputs).map(([name, spec]) => [name, { description: spec.description }]),
  );
  const bundle = `../dist/${manifest.id}/index.js`;
  const runs: Record<string, string> = { using: 'node24', main: bundle };
  if (manifest.post) {
    runs.post = bundle;
    if (typeof manifest.post === 'object') runs['post-if'] = manifest.post.if;
  }
  const doc = {
    name: manifest.name,
    description: manifest.description,
    author: manifest.author ?? 'deploy-actions',
    branding: manifest.branding,
    inputs,
    outputs,
    runs,
  };
  const header = `# Generated from actions/${manifest.id}/src/manifest.ts by "npm run docs": edit the manifest, not this file.\n`;
  return header + stringify(doc, { lineWidth: 118, minContentWidth: 40 });
}

/** The action's manifest, when it has one. */
export async function loadManifest(action: string): Promise<ManifestDefinition | undefined> {
  const file = join(repoRoot, 'actions', action, 'src', 'manifest.ts');
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as {
    manifest?: ManifestDefinition;
    default?: ManifestDefinition;
  };
  const manifest = module.manifest ?? module.default;
  if (!manifest) throw new Error(`${file}: export the manifest as "export const manifest = defineAction({...})"`);
  if (manifest.id !== action) throw new Error(`${file}: id is "${manifest.id}", not "${action}"`);
  return manifest;
}

function replaceBetween(text: string, marker: string, body: string, file: string): string {
  const pattern = new RegExp(`<!-- ${marker} -->[\\s\\S]*?<!-- /${marker} -->`);
  if (!pattern.test(text)) throw new Error(`${file}: add <!-- ${marker} --> and <!-- /${marker} --> markers`);
  return text.replace(pattern, () => `<!-- ${marker} -->\n${body}\n<!-- /${marker} -->`);
}

export interface Rendered {
  file: string;
  current: string;
  wanted: string;
}

/** The files an action's declaration writes: its README, and action.yml when it has a manifest. */
export async function render(action: string): Promise<Rendered[]> {
  const manifest = await loadManifest(action);
  const readme = join(repoRoot, action, 'README.md');
  const current = readFileSync(readme, 'utf8');
  const out: Rendered[] = [];
  if (manifest) {
    const yml = join(repoRoot, action, 'action.yml');
    out.push({
      file: yml,
      current: existsSync(yml) ? readFileSync(yml, 'utf8') : '',
      wanted: renderActionYml(manifest),
    });
    let wanted = replaceBetween(current, 'inputs', manifestInputsTable(manifest), readme);
    wanted = replaceBetween(wanted, 'outputs', outputsTable(manifest), readme);
    out.push({ file: readme, current, wanted });
  } else {
    const yml = readManifest(action);
    let wanted = replaceBetween(current, 'inputs', inputsTable(yml), readme);
    wanted = replaceBetween(wanted, 'outputs', outputsTable(yml), readme);
    out.push({ file: readme, current, wanted });
  }
  return out;
}

type Yml = { inputs?: Record<string, Record<string, unknown>>; outputs?: Record<string, Record<string, unknown>> };

/** Which inputs and outputs drifted between two action.yml texts, and in which field. */
export function drift(current: string, wanted: string): string[] {
  let a: Yml;
  try {
    a = (parse(current) ?? {}) as Yml;
  } catch {
    return ['action.yml is not valid YAML'];
  }
  const b = parse(wanted) as Yml;
  const found: string[] = [];
  for (const kind of ['inputs', 'outputs'] as const) {
    const names = new Set([...Object.keys(a[kind] ?? {}), ...Object.keys(b[kind] ?? {})]);
    for (const name of names) {
      const x = a[kind]?.[name];
      const y = b[kind]?.[name];
      if (!x || !y) {
        found.push(`${kind.slice(0, -1)} ${name} ${x ? 'is not declared in the manifest' : 'is missing'}`);
        continue;
      }
      for (const field of new Set([...Object.keys(x), ...Object.keys(y)]))
        if (String(x[field] ?? '') !== String(y[field] ?? '')) found.push(`${name}: ${field} drifted`);
    }
  }
  return found.length ? found : ['text differs'];
}

/** Which table rows of a README drifted (by input or output name). */
export function tableDrift(current: string, wanted: string): string[] {
  const rows = (text: string) => new Set(text.split('\n').filter((l) => l.startsWith('| `')));
  const have = rows(current);
  return [...rows(wanted)]
    .filter((row) => !have.has(row))
    .map((row) => `row ${row.split('|')[1].trim()} drifted (default, description or applicability)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const action of actionDirs()) {
    for (const { file, current, wanted } of await render(action)) {
      if (current === wanted) continue;
      if (check) {
        const source = file.endsWith('action.yml') ? `actions/${action}/src/manifest.ts` : 'its declaration';
        console.error(
          `${file}: differs from ${source} (a default, description or applicability drifted); run "npm run docs"`,
        );
        stale++;
      } else writeFileSync(file, wanted);
    }
  }
  process.exit(stale ? 1 : 0);
}
