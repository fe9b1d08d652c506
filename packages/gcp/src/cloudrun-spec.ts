/**
 * The one Cloud Run spec module: how a Service or a Job body is built and what it may hold, for every caller
 * (deploy-cloudrun's services and jobs, run-migrations' cloudrun-job mode). One file per concern:
 *
 *   cloudrun-service-spec.ts  serviceBody(spec, existing?)     the Service to send: existing without output-only
 *                                                              fields, the spec applied, the new revision named
 *                             mergeEnv, revisionName, defaultLabels
 *   cloudrun-job-spec.ts      jobBody(spec, existing?)         the Job to send, keeping every field the spec leaves
 *                                                              out (annotations, launchStage, binaryAuthorization)
 *   cloudrun-spec-check.ts    writable(resource, kind)         the resource without output-only fields (nested too)
 *                             patchProblem(patch, 'Service')   why a user patch is refused, naming the key
 *                             resourcesProblem({cpu, memory})  Cloud Run's CPU/memory/concurrency pairing rules
 *                             applyResources, mountCloudSql, secretEnvVar   the container parts both bodies share
 *
 * The field lists come from Google's protos (cloudrun-schema.ts, cloudrun-output-only.ts). Sending the bodies
 * is cloudrun-client.ts (services) and cloudrun-jobs.ts (deployJob, runJob, waitForExecution).
 */

export * from './cloudrun-job-spec';
export * from './cloudrun-service-spec';
export * from './cloudrun-spec-check';
