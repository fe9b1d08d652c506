import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string | number | boolean;
  deprecationMessage?: string;
}

export interface ActionManifest {
  name: string;
  description: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, ActionInput>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; pre?: string; post?: string; 'post-if'?: string };
}

/** The repository root: actions live at `<root>/<action>/action.yml`. */
export const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** An action's folder: a name at the repository root, or an absolute path (test fixtures). */
export function actionDir(action: string): string {
  return isAbsolute(action) ? action : join(repoRoot, action);
}

export function readManifest(action: string): ActionManifest {
  return parse(readFileSync(join(actionDir(action), 'action.yml'), 'utf8')) as ActionManifest;
}
