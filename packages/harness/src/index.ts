export * from './action-yml';
export * from './bundle-node';
export * from './hostile';
export * from './run-action';
export * from './services';
export * from './workflow-commands';
