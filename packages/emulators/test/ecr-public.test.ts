import { ECRPUBLICClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr-public';
import { EcrPublicEmulator } from '../src/ecr-public';

// Driven by the real @aws-sdk/client-ecr-public: its model's target prefix, signing name and response shape.
let emulator: EcrPublicEmulator;
beforeAll(async () => {
  emulator = new EcrPublicEmulator({ password: 'public-pw-1', accessKeyId: 'AKIAPUBLICKEYTEST123' });
  await emulator.listen();
});
afterAll(() => emulator.close());

const client = (region: string, accessKeyId = 'AKIAPUBLICKEYTEST123') =>
  new ECRPUBLICClient({
    region,
    endpoint: emulator.url,
    credentials: { accessKeyId, secretAccessKey: 'secret' },
    maxAttempts: 1,
  });

test('answers GetAuthorizationToken in us-east-1 with one authorizationData object holding base64 AWS:<password>', async () => {
  const out = await client('us-east-1').send(new GetAuthorizationTokenCommand({}));
  expect(Buffer.from(out.authorizationData!.authorizationToken!, 'base64').toString()).toBe('AWS:public-pw-1');
  expect(out.authorizationData!.expiresAt).toBeInstanceOf(Date);
  expect(emulator.calls).toBe(1);
});

test('refuses other regions and unknown keys, as the service does', async () => {
  await expect(client('eu-west-1').send(new GetAuthorizationTokenCommand({}))).rejects.toMatchObject({
    name: 'InvalidSignatureException',
  });
  await expect(
    client('us-east-1', 'AKIAOTHERKEY00000000').send(new GetAuthorizationTokenCommand({})),
  ).rejects.toMatchObject({
    name: 'UnrecognizedClientException',
  });
  const unsigned = await fetch(emulator.url, {
    method: 'POST',
    headers: {
      'x-amz-target': 'SpencerFrontendService.GetAuthorizationToken',
      'content-type': 'application/x-amz-json-1.1',
    },
    body: '{}',
  });
  expect(unsigned.status).toBe(403);
});
