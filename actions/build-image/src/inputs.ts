import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  computeMetadata,
  inputLines,
  type MetadataContext,
  type MetadataResult,
  gitRunner,
  readContext,
  readGitContext,
  readMetadataInputs,
  repositoryFallback,
  resolveRepository,
} from '@deploy-actions/docker';
import { BadReferenceError, NAME_MAX_LENGTH, parseReference, TAG_MAX_LENGTH } from '@deploy-actions/registry';
import { forbiddenHost, InputError, type Inputs as ManifestInputs, registerSecret } from '@deploy-actions/toolkit';
import { CREDENTIAL } from './credentials';
import type { manifest } from './manifest';

/**
 * Every input of build-image, read and checked before anything runs: files exist, rules parse, names
 * are valid, secrets are masked the moment they are read. The tags and labels are computed here too,
 * since a rule's expression can only be checked by evaluating it.
 */

export interface Inputs {
  /** `name:tag` for every image and tag. */
  refs: string[];
  version: string;
  labels: Record<string, string>;
  tagWarnings: string[];
  /** What metadata-action would output: tags, tag-names, labels, annotations and json. */
  metadata: MetadataResult;
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  bakeTarget: string;
  /** DOCKER_METADATA_ANNOTATIONS_LEVELS (default manifest). */
  annotationLevels: string[];
  context: string;
  file?: string;
  buildArgs: Record<string, string>;
  target?: string;
  platforms: string[];
  network?: string;
  addHosts: string[];
  noCache: boolean;
  pull: boolean;
  push: boolean;
  load: boolean;
  archive?: { path: string; format: 'docker' | 'oci' };
  cacheFrom: string[];
  cacheTo: string[];
  /** id → value, masked. */
  secrets: Record<string, string>;
  /** id → file path. */
  secretFiles: Record<string, string>;
  ssh: string[];
  provenance?: string;
  sbom?: string;
  annotations: string[];
  outputs: string[];
  builder?: string;
  timeoutMs: number;
}

const REMOTE_CONTEXT = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/;

/** The raw value of an input, untrimmed (separators may be a space), as the runner passes it. */
function untrimmed(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
}

