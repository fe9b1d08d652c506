/**
 * Turns each registry's auth method into credentials, fetched lazily on the first request that needs
 * them: GITHUB_TOKEN for GHCR, an OAuth access token (Application Default Credentials, as left by
 * google-github-actions/auth) for Artifact Registry and GCR, an ECR authorization token from the AWS
 * default credential chain, or a username and password from the credentials input. Every secret is
 * masked the moment it exists; none is written to disk. The AWS SDK and google-auth-library are loaded
 * only when a registry needs them: most runs never do, and loading them costs more than an unchanged
 * re-push takes.
 */
import type { GoogleCredentials } from '@deploy-actions/gcp/auth';
import { InputError, registerSecret, UserError } from '@deploy-actions/toolkit';
import type { CredentialSource } from '@deploy-actions/registry';
import type { Inputs, RegistryPlan } from './inputs';

/** Checks what can be checked locally (a Google credentials file exists) and returns a source per registry. */
export async function credentialSources(inputs: Inputs): Promise<Map<string, CredentialSource>> {
  let google: GoogleCredentials | undefined;
  const needsGoogle = [...inputs.registries.values()].some((r) => r.method === 'google');
  if (needsGoogle) {
    const { googleCredentials } = await import('@deploy-actions/gcp/auth');
    try {
      google = await googleCredentials({
        accessToken: inputs.googleAccessToken,
        scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      });
    } catch (error) {
      if (error instanceof UserError)
        throw new InputError(
          'google-access-token',
          `is empty and ${error.message.replace(/^No/, 'no')}`,
          'set one of them',
        );
      throw error;
    }
  }
  const sources = new Map<string, CredentialSource>();
  for (const plan of inputs.registries.values()) sources.set(plan.name, sourceFor(plan, inputs, google));
  return sources;
}

function sourceFor(plan: RegistryPlan, inputs: Inputs, google?: GoogleCredentials): CredentialSource {
  switch (plan.method) {
    case 'basic':
      return async () => plan.basic;
    case 'github':
      return async () => ({ username: inputs.githubActor, password: inputs.githubToken! });
    case 'google':
      return async () => ({ username: 'oauth2accesstoken', password: registerSecret(await google!.token()) });
    case 'ecr':
      return async () => {
        const { ecrAuthorization } = await import('@deploy-actions/aws/ecr');
        const auth = await ecrAuthorization({ region: plan.awsRegion!, account: plan.awsAccount });
        registerSecret(auth.password);
        return { username: auth.username, password: auth.password };
      };
    default:
      return async () => undefined;
  }
}
