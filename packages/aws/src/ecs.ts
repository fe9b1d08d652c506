import { awsClientOptions } from '@deploy-actions/toolkit';
import { ECSClient } from '@aws-sdk/client-ecs';

/**
 * Amazon ECS through @aws-sdk/client-ecs with the default credential chain and the standard endpoint
 * variables (AWS_ENDPOINT_URL_ECS), which is how tests reach the emulator. Every call is counted (SDK retries
 * not included) so an action can report what a wait cost. Waits make their own schedule, so polling calls
 * are sent with `maxAttempts: 1` (the caller backs off on throttling); creating calls are never retried
 * blindly by the caller either.
 */

export interface CountedClient<C> {
  client: C;
  /** Calls sent so far, by operation name. */
  calls: Map<string, number>;
  total(): number;
}

// biome-ignore lint/suspicious/noExplicitAny: every SDK v3 client has the same middleware stack shape
function count<C extends { middlewareStack: any }>(client: C): CountedClient<C> {
  const calls = new Map<string, number>();
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      const name = (context.commandName ?? 'call').replace(/Command$/, '');
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'deployActionsCountCalls' },
  );
  return { client, calls, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}

export function ecsClient(region: string, maxAttempts = 3): CountedClient<ECSClient> {
  return count(new ECSClient({ region, maxAttempts, ...awsClientOptions() }));
}

export { count as countCalls };

/** The console page of a task (and its logs tab). */
export function taskConsoleUrl(region: string, cluster: string, taskId: string): string {
  const name = cluster.split('/').pop();
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${name}/tasks/${taskId}/logs?region=${region}`;
}

export function serviceConsoleUrl(region: string, cluster: string, service: string): string {
  const name = cluster.split('/').pop();
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${name}/services/${service}/deployments?region=${region}`;
}

/** An SDK error's name (ThrottlingException, ServiceNotFoundException…). */
export function awsErrorName(error: unknown): string {
  return (error as { name?: string })?.name ?? 'Error';
}

export function isThrottling(error: unknown): boolean {
  const name = awsErrorName(error);
  return /Throttl|TooManyRequests|RequestLimitExceeded|Rate exceeded/i.test(`${name} ${(error as Error)?.message}`);
}

export function isServerError(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return awsErrorName(error) === 'ServerException' || (status !== undefined && status >= 500);
}
