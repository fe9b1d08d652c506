// Copied from docker/metadata-action __tests__/context.test.ts (Apache-2.0, see NOTICE); only the harness
// differs. The `bake-target`, `github-token` and `context` inputs are the action's (build-image names the
// last `metadata-context`), read elsewhere. The `git` case's mocked Git.context/commitDate are a fake git.
import { describe, expect, test } from '@jest/globals';
import { readContext, readGitContext, readMetadataInputs, type MetadataInputs } from '../../src/metadata';
import { fixtures } from './harness';
import { join } from 'node:path';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

type Expected = MetadataInputs;

describe('getInputs', () => {
  // prettier-ignore
  const cases: [number, Map<string, string>, Expected][] = [
    [
      0,
      new Map<string, string>([['images', 'moby/buildkit\nghcr.io/moby/mbuildkit']]),
      {
        flavor: [],
        images: ['moby/buildkit', 'ghcr.io/moby/mbuildkit'],
        labels: [],
        annotations: [],
        sepLabels: '\n',
        sepTags: '\n',
        sepAnnotations: '\n',
        tags: [],
      },
    ],
    [
      1,
      new Map<string, string>([
        ['images', 'moby/buildkit'],
        ['sep-labels', ','],
        ['sep-tags', ','],
        ['sep-annotations', ','],
      ]),
      {
        flavor: [],
        images: ['moby/buildkit'],
        labels: [],
        annotations: [],
        sepLabels: ',',
        sepTags: ',',
        sepAnnotations: ',',
        tags: [],
      },
    ],
    [
      2,
      new Map<string, string>([['images', 'moby/buildkit\n#comment\nghcr.io/moby/mbuildkit']]),
      {
        flavor: [],
        images: ['moby/buildkit', 'ghcr.io/moby/mbuildkit'],
        labels: [],
        annotations: [],
        sepLabels: '\n',
        sepTags: '\n',
        sepAnnotations: '\n',
        tags: [],
      },
    ],
    [
      3,
      new Map<string, string>([['labels', 'mylabel=foo#bar\n#comment\nanother=bar']]),
      {
        flavor: [],
        images: [],
        labels: ['mylabel=foo#bar', 'another=bar'],
        annotations: [],
        sepLabels: '\n',
        sepTags: '\n',
        sepAnnotations: '\n',
        tags: [],
      },
    ],
    [
      4,
      new Map<string, string>([
        [
          'annotations',
          'org.opencontainers.image.url=https://example.com/path#readme\n#comment\norg.opencontainers.image.source=https://github.com/docker/metadata-action',
        ],
      ]),
      {
        flavor: [],
        images: [],
        labels: [],
        annotations: [
          'org.opencontainers.image.url=https://example.com/path#readme',
          'org.opencontainers.image.source=https://github.com/docker/metadata-action',
        ],
        sepLabels: '\n',
        sepTags: '\n',
        sepAnnotations: '\n',
        tags: [],
      },
    ],
    [
      5,
      new Map<string, string>([
        ['tags', 'type=raw,value=foo#bar\n#comment'],
        ['flavor', 'prefix=v#1\n#comment'],
      ]),
      {
        flavor: ['prefix=v#1'],
        images: [],
        labels: [],
        annotations: [],
        sepLabels: '\n',
        sepTags: '\n',
        sepAnnotations: '\n',
        tags: ['type=raw,value=foo#bar'],
      },
    ],
  ];
  test.each(cases)(
    '[%d] given %o as inputs, returns %o',
    async (_num: number, inputs: Map<string, string>, expected: Expected) => {
      expect(readMetadataInputs((name) => inputs.get(name))).toEqual(expected);
    },
  );
});

describe('getContext', () => {
  test('workflow', () => {
    // setup.unit.ts's environment and push payload.
    const payload = JSON.parse(readFileSync(join(fixtures, 'event_push_dev.json'), 'utf8'));
    payload.commits = [{ id: '5f3331d7f7044c18ca9f12c77d961c4d7cf3276a', timestamp: '2024-11-13T13:42:28Z' }];
    const dir = mkdtempSync(join(tmpdir(), 'metadata-context-'));
    writeFileSync(join(dir, 'event.json'), JSON.stringify(payload));
    const ctx = readContext({
      GITHUB_REPOSITORY: 'docker/metadata-action',
      GITHUB_REF: 'refs/heads/dev',
      GITHUB_SHA: '5f3331d7f7044c18ca9f12c77d961c4d7cf3276a',
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
    });
    expect(ctx.ref).toEqual('refs/heads/dev');
    expect(ctx.sha).toEqual('5f3331d7f7044c18ca9f12c77d961c4d7cf3276a');
    expect(ctx.commitDate).toEqual(new Date('2024-11-13T13:42:28.000Z'));
  });
  test('git', async () => {
    // Git.context() gives ref refs/heads/git-test and sha git-test-sha; Git.commitDate() 2023-01-01T13:42:28Z.
    const answers: Record<string, string> = {
      'branch --show-current': 'git-test',
      'symbolic-ref HEAD': 'refs/heads/git-test',
      'show --format=%H HEAD --quiet --': 'git-test-sha',
      'show -s --format=%cI git-test-sha': '2023-01-01T13:42:28.000Z',
    };
    const git = async (args: string[]) => answers[args.join(' ')] ?? '';
    const ctx = await readGitContext(readContext({}, new Date(), {}), git);
    expect(ctx.ref).toEqual('refs/heads/git-test');
    expect(ctx.sha).toEqual('git-test-sha');
    expect(ctx.commitDate).toEqual(new Date('2023-01-01T13:42:28.000Z'));
  });
});
