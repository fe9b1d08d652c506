/**
 * Reads and checks every input before anything is sent anywhere: destinations, the source, credentials
 * and how each registry authenticates, compression, plain-HTTP permission, limits. Each problem is one
 * line naming the input. Secrets (passwords, tokens) are masked as they are read and never quoted.
 *
 * How a registry authenticates, first match wins: `registry-auth`, then a `credentials` line, then the
 * Docker config's login (credHelpers, auths, credsStore), then what the host says (ghcr.io, Google and
 * ECR hosts, ECR Public), else anonymous.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_REGION_PATTERN } from '@deploy-actions/aws/region';
import { exclusive, forbiddenHost, type Inputs, InputError, narrow, UserError } from '@deploy-actions/toolkit';
import {
  BadReferenceError,
  type Compression,
  type DockerConfigFile,
  DockerConfigError,
  type DockerLogin,
  dockerConfigDir,
  dockerLogin,
  hasRegistryHost,
  hostOf,
  isLoopback,
  isValidHost,
  LEVELS,
  maskCredential,
  parseReference,
  type Reference,
  readDockerConfig,
  zstdAvailable,
} from '@deploy-actions/registry';
import { manifest } from './manifest';

export type ActionInputs = Inputs<typeof manifest>;

export const AUTH_METHODS = ['github', 'google', 'ecr', 'ecr-public', 'docker-config', 'basic', 'anonymous'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export type Source =
  | { kind: 'engine'; image: string }
  | { kind: 'registry'; ref: Reference }
  | { kind: 'archive'; path: string; select?: string };

/** How one registry authenticates, with what that method needs. */
export type RegistryAuth =
  | { method: 'basic'; basic: { username: string; password: string } }
  | { method: 'docker-config' /** What the Docker config says. */; docker: DockerLogin }
  | { method: 'ecr'; awsRegion: string; awsAccount?: string }
  | { method: 'github' /** The token for GHCR (github-token). */; token: string }
  | { method: 'google' | 'ecr-public' | 'anonymous' };

export type RegistryPlan = RegistryAuth & {
  name: string;
  scheme: 'http' | 'https';
  /** Why this method: "credentials input", "ghcr.io", ... */
  methodReason: string;
  /** Token scopes this registry needs: push on each destination repository, pull on the source's. */
  scopes: Set<string>;
  /** Destination repositories on this registry and their tags, in the order given. */
  repositories: Map<string, string[]>;
};

/** A destination: always a tag (the digest is what the push reports). */
export type Destination = Reference & { tag: string };

export interface Plan {
  destinations: Destination[];
  source: Source;
  registries: Map<string, RegistryPlan>;
  githubToken?: string;
  githubActor: string;
  googleAccessToken?: string;
  concurrency: number;
  attempts: number;
  compression: Compression;
  /** Write a Docker config with the pushed registries' logins for later steps. */
  login: boolean;
  dockerConfig: { dir: string; config?: DockerConfigFile };
}

/** A value quoted in an error: one line, and short (a 100 KB input is not echoed whole). */
export function quote(value: string): string {
  const line = value.replace(/[\r\n\t]/g, ' ');
  return line.length > 80 ? `"${line.slice(0, 60)}..." (${value.length} characters)` : `"${line}"`;
}

function reference(input: string, text: string, kind: 'destination' | 'source'): Reference {
  try {
    return parseReference(text);
  } catch (error) {
    if (error instanceof BadReferenceError)
      throw new InputError(input, error.message, `give a full ${kind} reference such as ghcr.io/org/app:1.2.3`);
    throw error;
  }
}

function readDestinations(lines: string[]): Destination[] {
  const seen = new Set<string>();
  const refs: Destination[] = [];
  for (const line of lines) {
    const ref = reference('destinations', line, 'destination');
    if (ref.digest)
      throw new InputError(
        'destinations',
        `${quote(line)} names a digest`,
        'push to a tag (registry/name:tag); the digest is the output',
      );
    if (!ref.tag) throw new InputError('destinations', `${quote(line)} has no tag`, 'add one, e.g. :latest or :1.2.3');
    if (!hasRegistryHost(line) && !line.startsWith('docker.io/'))
      throw new InputError(
        'destinations',
        `${quote(line)} has no registry host`,
        'write the full reference, e.g. docker.io/org/app:tag or ghcr.io/org/app:tag',
      );
    const key = `${ref.registry}/${ref.repository}:${ref.tag}`;
    if (seen.has(key))
      throw new InputError('destinations', `${quote(line)} is listed twice`, 'list each destination once');
    seen.add(key);
    refs.push({ ...ref, tag: ref.tag });
  }
  return refs;
}

