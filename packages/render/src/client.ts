import { type Clock, HttpClient, type RetryOptions } from '@deploy-actions/toolkit';
import type { Deploy, Service } from './types';

/**
 * Render's REST API (`/v1`, Bearer API key), only the calls a deploy needs. Every call goes through the
 * shared HttpClient, so 429s wait for `Ratelimit-Reset`, a drained `Ratelimit-Remaining` gates the next
 * call, and 5xx answers are retried with backoff. `requests` counts what the API was asked, retries
 * included, for the job summary and the benchmark.
 */

export interface RenderApiOptions {
  apiUrl: string;
  apiKey: string;
  clock?: Clock;
  retry?: RetryOptions;
}

export interface TriggerOptions {
  clearCache?: boolean;
  commitId?: string;
  imageUrl?: string;
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
      retry: { attempts: 8, baseMs: 500, maxMs: 30_000, ...options.retry },
    });
  }

  get requests(): number {
    return this.http.requests;
  }

  getService(serviceId: string): Promise<Service> {
    return this.http.json<Service>(`/services/${serviceId}`);
  }

  /** Render answers 201 with the deploy, or 202 (queued) with no body: then `deploy` is undefined. */
  async triggerDeploy(serviceId: string, options: TriggerOptions): Promise<{ status: number; deploy?: Deploy }> {
    const response = await this.http.request(`/services/${serviceId}/deploys`, {
      method: 'POST',
      body: {
        clearCache: options.clearCache ? 'clear' : 'do_not_clear',
        ...(options.commitId ? { commitId: options.commitId } : {}),
        ...(options.imageUrl ? { imageUrl: options.imageUrl } : {}),
      },
    });
    const body = response.text ? response.json<Deploy>() : undefined;
    return { status: response.status, deploy: body?.id ? body : undefined };
  }

  getDeploy(serviceId: string, deployId: string): Promise<Deploy> {
    return this.http.json<Deploy>(`/services/${serviceId}/deploys/${deployId}`);
  }

  /** Newest first. */
  async listDeploys(serviceId: string, options: ListOptions = {}): Promise<Deploy[]> {
    const page = await this.http.json<{ deploy: Deploy; cursor: string }[]>(`/services/${serviceId}/deploys`, {
      query: {
        limit: options.limit,
        cursor: options.cursor,
        createdAfter: options.createdAfter?.toISOString(),
        status: options.status?.join(','),
      },
    });
    return (page ?? []).map((item) => item.deploy);
  }

  cancelDeploy(serviceId: string, deployId: string): Promise<Deploy> {
    return this.http.json<Deploy>(`/services/${serviceId}/deploys/${deployId}/cancel`, { method: 'POST' });
  }

  /** Redeploys what `deployId` ran; answers with the new deploy. */
  async rollback(serviceId: string, deployId: string): Promise<Deploy | undefined> {
    const response = await this.http.request(`/services/${serviceId}/rollback`, {
      method: 'POST',
      body: { deployId },
    });
    const body = response.text ? response.json<Deploy>() : undefined;
    return body?.id ? body : undefined;
  }
}
