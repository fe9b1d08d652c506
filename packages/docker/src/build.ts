import { InputError } from '@deploy-actions/toolkit';
import type { DockerClient } from './client';

/**
 * The build command for either path. `docker buildx build` takes every option build-push-action passes;
 * the engine's built-in BuildKit (`DOCKER_BUILDKIT=1 docker build`) takes a subset, and `engineProblems`
 * names each input that needs buildx before anything runs.
 */

export interface BuildSecret {
  id: string;
  /** A file holding the value. */
  src: string;
}

export interface BuildOptions {
  context: string;
  file?: string;
  /** Full references (`name:tag`). */
  tags: string[];
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  target?: string;
  platforms: string[];
  network?: string;
  addHosts: string[];
  noCache: boolean;
  pull: boolean;
  cacheFrom: string[];
  cacheTo: string[];
  secrets: BuildSecret[];
  ssh: string[];
  provenance?: string;
  sbom?: string;
  annotations: string[];
  outputs: string[];
  builder?: string;
  push: boolean;
  load: boolean;
  archive?: { path: string; format: 'docker' | 'oci' };
  iidFile: string;
  metadataFile: string;
}

export interface BuildCommand {
  args: string[];
  env: Record<string, string>;
}

/** `type=registry,ref=x` and bare refs are what the engine's --cache-from understands. */
function engineCacheFrom(entry: string): string | undefined {
  if (!entry.includes('=')) return entry;
  const attrs = Object.fromEntries(
    entry.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return attrs.type === 'registry' && attrs.ref ? attrs.ref : undefined;
}

function typeOf(entry: string): string {
  return /(?:^|,)type=([^,]+)/.exec(entry)?.[1] ?? (entry.includes('=') ? '' : 'registry');
}

/** Options the engine's built-in BuildKit cannot do, each as an input error saying buildx is needed. */
export function engineProblems(options: BuildOptions): InputError[] {
  const fix = 'add docker/setup-buildx-action before this step (buildx is not installed here)';
  const problems: InputError[] = [];
  const need = (input: string, what: string) => problems.push(new InputError(input, `${what} needs buildx`, fix));
  if (options.platforms.length > 1) need('platforms', `building ${options.platforms.length} platforms`);
  for (const entry of options.cacheFrom)
    if (engineCacheFrom(entry) === undefined) need('cache-from', `cache type "${typeOf(entry)}"`);
  for (const entry of options.cacheTo)
    if (typeOf(entry) !== 'inline')
      need('cache-to', `cache type "${typeOf(entry)}" (only type=inline works without it)`);
  for (const entry of options.outputs)
    if (!['local', 'tar'].includes(typeOf(entry)))
      need('outputs', `output type "${typeOf(entry)}" (only local and tar work without it)`);
  if (options.outputs.length && (options.push || options.load || options.archive))
    problems.push(
      new InputError(
        'outputs',
        'replaces the image export without buildx, so it cannot be combined with push, load or output-archive',
        `${fix}, or drop one of them`,
      ),
    );
  if (options.provenance && options.provenance !== 'false') need('provenance', 'a provenance attestation');
  if (options.sbom && options.sbom !== 'false') need('sbom', 'an SBOM attestation');
  if (options.annotations.length) need('annotations', 'annotating the manifest');
  if (options.builder) need('builder', 'choosing a builder');
  return problems;
}

function common(options: BuildOptions): string[] {
  const args: string[] = ['--progress', 'plain', '--iidfile', options.iidFile];
  if (options.file) args.push('--file', options.file);
  for (const tag of options.tags) args.push('--tag', tag);
  for (const [key, value] of Object.entries(options.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (options.target) args.push('--target', options.target);
  if (options.network) args.push('--network', options.network);
  for (const host of options.addHosts) args.push('--add-host', host);
  if (options.noCache) args.push('--no-cache');
  if (options.pull) args.push('--pull');
  for (const secret of options.secrets) args.push('--secret', `id=${secret.id},src=${secret.src}`);
  for (const ssh of options.ssh) args.push('--ssh', ssh);
  return args;
}

export function buildCommand(options: BuildOptions, client: DockerClient): BuildCommand {
  if (!client.buildx) {
    const args = ['build', ...common(options)];
    if (options.platforms.length === 1) args.push('--platform', options.platforms[0]);
    for (const entry of options.cacheFrom) args.push('--cache-from', engineCacheFrom(entry)!);
    // The engine exports cache only inline, in the image config; cache-to type=inline asks for it.
    if (options.cacheTo.length) args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
    for (const output of options.outputs) args.push('--output', output);
    args.push(options.context);
    return { args, env: { DOCKER_BUILDKIT: '1' } };
  }
  const args = ['buildx', 'build', ...common(options), '--metadata-file', options.metadataFile];
  if (options.builder) args.push('--builder', options.builder);
  if (options.platforms.length) args.push('--platform', options.platforms.join(','));
  for (const entry of options.cacheFrom) args.push('--cache-from', entry);
  for (const entry of options.cacheTo) args.push('--cache-to', entry);
  if (options.provenance) args.push(`--provenance=${options.provenance}`);
  if (options.sbom) args.push(`--sbom=${options.sbom}`);
  for (const annotation of options.annotations) args.push('--annotation', annotation);
  if (options.push) args.push('--push');
  if (options.load) args.push('--load');
  if (options.archive) {
    const type = options.archive.format === 'oci' ? 'oci' : 'docker';
    args.push('--output', `type=${type},dest=${options.archive.path}`);
  }
  for (const output of options.outputs) args.push('--output', output);
  args.push(options.context);
  return { args, env: {} };
}
