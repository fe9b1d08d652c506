import { hookRequestUrl, parseHookUrl, SERVICE_ID } from '@deploy-actions/render';
import {
  assertPathSegment,
  checkCredentialUrl,
  checkProbeUrl,
  exclusive,
  type Inputs,
  InputError,
  registerSecret,
} from '@deploy-actions/toolkit';
import { BadReferenceError, parseReference } from '../../../packages/registry/src/reference';
import type { manifest } from './manifest';

/**
 * The checks across inputs, after the manifest's reader has parsed each one: which trigger, where the
 * credentials may go, which service, what to deploy, and what waiting needs. Everything is checked
 * before anything is sent; a bad value fails with one line naming the input. The result is a plan whose
 * branches (hook or API trigger; waiting or not) carry exactly what they need, so nothing downstream
 * unwraps an optional.
 */

export interface Api {
  url: string;
  key: string;
}

export type Trigger = { kind: 'hook'; hookUrl: URL } | { kind: 'api'; api: Api; clearCache: boolean };

export interface Health {
  url?: string;
  path?: string;
  status: number;
  attempts: number;
  intervalMs: number;
}

/** Present when the action follows the deploy, which needs the API. */
export interface Watch {
  api: Api;
  timeoutMs: number;
  cancelOnTimeout: boolean;
  pollIntervalMs: number;
  health?: Health;
  rollbackOnFailure: boolean;
}

export interface Plan {
  trigger: Trigger;
  serviceId: string;
  /** The API, when a key was given (to check the service first and settle a lost trigger answer). */
  api?: Api;
  imageUrl?: string;
  commit?: string;
  watch?: Watch;
  timeoutMs: number;
}

/** Longer than any deploy hook Render hands out (about 80 characters): refuse before Render answers a raw 414. */
const HOOK_MAX_LENGTH = 2048;
const API_KEY_MAX_LENGTH = 512;

/**
 * A URL that carries a credential, from its raw text: refused whole when it holds white space or control
 * characters (a URL parser would drop newlines and tabs and send what is left), or is too long; then the
 * suite's rule (https, or http to loopback; never metadata or link-local). Never quoted back.
 */
function credentialUrl(text: string, input: string, maxLength: number): URL {
  if (/[\s\p{Cc}]/u.test(text))
    throw new InputError(input, 'contains white space or a line break', 'paste the URL alone, on one line');
  if (text.length > maxLength)
    throw new InputError(
      input,
      `is ${text.length} characters long, far longer than a Render URL`,
      'copy the URL again (a deploy hook from the service Settings)',
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(input, 'is not a URL', 'give an https:// address');
  }
  return checkCredentialUrl(url, input);
}

