import { parseReference } from '../../../packages/registry/src/reference';

/** Whether an image reference pins a digest (so the same reference always means the same image). */
export function hasDigest(image: string): boolean {
  return Boolean(parseReference(image).digest);
}
