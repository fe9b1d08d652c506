export const id = 515;
export const ids = [515];
export const modules = {

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
