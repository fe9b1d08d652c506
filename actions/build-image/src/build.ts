import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BuildOptions,
  buildCommand,
  type DockerClient,
  dockerArchiveToOciLayout,
  failureLines,
  imageSize,
  pushImage,
  readProgress,
  removeImages,
  runTool,
  saveImage,
} from '@deploy-actions/docker';
import { formatDuration, type Logger, redact, TimeoutError, UserError } from '@deploy-actions/toolkit';
import type { Inputs } from './inputs';

/**
 * The side effects, in order: secrets to private temp files, the BuildKit build, then (engine path)
 * push, archive and untag; buildx does push/load/archive itself in the build. Temp files are removed
 * whatever happens.
 */

export interface BuildResult {
  imageId: string;
  digest: string;
  /** Registry digest per pushed reference. */
  pushed: Record<string, string>;
  metadata: Record<string, unknown>;
  /** The manifest digest of the image in an OCI archive, when one was written. */
  archiveDigest?: string;
  steps: number;
  cached: number;
  size?: number;
  durationMs: number;
}

export async function build(
  inputs: Inputs,
  client: DockerClient,
  log: Logger,
  signal?: AbortSignal,
): Promise<BuildResult> {
  const work = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'build-image-'));
  const started = Date.now();
  try {
    const secrets = Object.entries(inputs.secrets).map(([id, value]) => {
      const src = join(work, `secret-${id}`);
      writeFileSync(src, value, { mode: 0o600 });
      chmodSync(src, 0o600);
      return { id, src };
    });
    for (const [id, src] of Object.entries(inputs.secretFiles)) secrets.push({ id, src });
    const options: BuildOptions = {
      ...inputs,
      tags: inputs.refs,
      secrets,
      iidFile: join(work, 'iid'),
      metadataFile: join(work, 'metadata.json'),
    };
    const command = buildCommand(options, client);
    log.info(redact(`${client.path} ${command.args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`));

    const result = await log.group(client.buildx ? 'Build (buildx)' : "Build (the engine's BuildKit)", () =>
      runTool(client.path, command.args, {
        env: { ...process.env, ...command.env },
        onLine: (line) => log.info(line),
        timeoutMs: inputs.timeoutMs,
        signal,
        // buildx's type=gha cache talks to the runner's cache service with these.
        runnerTokens: true,
      }),
    );
    if (result.stopped === 'timeout')
      throw new TimeoutError(
        `The build did not finish within ${formatDuration(inputs.timeoutMs)}: stopped it (raise "timeout" if it needs longer)`,
      );
    if (result.stopped === 'cancelled') throw new UserError('The build was cancelled');
    const progress = readProgress(result.lines);
    if (result.code !== 0) {
      if (result.lines.some((l) => /buildx component is missing|'buildx' is not a docker command/.test(l)))
        throw new UserError(
          `${client.path} refuses to build with BuildKit without the buildx plugin: add docker/setup-buildx-action before this step`,
        );
      throw new UserError(`The build failed:\n${failureLines(result.lines).join('\n')}`);
    }
    const imageId = existsSync(options.iidFile) ? readFileSync(options.iidFile, 'utf8').trim() : '';
    const metadata: Record<string, unknown> = existsSync(options.metadataFile)
      ? (JSON.parse(readFileSync(options.metadataFile, 'utf8') || '{}') as Record<string, unknown>)
      : {};
    const pushed: Record<string, string> = {};
    let size: number | undefined;
    let archiveDigest: string | undefined;

    if (client.buildx) {
      const digest = String(metadata['containerimage.digest'] ?? '');
      if (inputs.push) for (const ref of inputs.refs) pushed[ref] = digest;
      if (inputs.load) size = await imageSize(client, imageId, signal);
      archiveDigest = inputs.archive?.format === 'oci' && !inputs.push ? digest || undefined : undefined;
      return { imageId, digest, pushed, metadata, archiveDigest, ...progress, size, durationMs: Date.now() - started };
    }

    // The engine's BuildKit always leaves the image in the engine: push, save and measure it there.
    const image = inputs.refs[0] ?? imageId;
    try {
      size = await imageSize(client, image, signal);
      if (inputs.push) {
        await log.group(`Push ${inputs.refs.length} tag${inputs.refs.length === 1 ? '' : 's'}`, async () => {
          for (const ref of inputs.refs) {
            pushed[ref] = await pushImage(client, ref, { log: (line) => log.info(line), signal });
            log.info(`${ref}: ${pushed[ref]}`);
          }
        });
      }
      if (inputs.archive) {
        const refs = inputs.refs.length ? inputs.refs : [imageId];
        if (inputs.archive.format === 'docker') await saveImage(client, refs, inputs.archive.path, signal);
        else {
          const saved = join(work, 'image.tar');
          await saveImage(client, refs, saved, signal);
          archiveDigest = await dockerArchiveToOciLayout(saved, inputs.archive.path);
        }
        log.info(
          `Saved ${inputs.archive.path} (${inputs.archive.format === 'oci' ? 'OCI image layout' : 'docker-archive'})`,
        );
      }
    } finally {
      // Untag only what this build tagged: removing by ID could delete an identical image someone else tagged.
      if (!inputs.load) await removeImages(client, inputs.refs);
    }
    const digest = Object.values(pushed)[0] ?? '';
    Object.assign(metadata, {
      'containerimage.config.digest': imageId,
      ...(digest ? { 'containerimage.digest': digest } : {}),
      'image.name': inputs.refs.join(','),
      ...(Object.keys(pushed).length ? { 'pushed.digests': pushed } : {}),
    });
    return { imageId, digest, pushed, metadata, archiveDigest, ...progress, size, durationMs: Date.now() - started };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
