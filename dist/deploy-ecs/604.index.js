export const id = 604;
export const ids = [604];
export const modules = {

/***/ 1604:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   elbv2Client: () => (/* binding */ elbv2Client),
/* harmony export */   listenerOfRule: () => (/* binding */ listenerOfRule),
/* harmony export */   listenerUrl: () => (/* binding */ listenerUrl)
/* harmony export */ });
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1175);
/* harmony import */ var _ecs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3268);


/**
 * Elastic Load Balancing v2, loaded only when a deploy needs a listener rule or a load balancer's DNS name
 * (maintenance switch, test listener URL, the `url` output). AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2
 * points it at the emulator in tests.
 */
async function elbv2Client(region) {
    const { ElasticLoadBalancingV2Client } = await __webpack_require__.e(/* import() */ 586).then(__webpack_require__.t.bind(__webpack_require__, 586, 19));
    return (0,_ecs__WEBPACK_IMPORTED_MODULE_1__/* .countCalls */ .xe)(new ElasticLoadBalancingV2Client({ region, maxAttempts: 5, ...(0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .awsClientOptions */ .BE)() }));
}
/** `…:listener-rule/app/<lb>/<id>/<listener>/<rule>` → `…:listener/app/<lb>/<id>/<listener>`. */
function listenerOfRule(ruleArn) {
    return ruleArn.replace(':listener-rule/', ':listener/').replace(/\/[^/]+$/, '');
}
/** The URL a listener answers on: scheme from the protocol, the port unless it is the scheme's default. */
function listenerUrl(dnsName, protocol, port) {
    const scheme = protocol === 'HTTPS' || protocol === 'TLS' ? 'https' : 'http';
    const standard = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80) || port === undefined;
    return `${scheme}://${dnsName}${standard ? '' : `:${port}`}`;
}


/***/ })

};
