import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The AWS SDK's own service model, read from the installed client package, so the ECS, CloudWatch Logs and
 * ELBv2 emulators refuse what the real services refuse: an unknown member, a missing required member, a
 * value of the wrong type, or a string outside its enum. The SDK ships the model as Smithy schema arrays
 * (`dist-es/schemas/schemas_0.js`: `[3, ns, name, traits, members[], schemas[], requiredCount]` for a
 * structure, `[1, …, member]` a list, `[2, …, key, value]` a map, `64|x` / `128|x` a list / map of a simple
 * type) and the enums in `dist-es/models/enums.js`; which member carries which enum is only in the type
 * declarations (`dist-types/models/models_*.d.ts`). Those files are written for bundlers (extensionless
 * imports), so they are read as text and evaluated with their imports stubbed: the arrays are plain data.
 */

type Schema = unknown;

export interface ServiceModel {
  /** Operation name → input and output structure schemas. */
  operations: Map<string, { input: Schema; output: Schema }>;
  /**
   * Checks a request body against the operation's input; returns the problem, or undefined when valid.
   * `query`: the body came from the Query protocol, where every scalar arrives as a string.
   */
  validate(operation: string, body: unknown, query?: boolean): string | undefined;
  /** An enum's values by its type name (e.g. DeploymentStrategy). */
  enums: Record<string, Record<string, string>>;
}

const require = createRequire(import.meta.url);
const cache = new Map<string, ServiceModel>();

function packageDir(pkg: string): string {
  // The packages export no package.json subpath; resolve the entry point and climb to the package root.
  let dir = dirname(require.resolve(pkg));
  while (!dir.endsWith(pkg.split('/').pop()!)) dir = dirname(dir);
  return dir;
}

function evaluate(source: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const names: string[] = [];
  const body = source
    .split('\n')
    .filter((line) => !line.startsWith('import ') && !line.includes('registerError('))
    .map((line) =>
      line.replace(/^export (var|const) ([\w$]+)/, (_, kind: string, name: string) => {
        names.push(name);
        return `${kind} ${name}`;
      }),
    )
    .join('\n');
  const keys = Object.keys(extra);
  const fn = new Function(...keys, `${body}\nreturn { ${names.join(', ')} };`);
  return fn(...keys.map((k) => extra[k])) as Record<string, unknown>;
}

class TypeRegistry {
  constructor(readonly namespace: string) {}
  registerError(): void {}
}

/** Struct name → member → enum type name, from the declarations. */
function enumMembers(dir: string, enumNames: Set<string>): Map<string, Map<string, string>> {
  const result = new Map<string, Map<string, string>>();
  const modelsDir = join(dir, 'dist-types', 'models');
  for (const file of ['models_0.d.ts', 'models_1.d.ts', 'models_2.d.ts']) {
    let text: string;
    try {
      text = readFileSync(join(modelsDir, file), 'utf8');
    } catch {
      continue;
    }
    let current: Map<string, string> | undefined;
    for (const line of text.split('\n')) {
      const start = /^export interface (\w+)/.exec(line);
      if (start) {
        current = new Map();
        result.set(start[1], current);
        continue;
      }
      if (line.startsWith('}')) current = undefined;
      const member = /^\s{4}(\w+)\??: \(?(\w+)\)?(\[\])? \| undefined;/.exec(line);
      if (current && member && enumNames.has(member[2])) current.set(member[1], member[2]);
    }
  }
  return result;
}

