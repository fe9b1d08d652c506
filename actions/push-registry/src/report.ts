/**
 * The step's outputs and job summary, written on success and failure alike: the digest, every
 * `name@digest` pushed, `image-ref` for deploy steps, and per destination what happened to its blobs
 * (pushed, mounted from a sibling repository, skipped because present), how many bytes went up and how
 * long it took. A failed step still says what was done: which steps ran and which destinations got it.
 */
import type { Outcome, ReportContext } from '@deploy-actions/toolkit';
import { formatBytes, type Image, levelOf, type Registry, type TargetResult } from '@deploy-actions/registry';
import type { Plan } from './inputs';
import type { manifest } from './manifest';

export interface Progress {
  startedAt: number;
  plan?: Plan;
  registries?: Map<string, Registry>;
  image?: Image;
  results?: TargetResult[];
  /** Every destination already held the engine image: nothing was exported or uploaded. */
  unchanged?: boolean;
  /** The Docker config left for later steps. */
  login?: string;
}

export function refsOf(results: TargetResult[]): string[] {
  return results.filter((r) => !r.error).map((r) => `${r.registry}/${r.repository}@${r.digest}`);
}

type Ctx = ReportContext<typeof manifest, Progress>;

export function writeReport(ctx: Ctx, outcome: Outcome<void>): void {
  const { progress } = ctx;
  const results = progress.results ?? [];
  const ok = results.filter((r) => !r.error);
  const refs = refsOf(results);
  // digest, refs and image-ref: for the destinations that got the image, even when others failed.
  if (ok.length) {
    ctx.output('digest', ok[0].digest);
    ctx.output('image-ref', refs[0]);
  }
  ctx.output('refs', refs.join('\n'));

  const failed = results.length - ok.length;
  if (!results.length) ctx.summary.headline(outcome.status === 'success' ? 'nothing to push' : 'not pushed');
  else if (failed) ctx.summary.headline(`${ok.length} of ${results.length} destinations pushed`).status('failure');
  else ctx.summary.headline(progress.unchanged ? 'already up to date' : `pushed to ${results.length} destinations`);

  const steps = progress.plan;
  const compression = steps?.compression;
  ctx.summary.facts([
    ['Source', progress.image?.source],
    ['Digest', ok[0]?.digest ?? progress.image?.root.manifest.digest],
    ['Image reference', refs[0]],
    [
      'Platforms',
      progress.image?.root.children
        .map((c) => c.platform)
        .filter(Boolean)
        .join(', ') || undefined,
    ],
    ['Destinations', results.length ? `${ok.length} of ${results.length} succeeded` : undefined],
    ['Uploaded', results.length ? formatBytes(results.reduce((sum, r) => sum + r.bytes, 0)) : undefined],
    [
      'Compression',
      !compression || steps?.source.kind === 'registry'
        ? undefined
        : compression.algorithm === 'none'
          ? 'none'
          : `${compression.algorithm} level ${levelOf(compression)} (layers already compressed go up as they are)`,
    ],
    ['Time', `${(ctx.elapsedMs() / 1000).toFixed(1)} s`],
    [
      'Registry requests',
      progress.registries
        ? [...progress.registries.values()].reduce((sum, r) => sum + r.requests + r.auth.tokensFetched, 0)
        : undefined,
    ],
    ['Login', progress.login ? "DOCKER_CONFIG exported with the pushed registries' logins for later steps" : undefined],
    [
      'Note',
      progress.unchanged ? 'Every destination already had this image: nothing was exported or uploaded.' : undefined,
    ],
  ]);
  if (outcome.status !== 'success' && !results.length)
    ctx.summary.steps([
      { label: 'Check the inputs', state: steps ? 'done' : 'failed' },
      { label: 'Load the image', state: progress.image ? 'done' : steps ? 'failed' : 'not-run' },
      { label: 'Push to the destinations', state: 'not-run' },
    ]);
  if (results.length)
    ctx.summary.table(
      ['Destination', 'Result', 'Blobs pushed', 'Mounted', 'Skipped', 'Uploaded', 'Manifests', 'Time'],
      results.map((r) => [
        `${r.registry}/${r.repository}:${r.tags.join(', :')}`,
        r.error ? `failed: ${r.error.message}` : r.manifestsPushed ? 'pushed' : 'up to date',
        r.pushed,
        r.mounted,
        r.skipped,
        formatBytes(r.bytes),
        `${r.manifestsPushed} put, ${r.manifestsSkipped} unchanged`,
        `${(r.ms / 1000).toFixed(1)} s`,
      ]),
    );
  if (refs.length) ctx.summary.section('Pushed references').list(refs);
}
