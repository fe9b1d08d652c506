import { awsClientOptions } from '@deploy-actions/toolkit';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

/**
 * Amazon ECR registry credentials: GetAuthorizationToken through @aws-sdk/client-ecr with the default
 * credential chain (environment, web identity from aws-actions/configure-aws-credentials, profiles,
 * instance roles). The SDK signs the call and honours AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL, which is
 * how tests point it at the emulator. The token is base64 `AWS:<password>`, valid for 12 hours.
 */

export interface EcrAuthorization {
  username: string;
  password: string;
  expiresAt?: Date;
  proxyEndpoint?: string;
}

export class EcrAuthError extends Error {
  override name = 'EcrAuthError';
}

export async function ecrAuthorization(options: { region: string; account?: string }): Promise<EcrAuthorization> {
  const client = new ECRClient({ region: options.region, maxAttempts: 5, ...awsClientOptions() });
  let data: { authorizationToken?: string; expiresAt?: Date; proxyEndpoint?: string } | undefined;
  try {
    const response = await client.send(
      new GetAuthorizationTokenCommand(options.account ? { registryIds: [options.account] } : {}),
    );
    data = response.authorizationData?.[0];
  } catch (error) {
    const name = (error as Error).name;
    throw new EcrAuthError(
      `ECR GetAuthorizationToken in ${options.region} failed (${name}): ${(error as Error).message}; give the job AWS credentials with ecr:GetAuthorizationToken (aws-actions/configure-aws-credentials)`,
    );
  } finally {
    client.destroy();
  }
  if (!data?.authorizationToken)
    throw new EcrAuthError(`ECR GetAuthorizationToken in ${options.region} returned no token`);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new EcrAuthError('ECR returned a token that is not base64 user:password');
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    expiresAt: data.expiresAt,
    proxyEndpoint: data.proxyEndpoint,
  };
}
