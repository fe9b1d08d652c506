import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';
import type { Json, Violation } from './proto-json';

/**
 * The Cloud SQL Admin API v1 request shapes, read from Google's generated client @googleapis/sqladmin
 * (its v1.ts is generated from the sqladmin v1 discovery document): every `Schema$X` interface gives the
 * fields of a resource and their types, and a field whose description starts "Output only." is ignored on
 * input (AIP-203); `Params$Resource$<Collection>$<Method>` gives a method's query parameters and body.
 * The generated client types enums as plain strings, so the values come from the definitions it was
 * generated from: the discovery document (https://sqladmin.googleapis.com/$discovery/rest?version=v1, also
 * googleapis/google-api-nodejs-client discovery/sqladmin-v1.json) and google/cloud/sql/v1/
 * cloud_sql_backup_runs.proto in googleapis/googleapis, which names the enum types Google's errors print.
 * Errors use the front end's wording, paths as Google prints them (`body.type`).
 * TypeScript's own parser reads v1.ts (no regular expressions over source).
 */

/** Enum-valued fields of the request bodies the emulator accepts (from the definitions named above). */
export const SQLADMIN_ENUMS: Record<string, { type: string; values: string[] }> = {
  'BackupRun.backupKind': {
    type: 'google.cloud.sql.v1.SqlBackupKind',
    values: ['SQL_BACKUP_KIND_UNSPECIFIED', 'SNAPSHOT', 'PHYSICAL'],
  },
  'BackupRun.status': {
    type: 'google.cloud.sql.v1.SqlBackupRunStatus',
    values: [
      'SQL_BACKUP_RUN_STATUS_UNSPECIFIED',
      'ENQUEUED',
      'OVERDUE',
      'RUNNING',
      'FAILED',
      'SUCCESSFUL',
      'SKIPPED',
      'DELETION_PENDING',
      'DELETION_FAILED',
      'DELETED',
    ],
  },
  'BackupRun.type': {
    type: 'google.cloud.sql.v1.SqlBackupRunType',
    values: ['SQL_BACKUP_RUN_TYPE_UNSPECIFIED', 'AUTOMATED', 'ON_DEMAND'],
  },
};

type FieldType =
  | { kind: 'string' | 'number' | 'boolean' | 'any' }
  | { kind: 'ref'; ref: string }
  | { kind: 'array'; items: FieldType }
  | { kind: 'map'; values: FieldType }
  | { kind: 'object'; fields: Map<string, Field> };

interface Field {
  type: FieldType;
  outputOnly: boolean;
}

/** Standard query parameters every Google API takes (`StandardParameters` in the generated client). */
const STANDARD = new Set([
  'access_token',
  'alt',
  'callback',
  'fields',
  'key',
  'oauth_token',
  'prettyPrint',
  'quotaUser',
  'uploadType',
  'upload_protocol',
  '$.xgafv',
]);

export class SqlAdminSchema {
  readonly schemas = new Map<string, Map<string, Field>>();
  readonly params = new Map<string, Map<string, Field>>();

