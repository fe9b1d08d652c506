import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which node runs the bundles. Every action declares `runs.using: node24`, so the harness runs them on
 * Node 24 as the runner does, whatever node runs the tests: `DEPLOY_ACTIONS_NODE` when set, else the
 * pinned Node 24 that scripts/services.sh fetched (`NODE24=` in services.env), else this process's node
 * (unit tests, which start no services).
 */
export interface BundleNode {
  path: string;
  /** `process.version` of that node, e.g. `v24.22.3`. */
  version: string;
  from: 'DEPLOY_ACTIONS_NODE' | 'services.env' | 'process.execPath';
}

let cached: { key: string; node: BundleNode } | undefined;

export function bundleNode(): BundleNode {
  const { path, from } = choose();
  const key = `${from}:${path}`;
  if (cached?.key === key) return cached.node;
  let version: string;
  try {
    version =
      from === 'process.execPath' ? process.version : execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  } catch (err) {
    const fix = from === 'services.env' ? 'run "npm run services" to fetch it again' : 'point it at a node binary';
    throw new Error(`harness: the node named by ${from} (${path}) does not run (${(err as Error).message}); ${fix}`);
  }
  cached = { key, node: { path, version, from } };
  return cached.node;
}

/** One phrase for messages: `node v24.22.3 (/tmp/deploy-actions/.../bin/node, from services.env)`. */
export function describeNode(node: BundleNode = bundleNode()): string {
  return `node ${node.version} (${node.path}, from ${node.from})`;
}

function choose(): { path: string; from: BundleNode['from'] } {
  if (process.env.DEPLOY_ACTIONS_NODE) return { path: process.env.DEPLOY_ACTIONS_NODE, from: 'DEPLOY_ACTIONS_NODE' };
  let env = '';
  try {
    env = readFileSync(join(process.env.DEPLOY_ACTIONS_SERVICES_DIR ?? '/tmp/deploy-actions', 'services.env'), 'utf8');
  } catch {
    // No services started (unit tests): this process's node.
  }
  const node24 = /^NODE24=(.+)$/m.exec(env)?.[1];
  return node24 ? { path: node24, from: 'services.env' } : { path: process.execPath, from: 'process.execPath' };
}
