import { InputError } from './errors';
import {
  type AppliesTo,
  type Dimension,
  docDefault,
  type Inapplicable,
  type InputSpec,
  type ManifestDefinition,
} from './manifest';
import {
  checkLength,
  parseBoolean,
  parseDurationInput,
  parseEnum,
  parseInteger,
  parseList,
  parseMap,
  parseMatching,
  parseNumber,
  parseUrl,
  shown,
} from './parse';
import { registerSecret } from './secrets';

/**
 * Reads and checks every input a manifest declares, before any side effect, and returns them typed from
 * the declaration (camelCase keys): boolean → boolean, integer/number/duration → number (durations in ms),
 * enum → the union of its values, list → string[], map → Record<string, string>, url → URL, json/yaml →
 * unknown (YAML loaded only when such an input is set). An input without a value and without a default is `undefined` (lists and maps are empty); so
 * is an input where it does not apply. Errors are the one-line InputErrors of `getX`.
 */

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

type ValueOf<I> = I extends { kind: 'boolean' }
  ? boolean
  : I extends { kind: 'integer' | 'number' | 'duration' }
    ? number
    : I extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
      : I extends { kind: 'list' }
        ? string[]
        : I extends { kind: 'map' }
          ? Record<string, string>
          : I extends { kind: 'url' }
            ? URL
            : I extends { kind: 'json' | 'yaml' }
              ? unknown
              : string;

/** Always present: required, defaulted (with a literal default), or a list/map (empty when unset). */
type AlwaysSet<I> = I extends { required: true }
  ? true
  : I extends { docDefault: string }
    ? false
    : I extends { default: string | number | boolean }
      ? true
      : I extends { kind: 'list' | 'map' }
        ? true
        : false;

type Flat<I> = I extends { appliesTo: AppliesTo }
  ? ValueOf<I> | undefined
  : AlwaysSet<I> extends true
    ? ValueOf<I>
    : ValueOf<I> | undefined;

type DimensionValues<M extends ManifestDefinition> = {
  [K in keyof NonNullable<M['dimensions']> as Camel<K & string>]: NonNullable<M['dimensions']>[K] extends Dimension<
    infer V
  >
    ? V
    : never;
};

/** The flat result of `readInputs`: every input (camelCase), plus each derived dimension's value. */
export type Inputs<M extends ManifestDefinition> = {
  -readonly [K in keyof M['inputs'] as Camel<K & string>]: Flat<M['inputs'][K]>;
} & DimensionValues<M>;

// ---- narrowing per dimension ---------------------------------------------------------------------------

type ValuesOf<M extends ManifestDefinition, D extends string> = D extends keyof NonNullable<M['dimensions']>
  ? NonNullable<M['dimensions']>[D] extends Dimension<infer V>
    ? V
    : never
  : D extends keyof M['inputs']
    ? M['inputs'][D] extends { values: readonly (infer V extends string)[] }
      ? V
      : never
    : never;

type Applies<I, D extends string, V> = I extends { appliesTo: infer A }
  ? D extends keyof A
    ? A[D] extends readonly (infer Allowed)[]
      ? V extends Allowed
        ? true
        : false
      : true
    : 'other'
  : true;

type InBranch<I, D extends string, V> =
  Applies<I, D, V> extends true
    ? AlwaysSet<I> extends true
      ? ValueOf<I>
      : ValueOf<I> | undefined
    : Applies<I, D, V> extends false
      ? undefined
      : Flat<I>;

/** The inputs when dimension D has value V: inputs for V typed as present, others `undefined`. */
export type Branch<M extends ManifestDefinition, D extends string, V> = {
  -readonly [K in keyof M['inputs'] as Camel<K & string>]: InBranch<M['inputs'][K], D, V>;
} & Omit<DimensionValues<M>, Camel<D>> & { [P in Camel<D>]: V };

