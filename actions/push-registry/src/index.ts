/**
 * push-registry: pushes one image to many registries at once, from the Docker engine, an archive or OCI
 * layout, or another registry. Reads every input, plans one client per registry, loads the image
 * (compressing each uncompressed layer once), pushes to all destinations in parallel, then reports. With
 * `login: true` it leaves a Docker config holding the pushed registries' logins for later steps. The post
 * step removes what the main step wrote to disk, that config included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { formatDuration, redact, run, TimeoutError, UserError } from '@deploy-actions/toolkit';
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
  pushToTargets,
  Registry,
  type TargetResult,
  writeDockerConfig,
} from '@deploy-actions/registry';
import { credentialSources } from './credentials';
import { type Inputs, readInputs } from './inputs';
import { setOutputs, writeReport } from './report';
import { exportEngineImage, inspectEngineImage, loadArchiveInput, loadRegistrySource } from './source';
import { alreadyPushed, pushKnownManifest } from './unchanged';

const log = (line: string) => core.info(redact(line));

async function main(): Promise<void> {
  const inputs = readInputs();
  const credentials = await credentialSources(inputs);
  const stop = new AbortController();
  const registries = makeRegistries(inputs, credentials, stop.signal);
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TimeoutError(
            `The push did not finish within ${formatDuration(inputs.timeoutMs)}; raise "timeout" if the images are this big`,
          ),
        ),
      inputs.timeoutMs,
    );
    timer.unref();
  });
  const stopOnSignal = () => stop.abort();
  process.once('SIGTERM', stopOnSignal);
  process.once('SIGINT', stopOnSignal);
  try {
    await Promise.race([deadline, push(inputs, registries, started)]);
  } finally {
    clearTimeout(timer);
    // Ends every request and retry wait still running (another destination's), so the process exits now.
    stop.abort();
    closeConnections();
  }
}

function makeRegistries(
  inputs: Inputs,
  credentials: Awaited<ReturnType<typeof credentialSources>>,
  signal: AbortSignal,
): Map<string, Registry> {
  const registries = new Map<string, Registry>();
  for (const plan of inputs.registries.values()) {
    const scopes = new Set<string>();
    for (const d of inputs.destinations)
      if (d.registry === plan.name) scopes.add(`repository:${d.repository}:pull,push`);
    if (inputs.source.kind === 'registry' && inputs.source.ref.registry === plan.name) {
      const pull = `repository:${inputs.source.ref.repository}:pull`;
      if (!scopes.has(`${pull},push`)) scopes.add(pull);
    }
    registries.set(
      plan.name,
      new Registry(
        plan.name,
        { scheme: plan.scheme, credentials: credentials.get(plan.name)!, attempts: inputs.attempts, log, signal },
        scopes,
      ),
    );
  }
  return registries;
}

function layerTypeFor(compression: Compression): string {
  if (compression.algorithm === 'gzip') return OCI_LAYER_GZIP;
  if (compression.algorithm === 'zstd') return OCI_LAYER_ZSTD;
  return OCI_LAYER;
}

async function push(inputs: Inputs, registries: Map<string, Registry>, started: number): Promise<void> {
  const targets = groupTargets(inputs, registries);
  const { source, compression } = inputs;
  const cache = compression.algorithm === 'none' ? noDigestCache : fileDigestCache();
  // Made on first need (a layer to compress, an image to export), so bad input leaves nothing behind.
  let tempDir: string | undefined;
  const temp = () => {
    if (!tempDir) {
      tempDir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'push-registry-'));
      core.saveState('temp-dir', tempDir);
    }
    return tempDir;
  };
  try {
    // Local sources are read before any request, so a bad archive or image name fails without side effects.
    let image: Image | undefined;
    if (source.kind === 'archive')
      image = await loadArchiveInput(source.path, source.select, { compression, spoolDir: temp, cache, log });
    const engineImage = source.kind === 'engine' ? await inspectEngineImage(source.image) : undefined;
    for (const plan of inputs.registries.values())
      log(`${plan.name}: ${plan.scheme.toUpperCase()}, auth ${plan.method} (${plan.methodReason})`);

    if (source.kind === 'engine') {
      const id = engineImage!.Id;
      const known = cache.manifest(id, compressionKey(compression));
      const unchanged =
        (await alreadyPushed(id, layerTypeFor(compression), targets)) ??
        (known ? await pushKnownManifest(known, targets) : undefined);
      if (unchanged) {
        log(`Every destination already has ${source.image} (config ${id.slice(0, 19)}): nothing to export or upload`);
        const same = { ...unchanged.image, source: `${source.image} (Docker engine)` };
        return await finish(inputs, same, unchanged.results, registries, started, true);
      }
      image = await exportEngineImage(source.image, temp(), log, { compression, spoolDir: temp, cache, log });
    }
    if (source.kind === 'registry')
      image = await loadRegistrySource(registries.get(source.ref.registry)!, source.ref, temp());
    const loaded = image!;
    const blobs = [...loaded.blobs.values()];
    log(
      `Pushing ${loaded.source}: ${loaded.root.manifest.digest}, ${blobs.length} blobs, ${formatBytes(blobs.reduce((s, b) => s + b.size, 0))}, to ${targets.length} repositories`,
    );
    let uploaded = 0;
    const ticker = setInterval(() => log(`... ${formatBytes(uploaded)} uploaded so far`), 10_000);
    ticker.unref();
    let results: TargetResult[];
    try {
      results = await pushToTargets(loaded, targets, {
        concurrency: inputs.concurrency,
        log,
        onProgress: (bytes) => {
          uploaded += bytes;
        },
      });
    } finally {
      clearInterval(ticker);
    }
    await finish(inputs, loaded, results, registries, started, false);
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

function groupTargets(inputs: Inputs, registries: Map<string, Registry>) {
  const byRepo = new Map<string, { registry: Registry; repository: string; tags: string[] }>();
  for (const d of inputs.destinations) {
    const key = `${d.registry}/${d.repository}`;
    if (!byRepo.has(key))
      byRepo.set(key, { registry: registries.get(d.registry)!, repository: d.repository, tags: [] });
    byRepo.get(key)!.tags.push(d.tag!);
  }
  return [...byRepo.values()];
}

/** Writes a Docker config with the logins of the registries pushed to, exported for the job's later steps. */
async function leaveLogin(inputs: Inputs, registries: Map<string, Registry>): Promise<void> {
  const logins = new Map<string, Credentials>();
  for (const name of new Set(inputs.destinations.map((d) => d.registry))) {
    const creds = await registries.get(name)!.auth.credentials();
    if (!creds) continue;
    basicAuthorization(creds);
    logins.set(name, creds);
  }
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'push-registry-docker-config-'));
  core.saveState('docker-config', dir);
  writeDockerConfig(dir, logins, inputs.dockerConfig);
  core.exportVariable('DOCKER_CONFIG', dir);
  log(
    `Logged in for later steps: DOCKER_CONFIG=${dir} (${logins.size ? [...logins.keys()].join(', ') : 'no registry needed credentials'}); removed when the job ends`,
  );
}

