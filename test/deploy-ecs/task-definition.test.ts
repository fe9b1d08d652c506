/**
 * The new revision's input: only what was asked changes (read-only fields dropped, tags kept, env and
 * secrets merged in place), several containers by name, and the maintenance tag's compact encoding.
 */
import { describe, expect, it } from '@jest/globals';
import { decodeActions, encodeActions } from '../../actions/deploy-ecs/src/maintenance';
import { READ_ONLY_FIELDS, withChanges } from '../../actions/deploy-ecs/src/task-definition';

const described = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:7',
  family: 'api',
  revision: 7,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'x' }],
  compatibilities: ['FARGATE'],
  registeredAt: new Date(),
  registeredBy: 'arn:aws:iam::123456789012:role/x',
  cpu: '256',
  containerDefinitions: [
    {
      name: 'web',
      image: 'r/web:1',
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      secrets: [{ name: 'S', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s' }],
    },
    { name: 'sidecar', image: 'r/side:1' },
  ],
};

describe('withChanges', () => {
  it('drops the read-only fields, keeps tags (not aws:), and changes only the named container', () => {
    const { input, changes } = withChanges(
      described,
      [
        { key: 'team', value: 'api' },
        { key: 'aws:cloudformation:stack', value: 'x' },
      ],
      {
        images: [{ container: 'web', image: 'r/web:2' }],
        env: { B: 'two', C: '3' },
        secrets: { D: 'arn:aws:ssm:us-east-1:123456789012:parameter/d' },
      },
    );
    for (const field of READ_ONLY_FIELDS) expect(input).not.toHaveProperty(field);
    expect(input.tags).toEqual([{ key: 'team', value: 'api' }]);
    expect(input.cpu).toBe('256');
    expect(input.containerDefinitions[0].image).toBe('r/web:2');
    expect(input.containerDefinitions[0].environment).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
    expect(input.containerDefinitions[0].secrets.map((s: { name: string }) => s.name)).toEqual(['S', 'D']);
    expect(input.containerDefinitions[1]).toEqual({ name: 'sidecar', image: 'r/side:1' });
    expect(changes).toContain('web: image r/web:1 → r/web:2');
    expect(described.containerDefinitions[0].image).toBe('r/web:1');
  });

  it('refuses an image without container when the task has several, and names an unknown container', () => {
    expect(() => withChanges(described, [], { images: [{ image: 'r/x:1' }], env: {}, secrets: {} })).toThrow(
      /has 2 containers \(web, sidecar\); set container/,
    );
    expect(() =>
      withChanges(described, [], { images: [{ container: 'db', image: 'r/x:1' }], env: {}, secrets: {} }),
    ).toThrow(/no container "db"/);
  });
});

describe('maintenance tag encoding', () => {
  const rule = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/alb/1/2/3';
  it('saves a weighted forward compactly and restores it exactly', () => {
    const actions = [
      {
        Type: 'forward' as const,
        Order: 1,
        ForwardConfig: {
          TargetGroups: [
            {
              TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef',
              Weight: 80,
            },
            {
              TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/fedcba9876543210',
              Weight: 20,
            },
          ],
        },
      },
    ];
    const saved = encodeActions(actions);
    expect(saved).toBe('forward|blue/0123456789abcdef:80|green/fedcba9876543210:20');
    expect(saved.length).toBeLessThanOrEqual(256);
    expect(decodeActions(saved, rule)).toEqual(actions);
  });

  it('keeps anything else as JSON', () => {
    const redirect = [
      { Type: 'redirect' as const, RedirectConfig: { StatusCode: 'HTTP_301' as const, Host: 'x.example' } },
    ];
    expect(decodeActions(encodeActions(redirect), rule)).toEqual(redirect);
  });
});
