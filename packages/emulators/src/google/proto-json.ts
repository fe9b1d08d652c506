import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

/**
 * Google's JSON/HTTP transcoding, checked against the service's own .proto files (as the Google front end
 * does): a request is bound to its rpc through the `google.api.http` rules, path variables are taken out,
 * the body (the rule's `body` field, or the whole request message for `*`) and every query parameter are
 * read as proto3 JSON (https://protobuf.dev/programming-guides/json/): field names in lowerCamelCase or
 * their proto spelling, enums by name (or number), int64 as strings, well-known types in their JSON forms
 * (Duration "3.5s", Timestamp RFC 3339, FieldMask "a,b.c", Struct/Value/ListValue, wrappers, Any).
 * Unknown names and bad values are refused with Google's wording (`Invalid JSON payload received. Unknown
 * name "x" at 'service.template': Cannot find field.`, `Invalid value at 'service.ingress'
 * (type.googleapis.com/google.cloud.run.v2.IngressTraffic), "X"`), paths in proto field names as Google
 * prints them. Fields marked `(google.api.field_behavior) = OUTPUT_ONLY` are dropped on input (AIP-203).
 * What comes back is the canonical form (lowerCamelCase names, enum names), so handlers read one spelling.
 * protobufjs parses the .proto files; the JSON mapping is written here because protobufjs's own `fromObject`
 * is lenient (it ignores unknown fields and coerces anything), which is exactly what must not pass.
 */

export type Json = Record<string, unknown>;

export interface Violation {
  field: string;
  description: string;
}

export class ProtoJsonError extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => v.description).join('\n'));
  }
}

export interface Binding {
  method: protobuf.Method;
  verb: string;
  /** The rule's body: undefined (no body), '*' or a top-level field of the request. */
  body?: string;
  /** Path variables by field path (`service.name`, `parent`). */
  params: Record<string, string>;
}

interface Rule {
  method: protobuf.Method;
  verb: string;
  pattern: RegExp;
  vars: string[];
  body?: string;
}

/** Query parameters every Google API accepts (system parameters), not fields of the request. */
const SYSTEM_PARAMETERS = new Set([
  'alt',
  'fields',
  'key',
  'prettyPrint',
  'quotaUser',
  'access_token',
  'callback',
  'upload_protocol',
  'uploadType',
  '$.xgafv',
  'oauth_token',
  'userIp',
]);

const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const WRAPPERS: Record<string, string> = {
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
  '.google.protobuf.BytesValue': 'bytes',
};
const DURATION = /^-?\d+(\.\d{1,9})?s$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

export function lowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Field behaviours (`OUTPUT_ONLY`, `REQUIRED`, `IMMUTABLE`, ...) a field is annotated with. */
export function behaviours(field: protobuf.Field): string[] {
  const options = (field.parsedOptions ?? []) as Json[];
  return options.map((o) => o['(google.api.field_behavior)']).filter((b): b is string => typeof b === 'string');
}

/** Loads .proto files, resolving imports from the given include directories (first match wins). */
export function loadProtos(includeDirs: string[], files: string[]): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    for (const dir of includeDirs) {
      const path = join(dir, target);
      if (existsSync(path)) return path;
    }
    return target;
  };
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

/** The include directory of an installed package's protos (`build/protos`), found through Node's resolution. */
export function protoDir(pkg: string, from: string): string {
  const require = createRequire(from);
  let dir = dirname(require.resolve(pkg));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'build', 'protos');
}

export class ProtoJson {
  private readonly rules: Rule[] = [];

  constructor(readonly root: protobuf.Root) {}

  /** Adds the http rules of every rpc of these services (and any extra rules, e.g. a service config's). */
  bindServices(...services: string[]): this {
    for (const name of services) {
      const service = this.root.lookupService(name);
      for (const method of Object.values(service.methods)) {
        method.resolve();
        for (const option of method.parsedOptions ?? []) {
          const http = (option as Json)['(google.api.http)'] as Json | undefined;
          if (!http) continue;
          const extra = http.additional_bindings as Json | Json[] | undefined;
          for (const rule of [http, ...(extra ? [extra].flat() : [])]) this.addRule(method, rule);
        }
      }
    }
    return this;
  }

