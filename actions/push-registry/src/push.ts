/**
 * The push (loaded by index.ts once the lifecycle has started, so the step starts without the registry
 * client and its compressors): pushes one image to many registries at once, from the Docker engine, an archive or OCI
 * layout, or another registry. Plans every destination from the inputs, loads the image (compressing each
 * uncompressed layer once), pushes to all destinations in parallel, then reports (on failure too). With
 * `login: true` it leaves a Docker config holding the pushed registries' logins for later steps. The post
 * step removes what the main step wrote to disk, that config included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workflow as core } from '@deploy-actions/toolkit';
import { type Context, UserError } from '@deploy-actions/toolkit';
import {
  basicAuthorization,
  type Compression,
  type Credentials,
  closeConnections,
  compressionKey,
  fileDigestCache,
  formatBytes,
  type Image,
  noDigestCache,
  OCI_LAYER,
  OCI_LAYER_GZIP,
  OCI_LAYER_ZSTD,
  type BlobSource,
  Pusher,
  Registry,
  type Target,
  type TargetResult,
  writeDockerConfig,
} from '@deploy-actions/registry';
import { credentialSources } from './credentials';
import { type Plan, plan } from './inputs';
import type { manifest } from './manifest';
import type { Progress } from './report';
import { exportEngineImage, inspectEngineImage, loadArchiveInput, loadRegistrySource } from './source';
import { alreadyPushed, holdsManifest, tagManifest } from './unchanged';

type Ctx = Context<typeof manifest, Progress>;

/** One client per registry and one target per repository, from the plan's single pass. */
function clients(
  steps: Plan,
  credentials: Awaited<ReturnType<typeof credentialSources>>,
  ctx: Ctx,
  signal: AbortSignal,
) {
  const registries = new Map<string, Registry>();
  const targets: Target[] = [];
  const log = (line: string) => ctx.log.info(line);
  for (const registryPlan of steps.registries.values()) {
    const registry = new Registry(
      registryPlan.name,
      {
        scheme: registryPlan.scheme,
        credentials: credentials.get(registryPlan.name) ?? (async () => undefined),
        attempts: steps.attempts,
        log,
        signal,
      },
      registryPlan.scopes,
    );
    registries.set(registryPlan.name, registry);
    for (const [repository, tags] of registryPlan.repositories) targets.push({ registry, repository, tags });
  }
  return { registries, targets };
}

function layerTypeFor(compression: Compression): string {
  if (compression.algorithm === 'gzip') return OCI_LAYER_GZIP;
  if (compression.algorithm === 'zstd') return OCI_LAYER_ZSTD;
  return OCI_LAYER;
}

