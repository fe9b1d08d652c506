/**
 * push-registry: pushes one image to many registries at once, from the Docker engine, an archive or OCI
 * layout, or another registry. Reads every input, plans one client per registry, loads the image, pushes
 * to all destinations in parallel, then reports. The post step removes what the main step wrote to disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { formatDuration, run, TimeoutError, UserError } from '@deploy-actions/toolkit';
import {
  closeConnections,
  formatBytes,
  type Image,
  pushImage,
  Registry,
  type TargetResult,
} from '@deploy-actions/registry';
import { credentialSources } from './credentials';
import { type Inputs, readInputs } from './inputs';
import { setOutputs, writeReport } from './report';
import { exportEngineImage, inspectEngineImage, loadArchiveInput, loadRegistrySource } from './source';
import { alreadyPushed } from './unchanged';

const log = (line: string) => core.info(line);

async function main(): Promise<void> {
  const inputs = readInputs();
  const credentials = await credentialSources(inputs);
  const registries = makeRegistries(inputs, credentials);
  const started = Date.now();
  const deadline = new Promise<never>((_, reject) => {
    const timer = setTimeout(
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
  try {
    await Promise.race([deadline, push(inputs, registries, started)]);
  } finally {
    closeConnections();
  }
}

function makeRegistries(
  inputs: Inputs,
  credentials: Awaited<ReturnType<typeof credentialSources>>,
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
        { scheme: plan.scheme, credentials: credentials.get(plan.name)!, attempts: inputs.attempts, log },
        scopes,
      ),
    );
  }
  return registries;
}

async function push(inputs: Inputs, registries: Map<string, Registry>, started: number): Promise<void> {
  const targets = groupTargets(inputs, registries);
  const { source } = inputs;
  // Local sources are read before any request, so a bad archive or image name fails without side effects.
  let image: Image | undefined;
  if (source.kind === 'archive') image = await loadArchiveInput(source.path, source.select);
  const engineImage = source.kind === 'engine' ? await inspectEngineImage(source.image) : undefined;
  for (const plan of inputs.registries.values())
    log(`${plan.name}: ${plan.scheme.toUpperCase()}, auth ${plan.method} (${plan.methodReason})`);

  if (source.kind === 'engine') {
    const unchanged = await alreadyPushed(engineImage!.Id, targets);
    if (unchanged) {
      log(
        `Every destination already has ${source.image} (config ${engineImage!.Id.slice(0, 19)}): nothing to export or upload`,
      );
      const same = { ...unchanged.image, source: `${source.image} (Docker engine)` };
      return finish(same, unchanged.results, registries, started, true);
    }
  }

  const tempDir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'push-registry-'));
  core.saveState('temp-dir', tempDir);
  try {
    if (source.kind === 'engine') image = await exportEngineImage(source.image, tempDir, log);
    if (source.kind === 'registry')
      image = await loadRegistrySource(registries.get(source.ref.registry)!, source.ref, tempDir);
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
      results = await pushImage(loaded, targets, {
        concurrency: inputs.concurrency,
        log,
        onProgress: (bytes) => {
          uploaded += bytes;
        },
      });
    } finally {
      clearInterval(ticker);
    }
    await finish(loaded, results, registries, started, false);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
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

async function finish(
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
  await writeReport({ image, results, totalMs: Date.now() - started, requests, unchanged, platforms });
  const failed = results.filter((r) => r.error);
  if (failed.length)
    throw new UserError(
      `${failed.length} of ${results.length} destinations failed: ${failed.map((r) => r.error!.message).join('; ')}`,
    );
}

async function post(): Promise<void> {
  const dir = core.getState('temp-dir');
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
    core.info(`Removed ${dir}`);
  }
}

run(main, post);