  /** A rule not in the protos (e.g. from the service's YAML configuration): `{ get: '/v2/{name=…}' }`. */
  addRule(method: protobuf.Method, rule: Json): this {
    for (const verb of ['get', 'put', 'post', 'delete', 'patch']) {
      const template = rule[verb];
      if (typeof template !== 'string') continue;
      const vars: string[] = [];
      const source = template.replace(
        /[.*+?^$()|[\]\\:]|\{([^}=]+)(?:=([^}]*))?\}/g,
        (m, name?: string, sub?: string) => {
          if (!name) return `\\${m}`;
          vars.push(name);
          const inner = (sub ?? '*')
            .split('/')
            .map((seg) => (seg === '**' ? '.+' : seg === '*' ? '[^/:]+' : seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
            .join('/');
          return `(${inner})`;
        },
      );
      this.rules.push({
        method,
        verb: verb.toUpperCase(),
        pattern: new RegExp(`^${source}$`),
        vars,
        body: rule.body as string | undefined,
      });
    }
    return this;
  }

  /** The rpc an HTTP request maps to, if any. */
  bind(verb: string, path: string): Binding | undefined {
    for (const rule of this.rules) {
      if (rule.verb !== verb) continue;
      const match = rule.pattern.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(rule.vars.map((v, i) => [v, match[i + 1]]));
      return { method: rule.method, verb, body: rule.body, params };
    }
    return undefined;
  }

  /**
   * Checks a bound request: its JSON body and its query parameters. Returns the canonical body (output-only
   * fields dropped) or throws ProtoJsonError with every violation found.
   */
  checkRequest(binding: Binding, body: unknown, query: URLSearchParams): Json {
    const request = this.root.lookupType(binding.method.requestType);
    const violations: Violation[] = [];
    let canonical: Json = {};
    if (binding.body === '*') canonical = this.message(request, body ?? {}, '', violations);
    else if (binding.body) {
      const field = request.fields[binding.body];
      canonical = this.message(field.resolvedType as protobuf.Type, body ?? {}, binding.body, violations);
    }
    const bound = new Set([...Object.keys(binding.params), binding.body ?? '']);
    for (const [key, value] of query) {
      if (SYSTEM_PARAMETERS.has(key)) continue;
      const field = this.queryField(request, key);
      if (!field || bound.has(field.path) || binding.body === '*' || field.path.split('.')[0] === binding.body) {
        violations.push({
          field: key,
          description: `Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter. Field '${key}' could not be found in request message.`,
        });
        continue;
      }
      this.queryValue(field.field, value, field.path, violations);
    }
    if (violations.length) throw new ProtoJsonError(violations);
    return canonical;
  }

  /** Checks `value` as proto3 JSON of message `typeName`; canonical copy, or throws ProtoJsonError. */
  parse(typeName: string, value: unknown, path = ''): Json {
    const violations: Violation[] = [];
    const out = this.message(this.root.lookupType(typeName), value, path, violations);
    if (violations.length) throw new ProtoJsonError(violations);
    return out;
  }

  /** Output-only fields of a message, as JSON names; nested ones as dotted paths (`template.containers`). */
  outputOnly(typeName: string, seen = new Set<string>()): string[] {
    const type = this.root.lookupType(typeName);
    if (seen.has(type.fullName)) return [];
    seen.add(type.fullName);
    const paths: string[] = [];
    for (const field of type.fieldsArray) {
      field.resolve();
      const name = lowerCamel(field.name);
      if (behaviours(field).includes('OUTPUT_ONLY')) paths.push(name);
      else if (
        field.resolvedType instanceof protobuf.Type &&
        !field.resolvedType.fullName.startsWith('.google.protobuf.')
      )
        for (const inner of this.outputOnly(field.resolvedType.fullName, new Set(seen))) paths.push(`${name}.${inner}`);
    }
    return paths;
  }

  private queryField(type: protobuf.Type, key: string): { field: protobuf.Field; path: string } | undefined {
    let current: protobuf.Type | undefined = type;
    let field: protobuf.Field | undefined;
    const path: string[] = [];
    for (const part of key.split('.')) {
      if (!current) return undefined;
      field = this.field(current, part);
      if (!field) return undefined;
      field.resolve();
      path.push(field.name);
      current = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    }
    return field ? { field, path: path.join('.') } : undefined;
  }

