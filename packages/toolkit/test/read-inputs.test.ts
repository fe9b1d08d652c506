import { defineAction, InputError, narrow, readInputs, redact, timeoutInput } from '../src';

const manifest = defineAction({
  id: 'demo',
  name: 'Demo',
  description: 'A demo action.',
  branding: { icon: 'play', color: 'blue' },
  inputs: {
    mode: { kind: 'enum', values: ['sql', 'image'], default: 'sql', description: 'How.' },
    files: { kind: 'list', description: 'SQL files.', appliesTo: { mode: ['sql'] }, required: true },
    image: { kind: 'string', description: 'The image.', appliesTo: { mode: ['image'] }, required: true },
    command: { kind: 'string', description: 'The command.', appliesTo: { mode: ['image'] } },
    'dry-run': { kind: 'boolean', default: false, description: 'Plan only.' },
    wait: { kind: 'boolean', description: 'Tri-state.' },
    retries: { kind: 'integer', default: 3, min: 1, max: 10, description: 'Tries.' },
    ratio: { kind: 'number', min: 0, max: 1, description: 'A share.' },
    'env-vars': { kind: 'map', description: 'Variables.' },
    'api-url': { kind: 'url', default: 'https://api.example.com', description: 'API.' },
    token: { kind: 'string', secret: true, description: 'Token.' },
    patch: { kind: 'yaml', description: 'A patch.' },
    ...timeoutInput('10m'),
  },
  outputs: { status: { description: 'The status.' } },
});

const env = (inputs: Record<string, string>) =>
  Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));

describe('readInputs', () => {
  it('types and parses every kind, defaults included', async () => {
    const inputs = await readInputs(
      manifest,
      env({ files: 'a.sql\nb.sql', 'env-vars': 'A=1\nB=x=y', ratio: '0.25', patch: 'a: 1', token: 'tok-123' }),
    );
    expect(inputs).toMatchObject({
      mode: 'sql',
      files: ['a.sql', 'b.sql'],
      image: undefined,
      dryRun: false,
      wait: undefined,
      retries: 3,
      ratio: 0.25,
      envVars: { A: '1', B: 'x=y' },
      timeout: 600_000,
      patch: { a: 1 },
      token: 'tok-123',
    });
    expect(inputs.apiUrl.href).toBe('https://api.example.com/');
    expect(redact('tok-123')).toBe('***');
    // Types: these lines only compile when inference is right.
    const dry: boolean = inputs.dryRun;
    const retries: number = inputs.retries;
    const mode: 'sql' | 'image' = inputs.mode;
    const wait: boolean | undefined = inputs.wait;
    expect([dry, retries, mode, wait]).toEqual([false, 3, 'sql', undefined]);
  });

  it('narrows to a discriminated union per mode without `!`', async () => {
    const inputs = narrow(manifest, await readInputs(manifest, env({ mode: 'image', image: 'app:1' })), 'mode');
    if (inputs.mode === 'image') {
      const image: string = inputs.image;
      const files: undefined = inputs.files;
      expect([image, files, inputs.command]).toEqual(['app:1', undefined, undefined]);
    } else throw new Error('expected the image branch');
  });

  it.each([
    [{ retries: 'many' }, 'Input "retries": "many" is not a whole number; use a whole number from 1 to 10'],
    [{ retries: '11' }, 'Input "retries": 11 is out of range; use a whole number from 1 to 10'],
    [{ 'dry-run': 'maybe' }, 'Input "dry-run": "maybe" is not a boolean; use true or false'],
    [{ mode: 'ftp' }, 'Input "mode": "ftp" is not one of the choices; use one of: sql, image'],
    [{ timeout: '10 m' }, 'Input "timeout": "10 m" is not a duration; write it like 90s, 10m or 2h'],
    [{ mode: 'image', files: '' }, `Input "image": is required with mode "image"; set it in the step's "with:" block`],
    [
      { files: 'a.sql', command: 'migrate' },
      'Input "command": does not apply to mode "sql"; remove it, or use it with mode "image"',
    ],
    [{ files: 'a', ratio: '2' }, 'Input "ratio": 2 is out of range; use a number from 0 to 1'],
    [{ files: 'a', 'api-url': 'ftp://x' }, 'Input "api-url": the URL uses ftp:; use a https: or http: URL'],
    [{ files: 'a', patch: 'a: [' }, /^Input "patch": "a: \[" is not valid YAML/],
  ])('refuses %j in one line', async (given, message) => {
    const read = readInputs(manifest, env({ files: 'x.sql', ...given }));
    await expect(read).rejects.toThrow(InputError);
    await expect(read).rejects.toThrow(message);
  });

  it('names the kebab-case input when a snake_case or misspelled twin is given', async () => {
    await expect(readInputs(manifest, { ...env({ files: 'a' }), INPUT_ENV_VARS: 'A=1' })).rejects.toThrow(
      `Input "env-vars": is given as "env_vars", which demo does not read; rename it to env-vars in the step's "with:" block`,
    );
    await expect(readInputs(manifest, { ...env({ files: 'a' }), INPUT_RETRES: '2' })).rejects.toThrow(
      'Input "retries": is given as "retres"',
    );
    // Unrelated variables are not twins.
    await expect(readInputs(manifest, { ...env({ files: 'a' }), INPUT_X: '1' })).resolves.toBeDefined();
  });

  it('does not refuse an inapplicable input left at its default', async () => {
    const m = defineAction({
      ...manifest,
      inputs: { ...manifest.inputs, command: { ...manifest.inputs.command, default: 'up' } },
    });
    await expect(readInputs(m, env({ files: 'a', command: 'up' }))).resolves.toMatchObject({ command: undefined });
  });

  it("uses the manifest's wording for inapplicable inputs and derived dimensions", async () => {
    const m = defineAction({
      id: 'deploy',
      name: 'Deploy',
      description: 'd',
      branding: { icon: 'play', color: 'blue' },
      dimensions: { target: { values: ['service', 'job'], from: (raw) => (raw('job') ? 'job' : 'service') } },
      inapplicable: ({ value }) => ({ problem: `applies to services, not ${value}s`, fix: 'remove it' }),
      inputs: {
        job: { kind: 'string', description: 'j' },
        tag: { kind: 'string', description: 't', appliesTo: { target: ['service'] } },
      },
      outputs: {},
    });
    await expect(readInputs(m, env({ job: 'j', tag: 'x' }))).rejects.toThrow(
      'Input "tag": applies to services, not jobs; remove it',
    );
    const inputs = narrow(m, await readInputs(m, env({ tag: 'x' })), 'target');
    expect(inputs.target).toBe('service');
    if (inputs.target === 'service') expect(inputs.tag).toBe('x');
  });

  it('never quotes a secret in an error', async () => {
    const m = defineAction({
      ...manifest,
      inputs: { ...manifest.inputs, token: { kind: 'integer', secret: true, description: 'Token.' } },
    });
    await expect(readInputs(m, env({ files: 'a', token: 'hunter2' }))).rejects.toThrow(
      'Input "token": the value is not a whole number',
    );
  });
});

