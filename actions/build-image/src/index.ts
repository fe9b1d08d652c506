import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerClient } from '@deploy-actions/docker';
import type { BuildResult } from './build';
import { runAction } from '@deploy-actions/toolkit';

import { maskCredentialsInInputs } from './credentials';
import type { Inputs } from './inputs';
import { manifest } from './manifest';

/**
 * build-image: the lifecycle reads the typed inputs; main checks them against each other and the
 * workspace and computes the tags and labels, picks a docker client that can build with BuildKit, then
 * builds and pushes, loads or archives. The report writes the outputs and the summary, on failure too.
 */

export interface Progress {
  inputs?: Inputs;
  client?: DockerClient;
  result?: BuildResult;
}

/** metadata-action's bake definition files, in RUNNER_TEMP (they outlive the step, for a later bake). */
function writeBakeFiles(inputs: Inputs): Record<'tags' | 'labels' | 'annotations' | 'all', string> {
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'build-image-bake-'));
  const write = (name: string, definition: unknown) => {
    const path = join(dir, `docker-metadata-action-bake${name ? `-${name}` : ''}.json`);
    writeFileSync(path, JSON.stringify(definition, null, 2));
    return path;
  };
  const { meta } = inputs.metadata;
  const target = inputs.bakeTarget;
  return {
    tags: write('tags', meta.bakeDefinition('tags', target)),
    labels: write('labels', meta.bakeDefinition('labels', target)),
    annotations: write('annotations', meta.bakeDefinition(`annotations:${inputs.annotationLevels.join(',')}`, target)),
    all: write('', meta.bakeDefinition(undefined, target)),
  };
}

/** `name@digest` of the first image, when the digest is known (pushed, or the manifest in an OCI archive). */
export function imageRef(refs: string[], digest: string | undefined): string {
  if (!digest || !refs.length) return '';
  const first = refs[0];
  return `${first.slice(0, first.lastIndexOf(':'))}@${digest}`;
}

maskCredentialsInInputs(process.env);

runAction<typeof manifest, void, Progress>({
  manifest,
  async main(ctx) {
    // Loaded here, after the lifecycle's input checks: a bad input fails before these are even parsed.
    const [{ readInputs }, { build }, { engineProblems, findDocker }] = await Promise.all([
      import('./inputs'),
      import('./build'),
      import('@deploy-actions/docker'),
    ]);
    const inputs = await readInputs(ctx.inputs);
    for (const warning of inputs.tagWarnings) ctx.log.warning(warning);
    const client = await findDocker();
    if (!client.buildx) {
      const problems = engineProblems({ ...inputs, tags: inputs.refs, secrets: [], iidFile: '', metadataFile: '' });
      if (problems.length) throw problems[0];
    }
    // From here on the inputs are accepted: the report writes the tags and labels even if the build fails.
    ctx.progress.inputs = inputs;
    ctx.progress.client = client;
    ctx.log.info(
      `Building ${inputs.refs.length ? inputs.refs.join(', ') : 'an untagged image'} with ${client.buildx ? `buildx ${client.buildx}` : `the engine's BuildKit (${client.path} ${client.version})`}`,
    );
    const result = await build(inputs, client, ctx.log, ctx.signal);
    ctx.progress.result = result;
    const cache = result.steps ? `; ${result.cached} of ${result.steps} steps cached` : '';
    ctx.log.info(`Built ${inputs.refs[0] ?? result.imageId}${result.digest ? ` (${result.digest})` : ''}${cache}`);
  },
  async report(ctx, outcome) {
    const { inputs, client, result } = ctx.progress;
    if (inputs) {
      const { metadata } = inputs;
      // What the tags and labels are is known once the inputs are read, built or not.
      ctx.output('tags', metadata.tags.join(inputs.sepTags));
      ctx.output('tag-names', metadata.tagNames.join(inputs.sepTags));
      ctx.output('labels', metadata.labels.join(inputs.sepLabels));
      ctx.output(
        'annotations',
        inputs.annotationLevels
          .flatMap((level) => metadata.annotations.map((a) => `${level}:${a}`))
          .join(inputs.sepAnnotations),
      );
      ctx.output('json', JSON.stringify(metadata.meta.getJSON(inputs.annotationLevels)));
      const bake = writeBakeFiles(inputs);
      ctx.output('bake-file-tags', bake.tags);
      ctx.output('bake-file-labels', bake.labels);
      ctx.output('bake-file-annotations', bake.annotations);
      ctx.output('bake-file', bake.all);
      ctx.output('version', inputs.version);
    }
    if (inputs && result) {
      ctx.output('image', inputs.refs[0] ?? '');
      ctx.output('image-id', result.imageId);
      ctx.output('digest', result.digest);
      ctx.output('metadata', JSON.stringify(result.metadata));
      ctx.output('image-ref', imageRef(inputs.refs, result.digest || result.archiveDigest));
    }
    const { summarize } = await import('./summary');
    summarize(ctx.summary, outcome.status === 'success', inputs, client, result);
  },
});