  private queryValue(field: protobuf.Field, value: string, path: string, violations: Violation[]): void {
    const type = field.resolvedType;
    if (type instanceof protobuf.Type) {
      const wrapped = WRAPPERS[type.fullName];
      if (wrapped) this.scalar(wrapped, queryScalar(wrapped, value), path, violations);
      else if (type.fullName === '.google.protobuf.FieldMask' || type.fullName === '.google.protobuf.Duration')
        this.wellKnown(type, value, path, violations);
      return;
    }
    if (type instanceof protobuf.Enum) this.enumValue(type, value, path, violations);
    else this.scalar(field.type, queryScalar(field.type, value), path, violations);
  }

  private field(type: protobuf.Type, name: string): protobuf.Field | undefined {
    return type.fields[name] ?? type.fieldsArray.find((f) => lowerCamel(f.name) === name);
  }

  private message(type: protobuf.Type, value: unknown, path: string, violations: Violation[]): Json {
    const known = this.wellKnown(type, value, path, violations);
    if (known !== NOT_WELL_KNOWN) return known as Json;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      violations.push(invalidValue(path, `type.googleapis.com/${type.fullName.slice(1)}`, value));
      return {};
    }
    const out: Json = {};
    const oneofs = new Map<string, string>();
    for (const [key, item] of Object.entries(value as Json)) {
      const field = this.field(type, key);
      if (!field) {
        violations.push({
          field: path,
          description: `Invalid JSON payload received. Unknown name "${key}"${path ? ` at '${path}'` : ''}: Cannot find field.`,
        });
        continue;
      }
      if (item === undefined || (item === null && field.resolvedType?.fullName !== '.google.protobuf.Value')) continue;
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      if (field.partOf && !field.partOf.name.startsWith('_')) {
        const other = oneofs.get(field.partOf.name);
        if (other)
          violations.push({
            field: path,
            description: `Invalid value at '${path}' (oneof), oneof field '${field.partOf.name}' is already set. Cannot set '${key}'`,
          });
        oneofs.set(field.partOf.name, key);
      }
      const parsed = this.fieldValue(field, item, fieldPath, violations, key);
      if (behaviours(field).includes('OUTPUT_ONLY')) continue;
      out[lowerCamel(field.name)] = parsed;
    }
    return out;
  }

  private fieldValue(
    field: protobuf.Field,
    value: unknown,
    path: string,
    violations: Violation[],
    key: string,
  ): unknown {
    field.resolve();
    if (field instanceof protobuf.MapField) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        violations.push(invalidValue(path, typeLabel(field), value));
        return {};
      }
      return Object.fromEntries(
        Object.entries(value as Json).map(([k, v], i) => [k, this.single(field, v, `${path}[${i}].value`, violations)]),
      );
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        violations.push(invalidValue(path, typeLabel(field), value));
        return [];
      }
      return value.map((v, i) => this.single(field, v, `${path}[${i}]`, violations));
    }
    if (
      Array.isArray(value) &&
      field.resolvedType?.fullName !== '.google.protobuf.ListValue' &&
      field.resolvedType?.fullName !== '.google.protobuf.Value'
    ) {
      violations.push({
        field: path,
        description: `Invalid JSON payload received. Unknown name "${key}" at '${path.split('.').slice(0, -1).join('.')}': Proto field is not repeating, cannot start list.`,
      });
      return undefined;
    }
    return this.single(field, value, path, violations);
  }

  private single(field: protobuf.Field, value: unknown, path: string, violations: Violation[]): unknown {
    const type = field.resolvedType;
    if (type instanceof protobuf.Type) return this.message(type, value, path, violations);
    if (type instanceof protobuf.Enum) return this.enumValue(type, value, path, violations);
    return this.scalar(field.type, value, path, violations);
  }

  private enumValue(type: protobuf.Enum, value: unknown, path: string, violations: Violation[]): unknown {
    if (typeof value === 'string' && value in type.values) return value;
    if (typeof value === 'number' && type.valuesById[value] !== undefined) return type.valuesById[value];
    violations.push(invalidValue(path, `type.googleapis.com/${type.fullName.slice(1)}`, value));
    return undefined;
  }

  private scalar(kind: string, value: unknown, path: string, violations: Violation[]): unknown {
    const ok =
      kind === 'string'
        ? typeof value === 'string'
        : kind === 'bool'
          ? typeof value === 'boolean'
          : kind === 'bytes'
            ? typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value)
            : INT32.has(kind)
              ? isInteger(value, kind.startsWith('u') || kind === 'fixed32', 32)
              : INT64.has(kind)
                ? isInteger(value, kind.startsWith('u') || kind === 'fixed64', 64)
                : kind === 'double' || kind === 'float'
                  ? typeof value === 'number' ||
                    (typeof value === 'string' &&
                      (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) || /^(NaN|-?Infinity)$/.test(value)))
                  : false;
    if (!ok) {
      violations.push(invalidValue(path, `TYPE_${kind.toUpperCase()}`, value));
      return undefined;
    }
    if (INT64.has(kind)) return String(value);
    if (INT32.has(kind)) return Number(value);
    return value;
  }

  /** Well-known types in their special JSON forms; NOT_WELL_KNOWN for ordinary messages. */
  private wellKnown(type: protobuf.Type, value: unknown, path: string, violations: Violation[]): unknown {
    const name = type.fullName;
    const bad = () => {
      violations.push(invalidValue(path, `type.googleapis.com/${name.slice(1)}`, value));
      return undefined;
    };
    if (WRAPPERS[name]) return this.scalar(WRAPPERS[name], value, path, violations);
    switch (name) {
      case '.google.protobuf.Duration':
        return typeof value === 'string' &&
          DURATION.test(value) &&
          Math.abs(Number.parseFloat(value)) <= 315_576_000_000
          ? value
          : bad();
      case '.google.protobuf.Timestamp':
        return typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value)) ? value : bad();
      case '.google.protobuf.FieldMask':
        return typeof value === 'string' &&
          /^([A-Za-z_][\w]*(\.[A-Za-z_]\w*)*)?(,[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)*$/.test(value)
          ? value
          : bad();
      case '.google.protobuf.Struct':
        return value && typeof value === 'object' && !Array.isArray(value) ? value : bad();
      case '.google.protobuf.ListValue':
        return Array.isArray(value) ? value : bad();
      case '.google.protobuf.Value':
        return value;
      case '.google.protobuf.Empty':
        return value && typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).length ? {} : bad();
      case '.google.protobuf.Any': {
        if (!value || typeof value !== 'object' || Array.isArray(value)) return bad();
        const { '@type': url, ...rest } = value as Json;
        if (typeof url !== 'string') return bad();
        const inner = this.root.lookup(url.slice(url.lastIndexOf('/') + 1));
        if (!(inner instanceof protobuf.Type)) return value;
        const known = this.wellKnown(inner, (rest as Json).value, path, violations);
        if (known !== NOT_WELL_KNOWN) return { '@type': url, value: known };
        return { '@type': url, ...this.message(inner, rest, path, violations) };
      }
      default:
        return NOT_WELL_KNOWN;
    }
  }
}

