import { type Clock, HttpClient, HttpError, UserError } from '@deploy-actions/toolkit';
import { triggerOnce } from './once';
import { DEPLOY_ID } from './types';

/**
 * Render's deploy hook: a secret URL `https://api.render.com/deploy/srv-XXXX?key=YYYY` that starts a
 * deploy on GET or POST, with `imgURL` picking the image tag or digest and `ref` a commit. The URL is a
 * secret as a whole, so it is only ever described as "the deploy hook" (never printed, not even in
 * errors). Its answer is undocumented: a deploy ID when `{"deploy":{"id"}}` is there, else undefined.
 * A trigger is sent once: after a lost answer the deploy list decides (see once.ts).
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
  /** Finds the deploy this trigger started, after a lost answer; without it a lost answer is not re-sent. */
  lookup?: () => Promise<string | undefined>;
  log?: (line: string) => void;
}

export interface HookAnswer {
  deployId?: string;
  /** Requests sent to the hook, retries included. */
  requests: number;
  /** The answer was lost and the deploy was found in the deploy list instead. */
  found?: boolean;
}

/**
 * The URL the hook request goes to. Adding `imgURL`/`ref` re-encodes the whole query (URLSearchParams
 * encodes more than a pasted URL may have), so this is a new form of the secret: the caller masks it.
 */
export function hookRequestUrl(hookUrl: URL, options: { imageUrl?: string; ref?: string }): URL {
  const url = new URL(hookUrl);
  if (options.imageUrl) url.searchParams.set('imgURL', options.imageUrl);
  if (options.ref) url.searchParams.set('ref', options.ref);
  return url;
}

export async function triggerHook(hookUrl: URL, options: HookOptions = {}): Promise<HookAnswer> {
  const url = hookRequestUrl(hookUrl, options);
  const http = new HttpClient({ clock: options.clock });
  try {
    const sent = await triggerOnce<string | undefined>({
      what: 'the deploy hook',
      lostHint:
        'not calling it again, which could start a second deploy; set api-key so the action can check the deploy list, or look in the dashboard',
      clock: options.clock,
      log: options.log,
      send: async () => {
        const response = await http.request(url.toString(), {
          method: 'POST',
          describe: 'the deploy hook',
          retry: false,
        });
        let body: { deploy?: { id?: unknown } } | undefined;
        try {
          body = response.text ? response.json() : undefined;
        } catch {
          body = undefined;
        }
        const id = body?.deploy?.id;
        return typeof id === 'string' && DEPLOY_ID.test(id) ? id : undefined;
      },
      lookup: options.lookup,
    });
    return { deployId: sent.value, requests: http.requests, ...(sent.found ? { found: true } : {}) };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.status === 401 || error.status === 403 || error.status === 404)
      throw new UserError(
        `Render refused the deploy hook (${error.status}): the key in deploy-hook-url is wrong or was regenerated; copy the hook URL again from the service's Settings and update the secret`,
      );
    if (error.status === 414)
      throw new UserError('Render refused the deploy hook (414): the URL is too long; check deploy-hook-url');
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