export function plan(inputs: Inputs<typeof manifest>): Plan {
  const apiKey = inputs.apiKey;
  if (apiKey !== undefined) {
    if (/\s/.test(apiKey))
      throw new InputError(
        'api-key',
        'contains white space or a line break',
        'paste the API key alone into the secret',
      );
    if (apiKey.length > API_KEY_MAX_LENGTH)
      throw new InputError(
        'api-key',
        `is ${apiKey.length} characters long`,
        'paste the Render API key (rnd_...) alone',
      );
  }

  let trigger: Trigger | undefined;
  let hookServiceId: string | undefined;
  if (inputs.trigger === 'hook' && inputs.deployHookUrl) {
    const hookUrl = credentialUrl(inputs.deployHookUrl, 'deploy-hook-url', HOOK_MAX_LENGTH);
    checkCredentialUrl(hookUrl, 'deploy-hook-url');
    const hook = parseHookUrl(hookUrl);
    if (!hook)
      throw new InputError(
        'deploy-hook-url',
        'is not a Render deploy hook URL',
        'copy the Deploy Hook from the service Settings (https://api.render.com/deploy/srv-...?key=...)',
      );
    registerSecret(hook.key);
    hookServiceId = hook.serviceId;
    trigger = { kind: 'hook', hookUrl };
  }
  if (!trigger && !apiKey)
    throw new InputError(
      'deploy-hook-url',
      'is missing, and so is "api-key"',
      'set deploy-hook-url, or api-key with service-id',
    );
  const serviceInput = inputs.serviceId;
  if (hookServiceId && serviceInput && serviceInput !== hookServiceId)
    throw new InputError(
      'service-id',
      `"${serviceInput}" is not the service of deploy-hook-url`,
      'give the ID of the service the hook belongs to, or leave service-id empty',
    );
  const serviceId = serviceInput ?? hookServiceId;
  if (!serviceId)
    throw new InputError('service-id', 'is required when "api-key" is set', 'set the ID of the service (srv-...)');
  assertPathSegment(serviceId, serviceInput ? 'service-id' : 'deploy-hook-url', {
    pattern: SERVICE_ID,
    described: 'a Render service ID like srv-d0abc123xyz',
  });
  const api = apiKey ? { url: credentialUrl(inputs.apiUrl, 'api-url', 2048).toString(), key: apiKey } : undefined;
  trigger ??= api && { kind: 'api', api, clearCache: inputs.clearCache ?? false };
  if (!trigger) throw new InputError('api-key', 'is missing', 'set api-key with service-id');

  const imageUrl = inputs.imageUrl;
  if (imageUrl !== undefined) {
    let ref: ReturnType<typeof parseReference>;
    try {
      ref = parseReference(imageUrl);
    } catch (error) {
      if (!(error instanceof BadReferenceError)) throw error;
      throw new InputError(
        'image-url',
        error.message,
        'write it like docker.io/acme/api:1.2.3 or ghcr.io/acme/api@sha256:<digest>',
      );
    }
    if (!ref.tag && !ref.digest)
      throw new InputError(
        'image-url',
        `"${imageUrl}" has no tag or digest`,
        'add the tag (:1.2.3) or digest (@sha256:...)',
      );
  }
  exclusive({ 'image-url': imageUrl, commit: inputs.commit });
  if (trigger.kind === 'hook') {
    // Adding imgURL/ref re-encodes the query: that spelling of the hook is a secret too.
    const sent = hookRequestUrl(trigger.hookUrl, { imageUrl, ref: inputs.commit });
    registerSecret(sent.href);
    registerSecret(sent.search);
  }

  const wait = inputs.wait ?? Boolean(api);
  const needsApi = (name: string, value: unknown) => {
    if (value && !api) throw new InputError(name, 'needs the Render API to follow the deploy', 'set api-key too');
    if (value && !wait)
      throw new InputError(name, 'only applies when the action waits for the deploy', 'remove wait: false');
  };
  needsApi('wait', inputs.wait);
  exclusive({ 'health-path': inputs.healthPath, 'health-url': inputs.healthUrl });
  const healthUrl = inputs.healthUrl && checkProbeUrl(inputs.healthUrl, 'health-url');
  needsApi('health-path', inputs.healthPath);
  needsApi('health-url', healthUrl);
  needsApi('rollback-on-failure', inputs.rollbackOnFailure);

  const health =
    inputs.healthPath || healthUrl
      ? {
          path: inputs.healthPath,
          url: healthUrl?.toString(),
          status: inputs.healthStatus,
          attempts: inputs.healthRetries,
          intervalMs: inputs.healthInterval,
        }
      : undefined;
  return {
    trigger,
    serviceId,
    api,
    imageUrl,
    commit: inputs.commit,
    timeoutMs: inputs.timeout,
    watch:
      api && wait
        ? {
            api,
            timeoutMs: inputs.timeout,
            cancelOnTimeout: inputs.cancelOnTimeout,
            pollIntervalMs: inputs.pollInterval,
            health,
            rollbackOnFailure: inputs.rollbackOnFailure,
          }
        : undefined,
  };
}
