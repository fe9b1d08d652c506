/** Tags and labels computed like docker/metadata-action, from rules and the GitHub context. */
export * from './context';
export * from './expressions';
export * from './labels';
export * from './rules';
export * from './tags';
export * from './versions';
