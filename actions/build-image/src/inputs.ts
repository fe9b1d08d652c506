import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  computeTags,
  type MetadataContext,
  ociLabels,
  parseFlavor,
  parseImages,
  parseTagRules,
  readContext,
} from '@deploy-actions/docker';
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

// build-args, labels and secrets are read one KEY=VALUE a line (values may hold commas), as build-push-action
// reads them; KEY_CHARS describes a valid key in errors.
const KEY_CHARS = 'letters, digits, "-", "_" and "."';

const REMOTE_CONTEXT = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;

export function readInputs(env: NodeJS.ProcessEnv = process.env, context: MetadataContext = readContext(env)): Inputs {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const images = parseImages(getString('images'));
  const rules = parseTagRules(getLines('tags'));
  const flavor = parseFlavor(getLines('flavor'));
  const extraLabels = getMap('labels', { linesOnly: true });

  const contextInput = getString('context') ?? '.';
  const remote = REMOTE_CONTEXT.test(contextInput);
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

  const buildArgs = getMap('build-args', {
    linesOnly: true,
    keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
    keyDescribed: KEY_CHARS,
  });
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

  const computed = computeTags(rules, flavor, images, context);
  if (push && !images.length)
    throw new InputError('images', 'is empty but "push" is true', 'name the image(s) to push, e.g. ghcr.io/acme/api');
  if (push && !computed.refs.length)
    throw new InputError(
      'tags',
      `the rules give no tag for this ${context.eventName || 'event'} on ${context.ref || 'this ref'}, so there is nothing to push`,
      'add a rule that applies, e.g. type=sha',
    );
  if (archiveFormat === 'oci' && !archivePath)
    throw new InputError('archive-format', 'is oci but no "output-archive" is set', 'set output-archive');

  return {
    refs: computed.refs,
    version: computed.version,
    labels: ociLabels(context, computed.version, extraLabels),
    tagWarnings: computed.warnings,
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
