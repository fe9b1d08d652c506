export * from './server';
export * from './rds';
