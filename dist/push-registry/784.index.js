export const id = 784;
export const ids = [784];
export const modules = {

/***/ 2784:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   refsOf: () => (/* binding */ refsOf),
/* harmony export */   writeReport: () => (/* binding */ writeReport)
/* harmony export */ });
/* harmony import */ var _deploy_actions_registry__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8164);

function refsOf(results) {
    return results.filter((r) => !r.error).map((r) => `${r.registry}/${r.repository}@${r.digest}`);
}
function writeReport(ctx, outcome) {
    const { progress } = ctx;
    const results = progress.results ?? [];
    const ok = results.filter((r) => !r.error);
    const refs = refsOf(results);
    // digest, refs and image-ref: for the destinations that got the image, even when others failed.
    if (ok.length) {
        ctx.output('digest', ok[0].digest);
        ctx.output('image-ref', refs[0]);
    }
    ctx.output('refs', refs.join('\n'));
    const failed = results.length - ok.length;
    if (!results.length)
        ctx.summary.headline(outcome.status === 'success' ? 'nothing to push' : 'not pushed');
    else if (failed)
        ctx.summary.headline(`${ok.length} of ${results.length} destinations pushed`).status('failure');
    else
        ctx.summary.headline(progress.unchanged ? 'already up to date' : `pushed to ${results.length} destinations`);
    const steps = progress.plan;
    const compression = steps?.compression;
    ctx.summary.facts([
        ['Source', progress.image?.source],
        ['Digest', ok[0]?.digest ?? progress.image?.root.manifest.digest],
        ['Image reference', refs[0]],
        [
            'Platforms',
            progress.image?.root.children
                .map((c) => c.platform)
                .filter(Boolean)
                .join(', ') || undefined,
        ],
        ['Destinations', results.length ? `${ok.length} of ${results.length} succeeded` : undefined],
        ['Uploaded', results.length ? (0,_deploy_actions_registry__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(results.reduce((sum, r) => sum + r.bytes, 0)) : undefined],
        [
            'Compression',
            !compression || steps?.source.kind === 'registry'
                ? undefined
                : compression.algorithm === 'none'
                    ? 'none'
                    : `${compression.algorithm} level ${(0,_deploy_actions_registry__WEBPACK_IMPORTED_MODULE_0__/* .levelOf */ .In)(compression)} (layers already compressed go up as they are)`,
        ],
        ['Time', `${(ctx.elapsedMs() / 1000).toFixed(1)} s`],
        [
            'Registry requests',
            progress.registries
                ? [...progress.registries.values()].reduce((sum, r) => sum + r.requests + r.auth.tokensFetched, 0)
                : undefined,
        ],
        ['Login', progress.login ? "DOCKER_CONFIG exported with the pushed registries' logins for later steps" : undefined],
        [
            'Note',
            progress.unchanged ? 'Every destination already had this image: nothing was exported or uploaded.' : undefined,
        ],
    ]);
    if (outcome.status !== 'success' && !results.length)
        ctx.summary.steps([
            { label: 'Check the inputs', state: steps ? 'done' : 'failed' },
            { label: 'Load the image', state: progress.image ? 'done' : steps ? 'failed' : 'not-run' },
            { label: 'Push to the destinations', state: 'not-run' },
        ]);
    if (results.length)
        ctx.summary.table(['Destination', 'Result', 'Blobs pushed', 'Mounted', 'Skipped', 'Uploaded', 'Manifests', 'Time'], results.map((r) => [
            `${r.registry}/${r.repository}:${r.tags.join(', :')}`,
            r.error ? `failed: ${r.error.message}` : r.manifestsPushed ? 'pushed' : 'up to date',
            r.pushed,
            r.mounted,
            r.skipped,
            (0,_deploy_actions_registry__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(r.bytes),
            `${r.manifestsPushed} put, ${r.manifestsSkipped} unchanged`,
            `${(r.ms / 1000).toFixed(1)} s`,
        ]));
    if (refs.length)
        ctx.summary.section('Pushed references').list(refs);
}


/***/ })

};
