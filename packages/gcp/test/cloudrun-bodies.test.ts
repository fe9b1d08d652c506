import { type JobSpec, type ServiceSpec, jobBody, mergeEnv, revisionName, serviceBody } from '../src/cloudrun-spec';
import type { Job, Service } from '../src/cloudrun-types';

// The one Cloud Run spec module builds both bodies: a Service for deploy-cloudrun, a Job for deploy-cloudrun
// and run-migrations' cloudrun-job mode. Pure functions: the same spec and resource give the same body.

const spec = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  image: 'example.com/api:2',
  revision: 'api-v2',
  labels: {},
  env: {},
  envStrategy: 'merge',
  secretEnv: {},
  secretFiles: [],
  secretsStrategy: 'merge',
  cloudsqlInstances: [],
  ...over,
});

const existing: Service = {
  name: 'projects/p/locations/r/services/api',
  uri: 'https://api-xyz.a.run.app',
  etag: '"e1"',
  ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  labels: { team: 'web' },
  template: {
    revision: 'api-v1',
    containers: [
      {
        image: 'example.com/api:1',
        env: [
          { name: 'KEEP', value: '1' },
          { name: 'DB', value: 'plain' },
          { name: 'TOKEN', valueSource: { secretKeyRef: { secret: 'token', version: '3' } } },
        ],
        ports: [{ name: 'h2c', containerPort: 9000 }],
      },
    ],
  },
};

