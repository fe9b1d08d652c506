import * as core from '@actions/core';
import { engineProblems, findDocker } from '@deploy-actions/docker';
import { run } from '@deploy-actions/toolkit';
import { build } from './build';
import { readInputs } from './inputs';
import { summarize } from './summary';

/**
 * build-image: reads and checks every input and computes the tags and labels, picks a docker client
 * that can build with BuildKit, then builds and pushes, loads or archives, and reports.
 */
async function main(): Promise<void> {
  const inputs = await readInputs();
  for (const warning of inputs.tagWarnings) core.warning(warning);
  const client = await findDocker();
  if (!client.buildx) {
    const problems = engineProblems({ ...inputs, tags: inputs.refs, secrets: [], iidFile: '', metadataFile: '' });
    if (problems.length) throw problems[0];
  }
  core.info(
    `Building ${inputs.refs.length ? inputs.refs.join(', ') : 'an untagged image'} with ${client.buildx ? `buildx ${client.buildx}` : `the engine's BuildKit (${client.path} ${client.version})`}`,
  );

  const result = await build(inputs, client);
  const { metadata } = inputs;
  core.setOutput('image', inputs.refs[0] ?? '');
  core.setOutput('tags', metadata.tags.join(inputs.sepTags));
  core.setOutput('tag-names', metadata.tagNames.join(inputs.sepTags));
  core.setOutput('labels', metadata.labels.join(inputs.sepLabels));
  core.setOutput(
    'annotations',
    inputs.annotationLevels.flatMap((level) => metadata.annotations.map((a) => `${level}:${a}`)).join('\n'),
  );
  core.setOutput('json', JSON.stringify(metadata.meta.getJSON(inputs.annotationLevels)));
  core.setOutput('version', inputs.version);
  core.setOutput('image-ref', imageRef(inputs.refs, result.digest || result.archiveDigest));
  core.setOutput('image-id', result.imageId);
  core.setOutput('digest', result.digest);
  core.setOutput('metadata', JSON.stringify(result.metadata));
  const cache = result.steps ? `; ${result.cached} of ${result.steps} steps cached` : '';
  core.info(`Built ${inputs.refs[0] ?? result.imageId}${result.digest ? ` (${result.digest})` : ''}${cache}`);
  await summarize(inputs, client, result);
}

/** `name@digest` of the first image, when the digest is known (pushed, or the manifest in an OCI archive). */
export function imageRef(refs: string[], digest: string | undefined): string {
  if (!digest || !refs.length) return '';
  const first = refs[0];
  return `${first.slice(0, first.lastIndexOf(':'))}@${digest}`;
}

await run(main);
