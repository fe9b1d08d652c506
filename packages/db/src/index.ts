export * from './connection';
export * from './lock';
export * from './sql-migrations';
export * from './pg-dump';
export * from './server-version';
export * from './libpq-env';
export * from './url';
