import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type protobuf from 'protobufjs';
import { loadProtos, ProtoJson, protoDir } from './proto-json';

/**
 * The Cloud Run Admin API v2 as Google defines it: the `google.cloud.run.v2` .proto files shipped in
 * @google-cloud/run (build/protos/google/cloud/run/v2/, with google-gax's common protos for google/api,
 * google/iam, google/longrunning and google/protobuf), their `google.api.http` rules, and the long-running
 * operation rules from the service configuration, which the protos do not carry (the same four rules
 * @google-cloud/run's generated clients use, build/src/v2/services_client.js `httpRules`). Loaded once per
 * process (about a tenth of a second).
 */

const LRO_RULES: [string, Record<string, string>][] = [
  ['DeleteOperation', { delete: '/v2/{name=projects/*/locations/*/operations/*}' }],
  ['GetOperation', { get: '/v2/{name=projects/*/locations/*/operations/*}' }],
  ['ListOperations', { get: '/v2/{name=projects/*/locations/*}/operations' }],
  ['WaitOperation', { post: '/v2/{name=projects/*/locations/*/operations/*}:wait', body: '*' }],
];

let cached: ProtoJson | undefined;

export function cloudRunSchema(): ProtoJson {
  if (cached) return cached;
  const run = protoDir('@google-cloud/run', import.meta.url);
  const gax = protoDir('google-gax', join(run, '..', '..', 'package.json'));
  const v2 = join(run, 'google', 'cloud', 'run', 'v2');
  const files = readdirSync(v2)
    .filter((f) => f.endsWith('.proto'))
    .map((f) => `google/cloud/run/v2/${f}`);
  const root = loadProtos([run, gax], [...files, 'google/longrunning/operations.proto']);
  const schema = new ProtoJson(root).bindServices(
    'google.cloud.run.v2.Services',
    'google.cloud.run.v2.Revisions',
    'google.cloud.run.v2.Jobs',
    'google.cloud.run.v2.Executions',
    'google.cloud.run.v2.Tasks',
  );
  const operations = root.lookupService('google.longrunning.Operations');
  for (const [rpc, rule] of LRO_RULES) schema.addRule(operations.methods[rpc] as protobuf.Method, rule);
  cached = schema;
  return schema;
}
