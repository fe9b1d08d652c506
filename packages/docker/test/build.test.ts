import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import {
  type BuildOptions,
  buildCommand,
  digestOf,
  engineProblems,
  failureLines,
  findDocker,
  pushImage,
  readProgress,
} from '../src';

const base: BuildOptions = {
  context: '/ctx',
  file: '/ctx/Dockerfile',
  tags: ['ghcr.io/acme/api:1.2.3', 'ghcr.io/acme/api:latest'],
  labels: { 'org.opencontainers.image.version': '1.2.3' },
  buildArgs: { NODE_ENV: 'production' },
  platforms: [],
  addHosts: [],
  noCache: false,
  pull: false,
  cacheFrom: [],
  cacheTo: [],
  secrets: [{ id: 'npm', src: '/tmp/s/npm' }],
  ssh: [],
  annotations: [],
  outputs: [],
  push: false,
  load: false,
  iidFile: '/tmp/iid',
  metadataFile: '/tmp/meta.json',
};
const engine = { path: '/usr/bin/docker', version: '20.10.24' };
const buildx = { path: '/usr/bin/docker', version: '27.0.0', buildx: '0.17.1' };

describe('build command', () => {
  test("the engine's BuildKit: docker build with DOCKER_BUILDKIT=1, inline cache, registry cache-from", () => {
    const command = buildCommand(
      {
        ...base,
        network: 'host',
        cacheFrom: ['type=registry,ref=ghcr.io/acme/api:cache', 'ghcr.io/acme/api:latest'],
        cacheTo: ['type=inline'],
        target: 'prod',
        platforms: ['linux/amd64'],
      },
      engine,
    );
    expect(command.env).toEqual({ DOCKER_BUILDKIT: '1' });
    expect(command.args).toEqual([
      'build',
      '--progress',
      'plain',
      '--iidfile',
      '/tmp/iid',
      '--file',
      '/ctx/Dockerfile',
      '--tag',
      'ghcr.io/acme/api:1.2.3',
      '--tag',
      'ghcr.io/acme/api:latest',
      '--label',
      'org.opencontainers.image.version=1.2.3',
      '--build-arg',
      'NODE_ENV=production',
      '--target',
      'prod',
      '--network',
      'host',
      '--secret',
      'id=npm,src=/tmp/s/npm',
      '--platform',
      'linux/amd64',
      '--cache-from',
      'ghcr.io/acme/api:cache',
      '--cache-from',
      'ghcr.io/acme/api:latest',
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
      '/ctx',
    ]);
  });

  test('buildx: everything passed through, with --metadata-file, push, load and an OCI archive', () => {
    const command = buildCommand(
      {
        ...base,
        platforms: ['linux/amd64', 'linux/arm64'],
        cacheFrom: ['type=gha'],
        cacheTo: ['type=gha,mode=max'],
        provenance: 'mode=max',
        sbom: 'true',
        annotations: ['index:org.opencontainers.image.description=api'],
        builder: 'ci',
        push: true,
        load: true,
        ssh: ['default'],
        archive: { path: '/out/image.tar', format: 'oci' },
      },
      buildx,
    );
    expect(command.env).toEqual({});
    expect(command.args.slice(0, 2)).toEqual(['buildx', 'build']);
    const joined = command.args.join(' ');
    for (const part of [
      '--metadata-file /tmp/meta.json',
      '--iidfile /tmp/iid',
      '--builder ci',
      '--platform linux/amd64,linux/arm64',
      '--cache-from type=gha',
      '--cache-to type=gha,mode=max',
      '--provenance=mode=max',
      '--sbom=true',
      '--annotation index:org.opencontainers.image.description=api',
      '--ssh default',
      '--push',
      '--load',
      '--output type=oci,dest=/out/image.tar',
    ])
      expect(joined).toContain(part);
    expect(command.args.at(-1)).toBe('/ctx');
  });

  test('engine problems name each input that needs buildx', () => {
    const problems = engineProblems({
      ...base,
      platforms: ['linux/amd64', 'linux/arm64'],
      cacheFrom: ['type=gha', 'type=registry,ref=x/y:cache'],
      cacheTo: ['type=registry,ref=x/y:cache', 'type=inline'],
      outputs: ['type=oci,dest=x.tar', 'type=local,dest=out'],
      provenance: 'mode=min',
      sbom: 'false',
      annotations: ['a=b'],
      builder: 'x',
      archive: { path: '/x.tar', format: 'oci' },
    }).map((e) => e.message);
    expect(problems).toEqual([
      expect.stringMatching(/^Input "platforms": building 2 platforms needs buildx/),
      expect.stringMatching(/^Input "cache-from": cache type "gha" needs buildx/),
      expect.stringMatching(/^Input "cache-to": cache type "registry"/),
      expect.stringMatching(/^Input "outputs": output type "oci"/),
      expect.stringMatching(/^Input "outputs": replaces the image export/),
      expect.stringMatching(/^Input "provenance"/),
      expect.stringMatching(/^Input "annotations"/),
      expect.stringMatching(/^Input "builder"/),
    ]);
    expect(engineProblems(base)).toEqual([]);
    expect(engineProblems({ ...base, outputs: ['type=local,dest=out'], push: true }).map((e) => e.message)).toEqual([
      expect.stringMatching(/^Input "outputs": replaces the image export without buildx/),
    ]);
  });
});

const COLD = `#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s
#4 [build 1/3] FROM localhost/busybox:latest
#4 CACHED
#5 [build 2/3] COPY www/ www/
#5 DONE 0.0s
#6 [build 3/3] RUN make
#6 0.101 compiling
#6 DONE 0.3s
#7 [stage-1 2/2] COPY --from=build /a /a
#7 CACHED
#8 exporting to image
#8 DONE 0.0s`.split('\n');

