/**
 * The logins Docker keeps, read the way the docker CLI reads them, so push-registry uses what
 * docker/login-action, amazon-ecr-login and `gcloud auth configure-docker` left: `$DOCKER_CONFIG/config.json`
 * (default ~/.docker/config.json) with `credHelpers` (a helper per registry), `credsStore` (one helper for
 * all) and `auths` (base64 `user:password`, or `username`/`password`). Helpers are the
 * `docker-credential-<name>` programs on PATH, asked with `get` and the server address on stdin; they run
 * through the toolkit's process runner (without the step's INPUT_* and STATE_* variables), under a timeout.
 *
 * Also writes a config for later steps (`login: true`): a copy of the user's config with the pushed
 * registries' logins added, in a directory of its own, with the original's cli-plugins, buildx and
 * contexts linked in so buildx builders keep working under the new DOCKER_CONFIG.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execTool } from '@deploy-actions/toolkit';
import type { Credentials } from './auth';

export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [key: string]: unknown;
}

/** How Docker's config says to log in to one registry. */
export type DockerLogin =
  | { kind: 'auth'; credentials: Credentials; key: string }
  | { kind: 'helper'; helper: string; from: 'credHelpers' | 'credsStore' };

export class DockerConfigError extends Error {
  override name = 'DockerConfigError';
}

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker');
}

/** The parsed config, or undefined when there is none; a file that is not JSON is an error. */
export function readDockerConfig(dir = dockerConfigDir()): DockerConfigFile | undefined {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as DockerConfigFile;
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    throw new DockerConfigError(`${file} is not valid JSON`);
  }
}

/** The keys Docker may have stored a registry's login under. */
function keysFor(registry: string): string[] {
  if (registry === 'docker.io')
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

function serverAddress(registry: string): string {
  return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}

/** Finds the login for a registry: credHelpers first, then auths entries with credentials, then credsStore. */
export function dockerLogin(config: DockerConfigFile | undefined, registry: string): DockerLogin | undefined {
  if (!config) return undefined;
  const keys = keysFor(registry);
  const lower = (r: Record<string, unknown> | undefined) =>
    new Map(Object.entries(r ?? {}).map(([k, v]) => [k.toLowerCase().replace(/\/+$/, '/'), v]));
  const helpers = lower(config.credHelpers);
  let fileOnly = false;
  for (const key of keys) {
    const helper = helpers.get(key.toLowerCase());
    if (typeof helper === 'string' && helper) return { kind: 'helper', helper, from: 'credHelpers' };
    if (helper === '') fileOnly = true;
  }
  const auths = lower(config.auths) as Map<string, NonNullable<DockerConfigFile['auths']>[string]>;
  for (const key of keys) {
    const entry = auths.get(key.toLowerCase());
    if (!entry || typeof entry !== 'object') continue;
    if (typeof entry.auth === 'string' && entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0)
        return {
          kind: 'auth',
          key,
          credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
        };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username)
      return { kind: 'auth', key, credentials: { username: entry.username, password: entry.password } };
  }
  if (!fileOnly && typeof config.credsStore === 'string' && config.credsStore)
    return { kind: 'helper', helper: config.credsStore, from: 'credsStore' };
  return undefined;
}

/** Whether `docker-credential-<name>` is on PATH. */
export function findHelper(name: string, path = process.env.PATH ?? ''): string | undefined {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return undefined;
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, `docker-credential-${name}`);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Runs `docker-credential-<name> get`; undefined when the helper has no login for the registry. */
export async function helperCredentials(
  name: string,
  registry: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<Credentials | undefined> {
  const program = findHelper(name, (options.env ?? process.env).PATH);
  if (!program)
    throw new DockerConfigError(
      `the Docker config names the credential helper "${name}" for ${registry}, but docker-credential-${name} is not on PATH`,
    );
  const timeoutMs = options.timeoutMs ?? 30_000;
  // toolkit's runner: no INPUT_*/STATE_* in the helper's environment, a timeout, stdout kept raw (it holds the secret).
  const result = await execTool(program, ['get'], {
    env: options.env,
    stdin: serverAddress(registry),
    rawStdout: true,
    timeoutMs,
    signal: options.signal,
  });
  if (result.stopped === 'timeout')
    throw new DockerConfigError(
      `docker-credential-${name} get did not answer for ${registry} within ${timeoutMs / 1000} s`,
    );
  if (result.code !== 0) {
    // The helpers' own words for "no login stored here".
    if (/not found|no credentials/i.test(`${result.stdout} ${result.tail.join(' ')}`)) return undefined;
    throw new DockerConfigError(`docker-credential-${name} get failed for ${registry} (exit ${result.code})`);
  }
  try {
    const parsed = JSON.parse(result.stdout.trim()) as { Username?: string; Secret?: string };
    return parsed.Secret ? { username: parsed.Username ?? '', password: parsed.Secret } : undefined;
  } catch {
    throw new DockerConfigError(
      `docker-credential-${name} get answered for ${registry} with something that is not JSON`,
    );
  }
}

/**
 * Writes `<dir>/config.json`: the user's config (credential helpers for other registries kept) with the
 * given logins added as `auths` entries, which take precedence for those registries.
 */
export function writeDockerConfig(
  dir: string,
  logins: Map<string, Credentials>,
  original: { dir: string; config?: DockerConfigFile },
): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config: DockerConfigFile = { ...(original.config ?? {}) };
  const auths = { ...(config.auths ?? {}) };
  const helpers = { ...(config.credHelpers ?? {}) };
  for (const [registry, creds] of logins) {
    for (const key of keysFor(registry)) {
      delete auths[key];
      delete helpers[key];
    }
    auths[serverAddress(registry)] = { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') };
  }
  // With a credsStore, Docker asks it before auths; an empty credHelpers entry sends these registries to auths.
  if (config.credsStore) for (const registry of logins.keys()) helpers[serverAddress(registry)] = '';
  config.auths = auths;
  if (Object.keys(helpers).length) config.credHelpers = helpers;
  else delete config.credHelpers;
  const file = join(dir, 'config.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  for (const entry of ['cli-plugins', 'buildx', 'contexts']) {
    const from = join(original.dir, entry);
    if (existsSync(from) && !existsSync(join(dir, entry))) symlinkSync(from, join(dir, entry));
  }
  return file;
}
