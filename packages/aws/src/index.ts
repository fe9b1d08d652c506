export * from './rds';
export * from './ecr';
