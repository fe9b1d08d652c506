import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '@deploy-actions/toolkit';
import { runTool } from './exec';

/**
 * Which docker client builds, and how. GitHub runners have buildx, so `docker buildx build` does
 * everything. Without buildx, a client older than 23.0 builds with the engine's built-in BuildKit
 * (`DOCKER_BUILDKIT=1 docker build`); from 23.0 on the client refuses BuildKit builds without buildx.
 * Every `docker` on PATH is considered, so a newer client without buildx earlier on PATH does not hide
 * an older one that works.
 */

export interface DockerClient {
  path: string;
  /** `docker --version`'s version, e.g. 20.10.24. */
  version: string;
  /** buildx's version when the plugin answers, else undefined (the engine's BuildKit is used). */
  buildx?: string;
}

export function dockerCandidates(pathVariable = process.env.PATH ?? ''): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const dir of pathVariable.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'docker');
    try {
      accessSync(candidate, constants.X_OK);
      const real = realpathSync(candidate);
      if (seen.has(real)) continue;
      seen.add(real);
      found.push(candidate);
    } catch {
      // not here
    }
  }
  return found;
}

async function describe(path: string): Promise<DockerClient> {
  const version = await runTool(path, ['--version']);
  const buildx = await runTool(path, ['buildx', 'version']);
  return {
    path,
    version: /version\s+v?([\w.+~-]+?),?\s/i.exec(`${version.stdout} `)?.[1] ?? 'unknown',
    buildx:
      buildx.code === 0 ? (/v?\d+\.\d+\.\d+[\w.+-]*/.exec(buildx.stdout)?.[0] ?? buildx.stdout.trim()) : undefined,
  };
}

export function builtinBuildKitWorks(client: DockerClient): boolean {
  const major = Number(/^(\d+)\./.exec(client.version)?.[1]);
  return Number.isFinite(major) && major < 23;
}

/** The client to build with: the first with buildx, else the first whose built-in BuildKit path works. */
export async function findDocker(pathVariable = process.env.PATH ?? ''): Promise<DockerClient> {
  const candidates = dockerCandidates(pathVariable);
  if (!candidates.length)
    throw new UserError('No docker client on PATH: this action needs the Docker CLI and an engine');
  const clients = await Promise.all(candidates.map(describe));
  const chosen = clients.find((c) => c.buildx) ?? clients.find(builtinBuildKitWorks);
  if (chosen) return chosen;
  const seen = clients.map((c) => `${c.path} (${c.version})`).join(', ');
  throw new UserError(
    `No docker client here can build with BuildKit: ${seen} ${clients.length > 1 ? 'need' : 'needs'} the buildx plugin, which is missing; ` +
      'add docker/setup-buildx-action before this step, or put a docker client older than 23.0 first on PATH',
  );
}
