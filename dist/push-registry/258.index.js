export const id = 258;
export const ids = [258];
export const modules = {

/***/ 7258:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   googleCredentials: () => (/* binding */ googleCredentials)
/* harmony export */ });
/* unused harmony exports CLOUD_PLATFORM_SCOPE, CREDENTIAL_FILE_VARIABLES, PROJECT_VARIABLES */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7464);


/**
 * Google credentials as a workflow has them: an explicit access token, or the credentials file that
 * google-github-actions/auth wrote (a service-account key or a Workload Identity Federation
 * `external_account` file), which google-auth-library turns into access tokens. Every token, the key's
 * private key and the federation request token are masked the moment we see them.
 *
 *   googleCredentials({ accessToken?, scopes?, project? }) → { token(), project?, source }
 *
 * `token()` returns a valid access token (cached by google-auth-library until near expiry); `project` is the
 * explicit one, else GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT / GCLOUD_PROJECT / GCP_PROJECT, else the
 * file's project_id; `source` says where the credentials came from, for logs and summaries.
 *
 * One thing google-auth-library does not do: it posts service-account assertions to Google's fixed token
 * URL and ignores the key's own `token_uri`. We send them to `token_uri` (a request interceptor), so keys
 * for private endpoints, and local token servers in tests, work.
 */
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Where google-github-actions/auth (and gcloud) leave the credentials file, in the order we look. */
const CREDENTIAL_FILE_VARIABLES = [
    'GOOGLE_APPLICATION_CREDENTIALS',
    'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
    'GOOGLE_GHA_CREDS_PATH',
];
const PROJECT_VARIABLES = ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT', 'GCLOUD_PROJECT', 'GCP_PROJECT'];
const NO_CREDENTIALS = 'No Google credentials found: run google-github-actions/auth before this step (it sets GOOGLE_APPLICATION_CREDENTIALS), or pass an OAuth token in the "access-token" input';
async function googleCredentials(options = {}) {
    const env = options.env ?? process.env;
    const envProject = PROJECT_VARIABLES.map((name) => env[name]).find(Boolean);
    if (options.accessToken) {
        const token = (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(options.accessToken.trim());
        return { token: async () => token, project: options.project ?? envProject, source: 'access-token input' };
    }
    const variable = CREDENTIAL_FILE_VARIABLES.find((name) => env[name]);
    const path = variable && env[variable];
    if (!variable || !path)
        throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(NO_CREDENTIALS);
    const json = readCredentialFile(path, variable);
    const type = String(json.type ?? '');
    maskFile(json);
    // Loaded only when a credentials file is used: it is most of the bundle's weight.
    const { GoogleAuth } = await __webpack_require__.e(/* import() */ 492).then(__webpack_require__.t.bind(__webpack_require__, 492, 23));
    const auth = new GoogleAuth({ credentials: json, scopes: options.scopes ?? [CLOUD_PLATFORM_SCOPE] });
    let client;
    try {
        client = (await auth.getClient());
    }
    catch (error) {
        throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo((0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(`The credentials file in ${variable} cannot be used: ${error.message}`));
    }
    const tokenUri = typeof json.token_uri === 'string' ? json.token_uri : undefined;
    if (type === 'service_account' && tokenUri && tokenUri !== GOOGLE_TOKEN_URL)
        sendAssertionsTo(client, tokenUri);
    const who = type === 'service_account'
        ? `service account ${json.client_email}`
        : type === 'external_account'
            ? 'Workload Identity Federation'
            : type.replace(/_/g, ' ') || 'credentials';
    const source = `${who} (${variable})`;
    return {
        source,
        project: options.project ?? envProject ?? (typeof json.project_id === 'string' ? json.project_id : undefined),
        async token() {
            let token;
            try {
                token = (await client.getAccessToken()).token;
            }
            catch (error) {
                throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo((0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(`Could not get a Google access token from ${source}: ${describe(error)}`));
            }
            if (!token)
                throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`Could not get a Google access token from ${source}: none was returned`);
            return (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(token);
        },
    };
}
function readCredentialFile(path, variable) {
    let text;
    try {
        text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
    }
    catch {
        throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`${variable} points at ${path}, which cannot be read: run google-github-actions/auth in the same job, before this step`);
    }
    try {
        const json = JSON.parse(text);
        if (json && typeof json === 'object' && !Array.isArray(json))
            return json;
    }
    catch { }
    // Never quote the file: it is a key.
    throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .UserError */ .yo(`${variable} points at ${path}, which is not a JSON credentials file: give a service-account key or an external_account file`);
}
/** Masks what in the file is secret: the private key (whole and line by line) and any federation request token. */
function maskFile(json) {
    if (typeof json.private_key === 'string') {
        // Line by line: a PEM block is masked by its lines, and no line of it can then appear anywhere.
        for (const line of json.private_key.split(/\r?\n/))
            if (line.length >= 16 && !line.startsWith('-----'))
                (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(line);
    }
    if (typeof json.private_key_id === 'string')
        (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(json.private_key_id);
    const headers = json.credential_source?.headers ?? {};
    for (const value of Object.values(headers)) {
        (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(value);
        (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(value.replace(/^Bearer\s+/i, ''));
    }
    if (typeof json.client_secret === 'string')
        (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(json.client_secret);
    if (typeof json.refresh_token === 'string')
        (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(json.refresh_token);
}
function sendAssertionsTo(client, tokenUri) {
    client.transporter.interceptors.request.add({
        resolved: async (config) => {
            if (String(config.url) === GOOGLE_TOKEN_URL)
                config.url = new URL(tokenUri);
            return config;
        },
    });
}
/** google-auth-library errors carry the token endpoint's answer in `response.data`. */
function describe(error) {
    const data = error.response?.data;
    const detail = data && typeof data === 'object'
        ? [data.error, data.error_description]
            .filter((v) => typeof v === 'string')
            .join(': ')
        : '';
    return detail || error.message;
}


/***/ })

};