describe('serviceBody', () => {
  it('updates the service as it is, without output-only fields, with the new revision and image', () => {
    const body = serviceBody(spec({ labels: { 'commit-sha': 'abc' } }), existing);
    expect(body.uri).toBeUndefined();
    expect(body.etag).toBe('"e1"');
    expect(body.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(body.template?.revision).toBe('api-v2');
    expect(body.template?.containers?.[0].image).toBe('example.com/api:2');
    expect(body.labels).toEqual({ team: 'web', 'commit-sha': 'abc' });
    expect(body.template?.labels).toEqual({ 'commit-sha': 'abc' });
    expect(existing.template?.revision).toBe('api-v1');
  });

  it('a new service has no name, cpuIdle true, and the port named http1', () => {
    const body = serviceBody(spec({ port: 8081 }));
    expect(body.name).toBeUndefined();
    expect(body.template?.containers?.[0].resources?.cpuIdle).toBe(true);
    expect(body.template?.containers?.[0].ports).toEqual([{ name: 'http1', containerPort: 8081 }]);
  });

  it('keeps an existing h2c port name unless portName says otherwise', () => {
    expect(serviceBody(spec({ port: 8080 }), existing).template?.containers?.[0].ports).toEqual([
      { name: 'h2c', containerPort: 8080 },
    ]);
    expect(serviceBody(spec({ portName: 'http1' }), existing).template?.containers?.[0].ports).toEqual([
      { name: 'http1', containerPort: 9000 },
    ]);
  });

  it('mounts one secret volume per directory; overwrite replaces the secret volumes there were', () => {
    const files = [
      { dir: '/etc/a', file: 'key', secret: 'one', version: '1' },
      { dir: '/etc/a', file: 'cert', secret: 'one', version: '2' },
      { dir: '/etc/b', file: 'x', secret: 'two', version: 'latest' },
    ];
    const first = serviceBody(spec({ secretFiles: files }), existing);
    expect(first.template?.volumes).toHaveLength(2);
    expect(first.template?.volumes?.[0].secret).toEqual({
      secret: 'one',
      items: [
        { path: 'key', version: '1' },
        { path: 'cert', version: '2' },
      ],
    });
    expect(first.template?.containers?.[0].volumeMounts?.map((m) => m.mountPath)).toEqual(['/etc/a', '/etc/b']);
    const again = serviceBody(
      spec({
        secretFiles: [{ dir: '/etc/c', file: 'y', secret: 'three', version: '1' }],
        secretsStrategy: 'overwrite',
      }),
      first,
    );
    expect(again.template?.volumes?.map((v) => v.secret?.secret)).toEqual(['three']);
  });

  it('merges a patch last, into null-prototype objects', () => {
    const body = serviceBody(
      spec({ patch: { template: { executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2' }, labels: { team: null } } }),
      existing,
    );
    expect(body.template?.executionEnvironment).toBe('EXECUTION_ENVIRONMENT_GEN2');
    expect(body.labels).toEqual({});
  });
});

describe('mergeEnv', () => {
  const current = existing.template?.containers?.[0].env ?? [];

  it('a variable that moves from plain to secret ends up as exactly one of them', () => {
    const env = mergeEnv(current, {
      env: {},
      envStrategy: 'merge',
      secretEnv: { DB: { secret: 'db-url', version: '1' } },
      secretsStrategy: 'merge',
    });
    expect(env.filter((e) => e.name === 'DB')).toEqual([
      { name: 'DB', valueSource: { secretKeyRef: { secret: 'db-url', version: '1' } } },
    ]);
    expect(env.map((e) => e.name).sort()).toEqual(['DB', 'KEEP', 'TOKEN']);
  });

  it('overwrite drops the plain variables not given, and keeps the secrets when no secret is given', () => {
    const env = mergeEnv(current, {
      env: { NEW: 'x' },
      envStrategy: 'overwrite',
      secretEnv: {},
      secretsStrategy: 'merge',
    });
    expect(env.map((e) => e.name)).toEqual(['TOKEN', 'NEW']);
  });
});

describe('jobBody', () => {
  const job: JobSpec = { project: 'p', region: 'r', job: 'migrate', image: 'example.com/m:2' };
  const current: Job = {
    name: 'projects/p/locations/r/jobs/migrate',
    etag: '"j1"',
    annotations: { owner: 'db' },
    launchStage: 'BETA',
    labels: { team: 'db' },
    createTime: '2026-01-01T00:00:00Z',
    template: { template: { containers: [{ image: 'example.com/m:1', env: [{ name: 'A', value: '1' }] }] } },
  };

  it('keeps every field the spec leaves out, without output-only ones and the name', () => {
    const body = jobBody({ ...job, labels: { 'commit-sha': 'abc' } }, current);
    expect(body).toMatchObject({ etag: '"j1"', annotations: { owner: 'db' }, launchStage: 'BETA' });
    expect(body.name).toBeUndefined();
    expect(body.createTime).toBeUndefined();
    expect(body.labels).toEqual({ team: 'db', 'commit-sha': 'abc' });
    expect(body.template?.template?.containers?.[0].image).toBe('example.com/m:2');
  });

  it('merges or replaces the variables, secrets at latest by default', () => {
    const merged = jobBody(
      { ...job, env: { B: '2' }, secretEnv: { S: { secret: 's' } }, envStrategy: 'merge' },
      current,
    );
    expect(merged.template?.template?.containers?.[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'S', valueSource: { secretKeyRef: { secret: 's', version: 'latest' } } },
    ]);
    const replaced = jobBody({ ...job, env: { B: '2' } }, current);
    expect(replaced.template?.template?.containers?.[0].env).toEqual([{ name: 'B', value: '2' }]);
  });

  it('mounts Cloud SQL the same way a service does', () => {
    const task = jobBody({ ...job, cloudsqlInstances: ['p:europe-west1:db'] }).template?.template;
    const revision = serviceBody(spec({ cloudsqlInstances: ['p:europe-west1:db'] })).template;
    expect(task?.volumes).toEqual(revision?.volumes);
    expect(task?.volumes).toEqual([{ name: 'cloudsql', cloudSqlInstance: { instances: ['p:europe-west1:db'] } }]);
    expect(task?.containers?.[0].volumeMounts).toEqual(revision?.containers?.[0].volumeMounts);
  });
});

describe('revisionName', () => {
  it('is the service, the short commit and a random part, or the suffix given', () => {
    expect(revisionName('api', 'ABCDEF1234567', 'v7')).toBe('api-v7');
    expect(revisionName('api', 'ABCDEF1234567')).toMatch(/^api-abcdef1-[a-z0-9]{4}$/);
  });
});
