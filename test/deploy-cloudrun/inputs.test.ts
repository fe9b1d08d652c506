import { type Cloud, deploy, startCloud } from './fixture';

// Bad inputs fail before any API call (the emulators see no request, not even for a token), with one
// line that names the input.

describe('deploy-cloudrun input validation', () => {
  let cloud: Cloud;
  beforeAll(async () => {
    cloud = await startCloud();
  });
  afterAll(() => cloud.close());

  const base = { service: 'api', image: 'europe-docker.pkg.dev/acme-prod/app/api:1.0.0' };
  const cases: [string, Record<string, string | number | boolean | undefined>, string, RegExp][] = [
    ['service name with capitals', { service: 'My_Api' }, 'service', /is not a Cloud Run service name/],
    ['service and job together', { job: 'migrate' }, 'service', /cannot be combined with "job"/],
    ['region format', { region: 'europe west1' }, 'region', /"europe west1" is not a Cloud Run region/],
    ['image reference', { image: 'Europe-Docker.pkg.dev/UPPER/api:1' }, 'image', /is not an image reference/],
    ['cpu format', { cpu: '1 core' }, 'cpu', /is not a CPU count/],
    ['memory format', { memory: '512MB' }, 'memory', /is not a memory size/],
    [
      'canary steps not increasing',
      { strategy: 'canary', 'canary-steps': '10,50,30,100' },
      'canary-steps',
      /30 does not come after 50/,
    ],
    ['canary steps without canary', { 'canary-steps': '10,100' }, 'canary-steps', /only used with strategy canary/],
    [
      'error rate above 100%',
      { 'health-path': '/health', 'health-max-error-rate': '150%' },
      'health-max-error-rate',
      /is not a percentage/,
    ],
    ['duration', { 'canary-pause': 'ten minutes' }, 'canary-pause', /is not a duration/],
    ['no-traffic without tag', { strategy: 'no-traffic' }, 'tag', /is required with strategy no-traffic/],
    ['reserved label namespace', { labels: 'run.googleapis.com/owner=me' }, 'labels', /reserves/],
    ['reserved env var', { 'env-vars': 'PORT=8080' }, 'env-vars', /PORT is set by Cloud Run itself.*"port" input/],
    [
      'variable both plain and secret',
      { 'env-vars': 'DB=x', secrets: 'DB=db-url:1' },
      'secrets',
      /DB is also set in "env-vars"/,
    ],
    ['secret reference', { secrets: 'DB=db url:one' }, 'secrets', /is not a Secret Manager secret/],
    ['two secrets in one directory', { secrets: '/etc/s/a=one\n/etc/s/b=two' }, 'secrets', /one secret per directory/],
    [
      'service-patch YAML',
      { 'service-patch': 'template: {containers: [' },
      'service-patch',
      /is not valid YAML or JSON/,
    ],
    [
      'service-only input on a job',
      { service: undefined, job: 'migrate', strategy: 'canary' },
      'strategy',
      /applies to services, not jobs/,
    ],
  ];

  // Concurrent: each case is its own process, and no case may reach the emulators at all.
  it.concurrent.each(cases)('%s', async (_, inputs, input, problem) => {
    const result = await deploy(cloud, { ...base, ...inputs });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(new RegExp(`^Input "${input}": `));
    expect(result.errors[0]).toMatch(problem);
    expect(result.errors[0].split('\n')).toHaveLength(1);
    expect(result.log).not.toMatch(/\n\s+at /);
    expect(cloud.run.server.requests).toEqual([]);
    expect(cloud.tokens.server.requests).toEqual([]);
  });

  it('never quotes a secret input in its error', async () => {
    const token = 'ya29.not-a-real-token-but-secret';
    const result = await deploy(
      cloud,
      { ...base, 'access-token': token, 'health-headers': 'Authorization Bearer x' },
      { secrets: [token] },
    );
    expect(result.errors[0]).toMatch(/^Input "health-headers": a line is not "Name: value"/);
    expect(cloud.run.server.requests).toHaveLength(0);
  });

  it('fails with the fix when there are no credentials at all', async () => {
    const result = await deploy(cloud, base, {
      env: {
        GOOGLE_APPLICATION_CREDENTIALS: undefined,
        CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: undefined,
        GOOGLE_GHA_CREDS_PATH: undefined,
      },
    });
    expect(result.errors).toEqual([
      'No Google credentials found: run google-github-actions/auth before this step (it sets GOOGLE_APPLICATION_CREDENTIALS), or pass an OAuth token in the "access-token" input',
    ]);
    expect(cloud.run.server.requests).toHaveLength(0);
  });
});
