/**
 * Turns each registry's auth method into credentials, fetched lazily on the first request that needs
 * them: GITHUB_TOKEN for GHCR, an OAuth access token (Application Default Credentials, as left by
 * google-github-actions/auth) for Artifact Registry and GCR, an ECR authorization token from the AWS
 * default credential chain (ECR Public's from us-east-1), a login from the Docker config (its auths
 * entry, or its credential helper run now), or a username and password from the credentials input. Every secret is
 * masked the moment it exists; none is written to disk. The AWS SDK and google-auth-library are loaded
 * only when a registry needs them: most runs never do, and loading them costs more than an unchanged
 * re-push takes.
 */
import type { GoogleCredentials } from '@deploy-actions/gcp/auth';
import { InputError, registerSecret, UserError } from '@deploy-actions/toolkit';
import { type CredentialSource, DockerConfigError, helperCredentials, maskCredential } from '@deploy-actions/registry';
import type { Plan, RegistryPlan } from './inputs';

/** Checks what can be checked locally (a Google credentials file exists) and returns a source per registry. */
export async function credentialSources(inputs: Plan): Promise<Map<string, CredentialSource>> {
  const needsGoogle = [...inputs.registries.values()].some((r) => r.method === 'google');
  const google = needsGoogle ? await googleSource(inputs) : undefined;
  const sources = new Map<string, CredentialSource>();
  for (const plan of inputs.registries.values()) sources.set(plan.name, sourceFor(plan, inputs, google));
  return sources;
}

async function googleSource(inputs: Plan): Promise<CredentialSource> {
  const { googleCredentials } = await import('@deploy-actions/gcp/auth');
  let google: GoogleCredentials;
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
  return async () => ({ username: 'oauth2accesstoken', password: maskCredential(await google.token()) });
}

/** The AWS SDK reads these from the environment itself: masked (every form) before an API error could quote them. */
function maskAwsEnvironment(): void {
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    const value = process.env[name];
    if (value) registerSecret(value);
  }
}

function sourceFor(plan: RegistryPlan, inputs: Plan, google: CredentialSource | undefined): CredentialSource {
  switch (plan.method) {
    case 'basic':
      return async () => plan.basic;
    case 'github':
      return async () => ({ username: inputs.githubActor, password: plan.token });
    case 'google':
      return google ?? (async () => undefined);
    case 'ecr':
      return async () => {
        maskAwsEnvironment();
        const { ecrAuthorization } = await import('@deploy-actions/aws/ecr');
        const auth = await ecrAuthorization({ region: plan.awsRegion, account: plan.awsAccount });
        maskCredential(auth.password);
        return { username: auth.username, password: auth.password };
      };
    case 'ecr-public':
      return async () => {
        maskAwsEnvironment();
        const { ecrPublicAuthorization } = await import('@deploy-actions/aws/ecr-public');
        const auth = await ecrPublicAuthorization();
        maskCredential(auth.password);
        return { username: auth.username, password: auth.password };
      };
    case 'docker-config': {
      const login = plan.docker;
      if (login.kind === 'auth') return async () => login.credentials;
      return async () => {
        try {
          const creds = await helperCredentials(login.helper, plan.name);
          if (creds) maskCredential(creds.password);
          return creds;
        } catch (error) {
          if (error instanceof DockerConfigError) throw new UserError(`${plan.name}: ${error.message}`);
          throw error;
        }
      };
    }
    default:
      return async () => undefined;
  }
}
