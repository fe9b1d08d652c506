import {
  JOB_NESTED_OUTPUT_ONLY,
  JOB_OUTPUT_ONLY,
  SERVICE_NESTED_OUTPUT_ONLY,
  SERVICE_OUTPUT_ONLY,
} from './cloudrun-output-only';
import { ENUMS, MESSAGES } from './cloudrun-schema';
import type { Container, EnvVar, Volume } from './cloudrun-types';

/**
 * What a Service or Job body may hold, checked against the schema generated from Google's protos
 * (cloudrun-schema.ts: fields and types; cloudrun-output-only.ts: the one list of output-only fields), and
 * the CPU/memory rules the server enforces that are easy to miss. Part of the Cloud Run spec module
 * (cloudrun-spec.ts describes the whole).
 *
 * Written here rather than taken from a library: the protos are the definition; a generic JSON-schema
 * validator would need a schema nobody publishes for the REST form.
 */

export type CloudRunResource = 'Service' | 'Job';

/** Keys that reach Object.prototype (or a constructor) when merged naively. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parse(spec: string): { kind: string; list: boolean; map: boolean } {
  const [kind, ...flags] = spec.split(' ');
  return { kind, list: flags.includes('list'), map: flags.includes('map') };
}

/** Output-only fields by dotted path from the resource (list elements share their list's path). */
const OUTPUT_ONLY: Record<CloudRunResource, Set<string>> = {
  Service: new Set([...SERVICE_OUTPUT_ONLY, ...SERVICE_NESTED_OUTPUT_ONLY]),
  Job: new Set([...JOB_OUTPUT_ONLY, ...JOB_NESTED_OUTPUT_ONLY]),
};

function isOutputOnly(resource: CloudRunResource, path: string): boolean {
  return OUTPUT_ONLY[resource].has(path);
}

/** A deep copy of a Service or Job without its output-only fields, at every level. */
export function writable<T>(value: T, resource: CloudRunResource = 'Service'): T {
  return strip(value, resource, '') as T;
}

function strip(value: unknown, resource: CloudRunResource, path: string): unknown {
  if (Array.isArray(value)) return value.map((item) => strip(item, resource, path));
  if (!isPlainObject(value)) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (isOutputOnly(resource, at)) continue;
    out[key] = strip(item, resource, at);
  }
  return out;
}

/**
 * Why `patch` cannot be merged into a `message`, as "`template.containers[0].foo` is not a field of
 * Container", or undefined when it can. A null removes a field and is always allowed.
 */
export function patchProblem(patch: unknown, resource: CloudRunResource): string | undefined {
  return messageProblem(patch, resource, resource, '', '');
}

/** `path` is for messages ("template.containers[0]"), `field` the dotted path the output-only list uses. */
function messageProblem(
  value: unknown,
  resource: CloudRunResource,
  message: string,
  path: string,
  field: string,
): string | undefined {
  if (!isPlainObject(value)) return `${path ? `\`${path}\`` : 'the patch'} is not an object`;
  const fields = MESSAGES[message] ?? {};
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    const dotted = field ? `${field}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) return `\`${at}\` is a prototype key, which is never merged`;
    const spec = fields[key];
    if (!spec) return `\`${at}\` is not a field of ${message} (Cloud Run Admin API v2)`;
    if (isOutputOnly(resource, dotted)) return `\`${at}\` is output only: Cloud Run sets it, a request cannot`;
    const item = value[key];
    if (item === null) continue;
    const { kind, list, map } = parse(spec);
    const problem = valueProblem(item, kind, list, map, at, resource, dotted);
    if (problem) return problem;
  }
  return undefined;
}