async function finish(
  inputs: Inputs,
  image: Image,
  results: TargetResult[],
  registries: Map<string, Registry>,
  started: number,
  unchanged: boolean,
): Promise<void> {
  const platforms = image.root.children.map((c) => c.platform).filter((p): p is string => Boolean(p));
  const requests = [...registries.values()].reduce((sum, r) => sum + r.requests + r.auth.tokensFetched, 0);
  for (const r of results) {
    const where = `${r.registry}/${r.repository}`;
    if (r.error) log(`${where}: FAILED: ${r.error.message}`);
    else
      log(
        `${where}: ${r.digest} (${r.pushed} pushed, ${r.mounted} mounted, ${r.skipped} already there, ${formatBytes(r.bytes)} in ${(r.ms / 1000).toFixed(1)} s)`,
      );
  }
  setOutputs(results);
  const failed = results.filter((r) => r.error);
  if (inputs.login && !failed.length) await leaveLogin(inputs, registries);
  await writeReport({
    image,
    results,
    totalMs: Date.now() - started,
    requests,
    unchanged,
    platforms,
    compression: inputs.compression,
    login: inputs.login && !failed.length,
  });
  if (failed.length)
    throw new UserError(
      `${failed.length} of ${results.length} destinations failed: ${failed.map((r) => r.error!.message).join('; ')}`,
    );
}

async function post(): Promise<void> {
  for (const key of ['temp-dir', 'docker-config']) {
    const dir = core.getState(key);
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      core.info(`Removed ${dir}`);
    }
  }
}

run(main, post);
