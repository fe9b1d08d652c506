export const id = 401;
export const ids = [401];
export const modules = {

/***/ 2401:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: TERMINAL

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./packages/aws/src/ecs.ts
var src_ecs = __webpack_require__(3268);
// EXTERNAL MODULE: ./actions/deploy-ecs/src/toolkit.ts + 1 modules
var toolkit = __webpack_require__(9807);
;// CONCATENATED MODULE: ./actions/deploy-ecs/src/health.ts


async function probe(gate, where, url, signal, clock = toolkit/* realClock */.dQ) {
    const statuses = {};
    let failures = 0;
    for (let i = 0; i < gate.probes; i++) {
        signal?.throwIfAborted();
        if (i > 0 && gate.intervalMs)
            await clock.sleep(gate.intervalMs);
        let outcome;
        let ok = false;
        try {
            const response = await fetch(url, {
                headers: { 'user-agent': 'deploy-actions deploy-ecs health gate' },
                redirect: 'manual',
                signal: AbortSignal.timeout(gate.timeoutMs),
            });
            await response.arrayBuffer();
            outcome = String(response.status);
            ok = gate.expected(response.status);
        }
        catch (error) {
            const cause = error.cause;
            outcome = error.name === 'TimeoutError' ? 'timeout' : (cause?.code ?? 'error');
        }
        statuses[outcome] = (statuses[outcome] ?? 0) + 1;
        if (!ok)
            failures++;
    }
    const passed = failures / gate.probes <= gate.maxErrorRate;
    const seen = Object.entries(statuses)
        .map(([s, n]) => `${n}× ${s}`)
        .join(', ');
    const result = { where, url, probes: gate.probes, failures, statuses, passed };
    if (!passed)
        result.reason = `${failures} of ${gate.probes} probes of the ${where} ${url} failed (${seen}; expected ${gate.expectedText}), above the allowed error rate of ${Math.round(gate.maxErrorRate * 100)}%`;
    core.info(`Health gate on the ${where} ${url}: ${passed ? 'passed' : 'FAILED'}, ${failures}/${gate.probes} failed (${seen})${gate.intervalMs ? `, every ${(0,toolkit/* formatDuration */.a3)(gate.intervalMs)}` : ''}`);
    return result;
}
function gateUrl(base, path) {
    if (!base)
        return undefined;
    if (!path)
        return base;
    return new URL(path, `${base.replace(/\/$/, '')}/`).toString();
}

// EXTERNAL MODULE: ./actions/deploy-ecs/src/task-definition.ts
var task_definition = __webpack_require__(608);
;// CONCATENATED MODULE: ./actions/deploy-ecs/src/wait.ts


/**
 * Following one service deployment to its end. The budget is the issue's: an end noticed within 2 s, at no
 * more than 30 calls a minute. So there is exactly one call every 2 s (a sliding-window limiter makes sure),
 * and it is either DescribeServiceDeployments (status, stage, counts, hooks: the default) or, when the
 * stage changed or 30 s passed, DescribeServices instead, for the service events, which also reveals an end
 * (the deployment's rolloutState), so an events call never hides a finish; an end seen there is confirmed
 * with one DescribeServiceDeployments; in the final stages (BAKE_TIME, CLEAN_UP, a rollback) there are no events
 * calls, so an end there is seen by the deployment call itself, within 2 s. Throttling and 5xx stretch the interval (doubling, up to 30 s) and
 * it comes back as calls succeed. There is no cap on how long it follows: only the timeout input ends it.
 */
const TERMINAL = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];
/** The lifecycle stages a deployment ends from. */
const FINAL_STAGES = ['BAKE_TIME', 'CLEAN_UP'];
/** At most `perMinute` calls in any 60 s: waits until the oldest call of the window leaves it. */
class Budget {
    clock;
    perMinute;
    sent = [];
    constructor(clock, perMinute) {
        this.clock = clock;
        this.perMinute = perMinute;
    }
    async take(signal) {
        for (;;) {
            const now = this.clock.now();
            while (this.sent.length && this.sent[0] <= now - 60_000)
                this.sent.shift();
            if (this.sent.length < this.perMinute) {
                this.sent.push(now);
                return;
            }
            signal?.throwIfAborted();
            await this.clock.sleep(this.sent[0] + 60_000 - now);
        }
    }
}
function describe(v) {
    const parts = [`${v.status}${v.stage ? ` at ${v.stage}` : ''}`, `running ${v.running}/${v.desired}`];
    if (v.pending)
        parts.push(`pending ${v.pending}`);
    if (v.failures)
        parts.push(`failed tasks ${v.failures}${v.threshold ? `/${v.threshold}` : ''}`);
    if (v.alarms?.length)
        parts.push(`alarms ${v.alarms.join(', ')}`);
    return parts.join(' · ');
}
async function follow(sources, options) {
    const clock = options.clock ?? toolkit/* realClock */.dQ;
    const log = options.log ?? (() => { });
    const baseMs = options.intervalMs ?? 2000;
    const budget = new Budget(clock, options.perMinute ?? 30);
    const eventsEveryMs = options.eventsEveryMs ?? 30_000;
    const start = clock.now();
    const deadline = start + options.timeoutMs;
    let interval = baseMs;
    let calls = 0;
    let last;
    let lastKey = '';
    let lastEventsAt = -Infinity;
    let wantEvents = true;
    let lastLine = start;
    const seenEvents = new Set();
    const events = [];
    const call = async (fn) => {
        await budget.take(options.signal);
        calls++;
        try {
            const value = await fn();
            interval = Math.max(baseMs, interval / 2);
            return value;
        }
        catch (error) {
            if (!(0,src_ecs/* isThrottling */.E2)(error) && !(0,src_ecs/* isServerError */.GQ)(error))
                throw error;
            interval = Math.min(30_000, interval * 2);
            log(`ECS answered ${error.name} (${error.message}); next check in ${(0,toolkit/* formatDuration */.a3)(interval)}`);
            return undefined;
        }
    };
    for (;;) {
        options.signal?.throwIfAborted();
        const now = clock.now();
        let view;
        // In the stages an end comes from, no events call: an end seen there would need one more call to confirm,
        // which the budget could only grant 2 s later.
        const nearEnd = last !== undefined && (FINAL_STAGES.includes(last.stage ?? '') || last.status.startsWith('ROLLBACK'));
        if (!nearEnd && (wantEvents || now - lastEventsAt >= eventsEveryMs)) {
            const service = await call(() => sources.service());
            if (service) {
                lastEventsAt = clock.now();
                wantEvents = false;
                const fresh = service.events.filter((e) => !seenEvents.has(`${e.at} ${e.message}`)).reverse();
                for (const e of fresh) {
                    seenEvents.add(`${e.at} ${e.message}`);
                    events.push(e);
                }
                for (const e of fresh.slice(-3))
                    log(`  event: ${e.message}`);
                if (service.ended)
                    view = await call(() => sources.deployment());
            }
        }
        else
            view = await call(() => sources.deployment());
        if (view) {
            const previous = last;
            last = view;
            const key = describe(view);
            if (key !== lastKey) {
                if (view.stage !== previous?.stage || view.status !== previous?.status)
                    wantEvents = true;
                log(`${key} (${(0,toolkit/* formatDuration */.a3)(clock.now() - start)})`);
                options.onChange?.(view, clock.now());
                lastKey = key;
                lastLine = clock.now();
            }
            else if (clock.now() - lastLine >= 60_000) {
                log(`still ${key}; ${(0,toolkit/* formatDuration */.a3)(clock.now() - start)} elapsed`);
                lastLine = clock.now();
            }
            if (TERMINAL.includes(view.status))
                return { view, calls, seenAt: clock.now(), events };
            if (view.hook && options.onHook) {
                await options.onHook(view);
                wantEvents = true;
                continue;
            }
        }
        const after = clock.now();
        if (after >= deadline)
            throw new toolkit/* TimeoutError */.MU(`Timed out after ${(0,toolkit/* formatDuration */.a3)(options.timeoutMs)} following the deployment (last: ${last ? describe(last) : 'no answer'}); raise timeout (it may be hours)`);
        await clock.sleep(Math.min(Math.max(0, now + interval - after), deadline - after));
    }
}

