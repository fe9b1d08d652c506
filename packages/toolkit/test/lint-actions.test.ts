import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossImports } from '../../../scripts/lint-actions';

describe('lint: no action imports another action', () => {
  it('finds workspace-package and relative imports into another action, and nothing else', () => {
    const root = mkdtempSync(join(tmpdir(), 'lint-actions-'));
    const actions = join(root, 'actions');
    for (const a of ['alpha', 'beta']) mkdirSync(join(actions, a, 'src', 'sub'), { recursive: true });
    writeFileSync(
      join(actions, 'alpha', 'src', 'index.ts'),
      [
        "import { x } from '@deploy-actions/beta';",
        "import { y } from '../../beta/src/y';",
        "import { z } from '@deploy-actions/toolkit';",
        "import { w } from './sub/w';",
        "const lazy = await import('@deploy-actions/beta/src/lazy');",
      ].join('\n'),
    );
    writeFileSync(join(actions, 'alpha', 'src', 'sub', 'w.ts'), "export { v } from '../../../beta/src/v';\n");
    expect(crossImports('alpha', actions)).toEqual([
      'actions/alpha/src/index.ts imports "@deploy-actions/beta" from action beta: move shared code to packages/',
      'actions/alpha/src/index.ts imports "../../beta/src/y" from action beta: move shared code to packages/',
      'actions/alpha/src/index.ts imports "@deploy-actions/beta/src/lazy" from action beta: move shared code to packages/',
      'actions/alpha/src/sub/w.ts imports "../../../beta/src/v" from action beta: move shared code to packages/',
    ]);
    expect(crossImports('beta', actions)).toEqual([]);
  });
});
