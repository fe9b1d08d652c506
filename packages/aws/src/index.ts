export * from './rds';
export * from './ecr';
export * from './rds-tags';