  constructor(source: string) {
    const file = ts.createSourceFile('v1.ts', source, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isInterfaceDeclaration(node)) {
        const name = node.name.text;
        if (name.startsWith('Schema$')) this.schemas.set(name.slice(7), members(node.members));
        else if (name.startsWith('Params$Resource$')) this.params.set(name.slice(16), members(node.members));
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  /** Fields of a schema that a request may set (not output only). */
  settable(schema: string): string[] {
    return [...(this.schemas.get(schema) ?? new Map()).entries()].filter(([, f]) => !f.outputOnly).map(([n]) => n);
  }

  /**
   * Checks a method's request (`Backupruns$Insert`): query parameters against its Params interface (path
   * parameters excluded), the body against its `requestBody` schema. Returns the body without output-only
   * fields, or the violations.
   */
  check(
    method: string,
    pathParams: string[],
    body: unknown,
    query: URLSearchParams,
  ): { body: Json; violations: Violation[] } {
    const params = this.params.get(method);
    if (!params) throw new Error(`no ${method} in @googleapis/sqladmin`);
    const violations: Violation[] = [];
    for (const [key, value] of query) {
      if (STANDARD.has(key)) continue;
      const field = key === 'requestBody' || pathParams.includes(key) ? undefined : params.get(key);
      if (!field) {
        violations.push({
          field: key,
          description: `Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter. Field '${key}' could not be found in request message.`,
        });
        continue;
      }
      if (field.type.kind === 'number' && !/^-?\d+$/.test(value))
        violations.push({ field: key, description: `Invalid value at '${snake(key)}' (TYPE_INT32), "${value}"` });
      if (field.type.kind === 'boolean' && value !== 'true' && value !== 'false')
        violations.push({ field: key, description: `Invalid value at '${snake(key)}' (TYPE_BOOL), "${value}"` });
    }
    const request = params.get('requestBody');
    let out: Json = {};
    if (request && body !== undefined) out = this.value(request.type, body, 'body', violations, '') as Json;
    return { body: out, violations };
  }

  /** Violations of an answer against a schema (output-only fields included: answers carry them). */
  answer(schema: string, body: unknown): Violation[] {
    const violations: Violation[] = [];
    this.value({ kind: 'ref', ref: schema }, JSON.parse(JSON.stringify(body ?? {})), schema, violations, '');
    return violations;
  }

  private value(type: FieldType, value: unknown, path: string, violations: Violation[], owner: string): unknown {
    const bad = (label: string) => {
      violations.push({ field: path, description: `Invalid value at '${path}' (${label}), ${JSON.stringify(value)}` });
      return undefined;
    };
    switch (type.kind) {
      case 'any':
        return value;
      case 'string': {
        const enumeration = SQLADMIN_ENUMS[owner];
        if (enumeration)
          return typeof value === 'string' && enumeration.values.includes(value)
            ? value
            : bad(`type.googleapis.com/${enumeration.type}`);
        return typeof value === 'string' ? value : bad('TYPE_STRING');
      }
      case 'number':
        return typeof value === 'number' ? value : bad('TYPE_INT32');
      case 'boolean':
        return typeof value === 'boolean' ? value : bad('TYPE_BOOL');
      case 'array':
        return Array.isArray(value)
          ? value.map((v, i) => this.value(type.items, v, `${path}[${i}]`, violations, owner))
          : bad('TYPE_MESSAGE');
      case 'map':
        return value && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(
              Object.entries(value).map(([k, v], i) => [
                k,
                this.value(type.values, v, `${path}[${i}].value`, violations, owner),
              ]),
            )
          : bad('TYPE_MESSAGE');
      case 'ref':
      case 'object': {
        const fields = type.kind === 'ref' ? this.schemas.get(type.ref) : type.fields;
        if (!fields) return value;
        if (!value || typeof value !== 'object' || Array.isArray(value)) return bad('TYPE_MESSAGE');
        const out: Json = {};
        for (const [key, item] of Object.entries(value as Json)) {
          const field = fields.get(key) ?? fields.get(camel(key));
          if (!field) {
            violations.push({
              field: path,
              description: `Invalid JSON payload received. Unknown name "${key}" at '${path}': Cannot find field.`,
            });
            continue;
          }
          if (item === null || item === undefined) continue;
          const name = fields.has(key) ? key : camel(key);
          const parsed = this.value(
            field.type,
            item,
            `${path}.${snake(name)}`,
            violations,
            `${type.kind === 'ref' ? type.ref : owner}.${name}`,
          );
          if (!field.outputOnly) out[name] = parsed;
        }
        return out;
      }
    }
  }
}

function members(list: ts.NodeArray<ts.TypeElement>): Map<string, Field> {
  const fields = new Map<string, Field>();
  for (const member of list) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const name = member.name.getText().replace(/^['"]|['"]$/g, '');
    const doc = ts
      .getJSDocCommentsAndTags(member)
      .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
      .join(' ')
      .trim();
    fields.set(name, { type: typeOf(member.type), outputOnly: doc.startsWith('Output only.') });
  }
  return fields;
}

function typeOf(node: ts.TypeNode): FieldType {
  if (ts.isUnionTypeNode(node)) {
    const real = node.types.filter((t) => !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    return real.length === 1 ? typeOf(real[0]) : { kind: 'any' };
  }
  if (ts.isArrayTypeNode(node)) return { kind: 'array', items: typeOf(node.elementType) };
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    return name.startsWith('Schema$') ? { kind: 'ref', ref: name.slice(7) } : { kind: 'any' };
  }
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index) return { kind: 'map', values: typeOf(index.type) };
    return { kind: 'object', fields: members(node.members) };
  }
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { kind: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { kind: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { kind: 'boolean' };
    default:
      return { kind: 'any' };
  }
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

let cached: SqlAdminSchema | undefined;

/** The schema, parsed once per process from the installed @googleapis/sqladmin (v1.ts). */
export function sqlAdminSchema(): SqlAdminSchema {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const path = require.resolve('@googleapis/sqladmin/v1.ts');
  cached = new SqlAdminSchema(readFileSync(path, 'utf8'));
  return cached;
}
