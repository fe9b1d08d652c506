import { cloudRunSchema } from '../src/google/cloudrun-schema';
import { loadProtos, ProtoJson, ProtoJsonError, protoDir } from '../src/google/proto-json';

// The proto3 JSON mapping (https://protobuf.dev/programming-guides/json/) as the Google front end applies it,
// on messages of the Cloud Run v2 protos and the well-known types.
const schema = cloudRunSchema();
// Cloud Run v2 uses no Struct/Value; the well-known types come from google-gax's copy of google/protobuf.
const wellKnown = new ProtoJson(
  loadProtos([protoDir('google-gax', import.meta.url)], ['google/protobuf/struct.proto', 'google/protobuf/any.proto']),
);

function refusal(type: string, value: unknown, path = 'x'): string {
  try {
    schema.parse(type, value, path);
  } catch (error) {
    if (error instanceof ProtoJsonError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('proto3 JSON against the Cloud Run v2 protos', () => {
  it('binds REST paths to rpcs through the http rules, verbs after the last segment included', () => {
    expect(schema.bind('GET', '/v2/projects/p/locations/l/services/s')?.method.name).toBe('GetService');
    expect(schema.bind('GET', '/v2/projects/p/locations/l/services/s:getIamPolicy')?.method.name).toBe('GetIamPolicy');
    expect(schema.bind('POST', '/v2/projects/p/locations/l/jobs/j:run')).toMatchObject({
      body: '*',
      params: { name: 'projects/p/locations/l/jobs/j' },
    });
    expect(schema.bind('PATCH', '/v2/projects/p/locations/l/services/s')?.params).toEqual({
      'service.name': 'projects/p/locations/l/services/s',
    });
    expect(schema.bind('POST', '/v2/projects/p/locations/l/services/s:getIamPolicy')).toBeUndefined();
    expect(schema.bind('POST', '/v2/projects/p/locations/l/operations/o:wait')?.method.name).toBe('WaitOperation');
  });

  it('Duration, Timestamp and FieldMask in their string forms', () => {
    expect(schema.parse('google.cloud.run.v2.RevisionTemplate', { timeout: '3.5s' })).toEqual({ timeout: '3.5s' });
    expect(refusal('google.cloud.run.v2.RevisionTemplate', { timeout: 3.5 }, 'template')).toBe(
      `Invalid value at 'template.timeout' (type.googleapis.com/google.protobuf.Duration), 3.5`,
    );
    expect(refusal('google.cloud.run.v2.RevisionTemplate', { timeout: '1m' }, 'template')).toMatch(/Duration\), "1m"/);
    const at = '2026-12-01T10:00:00.123456Z';
    expect(schema.parse('google.cloud.run.v2.Condition', { lastTransitionTime: at })).toEqual({
      lastTransitionTime: at,
    });
    expect(refusal('google.cloud.run.v2.Condition', { lastTransitionTime: '2026-12-01 10:00' }, 'c')).toMatch(
      /google.protobuf.Timestamp\), "2026-12-01 10:00"/,
    );
    expect(schema.parse('google.protobuf.FieldMask', 'template,traffic.percent')).toBe('template,traffic.percent');
    expect(refusal('google.protobuf.FieldMask', 'template traffic', 'update_mask')).toMatch(/FieldMask/);
  });

  it('Struct, Value and ListValue take any JSON of their shape; Any is read as its @type', () => {
    expect(wellKnown.parse('google.protobuf.Struct', { a: [1, { b: null }] })).toEqual({ a: [1, { b: null }] });
    expect(() => wellKnown.parse('google.protobuf.Struct', [1], 'x')).toThrow(/google.protobuf.Struct\), \[1\]/);
    expect(wellKnown.parse('google.protobuf.Value', 'anything')).toBe('anything');
    expect(() => wellKnown.parse('google.protobuf.ListValue', {}, 'x')).toThrow(/ListValue/);
    const any = { '@type': 'type.googleapis.com/google.cloud.run.v2.Service', nope: 1 };
    expect(refusal('google.protobuf.Any', any, 'metadata')).toBe(
      `Invalid JSON payload received. Unknown name "nope" at 'metadata': Cannot find field.`,
    );
  });

  it('int64 as a string (or number), int32 in range, enums by name or number, null as unset', () => {
    expect(schema.parse('google.cloud.run.v2.Service', { generation: 3 })).toEqual({}); // output only: dropped
    expect(schema.parse('google.cloud.run.v2.ServiceScaling', { minInstanceCount: '2' })).toEqual({
      minInstanceCount: 2,
    });
    expect(refusal('google.cloud.run.v2.ServiceScaling', { minInstanceCount: 2 ** 31 }, 's')).toBe(
      `Invalid value at 's.min_instance_count' (TYPE_INT32), 2147483648`,
    );
    expect(refusal('google.cloud.run.v2.ServiceScaling', { minInstanceCount: 1.5 }, 's')).toMatch(/TYPE_INT32/);
    expect(schema.parse('google.cloud.run.v2.Service', { ingress: 2, launchStage: null })).toEqual({
      ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
    });
    expect(refusal('google.cloud.run.v2.Service', { ingress: 99 }, 'service')).toMatch(/IngressTraffic\), 99/);
    expect(refusal('google.cloud.run.v2.Service', { invokerIamDisabled: 'true' }, 'service')).toBe(
      `Invalid value at 'service.invoker_iam_disabled' (TYPE_BOOL), "true"`,
    );
  });

  it('accepts proto field names and answers in lowerCamelCase; maps check their values', () => {
    expect(schema.parse('google.cloud.run.v2.Service', { invoker_iam_disabled: true, labels: { a: 'b' } })).toEqual({
      invokerIamDisabled: true,
      labels: { a: 'b' },
    });
    expect(refusal('google.cloud.run.v2.Service', { labels: { a: 1 } }, 'service')).toBe(
      `Invalid value at 'service.labels[0].value' (TYPE_STRING), 1`,
    );
  });

  it('collects every violation into one answer, a line each', () => {
    const message = refusal('google.cloud.run.v2.Service', { a: 1, ingress: 'X', template: { b: 2 } }, 'service');
    expect(message.split('\n')).toEqual([
      `Invalid JSON payload received. Unknown name "a" at 'service': Cannot find field.`,
      `Invalid value at 'service.ingress' (type.googleapis.com/google.cloud.run.v2.IngressTraffic), "X"`,
      `Invalid JSON payload received. Unknown name "b" at 'service.template': Cannot find field.`,
    ]);
  });
});
