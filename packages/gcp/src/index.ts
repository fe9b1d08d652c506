export * from './auth';
export * from './cloudrun-client';
export * from './cloudrun-jobs';
export * from './cloudrun-types';
export * from './google-api';
