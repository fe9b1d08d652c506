export * from './action-yml';
export * from './hostile';
export * from './run-action';
export * from './services';
export * from './workflow-commands';
