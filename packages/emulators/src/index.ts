export * from './server';
export * from './render';
export * from './rds';
export * from './google-oauth';
export * from './cloudrun';
export * from './cloudsql';