/** The host of a remote context (`https://host/...`, `git@host:...`, `ssh://user@host/...`). */
function remoteHost(context: string): string | undefined {
  const scp = /^[^@/]+@([^:/]+):/.exec(context);
  if (scp && !context.includes('://')) return scp[1];
  try {
    return new URL(context.replace(/#.*$/, '')).hostname;
  } catch {
    return undefined;
  }
}

export type RawInputs = ManifestInputs<typeof manifest>;

/**
 * The typed inputs (read by the lifecycle from the manifest) checked against each other and the
 * workspace, and the tags and labels computed. `env` is the step's environment: the metadata inputs are
 * read from it untrimmed (a separator may be a space), as metadata-action reads them.
 */
export async function readInputs(
  raw: RawInputs,
  env: NodeJS.ProcessEnv = process.env,
  context: MetadataContext = readContext(env),
): Promise<Inputs> {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  checkRawInputs(env);
  const meta = readMetadataInputs((name) => untrimmed(env, name));
  const githubToken = raw.githubToken;
  const latestOnDefaultBranch = raw.latestOnDefaultBranch;
  if (raw.prHeadSha) {
    env.DOCKER_METADATA_PR_HEAD_SHA = 'true';
    context = readContext(env, context.commitDate, context.payload);
  }
  if (raw.metadataContext === 'git') context = await readGitContext(context, gitRunner(workspace, env));
  for (const line of meta.images) checkImageName(line);

  const contextInput = raw.context;
  const remote = REMOTE_CONTEXT.test(contextInput);
  if (remote) {
    const host = remoteHost(contextInput);
    if (!host) throw new InputError('context', 'is a URL without a host', 'give a Git or HTTPS URL, or a directory');
    const why = forbiddenHost(host);
    if (why)
      throw new InputError(
        'context',
        `points at ${host}, ${why}`,
        "build from a repository or a directory, not from the runner's metadata service",
      );
  }
  const contextPath = remote ? contextInput : resolve(workspace, contextInput);
  if (!remote && !(existsSync(contextPath) && statSync(contextPath).isDirectory()))
    throw new InputError(
      'context',
      `"${contextInput}" is not a directory`,
      'give the directory to build from, relative to the workspace',
    );
  const fileInput = raw.file;
  let file: string | undefined;
  if (fileInput) file = resolve(workspace, fileInput);
  else if (!remote) file = join(contextPath, 'Dockerfile');
  if (file && !(existsSync(file) && statSync(file).isFile()))
    throw new InputError(
      fileInput ? 'file' : 'context',
      `there is no Dockerfile at ${file}`,
      fileInput ? 'give the path to the Dockerfile' : 'set "file" to the Dockerfile, or fix "context"',
    );

  const buildArgs = { ...raw.buildArgs };
  refusePrototypeKeys('build-args', buildArgs);
  for (const key of Object.keys(buildArgs))
    if (SECRET_NAME.test(key))
      throw new InputError(
        'build-args',
        `"${key}" looks like a secret, and build args are stored in the image's history for anyone who pulls it`,
        `pass it in "secrets" (id=value) and read it with RUN --mount=type=secret,id=${key.toLowerCase()}`,
      );
  const { target, network, platforms, addHosts, noCache, pull, push, load } = raw;
  // Checked here rather than by the manifest's pattern, so a line break is reported as such (checkRawInputs).
  if (target !== undefined && !NAME.test(target))
    throw new InputError('target', `"${shown(target)}" is not a stage name`, 'use a stage name');
  if (network !== undefined && !NAME.test(network))
    throw new InputError(
      'network',
      `"${shown(network)}" is not a network name (default, host, none)`,
      'use a network name (default, host, none)',
    );
  for (const platform of platforms)
    if (!/^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_]+)?$/.test(platform))
      throw new InputError('platforms', `"${platform}" is not a platform`, 'write os/arch[/variant], e.g. linux/amd64');
  for (const host of addHosts)
    if (!/^[A-Za-z0-9.-]+[:=][0-9a-fA-F.:]+$/.test(host))
      throw new InputError('add-hosts', `"${host}" is not host:ip`, 'write one host:ip per line');

  const archivePath = raw.outputArchive;
  const archiveFormat = raw.archiveFormat;
  let archive: Inputs['archive'];
  if (archivePath) {
    const path = isAbsolute(archivePath) ? archivePath : resolve(workspace, archivePath);
    if (existsSync(path) && statSync(path).isDirectory())
      throw new InputError('output-archive', `${archivePath} is a directory`, 'give a file path such as image.tar');
    if (!existsSync(dirname(path)))
      throw new InputError(
        'output-archive',
        `the directory of ${archivePath} does not exist`,
        'create it first or choose another path',
      );
    archive = { path, format: archiveFormat };
  }

  const { cacheFrom, cacheTo } = raw;
  for (const [name, entries] of [
    ['cache-from', cacheFrom],
    ['cache-to', cacheTo],
  ] as const)
    for (const entry of entries)
      if (entry.includes('=') && !/(^|,)type=[a-z]+/.test(entry))
        throw new InputError(
          name,
          `"${entry}" has no type=`,
          'write e.g. type=registry,ref=ghcr.io/acme/api:cache or type=gha',
        );

  const secrets = { ...raw.secrets };
  for (const value of Object.values(secrets)) registerSecret(value);
  refusePrototypeKeys('secrets', secrets);
  const secretFiles: Record<string, string> = { ...raw.secretFiles };
  refusePrototypeKeys('secret-files', secretFiles);
  for (const [id, path] of Object.entries(secretFiles)) {
    const full = resolve(workspace, path);
    if (!existsSync(full) || !statSync(full).isFile())
      throw new InputError('secret-files', `the file for "${id}" (${path}) does not exist`, 'give the path of a file');
    if (id in secrets) throw new InputError('secret-files', `"${id}" is also in "secrets"`, 'give each secret id once');
    secretFiles[id] = full;
    // The file's content is as secret as a `secrets` value: mask it too when it is small text.
    if (statSync(full).size <= 64 * 1024) registerSecret(readFileSync(full, 'utf8').trim());
  }
  const { ssh, provenance, sbom, outputs, builder } = raw;
  const annotations = inputLines(raw.annotations);
  for (const output of outputs)
    if (!/(^|,)type=[a-z]+/.test(output) && output !== '-')
      throw new InputError('outputs', `"${output}" has no type=`, 'write e.g. type=local,dest=out');
  const timeoutMs = raw.timeout;

  // Computed first from what is known locally, so every rule, template and pattern is checked before
  // the one request this action may make (the repository's description and license, when the payload
  // lacks them); then again with the API's answer.
  const metaOptions = { shortShaLength: env.DOCKER_METADATA_SHORT_SHA_LENGTH, latestOnDefaultBranch };
  let metadata = await computeMetadata(meta, context, repositoryFallback(context), metaOptions);
  let refs = metadata.images.length ? metadata.tags : [];
  checkComputedRefs(metadata, refs);
  if (push && !metadata.images.length)
    throw new InputError('images', 'is empty but "push" is true', 'name the image(s) to push, e.g. ghcr.io/acme/api');
  if (push && !refs.length)
    throw new InputError(
      'tags',
      `the rules give no tag for this ${context.eventName || 'event'} on ${context.ref || 'this ref'}, so there is nothing to push`,
      'add a rule that applies, e.g. type=sha',
    );
  if (archiveFormat === 'oci' && !archivePath)
    throw new InputError('archive-format', 'is oci but no "output-archive" is set', 'set output-archive');

  const templates = [...meta.tags, ...meta.flavor, ...meta.labels, ...meta.annotations];
  const resolved = await resolveRepository(context, {
    token: githubToken,
    commitDate: templates.some((t) => /commit_date/.test(t)),
  });
  if (resolved.source === 'api' || resolved.commitDate !== context.commitDate)
    metadata = await computeMetadata(meta, { ...context, commitDate: resolved.commitDate }, resolved.repo, metaOptions);
  refs = metadata.images.length ? metadata.tags : [];
  checkComputedRefs(metadata, refs);
  const labels: Record<string, string> = Object.create(null);
  for (const line of metadata.labels) {
    const eq = line.indexOf('=');
    labels[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return {
    refs,
    version: metadata.version,
    labels,
    tagWarnings: [...resolved.notes, ...metadata.warnings],
    metadata,
    sepTags: meta.sepTags,
    sepLabels: meta.sepLabels,
    sepAnnotations: meta.sepAnnotations,
    bakeTarget: raw.bakeTarget,
    annotationLevels: (env.DOCKER_METADATA_ANNOTATIONS_LEVELS || 'manifest')
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean),
    context: contextPath,
    file,
    buildArgs,
    target,
    platforms,
    network,
    addHosts,
    noCache,
    pull,
    push,
    load,
    archive,
    cacheFrom,
    cacheTo,
    secrets,
    secretFiles,
    ssh,
    provenance,
    sbom,
    annotations,
    outputs,
    builder,
    timeoutMs,
  };
}

// Inputs that hold one value: a line break in them is an error, not a second value.
const SINGLE_LINE = [
  'context',
  'file',
  'target',
  'network',
  'output-archive',
  'archive-format',
  'builder',
  'provenance',
  'sbom',
  'timeout',
  'no-cache',
  'pull',
  'push',
  'load',
  'latest-on-default-branch',
  'pr-head-sha',
];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SECRET_INPUTS = new Set(['secrets', 'github-token']);
const MAX_SINGLE = 4096;
const MAX_LIST = 64 * 1024;
const SECRET_NAME = /(?:^|_)(?:TOKEN|PASSWORD|PASSWD|SECRET|PRIVATE_KEY|API_KEY|ACCESS_KEY)(?:_|$)/i;

/**
 * Checks every input's raw text before any parsing: sizes, line breaks in one-value inputs, and
 * credentials pasted into inputs that are logged (a token in `build-args` or `labels` would end up in
 * the log and in the image). A credential found is masked at once and never quoted.
 */
function checkRawInputs(env: NodeJS.ProcessEnv): void {
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('INPUT_') || !value) continue;
    const name = key.slice('INPUT_'.length).toLowerCase();
    if (SECRET_INPUTS.has(name)) continue;
    if (CREDENTIAL.test(value)) {
      const found = CREDENTIAL.exec(value)?.[0];
      if (found) registerSecret(found);
      throw new InputError(
        name,
        'holds what looks like a credential (a token or private key), and this input is logged',
        'pass it in "secrets" (id=value) and read it with RUN --mount=type=secret',
      );
    }
    const single = SINGLE_LINE.includes(name);
    if (single && /[\r\n]/.test(value.trim()))
      throw new InputError(name, 'has a line break', 'give a single value on one line');
    const max = single ? MAX_SINGLE : MAX_LIST;
    if (value.length > max)
      throw new InputError(name, `is ${value.length} characters long`, `keep it under ${max} characters`);
  }
}

