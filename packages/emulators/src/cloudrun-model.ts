import { randomBytes } from 'node:crypto';
import type { EmulatorResponse } from './server';

/**
 * The pure parts of the Cloud Run Admin API v2 emulator: resource shapes, the rules the server enforces beyond
 * the message definitions (ids, reserved label namespaces, env names, traffic and tags, CPU and memory
 * pairing, port names), conditions, field masks, paging and Google's error format. Field names, types and
 * enums are checked before any of this, against the v2 protos (./google/cloudrun-schema.ts). Sources: the
 * comments of google/cloud/run/v2/*.proto (in @google-cloud/run) and Cloud Run's public documentation of
 * CPU limits (https://cloud.google.com/run/docs/configuring/services/cpu) and memory limits
 * (https://cloud.google.com/run/docs/configuring/services/memory-limits).
 */

export type Json = Record<string, unknown>;

export type ConditionState = 'CONDITION_PENDING' | 'CONDITION_RECONCILING' | 'CONDITION_FAILED' | 'CONDITION_SUCCEEDED';

export interface Condition {
  type: string;
  state: ConditionState;
  message?: string;
  lastTransitionTime: string;
  severity?: 'ERROR' | 'WARNING' | 'INFO';
  reason?: string;
  revisionReason?: string;
  executionReason?: string;
}

export interface TrafficTarget {
  type?: string;
  revision?: string;
  percent?: number;
  tag?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueSource?: { secretKeyRef?: { secret: string; version?: string } };
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort?: number }[];
  startupProbe?: { httpGet?: { path?: string } };
  [field: string]: unknown;
}

export const LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST';
export const REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';
const RESERVED_NAMESPACES = [
  'run.googleapis.com',
  'cloud.googleapis.com',
  'serving.knative.dev',
  'autoscaling.knative.dev',
];
const RESERVED_ENV = ['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION'];
export const MAX_TAG_AND_SERVICE = 46;
/** ContainerPort.name: "http1" or "h2c" (container.proto). */
const PORT_NAMES = ['http1', 'h2c'];
/** Whole CPUs Cloud Run offers, with the memory range (MiB) each allows (the documented CPU/memory table). */
const WHOLE_CPUS: Record<number, [number, number]> = {
  1: [128, 4096],
  2: [128, 8192],
  4: [2048, 16384],
  6: [4096, 24576],
  8: [4096, 32768],
};
const DEFAULT_CONCURRENCY = 80;
/** Fields of a Service that a client sets (everything else is output only and ignored on input). */
export const SERVICE_FIELDS = [
  'description',
  'labels',
  'annotations',
  'client',
  'clientVersion',
  'ingress',
  'launchStage',
  'binaryAuthorization',
  'template',
  'traffic',
  'scaling',
  'invokerIamDisabled',
  'defaultUriDisabled',
  'customAudiences',
];
export const JOB_FIELDS = [
  'labels',
  'annotations',
  'client',
  'clientVersion',
  'launchStage',
  'binaryAuthorization',
  'template',
];

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    readonly violations: { field: string; description: string }[] = [],
    readonly extraDetails: Json[] = [],
  ) {
    super(message);
  }

  response(): EmulatorResponse {
    const all = [
      ...(this.violations.length
        ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: this.violations }]
        : []),
      ...this.extraDetails,
    ];
    const details = all.length ? all : undefined;
    return {
      status: this.code,
      body: { error: { code: this.code, message: this.message, status: this.status, details } },
    };
  }
}

/** A request the JSON mapping refused: 400 with every violation, as the Google front end answers. */
export function payloadError(violations: { field: string; description: string }[]): ApiError {
  return new ApiError(400, 'INVALID_ARGUMENT', violations.map((v) => v.description).join('\n'), violations);
}

export function invalid(field: string, description: string): ApiError {
  return new ApiError(400, 'INVALID_ARGUMENT', `Violation in ${field}: ${description}`, [{ field, description }]);
}

export function notFound(kind: string, name: string): ApiError {
  return new ApiError(
    404,
    'NOT_FOUND',
    `Resource '${name.split('/').pop()}' of kind '${kind}' does not exist (${name}).`,
  );
}

/** serviceId / jobId: a letter first, lowercase letters, digits and hyphens, no trailing hyphen, under `max`. */
export function checkId(field: string, id: string | null, max: number): string {
  if (!id) throw invalid(field, 'is required.');
  if (id.length >= max) throw invalid(field, `must be fewer than ${max} characters.`);
  if (!/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(id))
    throw invalid(
      field,
      'must start with a letter, contain only lowercase letters, digits and hyphens, and not end with a hyphen.',
    );
  return id;
}

export function checkMetadata(field: string, map: unknown): void {
  if (map === undefined || map === null) return;
  if (typeof map !== 'object' || Array.isArray(map)) throw invalid(field, 'must be a map of strings.');
  for (const key of Object.keys(map)) {
    const namespace = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
    if (RESERVED_NAMESPACES.some((ns) => namespace === ns || namespace.endsWith(`.${ns}`)))
      throw invalid(field, `key '${key}' is in a reserved namespace (${RESERVED_NAMESPACES.join(', ')}).`);
  }
}

