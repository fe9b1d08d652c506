import { readFileSync } from 'node:fs';

/**
 * Checks the Render emulator's requests and answers against the committed subset of Render's OpenAPI
 * document (openapi.json, transcribed from Render's own generated SDK types; see SOURCE.md). Hand-written
 * because it needs only the handful of schema keywords that subset uses (type, enum, required,
 * properties, additionalProperties, items, minimum/maximum, format date-time, $ref), and a general
 * validator would bring the OpenAPI-to-JSON-Schema conversion along for nothing.
 */

export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  enum?: string[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  minimum?: number;
  maximum?: number;
  format?: string;
  default?: unknown;
}

interface Parameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query';
  schema: Schema;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { $ref?: string; content?: { 'application/json': { schema: Schema } } }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, Parameter>;
    responses: Record<string, { content: { 'application/json': { schema: Schema } } }>;
  };
}

export const spec: Document = JSON.parse(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8'));

function resolve<T extends { $ref?: string }>(item: T): T {
  if (!item.$ref) return item;
  const [, , group, name] = item.$ref.split('/');
  const target = (spec.components as unknown as Record<string, Record<string, T>>)[group]?.[name];
  if (!target) throw new Error(`openapi.json: dangling $ref ${item.$ref}`);
  return resolve(target);
}

export function schemaOf(name: string): Schema {
  return resolve({ $ref: `#/components/schemas/${name}` });
}

export function operation(id: string): Operation {
  for (const methods of Object.values(spec.paths))
    for (const op of Object.values(methods)) if (op.operationId === id) return op;
  throw new Error(`openapi.json: no operation ${id}`);
}

/** The first way `value` breaks `schema`, as Render words a bad request, or undefined when it fits. */
export function check(value: unknown, schema: Schema, at = 'body'): string | undefined {
  const s = resolve(schema);
  if (s.type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at} must be an object`;
    const record = value as Record<string, unknown>;
    for (const name of s.required ?? []) if (record[name] === undefined) return `${at}.${name} is required`;
    for (const [name, item] of Object.entries(record)) {
      const property = s.properties?.[name];
      if (!property) {
        if (s.additionalProperties === false) return `unknown field "${name}" in ${at}`;
        continue;
      }
      const problem = check(item, property, `${at}.${name}`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (s.type === 'array') {
    if (!Array.isArray(value)) return `${at} must be an array`;
    for (const [i, item] of value.entries()) {
      const problem = s.items && check(item, s.items, `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (s.type === 'string') {
    if (typeof value !== 'string') return `${at} must be a string`;
    if (s.enum && !s.enum.includes(value)) return `${at} must be one of ${s.enum.join(', ')}; got "${value}"`;
    if (s.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value))
      return `${at} must be an RFC 3339 date-time`;
    return undefined;
  }
  if (s.type === 'integer' || s.type === 'number') {
    if (typeof value !== 'number' || (s.type === 'integer' && !Number.isInteger(value)))
      return `${at} must be ${s.type === 'integer' ? 'an integer' : 'a number'}`;
    if (s.minimum !== undefined && value < s.minimum) return `${at} must be at least ${s.minimum}`;
    if (s.maximum !== undefined && value > s.maximum) return `${at} must be at most ${s.maximum}`;
    return undefined;
  }
  if (s.type === 'boolean' && typeof value !== 'boolean') return `${at} must be a boolean`;
  return undefined;
}

/** A request body against its operation; a JSON syntax error counts as a bad request too. */
export function checkBody(operationId: string, raw: Buffer): { body?: Record<string, unknown>; problem?: string } {
  const schema = operation(operationId).requestBody?.content['application/json'].schema;
  let body: unknown = {};
  if (raw.length) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { problem: 'the request body is not valid JSON' };
    }
  }
  const problem = schema ? check(body, schema) : undefined;
  return problem ? { problem } : { body: body as Record<string, unknown> };
}

/** Query parameters against the operation's declared ones (form style: `status=a,b` or repeated). */
export function checkQuery(operationId: string, query: URLSearchParams): string | undefined {
  for (const parameter of (operation(operationId).parameters ?? []).map(resolve)) {
    if (parameter.in !== 'query') continue;
    const values = query.getAll(parameter.name);
    if (!values.length) continue;
    const schema = resolve(parameter.schema);
    const value =
      schema.type === 'array'
        ? values.flatMap((v) => v.split(','))
        : schema.type === 'integer'
          ? /^-?\d+$/.test(values[0])
            ? Number(values[0])
            : values[0]
          : values[0];
    const problem = check(value, schema, parameter.name);
    if (problem) return problem;
  }
  return undefined;
}

/** An answer against the operation: the status must be one it lists, and the body must fit its schema. */
export function checkResponse(operationId: string, status: number, body: unknown): string | undefined {
  const answer = operation(operationId).responses[String(status)];
  if (!answer) return `${operationId} does not answer ${status}`;
  const schema = resolve(answer).content?.['application/json'].schema;
  if (!schema) return body === undefined || body === '' ? undefined : `${operationId} ${status} has no body`;
  return check(body, schema, `${operationId} ${status}`);
}
