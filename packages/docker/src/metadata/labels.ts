import type { MetadataContext } from './context';

/**
 * The standard OCI image labels (org.opencontainers.image.*) from the repository in the event payload,
 * as metadata-action writes them; labels the user gives override them key by key.
 */
export function ociLabels(
  context: MetadataContext,
  version: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const repo = context.repository;
  const labels: Record<string, string | undefined> = {
    'org.opencontainers.image.title': repo.name,
    'org.opencontainers.image.description': repo.description ?? '',
    'org.opencontainers.image.url': repo.htmlUrl,
    'org.opencontainers.image.source': repo.htmlUrl,
    'org.opencontainers.image.version': version,
    'org.opencontainers.image.created': context.now.toISOString(),
    'org.opencontainers.image.revision': context.sha,
    'org.opencontainers.image.licenses': repo.license,
  };
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...labels, ...extra })) if (value !== undefined) result[key] = value;
  return result;
}