describe('hostile values', () => {
  const m = defineAction({
    id: 'h',
    name: 'H',
    description: 'h',
    branding: { icon: 'play', color: 'blue' },
    inputs: {
      image: { kind: 'string', maxLength: 255, description: 'An image.' },
      region: {
        kind: 'string',
        pattern: /^[a-z]+-[a-z]+\d$/,
        described: 'a region like europe-west1',
        description: 'r',
      },
      'env-vars': { kind: 'map', escapedCommas: true, description: 'Variables.' },
    },
    outputs: {},
  });
  it('refuses a 100 KB value by its length, before anything else', async () => {
    await expect(readInputs(m, env({ image: 'a'.repeat(100_000) }))).rejects.toThrow(
      'Input "image": is 100000 characters long; give at most 255 characters',
    );
  });
  it('keeps an error on one line when the value holds a newline', async () => {
    const error = await readInputs(m, env({ region: 'europe-west1\n::error::forged' })).catch((e: Error) => e);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toMatch(/^Input "region": "europe-west1 ::error::forged" is not a region/);
  });
  it("reads google-github-actions' comma form with \\, escapes, and one pair per line", async () => {
    const inputs = await readInputs(m, env({ 'env-vars': 'A=1,B=x\\,y,C=back\\\\slash' }));
    expect({ ...inputs.envVars }).toEqual({ A: '1', B: 'x,y', C: 'back\\slash' });
    const lines = await readInputs(m, env({ 'env-vars': 'A=x\\,y\nB=3' }));
    expect({ ...lines.envVars }).toEqual({ A: 'x,y', B: '3' });
    // As in the peer, an unescaped comma separates pairs, on any line.
    await expect(readInputs(m, env({ 'env-vars': 'A=1,2\nB=3' }))).rejects.toThrow(
      'Input "env-vars": "2" is not KEY=VALUE; write one KEY=VALUE per line',
    );
  });
});
