import { UserError } from './toolkit';
import { TASK_DEFINITION_READ_ONLY_FIELDS } from '@deploy-actions/aws/task-definition';

/**
 * The new task definition revision: the current one (or the given file) with only what was asked changed.
 * DescribeTaskDefinition answers with fields RegisterTaskDefinition refuses, so those are dropped; tags are
 * kept; env-vars and secrets merge into the container's lists like deploy-cloudrun's `merge` (named entries
 * replaced in place, new ones appended, everything else untouched).
 */

// biome-ignore lint/suspicious/noExplicitAny: a task definition is the SDK's shape, edited generically
type Json = Record<string, any>;

/** Answered by DescribeTaskDefinition, refused by RegisterTaskDefinition. */
export const READ_ONLY_FIELDS = TASK_DEFINITION_READ_ONLY_FIELDS;

export interface Changes {
  images: { container?: string; image: string }[];
  env: Record<string, string>;
  secrets: Record<string, string>;
}

export interface Changed {
  input: Json;
  /** Human lines: what differs from the base. */
  changes: string[];
}

function mergeNamed(list: Json[] | undefined, values: Record<string, string>, field: 'value' | 'valueFrom'): Json[] {
  const result = (list ?? []).map((e) => ({ ...e }));
  for (const [name, value] of Object.entries(values)) {
    const existing = result.find((e) => e.name === name);
    if (existing) existing[field] = value;
    else result.push({ name, [field]: value });
  }
  return result;
}

/** The container env-vars/secrets/image changes apply to: the named one, or the only (or first essential) one. */
function pickContainer(containers: Json[], name: string | undefined, input: string): Json {
  if (name) {
    const found = containers.find((c) => c.name === name);
    if (!found)
      throw new UserError(
        `Input "${input}": the task definition has no container "${name}" (it has ${containers.map((c) => c.name).join(', ')}); name one of those`,
      );
    return found;
  }
  if (containers.length === 1) return containers[0];
  throw new UserError(
    `Input "image": the task definition has ${containers.length} containers (${containers.map((c) => c.name).join(', ')}); set container, or use images with CONTAINER=IMAGE lines`,
  );
}

export function withChanges(
  base: Json,
  tags: { key?: string; value?: string }[] | undefined,
  changes: Changes,
): Changed {
  const input: Json = structuredClone(base);
  for (const field of READ_ONLY_FIELDS) delete input[field];
  const containers: Json[] = input.containerDefinitions ?? [];
  const lines: string[] = [];
  for (const { container, image } of changes.images) {
    const target = pickContainer(
      containers,
      container,
      container && changes.images.length > 1 ? 'images' : container ? 'container' : 'image',
    );
    if (target.image !== image) lines.push(`${target.name}: image ${target.image} → ${image}`);
    target.image = image;
  }
  if (Object.keys(changes.env).length || Object.keys(changes.secrets).length) {
    const named = changes.images.find((i) => i.container)?.container;
    const target = pickContainer(containers, changes.images.length === 1 ? named : undefined, 'env-vars');
    if (Object.keys(changes.env).length) {
      target.environment = mergeNamed(target.environment, changes.env, 'value');
      lines.push(`${target.name}: environment ${Object.keys(changes.env).join(', ')}`);
    }
    if (Object.keys(changes.secrets).length) {
      target.secrets = mergeNamed(target.secrets, changes.secrets, 'valueFrom');
      lines.push(`${target.name}: secrets ${Object.keys(changes.secrets).join(', ')}`);
    }
    // A name can be a plain value or a secret, not both (ECS refuses the duplicate at task start).
    for (const name of Object.keys(changes.secrets))
      target.environment = (target.environment ?? []).filter((e: Json) => e.name !== name);
    for (const name of Object.keys(changes.env))
      target.secrets = (target.secrets ?? []).filter((e: Json) => e.name !== name);
    if (!target.environment?.length) delete target.environment;
    if (!target.secrets?.length) delete target.secrets;
  }
  const kept = (tags ?? []).filter((t) => t.key && !t.key.startsWith('aws:'));
  if (kept.length) input.tags = kept;
  else delete input.tags;
  return { input, changes: lines };
}

/** The family:revision part of a task definition ARN. */
export function shortName(arn: string | undefined): string {
  return arn?.split('/').pop() ?? '';
}
