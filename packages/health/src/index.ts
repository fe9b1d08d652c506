export * from './gate-inputs';
export * from './inputs';
export * from './probe';
