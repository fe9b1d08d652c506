export const id = 0;
export const ids = [0];
export const modules = {

/***/ 6000:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   summarize: () => (/* binding */ summarize)
/* harmony export */ });
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8116);

/** The job summary: what was built, where it went, how long it took and how much the cache saved. */
function summarize(summary, succeeded, inputs, client, result) {
    if (!inputs) {
        summary.headline('nothing built (an input was refused)');
        return;
    }
    // The registry of each name: its first component when that is a host (has a dot or port, or is localhost).
    const registries = [
        ...new Set(inputs.refs.map((ref) => /^([^/]*[.:][^/]*|localhost)\//.exec(ref)?.[1] ?? 'docker.io')),
    ];
    const where = [
        inputs.push && `pushed to ${registries.join(', ')}`,
        inputs.load && 'loaded into the engine',
        inputs.archive && `archived to ${inputs.archive.path}`,
    ]
        .filter(Boolean)
        .join(', ');
    const image = inputs.refs[0] ?? result?.imageId ?? 'an untagged image';
    summary.headline(succeeded ? `built ${image}` : `${image} was not built`);
    summary.facts([
        [
            'Result',
            succeeded
                ? where || 'built only (nothing pushed, loaded or archived)'
                : `failed; ${where || 'nothing'} was planned`,
        ],
        ['Digest', result?.digest || undefined],
        ['Image ID', result?.imageId || undefined],
        ['Size', result?.size === undefined || Number.isNaN(result.size) ? undefined : (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(result.size)],
        ['Duration', result ? (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(result.durationMs) : undefined],
        ['Cache', result?.steps ? `${result.cached} of ${result.steps} steps cached` : undefined],
        ['Version', inputs.version || undefined],
        [
            'Builder',
            client
                ? client.buildx
                    ? `buildx ${client.buildx}`
                    : `the engine's BuildKit (${client.path} ${client.version})`
                : undefined,
        ],
        [
            'Archive format',
            inputs.archive
                ? inputs.archive.format === 'oci'
                    ? 'OCI image layout (tar)'
                    : 'docker-archive (docker save)'
                : undefined,
        ],
        ['Build secrets', [...Object.keys(inputs.secrets), ...Object.keys(inputs.secretFiles)].join(', ') || undefined],
    ]);
    if (inputs.refs.length)
        summary.section('Tags').code(inputs.refs.join('\n'));
    const labels = Object.entries(inputs.labels).map(([k, v]) => `${k}=${v}`);
    if (labels.length)
        summary.section('Labels').code(labels.join('\n'));
}


/***/ })

};
