import { retry, UserError } from '@deploy-actions/toolkit';
import type { DockerClient } from './client';
import { runTool, type ToolResult } from './exec';

/**
 * What happens to a built image in the engine: push each tag (with retries, since registries answer
 * 5xx and 429 under load: build-push-action #84, #974, #1522), read the registry digest the push
 * reports, save an archive, measure, and untag.
 */

const TRANSIENT =
  /\b(5\d\d|429)\b|toomanyrequests|too many requests|connection reset|unexpected EOF|\bEOF\b|i\/o timeout|TLS handshake timeout|broken pipe|service unavailable|bad gateway/i;

class PushError extends UserError {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface PushOptions {
  log?: (line: string) => void;
  attempts?: number;
  baseMs?: number;
  /** Per attempt; a push that hangs is stopped and tried again. */
  timeoutMs?: number;
  /** Stops the push (and its retries) on cancel or the step timeout. */
  signal?: AbortSignal;
}

/** Pushes one reference and returns the manifest digest the registry stored. */
export async function pushImage(client: DockerClient, ref: string, options: PushOptions = {}): Promise<string> {
  const log = options.log ?? (() => {});
  const result = await retry(
    async () => {
      const pushed = await runTool(client.path, ['push', ref], {
        onLine: log,
        timeoutMs: options.timeoutMs ?? 900_000,
        signal: options.signal,
      });
      if (pushed.stopped === 'cancelled') throw new PushError(`docker push ${ref} was cancelled`, false);
      if (pushed.stopped === 'timeout') throw new PushError(`docker push ${ref} hung and was stopped`, true);
      if (pushed.code !== 0) {
        const reason = pushed.lines
          .filter((l) => l.trim())
          .slice(-3)
          .join(' / ');
        throw new PushError(`docker push ${ref} failed: ${reason}`, TRANSIENT.test(reason));
      }
      return pushed;
    },
    {
      attempts: options.attempts ?? 4,
      baseMs: options.baseMs ?? 2000,
      onRetry: (error, attempt, delay) =>
        log(`${(error as Error).message}; retry ${attempt} in ${Math.round(delay / 1000)}s`),
      retryable: (error) => !options.signal?.aborted && Boolean((error as PushError).retryable),
    },
  );
  return digestOf(result, ref) ?? (await repoDigest(client, ref));
}

/** docker push ends with `<tag>: digest: sha256:... size: N`. */
export function digestOf(result: Pick<ToolResult, 'lines'>, ref: string): string | undefined {
  const tag = ref.slice(ref.lastIndexOf(':') + 1);
  for (const line of result.lines) {
    const m = /^(\S+): digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(line.trim());
    if (m && m[1] === tag) return m[2];
  }
  return undefined;
}

/** The digest the engine recorded for the repository, when the push output did not say. */
async function repoDigest(client: DockerClient, ref: string): Promise<string> {
  const repo = ref.slice(0, ref.lastIndexOf(':'));
  const inspected = await runTool(client.path, ['image', 'inspect', '--format', '{{json .RepoDigests}}', ref]);
  const digests = inspected.code === 0 ? (JSON.parse(inspected.stdout || '[]') as string[] | null) : [];
  const match = (digests ?? []).find((d) => d.startsWith(`${repo}@`));
  if (!match)
    throw new UserError(
      `docker push ${ref} succeeded but reported no digest, and the engine has none recorded for ${repo}`,
    );
  return match.slice(match.indexOf('@') + 1);
}

export async function imageSize(
  client: DockerClient,
  image: string,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const inspected = await runTool(client.path, ['image', 'inspect', '--format', '{{.Size}}', image], { signal });
  return inspected.code === 0 ? Number(inspected.stdout.trim()) : undefined;
}

/** `docker save`: a docker-archive tar (manifest.json, repositories, config and layer tars). */
export async function saveImage(
  client: DockerClient,
  refs: string[],
  path: string,
  signal?: AbortSignal,
): Promise<void> {
  const saved = await runTool(client.path, ['save', '--output', path, ...refs], { signal });
  if (saved.stopped)
    throw new UserError(
      `docker save to ${path} was ${saved.stopped === 'timeout' ? 'stopped at the step timeout' : 'cancelled'}`,
    );
  if (saved.code !== 0) throw new UserError(`docker save to ${path} failed: ${saved.lines.slice(-3).join(' / ')}`);
}

/** Removes the given references (untags; the layers stay while anything else uses them). */
export async function removeImages(client: DockerClient, refs: string[]): Promise<void> {
  if (refs.length) await runTool(client.path, ['image', 'rm', ...refs]);
}