/** A revision template's or task template's containers: images present, env names valid and not reserved. */
export function checkContainers(field: string, containers: unknown, isService: boolean): Container[] {
  if (!Array.isArray(containers) || containers.length === 0)
    throw invalid(field, 'at least one container is required.');
  const list = containers as Container[];
  list.forEach((container, i) => {
    if (!container.image) throw invalid(`${field}[${i}].image`, 'is required.');
    for (const [p, port] of (container.ports ?? []).entries())
      if (port.name !== undefined && port.name !== '' && !PORT_NAMES.includes(port.name))
        throw invalid(`${field}[${i}].ports[${p}].name`, `must be "http1" or "h2c", not "${port.name}".`);
    const names = new Set<string>();
    for (const env of container.env ?? []) {
      if (!env.name || !/^[^=\s]+$/.test(env.name)) throw invalid(`${field}[${i}].env`, `invalid name '${env.name}'.`);
      if (names.has(env.name)) throw invalid(`${field}[${i}].env`, `duplicate name '${env.name}'.`);
      names.add(env.name);
      if (isService && RESERVED_ENV.includes(env.name))
        throw invalid(
          `${field}[${i}].env`,
          `The following reserved env names were provided: ${env.name}. These values are automatically set by the system.`,
        );
    }
  });
  if (isService && list.length > 1 && list.filter((c) => c.ports?.length).length !== 1)
    throw invalid(field, 'exactly one container must specify ports (the ingress container).');
  return list;
}

/** Checks a traffic list; `known` tells whether a revision name exists on this service. */
export function checkTraffic(
  traffic: unknown,
  known: (revision: string) => boolean,
  serviceId: string,
): TrafficTarget[] {
  if (traffic === undefined || traffic === null) return [];
  if (!Array.isArray(traffic)) throw invalid('service.traffic', 'must be a list.');
  const targets = traffic as TrafficTarget[];
  const tags = new Set<string>();
  let total = 0;
  targets.forEach((t, i) => {
    const field = `service.traffic[${i}]`;
    const type = t.type ?? (t.revision ? REVISION : LATEST);
    if (type !== LATEST && type !== REVISION) throw invalid(`${field}.type`, `unknown type '${t.type}'.`);
    if (type === REVISION && !t.revision)
      throw invalid(`${field}.revision`, 'is required for TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION.');
    if (type === LATEST && t.revision)
      throw invalid(`${field}.revision`, 'must be empty for TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST.');
    if (t.revision && !known(t.revision))
      throw invalid(`${field}.revision`, `Revision named '${t.revision}' referenced in traffic not found.`);
    const percent = t.percent ?? 0;
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      throw invalid(`${field}.percent`, 'must be an integer from 0 to 100.');
    total += percent;
    if (t.tag !== undefined && t.tag !== '') {
      if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(t.tag))
        throw invalid(`${field}.tag`, `'${t.tag}' must be a lowercase DNS label.`);
      // The tag URL is `<tag>---<service>-<hash>-<region>.a.run.app`: tag and service name share one DNS label.
      if (t.tag.length + serviceId.length > MAX_TAG_AND_SERVICE)
        throw invalid(
          `${field}.tag`,
          `Tag '${t.tag}' and service name '${serviceId}' together have ${t.tag.length + serviceId.length} characters; the limit is ${MAX_TAG_AND_SERVICE}.`,
        );
      if (tags.has(t.tag)) throw invalid(`${field}.tag`, `duplicate tag '${t.tag}'.`);
      tags.add(t.tag);
    }
  });
  if (targets.length && total !== 100)
    throw invalid('service.traffic', `Traffic percentages must add up to 100, not ${total}.`);
  return targets.map((t) => ({ ...t, type: t.type ?? (t.revision ? REVISION : LATEST) }));
}

/** Applies `body` to `current`: the paths of an updateMask, or (no mask) every client-set field. */
export function applyMask(current: Json, body: Json, mask: string | null, fields: string[]): Json {
  if (!mask) return Object.fromEntries(fields.filter((f) => body[f] !== undefined).map((f) => [f, body[f]]));
  if (mask.trim() === '*') return applyMask(current, body, null, fields);
  const next = structuredClone(current);
  for (const path of mask.split(',').map((p) => p.trim())) {
    const keys = path.split('.');
    if (!fields.includes(keys[0])) throw invalid('update_mask', `'${path}' is not a field that can be updated.`);
    let source: unknown = body;
    let target = next;
    keys.forEach((key, i) => {
      source = (source as Json | undefined)?.[key];
      if (i === keys.length - 1) {
        if (source === undefined) delete target[key];
        else target[key] = structuredClone(source);
      } else {
        target[key] ??= {};
        target = target[key] as Json;
      }
    });
  }
  return next;
}

