export * from './server';
export * from './rds';
export * from './google-oauth';
