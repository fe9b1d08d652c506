export * from './client';
export * from './hook';
export * from './types';
export * from './wait';
