/**
 * Snapshot names from the `identifier` template: placeholders filled from the run, then made legal for
 * the provider. RDS identifiers are 1-255 characters (clusters 1-63) of letters, digits and hyphens,
 * start with a letter, never end with a hyphen nor contain `--`, and are stored lowercase. When the
 * result is too long the branch name is shortened first, then the database name, so the commit and the
 * timestamp that make a name unique survive.
 */

export const PLACEHOLDERS = ['db', 'ref', 'sha', 'sha7', 'run-id', 'run-attempt', 'timestamp', 'date'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The first unknown placeholder in a template, or undefined. */
export function unknownPlaceholder(template: string): string | undefined {
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) return name;
  }
  return undefined;
}

export function templateValues(context: {
  db: string;
  ref: string;
  sha: string;
  runId: string;
  runAttempt: string;
  now: Date;
}): TemplateValues {
  const iso = context.now.toISOString();
  return {
    db: context.db,
    ref: context.ref.replace(/^refs\/(heads|tags|pull)\//, ''),
    sha: context.sha,
    sha7: context.sha.slice(0, 7),
    'run-id': context.runId,
    'run-attempt': context.runAttempt,
    // 20261122-031500: sortable, and legal in every provider's names.
    timestamp: `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`,
    date: iso.slice(0, 10).replace(/-/g, ''),
  };
}

export function render(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, name: Placeholder) => values[name] ?? '');
}

/** RDS's rules applied to any text: lowercase, runs of other characters to one hyphen, a letter first. */
export function rdsName(text: string): string {
  let name = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(name)) name = `snapshot-${name}`.replace(/-+$/, '');
  return name;
}

export function isRdsName(name: string, max: number): boolean {
  return name.length >= 1 && name.length <= max && /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name);
}

/**
 * The template rendered and made an RDS identifier of at most `max` characters, keeping room for a
 * collision suffix (`-2`...).
 */
export function rdsIdentifier(template: string, values: TemplateValues, max: number): string {
  const room = max - 4;
  const shortened = { ...values };
  for (const part of ['ref', 'db'] as const) {
    while (rdsName(render(template, shortened)).length > room && shortened[part].length > 0) {
      shortened[part] = shortened[part].slice(0, -1);
    }
  }
  return rdsName(render(template, shortened)).slice(0, room).replace(/-+$/, '');
}

/** `name`, or `name-2`, `name-3`... : the first that `taken` says is free. */
export async function firstFree(name: string, taken: (candidate: string) => Promise<boolean>): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    if (!(await taken(candidate))) return candidate;
    if (n >= 99) throw new Error(`no free name near ${name}`);
  }
}

/** A file name from the template: letters, digits, dot, underscore and hyphen only. */
export function fileName(template: string, values: TemplateValues): string {
  const name = render(template, values)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 200);
  return name || 'snapshot';
}
