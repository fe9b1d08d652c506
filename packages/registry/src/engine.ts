/**
 * The local Docker engine, over its HTTP API on the socket DOCKER_HOST names (unix:///var/run/docker.sock
 * by default, or tcp://host:port without TLS): inspecting an image and exporting it as a `docker save`
 * archive streamed to a file. Talking to the API directly avoids depending on which docker CLI is first on
 * PATH and on its version.
 */
import { createWriteStream } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { pipeline } from 'node:stream/promises';

export class EngineError extends Error {
  override name = 'EngineError';
}

export interface EngineImage {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Size: number;
  RootFS?: { Layers?: string[] };
}

function target(dockerHost = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock') {
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  if (dockerHost.startsWith('tcp://') || dockerHost.startsWith('http://')) {
    const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new EngineError(`DOCKER_HOST ${dockerHost} is not a unix:// or tcp:// address`);
}

function get(path: string, dockerHost?: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target(dockerHost), path, method: 'GET', headers: { host: 'docker' } }, resolve);
    req.on('error', (error) =>
      reject(
        new EngineError(
          `cannot reach the Docker engine (${(error as { code?: string }).code ?? error.message}); is it running?`,
        ),
      ),
    );
    req.end();
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function inspectImage(name: string, dockerHost?: string): Promise<EngineImage> {
  const res = await get(`/images/${encodeURIComponent(name)}/json`, dockerHost);
  const text = await readAll(res);
  if (res.statusCode === 404)
    throw new EngineError(
      `the local Docker engine has no image ${name}; build or load it first (docker images lists what it has)`,
    );
  if (res.statusCode !== 200)
    throw new EngineError(`the Docker engine answered ${res.statusCode} inspecting ${name}: ${text.trim()}`);
  return JSON.parse(text) as EngineImage;
}

/**
 * `docker save NAME > file` through the engine API, streamed. (packages/docker's `saveImage` runs the
 * docker CLI for build-image; this one needs no client on PATH.)
 */
export async function exportImage(name: string, file: string, dockerHost?: string): Promise<void> {
  const res = await get(`/images/get?names=${encodeURIComponent(name)}`, dockerHost);
  if (res.statusCode !== 200)
    throw new EngineError(
      `the Docker engine answered ${res.statusCode} exporting ${name}: ${(await readAll(res)).trim()}`,
    );
  await pipeline(res, createWriteStream(file));
}
