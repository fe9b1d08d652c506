export * from './connection';
export * from './lock';
export * from './sql-migrations';
export * from './server-version';
export * from './pg-dump';
