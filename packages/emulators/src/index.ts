export * from './server';
export * from './render';
export * from './rds';
