import { awsClientOptions } from '@deploy-actions/toolkit';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type CountedClient, countCalls } from './ecs';

/**
 * CloudWatch Logs, loaded only when an action follows a log stream (the client is large, and most runs of
 * deploy-ecs never need it). AWS_ENDPOINT_URL_CLOUDWATCH_LOGS points it at the emulator in tests.
 */
export async function logsClient(region: string): Promise<CountedClient<CloudWatchLogsClient>> {
  const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
  return countCalls(new CloudWatchLogsClient({ region, maxAttempts: 3, ...awsClientOptions() }));
}

export interface LogFollower {
  /** Fetches what is new since the last call; returns the lines (empty when nothing arrived). */
  poll(): Promise<string[]>;
}

/**
 * Follows one stream with GetLogEvents from its head, then nextForwardToken: the same token back means no
 * new events. A stream that does not exist yet (the task has not written) is not an error.
 */
export function followStream(logs: CountedClient<CloudWatchLogsClient>, group: string, stream: string): LogFollower {
  let token: string | undefined;
  return {
    async poll() {
      const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
      const lines: string[] = [];
      for (let page = 0; page < 20; page++) {
        let out: { events?: { message?: string }[]; nextForwardToken?: string };
        try {
          out = await logs.client.send(
            new GetLogEventsCommand({
              logGroupName: group,
              logStreamName: stream,
              startFromHead: true,
              nextToken: token,
            }),
          );
        } catch (error) {
          if ((error as Error).name === 'ResourceNotFoundException') return lines;
          throw error;
        }
        for (const e of out.events ?? []) lines.push(e.message ?? '');
        const same = out.nextForwardToken === token;
        token = out.nextForwardToken ?? token;
        if (same || !out.events?.length) break;
      }
      return lines;
    },
  };
}