function valueProblem(
  value: unknown,
  kind: string,
  list: boolean,
  map: boolean,
  at: string,
  resource: CloudRunResource,
  field: string,
): string | undefined {
  if (list) {
    if (!Array.isArray(value)) return `\`${at}\` must be a list`;
    for (const [i, item] of value.entries()) {
      const problem = valueProblem(item, kind, false, false, `${at}[${i}]`, resource, field);
      if (problem) return problem;
    }
    return undefined;
  }
  if (map) {
    if (!isPlainObject(value)) return `\`${at}\` must be a map of names to values`;
    for (const [key, item] of Object.entries(value)) {
      if (PROTOTYPE_KEYS.has(key)) return `\`${at}.${key}\` is a prototype key, which is never merged`;
      const problem = valueProblem(item, kind, false, false, `${at}.${key}`, resource, field);
      if (problem) return problem;
    }
    return undefined;
  }
  if (kind.startsWith('message:')) return messageProblem(value, resource, kind.slice(8), at, field);
  if (kind.startsWith('enum:')) {
    const values = ENUMS[kind.slice(5)] ?? [];
    return typeof value === 'string' && values.includes(value)
      ? undefined
      : `\`${at}\` must be one of ${values.join(', ')}`;
  }
  if (kind === 'bool') return typeof value === 'boolean' ? undefined : `\`${at}\` must be true or false`;
  if (/int|double|float/.test(kind))
    return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
      ? undefined
      : `\`${at}\` must be a number`;
  return typeof value === 'string' || typeof value === 'number' ? undefined : `\`${at}\` must be a string`;
}

// ---- CPU and memory ----

export interface Resources {
  cpu?: string;
  memory?: string;
  concurrency?: number;
  /** CPU only during requests (request-based billing). */
  cpuIdle?: boolean;
}

/** "1", "0.5", "500m" → CPUs; undefined when not a quantity. */
export function cpuCount(text: string): number | undefined {
  if (/^\d+m$/.test(text)) return Number(text.slice(0, -1)) / 1000;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  return undefined;
}

const MEMORY_UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 };

/** "512Mi" → bytes; undefined when not a quantity. */
export function memoryBytes(text: string): number | undefined {
  const match = /^(\d+)(Ki|Mi|Gi|K|M|G)$/.exec(text);
  return match ? Number(match[1]) * MEMORY_UNITS[match[2]] : undefined;
}

const MiB = 2 ** 20;
const GiB = 2 ** 30;
/** Memory range per whole CPU count (cloud.google.com/run/docs/configuring/services/cpu). */
const MEMORY_FOR_CPU: Record<number, [number, number]> = {
  1: [128 * MiB, 4 * GiB],
  2: [128 * MiB, 8 * GiB],
  4: [2 * GiB, 16 * GiB],
  6: [4 * GiB, 24 * GiB],
  8: [4 * GiB, 32 * GiB],
};

