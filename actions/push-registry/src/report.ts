/**
 * The step's outputs and job summary: the digest, every `name@digest` pushed, and per destination what
 * happened to its blobs (pushed, mounted from a sibling repository, skipped because present), how many
 * bytes went up and how long it took.
 */
import * as core from '@actions/core';
import { factsTable, redact, table, writeSummary } from '@deploy-actions/toolkit';
import { type Compression, formatBytes, type Image, levelOf, type TargetResult } from '@deploy-actions/registry';

export interface Report {
  image: Image;
  results: TargetResult[];
  totalMs: number;
  requests: number;
  /** Set when the destinations already held the engine image and nothing was exported. */
  unchanged?: boolean;
  platforms: string[];
  compression: Compression;
  /** A Docker config with the logins was left for later steps. */
  login: boolean;
}

export function refsOf(results: TargetResult[]): string[] {
  return results.filter((r) => !r.error).map((r) => `${r.registry}/${r.repository}@${r.digest}`);
}

/** `digest`, `refs`, and `image-ref`: the first destination pushed as one `name@digest`, for deploy steps. */
export function setOutputs(results: TargetResult[]): void {
  const ok = results.filter((r) => !r.error);
  const refs = refsOf(results);
  if (ok.length) {
    core.setOutput('digest', ok[0].digest);
    core.setOutput('image-ref', refs[0]);
  }
  core.setOutput('refs', refs.join('\n'));
}

export async function writeReport(report: Report): Promise<void> {
  const { results } = report;
  const failed = results.filter((r) => r.error);
  const uploaded = results.reduce((sum, r) => sum + r.bytes, 0);
  const digest = results.find((r) => !r.error)?.digest ?? report.image.root.manifest.digest;
  core.summary.addHeading(failed.length ? 'Push failed' : 'Image pushed', 3);
  core.summary.addRaw(
    factsTable([
      ['Source', report.image.source],
      ['Digest', digest],
      ['Platforms', report.platforms.length ? report.platforms.join(', ') : undefined],
      ['Destinations', `${results.length - failed.length} of ${results.length} succeeded`],
      ['Uploaded', formatBytes(uploaded)],
      [
        'Compression',
        report.compression.algorithm === 'none'
          ? 'none'
          : `${report.compression.algorithm} level ${levelOf(report.compression)} (layers already compressed go up as they are)`,
      ],
      ['Image reference', refsOf(results)[0]],
      ['Login', report.login ? "DOCKER_CONFIG exported with the pushed registries' logins for later steps" : undefined],
      ['Time', `${(report.totalMs / 1000).toFixed(1)} s`],
      ['Registry requests', report.requests],
      [
        'Note',
        report.unchanged ? 'Every destination already had this image: nothing was exported or uploaded.' : undefined,
      ],
    ]),
  );
  core.summary.addRaw(
    table(
      ['Destination', 'Result', 'Blobs pushed', 'Mounted', 'Skipped', 'Uploaded', 'Manifests', 'Time'],
      results.map((r) => [
        `${r.registry}/${r.repository}:${r.tags.join(', :')}`,
        // Redacted before table() escapes: an escaped secret would no longer match its mask.
        r.error ? `failed: ${redact(r.error.message)}` : `${r.manifestsPushed ? 'pushed' : 'up to date'}`,
        r.pushed,
        r.mounted,
        r.skipped,
        formatBytes(r.bytes),
        `${r.manifestsPushed} put, ${r.manifestsSkipped} unchanged`,
        `${(r.ms / 1000).toFixed(1)} s`,
      ]),
    ),
  );
  const refs = refsOf(results);
  if (refs.length)
    core.summary.addRaw(
      `\n<details><summary>Pushed references</summary>\n\n${refs.map((r) => `- \`${r}\``).join('\n')}\n</details>\n`,
    );
  await writeSummary();
}
