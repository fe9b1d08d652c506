import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { readServices } from '@deploy-actions/harness';
import { DockerEngine } from '../src';

/** The engine layer against the real daemon the suite's services started (DOCKER_HOST from services.env). */

const services = readServices();

describe('DockerEngine against the local daemon', () => {
  test('finds a client on PATH, inspects and exports the base image over the API', async () => {
    const engine = new DockerEngine({ ...process.env, DOCKER_HOST: services.dockerHost });
    const client = await engine.client();
    expect(client.version).toMatch(/^\d+\.\d+/);
    const image = await engine.inspectImage(services.baseImage);
    expect(image.Id).toMatch(/^sha256:[a-f0-9]{64}$/);
    const file = join(mkdtempSync(join(tmpdir(), 'engine-export-')), 'busybox.tar');
    await engine.exportImage(services.baseImage, file);
    expect(statSync(file).size).toBeGreaterThan(image.Size / 4);
  });
});