/** Which setting breaks Cloud Run's CPU/memory rules, and the fix; undefined when they hold. */
export function resourcesProblem(
  r: Resources,
): { input: 'cpu' | 'memory' | 'concurrency'; problem: string; fix: string } | undefined {
  const cpu = r.cpu === undefined ? undefined : cpuCount(r.cpu);
  const memory = r.memory === undefined ? undefined : memoryBytes(r.memory);
  if (r.cpu !== undefined && cpu === undefined)
    return {
      input: 'cpu',
      problem: `"${r.cpu}" is not a CPU count`,
      fix: 'write 1, 2, 4, 6, 8, or a fraction from 0.08 to below 1 (e.g. 0.5 or 500m)',
    };
  if (r.memory !== undefined && memory === undefined)
    return { input: 'memory', problem: `"${r.memory}" is not a memory size`, fix: 'write a size like 512Mi or 2Gi' };
  if (cpu !== undefined) {
    if (cpu < 1 && (cpu < 0.08 || Math.round(cpu * 1000) !== cpu * 1000))
      return {
        input: 'cpu',
        problem: `${r.cpu} is not a CPU count Cloud Run accepts`,
        fix: 'below 1, use 0.08 to 0.999 in steps of 0.001',
      };
    if (cpu >= 1 && !MEMORY_FOR_CPU[cpu])
      return {
        input: 'cpu',
        problem: `${r.cpu} is not a CPU count Cloud Run accepts`,
        fix: 'above 1, use 2, 4, 6 or 8',
      };
    if (cpu < 1 && r.cpuIdle === false)
      return {
        input: 'cpu',
        problem: `${r.cpu} (below 1) needs CPU allocated only during requests`,
        fix: 'leave cpu-throttling at true, or use 1 CPU or more',
      };
    if (cpu < 1 && r.concurrency !== 1)
      return {
        input: 'concurrency',
        problem:
          r.concurrency === undefined
            ? `must be 1 with cpu ${r.cpu} (below 1), and is not set`
            : `is ${r.concurrency}, but cpu ${r.cpu} (below 1) allows only 1`,
        fix: 'set concurrency: 1, or use 1 CPU or more',
      };
  }
  if (memory !== undefined) {
    if (memory < 128 * MiB || memory > 32 * GiB)
      return {
        input: 'memory',
        problem: `${r.memory} is outside Cloud Run's 128Mi to 32Gi`,
        fix: 'use a size in that range',
      };
    const count = cpu ?? 1;
    if (count < 1) {
      if (memory > GiB)
        return {
          input: 'memory',
          problem: `${r.memory} needs at least 1 CPU (cpu is ${r.cpu})`,
          fix: 'raise cpu to 1 or lower memory to 1Gi',
        };
      if (memory > 512 * MiB && count < 0.5)
        return {
          input: 'memory',
          problem: `${r.memory} needs at least 0.5 CPU (cpu is ${r.cpu})`,
          fix: 'raise cpu to 0.5 or lower memory to 512Mi',
        };
    } else {
      const [min, max] = MEMORY_FOR_CPU[count] ?? [0, Number.POSITIVE_INFINITY];
      const cpuText = r.cpu === undefined ? '1 (the default)' : r.cpu;
      if (memory > max)
        return {
          input: 'memory',
          problem: `${r.memory} is more than ${cpuText} CPU allows (${max / GiB}Gi)`,
          fix: 'raise cpu or lower memory',
        };
      if (memory < min)
        return {
          input: 'memory',
          problem: `${r.memory} is less than ${cpuText} CPU needs (${min / GiB}Gi)`,
          fix: 'raise memory or lower cpu',
        };
    }
  }
  return undefined;
}

/**
 * Sets limits and cpuIdle on a container. `cpuIdle` unset in a request with limits means CPU always
 * allocated (instance-based billing), so it is sent explicitly: as asked, else as the container had it,
 * else true (Cloud Run's own default when no limits are given).
 */
export function applyResources(container: Container, r: Resources): void {
  const hadResources = Boolean(container.resources);
  if (!r.cpu && !r.memory && r.cpuIdle === undefined && hadResources) return;
  container.resources ??= {};
  if (r.cpu || r.memory)
    container.resources.limits = {
      ...container.resources.limits,
      ...(r.cpu ? { cpu: r.cpu } : {}),
      ...(r.memory ? { memory: r.memory } : {}),
    };
  const cpu = r.cpu === undefined ? undefined : cpuCount(r.cpu);
  if (r.cpuIdle !== undefined) container.resources.cpuIdle = r.cpuIdle;
  else if (!hadResources || (cpu !== undefined && cpu < 1)) container.resources.cpuIdle = true;
}

/** A variable from Secret Manager: `secret` (a name or `projects/P/secrets/S`) at `version` (default latest). */
export function secretEnvVar(name: string, ref: { secret: string; version?: string }): EnvVar {
  return { name, valueSource: { secretKeyRef: { secret: ref.secret, version: ref.version ?? 'latest' } } };
}

/** Mounts Cloud SQL instances at /cloudsql (the one `cloudsql` volume, replaced), for a service or a job task. */
export function mountCloudSql(owner: { volumes?: Volume[] }, container: Container, instances: string[]): void {
  if (!instances.length) return;
  owner.volumes = [
    ...(owner.volumes ?? []).filter((v) => v.name !== 'cloudsql'),
    { name: 'cloudsql', cloudSqlInstance: { instances } },
  ];
  container.volumeMounts = [
    ...(container.volumeMounts ?? []).filter((m) => m.name !== 'cloudsql'),
    { name: 'cloudsql', mountPath: '/cloudsql' },
  ];
}
