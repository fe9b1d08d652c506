export * from './connection';
export * from './lock';
export * from './sql-migrations';
