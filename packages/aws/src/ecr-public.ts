import { awsClientOptions } from '@deploy-actions/toolkit';
import { ECRPUBLICClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr-public';
import { EcrAuthError, type EcrAuthorization } from './ecr';

/**
 * Amazon ECR Public (`public.ecr.aws`) registry credentials: GetAuthorizationToken through
 * @aws-sdk/client-ecr-public, always in us-east-1 (the only region that serves it), with the default
 * credential chain. The SDK honours AWS_ENDPOINT_URL_ECR_PUBLIC / AWS_ENDPOINT_URL, which is how tests
 * point it at the emulator. The token is base64 `AWS:<password>`; the role needs
 * ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken.
 */
export const ECR_PUBLIC_REGION = 'us-east-1';

export async function ecrPublicAuthorization(): Promise<EcrAuthorization> {
  const client = new ECRPUBLICClient({ region: ECR_PUBLIC_REGION, maxAttempts: 5, ...awsClientOptions() });
  let data: { authorizationToken?: string; expiresAt?: Date } | undefined;
  try {
    data = (await client.send(new GetAuthorizationTokenCommand({}))).authorizationData;
  } catch (error) {
    const name = (error as Error).name;
    throw new EcrAuthError(
      `ECR Public GetAuthorizationToken (us-east-1) failed (${name}): ${(error as Error).message}; give the job AWS credentials with ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken`,
    );
  } finally {
    client.destroy();
  }
  if (!data?.authorizationToken) throw new EcrAuthError('ECR Public GetAuthorizationToken returned no token');
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new EcrAuthError('ECR Public returned a token that is not base64 user:password');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), expiresAt: data.expiresAt };
}