function readSource(inputs: ActionInputs): Source {
  const branch = narrow(manifest, inputs, 'source-kind');
  const { source } = branch;
  const archive = branch.sourceKind === 'archive' ? branch.sourceArchive : undefined;
  if (archive) {
    if (!existsSync(archive))
      throw new InputError(
        'source-archive',
        `${quote(archive)} does not exist`,
        'give the path of a docker save tar, an OCI layout directory or an OCI layout tar',
      );
    if (source?.startsWith('docker://') || (source && hasRegistryHost(source) && source.includes('@')))
      exclusive({ 'source-archive': archive, source });
    return { kind: 'archive', path: archive, select: source };
  }
  if (!source)
    throw new InputError(
      'source',
      'is missing',
      'set "source" (a local image or a registry reference) or "source-archive"',
    );
  const value = source;
  if (/\s/.test(value)) throw new InputError('source', `${quote(value)} contains spaces`, 'give one image reference');
  if (value.startsWith('docker://')) {
    const image = value.slice('docker://'.length);
    if (!image) throw new InputError('source', '"docker://" names no image', 'write docker://IMAGE:TAG');
    if (!/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(image))
      throw new InputError('source', `${quote(value)} is not an image name`, 'write docker://IMAGE:TAG');
    return { kind: 'engine', image };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new InputError(
      'source',
      `${quote(value)} has an unknown scheme`,
      'use docker://IMAGE for the local engine, or registry/name:tag without a scheme',
    );
  if (hasRegistryHost(value)) return { kind: 'registry', ref: reference('source', value, 'source') };
  reference('source', value, 'source');
  return { kind: 'engine', image: value };
}

/**
 * `REGISTRY=USERNAME:PASSWORD`, one per line, split on the first `=` and the first `:` after it, so a
 * password may hold commas, `=`, `:` and spaces. No part of a line is ever quoted back (it holds a secret).
 */
function readCredentials(text = ''): Map<string, { username: string; password: string }> {
  const out = new Map<string, { username: string; password: string }>();
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const colon = eq > 0 ? line.indexOf(':', eq + 1) : -1;
    const registry = eq > 0 ? line.slice(0, eq).trim() : '';
    const username = colon > 0 ? line.slice(eq + 1, colon).trim() : '';
    const password = colon > 0 ? line.slice(colon + 1) : '';
    if (!registry || !username || !password)
      throw new InputError(
        'credentials',
        `line ${n + 1} is not USERNAME:PASSWORD after REGISTRY=`,
        'write one REGISTRY=USERNAME:PASSWORD per line',
      );
    maskCredential(password);
    if (!isValidHost(registry))
      throw new InputError(
        'credentials',
        `line ${n + 1} starts with something that is not a registry host`,
        'start each line with a host such as ghcr.io or registry.example.com:5000, then =USERNAME:PASSWORD',
      );
    const host = normalizeHost(registry);
    if (out.has(host))
      throw new InputError('credentials', `line ${n + 1} repeats ${host}`, 'give one line per registry');
    out.set(host, { username, password });
  }
  return out;
}

function normalizeHost(host: string): string {
  return parseReference(`${host}/x:y`).registry;
}

export const ECR_PUBLIC_HOST = 'public.ecr.aws';

/**
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com`, its FIPS and China forms, and the dual-stack
 * `123456789012.dkr-ecr.eu-west-1.on.aws` → account and region; undefined for other hosts.
 */
export function parseEcrHost(host: string): { account: string; region: string } | undefined {
  const match =
    /^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|dkr-ecr(?:-fips)?\.([a-z0-9-]+)\.on\.aws)$/.exec(
      host.replace(/:\d+$/, '').toLowerCase(),
    );
  if (match) return { account: match[1], region: match[2] ?? match[3] };
  return undefined;
}