function refusePrototypeKeys(input: string, map: Record<string, string>): void {
  for (const key of Object.keys(map))
    if (key === '__proto__' || key === 'constructor' || key === 'prototype')
      throw new InputError(input, `has the key "${key}", which is not allowed`, 'rename the key');
}

/** An `images` entry's name (the part before `,enable=`) against the reference grammar, before anything runs. */
function checkImageName(line: string): void {
  for (const field of line.split(',')) {
    const name = field.includes('=') ? (/^\s*name\s*=(.*)$/.exec(field)?.[1] ?? '') : field;
    const trimmed = name.trim().toLowerCase();
    if (!trimmed) continue;
    if (trimmed.length > NAME_MAX_LENGTH)
      throw new InputError(
        'images',
        `an image name is ${trimmed.length} characters long`,
        `keep names under ${NAME_MAX_LENGTH + 1} characters`,
      );
    if (/@/.test(trimmed) || /:[^/]*$/.test(trimmed))
      throw new InputError(
        'images',
        `"${name.trim()}" has a tag or digest`,
        'give the name only (tags come from the "tags" rules)',
      );
    try {
      parseReference(trimmed);
    } catch (error) {
      if (error instanceof BadReferenceError)
        throw new InputError(
          'images',
          `"${shown(name.trim())}" is not a valid image name (${error.message})`,
          'use e.g. ghcr.io/owner/app or 127.0.0.1:5000/app',
        );
      throw error;
    }
  }
}

/** Every computed `name:tag` against the reference grammar and its length limits, before the build. */
function checkComputedRefs(metadata: MetadataResult, refs: string[]): void {
  for (const tag of metadata.tagNames)
    if (tag.length > TAG_MAX_LENGTH || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(tag))
      throw new InputError(
        'tags',
        `the rules give the tag "${shown(tag)}", which is not a valid tag (letters, digits, _ . -, not starting with . or -, at most ${TAG_MAX_LENGTH} characters)`,
        'shorten the value or change its prefix',
      );
  for (const ref of refs) {
    try {
      parseReference(ref);
    } catch (error) {
      if (error instanceof BadReferenceError)
        throw new InputError('tags', `the image reference ${error.message}`, 'shorten the image name or the tag');
      throw error;
    }
  }
}

function shown(value: string): string {
  const line = value.replace(/[\r\n\t]/g, ' ');
  return line.length > 80 ? `${line.slice(0, 60)}... (${value.length} characters)` : line;
}
