import * as core from '@actions/core';
import type { DockerClient } from '@deploy-actions/docker';
import { codeBlock, factsTable, formatDuration, writeSummary } from '@deploy-actions/toolkit';
import type { BuildResult } from './build';
import type { Inputs } from './inputs';

/** The job summary: what was built, where it went, how long it took and how much the cache saved. */

function bytes(n: number | undefined): string | undefined {
  if (n === undefined || Number.isNaN(n)) return undefined;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export async function summarize(inputs: Inputs, client: DockerClient, result: BuildResult): Promise<void> {
  // The registry of each name: its first component when that is a host (has a dot or port, or is localhost).
  const registries = [
    ...new Set(inputs.refs.map((ref) => /^([^/]*[.:][^/]*|localhost)\//.exec(ref)?.[1] ?? 'docker.io')),
  ];
  const where = [
    inputs.push && `pushed to ${registries.join(', ')}`,
    inputs.load && 'loaded into the engine',
    inputs.archive && `archived to ${inputs.archive.path}`,
  ]
    .filter(Boolean)
    .join(', ');
  core.summary.addHeading(`Image built${inputs.refs[0] ? `: ${inputs.refs[0]}` : ''}`, 3);
  core.summary.addRaw(
    factsTable([
      ['Result', where || 'built only (nothing pushed, loaded or archived)'],
      ['Digest', result.digest],
      ['Image ID', result.imageId],
      ['Size', bytes(result.size)],
      ['Duration', formatDuration(result.durationMs)],
      ['Cache', result.steps ? `${result.cached} of ${result.steps} steps cached` : undefined],
      ['Version', inputs.version],
      [
        'Builder',
        client.buildx ? `buildx ${client.buildx}` : `the engine's BuildKit (${client.path} ${client.version})`,
      ],
      [
        'Archive format',
        inputs.archive
          ? inputs.archive.format === 'oci'
            ? 'OCI image layout (tar)'
            : 'docker-archive (docker save)'
          : undefined,
      ],
      ['Build secrets', [...Object.keys(inputs.secrets), ...Object.keys(inputs.secretFiles)].join(', ') || undefined],
    ]),
  );
  if (inputs.refs.length) core.summary.addRaw('\n**Tags**\n').addRaw(codeBlock(inputs.refs.join('\n'), 'text'));
  const labels = Object.entries(inputs.labels).map(([k, v]) => `${k}=${v}`);
  if (labels.length) core.summary.addDetails('Labels', `\n${codeBlock(labels.join('\n'), 'text')}`);
  await writeSummary();
}
