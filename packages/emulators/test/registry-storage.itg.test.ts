import { createHash, randomBytes } from 'node:crypto';
import { type LocalRegistry, startRegistry } from '../../../test/push-registry/fixtures';
import { RegistryAuthServer } from '../src/registry-auth';
import { StorageRegistry } from '../src/registry-storage';

let plain: LocalRegistry;
let storage: StorageRegistry;
const blob = randomBytes(5000);
const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;

beforeAll(async () => {
  plain = await startRegistry();
  storage = new StorageRegistry({ upstream: plain.host, uploadsOnStorage: true });
  await storage.listen();
});
afterAll(async () => {
  await storage.close();
  await plain.stop();
});

test('uploads through an absolute Location on the storage origin whose query must be kept; the storage refuses Authorization', async () => {
  const start = await fetch(`http://${storage.host}/v2/app/blobs/uploads/`, { method: 'POST' });
  expect(start.status).toBe(202);
  const location = new URL(start.headers.get('location')!);
  expect(location.host).toBe(storage.storageHost);
  expect(location.searchParams.get('session')).toBeTruthy();
  // The query dropped: refused.
  const lost = new URL(location);
  lost.searchParams.delete('session');
  lost.searchParams.set('digest', digest);
  expect((await fetch(lost, { method: 'PUT', body: blob })).status).toBe(403);
  // With Authorization: refused like S3 does.
  const put = new URL(location);
  put.searchParams.set('digest', digest);
  const withAuth = await fetch(put, { method: 'PUT', body: blob, headers: { authorization: 'Bearer x' } });
  expect(withAuth.status).toBe(400);
  expect(await withAuth.text()).toContain('Only one auth mechanism allowed');
  const done = await fetch(put, { method: 'PUT', body: blob });
  expect(done.status).toBe(201);
  expect(storage.refusedWithAuthorization).toBe(1);
});

test('answers blob HEAD and GET with a 307 to a pre-signed storage URL; a missing blob is a plain 404; a bad signature is refused', async () => {
  for (const method of ['HEAD', 'GET']) {
    const res = await fetch(`http://${storage.host}/v2/app/blobs/${digest}`, { method, redirect: 'manual' });
    expect(res.status).toBe(307);
    const target = new URL(res.headers.get('location')!);
    expect(target.host).toBe(storage.storageHost);
    expect(target.searchParams.get('X-Amz-Signature')).toMatch(/^[a-f0-9]{64}$/);
  }
  const followed = await fetch(`http://${storage.host}/v2/app/blobs/${digest}`);
  expect(Buffer.from(await followed.arrayBuffer()).equals(blob)).toBe(true);
  const missing = await fetch(`http://${storage.host}/v2/app/blobs/sha256:${'0'.repeat(64)}`, { redirect: 'manual' });
  expect(missing.status).toBe(404);
  const res = await fetch(`http://${storage.host}/v2/app/blobs/${digest}`, { redirect: 'manual' });
  const forged = new URL(res.headers.get('location')!);
  forged.searchParams.set('X-Amz-Signature', '0'.repeat(64));
  expect((await fetch(forged)).status).toBe(403);
});

test('the Bearer registry can name a realm on another origin, and quote credentials back when asked to', async () => {
  const auth = new RegistryAuthServer({
    upstream: plain.host,
    users: { u: 'echo-pw' },
    realm: 'separate',
    echoCredentials: true,
  });
  await auth.listen();
  try {
    const challenge = await fetch(`http://${auth.host}/v2/app/manifests/1`);
    const header = challenge.headers.get('www-authenticate')!;
    const realm = /realm="([^"]+)"/.exec(header)![1];
    expect(new URL(realm).host).not.toBe(auth.host);
    const refused = await fetch(`${realm}?scope=repository:app:pull`, {
      headers: { authorization: `Basic ${Buffer.from('u:wrong-pw').toString('base64')}` },
    });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('u:wrong-pw');
    const issued = await fetch(`${realm}?scope=repository:app:pull`, {
      headers: { authorization: `Basic ${Buffer.from('u:echo-pw').toString('base64')}` },
    });
    expect(((await issued.json()) as { token: string }).token).toBe(auth.issued[0]);
  } finally {
    await auth.close();
  }
});
