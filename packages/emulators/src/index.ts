export * from './server';
export * from './render';
export * from './rds';
export * from './google-oauth';
export * from './cloudrun';
export * from './cloudsql';
export { behaviours, loadProtos, lowerCamel, ProtoJson, ProtoJsonError, protoDir } from './google/proto-json';
export * from './google/cloudrun-schema';
export * from './google/sqladmin-schema';
