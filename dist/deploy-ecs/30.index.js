export const id = 30;
export const ids = [30];
export const modules = {

/***/ 4030:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   switchMaintenance: () => (/* binding */ switchMaintenance)
/* harmony export */ });
/* unused harmony exports TAG, PAGE, encodeActions, decodeActions */
/* harmony import */ var _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(586);
/* harmony import */ var _toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9863);


/**
 * The maintenance switch (seed 003's "restricted" state): the service's production listener rule answers a
 * fixed 503 with a short page. `on` saves the rule's current actions in a tag on the rule (and in the
 * `previous-rule` output), so `off` restores exactly those actions, even from another job after a crash.
 * Both directions are idempotent: on when already on keeps the saved actions, off when already off does
 * nothing.
 */
const TAG = 'deploy-actions:maintenance-previous-actions';
const PAGE = '<!doctype html><title>Down for maintenance</title><h1>Down for maintenance</h1><p>We are upgrading the service and will be back in a few minutes.</p>';
/**
 * An ELB tag value holds 256 characters, which a forward to two target groups as JSON exceeds; a plain
 * forward (the usual rule) is saved compactly as `forward|<group>/<id>:<weight>|…`, anything else as JSON.
 */
function encodeActions(actions) {
    const [only] = actions;
    const groups = only?.ForwardConfig?.TargetGroups ??
        (only?.TargetGroupArn ? [{ TargetGroupArn: only.TargetGroupArn, Weight: 1 }] : []);
    const plain = actions.length === 1 && only.Type === 'forward' && !only.ForwardConfig?.TargetGroupStickinessConfig?.Enabled;
    if (plain && groups.every((g) => g.TargetGroupArn?.includes(':targetgroup/')))
        return `forward|${groups.map((g) => `${g.TargetGroupArn.split(':targetgroup/')[1]}:${g.Weight ?? 1}`).join('|')}`;
    return JSON.stringify(strip(actions));
}
function decodeActions(saved, ruleArn) {
    if (!saved.startsWith('forward|'))
        return JSON.parse(saved);
    const prefix = `${ruleArn.split(':listener-rule/')[0]}:targetgroup/`;
    const TargetGroups = saved
        .slice('forward|'.length)
        .split('|')
        .map((part) => {
        const colon = part.lastIndexOf(':');
        return { TargetGroupArn: prefix + part.slice(0, colon), Weight: Number(part.slice(colon + 1)) };
    });
    return [{ Type: 'forward', Order: 1, ForwardConfig: { TargetGroups } }];
}
function strip(actions) {
    // Only what ModifyRule takes back; ELB answers with the target group in two places.
    return actions.map((a) => {
        const copy = { ...a };
        if (copy.ForwardConfig && copy.TargetGroupArn)
            delete copy.TargetGroupArn;
        return copy;
    });
}
async function switchMaintenance(elb, ruleArn, want) {
    const rules = await elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__/* .DescribeRulesCommand */ .Ggo({ RuleArns: [ruleArn] }));
    const rule = rules.Rules?.[0];
    if (!rule)
        throw new _toolkit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The listener rule ${ruleArn} does not exist`);
    const tags = await elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__/* .DescribeTagsCommand */ .yRM({ ResourceArns: [ruleArn] }));
    const saved = tags.TagDescriptions?.[0]?.Tags?.find((t) => t.Key === TAG)?.Value;
    const isOn = (rule.Actions ?? []).some((a) => a.Type === 'fixed-response' && a.FixedResponseConfig?.StatusCode === '503');
    if (want === 'on') {
        if (isOn)
            return { ruleArn, changed: false, state: 'on', previous: saved };
        const previous = encodeActions(rule.Actions ?? []);
        if (previous.length > 256)
            throw new _toolkit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The rule's actions (${previous.length} characters) do not fit in one ELB tag (256); simplify the rule's forward action`);
        // The tag first: if the job dies between the two calls, off still knows what to restore.
        await elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__/* .AddTagsCommand */ .yjM({ ResourceArns: [ruleArn], Tags: [{ Key: TAG, Value: previous }] }));
        await elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__/* .ModifyRuleCommand */ .y5P({
            RuleArn: ruleArn,
            Actions: [
                {
                    Type: 'fixed-response',
                    Order: 1,
                    FixedResponseConfig: { StatusCode: '503', ContentType: 'text/html', MessageBody: PAGE },
                },
            ],
        }));
        return { ruleArn, changed: true, state: 'on', previous };
    }
    if (!isOn) {
        if (saved)
            await elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__/* .RemoveTagsCommand */ .L1A({ ResourceArns: [ruleArn], TagKeys: [TAG] }));
        return { ruleArn, changed: false, state: 'off' };
    }
    if (!saved)
        throw new _toolkit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`The rule ${ruleArn} answers 503 but has no ${TAG} tag, so the actions to restore are unknown; restore them by hand (aws elbv2 modify-rule)`);
    await elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__/* .ModifyRuleCommand */ .y5P({ RuleArn: ruleArn, Actions: decodeActions(saved, ruleArn) }));
    await elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_1__/* .RemoveTagsCommand */ .L1A({ ResourceArns: [ruleArn], TagKeys: [TAG] }));
    return { ruleArn, changed: true, state: 'off', previous: saved };
}


/***/ })

};