export async function main(ctx: Ctx): Promise<void> {
  const steps = plan(ctx.inputs, (line) => ctx.log.warning(line));
  ctx.progress.plan = steps;
  const credentials = await credentialSources(steps);
  // The step's signal, and ours: when main ends early (an image that fails to load while its first layers
  // are already going up), every request still running ends with it.
  const done = new AbortController();
  const signal = AbortSignal.any([ctx.signal, done.signal]);
  const { registries, targets } = clients(steps, credentials, ctx, signal);
  ctx.progress.registries = registries;
  try {
    await push(ctx, steps, registries, targets);
  } catch (error) {
    // Cancelled or past the step timeout: say so, rather than which request the abort cut short.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw error;
  } finally {
    done.abort();
    // Ends kept-alive connections so the process exits as soon as the report is written.
    closeConnections();
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const results = ctx.progress.results ?? [];
  const errors = results.flatMap((r) => (r.error ? [r.error.message] : []));
  if (errors.length)
    throw new UserError(`${errors.length} of ${results.length} destinations failed: ${errors.join('; ')}`);
}

async function push(ctx: Ctx, steps: Plan, registries: Map<string, Registry>, targets: Target[]): Promise<void> {
  const { source, compression } = steps;
  const log = (line: string) => ctx.log.info(line);
  const cache = compression.algorithm === 'none' ? noDigestCache : fileDigestCache();
  // Made on first need (a layer to compress, an image to export), so bad input leaves nothing behind.
  let tempDir: string | undefined;
  const temp = () => {
    if (!tempDir) {
      tempDir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'push-registry-'));
      ctx.state.set('temp-dir', tempDir);
    }
    return tempDir;
  };
  let uploaded = 0;
  const pushOptions = {
    concurrency: steps.concurrency,
    log,
    onProgress: (bytes: number) => {
      uploaded += bytes;
    },
  };
  // Blobs start going up as soon as each is ready (compressed), while the other layers still compress.
  const pusher = new Pusher(targets, pushOptions);
  const load = { compression, spoolDir: temp, cache, log, onBlob: (blob: BlobSource) => pusher.blob(blob) };
  const ticker = setInterval(() => log(`... ${formatBytes(uploaded)} uploaded so far`), 10_000);
  ticker.unref();
  try {
    for (const p of steps.registries.values())
      log(`${p.name}: ${p.scheme.toUpperCase()}, auth ${p.method} (${p.methodReason})`);
    // An archive's structure (manifest.json, config) is read before any request, so an archive that is not
    // an image fails without side effects; the engine image is inspected before anything is sent.
    let loaded: Image;
    if (source.kind === 'archive') loaded = await loadArchiveInput(source.path, source.select, load);
    else if (source.kind === 'engine') {
      const { Id: id } = await inspectEngineImage(source.image);
      const known = cache.manifest(id, compressionKey(compression));
      const [byTags, held] = await Promise.all([
        alreadyPushed(id, layerTypeFor(compression), targets),
        known ? holdsManifest(known, targets) : false,
      ]);
      const unchanged = byTags ?? (held && known ? await tagManifest(known, targets) : undefined);
      if (unchanged) {
        log(`Every destination already has ${source.image} (config ${id.slice(0, 19)}): nothing to export or upload`);
        ctx.progress.image = { ...unchanged.image, source: `${source.image} (Docker engine)` };
        ctx.progress.unchanged = true;
        return await finish(ctx, steps, unchanged.results, registries);
      }
      loaded = await exportEngineImage(source.image, temp(), log, load);
    } else loaded = await loadRegistrySource(registryOf(registries, source.ref.registry), source.ref, temp());
    ctx.progress.image = loaded;
    const blobs = [...loaded.blobs.values()];
    log(
      `Pushing ${loaded.source}: ${loaded.root.manifest.digest}, ${blobs.length} blobs, ${formatBytes(blobs.reduce((s, b) => s + b.size, 0))}, to ${targets.length} repositories`,
    );
    await finish(ctx, steps, await pusher.finish(loaded), registries);
  } finally {
    clearInterval(ticker);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** The client of a registry the plan names (every destination's and the source's has one). */
function registryOf(registries: Map<string, Registry>, name: string): Registry {
  const registry = registries.get(name);
  if (!registry) throw new Error(`push-registry: no client for ${name}`);
  return registry;
}

async function finish(ctx: Ctx, steps: Plan, results: TargetResult[], registries: Map<string, Registry>) {
  ctx.progress.results = results;
  for (const r of results) {
    const where = `${r.registry}/${r.repository}`;
    if (r.error) ctx.log.info(`${where}: FAILED: ${r.error.message}`);
    else
      ctx.log.info(
        `${where}: ${r.digest} (${r.pushed} pushed, ${r.mounted} mounted, ${r.skipped} already there, ${formatBytes(r.bytes)} in ${(r.ms / 1000).toFixed(1)} s)`,
      );
  }
  if (steps.login && !results.some((r) => r.error)) ctx.progress.login = await leaveLogin(ctx, steps, registries);
}

/** Writes a Docker config with the logins of the registries pushed to, exported for the job's later steps. */
async function leaveLogin(ctx: Ctx, steps: Plan, registries: Map<string, Registry>): Promise<string> {
  const logins = new Map<string, Credentials>();
  for (const name of new Set(steps.destinations.map((d) => d.registry))) {
    const creds = await registryOf(registries, name).auth.credentials();
    if (!creds) continue;
    basicAuthorization(creds);
    logins.set(name, creds);
  }
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'push-registry-docker-config-'));
  ctx.state.set('docker-config', dir);
  writeDockerConfig(dir, logins, steps.dockerConfig);
  core.exportVariable('DOCKER_CONFIG', dir);
  ctx.log.info(
    `Logged in for later steps: DOCKER_CONFIG=${dir} (${logins.size ? [...logins.keys()].join(', ') : 'no registry needed credentials'}); removed when the job ends`,
  );
  return dir;
}
