import { EmulatorServer } from './server';

/**
 * Amazon ECR's GetAuthorizationToken, the one call registry logins make, on the AWS JSON 1.1 protocol
 * (`POST /` with `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken`), driven by
 * the real @aws-sdk/client-ecr through AWS_ENDPOINT_URL_ECR. Requests must be SigV4-signed with the
 * expected access key. The token is base64 `AWS:<password>`; a test makes a registry accept that password.
 */

export interface EcrEmulatorOptions {
  password: string;
  accessKeyId?: string;
  /** Seconds until the token expires (ECR: 12 hours). */
  expiresIn?: number;
}

const TARGET = 'AmazonEC2ContainerRegistry_V20150921.';

export class EcrEmulator extends EmulatorServer {
  /** Regions the calls were signed for. */
  readonly regions: string[] = [];

  constructor(options: EcrEmulatorOptions) {
    super();
    this.route('POST', /^\/$/, (req) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith(TARGET))
        return { status: 400, body: { __type: 'UnknownOperationException', message: `unknown target ${target}` } };
      const auth = String(req.headers.authorization ?? '');
      const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\/ecr\/aws4_request/.exec(auth);
      if (!auth.startsWith('AWS4-HMAC-SHA256 ') || !credential)
        return {
          status: 403,
          body: { __type: 'MissingAuthenticationTokenException', message: 'request is not signed' },
        };
      if (options.accessKeyId && credential[1] !== options.accessKeyId)
        return {
          status: 403,
          body: {
            __type: 'UnrecognizedClientException',
            message: 'The security token included in the request is invalid.',
          },
        };
      const operation = target.slice(TARGET.length);
      if (operation !== 'GetAuthorizationToken')
        return { status: 400, body: { __type: 'UnknownOperationException', message: `${operation} is not emulated` } };
      this.regions.push(credential[2]);
      const registryIds = (req.json<{ registryIds?: string[] }>().registryIds ?? ['123456789012']) as string[];
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: {
          authorizationData: registryIds.map((id) => ({
            authorizationToken: Buffer.from(`AWS:${options.password}`).toString('base64'),
            expiresAt: Math.floor(Date.now() / 1000) + (options.expiresIn ?? 43_200),
            proxyEndpoint: `https://${id}.dkr.ecr.${credential[2]}.amazonaws.com`,
          })),
        },
      };
    });
  }
}
