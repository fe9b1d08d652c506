import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { runAction } from '@deploy-actions/harness';
import { docker, exampleApp, fixture, imageExists, removeImages, repositoryPayload, services, unique } from './helpers';

const made: string[] = [];
afterAll(() => removeImages(made));

describe('build-image with the engine BuildKit', () => {
  test('builds examples/app from a tag push: metadata-action tags, OCI labels, loaded into the engine', async () => {
    const name = `localhost/${unique('build-image-app')}`;
    const result = await runAction('build-image', {
      inputs: {
        images: name,
        tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha',
        context: exampleApp,
        network: 'host',
        load: true,
      },
      github: { ref: 'refs/tags/v1.4.2', event: repositoryPayload },
    });
    made.push(`${name}:1.4.2`, `${name}:1.4`, `${name}:sha-a1b2c3d`, `${name}:latest`);
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.tags.split('\n')).toEqual([
      `${name}:1.4.2`,
      `${name}:1.4`,
      `${name}:sha-a1b2c3d`,
      `${name}:latest`,
    ]);
    expect(result.outputs.image).toBe(`${name}:1.4.2`);
    expect(result.outputs.version).toBe('1.4.2');

    const inspected = JSON.parse(docker('image', 'inspect', `${name}:latest`))[0];
    expect(inspected.Id).toBe(result.outputs['image-id']);
    const labels = inspected.Config.Labels;
    expect(labels['org.opencontainers.image.version']).toBe('1.4.2');
    expect(labels['org.opencontainers.image.revision']).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
    expect(labels['org.opencontainers.image.source']).toBe('https://github.com/acme/backend');
    expect(labels['org.opencontainers.image.licenses']).toBe('Apache-2.0');
    expect(result.outputs.labels).toContain('org.opencontainers.image.title=backend');
    expect(JSON.parse(result.outputs.metadata)['containerimage.config.digest']).toBe(result.outputs['image-id']);

    expect(result.summary).toContain(`${name}:1.4.2`);
    expect(result.summary).toMatch(/\d+ of \d+ steps cached/);
    expect(result.summary).toContain('Size');
    expect(result.log).toContain('#1 [internal] load build definition');
  });

  test("metadata-action's outputs: tag-names, json, annotations by level, custom separators, expanded labels", async () => {
    const name = `localhost/${unique('build-image-meta')}`;
    const result = await runAction('build-image', {
      inputs: {
        images: `${name}\n# a comment line\n${name}-off,enable=false`,
        tags: 'type=ref,event=branch\n#type=raw,value=commented-out\ntype=raw,value=extra',
        labels: 'built.from={{branch}}\nno-equals-here',
        context: fixture,
        network: 'host',
        secrets: 'token=abcdef',
        'sep-tags': ',',
        'sep-labels': ';',
        'sep-annotations': '|',
      },
      env: { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' },
      github: { ref: 'refs/heads/main', event: repositoryPayload },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs.tags).toBe(`${name}:main,${name}:extra`);
    expect(result.outputs['tag-names']).toBe('main,extra');
    expect(result.outputs.labels.split(';')).toContain('built.from=main');
    expect(result.outputs.labels).not.toContain('no-equals-here');
    expect(result.warnings).toContain('labels: "no-equals-here" has no "=" and is ignored');
    const annotations = result.outputs.annotations.split('|');
    expect(annotations).toContain('manifest:org.opencontainers.image.version=main');
    expect(annotations).toContain('index:org.opencontainers.image.version=main');
    const json = JSON.parse(result.outputs.json);
    expect(json.tags).toEqual([`${name}:main`, `${name}:extra`]);
    expect(json['tag-names']).toEqual(['main', 'extra']);
    expect(json.labels['built.from']).toBe('main');
    expect(json.annotations).toContain('index:org.opencontainers.image.title=backend');
    const bake = JSON.parse(readFileSync(result.outputs['bake-file'], 'utf8'));
    expect(bake.target['docker-metadata-action'].tags).toEqual([`${name}:main`, `${name}:extra`]);
    expect(bake.target['docker-metadata-action'].labels['built.from']).toBe('main');
    const bakeAnnotations = JSON.parse(readFileSync(result.outputs['bake-file-annotations'], 'utf8'));
    expect(bakeAnnotations.target['docker-metadata-action'].annotations).toContain(
      'index:org.opencontainers.image.version=main',
    );
    // Not pushed and no OCI archive: no digest is known, so no image-ref.
    expect(result.outputs['image-ref']).toBe('');
  });

  test('multi-stage fixture: target stage, build args, secrets masked, and the cache on a rebuild', async () => {
    const name = `localhost/${unique('build-image-multi')}`;
    const token = `tok-${unique('secret')}`;
    const nonce = unique('nonce');
    const inputs = {
      images: name,
      tags: 'type=raw,value=ci',
      context: fixture,
      network: 'host',
      'build-args': `NONCE=${nonce}`,
      secrets: `token=${token}`,
      load: true,
    };
    made.push(`${name}:ci`);
    const first = await runAction('build-image', { inputs, secrets: [token] });
    expect(first.errors).toEqual([]);
    // The RUN step echoes the secret: the action's masking turns it into *** in the log.
    expect(first.log).toMatch(/token is \*\*\*/);
    expect(first.summary).toContain('Build secrets');
    const firstCache = /(\d+) of (\d+) steps cached/.exec(first.summary);
    expect(firstCache).not.toBeNull();
    expect(Number(firstCache![1])).toBeLessThan(Number(firstCache![2]));
    expect(docker('run', '--rm', '--network', 'host', `${name}:ci`, 'cat', '/app/nonce.txt')).toBe(
      `built with nonce ${nonce}`,
    );
    expect(docker('run', '--rm', '--network', 'host', `${name}:ci`, 'cat', '/app/token-length')).toBe(
      String(token.length),
    );

    const second = await runAction('build-image', { inputs, secrets: [token] });
    expect(second.errors).toEqual([]);
    const secondCache = /(\d+) of (\d+) steps cached/.exec(second.summary)!;
    expect(Number(secondCache[1])).toBe(Number(secondCache[2]));
    expect(Number(secondCache[1])).toBeGreaterThan(Number(firstCache![1]));
    // The rebuild differs only in its created label, so the old image is left dangling: remove it too.
    made.push(first.outputs['image-id']);

    const target = await runAction('build-image', {
      inputs: { ...inputs, target: 'build', tags: 'type=raw,value=build-stage' },
      secrets: [token],
    });
    made.push(`${name}:build-stage`);
    expect(target.errors).toEqual([]);
    expect(docker('run', '--rm', '--network', 'host', `${name}:build-stage`, 'cat', '/src/greeting.txt')).toBe(
      'hello from the fixture',
    );
  });

  test('a pull request is tagged pr-N; pr-head-sha labels it with its head commit, not the merge commit', async () => {
    const name = `localhost/${unique('build-image-pr')}`;
    const head = 'f00dfeed00112233445566778899aabbccddeeff';
    const result = await runAction('build-image', {
      inputs: {
        images: name,
        tags: 'type=ref,event=pr\ntype=sha',
        context: fixture,
        network: 'host',
        secrets: 'token=abcdef',
        'pr-head-sha': true,
      },
      github: {
        eventName: 'pull_request',
        ref: 'refs/pull/42/merge',
        event: { ...repositoryPayload, number: 42, pull_request: { number: 42, head: { sha: head, ref: 'feature' } } },
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs.tags.split('\n')).toEqual([`${name}:pr-42`, `${name}:sha-f00dfee`]);
    expect(result.outputs.labels).toContain(`org.opencontainers.image.revision=${head}`);
    expect(result.outputs.version).toBe('pr-42');
  });

  test('without load the tags it made are removed from the engine afterwards', async () => {
    const name = `localhost/${unique('build-image-noload')}`;
    const result = await runAction('build-image', {
      inputs: { images: name, tags: 'type=raw,value=x', context: fixture, network: 'host', secrets: 'token=abcdef' },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs['image-id']).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(imageExists(`${name}:x`)).toBe(false);
    expect(result.summary).toContain('built only');
  });

  test('pushes every tag of every image; digest is the registry manifest digest, image-ref name@digest', async () => {
    const base = unique('build-image');
    const repos = [`${base}/app`, `${base}/mirror`];
    const names = repos.map((repo) => `${services.registry}/${repo}`);
    const result = await runAction('build-image', {
      inputs: {
        images: names.join('\n'),
        tags: 'type=ref,event=branch\ntype=sha',
        context: fixture,
        network: 'host',
        secrets: 'token=abcdef',
        push: true,
        'latest-on-default-branch': true,
      },
      github: { ref: 'refs/heads/main', event: repositoryPayload },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs.tags.split('\n')).toEqual(
      names.flatMap((name) => [`${name}:main`, `${name}:sha-a1b2c3d`, `${name}:latest`]),
    );
    expect(result.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(result.outputs['image-ref']).toBe(`${names[0]}@${result.outputs.digest}`);
    const pushed = JSON.parse(result.outputs.metadata)['pushed.digests'] as Record<string, string>;
    for (const [index, repo] of repos.entries()) {
      for (const tag of ['main', 'sha-a1b2c3d', 'latest']) {
        const response = await fetch(`http://${services.registry}/v2/${repo}/manifests/${tag}`, {
          method: 'HEAD',
          headers: {
            accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
          },
        });
        expect(response.status).toBe(200);
        const registryDigest = response.headers.get('docker-content-digest');
        expect(pushed[`${names[index]}:${tag}`]).toBe(registryDigest);
        expect(registryDigest).toBe(result.outputs.digest);
      }
    }
    expect(JSON.parse(result.outputs.metadata)['containerimage.digest']).toBe(result.outputs.digest);
    expect(result.summary).toContain(result.outputs.digest);
    expect(result.summary).toContain(`pushed to ${services.registry}`);
    expect(imageExists(`${names[0]}:main`)).toBe(false);
  });

  test('writes a docker-archive (manifest.json with the tags) for push-registry', async () => {
    const name = `localhost/${unique('build-image-archive')}`;
    const dir = mkdtempSync(join(tmpdir(), 'build-image-archive-'));
    const archive = join(dir, 'image.tar');
    const token = unique('file-secret');
    writeFileSync(join(dir, 'token.txt'), `${token}\n`);
    const result = await runAction('build-image', {
      inputs: {
        images: name,
        tags: 'type=raw,value=v1\ntype=raw,value=v1.0',
        context: fixture,
        network: 'host',
        'build-args': `NONCE=${unique('nonce')}`,
        'secret-files': 'token=token.txt',
        'output-archive': archive,
      },
      workspace: dir,
      secrets: [token],
    });
    expect(result.errors).toEqual([]);
    // The secret file's content is masked like a `secrets` value.
    expect(result.log).toMatch(/token is \*\*\*/);
    expect(existsSync(archive)).toBe(true);
    const entries = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n');
    expect(entries).toContain('manifest.json');
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }));
    expect(manifest[0].RepoTags.sort()).toEqual([`${name}:v1`, `${name}:v1.0`]);
    expect(`sha256:${manifest[0].Config.replace(/\.json$/, '')}`).toBe(result.outputs['image-id']);
    expect(result.summary).toContain('docker-archive');
    // A docker-archive has no manifest digest yet (it is made when the layers are compressed and pushed).
    expect(result.outputs['image-ref']).toBe('');
    expect(imageExists(`${name}:v1`)).toBe(false);
  });

  test('writes an OCI image layout tar without buildx, readable by skopeo', async () => {
    const name = `localhost/${unique('build-image-oci')}`;
    const dir = mkdtempSync(join(tmpdir(), 'build-image-oci-'));
    const archive = join(dir, 'image.oci.tar');
    const result = await runAction('build-image', {
      inputs: {
        images: name,
        tags: 'type=raw,value=v2\ntype=raw,value=v2.1',
        context: fixture,
        network: 'host',
        secrets: 'token=abcdef',
        'output-archive': archive,
        'archive-format': 'oci',
      },
    });
    expect(result.errors).toEqual([]);
    const entries = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n');
    expect(entries).toEqual(expect.arrayContaining(['oci-layout', 'index.json']));
    const index = JSON.parse(execFileSync('tar', ['-xOf', archive, 'index.json'], { encoding: 'utf8' }));
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations)).toEqual([
      { 'io.containerd.image.name': `${name}:v2`, 'org.opencontainers.image.ref.name': 'v2' },
      { 'io.containerd.image.name': `${name}:v2.1`, 'org.opencontainers.image.ref.name': 'v2.1' },
    ]);
    const manifestDigest = index.manifests[0].digest as string;
    const manifest = JSON.parse(
      execFileSync('tar', ['-xOf', archive, `blobs/sha256/${manifestDigest.slice(7)}`], { encoding: 'utf8' }),
    );
    expect(manifest.config.digest).toBe(result.outputs['image-id']);
    // skopeo verifies every blob against its digest as it reads the layout.
    const inspected = JSON.parse(
      execFileSync('skopeo', ['inspect', `oci-archive:${archive}:v2.1`], { encoding: 'utf8' }),
    );
    expect(inspected.Digest).toBe(manifestDigest);
    expect(result.outputs['image-ref']).toBe(`${name}@${manifestDigest}`);
    expect(inspected.Labels['org.opencontainers.image.title']).toBe('backend');
    execFileSync('skopeo', ['copy', '--quiet', `oci-archive:${archive}:v2`, `dir:${join(dir, 'copied')}`]);
    expect(result.summary).toContain('OCI image layout');
  });

  test("a failing build reports the failing step's own error lines", async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'build-image-fail-'));
    writeFileSync(
      join(workspace, 'Dockerfile'),
      `FROM ${services.baseImage}\nRUN echo fine\nRUN echo "widget.conf is missing" >&2 && exit 3\n`,
    );
    const result = await runAction('build-image', {
      inputs: { images: `localhost/${unique('build-image-fail')}`, tags: 'x', network: 'host' },
      workspace,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('The build failed');
    expect(result.errors[0]).toContain('RUN echo "widget.conf is missing"');
    expect(result.errors[0]).toContain('widget.conf is missing');
    expect(result.errors[0]).toMatch(/exit code: 3/);
    // The lifecycle's report still runs: what the tags were, and a summary that says nothing was built.
    expect(result.outputs['tag-names']).toBe('x');
    expect(result.outputs['image-ref']).toBeUndefined();
    expect(result.summary).toMatch(/was not built/);
    expect(result.summary).toContain('The build failed');
  });

  test('without images the tags output lists the bare tags (as metadata-action does)', async () => {
    const result = await runAction('build-image', {
      inputs: { tags: 'type=ref,event=branch\ntype=sha', context: fixture, network: 'host', secrets: 'token=abcdef' },
      github: { ref: 'refs/heads/main', event: repositoryPayload },
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs.tags).toBe('main\nsha-a1b2c3d');
    expect(result.outputs.image).toBe('');
    expect(result.outputs['image-id']).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  test('metadata-context git: tags from the checked-out tag, not the event', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'build-image-git-'));
    writeFileSync(join(workspace, 'Dockerfile'), `FROM ${services.baseImage}\n`);
    const gitEnv = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
    };
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: workspace, env: gitEnv, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('add', 'Dockerfile');
    git('commit', '-q', '-m', 'one');
    git('tag', 'v2.7.1');
    git('checkout', '-q', '--detach', 'v2.7.1');
    const name = `localhost/${unique('build-image-git')}`;
    const result = await runAction('build-image', {
      inputs: {
        images: name,
        tags: 'type=semver,pattern={{version}}\ntype=sha',
        network: 'host',
        'metadata-context': 'git',
      },
      workspace,
      github: { ref: 'refs/heads/main', event: repositoryPayload },
    });
    expect(result.errors).toEqual([]);
    const sha = git('rev-parse', 'HEAD');
    expect(result.outputs['tag-names'].split('\n')).toEqual(['2.7.1', `sha-${sha.slice(0, 7)}`, 'latest']);
    expect(result.outputs.labels).toContain(`org.opencontainers.image.revision=${sha}`);
  });

  test('repository description and license from a (loopback) GitHub API when the payload lacks them', async () => {
    const requests: string[] = [];
    const api = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          name: 'backend',
          description: 'From the API',
          html_url: 'https://github.com/acme/backend',
          default_branch: 'main',
          license: { spdx_id: 'MIT' },
        }),
      );
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    try {
      const token = `gh-${unique('tok')}`;
      const result = await runAction('build-image', {
        inputs: {
          images: `localhost/${unique('build-image-api')}`,
          tags: 'x',
          context: fixture,
          network: 'host',
          secrets: 'token=abcdef',
          'github-token': token,
        },
        env: { GITHUB_API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}` },
        github: { eventName: 'schedule', event: {} },
        secrets: [token],
      });
      expect(result.errors).toEqual([]);
      expect(requests).toEqual([`GET /repos/acme/backend Bearer ${token}`]);
      expect(result.outputs.labels).toContain('org.opencontainers.image.description=From the API');
      expect(result.outputs.labels).toContain('org.opencontainers.image.licenses=MIT');
    } finally {
      api.close();
    }
  });
});

describe('build-image stops long builds', () => {
  function sleepyWorkspace(): string {
    const workspace = mkdtempSync(join(tmpdir(), 'build-image-sleep-'));
    writeFileSync(join(workspace, 'Dockerfile'), `FROM ${services.baseImage}\nRUN echo ${unique('n')} && sleep 30\n`);
    return workspace;
  }

  test('a build past its timeout is stopped and fails naming the timeout', async () => {
    const name = `localhost/${unique('build-image-slow')}`;
    const result = await runAction('build-image', {
      inputs: { images: name, tags: 'x', network: 'host', timeout: '3s', load: true },
      workspace: sleepyWorkspace(),
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(/The build did not finish within 3\.0s: stopped it \(raise "timeout"/);
    expect(result.durationMs).toBeLessThan(20_000);
    expect(imageExists(`${name}:x`)).toBe(false);
  });

  test('cancelling the step cancels the build', async () => {
    const name = `localhost/${unique('build-image-cancel')}`;
    const result = await runAction('build-image', {
      inputs: { images: name, tags: 'x', network: 'host', load: true },
      workspace: sleepyWorkspace(),
      cancelOnLine: /RUN echo n-.* && sleep 30/,
    });
    expect(result.cancelled).toBe(true);
    expect(result.errors[0]).toBe('The build was cancelled');
    expect(result.durationMs).toBeLessThan(20_000);
    expect(imageExists(`${name}:x`)).toBe(false);
  });
});

describe('build-image with buildx (a stand-in CLI, since buildx is not installed here)', () => {
  test('passes the buildx options through and takes the digest from --metadata-file', async () => {
    const fakeDir = join(import.meta.dirname, 'fixtures', 'fake-buildx');
    const argsLog = join(mkdtempSync(join(tmpdir(), 'fake-buildx-')), 'args');
    const token = `tok-${unique('bx')}`;
    const result = await runAction('build-image', {
      inputs: {
        images: 'ghcr.io/acme/api',
        tags: 'type=ref,event=branch',
        context: fixture,
        platforms: 'linux/amd64,linux/arm64',
        'cache-from': 'type=gha',
        'cache-to': 'type=gha,mode=max',
        provenance: 'mode=max',
        secrets: `token=${token}`,
        push: true,
        'latest-on-default-branch': true,
      },
      env: { PATH: `${fakeDir}:${process.env.PATH}`, FAKE_BUILDX_LOG: argsLog },
      github: { ref: 'refs/heads/main', event: repositoryPayload },
      secrets: [token],
    });
    expect(result.errors).toEqual([]);
    const args = readFileSync(argsLog, 'utf8').trim().split('\n');
    const joined = args.join(' ');
    for (const part of [
      '--platform linux/amd64,linux/arm64',
      '--cache-from type=gha',
      '--cache-to type=gha,mode=max',
      '--provenance=mode=max',
      '--push',
      '--tag ghcr.io/acme/api:main',
      '--tag ghcr.io/acme/api:latest',
    ])
      expect(joined).toContain(part);
    expect(joined).not.toContain(token);
    expect(result.log).toContain('secret ***');
    expect(result.outputs.digest).toBe(`sha256:${'0'.repeat(63)}2`);
    expect(result.outputs['image-id']).toBe(`sha256:${'0'.repeat(63)}1`);
    expect(JSON.parse(result.outputs.metadata)['image.name']).toBe('ghcr.io/acme/api:main');
    expect(result.summary).toContain('buildx v0.17.1');
    expect(result.summary).toContain('1 of 2 steps cached');
  });
});

describe('build-image forwards ssh', () => {
  test('a key file given as ssh reaches RUN --mount=type=ssh as an agent socket', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'build-image-ssh-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(workspace, 'deploy_key')]);
    writeFileSync(
      join(workspace, 'Dockerfile'),
      `FROM ${services.baseImage}\nRUN --mount=type=ssh echo ${unique('n')} && test -S "$SSH_AUTH_SOCK" && echo "agent socket present"\n`,
    );
    const result = await runAction('build-image', {
      inputs: { ssh: `default=${join(workspace, 'deploy_key')}`, network: 'host' },
      workspace,
    });
    expect(result.errors).toEqual([]);
    // No images given: the build is untagged; its ID is unique to this test, so remove it by ID.
    made.push(result.outputs['image-id']);
    expect(result.log).toContain('agent socket present');
  });
});
