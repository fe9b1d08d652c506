/**
 * @deploy-actions/docker: the one Docker engine layer of the suite, BuildKit builds, and image metadata.
 *
 * Engine (engine.ts, client.ts, image.ts, exec.ts), for every action, emulator and test that needs Docker:
 * - `dockerHost(env)`, `engineTarget(host)`: the daemon address (DOCKER_HOST, default unix socket).
 * - `new DockerEngine(env)`: `.client()` a docker CLI found on PATH (never keyed to /usr/bin/docker),
 *   `.buildClient()` one that can build with BuildKit (buildx, else an older client using the engine's
 *   BuildKit), `.childEnv()` (DOCKER_HOST kept, INPUT_ and STATE_ variables dropped), `.inspectImage(name)`,
 *   `.exportImage(name, file)` (`docker save` over the API, no CLI needed).
 * - `findDocker(PATH)` (build client), `findDockerCli(PATH)` (any client), `runTool(path, args, opts)`
 *   (redacted, line by line, timeout and cancel), `dockerEnv(env)`.
 * - `pushImage(client, ref, opts)` → registry digest (retries transient failures), `saveImage(client,
 *   refs, file)` (docker-archive), `imageSize`, `removeImages`, `inspectImage`, `exportImage`: each
 *   exported once, here.
 * Build (build.ts, progress.ts, oci-layout.ts): `buildCommand`, `engineProblems`, `readProgress`,
 *   `dockerArchiveToOciLayout` (→ manifest digest).
 * Metadata (metadata/): docker/metadata-action's tags, labels, annotations and json (`computeMetadata`,
 *   `Meta`, `readContext`, `resolveRepository`, `readMetadataInputs`).
 */
export * from './build';
export * from './client';
export * from './engine';
export * from './exec';
export * from './image';
export * from './metadata';
export * from './oci-layout';
export * from './progress';
