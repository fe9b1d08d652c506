/** Tags, labels and annotations computed like docker/metadata-action, from rules and the GitHub context. */
export * from './context';
export * from './git-context';
export * from './github-api';
export * from './meta';
export * from './rules';
export * from './safe-match';
