import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  computeMetadata,
  isMetadataHost,
  type MetadataContext,
  type MetadataResult,
  readContext,
  readMetadataInputs,
  resolveRepository,
} from '@deploy-actions/docker';
import { BadReferenceError, NAME_MAX_LENGTH, parseReference, TAG_MAX_LENGTH } from '@deploy-actions/registry';
import {
  getBoolean,
  getDuration,
  getEnum,
  getLines,
  getMap,
  getList,
  getMatching,
  getString,
  InputError,
  registerSecret,
} from '@deploy-actions/toolkit';

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

// build-args and secrets are read one KEY=VALUE a line (values may hold commas), as build-push-action reads
// them. A build-arg key is what a Dockerfile ARG can name; a secret id is what --secret id= takes.
const ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ARG_CHARS = 'letters, digits and "_", not starting with a digit';
const KEY_CHARS = 'letters, digits, "-", "_" and "."';

const REMOTE_CONTEXT = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;

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

export async function readInputs(
  env: NodeJS.ProcessEnv = process.env,
  context: MetadataContext = readContext(env),
): Promise<Inputs> {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const meta = readMetadataInputs((name) => untrimmed(env, name));
  const githubToken = getString('github-token', { secret: true });
  const latestOnDefaultBranch = getBoolean('latest-on-default-branch') ?? false;
  if (getBoolean('pr-head-sha')) {
    env.DOCKER_METADATA_PR_HEAD_SHA = 'true';
    context = readContext(env, context.commitDate, context.payload);
  }
  for (const line of meta.images) checkImageName(line);

  const contextInput = getString('context') ?? '.';
  const remote = REMOTE_CONTEXT.test(contextInput);
  if (remote) {
    const host = remoteHost(contextInput);
    if (!host) throw new InputError('context', 'is a URL without a host', 'give a Git or HTTPS URL, or a directory');
    if (isMetadataHost(host))
      throw new InputError(
        'context',
        `points at ${host}, a link-local or cloud-metadata address`,
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
  const fileInput = getString('file');
  let file: string | undefined;
  if (fileInput) file = resolve(workspace, fileInput);
  else if (!remote) file = join(contextPath, 'Dockerfile');
  if (file && !(existsSync(file) && statSync(file).isFile()))
    throw new InputError(
      fileInput ? 'file' : 'context',
      `there is no Dockerfile at ${file}`,
      fileInput ? 'give the path to the Dockerfile' : 'set "file" to the Dockerfile, or fix "context"',
    );

  const buildArgs = getMap('build-args', { linesOnly: true, keyPattern: ARG_KEY, keyDescribed: ARG_CHARS });
  const target = getMatching('target', /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a stage name');
  const platforms = getList('platforms');
  for (const platform of platforms)
    if (!/^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_]+)?$/.test(platform))
      throw new InputError('platforms', `"${platform}" is not a platform`, 'write os/arch[/variant], e.g. linux/amd64');
  const network = getMatching('network', /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a network name (default, host, none)');
  const addHosts = getLines('add-hosts');
  for (const host of addHosts)
    if (!/^[A-Za-z0-9.-]+[:=][0-9a-fA-F.:]+$/.test(host))
      throw new InputError('add-hosts', `"${host}" is not host:ip`, 'write one host:ip per line');
  const noCache = getBoolean('no-cache') ?? false;
  const pull = getBoolean('pull') ?? false;
  const push = getBoolean('push') ?? false;
  const load = getBoolean('load') ?? false;

  const archivePath = getString('output-archive');
  const archiveFormat = getEnum('archive-format', ['docker', 'oci'] as const) ?? 'docker';
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

  const cacheFrom = getLines('cache-from');
  const cacheTo = getLines('cache-to');
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

  const secrets = getMap('secrets', {
    linesOnly: true,
    secret: true,
    keyPattern: SECRET_ID,
    keyWord: 'ID',
    keyDescribed: KEY_CHARS,
  });
  for (const value of Object.values(secrets)) registerSecret(value);
  const secretFiles = getMap('secret-files', {
    linesOnly: true,
    keyPattern: SECRET_ID,
    keyWord: 'ID',
    keyDescribed: KEY_CHARS,
  });
  for (const [id, path] of Object.entries(secretFiles)) {
    const full = resolve(workspace, path);
    if (!existsSync(full) || !statSync(full).isFile())
      throw new InputError('secret-files', `the file for "${id}" (${path}) does not exist`, 'give the path of a file');
    if (id in secrets) throw new InputError('secret-files', `"${id}" is also in "secrets"`, 'give each secret id once');
    secretFiles[id] = full;
    // The file's content is as secret as a `secrets` value: mask it too when it is small text.
    if (statSync(full).size <= 64 * 1024) registerSecret(readFileSync(full, 'utf8').trim());
  }
  const ssh = getLines('ssh');
  const provenance = getString('provenance');
  const sbom = getString('sbom');
  const annotations = getLines('annotations');
  const outputs = getLines('outputs');
  for (const output of outputs)
    if (!/(^|,)type=[a-z]+/.test(output) && output !== '-')
      throw new InputError('outputs', `"${output}" has no type=`, 'write e.g. type=local,dest=out');
  const builder = getString('builder');
  const timeoutMs = getDuration('timeout', { min: 1000 }) ?? 3_600_000;

  const templates = [...meta.tags, ...meta.flavor, ...meta.labels, ...meta.annotations];
  const resolved = await resolveRepository(context, {
    token: githubToken,
    commitDate: templates.some((t) => /commit_date/.test(t)),
  });
  const metadata = await computeMetadata(meta, { ...context, commitDate: resolved.commitDate }, resolved.repo, {
    shortShaLength: env.DOCKER_METADATA_SHORT_SHA_LENGTH,
    latestOnDefaultBranch,
  });
  const refs = metadata.images.length ? metadata.tags : [];
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

  const labels: Record<string, string> = {};
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