const NOT_WELL_KNOWN = Symbol('not a well-known type');

function typeLabel(field: protobuf.Field): string {
  const type = field.resolvedType;
  return type ? `type.googleapis.com/${type.fullName.slice(1)}` : `TYPE_${field.type.toUpperCase()}`;
}

function invalidValue(path: string, type: string, value: unknown): Violation {
  return { field: path, description: `Invalid value at '${path}' (${type}), ${JSON.stringify(value)}` };
}

function isInteger(value: unknown, unsigned: boolean, bits: 32 | 64): boolean {
  const text =
    typeof value === 'number' ? (Number.isInteger(value) ? String(value) : '') : typeof value === 'string' ? value : '';
  if (!/^-?\d+$/.test(text)) return false;
  const n = BigInt(text);
  const max = bits === 32 ? (unsigned ? 2n ** 32n - 1n : 2n ** 31n - 1n) : unsigned ? 2n ** 64n - 1n : 2n ** 63n - 1n;
  const min = unsigned ? 0n : bits === 32 ? -(2n ** 31n) : -(2n ** 63n);
  return n >= min && n <= max;
}

/** Query parameters are strings; read them as the scalar they bind to (so "true" is a bool, "3" an int). */
function queryScalar(kind: string, value: string): unknown {
  if (kind === 'bool') return value === 'true' ? true : value === 'false' ? false : value;
  if (kind === 'double' || kind === 'float') return Number.isNaN(Number(value)) ? value : Number(value);
  return value;
}
