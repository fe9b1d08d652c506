/** The Docker engine: choosing a client, BuildKit builds, pushing and saving images, and image metadata. */
export * from './build';
export * from './client';
export * from './exec';
export * from './image';
export * from './metadata';
export * from './progress';
export * from './oci-layout';
