export * from './client';
export * from './hook';
export * from './types';
export * from './wait';
export * from './once';
export * from './outcome';
