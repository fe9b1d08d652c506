import { inputFragment } from '@deploy-actions/toolkit';

/**
 * The Google target, defined once for every action that calls a Google API (deploy-cloudrun, snapshot-db's
 * cloudsql provider, run-migrations' cloudrun-job mode): project, region, API endpoint and access token.
 * The endpoint's default and the API's name differ per action, so this is a function. Spread it into a
 * manifest's inputs, and add `appliesTo` where only some modes use Google:
 *   `...googleTarget({ api: 'Cloud Run Admin API', endpoint: 'https://run.googleapis.com' })`.
 * Maintained by the gcp package's owner.
 */
export function googleTarget<const E extends string>(options: { api: string; endpoint: E }) {
  return inputFragment({
    'project-id': {
      kind: 'string',
      description:
        "The Google Cloud project. Defaults to the project google-github-actions/auth exported, or the credentials file's.",
      pattern: /^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
      described: 'a Google Cloud project ID like my-project-123',
    },
    region: {
      kind: 'string',
      description: 'The Google Cloud region, e.g. us-central1.',
    },
    'api-endpoint': {
      kind: 'url',
      default: options.endpoint,
      description: `The ${options.api} base URL, for a private endpoint, a proxy or a test double. https, or http to a loopback address.`,
    },
    'access-token': {
      kind: 'string',
      secret: true,
      description:
        'An OAuth 2 access token to use instead of the credentials google-github-actions/auth writes. Masked.',
    },
  });
}
