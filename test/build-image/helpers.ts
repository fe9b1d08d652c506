import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readServices } from '@deploy-actions/harness';

/** Shared bits of the build-image integration tests: unique names, docker calls, cleanup. */

export const repoRoot = join(import.meta.dirname, '..', '..');
export const exampleApp = join(repoRoot, 'examples', 'app');
export const fixture = join(import.meta.dirname, 'fixtures', 'multistage');
export const services = readServices();

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function docker(...args: string[]): string {
  return execFileSync(services.dockerClient, args, {
    env: { ...process.env, DOCKER_HOST: services.dockerHost },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function imageExists(ref: string): boolean {
  try {
    docker('image', 'inspect', ref);
    return true;
  } catch {
    return false;
  }
}

export function removeImages(refs: string[]): void {
  for (const ref of refs) {
    try {
      docker('image', 'rm', ref);
    } catch {
      // already gone
    }
  }
}

export const repositoryPayload = {
  repository: {
    name: 'backend',
    description: 'The acme backend',
    html_url: 'https://github.com/acme/backend',
    default_branch: 'main',
    license: { spdx_id: 'Apache-2.0' },
  },
};
