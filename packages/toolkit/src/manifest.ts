/**
 * The action manifest: every input and output of an action declared once, with its kind, default,
 * description, applicability and secrecy. `<action>/action.yml` and the README tables are generated from
 * it (scripts/action-docs.ts), and `readInputs` parses the step's inputs from it with types inferred from
 * the declaration, so the contract cannot drift between the three places it used to be written.
 *
 * Written by hand rather than taken from a schema library: the declarations must be plain data that the
 * generator can print into YAML, and the inferred types depend on the literal shape (const generics).
 */

/** A condition on another input's value (an enum input), or on a derived dimension declared by the manifest. */
export type AppliesTo = Readonly<Record<string, readonly string[]>>;

interface Base {
  /** One or more sentences for action.yml and the README. */
  description: string;
  /** Empty is refused (wherever the input applies). */
  required?: boolean;
  /** Mask the value as soon as it is read and never quote it back, not even in errors. */
  secret?: boolean;
  /** The values of other inputs (or dimensions) under which this input does something; elsewhere it is refused. */
  appliesTo?: AppliesTo;
  /** The fix given when a required input is empty (default: set it in the step's "with:" block). */
  requiredFix?: string;
  /** action.yml's deprecationMessage. */
  deprecated?: string;
  /**
   * The default as written in action.yml, for defaults that are runner expressions (`${{ github.token }}`)
   * or otherwise not a literal the reader can use. The reader then treats the input as having no default.
   */
  docDefault?: string;
}

export interface StringInput extends Base {
  kind: 'string';
  default?: string;
  /** The value must match; `described` says what it must be, in words, for the error. */
  pattern?: RegExp;
  described?: string;
  /** Longest value accepted, in characters (refused before anything else is checked). */
  maxLength?: number;
}
export interface BooleanInput extends Base {
  kind: 'boolean';
  default?: boolean;
}
export interface IntegerInput extends Base {
  kind: 'integer';
  default?: number;
  min?: number;
  max?: number;
}
export interface NumberInput extends Base {
  kind: 'number';
  default?: number;
  min?: number;
  max?: number;
}
/** Milliseconds, written like `90s`, `10m`, `1h30m`, `500ms` or bare seconds. */
export interface DurationInput extends Base {
  kind: 'duration';
  /** As a user writes it: `30m`. */
  default?: string;
  /** Bounds in milliseconds. */
  min?: number;
  max?: number;
}
export interface EnumInput extends Base {
  kind: 'enum';
  values: readonly string[];
  default?: string;
}
/** Items separated by newlines or commas (`lines: true`: newlines only). Always an array, empty when unset. */
export interface ListInput extends Base {
  kind: 'list';
  lines?: boolean;
  default?: string;
  maxLength?: number;
}
/** KEY=VALUE pairs, one per line or comma-separated (`lines: true`: one per line only). Always an object. */
export interface MapInput extends Base {
  kind: 'map';
  lines?: boolean;
  keyPattern?: RegExp;
  keyDescribed?: string;
  keyWord?: string;
  /** Also accept google-github-actions' comma form with `\,` escapes (parse.ts `escapedCommas`). */
  escapedCommas?: boolean;
  default?: string;
  maxLength?: number;
}
export interface UrlInput extends Base {
  kind: 'url';
  default?: string;
  /** Allowed protocols, `https:` and `http:` by default. */
  protocols?: readonly string[];
  maxLength?: number;
}
/** A JSON or YAML document (YAML is a superset of JSON). Parsed to `unknown`. */
export interface DocumentInput extends Base {
  kind: 'json' | 'yaml';
  default?: string;
  maxLength?: number;
}

export type InputSpec =
  | StringInput
  | BooleanInput
  | IntegerInput
  | NumberInput
  | DurationInput
  | EnumInput
  | ListInput
  | MapInput
  | UrlInput
  | DocumentInput;

export interface OutputSpec {
  description: string;
}

/** A dimension that is not one input's value: derived from the raw inputs (e.g. service or job). */
export interface Dimension<V extends string = string> {
  values: readonly V[];
  /** Reads the raw (trimmed, possibly empty) inputs by name. */
  from: (raw: (name: string) => string) => V;
  /** How the dimension is named in messages: `target` ("does not apply to target \"job\""). */
  label?: string;
}

export interface Inapplicable {
  input: string;
  dimension: string;
  value: string;
  allowed: readonly string[];
}

export interface ManifestDefinition {
  /** The folder name: `deploy-cloudrun`. */
  id: string;
  name: string;
  description: string;
  author?: string;
  branding: { icon: string; color: string };
  inputs: Readonly<Record<string, InputSpec>>;
  outputs: Readonly<Record<string, OutputSpec>>;
  dimensions?: Readonly<Record<string, Dimension>>;
  /** The action has a post step (cleanup): `true`, or the `post-if` condition. */
  post?: boolean | { if: string };
  /**
   * The problem and fix for an input set where it does not apply. The default reads
   * `does not apply to mode "sql"` / `remove it, or use it with mode "image" or "command"`.
   */
  inapplicable?: (refused: Inapplicable) => { problem: string; fix: string };
}

/**
 * Declares an action. The const type parameter keeps every literal (kinds, enum values, defaults,
 * applicability) so `readInputs` can infer exact types from the declaration.
 */
export function defineAction<const M extends ManifestDefinition>(manifest: M): M {
  for (const [name, spec] of Object.entries(manifest.inputs)) {
    for (const dimension of Object.keys(spec.appliesTo ?? {})) {
      const source = manifest.dimensions?.[dimension] ?? manifest.inputs[dimension];
      if (!source) throw new Error(`${manifest.id} manifest: ${name} applies to unknown dimension ${dimension}`);
      if (!manifest.dimensions?.[dimension] && manifest.inputs[dimension]?.kind !== 'enum')
        throw new Error(`${manifest.id} manifest: ${name} applies to ${dimension}, which is not an enum input`);
    }
  }
  return manifest;
}

/** Inputs shared by several actions, defined once (fragments spread into `inputs`). */
export function inputFragment<const F extends Readonly<Record<string, InputSpec>>>(fragment: F): F {
  return fragment;
}

/**
 * The step timeout, with ONE meaning across the suite: how long the whole step may take, from its start to its
 * report. Narrower waits are separate inputs named for what they bound (`health-timeout`, `lock-timeout`).
 * `runAction` aborts `ctx.signal` when it passes.
 */
export function timeoutInput<const D extends string>(defaultValue: D, extra = '') {
  return {
    timeout: {
      kind: 'duration',
      description: `How long the whole step may take (90s, 10m, 2h) before it stops and fails.${extra ? ` ${extra}` : ''}`,
      default: defaultValue,
      min: 1000,
      max: 6 * 3_600_000,
    },
  } as const satisfies Record<string, DurationInput>;
}

/** The string action.yml shows as an input's default, or undefined. */
export function docDefault(spec: InputSpec): string | undefined {
  if (spec.docDefault !== undefined) return spec.docDefault;
  if (spec.default === undefined) return undefined;
  return String(spec.default);
}

/** The named inputs of a fragment, to spread into a manifest: `...pickInputs(healthInputs, ['health-path'])`. */
export function pickInputs<const F extends Readonly<Record<string, InputSpec>>, const K extends keyof F>(
  fragment: F,
  names: readonly K[],
): Pick<F, K> {
  return Object.fromEntries(names.map((n) => [n, fragment[n]])) as Pick<F, K>;
}
