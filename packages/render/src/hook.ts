import { type Clock, HttpClient, HttpError, type RetryOptions, UserError } from '@deploy-actions/toolkit';

/**
 * Render's deploy hook: a secret URL `https://api.render.com/deploy/srv-XXXX?key=YYYY` that starts a
 * deploy on GET or POST, with `imgURL` picking the image tag or digest and `ref` a commit. The URL is a
 * secret as a whole, so it is only ever described as "the deploy hook" (never printed, not even in
 * errors). Its answer is undocumented: a deploy ID when `{"deploy":{"id"}}` is there, else undefined.
 */

const HOOK_PATH = /^\/deploy\/(srv-[a-z0-9]+)\/?$/;

/** The service ID and key of a deploy hook URL, or undefined when the URL is not shaped like one. */
export function parseHookUrl(url: URL): { serviceId: string; key: string } | undefined {
  const match = HOOK_PATH.exec(url.pathname);
  const key = url.searchParams.get('key');
  if (!match || !key) return undefined;
  return { serviceId: match[1], key };
}

export interface HookOptions {
  imageUrl?: string;
  ref?: string;
  clock?: Clock;
  retry?: RetryOptions;
}

export interface HookAnswer {
  deployId?: string;
  /** Requests sent to the hook, retries included. */
  requests: number;
}

export async function triggerHook(hookUrl: URL, options: HookOptions = {}): Promise<HookAnswer> {
  const url = new URL(hookUrl);
  if (options.imageUrl) url.searchParams.set('imgURL', options.imageUrl);
  if (options.ref) url.searchParams.set('ref', options.ref);
  const http = new HttpClient({ clock: options.clock, retry: { attempts: 8, ...options.retry } });
  try {
    // A trigger is not idempotent: only answers that prove nothing started (429, 502-504, resets) are retried.
    const response = await http.request(url.toString(), { method: 'POST', describe: 'the deploy hook' });
    let body: { deploy?: { id?: string } } | undefined;
    try {
      body = response.text ? response.json() : undefined;
    } catch {
      body = undefined;
    }
    return { deployId: typeof body?.deploy?.id === 'string' ? body.deploy.id : undefined, requests: http.requests };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.status === 401 || error.status === 403 || error.status === 404)
      throw new UserError(
        `Render refused the deploy hook (${error.status}): the key in deploy-hook-url is wrong or was regenerated; copy the hook URL again from the service's Settings and update the secret`,
      );
    if (error.status === 400 || error.status === 409 || error.status === 422)
      throw new UserError(`Render rejected the deploy hook request (${error.status})${reason(error.body)}`);
    throw error;
  }
}

/** The `message` of an error body, which Render uses for its explanation. */
export function reason(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof message === 'string' && message) return `: ${message}`;
  } catch {}
  return '';
}
