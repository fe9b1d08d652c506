import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { DockerEngine } from '@deploy-actions/docker/engine';
import { docker, dockerAvailable, dockerCli } from '../src/cloudrun-runtime';

/**
 * The emulators' containers go through the suite's one engine layer (packages/docker), never a hard-coded
 * /usr/bin/docker: the first docker on PATH that answers runs them (running needs no buildx, so a new client
 * without the plugin is as good as any), with the daemon at DOCKER_HOST. No daemon needed: a stand-in client
 * records its calls.
 */

function fakeDocker(version: string): { bin: string; log: string } {
  const root = mkdtempSync(join(tmpdir(), 'emulator-docker-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const log = join(root, 'calls');
  writeFileSync(
    join(bin, 'docker'),
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Docker version ${version}, build abc1234"; exit 0; fi\n` +
      `echo "$* DOCKER_HOST=$DOCKER_HOST INPUT=$INPUT_SECRET" >> "${log}"\necho '{"ok":true}'\n`,
  );
  chmodSync(join(bin, 'docker'), 0o755);
  return { bin, log };
}

describe('the emulators reach Docker through DockerEngine', () => {
  test('the first docker on PATH runs the containers, with DOCKER_HOST and without the step inputs', async () => {
    // 28.x without buildx cannot build, but it runs containers: the runtime must not skip it for /usr/bin/docker.
    const { bin, log } = fakeDocker('28.2.2');
    const socket = join(mkdtempSync(join(tmpdir(), 'emulator-sock-')), 'docker.sock');
    writeFileSync(socket, '');
    const engine = new DockerEngine({
      PATH: `${bin}:/usr/bin:/bin`,
      DOCKER_HOST: `unix://${socket}`,
      INPUT_SECRET: 'hunter2',
    });
    expect(dockerAvailable(engine)).toBe(true);
    expect((await dockerCli(engine)).path).toBe(join(bin, 'docker'));
    const result = await docker(['image', 'inspect', 'app:1'], 10_000, engine);
    expect(result).toEqual({ code: 0, stdout: '{"ok":true}\n', stderr: '' });
    expect(readFileSync(log, 'utf8')).toBe(`image inspect app:1 DOCKER_HOST=unix://${socket} INPUT=\n`);
  });

  test('no Docker: no client on PATH, or no socket at DOCKER_HOST', async () => {
    const { bin } = fakeDocker('20.10.24');
    const empty = mkdtempSync(join(tmpdir(), 'emulator-nodocker-'));
    const noClient = new DockerEngine({ PATH: empty, DOCKER_HOST: 'unix:///var/run/docker.sock' });
    expect(dockerAvailable(noClient)).toBe(false);
    const result = await docker(['ps'], 10_000, noClient);
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/No docker client on PATH/);
    expect(dockerAvailable(new DockerEngine({ PATH: bin, DOCKER_HOST: `unix://${join(empty, 'none.sock')}` }))).toBe(
      false,
    );
    expect(dockerAvailable(new DockerEngine({ PATH: bin, DOCKER_HOST: 'ssh://user@127.0.0.1' }))).toBe(false);
  });
});
