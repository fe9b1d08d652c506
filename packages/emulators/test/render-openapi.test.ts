import { readFileSync } from 'node:fs';
import { RenderEmulator } from '../src/render';
import { check, checkResponse, schemaOf, spec } from '../src/render-openapi/validate';

/**
 * The Render emulator's self-test: it refuses what Render's definition refuses (unknown fields, wrong
 * enums, out-of-range limits), and the committed definition is the one Render generates its SDK from.
 */
describe('Render emulator against Render OpenAPI definition', () => {
  let render: RenderEmulator;
  let serviceId: string;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${render.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${render.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  beforeEach(async () => {
    render = await new RenderEmulator().start();
    serviceId = render.addService({ durations: { created: 0, build: 60_000, update: 0 } }).id;
  });
  afterEach(() => render.close());

  it.each([
    ['an unknown field', { clearCache: 'clear', imageURL: 'docker.io/acme/api:1' }, /unknown field "imageURL"/],
    ['a wrong enum', { clearCache: 'yes' }, /body.clearCache must be one of clear, do_not_clear; got "yes"/],
    ['a wrong type', { commitId: 42 }, /body.commitId must be a string/],
    ['a body that is not JSON', '{clearCache:', /not valid JSON/],
    ['a wrong deployMode enum', { deployMode: 'fast' }, /deployMode must be one of deploy_only, build_and_deploy/],
  ])('refuses a trigger with %s (400), and starts nothing', async (_, body, message) => {
    const before = render.deploys(serviceId).length;
    const response = await call('POST', `/services/${serviceId}/deploys`, body);
    expect(response.status).toBe(400);
    const answer = await response.json();
    expect(answer.message).toMatch(message);
    expect(check(answer, schemaOf('error'))).toBeUndefined();
    expect(render.deploys(serviceId)).toHaveLength(before);
  });

  it.each([
    ['a status outside deployStatus', '?status=live,succeeded', /status\[1\] must be one of created, queued/],
    ['a limit over 100', '?limit=101', /limit must be at most 100/],
    ['a limit that is not a number', '?limit=ten', /limit must be an integer/],
    ['a createdAfter that is not a time', '?createdAfter=yesterday', /createdAfter must be an RFC 3339 date-time/],
  ])('refuses a deploy list with %s (400)', async (_, query, message) => {
    const response = await call('GET', `/services/${serviceId}/deploys${query}`);
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(message);
  });

  it('refuses a rollback without deployId or with an unknown field', async () => {
    expect((await (await call('POST', `/services/${serviceId}/rollback`, {})).json()).message).toMatch(
      /body.deployId is required/,
    );
    const extra = await call('POST', `/services/${serviceId}/rollback`, { deployId: 'dep-x', force: true });
    expect(extra.status).toBe(400);
    expect((await extra.json()).message).toMatch(/unknown field "force"/);
  });

  it('answers only what the definition lists: deploys, lists and the cancel answers fit their schemas', async () => {
    const created = await call('POST', `/services/${serviceId}/deploys`, { clearCache: 'do_not_clear' });
    expect(created.status).toBe(201);
    const deploy = await created.json();
    expect(checkResponse('create-deploy', 201, deploy)).toBeUndefined();
    const list = await (await call('GET', `/services/${serviceId}/deploys?status=queued,build_in_progress`)).json();
    expect(checkResponse('list-deploys', 200, list)).toBeUndefined();
    expect(list.map((item: { deploy: { id: string } }) => item.deploy.id)).toEqual([deploy.id]);
    const canceled = await call('POST', `/services/${serviceId}/deploys/${deploy.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect((await canceled.json()).status).toBe('canceled');
    const again = await call('POST', `/services/${serviceId}/deploys/${deploy.id}/cancel`);
    expect(again.status).toBe(400);
    // The definition's cancel answers: no 409 among them.
    expect(Object.keys(spec.paths['/services/{serviceId}/deploys/{deployId}/cancel'].post.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '429',
      '500',
      '503',
    ]);
    expect(checkResponse('cancel-deploy', 409, { message: 'x' })).toMatch(/does not answer 409/);
  });

  it('the validator itself refuses unknown fields and wrong enums in answers', () => {
    expect(check({ id: 'dep-1', status: 'succeeded' }, schemaOf('deploy'))).toMatch(/status must be one of/);
    expect(check({ id: 'dep-1', commit: null }, schemaOf('deploy'))).toMatch(/commit must be an object/);
    expect(check({ id: 'dep-1', duration: 3 }, schemaOf('deploy'))).toMatch(/unknown field "duration"/);
    expect(check({ status: 'live' }, schemaOf('deploy'))).toMatch(/body.id is required/);
  });

  it('carries the enums of the generated SDK types it was transcribed from, value for value', () => {
    const excerpt = readFileSync(new URL('../src/render-openapi/sdk-schema.excerpt.ts.txt', import.meta.url), 'utf8');
    const union = (pattern: RegExp) =>
      [...(pattern.exec(excerpt)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
    expect(union(/deployStatus: ([^;]+);/)).toEqual([...(schemaOf('deployStatus').enum ?? [])].sort());
    expect(union(/trigger\?: ([^;]+);/)).toEqual([...(schemaOf('deploy').properties?.trigger.enum ?? [])].sort());
    expect(union(/clearCache\?: ([^;]+);/)).toEqual(
      [
        ...(spec.paths['/services/{serviceId}/deploys'].post.requestBody?.content['application/json'].schema.properties
          ?.clearCache.enum ?? []),
      ].sort(),
    );
    expect(union(/serviceType: ([^;]+);/)).toEqual([...(schemaOf('service').properties?.type.enum ?? [])].sort());
    const cancel = /"cancel-deploy": \{[\s\S]*?responses: \{([\s\S]*?)\n {8}\};/.exec(excerpt)?.[1] ?? '';
    expect([...cancel.matchAll(/^ {12}(\d{3}):/gm)].map((m) => m[1])).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '429',
      '500',
      '503',
    ]);
    const deployFields = /^ {8}deploy: \{([\s\S]*?)\n {8}\};/m.exec(excerpt)?.[1] ?? '';
    const fields = [...deployFields.matchAll(/^ {12}(\w+)\??:/gm)].map((m) => m[1]).sort();
    expect(fields).toEqual(Object.keys(schemaOf('deploy').properties ?? {}).sort());
  });
});
