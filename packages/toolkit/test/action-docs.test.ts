import { parse } from 'yaml';
import { drift, manifestInputsTable, renderActionYml, tableDrift } from '../../../scripts/action-docs';
import { defineAction, timeoutInput } from '../src';

// biome-ignore lint/suspicious/noTemplateCurlyInString: a runner expression, as action.yml writes it
const TOKEN = '${{ github.token }}';

const manifest = defineAction({
  id: 'demo',
  name: 'Demo',
  description: 'A demo action.',
  branding: { icon: 'play', color: 'blue' },
  post: { if: 'always()' },
  inputs: {
    mode: { kind: 'enum', values: ['sql', 'image'], default: 'sql', description: 'How.' },
    image: { kind: 'string', required: true, appliesTo: { mode: ['image'] }, description: 'The image | tag.' },
    'dry-run': { kind: 'boolean', default: false, description: 'Plan only.' },
    token: { kind: 'string', secret: true, docDefault: TOKEN, description: 'Token.' },
    ...timeoutInput('10m'),
  },
  outputs: { status: { description: 'The status.' } },
});

describe('action.yml and README from the manifest', () => {
  it('writes action.yml with string defaults, node24, the bundle and the post step', () => {
    const yml = parse(renderActionYml(manifest));
    expect(yml).toEqual({
      name: 'Demo',
      description: 'A demo action.',
      author: 'deploy-actions',
      branding: { icon: 'play', color: 'blue' },
      inputs: {
        mode: { description: 'How.', default: 'sql' },
        image: { description: 'The image | tag.', required: true },
        'dry-run': { description: 'Plan only.', default: 'false' },
        token: { description: 'Token.', default: TOKEN },
        timeout: {
          description: 'How long the whole step may take (90s, 10m, 2h) before it stops and fails.',
          default: '10m',
        },
      },
      outputs: { status: { description: 'The status.' } },
      runs: { using: 'node24', main: '../dist/demo/index.js', post: '../dist/demo/index.js', 'post-if': 'always()' },
    });
  });

  it('shows kind and applicability in the README table, pipes escaped', () => {
    const table = manifestInputsTable(manifest);
    expect(table).toContain('| `image` | yes |  | text | mode: `image` | The image \\| tag. |');
    expect(table).toContain('| `mode` |  | `sql` | `sql`, `image` |  | How. |');
    expect(table).toContain(['| `token` |  | `', TOKEN, '` | text, secret |  | Token. |'].join(''));
  });

  it('names what drifted: a default, a description, an undeclared input, a README row', () => {
    const wanted = renderActionYml(manifest);
    const edited = wanted.replace("default: '10m'", "default: '15m'").replace('default: 10m', 'default: 15m');
    expect(drift(edited, wanted)).toEqual(['timeout: default drifted']);
    expect(drift(wanted.replace('Plan only.', 'Plan.'), wanted)).toEqual(['dry-run: description drifted']);
    expect(drift(`${wanted.replace('outputs:', '  extra:\n    description: x\noutputs:')}`, wanted)).toEqual([
      'input extra is not declared in the manifest',
    ]);
    const table = manifestInputsTable(manifest);
    expect(tableDrift(table.replace('mode: `image`', ''), table)).toEqual([
      'row `image` drifted (default, description or applicability)',
    ]);
    expect(drift(wanted, wanted)).toEqual(['text differs']);
  });
});
