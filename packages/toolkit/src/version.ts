import packageJson from '../../../package.json' with { type: 'json' };

/**
 * The suite's version, from the root package.json. A static JSON import, so ncc inlines the file into the
 * bundle (a createRequire() call is left as a runtime require that the bundle cannot resolve) and the
 * version is the one the bundle was built from.
 */
export const VERSION: string = (packageJson as { version: string }).version;
