import {
  exclusive,
  getBoolean,
  getDuration,
  getInteger,
  getMatching,
  getString,
  getUrl,
  InputError,
  registerSecret,
} from '@deploy-actions/toolkit';
import { parseHookUrl } from '@deploy-actions/render';

/**
 * Every input of trigger-render-hook, read and checked before anything is sent: a bad value fails with
 * one line naming the input. The hook URL and the API key are secrets: masked as soon as they are read
 * and never quoted back, not even in these errors.
 */

export interface Inputs {
  /** The deploy hook, when the deploy is triggered by hook. */
  hookUrl?: URL;
  serviceId: string;
  /** Present when the Render API may be used (to trigger, or only to wait). */
  api?: { url: string; key: string };
  imageUrl?: string;
  commit?: string;
  clearCache: boolean;
  wait: boolean;
  timeoutMs: number;
  cancelOnTimeout: boolean;
  pollIntervalMs: number;
  health?: { path?: string; url?: string; status: number; attempts: number; intervalMs: number };
  rollbackOnFailure: boolean;
}

const SERVICE_ID = /^srv-[a-z0-9]{4,40}$/;
const COMMIT = /^[0-9a-f]{7,40}$/i;
/** registry[:port]/path/name, then a tag, a digest, or both (Docker's reference grammar, lower-case names). */
const IMAGE =
  /^(?:[a-z0-9]([a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http to this machine only (local proxies and tests): a hook or key must never cross a network in clear. */
function checkTransport(name: string, url: URL): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return;
  throw new InputError(name, `the URL uses ${url.protocol} to ${url.hostname}`, 'use an https:// URL');
}

export function getInputs(): Inputs {
  const hookUrl = getUrl('deploy-hook-url', { secret: true });
  const apiKey = getString('api-key', { secret: true });
  const serviceInput = getMatching('service-id', SERVICE_ID, 'a Render service ID like srv-d0abc123xyz');
  const apiUrl = getUrl('api-url');
  const imageUrl = getString('image-url');
  const commit = getMatching('commit', COMMIT, 'a commit SHA of 7 to 40 hex digits');
  const clearCache = getBoolean('clear-cache') ?? false;
  const waitInput = getBoolean('wait');
  const timeoutMs = getDuration('timeout', { min: 1000, max: 6 * 3_600_000 }) ?? 30 * 60_000;
  const cancelOnTimeout = getBoolean('cancel-on-timeout') ?? true;
  const pollIntervalMs = getDuration('poll-interval', { min: 100, max: 5 * 60_000 }) ?? 10_000;
  const healthPath = getString('health-path');
  const healthUrl = getUrl('health-url');
  const healthStatus = getInteger('health-status', { min: 100, max: 599 }) ?? 200;
  const healthAttempts = getInteger('health-retries', { min: 1, max: 100 }) ?? 10;
  const healthIntervalMs = getDuration('health-interval', { min: 100, max: 10 * 60_000 }) ?? 5000;
  const rollbackOnFailure = getBoolean('rollback-on-failure') ?? false;

  let hookServiceId: string | undefined;
  if (hookUrl) {
    checkTransport('deploy-hook-url', hookUrl);
    const hook = parseHookUrl(hookUrl);
    if (!hook)
      throw new InputError(
        'deploy-hook-url',
        'is not a Render deploy hook URL',
        'copy the Deploy Hook from the service Settings (https://api.render.com/deploy/srv-...?key=...)',
      );
    registerSecret(hook.key);
    hookServiceId = hook.serviceId;
  }
  if (apiKey && /\s/.test(apiKey))
    throw new InputError('api-key', 'contains white space or a line break', 'paste the API key alone into the secret');
  if (!hookUrl && !apiKey)
    throw new InputError(
      'deploy-hook-url',
      'is missing, and so is "api-key"',
      'set deploy-hook-url, or api-key with service-id',
    );
  if (hookServiceId && serviceInput && serviceInput !== hookServiceId)
    throw new InputError(
      'service-id',
      `"${serviceInput}" is not the service of deploy-hook-url`,
      'give the ID of the service the hook belongs to, or leave service-id empty',
    );
  const serviceId = serviceInput ?? hookServiceId;
  if (!serviceId)
    throw new InputError('service-id', 'is required when "api-key" is set', 'set the ID of the service (srv-...)');
  if (apiUrl) checkTransport('api-url', apiUrl);

  if (imageUrl !== undefined && !IMAGE.test(imageUrl))
    throw new InputError(
      'image-url',
      `"${imageUrl}" is not an image reference`,
      'write it like docker.io/acme/api:1.2.3 or ghcr.io/acme/api@sha256:<digest>',
    );
  if (imageUrl !== undefined && !/:[\w][\w.-]*$|@sha256:/.test(imageUrl.replace(/^[^/]*\//, '')))
    throw new InputError(
      'image-url',
      `"${imageUrl}" has no tag or digest`,
      'add the tag (:1.2.3) or digest (@sha256:...)',
    );
  exclusive({ 'image-url': imageUrl, commit });
  if (clearCache && hookUrl)
    throw new InputError(
      'clear-cache',
      'cannot be used with a deploy hook',
      'trigger with api-key and service-id instead',
    );

  const wait = waitInput ?? Boolean(apiKey);
  const needsApi = (name: string, value: unknown) => {
    if (value && !apiKey) throw new InputError(name, 'needs the Render API to follow the deploy', 'set api-key too');
    if (value && !wait)
      throw new InputError(name, 'only applies when the action waits for the deploy', 'remove wait: false');
  };
  needsApi('wait', waitInput);
  exclusive({ 'health-path': healthPath, 'health-url': healthUrl });
  if (healthPath !== undefined && !healthPath.startsWith('/'))
    throw new InputError('health-path', `"${healthPath}" does not start with "/"`, 'write a path such as /healthz');
  if (healthUrl) checkTransport('health-url', healthUrl);
  needsApi('health-path', healthPath);
  needsApi('health-url', healthUrl);
  needsApi('rollback-on-failure', rollbackOnFailure);

  return {
    hookUrl,
    serviceId,
    api: apiKey ? { url: (apiUrl ?? new URL('https://api.render.com/v1')).toString(), key: apiKey } : undefined,
    imageUrl,
    commit,
    clearCache,
    wait,
    timeoutMs,
    cancelOnTimeout,
    pollIntervalMs,
    health:
      healthPath || healthUrl
        ? {
            path: healthPath,
            url: healthUrl?.toString(),
            status: healthStatus,
            attempts: healthAttempts,
            intervalMs: healthIntervalMs,
          }
        : undefined,
    rollbackOnFailure,
  };
}
