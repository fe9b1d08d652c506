export * from './rds';
