import { createCipheriv, randomBytes, scrypt } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/**
 * The dump is encrypted before it becomes an artifact, in the age format (age-encryption.org/v1): a
 * documented, versioned format with authenticated encryption (ChaCha20-Poly1305 in 64 KiB chunks, so a
 * changed or truncated file fails to decrypt instead of restoring garbage), decrypted by one common tool,
 * `age -d` (Debian/Ubuntu `apt install age`, Homebrew `brew install age`). We chose it over
 * `openssl enc -aes-256-cbc -pbkdf2`, which has no integrity check at all.
 *
 * Two ways to hold the key:
 * - recipients (`age1...` public keys): the runner can encrypt but never decrypt; whoever restores
 *   runs `age -d -i key.txt`;
 * - a passphrase from a secret: `age -d` asks for it.
 *
 * The file is written by `age-encryption` (the reference TypeScript implementation by age's author),
 * streamed, so a dump of any size never sits in memory. The passphrase stanza is made here, with Node's
 * native scrypt, exactly as the spec says (scrypt N=2^18, r=8, p=1 over the label and a random salt,
 * then ChaCha20-Poly1305 with a zero nonce around the file key): the library's pure-JavaScript scrypt
 * takes ten times as long (7 s against 0.7 s here).
 */

export type EncryptionKey = { kind: 'passphrase'; passphrase: string } | { kind: 'recipients'; recipients: string[] };

/** `age1` X25519 recipients, and the post-quantum hybrid `age1pq1` ones the library also writes. */
export const RECIPIENT = /^age1(?:pq1)?[02-9ac-hj-np-z]{50,}$/;

const SCRYPT_LOG_N = 18;
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';

function scryptKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase,
      Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]),
      32,
      { N: 2 ** SCRYPT_LOG_N, r: 8, p: 1, maxmem: 512 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/** age's scrypt recipient (the spec's "scrypt recipient stanza"), on Node's native scrypt. */
async function passphraseRecipient(passphrase: string) {
  const { Stanza } = await import('age-encryption');
  return {
    async wrapFileKey(fileKey: Uint8Array) {
      const salt = randomBytes(16);
      const key = await scryptKey(passphrase, salt);
      const cipher = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
      const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
      return [new Stanza(['scrypt', salt.toString('base64').replace(/=+$/, ''), String(SCRYPT_LOG_N)], body)];
    },
  };
}

/** Encrypts `source` into `target` (an `.age` file), streamed. */
export async function encryptFile(source: string, target: string, key: EncryptionKey): Promise<void> {
  const { Encrypter } = await import('age-encryption');
  const encrypter = new Encrypter();
  if (key.kind === 'recipients') for (const r of key.recipients) encrypter.addRecipient(r);
  else encrypter.addRecipient(await passphraseRecipient(key.passphrase));
  const input = Readable.toWeb(createReadStream(source)) as unknown as ReadableStream<Uint8Array>;
  const output = await encrypter.encrypt(input);
  await pipeline(Readable.fromWeb(output as unknown as WebReadableStream<Uint8Array>), createWriteStream(target));
}

/** The command that turns the downloaded `.age` file back into the dump. */
export function decryptCommand(key: EncryptionKey, encrypted: string, plain: string): string {
  return key.kind === 'recipients'
    ? `age --decrypt --identity key.txt --output ${plain} ${encrypted}   # key.txt: the private key of one of the recipients`
    : `age --decrypt --output ${plain} ${encrypted}   # asks for the passphrase`;
}