const FAILED = `#5 [build 2/3] RUN echo fine
#5 0.120 fine
#5 DONE 0.1s
#6 [build 3/3] RUN ./configure
#6 0.101 checking things
#6 0.201 widget.conf is missing
#6 ERROR: executor failed running [/bin/sh -c ./configure]: exit code: 3
------
 > [build 3/3] RUN ./configure:
------
executor failed running [/bin/sh -c ./configure]: exit code: 3`.split('\n');

describe('BuildKit progress', () => {
  test('counts Dockerfile steps and cached ones, FROM and internal steps aside', () => {
    expect(readProgress(COLD)).toEqual({ steps: 3, cached: 1 });
  });

  test("a failure gives the step, its output and BuildKit's error", () => {
    expect(failureLines(FAILED)).toEqual([
      '[build 3/3] RUN ./configure',
      '  checking things',
      '  widget.conf is missing',
      '  executor failed running [/bin/sh -c ./configure]: exit code: 3',
    ]);
  });

  test('a failure before any step gives the error lines', () => {
    expect(
      failureLines([
        '#1 [internal] load build definition',
        'failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 3: unknown instruction: RUNN',
      ]),
    ).toEqual([
      'failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 3: unknown instruction: RUNN',
    ]);
  });

  test('the push digest is read for the pushed tag', () => {
    const lines = [
      'The push refers to repository [127.0.0.1:5000/a]',
      `v1: digest: sha256:${'a'.repeat(64)} size: 527`,
    ];
    expect(digestOf({ lines }, '127.0.0.1:5000/a:v1')).toBe(`sha256:${'a'.repeat(64)}`);
    expect(digestOf({ lines }, '127.0.0.1:5000/a:v2')).toBeUndefined();
  });
});

describe('choosing a docker client', () => {
  function fakeDocker(dir: string, version: string, buildx: boolean): string {
    mkdirSync(dir, { recursive: true });
    const script = `#!/bin/sh
case "$1" in
  --version) echo "Docker version ${version}, build abc123" ;;
  buildx) ${buildx ? 'echo "github.com/docker/buildx v0.17.1 abc"' : 'echo "docker: \'buildx\' is not a docker command." >&2; exit 1'} ;;
esac
`;
    writeFileSync(join(dir, 'docker'), script);
    chmodSync(join(dir, 'docker'), 0o755);
    return dir;
  }
  const root = mkdtempSync(join(tmpdir(), 'fake-docker-'));
  const newNoBuildx = fakeDocker(join(root, 'new'), '28.2.2', false);
  const old = fakeDocker(join(root, 'old'), '20.10.24+dfsg1', false);
  const withBuildx = fakeDocker(join(root, 'buildx'), '27.3.1', true);

  test('a newer client without buildx first on PATH does not hide an older one that works', async () => {
    expect(await findDocker(`${newNoBuildx}:${old}`)).toEqual({
      path: join(old, 'docker'),
      version: '20.10.24+dfsg1',
      buildx: undefined,
    });
  });

  test('a client with buildx is preferred', async () => {
    expect(await findDocker(`${old}:${withBuildx}`)).toMatchObject({
      path: join(withBuildx, 'docker'),
      buildx: 'v0.17.1',
    });
  });

  test('no usable client is a clear error', async () => {
    await expect(findDocker(newNoBuildx)).rejects.toThrow(
      /28\.2\.2\) needs the buildx plugin, which is missing; add docker\/setup-buildx-action/,
    );
    await expect(findDocker(join(root, 'nowhere'))).rejects.toThrow(/No docker client on PATH/);
  });
});

describe('pushing', () => {
  // A docker CLI whose pushes fail with the given lines until the Nth attempt, counted in a file.
  function flakyDocker(
    failures: number,
    failure: string,
  ): { client: { path: string; version: string }; calls: () => number } {
    const dir = mkdtempSync(join(tmpdir(), 'flaky-docker-'));
    const count = join(dir, 'count');
    writeFileSync(count, '0');
    writeFileSync(
      join(dir, 'docker'),
      `#!/bin/sh
n=$(($(cat ${count}) + 1)); echo $n > ${count}
if [ $n -le ${failures} ]; then echo "${failure}" >&2; exit 1; fi
echo "The push refers to repository [127.0.0.1:5000/app]"
echo "v1: digest: sha256:${'b'.repeat(64)} size: 527"
`,
    );
    chmodSync(join(dir, 'docker'), 0o755);
    return {
      client: { path: join(dir, 'docker'), version: '20.10.24' },
      calls: () => Number(readFileSync(count, 'utf8')),
    };
  }

  test('a 503 from the registry is retried and the digest of the successful push returned', async () => {
    const flaky = flakyDocker(2, 'received unexpected HTTP status: 503 Service Unavailable');
    const lines: string[] = [];
    const digest = await pushImage(flaky.client, '127.0.0.1:5000/app:v1', { baseMs: 10, log: (l) => lines.push(l) });
    expect(digest).toBe(`sha256:${'b'.repeat(64)}`);
    expect(flaky.calls()).toBe(3);
    expect(lines.filter((l) => /retry \d/.test(l))).toHaveLength(2);
  });

  test('a denied push is not retried', async () => {
    const flaky = flakyDocker(5, 'denied: requested access to the resource is denied');
    await expect(pushImage(flaky.client, '127.0.0.1:5000/app:v1', { baseMs: 10 })).rejects.toThrow(
      /docker push 127.0.0.1:5000\/app:v1 failed: denied: requested access to the resource is denied/,
    );
    expect(flaky.calls()).toBe(1);
  });
});