;// CONCATENATED MODULE: ./actions/deploy-ecs/src/deploy.ts








const note = (report, what) => {
    report.timeline.push({ at: Date.now(), what });
};
/** Reads and idempotent updates: retried on throttling and 5xx with backoff. */
function safely(fn, signal) {
    return (0,toolkit/* retry */.L5)(async () => {
        signal.throwIfAborted();
        return fn();
    }, { attempts: 6, baseMs: 1000, maxMs: 20_000, retryable: (e) => (0,src_ecs/* isThrottling */.E2)(e) || (0,src_ecs/* isServerError */.GQ)(e) });
}
function explain(error, what) {
    if (error instanceof toolkit/* UserError */.yo || error.name === 'AbortError')
        throw error;
    const name = (0,src_ecs/* awsErrorName */.ZH)(error);
    const message = error.message;
    const hint = name === 'AccessDeniedException' || /not authorized/i.test(message)
        ? '; give the job the IAM permissions listed in the deploy-ecs README'
        : name === 'ClusterNotFoundException'
            ? '; check the cluster input and the region'
            : '';
    throw new toolkit/* UserError */.yo(`${what} failed (${name}): ${message}${hint}`);
}
async function run(ctx) {
    const { inputs, report, signal } = ctx;
    const ecs = (0,src_ecs/* ecsClient */.br)(inputs.region);
    report.calls = () => ecs.total() + extraCalls.count;
    const service = await describeService(ecs.client, inputs, signal);
    report.consoleUrl = (0,src_ecs/* serviceConsoleUrl */.Eo)(inputs.region, inputs.cluster, service.serviceName ?? inputs.service);
    report.previousDesiredCount = service.desiredCount;
    report.previousTaskDefinitionArn = service.taskDefinition;
    report.taskDefinitionArn = service.taskDefinition;
    report.url = await serviceUrl(inputs.region, service).catch((error) => {
        core.warning(`Could not read the load balancer's address: ${error.message}`);
        return undefined;
    });
    if (inputs.maintenance)
        return maintenance(ctx, service);
    const deploys = inputs.images.length > 0 ||
        inputs.taskDefinitionFile !== undefined ||
        Object.keys(inputs.env).length > 0 ||
        Object.keys(inputs.secrets).length > 0;
    if (!deploys && inputs.desiredCount !== undefined)
        return scale(ctx, ecs.client, service, inputs.desiredCount);
    return deploy(ctx, ecs, service);
}
const extraCalls = { count: 0 };
async function describeService(ecs, inputs, signal) {
    const out = await safely(() => ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster: inputs.cluster, services: [inputs.service], include: ['TAGS'] })), signal).catch((error) => explain(error, `DescribeServices ${inputs.service} in ${inputs.cluster}`));
    const service = out.services?.[0];
    if (!service)
        throw new toolkit/* UserError */.yo(`Service "${inputs.service}" was not found in cluster "${inputs.cluster}" (${inputs.region}): ${out.failures?.[0]?.reason ?? 'MISSING'}; check service, cluster and region`);
    if (service.status !== 'ACTIVE')
        throw new toolkit/* UserError */.yo(`Service "${inputs.service}" is ${service.status}, not ACTIVE; it cannot be deployed`);
    return service;
}
/** The load balancer's address for the `url` output (ELBv2 loaded only for services behind one). */
async function serviceUrl(region, service) {
    const lb = service.loadBalancers?.[0];
    if (!lb?.targetGroupArn)
        return undefined;
    const { elbv2Client, listenerOfRule, listenerUrl } = await __webpack_require__.e(/* import() */ 604).then(__webpack_require__.bind(__webpack_require__, 1604));
    const { DescribeTargetGroupsCommand, DescribeLoadBalancersCommand, DescribeListenersCommand } = await __webpack_require__.e(/* import() */ 586).then(__webpack_require__.t.bind(__webpack_require__, 586, 19));
    const elb = await elbv2Client(region);
    try {
        const rule = lb.advancedConfiguration?.productionListenerRule;
        let listener;
        if (rule) {
            listener = (await elb.client.send(new DescribeListenersCommand({ ListenerArns: [listenerOfRule(rule)] })))
                .Listeners?.[0];
        }
        const lbArn = listener?.LoadBalancerArn ??
            (await elb.client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [lb.targetGroupArn] })))
                .TargetGroups?.[0]?.LoadBalancerArns?.[0];
        if (!lbArn)
            return undefined;
        const dns = (await elb.client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] })))
            .LoadBalancers?.[0]?.DNSName;
        if (!dns)
            return undefined;
        listener ??= (await elb.client.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners?.[0];
        return listenerUrl(dns, listener?.Protocol, listener?.Port);
    }
    finally {
        extraCalls.count += elb.total();
    }
}
async function testListenerUrl(region, service) {
    const rule = service.loadBalancers?.[0]?.advancedConfiguration?.testListenerRule;
    if (!rule)
        return undefined;
    const { elbv2Client, listenerOfRule, listenerUrl } = await __webpack_require__.e(/* import() */ 604).then(__webpack_require__.bind(__webpack_require__, 1604));
    const { DescribeLoadBalancersCommand, DescribeListenersCommand } = await __webpack_require__.e(/* import() */ 586).then(__webpack_require__.t.bind(__webpack_require__, 586, 19));
    const elb = await elbv2Client(region);
    try {
        const listener = (await elb.client.send(new DescribeListenersCommand({ ListenerArns: [listenerOfRule(rule)] })))
            .Listeners?.[0];
        const dns = (await elb.client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [listener.LoadBalancerArn] }))).LoadBalancers?.[0]?.DNSName;
        return dns ? listenerUrl(dns, listener?.Protocol, listener?.Port) : undefined;
    }
    finally {
        extraCalls.count += elb.total();
    }
}
async function maintenance(ctx, service) {
    const { inputs, report } = ctx;
    report.action = 'maintenance';
    const lb = service.loadBalancers?.[0];
    const ruleArn = lb?.advancedConfiguration?.productionListenerRule;
    if (!ruleArn)
        throw new toolkit/* UserError */.yo(`Service "${inputs.service}" has no production listener rule (loadBalancers[].advancedConfiguration.productionListenerRule), so maintenance has nothing to switch; give the service a listener rule (the ECS blue/green load balancer configuration)`);
    const { elbv2Client } = await __webpack_require__.e(/* import() */ 604).then(__webpack_require__.bind(__webpack_require__, 1604));
    const { switchMaintenance } = await Promise.all(/* import() */[__webpack_require__.e(586), __webpack_require__.e(30)]).then(__webpack_require__.bind(__webpack_require__, 4030));
    const elb = await elbv2Client(inputs.region);
    try {
        const switched = await switchMaintenance(elb.client, ruleArn, inputs.maintenance);
        report.maintenanceRule = ruleArn;
        report.previousRule = switched.previous;
        report.status = `maintenance-${switched.state}`;
        const what = switched.changed
            ? `Maintenance ${switched.state}: the production listener rule ${switched.state === 'on' ? 'now answers 503 with the maintenance page' : 'forwards as before again'}`
            : `Maintenance was already ${switched.state}; nothing changed`;
        core.info(what);
        note(report, what);
    }
    catch (error) {
        explain(error, `Switching maintenance ${inputs.maintenance}`);
    }
    finally {
        extraCalls.count += elb.total();
    }
}
/** desired-count alone: scale and (with wait) wait until the running tasks match; 0 waits until none runs. */
async function scale(ctx, ecs, service, desired) {
    const { inputs, report, signal } = ctx;
    const clock = ctx.clock ?? toolkit/* realClock */.dQ;
    report.action = 'scale';
    report.desiredCount = desired;
    core.info(`Scaling ${inputs.service} from ${service.desiredCount} to ${desired} tasks`);
    await safely(() => ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({ cluster: inputs.cluster, service: inputs.service, desiredCount: desired })), signal).catch((error) => explain(error, 'UpdateService'));
    note(report, `desired count ${service.desiredCount} → ${desired}`);
    if (!inputs.wait) {
        report.status = 'scaled';
        return;
    }
    const started = clock.now();
    let lastLine = '';
    for (;;) {
        signal.throwIfAborted();
        const s = (await safely(() => ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster: inputs.cluster, services: [inputs.service] })), signal)).services?.[0];
        let stopping = 0;
        if (desired === 0) {
            const listed = await safely(() => ecs.send(new dist_cjs/* ListTasksCommand */.MYg({
                cluster: inputs.cluster,
                serviceName: inputs.service,
                desiredStatus: 'STOPPED',
                maxResults: 100,
            })), signal);
            if (listed.taskArns?.length) {
                const tasks = await safely(() => ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster: inputs.cluster, tasks: listed.taskArns })), signal);
                stopping = (tasks.tasks ?? []).filter((t) => t.lastStatus !== 'STOPPED').length;
            }
        }
        const line = `running ${s?.runningCount}/${desired} · pending ${s?.pendingCount}${desired === 0 ? ` · stopping ${stopping}` : ''}`;
        if (line !== lastLine)
            core.info(`${line} (${(0,toolkit/* formatDuration */.a3)(clock.now() - started)})`);
        lastLine = line;
        const done = s?.runningCount === desired &&
            s?.pendingCount === 0 &&
            stopping === 0 &&
            (desired > 0 || (s?.runningCount ?? 0) === 0);
        if (done)
            break;
        if (clock.now() - started > inputs.timeoutMs)
            throw new toolkit/* TimeoutError */.MU(`Timed out after ${(0,toolkit/* formatDuration */.a3)(inputs.timeoutMs)} waiting for ${line}; raise timeout`);
        await clock.sleep(2000);
    }
    report.status = desired === 0 ? 'stopped' : 'scaled';
    note(report, desired === 0 ? 'no task runs' : `${desired} tasks running`);
}
function deploymentConfiguration(inputs, service) {
    const current = service.deploymentConfiguration ?? {};
    const gate = inputs.health !== undefined;
    // PAUSE hooks this action manages: only those at the two gate stages, so a service's own hooks stay.
    const gateStages = ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'];
    const others = (current.lifecycleHooks ?? []).filter((h) => !(h.targetType === 'PAUSE' && h.lifecycleStages?.every((s) => gateStages.includes(s))));
    const hooks = gate
        ? [
            ...others,
            { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] },
        ]
        : others;
    switch (inputs.strategy) {
        case 'service':
            return undefined;
        case 'rolling':
            return { ...current, strategy: 'ROLLING', lifecycleHooks: others };
        case 'blue-green':
            return {
                ...current,
                strategy: 'BLUE_GREEN',
                bakeTimeInMinutes: inputs.bakeTimeMinutes ?? current.bakeTimeInMinutes,
                lifecycleHooks: hooks,
            };
        case 'canary':
            return {
                ...current,
                strategy: 'CANARY',
                bakeTimeInMinutes: inputs.bakeTimeMinutes ?? current.bakeTimeInMinutes,
                canaryConfiguration: {
                    canaryPercent: inputs.canaryPercent ?? current.canaryConfiguration?.canaryPercent ?? 10,
                    canaryBakeTimeInMinutes: current.canaryConfiguration?.canaryBakeTimeInMinutes ?? inputs.bakeTimeMinutes ?? 0,
                },
                lifecycleHooks: hooks,
            };
        case 'linear':
            return {
                ...current,
                strategy: 'LINEAR',
                bakeTimeInMinutes: inputs.bakeTimeMinutes ?? current.bakeTimeInMinutes,
                linearConfiguration: {
                    stepPercent: inputs.linearStepPercent ?? current.linearConfiguration?.stepPercent ?? 10,
                    stepBakeTimeInMinutes: current.linearConfiguration?.stepBakeTimeInMinutes ?? inputs.bakeTimeMinutes ?? 0,
                },
                lifecycleHooks: hooks,
            };
    }
}
async function registerRevision(ecs, input, signal) {
    const started = new Date();
    try {
        const out = await ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(input));
        return out.taskDefinition.taskDefinitionArn;
    }
    catch (error) {
        if (!(0,src_ecs/* isThrottling */.E2)(error) && !(0,src_ecs/* isServerError */.GQ)(error))
            explain(error, 'RegisterTaskDefinition');
        // The answer was lost or refused for load: look before registering again (a revision may exist already).
        const latest = await safely(() => ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: input.family })), signal).catch(() => undefined);
        const td = latest?.taskDefinition;
        if (td?.registeredAt &&
            td.registeredAt >= new Date(started.getTime() - 5000) &&
            JSON.stringify(td.containerDefinitions) === JSON.stringify(input.containerDefinitions))
            return td.taskDefinitionArn;
        const out = await safely(() => ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(input)), signal).catch((e) => explain(e, 'RegisterTaskDefinition'));
        return out.taskDefinition.taskDefinitionArn;
    }
}
/** The service deployment our UpdateService started: the newest one since then whose target is our revision. */
async function findDeployment(ecs, inputs, taskDefinitionArn, since, signal) {
    for (let attempt = 0; attempt < 15; attempt++) {
        const listed = await safely(() => ecs.send(new dist_cjs/* ListServiceDeploymentsCommand */.jz8({
            cluster: inputs.cluster,
            service: inputs.service,
            createdAt: { after: new Date(since.getTime() - 60_000) },
        })), signal);
        const candidates = listed.serviceDeployments ?? [];
        const revisions = candidates.map((c) => c.targetServiceRevisionArn).filter(Boolean);
        if (revisions.length) {
            const described = await safely(() => ecs.send(new dist_cjs/* DescribeServiceRevisionsCommand */.oF5({ serviceRevisionArns: revisions.slice(0, 20) })), signal);
            const ours = new Set((described.serviceRevisions ?? [])
                .filter((r) => r.taskDefinition === taskDefinitionArn)
                .map((r) => r.serviceRevisionArn));
            const found = candidates.find((c) => ours.has(c.targetServiceRevisionArn));
            if (found?.serviceDeploymentArn)
                return found.serviceDeploymentArn;
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
    throw new toolkit/* UserError */.yo(`UpdateService was accepted but no service deployment to ${(0,task_definition/* shortName */.EU)(taskDefinitionArn)} appeared; check the service's events in the console`);
}
function view(d) {
    const target = d.targetServiceRevision ?? {};
    const hook = (d.lifecycleHookDetails ?? []).find((h) => h.status === 'AWAITING_ACTION' && h.targetType === 'PAUSE');
    return {
        status: d.status,
        statusReason: d.statusReason,
        stage: d.lifecycleStage,
        running: target.runningTaskCount ?? 0,
        desired: target.requestedTaskCount ?? 0,
        pending: target.pendingTaskCount ?? 0,
        failures: d.deploymentCircuitBreaker?.failureCount,
        threshold: d.deploymentCircuitBreaker?.status === 'DISABLED' ? undefined : d.deploymentCircuitBreaker?.threshold,
        hook: hook ? { hookId: hook.hookId, stage: d.lifecycleStage } : undefined,
        rollbackReason: d.rollback?.reason,
        alarms: d.alarms?.triggeredAlarmNames,
    };
}
async function followDeployment(ctx, ecs, arn, taskDefinitionArn, onHook) {
    const { inputs, report, signal } = ctx;
    const seenHooks = new Set();
    return follow({
        deployment: async () => {
            const out = await ecs.send(new dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: [arn] }));
            const d = out.serviceDeployments?.[0];
            if (!d)
                throw new toolkit/* UserError */.yo(`The service deployment ${arn} disappeared (${out.failures?.[0]?.reason})`);
            return view(d);
        },
        service: async () => {
            const out = await ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster: inputs.cluster, services: [inputs.service] }));
            const s = out.services?.[0];
            const ours = s?.deployments?.find((d) => d.taskDefinition === taskDefinitionArn);
            return {
                events: (s?.events ?? [])
                    .slice(0, 10)
                    .map((e) => ({ at: e.createdAt?.getTime() ?? 0, message: e.message ?? '' })),
                ended: !ours || (ours.rolloutState !== undefined && ours.rolloutState !== 'IN_PROGRESS'),
            };
        },
    }, {
        timeoutMs: Math.max(1000, inputs.timeoutMs - (Date.now() - report.startedAt)),
        signal,
        clock: ctx.clock,
        log: (line) => core.info(line),
        onChange: (v) => note(report, `${v.status}${v.stage ? ` · ${v.stage}` : ''} · ${v.running}/${v.desired} running`),
        onHook: async (v) => {
            if (!v.hook || seenHooks.has(v.hook.hookId))
                return;
            seenHooks.add(v.hook.hookId);
            if (onHook)
                await onHook(v);
            else
                core.info(`A PAUSE lifecycle hook at ${v.hook.stage} awaits action from someone else; following on`);
        },
    });
}
async function deploy(ctx, ecs, service) {
    const { inputs, report, signal } = ctx;
    report.action = 'deploy';
    const controller = service.deploymentController?.type ?? 'ECS';
    if (controller !== 'ECS')
        throw new toolkit/* UserError */.yo(controller === 'CODE_DEPLOY'
            ? `Service "${inputs.service}" uses the CODE_DEPLOY deployment controller: its deployments go through CodeDeploy (CreateDeployment with an AppSpec), which UpdateService cannot start; move the service to ECS's own blue/green (deploymentController ECS, strategy BLUE_GREEN) or keep deploying it with CodeDeploy`
            : `Service "${inputs.service}" uses the EXTERNAL deployment controller: task sets are managed by another tool, and UpdateService cannot deploy it; deploy with that tool`);
    const strategyNeedsLb = ['blue-green', 'canary', 'linear'].includes(inputs.strategy);
    if (strategyNeedsLb && !service.loadBalancers?.[0]?.advancedConfiguration)
        throw new toolkit/* UserError */.yo(`strategy: ${inputs.strategy} needs the service's load balancer with an alternate target group and listener rules (loadBalancers[].advancedConfiguration); add them to the service, or use strategy: rolling`);
    // The base: the file, or the service's current task definition (with its tags).
    let base;
    let tags;
    if (inputs.taskDefinitionFile) {
        base = JSON.parse((0,external_node_fs_.readFileSync)(inputs.taskDefinitionFile, 'utf8'));
        tags = base.tags;
    }
    else {
        const current = await safely(() => ecs.client.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: service.taskDefinition, include: ['TAGS'] })), signal).catch((error) => explain(error, `DescribeTaskDefinition ${(0,task_definition/* shortName */.EU)(service.taskDefinition)}`));
        base = current.taskDefinition;
        tags = current.tags;
    }
    const changed = (0,task_definition/* withChanges */.AW)(base, tags, { images: inputs.images, env: inputs.env, secrets: inputs.secrets });
    report.changes = changed.changes;
    for (const line of changed.changes)
        core.info(`Change: ${line}`);
    const taskDefinitionArn = await registerRevision(ecs.client, changed.input, signal);
    report.taskDefinitionArn = taskDefinitionArn;
    core.info(`Registered ${(0,task_definition/* shortName */.EU)(taskDefinitionArn)} (from ${inputs.taskDefinitionFile ? 'the file' : (0,task_definition/* shortName */.EU)(service.taskDefinition)})`);
    note(report, `registered ${(0,task_definition/* shortName */.EU)(taskDefinitionArn)}`);
    const since = new Date();
    const config = deploymentConfiguration(inputs, service);
    await safely(() => ecs.client.send(new dist_cjs/* UpdateServiceCommand */.kZr({
        cluster: inputs.cluster,
        service: inputs.service,
        taskDefinition: taskDefinitionArn,
        desiredCount: inputs.desiredCount,
        deploymentConfiguration: config,
    })), signal).catch((error) => explain(error, 'UpdateService'));
    if (inputs.desiredCount !== undefined)
        report.desiredCount = inputs.desiredCount;
    const arn = await findDeployment(ecs.client, inputs, taskDefinitionArn, since, signal);
    report.deploymentArn = arn;
    core.info(`Service deployment ${arn.split('/').pop()} started (${inputs.strategy}${config?.strategy ? ` → ${config.strategy}` : ''})`);
    note(report, `UpdateService → deployment ${arn.split('/').pop()}`);
    if (!inputs.wait) {
        report.status = 'IN_PROGRESS';
        return;
    }
    const gate = inputs.health;
    let testUrl;
    let prodUrl;
    if (gate) {
        prodUrl = gate.url ?? gateUrl(report.url, gate.path);
        testUrl =
            gate.testUrl ??
                (strategyNeedsLb || inputs.strategy === 'service'
                    ? gateUrl(await testListenerUrl(inputs.region, service), gate.path)
                    : undefined);
        if (!prodUrl)
            throw new toolkit/* UserError */.yo('The health gate has no URL: the service has no load balancer with a DNS name; give health-url (and health-test-url)');
    }
    let gateFailure;
    const onHook = gate
        ? async (v) => {
            const stage = v.hook.stage;
            const url = stage === 'POST_TEST_TRAFFIC_SHIFT' ? testUrl : prodUrl;
            let decision = 'CONTINUE';
            if (url && (stage === 'POST_TEST_TRAFFIC_SHIFT' || stage === 'POST_PRODUCTION_TRAFFIC_SHIFT')) {
                const result = await probe(gate, stage === 'POST_TEST_TRAFFIC_SHIFT' ? 'test listener' : 'service', url, signal);
                report.gates.push(result);
                note(report, `health gate at ${stage}: ${result.passed ? 'passed' : 'failed'}`);
                if (!result.passed) {
                    gateFailure = result.reason;
                    decision = 'ROLLBACK';
                }
            }
            await safely(() => ecs.client.send(new dist_cjs/* ContinueServiceDeploymentCommand */.LrH({
                serviceDeploymentArn: arn,
                hookId: v.hook.hookId,
                action: decision,
            })), signal).catch((error) => explain(error, 'ContinueServiceDeployment'));
            core.info(`Answered the ${stage} hook: ${decision}`);
        }
        : undefined;
    let followed;
    try {
        followed = await followDeployment(ctx, ecs.client, arn, taskDefinitionArn, onHook);
    }
    catch (error) {
        if (inputs.rollbackOnFailure && (error instanceof toolkit/* TimeoutError */.MU || signal.aborted)) {
            await ecs.client
                .send(new dist_cjs/* StopServiceDeploymentCommand */.a8L({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }))
                .then(() => {
                report.rolledBack = `the deployment was stopped with a rollback (${signal.aborted ? 'the job was cancelled' : 'timeout'})`;
                core.warning(`Stopped the deployment with a rollback to ${(0,task_definition/* shortName */.EU)(service.taskDefinition)}`);
            })
                .catch((e) => core.warning(`Could not stop the deployment: ${e.message}`));
        }
        throw error;
    }
    report.events = followed.events;
    const end = followed.view;
    report.status = end.status;
    report.statusReason = end.statusReason;
    if (end.status !== 'SUCCESSFUL') {
        if (end.status.startsWith('ROLLBACK')) {
            report.rolledBack = `ECS rolled back to ${(0,task_definition/* shortName */.EU)(service.taskDefinition)}`;
            const why = gateFailure
                ? `the health gate failed: ${gateFailure}`
                : (end.rollbackReason ?? end.statusReason ?? 'no reason given');
            throw new toolkit/* UserError */.yo(`ECS rolled the deployment back (${end.status}): ${why.replace(/\.$/, '')}. The service runs ${(0,task_definition/* shortName */.EU)(service.taskDefinition)} again`);
        }
        throw new toolkit/* UserError */.yo(`The deployment ended ${end.status}: ${end.statusReason ?? 'no reason given'}`);
    }
    core.info(`Deployment SUCCESSFUL: ${(0,task_definition/* shortName */.EU)(taskDefinitionArn)} serves ${inputs.service}`);
    // Rolling deploys gate after completion; a failure redeploys the previous task definition.
    if (gate && !onHookApplies(inputs, service)) {
        const result = await probe(gate, 'service', prodUrl, signal);
        report.gates.push(result);
        note(report, `health gate after the deployment: ${result.passed ? 'passed' : 'failed'}`);
        if (!result.passed) {
            if (!inputs.rollbackOnFailure)
                throw new toolkit/* UserError */.yo(`The health gate failed after the deployment: ${result.reason}; rollback-on-failure is false, so it stays`);
            core.warning(`Health gate failed; redeploying ${(0,task_definition/* shortName */.EU)(service.taskDefinition)}`);
            const back = new Date();
            await safely(() => ecs.client.send(new dist_cjs/* UpdateServiceCommand */.kZr({
                cluster: inputs.cluster,
                service: inputs.service,
                taskDefinition: service.taskDefinition,
            })), signal).catch((error) => explain(error, 'UpdateService (rollback)'));
            const backArn = await findDeployment(ecs.client, inputs, service.taskDefinition, back, signal);
            const rolled = await followDeployment(ctx, ecs.client, backArn, service.taskDefinition);
            report.rolledBack = `redeployed ${(0,task_definition/* shortName */.EU)(service.taskDefinition)} (${rolled.view.status})`;
            report.status = 'ROLLED_BACK';
            throw new toolkit/* UserError */.yo(`The health gate failed after the deployment: ${result.reason}. Rolled back to ${(0,task_definition/* shortName */.EU)(service.taskDefinition)} (${rolled.view.status})`);
        }
    }
}
/** Whether the gate ran at the PAUSE hooks (blue/green family) rather than after completion. */
function onHookApplies(inputs, service) {
    if (['blue-green', 'canary', 'linear'].includes(inputs.strategy))
        return true;
    if (inputs.strategy !== 'service')
        return false;
    // The service's own configuration: gated at hooks only if it has PAUSE hooks at the gate stages.
    return (service.deploymentConfiguration?.lifecycleHooks ?? []).some((h) => h.targetType === 'PAUSE' &&
        h.lifecycleStages?.some((s) => s === 'POST_TEST_TRAFFIC_SHIFT' || s === 'POST_PRODUCTION_TRAFFIC_SHIFT'));
}



