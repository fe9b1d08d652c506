export const id = 12;
export const ids = [12];
export const modules = {

/***/ 6012:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   build: () => (/* binding */ build)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8661);
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8116);





async function build(inputs, client, log, signal) {
    const work = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(process.env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)(), 'build-image-'));
    const started = Date.now();
    try {
        const secrets = Object.entries(inputs.secrets).map(([id, value]) => {
            const src = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(work, `secret-${id}`);
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(src, value, { mode: 0o600 });
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync)(src, 0o600);
            return { id, src };
        });
        for (const [id, src] of Object.entries(inputs.secretFiles))
            secrets.push({ id, src });
        const options = {
            ...inputs,
            tags: inputs.refs,
            secrets,
            iidFile: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(work, 'iid'),
            metadataFile: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(work, 'metadata.json'),
        };
        const command = (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.buildCommand)(options, client);
        log.info((0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_4__/* .redact */ .E$)(`${client.path} ${command.args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`));
        const result = await log.group(client.buildx ? 'Build (buildx)' : "Build (the engine's BuildKit)", () => (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.runTool)(client.path, command.args, {
            env: { ...process.env, ...command.env },
            onLine: (line) => log.info(line),
            timeoutMs: inputs.timeoutMs,
            signal,
            // buildx's type=gha cache talks to the runner's cache service with these.
            runnerTokens: true,
        }));
        if (result.stopped === 'timeout')
            throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_4__/* .TimeoutError */ .MU(`The build did not finish within ${(0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_4__/* .formatDuration */ .a3)(inputs.timeoutMs)}: stopped it (raise "timeout" if it needs longer)`);
        if (result.stopped === 'cancelled')
            throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo('The build was cancelled');
        const progress = (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.readProgress)(result.lines);
        if (result.code !== 0) {
            if (result.lines.some((l) => /buildx component is missing|'buildx' is not a docker command/.test(l)))
                throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`${client.path} refuses to build with BuildKit without the buildx plugin: add docker/setup-buildx-action before this step`);
            throw new _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_4__/* .UserError */ .yo(`The build failed:\n${(0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.failureLines)(result.lines).join('\n')}`);
        }
        const imageId = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(options.iidFile) ? (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(options.iidFile, 'utf8').trim() : '';
        const metadata = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(options.metadataFile)
            ? JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(options.metadataFile, 'utf8') || '{}')
            : {};
        const pushed = {};
        let size;
        let archiveDigest;
        if (client.buildx) {
            const digest = String(metadata['containerimage.digest'] ?? '');
            if (inputs.push)
                for (const ref of inputs.refs)
                    pushed[ref] = digest;
            if (inputs.load)
                size = await (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.imageSize)(client, imageId, signal);
            archiveDigest = inputs.archive?.format === 'oci' && !inputs.push ? digest || undefined : undefined;
            return { imageId, digest, pushed, metadata, archiveDigest, ...progress, size, durationMs: Date.now() - started };
        }
        // The engine's BuildKit always leaves the image in the engine: push, save and measure it there.
        const image = inputs.refs[0] ?? imageId;
        try {
            size = await (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.imageSize)(client, image, signal);
            if (inputs.push) {
                await log.group(`Push ${inputs.refs.length} tag${inputs.refs.length === 1 ? '' : 's'}`, async () => {
                    for (const ref of inputs.refs) {
                        pushed[ref] = await (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.pushImage)(client, ref, { log: (line) => log.info(line), signal });
                        log.info(`${ref}: ${pushed[ref]}`);
                    }
                });
            }
            if (inputs.archive) {
                const refs = inputs.refs.length ? inputs.refs : [imageId];
                if (inputs.archive.format === 'docker')
                    await (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.saveImage)(client, refs, inputs.archive.path, signal);
                else {
                    const saved = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(work, 'image.tar');
                    await (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.saveImage)(client, refs, saved, signal);
                    archiveDigest = await (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.dockerArchiveToOciLayout)(saved, inputs.archive.path);
                }
                log.info(`Saved ${inputs.archive.path} (${inputs.archive.format === 'oci' ? 'OCI image layout' : 'docker-archive'})`);
            }
        }
        finally {
            // Untag only what this build tagged: removing by ID could delete an identical image someone else tagged.
            if (!inputs.load)
                await (0,_deploy_actions_docker__WEBPACK_IMPORTED_MODULE_3__.removeImages)(client, inputs.refs);
        }
        const digest = Object.values(pushed)[0] ?? '';
        Object.assign(metadata, {
            'containerimage.config.digest': imageId,
            ...(digest ? { 'containerimage.digest': digest } : {}),
            'image.name': inputs.refs.join(','),
            ...(Object.keys(pushed).length ? { 'pushed.digests': pushed } : {}),
        });
        return { imageId, digest, pushed, metadata, archiveDigest, ...progress, size, durationMs: Date.now() - started };
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(work, { recursive: true, force: true });
    }
}


/***/ })

};