/** What `method` needs for this registry, or the input to fix when it is missing. */
function registryAuth(
  method: AuthMethod,
  name: string,
  given: {
    basic?: { username: string; password: string };
    docker?: DockerLogin;
    dockerDir: string;
    githubToken?: string;
    awsRegion?: string;
  },
): RegistryAuth {
  switch (method) {
    case 'basic':
      if (!given.basic)
        throw new InputError(
          'credentials',
          `has no entry for ${name}, whose registry-auth is basic`,
          `add a line ${name}=USERNAME:PASSWORD`,
        );
      return { method, basic: given.basic };
    case 'docker-config':
      if (!given.docker)
        throw new InputError(
          'registry-auth',
          `says docker-config for ${name}, but ${join(given.dockerDir, 'config.json')} has no login for it`,
          'run docker/login-action (or docker login) before this step, or choose another method',
        );
      if (given.docker.kind === 'auth') maskCredential(given.docker.credentials.password);
      return { method, docker: given.docker };
    case 'ecr': {
      const host = parseEcrHost(name);
      const awsRegion = host?.region ?? given.awsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
      if (!awsRegion)
        throw new InputError(
          'aws-region',
          `is empty and ${name} does not name an ECR region`,
          'set aws-region (or AWS_REGION) for it',
        );
      return { method, awsRegion, awsAccount: host?.account };
    }
    case 'github':
      if (!given.githubToken)
        throw new InputError(
          'github-token',
          `is empty but ${name} authenticates with it`,
          'leave it at its default (the job token, with permissions: packages: write) or pass a token',
        );
      return { method, token: given.githubToken };
    default:
      return { method };
  }
}

function detectMethod(registry: string): { method: AuthMethod; reason: string } | undefined {
  if (registry === 'ghcr.io') return { method: 'github', reason: 'ghcr.io' };
  if (registry.endsWith('-docker.pkg.dev') || registry === 'gcr.io' || registry.endsWith('.gcr.io'))
    return { method: 'google', reason: 'Google registry host' };
  if (parseEcrHost(registry)) return { method: 'ecr', reason: 'ECR host' };
  if (registry === ECR_PUBLIC_HOST) return { method: 'ecr-public', reason: 'ECR Public host' };
  return undefined;
}

/**
 * Everything the push needs, checked, in one pass over the destinations: registry → how it authenticates
 * and the scopes its token needs → repositories → tags.
 */