/** A discriminated union over dimension D (an enum input or a declared dimension). */
export type Narrowed<M extends ManifestDefinition, D extends string> = {
  [V in ValuesOf<M, D>]: Branch<M, D, V>;
}[ValuesOf<M, D>];

// ---- reading -----------------------------------------------------------------------------------------------

export type Env = Record<string, string | undefined>;

/** The runner's variable for an input: `INPUT_` + the name upper-cased with spaces as `_` (as @actions/core). */
export const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export async function readInputs<const M extends ManifestDefinition>(
  manifest: M,
  env: Env = process.env,
): Promise<Inputs<M>> {
  refuseTwins(manifest, env);
  const raw = (name: string) => (env[inputVariable(name)] ?? '').trim();
  const specs = manifest.inputs as Record<string, InputSpec>;
  // Every secret is masked before any input is checked: an error about another input may quote a secret
  // pasted into it by mistake (an API key in service-id).
  for (const [name, spec] of Object.entries(specs)) if (spec.secret && raw(name)) registerSecret(raw(name));

  // Dimensions first: applicability of the other inputs depends on them.
  const dimensions: Record<string, string> = {};
  for (const [name, dimension] of Object.entries(manifest.dimensions ?? {})) dimensions[name] = dimension.from(raw);
  const result: Record<string, unknown> = {};
  const dimensionNames = new Set(Object.values(specs).flatMap((spec) => Object.keys(spec.appliesTo ?? {})));
  const order = [
    ...Object.keys(specs).filter((n) => dimensionNames.has(n)),
    ...Object.keys(specs).filter((n) => !dimensionNames.has(n)),
  ];
  for (const name of order) {
    const spec = specs[name];
    const given = raw(name);
    if (spec.secret && given) registerSecret(given);
    const fallback = spec.docDefault === undefined ? docDefault(spec) : undefined;
    const refused = notApplicable(name, spec, manifest, dimensions);
    if (refused) {
      // The runner passes action.yml defaults as if set: only a value other than the default is refused.
      if (given && given !== docDefault(spec)) {
        const { problem, fix } = (manifest.inapplicable ?? defaultInapplicable)(refused);
        throw new InputError(name, problem, fix);
      }
      result[camel(name)] = undefined;
      continue;
    }
    const value = given || fallback || '';
    if (!value) {
      if (spec.required) {
        const where = requiredWhere(spec, dimensions);
        throw new InputError(
          name,
          where ? `is required with ${where}` : 'is required but empty',
          spec.requiredFix ?? `set it in the step's "with:" block`,
        );
      }
      result[camel(name)] = spec.kind === 'list' ? [] : spec.kind === 'map' ? Object.create(null) : undefined;
      continue;
    }
    const v = await parseOne(name, spec, value);
    if (spec.kind === 'enum') dimensions[name] = v as string;
    result[camel(name)] = v;
  }
  for (const [name, value] of Object.entries(dimensions)) if (manifest.dimensions?.[name]) result[camel(name)] = value;
  return result as Inputs<M>;
}

async function parseOne(name: string, spec: InputSpec, value: string): Promise<unknown> {
  const options = { secret: spec.secret };
  if ('maxLength' in spec) checkLength(name, value, spec.maxLength);
  switch (spec.kind) {
    case 'string':
      return spec.pattern
        ? parseMatching(name, value, spec.pattern, spec.described ?? `${spec.pattern}`, options)
        : value;
    case 'boolean':
      return parseBoolean(name, value, options);
    case 'integer':
      return parseInteger(name, value, { ...options, min: spec.min, max: spec.max });
    case 'number':
      return parseNumber(name, value, { ...options, min: spec.min, max: spec.max });
    case 'duration':
      return parseDurationInput(name, value, { ...options, min: spec.min, max: spec.max });
    case 'enum':
      return parseEnum(name, value, spec.values, options);
    case 'list':
      return parseList(value, spec.lines);
    case 'map':
      return parseMap(name, value, {
        ...options,
        keyPattern: spec.keyPattern,
        keyDescribed: spec.keyDescribed,
        keyWord: spec.keyWord,
        linesOnly: spec.lines,
        escapedCommas: spec.escapedCommas,
      });
    case 'url':
      return parseUrl(name, value, { ...options, protocols: spec.protocols });
    case 'json':
    case 'yaml':
      try {
        // yaml is loaded only by the actions that have a YAML input set, to keep start-up fast.
        return spec.kind === 'json' ? JSON.parse(value) : (await import('yaml')).parse(value);
      } catch (error) {
        const reason = spec.secret ? '' : `: ${(error as Error).message.split('\n')[0]}`;
        throw new InputError(
          name,
          `${shown(value, options)} is not valid ${spec.kind.toUpperCase()}${reason}`,
          `write a ${spec.kind.toUpperCase()} document`,
        );
      }
  }
}

