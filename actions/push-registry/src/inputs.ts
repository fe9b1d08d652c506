/**
 * Reads and checks every input before anything is sent anywhere: destinations, the source, credentials
 * and how each registry authenticates, plain-HTTP permission, limits. Each problem is one line naming the
 * input. Secrets (passwords, tokens) are masked as they are read and never quoted.
 */
import { existsSync } from 'node:fs';
import * as core from '@actions/core';
import {
  exclusive,
  getDuration,
  getInteger,
  getList,
  getMap,
  getString,
  InputError,
  registerSecret,
} from '@deploy-actions/toolkit';
import {
  hasRegistryHost,
  isLoopback,
  isValidHost,
  parseReference,
  BadReferenceError,
  type Reference,
} from '@deploy-actions/registry';

export const AUTH_METHODS = ['github', 'google', 'ecr', 'basic', 'anonymous'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export type Source =
  | { kind: 'engine'; image: string }
  | { kind: 'registry'; ref: Reference }
  | { kind: 'archive'; path: string; select?: string };

export interface RegistryPlan {
  name: string;
  scheme: 'http' | 'https';
  method: AuthMethod;
  /** Why this method: "credentials input", "ghcr.io", ... */
  methodReason: string;
  basic?: { username: string; password: string };
  awsRegion?: string;
  awsAccount?: string;
}

export interface Inputs {
  destinations: Reference[];
  source: Source;
  registries: Map<string, RegistryPlan>;
  githubToken?: string;
  githubActor: string;
  googleAccessToken?: string;
  concurrency: number;
  attempts: number;
  timeoutMs: number;
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

function readDestinations(): Reference[] {
  const lines = getList('destinations', { required: true });
  const seen = new Set<string>();
  const refs: Reference[] = [];
  for (const line of lines) {
    const ref = reference('destinations', line, 'destination');
    if (ref.digest)
      throw new InputError(
        'destinations',
        `"${line}" names a digest`,
        'push to a tag (registry/name:tag); the digest is the output',
      );
    if (!ref.tag) throw new InputError('destinations', `"${line}" has no tag`, 'add one, e.g. :latest or :1.2.3');
    if (!hasRegistryHost(line) && !line.startsWith('docker.io/'))
      throw new InputError(
        'destinations',
        `"${line}" has no registry host`,
        'write the full reference, e.g. docker.io/org/app:tag or ghcr.io/org/app:tag',
      );
    const key = `${ref.registry}/${ref.repository}:${ref.tag}`;
    if (seen.has(key)) throw new InputError('destinations', `"${line}" is listed twice`, 'list each destination once');
    seen.add(key);
    refs.push(ref);
  }
  return refs;
}

function readSource(): Source {
  const source = getString('source');
  const archive = getString('source-archive');
  if (!source && !archive)
    throw new InputError(
      'source',
      'is missing',
      'set "source" (a local image or a registry reference) or "source-archive"',
    );
  if (archive) {
    if (!existsSync(archive))
      throw new InputError(
        'source-archive',
        `"${archive}" does not exist`,
        'give the path of a docker save tar, an OCI layout directory or an OCI layout tar',
      );
    if (source?.startsWith('docker://') || (source && hasRegistryHost(source) && source.includes('@')))
      exclusive({ 'source-archive': archive, source });
    return { kind: 'archive', path: archive, select: source };
  }
  const value = source!;
  if (/\s/.test(value)) throw new InputError('source', `"${value}" contains spaces`, 'give one image reference');
  if (value.startsWith('docker://')) {
    const image = value.slice('docker://'.length);
    if (!image) throw new InputError('source', '"docker://" names no image', 'write docker://IMAGE:TAG');
    if (!/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(image))
      throw new InputError('source', `"${value}" is not an image name`, 'write docker://IMAGE:TAG');
    return { kind: 'engine', image };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new InputError(
      'source',
      `"${value}" has an unknown scheme`,
      'use docker://IMAGE for the local engine, or registry/name:tag without a scheme',
    );
  if (hasRegistryHost(value)) return { kind: 'registry', ref: reference('source', value, 'source') };
  reference('source', value, 'source');
  return { kind: 'engine', image: value };
}

/** `REGISTRY=USERNAME:PASSWORD` lines; the password may contain colons, the username may not. */
function readCredentials(): Map<string, { username: string; password: string }> {
  const map = getMap('credentials', { secret: true });
  const out = new Map<string, { username: string; password: string }>();
  for (const [registry, value] of Object.entries(map)) {
    const colon = value.indexOf(':');
    if (colon <= 0 || colon === value.length - 1)
      throw new InputError(
        'credentials',
        `the entry for ${registry} is not USERNAME:PASSWORD`,
        'write one REGISTRY=USERNAME:PASSWORD per line',
      );
    if (!isValidHost(registry))
      throw new InputError(
        'credentials',
        `"${registry}" is not a registry host`,
        'start each line with a host such as ghcr.io or registry.example.com:5000',
      );
    const password = registerSecret(value.slice(colon + 1));
    out.set(normalizeHost(registry), { username: value.slice(0, colon), password });
  }
  return out;
}

function normalizeHost(host: string): string {
  return parseReference(`${host}/x:y`).registry;
}

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` → account and region; undefined for other hosts. */
export function parseEcrHost(host: string): { account: string; region: string } | undefined {
  const match = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/.exec(
    host.replace(/:\d+$/, ''),
  );
  return match ? { account: match[1], region: match[2] } : undefined;
}

function detectMethod(registry: string): { method: AuthMethod; reason: string } | undefined {
  if (registry === 'ghcr.io') return { method: 'github', reason: 'ghcr.io' };
  if (registry.endsWith('-docker.pkg.dev') || registry === 'gcr.io' || registry.endsWith('.gcr.io'))
    return { method: 'google', reason: 'Google registry host' };
  if (parseEcrHost(registry)) return { method: 'ecr', reason: 'ECR host' };
  return undefined;
}

export function readInputs(): Inputs {
  const destinations = readDestinations();
  const source = readSource();
  const credentials = readCredentials();
  const githubToken = getString('github-token', { secret: true });
  const googleAccessToken = getString('google-access-token', { secret: true });
  const awsRegion = getString('aws-region');
  if (awsRegion && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(awsRegion))
    throw new InputError('aws-region', `"${awsRegion}" is not an AWS region`, 'use a region such as us-east-1');
  const insecure = new Set<string>();
  for (const host of getList('insecure-registries')) {
    if (!isValidHost(host))
      throw new InputError(
        'insecure-registries',
        `"${host}" is not a registry host`,
        'list hosts such as registry.internal:5000, without a scheme',
      );
    insecure.add(normalizeHost(host));
  }
  const explicit = new Map<string, AuthMethod>();
  for (const [host, method] of Object.entries(getMap('registry-auth'))) {
    if (!isValidHost(host))
      throw new InputError('registry-auth', `"${host}" is not a registry host`, 'write one REGISTRY=METHOD per line');
    const chosen = AUTH_METHODS.find((m) => m === method.toLowerCase());
    if (!chosen)
      throw new InputError(
        'registry-auth',
        `"${method}" for ${host} is not a method`,
        `use one of: ${AUTH_METHODS.join(', ')}`,
      );
    explicit.set(normalizeHost(host), chosen);
  }
  const concurrency = getInteger('concurrency', { min: 1, max: 32 }) ?? 6;
  const attempts = (getInteger('retries', { min: 0, max: 10 }) ?? 4) + 1;
  const timeoutMs = getDuration('timeout', { min: 10_000, max: 6 * 3600_000 }) ?? 30 * 60_000;

  const used = new Set(destinations.map((d) => d.registry));
  if (source.kind === 'registry') used.add(source.ref.registry);
  for (const host of [...credentials.keys(), ...explicit.keys()]) {
    if (!used.has(host))
      core.warning(`Credentials or an auth method are given for ${host}, which no destination or source uses`);
  }

  const registries = new Map<string, RegistryPlan>();
  for (const name of used) {
    const given = explicit.get(name);
    const detected = detectMethod(name);
    const basic = credentials.get(name);
    let method: AuthMethod;
    let methodReason: string;
    if (given) [method, methodReason] = [given, 'registry-auth input'];
    else if (basic) [method, methodReason] = ['basic', 'credentials input'];
    else if (detected) [method, methodReason] = [detected.method, detected.reason];
    else [method, methodReason] = ['anonymous', 'no credentials given'];
    const plan: RegistryPlan = {
      name,
      scheme: isLoopback(name) || insecure.has(name) ? 'http' : 'https',
      method,
      methodReason,
    };
    if (method === 'basic') {
      if (!basic)
        throw new InputError(
          'credentials',
          `has no entry for ${name}, whose registry-auth is basic`,
          `add a line ${name}=USERNAME:PASSWORD`,
        );
      plan.basic = basic;
    }
    if (method === 'github' && !githubToken)
      throw new InputError(
        'github-token',
        `is empty but ${name} authenticates with it`,
        'leave it at its default (the job token, with permissions: packages: write) or pass a token',
      );
    if (method === 'ecr') {
      const host = parseEcrHost(name);
      plan.awsRegion = host?.region ?? awsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
      plan.awsAccount = host?.account;
      if (!plan.awsRegion)
        throw new InputError(
          'aws-region',
          `is empty and ${name} does not name an ECR region`,
          'set aws-region (or AWS_REGION) for it',
        );
    }
    registries.set(name, plan);
  }
  return {
    destinations,
    source,
    registries,
    githubToken,
    githubActor: process.env.GITHUB_ACTOR || 'github-actions',
    googleAccessToken,
    concurrency,
    attempts,
    timeoutMs,
  };
}
