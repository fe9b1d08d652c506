import {
  bundledPackages,
  licensesText,
  listedPackages,
  packageDir,
  packageNames,
} from '../../../scripts/bundle-licenses';

describe('licenses from the bundle module list', () => {
  it('finds the package of a module path, scoped and nested', () => {
    expect(packageDir('./node_modules/yaml/dist/index.js')).toBe('node_modules/yaml');
    expect(packageDir('./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js + 12 modules')).toBe(
      'node_modules/@aws-sdk/client-ecs',
    );
    expect(packageDir('./node_modules/a/node_modules/@s/b/x.js')).toBe('node_modules/a/node_modules/@s/b');
    expect(packageDir('./packages/toolkit/src/index.ts')).toBeUndefined();
  });

  it('takes every emitted chunk, lazy and concatenated modules included, and skips orphans', () => {
    const stats = {
      modules: [
        {
          name: './actions/x/src/index.ts + 3 modules',
          chunks: [1],
          modules: [{ name: './node_modules/yaml/dist/index.js' }],
        },
        { name: './node_modules/undici/index.js', chunks: [279] },
        { name: './node_modules/agent-base/dist/index.js', chunks: [] },
      ],
    };
    const dirs = bundledPackages(stats);
    expect(dirs).toEqual(['node_modules/undici', 'node_modules/yaml']);
    expect(packageNames(dirs)).toEqual(['undici', 'yaml']);
    const text = licensesText(dirs);
    expect(listedPackages(text)).toEqual(['undici', 'yaml']);
    expect(text).toMatch(/^={80}\nundici@\d+\.\d+\.\d+\nLicense: MIT\n\nMIT License/m);
    expect(text).toMatch(/^={80}\nyaml@\d+\.\d+\.\d+\nLicense: ISC\n/m);
  });
});
