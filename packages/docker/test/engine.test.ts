import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DockerEngine, dockerEnv, dockerHost, EngineError, engineTarget, findDockerCli } from '../src';

/** The engine layer without a daemon: DOCKER_HOST parsing, the CLI on PATH, and the API against a fake engine. */

describe('the daemon address', () => {
  test('DOCKER_HOST, else the default socket', () => {
    expect(dockerHost({})).toBe('unix:///var/run/docker.sock');
    expect(dockerHost({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBe('tcp://127.0.0.1:2375');
    expect(engineTarget('unix:///run/user/1000/docker.sock')).toEqual({ socketPath: '/run/user/1000/docker.sock' });
    expect(engineTarget('tcp://127.0.0.1:2376')).toEqual({ host: '127.0.0.1', port: 2376 });
    expect(engineTarget('tcp://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 2375 });
    expect(() => engineTarget('ssh://user@host')).toThrow(EngineError);
  });
  test('children keep DOCKER_HOST and lose the step inputs', () => {
    const env = dockerEnv({ PATH: '/bin', INPUT_SECRETS: 'x', STATE_TEMP: 'y', DOCKER_HOST: 'tcp://127.0.0.1:1' });
    expect(env).toEqual({ PATH: '/bin', DOCKER_HOST: 'tcp://127.0.0.1:1' });
  });
});

describe('the docker CLI on PATH', () => {
  test('the first docker that answers, wherever it lives (not /usr/bin/docker)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'docker-cli-'));
    const broken = join(root, 'broken');
    const good = join(root, 'good');
    mkdirSync(broken);
    mkdirSync(good);
    writeFileSync(join(broken, 'docker'), '#!/bin/sh\nexit 3\n');
    writeFileSync(join(good, 'docker'), '#!/bin/sh\necho "Docker version 27.3.1, build ce12230"\n');
    chmodSync(join(broken, 'docker'), 0o755);
    chmodSync(join(good, 'docker'), 0o755);
    const client = await findDockerCli(`${broken}:${good}`);
    expect(client).toEqual({ path: join(good, 'docker'), version: '27.3.1' });
    await expect(findDockerCli(root)).rejects.toThrow(/No docker client on PATH/);
  });
});

describe('the engine API (a fake engine on a unix socket)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fake-engine-'));
  const socket = join(dir, 'docker.sock');
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url === '/images/app%3A1/json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Id: 'sha256:abc', RepoTags: ['app:1'], RepoDigests: [], Size: 42 }));
    } else if (req.url === '/images/get?names=app%3A1') res.end('TARBYTES');
    else {
      res.statusCode = 404;
      res.end('{"message":"No such image"}');
    }
  });
  beforeAll(() => new Promise<void>((resolve) => server.listen(socket, resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('inspect and export over DOCKER_HOST', async () => {
    const engine = new DockerEngine({ DOCKER_HOST: `unix://${socket}` });
    expect((await engine.inspectImage('app:1')).Size).toBe(42);
    const file = join(dir, 'out.tar');
    await engine.exportImage('app:1', file);
    expect(readFileSync(file, 'utf8')).toBe('TARBYTES');
    await expect(engine.inspectImage('missing:1')).rejects.toThrow(/has no image missing:1/);
    expect(requests).toEqual([
      'GET /images/app%3A1/json',
      'GET /images/get?names=app%3A1',
      'GET /images/missing%3A1/json',
    ]);
    expect(engine.childEnv().DOCKER_HOST).toBe(`unix://${socket}`);
  });
  test('an engine that is not there says so, naming the address', async () => {
    const engine = new DockerEngine({ DOCKER_HOST: `unix://${join(dir, 'nothing.sock')}` });
    await expect(engine.inspectImage('app:1')).rejects.toThrow(
      /cannot reach the Docker engine at unix:\/\/.*nothing\.sock \(ENOENT\)/,
    );
  });
});
