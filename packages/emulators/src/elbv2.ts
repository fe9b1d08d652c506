import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadModel } from './ecs-model';

/**
 * Elastic Load Balancing v2, the part ECS deployments and a maintenance switch use: load balancers,
 * listeners (each a real HTTP server on a loopback port), listener rules evaluated in priority order
 * (path-pattern conditions, forward with weighted target groups, fixed-response), target groups whose
 * targets are the tasks' ports, tags. Over the AWS Query protocol (API 2015-12-01) that
 * @aws-sdk/client-elastic-load-balancing-v2 speaks: form `Action=…` in, `<XResponse><XResult>` XML out,
 * validated against the SDK's model. The Cloud Run emulator's ServiceProxy splits traffic by weight but has
 * no rules or fixed responses, which the maintenance page needs, so listeners forward by themselves.
 */

export interface Action {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: { TargetGroups?: { TargetGroupArn: string; Weight?: number }[] };
  FixedResponseConfig?: { StatusCode: string; ContentType?: string; MessageBody?: string };
}

export interface Rule {
  RuleArn: string;
  Priority: string;
  Conditions: { Field?: string; Values?: string[]; PathPatternConfig?: { Values?: string[] } }[];
  Actions: Action[];
  IsDefault: boolean;
}

interface Listener {
  arn: string;
  lbArn: string;
  port: number;
  server: Server;
  rules: Rule[];
}

export interface TargetGroup {
  arn: string;
  name: string;
  healthCheckPath: string;
  /** Ports of healthy targets (the tasks), set by the ECS emulator. */
  targets: number[];
}

const NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export class ElbError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class Elbv2 {
  readonly model = loadModel('@aws-sdk/client-elastic-load-balancing-v2');
  readonly loadBalancers = new Map<string, { arn: string; name: string; dns: string }>();
  readonly listeners = new Map<string, Listener>();
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly tags = new Map<string, Map<string, string>>();
  private random = Math.random;

  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  private arn(kind: string, path: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.account}:${kind}/${path}`;
  }

  addLoadBalancer(name: string): string {
    const arn = this.arn('loadbalancer', `app/${name}/${randomBytes(8).toString('hex')}`);
    this.loadBalancers.set(arn, { arn, name, dns: '127.0.0.1' });
    return arn;
  }

  addTargetGroup(name: string, healthCheckPath = '/'): string {
    const arn = this.arn('targetgroup', `${name}/${randomBytes(8).toString('hex')}`);
    this.targetGroups.set(arn, { arn, name, healthCheckPath, targets: [] });
    return arn;
  }

  /** A listener forwarding to a target group by a default rule, plus one rule (priority 1) to return. */
  async addListener(lbArn: string, targetGroupArn: string): Promise<{ listenerArn: string; ruleArn: string }> {
    const lb = this.loadBalancers.get(lbArn)!;
    const id = randomBytes(8).toString('hex');
    const arn = `${lbArn.replace(':loadbalancer/', ':listener/')}/${id}`;
    const server = createServer((req, res) => this.serve(arn, req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, lb.dns, resolve));
    const port = (server.address() as AddressInfo).port;
    const ruleBase = arn.replace(':listener/', ':listener-rule/');
    const forward = (): Action[] => [
      { Type: 'forward', Order: 1, ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }] } },
    ];
    const rule: Rule = {
      RuleArn: `${ruleBase}/${randomBytes(8).toString('hex')}`,
      Priority: '1',
      Conditions: [{ Field: 'path-pattern', Values: ['/*'], PathPatternConfig: { Values: ['/*'] } }],
      Actions: forward(),
      IsDefault: false,
    };
    const fallback: Rule = {
      RuleArn: `${ruleBase}/${randomBytes(8).toString('hex')}`,
      Priority: 'default',
      Conditions: [],
      Actions: forward(),
      IsDefault: true,
    };
    this.listeners.set(arn, { arn, lbArn, port, server, rules: [rule, fallback] });
    return { listenerArn: arn, ruleArn: rule.RuleArn };
  }

  listenerUrl(listenerArn: string): string {
    return `http://127.0.0.1:${this.listeners.get(listenerArn)!.port}`;
  }

  rule(ruleArn: string): Rule | undefined {
    for (const listener of this.listeners.values()) {
      const rule = listener.rules.find((r) => r.RuleArn === ruleArn);
      if (rule) return rule;
    }
    return undefined;
  }

  /** Points a rule's forward action at target groups with weights (what ECS does during a traffic shift). */
  setWeights(ruleArn: string, weights: { TargetGroupArn: string; Weight: number }[]): void {
    const rule = this.rule(ruleArn);
    const forward = rule?.Actions.find((a) => a.Type === 'forward');
    if (forward) forward.ForwardConfig = { TargetGroups: weights };
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.listeners.values()].map(
        (l) =>
          new Promise<void>((resolve) => {
            l.server.closeAllConnections();
            l.server.close(() => resolve());
          }),
      ),
    );
  }

  private serve(listenerArn: string, req: IncomingMessage, res: ServerResponse): void {
    const listener = this.listeners.get(listenerArn)!;
    const path = new URL(req.url ?? '/', 'http://lb').pathname;
    const rules = [...listener.rules].sort((a, b) =>
      a.IsDefault ? 1 : b.IsDefault ? -1 : Number(a.Priority) - Number(b.Priority),
    );
    const rule = rules.find((r) => r.IsDefault || r.Conditions.every((c) => matches(c, path)))!;
    const action = [...rule.Actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))[0];
    if (action.Type === 'fixed-response') {
      const config = action.FixedResponseConfig!;
      res.writeHead(Number(config.StatusCode), { 'content-type': config.ContentType ?? 'text/plain' });
      res.end(config.MessageBody ?? '');
      return;
    }
    const groups = action.ForwardConfig?.TargetGroups ?? [{ TargetGroupArn: action.TargetGroupArn!, Weight: 1 }];
    const total = groups.reduce((sum, g) => sum + (g.Weight ?? 1), 0);
    let roll = this.random() * total;
    let chosen = groups[groups.length - 1];
    for (const g of groups) {
      roll -= g.Weight ?? 1;
      if (roll < 0) {
        chosen = g;
        break;
      }
    }
    const targets = this.targetGroups.get(chosen.TargetGroupArn)?.targets ?? [];
    const port = targets[Math.floor(this.random() * targets.length)];
    if (port === undefined) {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n');
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>\n');
    });
    req.pipe(upstream);
  }

  /** One Query-protocol request: the form's Action and parameters; returns the XML answer. */
  handle(form: URLSearchParams): { status: number; body: string } {
    const action = form.get('Action') ?? '';
    const params = unflatten(form);
    delete params.Action;
    delete params.Version;
    try {
      const problem = this.model.validate(action, params, true);
      if (problem) throw new ElbError('ValidationError', problem);
      const result = this.operation(action, params);
      return {
        status: 200,
        body: `<${action}Response xmlns="${NS}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata></${action}Response>`,
      };
    } catch (error) {
      const e = error instanceof ElbError ? error : new ElbError('InternalFailure', (error as Error).message, 500);
      return {
        status: e.status,
        body: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>x</RequestId></ErrorResponse>`,
      };
    }
  }

  private operation(action: string, p: Record<string, unknown>): unknown {
    switch (action) {
      case 'DescribeLoadBalancers': {
        const arns = (p.LoadBalancerArns as string[] | undefined) ?? [...this.loadBalancers.keys()];
        return {
          LoadBalancers: arns.map((arn) => {
            const lb = this.loadBalancers.get(arn);
            if (!lb) throw new ElbError('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
            return { LoadBalancerArn: arn, LoadBalancerName: lb.name, DNSName: lb.dns, Type: 'application' };
          }),
        };
      }
      case 'DescribeListeners': {
        const list = [...this.listeners.values()].filter(
          (l) =>
            (!p.LoadBalancerArn || l.lbArn === p.LoadBalancerArn) &&
            (!p.ListenerArns || (p.ListenerArns as string[]).includes(l.arn)),
        );
        if (p.ListenerArns && list.length === 0)
          throw new ElbError('ListenerNotFound', 'One or more listeners not found');
        return {
          Listeners: list.map((l) => ({
            ListenerArn: l.arn,
            LoadBalancerArn: l.lbArn,
            Port: l.port,
            Protocol: 'HTTP',
          })),
        };
      }
      case 'DescribeTargetGroups': {
        const arns = (p.TargetGroupArns as string[] | undefined) ?? [...this.targetGroups.keys()];
        return {
          TargetGroups: arns.map((arn) => {
            const tg = this.targetGroups.get(arn);
            if (!tg) throw new ElbError('TargetGroupNotFound', `Target groups '${arn}' not found`);
            const lbs = [...this.listeners.values()]
              .filter((l) => l.rules.some((r) => JSON.stringify(r.Actions).includes(arn)))
              .map((l) => l.lbArn);
            return {
              TargetGroupArn: arn,
              TargetGroupName: tg.name,
              HealthCheckPath: tg.healthCheckPath,
              LoadBalancerArns: [...new Set(lbs)],
            };
          }),
        };
      }
      case 'DescribeRules': {
        let rules: Rule[];
        if (p.RuleArns) {
          rules = (p.RuleArns as string[]).map((arn) => {
            const rule = this.rule(arn);
            if (!rule) throw new ElbError('RuleNotFound', 'One or more rules not found');
            return rule;
          });
        } else {
          const listener = this.listeners.get(String(p.ListenerArn));
          if (!listener) throw new ElbError('ListenerNotFound', 'One or more listeners not found');
          rules = listener.rules;
        }
        return { Rules: structuredClone(rules) };
      }
      case 'ModifyRule': {
        const rule = this.rule(String(p.RuleArn));
        if (!rule) throw new ElbError('RuleNotFound', 'One or more rules not found');
        if (rule.IsDefault && p.Conditions)
          throw new ElbError('OperationNotPermitted', 'Default rule conditions cannot be modified');
        const actions = (p.Actions as Action[] | undefined)?.map(numberOrder);
        if (actions) {
          for (const a of actions) {
            if (a.Type === 'fixed-response' && !/^[2-5]\d\d$/.test(a.FixedResponseConfig?.StatusCode ?? ''))
              throw new ElbError('ValidationError', 'FixedResponseConfig.StatusCode must be 2XX, 4XX or 5XX');
            for (const g of a.ForwardConfig?.TargetGroups ?? [])
              if (!this.targetGroups.has(g.TargetGroupArn))
                throw new ElbError('TargetGroupNotFound', `Target group '${g.TargetGroupArn}' not found`);
          }
          rule.Actions = actions.map((a) =>
            a.ForwardConfig
              ? {
                  ...a,
                  ForwardConfig: {
                    TargetGroups: a.ForwardConfig.TargetGroups?.map((g) => ({ ...g, Weight: Number(g.Weight ?? 1) })),
                  },
                }
              : a,
          );
        }
        if (p.Conditions) rule.Conditions = p.Conditions as Rule['Conditions'];
        return { Rules: [structuredClone(rule)] };
      }
      case 'AddTags':
        for (const arn of p.ResourceArns as string[]) {
          const tags = this.tags.get(arn) ?? new Map();
          for (const t of p.Tags as { Key: string; Value?: string }[]) tags.set(t.Key, t.Value ?? '');
          this.tags.set(arn, tags);
        }
        return {};
      case 'RemoveTags':
        for (const arn of p.ResourceArns as string[])
          for (const key of p.TagKeys as string[]) this.tags.get(arn)?.delete(key);
        return {};
      case 'DescribeTags':
        return {
          TagDescriptions: (p.ResourceArns as string[]).map((arn) => ({
            ResourceArn: arn,
            Tags: [...(this.tags.get(arn) ?? new Map()).entries()].map(([Key, Value]) => ({ Key, Value })),
          })),
        };
      default:
        throw new ElbError('InvalidAction', `${action} is not emulated`);
    }
  }
}

function numberOrder(a: Action): Action {
  return a.Order === undefined ? a : { ...a, Order: Number(a.Order) };
}

function matches(condition: Rule['Conditions'][number], path: string): boolean {
  const values = condition.PathPatternConfig?.Values ?? condition.Values ?? [];
  if (condition.Field && condition.Field !== 'path-pattern') return true;
  return values.some((v) =>
    new RegExp(
      `^${v
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(path),
  );
}

/** `A.member.1.B=x` → `{A: [{B: 'x'}]}`. */
export function unflatten(form: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of form) {
    const parts = key.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      let part: string | number = parts[i];
      if (part === 'member') continue;
      if (/^\d+$/.test(part)) part = Number(part) - 1;
      const last = i === parts.length - 1;
      const nextIsList = parts[i + 1] === 'member';
      const container = node as Record<string | number, unknown>;
      if (last) container[part] = value;
      else {
        container[part] ??= nextIsList ? [] : {};
        node = container[part] as Record<string, unknown>;
      }
    }
  }
  return root;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${xml(v)}</member>`).join('');
  if (typeof value === 'object')
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
      .join('');
  return escapeXml(String(value));
}