export function plan(inputs: ActionInputs, warn: (line: string) => void): Plan {
  const destinations = readDestinations(inputs.destinations);
  const source = readSource(inputs);
  const credentials = readCredentials(inputs.credentials);
  const githubToken = inputs.githubToken;
  const googleAccessToken = inputs.googleAccessToken;
  const awsRegion = inputs.awsRegion;
  if (awsRegion && !AWS_REGION_PATTERN.test(awsRegion))
    throw new InputError('aws-region', `${quote(awsRegion)} is not an AWS region`, 'use a region such as us-east-1');
  const insecure = new Set<string>();
  for (const host of inputs.insecureRegistries) {
    if (!isValidHost(host))
      throw new InputError(
        'insecure-registries',
        `${quote(host)} is not a registry host`,
        'list hosts such as registry.internal:5000, without a scheme',
      );
    insecure.add(normalizeHost(host));
  }
  const explicit = new Map<string, AuthMethod>();
  for (const [host, method] of Object.entries(inputs.registryAuth)) {
    if (!isValidHost(host))
      throw new InputError(
        'registry-auth',
        `${quote(host)} is not a registry host`,
        'write one REGISTRY=METHOD per line',
      );
    const chosen = AUTH_METHODS.find((m) => m === method.toLowerCase());
    if (!chosen)
      throw new InputError(
        'registry-auth',
        `${quote(method)} for ${host} is not a method`,
        `use one of: ${AUTH_METHODS.join(', ')}`,
      );
    explicit.set(normalizeHost(host), chosen);
  }
  const compression = readCompression(inputs);
  const dockerDir = dockerConfigDir();
  let dockerConfig: DockerConfigFile | undefined;
  try {
    dockerConfig = readDockerConfig(dockerDir);
  } catch (error) {
    if (error instanceof DockerConfigError)
      throw new UserError(`${error.message}; fix or remove it (docker login writes it), or set DOCKER_CONFIG`);
    throw error;
  }

  const used = new Set(destinations.map((d) => d.registry));
  if (source.kind === 'registry') used.add(source.ref.registry);
  for (const host of used) {
    const why = forbiddenHost(hostOf(host));
    if (why)
      throw new InputError(
        source.kind === 'registry' && source.ref.registry === host && !destinations.some((d) => d.registry === host)
          ? 'source'
          : 'destinations',
        `names the registry ${host}, ${why}`,
        "use the registry's own host: metadata and link-local addresses hand out the runner's cloud credentials",
      );
  }
  for (const host of [...credentials.keys(), ...explicit.keys()]) {
    if (!used.has(host))
      warn(`Credentials or an auth method are given for ${host}, which no destination or source uses`);
  }

  const registries = new Map<string, RegistryPlan>();
  for (const name of used) {
    const given = explicit.get(name);
    const detected = detectMethod(name);
    const basic = credentials.get(name);
    const docker = dockerLogin(dockerConfig, name);
    let method: AuthMethod;
    let methodReason: string;
    if (given) [method, methodReason] = [given, 'registry-auth input'];
    else if (basic) [method, methodReason] = ['basic', 'credentials input'];
    else if (docker) [method, methodReason] = ['docker-config', describeLogin(docker, dockerDir)];
    else if (detected) [method, methodReason] = [detected.method, detected.reason];
    else [method, methodReason] = ['anonymous', 'no credentials given'];
    const auth = registryAuth(method, name, { basic, docker, dockerDir, githubToken, awsRegion });
    const plan: RegistryPlan = {
      ...auth,
      name,
      scheme: isLoopback(name) || insecure.has(name) ? 'http' : 'https',
      methodReason,
      scopes: new Set(),
      repositories: new Map(),
    };
    if (plan.scheme === 'http' && !isLoopback(name) && method !== 'anonymous')
      throw new InputError(
        'insecure-registries',
        `lists ${name}, which would get ${method} credentials over plain HTTP`,
        'serve it over https, or remove its credentials (anonymous access only over plain HTTP)',
      );
    registries.set(name, plan);
  }
  // Every destination's and the source's registry is in `used`, so each has its plan.
  const planOf = (name: string) => registries.get(name) as RegistryPlan;
  for (const d of destinations) {
    const registry = planOf(d.registry);
    registry.scopes.add(`repository:${d.repository}:pull,push`);
    const tags = registry.repositories.get(d.repository) ?? [];
    tags.push(d.tag);
    registry.repositories.set(d.repository, tags);
  }
  if (source.kind === 'registry') {
    const registry = planOf(source.ref.registry);
    const pull = `repository:${source.ref.repository}:pull`;
    if (!registry.scopes.has(`${pull},push`)) registry.scopes.add(pull);
  }
  return {
    destinations,
    source,
    registries,
    githubToken,
    githubActor: process.env.GITHUB_ACTOR || 'github-actions',
    googleAccessToken,
    concurrency: inputs.concurrency,
    attempts: inputs.retries + 1,
    compression,
    login: inputs.login,
    dockerConfig: { dir: dockerDir, config: dockerConfig },
  };
}

function describeLogin(login: DockerLogin, dir: string): string {
  const file = join(dir, 'config.json');
  return login.kind === 'auth' ? `${file} auths` : `${file} ${login.from}: docker-credential-${login.helper}`;
}

function readCompression(inputs: ActionInputs): Compression {
  // A registry source is copied unchanged (compression does not apply to it).
  const algorithm = inputs.compression ?? 'none';
  const level = inputs.compressionLevel;
  if (algorithm === 'none') {
    if (level !== undefined)
      throw new InputError('compression-level', 'is set but compression is none', 'remove it, or choose gzip or zstd');
    return { algorithm };
  }
  if (algorithm === 'zstd' && !zstdAvailable())
    throw new InputError(
      'compression',
      `zstd needs Node 22.15 or later, and this runtime is ${process.version}`,
      'use gzip (the default, which every registry and runtime pulls), or run on a runner with the node24 runtime',
    );
  const { min, max } = LEVELS[algorithm];
  if (level !== undefined && (level < min || level > max))
    throw new InputError(
      'compression-level',
      `${level} is out of range for ${algorithm}`,
      `use ${min} to ${max} (default ${LEVELS[algorithm].default})`,
    );
  return { algorithm, level };
}
