import { type Clock, HttpClient, type RetryOptions, UserError } from '@deploy-actions/toolkit';
import { triggerOnce } from './once';
import { DEPLOY_ID, type Deploy, SERVICE_ID, type Service } from './types';

/**
 * Render's REST API (`/v1`, Bearer API key), only the calls a deploy needs. Every call goes through the
 * shared HttpClient, so 429s wait for `Ratelimit-Reset`, a drained `Ratelimit-Remaining` gates the next
 * call, and 5xx answers are retried with backoff. `requests` counts what the API was asked, retries
 * included, for the job summary and the benchmark. Every ID that goes into a path is checked against
 * Render's ID shape first, whether it came from an input or from an answer. Triggers are never re-sent
 * after a lost answer without reading the deploy list first (see once.ts).
 */

export interface RenderApiOptions {
  apiUrl: string;
  apiKey: string;
  clock?: Clock;
  retry?: RetryOptions;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export interface TriggerOptions {
  clearCache?: boolean;
  commitId?: string;
  imageUrl?: string;
  /** Finds the deploy this trigger started, after a lost answer (see once.ts). */
  lookup?: () => Promise<Deploy | undefined>;
  log?: (line: string) => void;
}

/** A service or deploy ID, checked before it becomes part of a URL path. */
export function pathId(kind: 'service' | 'deploy', value: string): string {
  if (!(kind === 'service' ? SERVICE_ID : DEPLOY_ID).test(value))
    throw new UserError(
      `Render ${kind} ID "${value.slice(0, 60).replace(/[^\x20-\x7e]/g, '?')}" is not shaped like one (${kind === 'service' ? 'srv-' : 'dep-'} and lowercase letters and digits); refusing to put it in a request path`,
    );
  return value;
}

export interface ListOptions {
  limit?: number;
  cursor?: string;
  createdAfter?: Date;
  status?: string[];
}

export class RenderApi {
  readonly http: HttpClient;

  constructor(options: RenderApiOptions) {
    this.http = new HttpClient({
      baseUrl: options.apiUrl,
      headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
      clock: options.clock,
      timeoutMs: options.timeoutMs,
      retry: { attempts: 8, baseMs: 500, maxMs: 30_000, ...options.retry },
    });
  }

  get requests(): number {
    return this.http.requests;
  }

  getService(serviceId: string): Promise<Service> {
    return this.http.json<Service>(`/services/${pathId('service', serviceId)}`);
  }

  /**
   * Render answers 201 with the deploy, or 202 (queued) with no body: then `deploy` is undefined. A lost
   * answer is settled by `lookup` (then `found` is true); without one it is not re-sent.
   */
  async triggerDeploy(
    serviceId: string,
    options: TriggerOptions,
  ): Promise<{ status: number; deploy?: Deploy; found?: boolean }> {
    const path = `/services/${pathId('service', serviceId)}/deploys`;
    const body = {
      clearCache: options.clearCache ? 'clear' : 'do_not_clear',
      ...(options.commitId ? { commitId: options.commitId } : {}),
      ...(options.imageUrl ? { imageUrl: options.imageUrl } : {}),
    };
    const sent = await triggerOnce({
      what: 'the deploy trigger',
      lostHint: 'not sending it again, which could start a second deploy; check the deploy list in the dashboard',
      log: options.log,
      send: async () => {
        const response = await this.http.request(path, { method: 'POST', body, retry: false });
        const deploy = response.text ? response.json<Deploy>() : undefined;
        if (deploy?.id) pathId('deploy', deploy.id);
        return { status: response.status, deploy: deploy?.id ? deploy : undefined };
      },
      lookup:
        options.lookup &&
        (async () => {
          const deploy = await options.lookup?.();
          return deploy && { status: 201, deploy };
        }),
    });
    return sent.found ? { ...sent.value, found: true } : sent.value;
  }

  getDeploy(serviceId: string, deployId: string): Promise<Deploy> {
    return this.http.json<Deploy>(`/services/${pathId('service', serviceId)}/deploys/${pathId('deploy', deployId)}`);
  }

  /** Newest first. */
  async listDeploys(serviceId: string, options: ListOptions = {}): Promise<Deploy[]> {
    const page = await this.http.json<{ deploy?: Deploy; cursor?: string }[]>(
      `/services/${pathId('service', serviceId)}/deploys`,
      {
        query: {
          limit: options.limit,
          cursor: options.cursor,
          createdAfter: options.createdAfter?.toISOString(),
          status: options.status?.join(','),
        },
      },
    );
    return (page ?? []).flatMap((item) => (item.deploy?.id && DEPLOY_ID.test(item.deploy.id) ? [item.deploy] : []));
  }

  /** Cancelling twice does no harm, so a lost answer is simply retried. Render answers 400 for a deploy that has ended. */
  cancelDeploy(serviceId: string, deployId: string): Promise<Deploy> {
    return this.http.json<Deploy>(
      `/services/${pathId('service', serviceId)}/deploys/${pathId('deploy', deployId)}/cancel`,
      { method: 'POST', kind: 'idempotent' },
    );
  }

  /** Redeploys what `deployId` ran; answers with the new deploy. */
  async rollback(
    serviceId: string,
    deployId: string,
    lookup?: () => Promise<Deploy | undefined>,
  ): Promise<Deploy | undefined> {
    const sent = await triggerOnce({
      what: 'the rollback',
      lostHint: 'not sending it again; check the deploy list in the dashboard',
      send: async () => {
        const response = await this.http.request(`/services/${pathId('service', serviceId)}/rollback`, {
          method: 'POST',
          body: { deployId: pathId('deploy', deployId) },
          retry: false,
        });
        const body = response.text ? response.json<Deploy>() : undefined;
        if (body?.id) pathId('deploy', body.id);
        return body?.id ? body : undefined;
      },
      lookup,
    });
    return sent.value;
  }
}