/***/ }),

/***/ 3268:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E2: () => (/* binding */ isThrottling),
/* harmony export */   Eo: () => (/* binding */ serviceConsoleUrl),
/* harmony export */   GQ: () => (/* binding */ isServerError),
/* harmony export */   ZH: () => (/* binding */ awsErrorName),
/* harmony export */   br: () => (/* binding */ ecsClient),
/* harmony export */   xe: () => (/* binding */ count)
/* harmony export */ });
/* unused harmony export taskConsoleUrl */
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(212);

// biome-ignore lint/suspicious/noExplicitAny: every SDK v3 client has the same middleware stack shape
function count(client) {
    const calls = new Map();
    client.middlewareStack.add((next, context) => (args) => {
        const name = (context.commandName ?? 'call').replace(/Command$/, '');
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return next(args);
    }, { step: 'initialize', name: 'deployActionsCountCalls' });
    return { client, calls, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}
function ecsClient(region, maxAttempts = 3) {
    return count(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__/* .ECSClient */ .Zgc({ region, maxAttempts }));
}

/** The console page of a task (and its logs tab). */
function taskConsoleUrl(region, cluster, taskId) {
    const name = cluster.split('/').pop();
    return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${name}/tasks/${taskId}/logs?region=${region}`;
}
function serviceConsoleUrl(region, cluster, service) {
    const name = cluster.split('/').pop();
    return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${name}/services/${service}/deployments?region=${region}`;
}
/** An SDK error's name (ThrottlingException, ServiceNotFoundException…). */
function awsErrorName(error) {
    return error?.name ?? 'Error';
}
function isThrottling(error) {
    const name = awsErrorName(error);
    return /Throttl|TooManyRequests|RequestLimitExceeded|Rate exceeded/i.test(`${name} ${error?.message}`);
}
function isServerError(error) {
    const status = error?.$metadata?.httpStatusCode;
    return awsErrorName(error) === 'ServerException' || (status !== undefined && status >= 500);
}


/***/ })

};
