import type { EmulatedClock } from './server';

/**
 * CloudWatch Logs, the part a task's awslogs driver and a log follower use: groups of streams of events,
 * GetLogEvents with forward/backward tokens (the same nextForwardToken when nothing new arrived, as the real
 * service answers), DescribeLogStreams and PutLogEvents, on the JSON 1.1 protocol (`Logs_20140328.<Op>`),
 * served by the ECS emulator's server so one endpoint covers both (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS).
 */

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export class LogsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class LogStore {
  readonly groups = new Map<string, Map<string, LogEvent[]>>();

  constructor(private readonly clock: EmulatedClock) {}

  createGroup(group: string): void {
    if (!this.groups.has(group)) this.groups.set(group, new Map());
  }

  /** Appends a line; the awslogs driver creates the group only when asked, the stream always. */
  put(group: string, stream: string, message: string, timestamp = this.clock.now()): void {
    this.createGroup(group);
    const streams = this.groups.get(group)!;
    if (!streams.has(stream)) streams.set(stream, []);
    streams
      .get(stream)!
      .push({ timestamp: Math.floor(timestamp), message, ingestionTime: Math.floor(this.clock.now()) });
  }

  events(group: string, stream: string): LogEvent[] {
    return this.groups.get(group)?.get(stream) ?? [];
  }

  handle(operation: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case 'GetLogEvents':
        return this.getLogEvents(body);
      case 'DescribeLogStreams': {
        const streams = this.group(String(body.logGroupName));
        const prefix = String(body.logStreamNamePrefix ?? '');
        return {
          logStreams: [...streams.entries()]
            .filter(([name]) => name.startsWith(prefix))
            .map(([name, events]) => ({
              logStreamName: name,
              creationTime: events[0]?.ingestionTime,
              lastEventTimestamp: events.at(-1)?.timestamp,
            })),
        };
      }
      case 'PutLogEvents': {
        const stream = this.stream(String(body.logGroupName), String(body.logStreamName));
        for (const e of body.logEvents as { timestamp: number; message: string }[])
          stream.push({ timestamp: e.timestamp, message: e.message, ingestionTime: Math.floor(this.clock.now()) });
        return {};
      }
      case 'CreateLogGroup':
        if (this.groups.has(String(body.logGroupName)))
          throw new LogsError('ResourceAlreadyExistsException', 'The specified log group already exists');
        this.createGroup(String(body.logGroupName));
        return {};
      case 'CreateLogStream':
        this.group(String(body.logGroupName)).set(String(body.logStreamName), []);
        return {};
      default:
        throw new LogsError('UnknownOperationException', `${operation} is not emulated`);
    }
  }

  private group(name: string): Map<string, LogEvent[]> {
    const group = this.groups.get(name);
    if (!group) throw new LogsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  private stream(group: string, name: string): LogEvent[] {
    const stream = this.group(group).get(name);
    if (!stream) throw new LogsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    return stream;
  }

  /** Tokens are `f/<index>` and `b/<index>` into the stream; a forward token points past the last event returned. */
  private getLogEvents(body: Record<string, unknown>): unknown {
    const events = this.stream(String(body.logGroupName), String(body.logStreamName));
    const limit = Math.min(Number(body.limit ?? 10_000), 10_000);
    const token = body.nextToken as string | undefined;
    let from: number;
    if (token) {
      const match = /^([fb])\/(\d+)$/.exec(token);
      if (!match) throw new LogsError('InvalidParameterException', 'The specified nextToken is invalid.');
      from = Number(match[2]);
      if (match[1] === 'b') from = Math.max(0, from - limit);
    } else from = body.startFromHead ? 0 : Math.max(0, events.length - limit);
    const start = body.startTime === undefined ? -Infinity : Number(body.startTime);
    const end = body.endTime === undefined ? Infinity : Number(body.endTime);
    const page = events.slice(from, from + limit).filter((e) => e.timestamp >= start && e.timestamp < end);
    const next = Math.min(events.length, from + limit);
    return {
      events: page,
      nextForwardToken: `f/${next}`,
      nextBackwardToken: `b/${from}`,
    };
  }
}
