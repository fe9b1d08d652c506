import { EmulatorServer } from './server';

/**
 * Amazon ECR Public's GetAuthorizationToken on the AWS JSON 1.1 protocol (`POST /` with `X-Amz-Target:
 * SpencerFrontendService.GetAuthorizationToken`, the target prefix in @aws-sdk/client-ecr-public's
 * model), driven by the real SDK through AWS_ENDPOINT_URL_ECR_PUBLIC. As the service does, it takes
 * SigV4-signed calls for the `ecr-public` signing name in us-east-1 only and answers one
 * `authorizationData` object (not a list, unlike private ECR) whose token is base64 `AWS:<password>`.
 */

export interface EcrPublicEmulatorOptions {
  password: string;
  accessKeyId?: string;
  expiresIn?: number;
}

const TARGET = 'SpencerFrontendService.';

export class EcrPublicEmulator extends EmulatorServer {
  calls = 0;

  constructor(options: EcrPublicEmulatorOptions) {
    super();
    this.route('POST', /^\/$/, (req) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith(TARGET))
        return { status: 400, body: { __type: 'UnknownOperationException', message: `unknown target ${target}` } };
      const auth = String(req.headers.authorization ?? '');
      const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
      if (!auth.startsWith('AWS4-HMAC-SHA256 ') || !credential)
        return {
          status: 403,
          body: { __type: 'MissingAuthenticationTokenException', message: 'request is not signed' },
        };
      if (credential[3] !== 'ecr-public')
        return {
          status: 403,
          body: {
            __type: 'InvalidSignatureException',
            message: `Credential should be scoped to correct service: 'ecr-public'`,
          },
        };
      if (credential[2] !== 'us-east-1')
        return {
          status: 403,
          body: {
            __type: 'InvalidSignatureException',
            message: `Credential should be scoped to a valid region, not '${credential[2]}'`,
          },
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
      this.calls++;
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: {
          authorizationData: {
            authorizationToken: Buffer.from(`AWS:${options.password}`).toString('base64'),
            expiresAt: Math.floor(Date.now() / 1000) + (options.expiresIn ?? 43_200),
          },
        },
      };
    });
  }
}
