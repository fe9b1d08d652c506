export const id = 9;
export const ids = [9,515];
export const modules = {

/***/ 3009:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ecrPublicAuthorization: () => (/* binding */ ecrPublicAuthorization)
/* harmony export */ });
/* unused harmony export ECR_PUBLIC_REGION */
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7464);
/* harmony import */ var _aws_sdk_client_ecr_public__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9821);
/* harmony import */ var _ecr__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8515);



/**
 * Amazon ECR Public (`public.ecr.aws`) registry credentials: GetAuthorizationToken through
 * @aws-sdk/client-ecr-public, always in us-east-1 (the only region that serves it), with the default
 * credential chain. The SDK honours AWS_ENDPOINT_URL_ECR_PUBLIC / AWS_ENDPOINT_URL, which is how tests
 * point it at the emulator. The token is base64 `AWS:<password>`; the role needs
 * ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken.
 */
const ECR_PUBLIC_REGION = 'us-east-1';
async function ecrPublicAuthorization() {
    const client = new _aws_sdk_client_ecr_public__WEBPACK_IMPORTED_MODULE_2__/* .ECRPUBLICClient */ .Rr({ region: ECR_PUBLIC_REGION, maxAttempts: 5, ...(0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .awsClientOptions */ .BE)() });
    let data;
    try {
        data = (await client.send(new _aws_sdk_client_ecr_public__WEBPACK_IMPORTED_MODULE_2__/* .GetAuthorizationTokenCommand */ .Eu({}))).authorizationData;
    }
    catch (error) {
        const name = error.name;
        throw new _ecr__WEBPACK_IMPORTED_MODULE_1__/* .EcrAuthError */ .r(`ECR Public GetAuthorizationToken (us-east-1) failed (${name}): ${error.message}; give the job AWS credentials with ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken`);
    }
    finally {
        client.destroy();
    }
    if (!data?.authorizationToken)
        throw new _ecr__WEBPACK_IMPORTED_MODULE_1__/* .EcrAuthError */ .r('ECR Public GetAuthorizationToken returned no token');
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
        throw new _ecr__WEBPACK_IMPORTED_MODULE_1__/* .EcrAuthError */ .r('ECR Public returned a token that is not base64 user:password');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), expiresAt: data.expiresAt };
}


/***/ }),

/***/ 8515:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ecrAuthorization: () => (/* binding */ ecrAuthorization),
/* harmony export */   r: () => (/* binding */ EcrAuthError)
/* harmony export */ });
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7464);
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8249);


class EcrAuthError extends Error {
    name = 'EcrAuthError';
}
async function ecrAuthorization(options) {
    const client = new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__/* .ECRClient */ .S70({ region: options.region, maxAttempts: 5, ...(0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .awsClientOptions */ .BE)() });
    let data;
    try {
        const response = await client.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__/* .GetAuthorizationTokenCommand */ .Eu6(options.account ? { registryIds: [options.account] } : {}));
        data = response.authorizationData?.[0];
    }
    catch (error) {
        const name = error.name;
        throw new EcrAuthError(`ECR GetAuthorizationToken in ${options.region} failed (${name}): ${error.message}; give the job AWS credentials with ecr:GetAuthorizationToken (aws-actions/configure-aws-credentials)`);
    }
    finally {
        client.destroy();
    }
    if (!data?.authorizationToken)
        throw new EcrAuthError(`ECR GetAuthorizationToken in ${options.region} returned no token`);
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
        throw new EcrAuthError('ECR returned a token that is not base64 user:password');
    return {
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
        expiresAt: data.expiresAt,
        proxyEndpoint: data.proxyEndpoint,
    };
}


/***/ })

};