export function condition(type: string, state: ConditionState, at: string, extra: Partial<Condition> = {}): Condition {
  return { type, state, lastTransitionTime: at, ...extra };
}

/** proto3 JSON for a duration ("30s", "1.5s") in milliseconds. */
export function parseDuration(value: unknown, fallbackMs: number): number {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Number(match[1]) * 1000 : fallbackMs;
}

export function page<T>(items: T[], query: URLSearchParams): { items: T[]; nextPageToken?: string } {
  const size = Math.min(Number(query.get('pageSize')) || 100, 1000);
  const start = Number(Buffer.from(query.get('pageToken') ?? '', 'base64url').toString() || 0);
  const next = start + size;
  return {
    items: items.slice(start, next),
    nextPageToken: next < items.length ? Buffer.from(String(next)).toString('base64url') : undefined,
  };
}

export function etag(): string {
  return `"${randomBytes(12).toString('base64url')}"`;
}

export function randomName(length: number, random: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

/** Env vars of a container as a map; secret references are resolved by `secret` (which throws when missing). */
export function envOf(container: Container, secret: (name: string, version: string) => string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const ref = e.valueSource?.secretKeyRef;
    env[e.name] = ref ? secret(ref.secret, ref.version ?? 'latest') : (e.value ?? '');
  }
  return env;
}

/** MiB as Cloud Run prints a memory bound: whole GiB as `4Gi`, else `128Mi`. */
function mib(value: number): string {
  return value % 1024 === 0 ? `${value / 1024}Gi` : `${value}Mi`;
}

/** Kubernetes quantity ("512Mi", "1Gi", "2G", "1.5") in MiB for memory or in CPUs; NaN when malformed. */
export function quantity(value: string, unit: 'MiB' | 'cpu'): number {
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value.trim());
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  const factor: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  const scaled = n * factor[match[2] ?? ''];
  return unit === 'cpu' ? scaled : scaled / 1024 ** 2;
}

/**
 * CPU and memory of a service's containers, with the pairing rules Cloud Run documents: CPU from 0.08 to below
 * 1 (in steps of 0.001) or 1, 2, 4, 6, 8; below 1 CPU, concurrency must be 1 and CPU allocated only during
 * requests (`cpuIdle: true`), memory over 512 MiB needs 0.5 CPU and over 1 GiB needs 1; whole CPUs bound memory
 * as in the CPU/memory table. Defaults: 1 CPU, 512 MiB, concurrency 80.
 */
export function checkResources(field: string, template: Json): void {
  const containers = (template.containers ?? []) as Container[];
  const concurrency = (template.maxInstanceRequestConcurrency as number | undefined) || DEFAULT_CONCURRENCY;
  containers.forEach((container, i) => {
    const resources = (container.resources ?? {}) as { limits?: Record<string, string>; cpuIdle?: boolean };
    const at = `${field}.containers[${i}].resources`;
    const cpuText = resources.limits?.cpu ?? '1';
    const memoryText = resources.limits?.memory ?? '512Mi';
    const cpu = quantity(cpuText, 'cpu');
    const memory = quantity(memoryText, 'MiB');
    if (Number.isNaN(cpu)) throw invalid(`${at}.limits.cpu`, `Invalid value specified for cpu: '${cpuText}'.`);
    if (Number.isNaN(memory))
      throw invalid(`${at}.limits.memory`, `Invalid value specified for memory: '${memoryText}'.`);
    if (cpu < 1) {
      if (cpu < 0.08 || Math.abs(cpu * 1000 - Math.round(cpu * 1000)) > 1e-9)
        throw invalid(
          `${at}.limits.cpu`,
          `Invalid value specified for cpu. ${cpuText} is not between 0.08 and 1 in steps of 0.001.`,
        );
      if (concurrency > 1)
        throw invalid(
          `${at}.limits.cpu`,
          `Invalid value specified for cpu. Total cpu < 1 is not supported with concurrency > 1 (maxInstanceRequestConcurrency is ${concurrency}).`,
        );
      if (resources.cpuIdle !== true)
        throw invalid(
          `${at}.cpu_idle`,
          'Invalid value specified for cpu. Total cpu < 1 is only supported with CPU allocated only during request processing (cpuIdle: true).',
        );
      const limit = cpu < 0.5 ? 512 : 1024;
      if (memory > limit)
        throw invalid(
          `${at}.limits.memory`,
          `Invalid value specified for memory. For ${cpuText} CPU, memory must be at most ${limit === 512 ? '512Mi' : '1Gi'}.`,
        );
      return;
    }
    const range = WHOLE_CPUS[cpu];
    if (!range)
      throw invalid(
        `${at}.limits.cpu`,
        `Invalid value specified for cpu. ${cpuText} must be below 1, or 1, 2, 4, 6 or 8.`,
      );
    if (memory < range[0] || memory > range[1])
      throw invalid(
        `${at}.limits.memory`,
        `Invalid value specified for memory. For ${cpu.toFixed(1)} CPU, memory must be between ${mib(range[0])} and ${mib(range[1])} inclusive.`,
      );
  });
}