export function loadModel(pkg: string): ServiceModel {
  const cached = cache.get(pkg);
  if (cached) return cached;
  const dir = packageDir(pkg);
  const schemas = evaluate(readFileSync(join(dir, 'dist-es', 'schemas', 'schemas_0.js'), 'utf8'), { TypeRegistry });
  const enums = evaluate(readFileSync(join(dir, 'dist-es', 'models', 'enums.js'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const byMember = enumMembers(dir, new Set(Object.keys(enums)));
  const operations = new Map<string, { input: Schema; output: Schema }>();
  for (const value of Object.values(schemas)) {
    if (Array.isArray(value) && value[0] === 9) {
      operations.set(String(value[2]), { input: value[4], output: value[5] });
    }
  }

  let query = false;
  const check = (schema: Schema, value: unknown, path: string): string | undefined => {
    let s = typeof schema === 'function' ? (schema as () => Schema)() : schema;
    if (Array.isArray(s) && s.length === 2) s = s[0]; // a member with traits: [schema, traits]
    if (typeof s === 'function') s = (s as () => Schema)();
    if (value === null || value === undefined) return undefined;
    if (typeof s === 'number') return checkSimple(s, value, path, query);
    if (!Array.isArray(s)) return undefined;
    const kind = s[0];
    if (kind === 3 || kind === -3) {
      if (typeof value !== 'object' || Array.isArray(value)) return `${path} must be a structure`;
      const members = s[4] as string[];
      const types = s[5] as Schema[];
      const required = typeof s[6] === 'number' ? s[6] : 0;
      const structEnums = byMember.get(String(s[2]));
      for (const key of Object.keys(value as object)) {
        if (!members.includes(key)) return `Unknown member ${path ? `${path}.` : ''}${key}`;
      }
      for (let i = 0; i < members.length; i++) {
        const member = members[i];
        const memberValue = (value as Record<string, unknown>)[member];
        const memberPath = path ? `${path}.${member}` : member;
        if (i < required && (memberValue === undefined || memberValue === null))
          return `${memberPath} is required but missing`;
        const enumName = structEnums?.get(member);
        if (enumName && memberValue !== undefined) {
          const allowed = Object.values(enums[enumName]);
          for (const item of Array.isArray(memberValue) ? memberValue : [memberValue]) {
            if (!allowed.includes(item as string))
              return `${memberPath}: '${String(item)}' is not a valid ${enumName} (one of ${allowed.join(', ')})`;
          }
        }
        const problem = check(types[i], memberValue, memberPath);
        if (problem) return problem;
      }
      return undefined;
    }
    if (kind === 1) {
      if (!Array.isArray(value)) return `${path} must be a list`;
      for (let i = 0; i < value.length; i++) {
        const problem = check(s[4], value[i], `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    if (kind === 2) {
      if (typeof value !== 'object' || Array.isArray(value)) return `${path} must be a map`;
      for (const [key, item] of Object.entries(value as object)) {
        const problem = check(s[5], item, `${path}.${key}`);
        if (problem) return problem;
      }
    }
    return undefined;
  };

  const model: ServiceModel = {
    operations,
    enums,
    validate(operation, body, isQuery = false) {
      query = isQuery;
      const op = operations.get(operation);
      if (!op) return `Unknown operation ${operation}`;
      return check(op.input, body ?? {}, '');
    },
  };
  cache.set(pkg, model);
  return model;
}

function checkSimple(code: number, value: unknown, path: string, query: boolean): string | undefined {
  if (code & 64) {
    if (!Array.isArray(value)) return `${path} must be a list`;
    for (let i = 0; i < value.length; i++) {
      const problem = checkSimple(code & 63, value[i], `${path}[${i}]`, query);
      if (problem) return problem;
    }
    return undefined;
  }
  if (code & 128) {
    if (typeof value !== 'object' || Array.isArray(value)) return `${path} must be a map`;
    for (const [key, item] of Object.entries(value as object)) {
      const problem = checkSimple(code & 63, item, `${path}.${key}`, query);
      if (problem) return problem;
    }
    return undefined;
  }
  if (query && typeof value === 'string') {
    if (code === 1 && !/^-?\d+(\.\d+)?$/.test(value)) return `${path} must be a number`;
    if (code === 2 && value !== 'true' && value !== 'false') return `${path} must be a boolean`;
    return undefined;
  }
  switch (code) {
    case 0:
      return typeof value === 'string' ? undefined : `${path} must be a string`;
    case 1:
      return typeof value === 'number' ? undefined : `${path} must be a number`;
    case 2:
      return typeof value === 'boolean' ? undefined : `${path} must be a boolean`;
    case 4:
      return typeof value === 'number' || typeof value === 'string' ? undefined : `${path} must be a timestamp`;
    default:
      return undefined;
  }
}