function notApplicable(
  input: string,
  spec: InputSpec,
  manifest: ManifestDefinition,
  dimensions: Record<string, string>,
): Inapplicable | undefined {
  for (const [dimension, allowed] of Object.entries(spec.appliesTo ?? {})) {
    const value = dimensions[dimension];
    if (value !== undefined && !allowed.includes(value)) {
      const label = manifest.dimensions?.[dimension]?.label ?? dimension;
      return { input, dimension: label, value, allowed };
    }
  }
  return undefined;
}

function requiredWhere(spec: InputSpec, dimensions: Record<string, string>): string | undefined {
  const [dimension] = Object.keys(spec.appliesTo ?? {});
  return dimension && dimensions[dimension] !== undefined ? `${dimension} "${dimensions[dimension]}"` : undefined;
}

/** Today's wording (snapshot-db): `does not apply to provider "postgres"`; `remove it, or use it with provider "rds"`. */
export function defaultInapplicable({ dimension, value, allowed }: Inapplicable): { problem: string; fix: string } {
  return {
    problem: `does not apply to ${dimension} "${value}"`,
    fix: `remove it, or use it with ${dimension} ${allowed.map((a) => `"${a}"`).join(' or ')}`,
  };
}

/**
 * A variable the runner set for an input the action does not declare, but whose name is a near twin of one it
 * does (`env_vars` for `env-vars`, `healthpath`, `helth-path`): the value would be silently ignored, so the step
 * fails and names the input to use. Users copying snake_case from other actions hit this most.
 */
function refuseTwins(manifest: ManifestDefinition, env: Env): void {
  const declared = Object.keys(manifest.inputs);
  const variables = new Set(declared.map(inputVariable));
  for (const variable of Object.keys(env)) {
    if (!variable.startsWith('INPUT_') || variables.has(variable)) continue;
    const given = variable.slice(6).toLowerCase();
    const twin = declared.find((name) => isTwin(given, name));
    if (twin) {
      throw new InputError(
        twin,
        `is given as "${given}", which ${manifest.id} does not read`,
        `rename it to ${twin} in the step's "with:" block`,
      );
    }
  }
}

const squash = (name: string) => name.toLowerCase().replace(/[-_\s.]/g, '');

function isTwin(given: string, name: string): boolean {
  const a = squash(given);
  const b = squash(name);
  if (a === b) return true;
  return b.length >= 5 && distance(a, b) <= (b.length >= 10 ? 2 : 1);
}

/** Levenshtein distance, for the near-twin check (names are short). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/**
 * Narrows the flat inputs to the discriminated union over one dimension (an enum input or a declared
 * dimension): `switch (narrow(manifest, inputs, 'mode').mode)` and each branch sees its inputs as present
 * (where required or defaulted) without `!`. The value is the same object; only its type changes.
 */
export function narrow<
  const M extends ManifestDefinition,
  const D extends string & (keyof M['inputs'] | keyof NonNullable<M['dimensions']>),
>(_manifest: M, inputs: Inputs<M>, _dimension: D): Narrowed<M, D> {
  return inputs as unknown as Narrowed<M, D>;
}
