export const id = 160;
export const ids = [160];
export const modules = {

/***/ 3160:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: TERMINAL

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./packages/aws/src/ecs.ts
var src_ecs = __webpack_require__(3268);
// EXTERNAL MODULE: ./actions/deploy-ecs/src/toolkit.ts
var toolkit = __webpack_require__(9863);
// EXTERNAL MODULE: ./packages/health/src/gate-inputs.ts
var gate_inputs = __webpack_require__(1839);
// EXTERNAL MODULE: ./packages/health/src/inputs.ts
var inputs = __webpack_require__(6775);
// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 6 modules
var src = __webpack_require__(1175);
;// CONCATENATED MODULE: ./packages/health/src/probe.ts

/** A gate: every probe is sent (`sample` mode) and the share that failed decides. */
function probeGate(gate, options) {
    return probe({
        ...options,
        expected: gate.expected,
        expectedText: gate.expectedText,
        mode: 'sample',
        attempts: gate.probes,
        intervalMs: gate.intervalMs,
        timeoutMs: gate.timeoutMs,
        maxLatencyMs: gate.maxLatencyMs,
        maxErrorRate: gate.maxErrorRate,
        headers: gate.headers,
    });
}
async function probe(options) {
    const clock = options.clock ?? src/* realClock */.dQ;
    const log = options.log ?? (() => { });
    const url = options.url.toString();
    const what = options.what ?? url;
    const every = options.progressEveryMs ?? 30_000;
    const attempts = [];
    const statuses = {};
    const started = clock.now();
    let lastProgress = started;
    for (let n = 1; n <= options.attempts; n++) {
        if (n > 1 && options.intervalMs)
            await clock.sleep(options.intervalMs, options.signal);
        options.signal?.throwIfAborted();
        const attempt = await once(url, options, clock);
        attempts.push(attempt);
        // A good status that came too late.
        const slow = !attempt.ok && typeof attempt.result === 'number' && options.expected(attempt.result);
        const outcome = `${attempt.result}${slow ? ' slow' : ''}`;
        statuses[outcome] = (statuses[outcome] ?? 0) + 1;
        if (options.mode === 'until-ok') {
            log(`Health check ${n}/${options.attempts}: ${url} answered ${attempt.result}${attempt.ok ? '' : ` (expected ${options.expectedText}${slow ? ` within ${(0,src/* formatDuration */.a3)(options.maxLatencyMs ?? 0)}` : ''})`}`);
            if (attempt.ok)
                break;
        }
        else if (clock.now() - lastProgress >= every && n < options.attempts) {
            const failed = attempts.filter((a) => !a.ok).length;
            log(`Health ${what}: ${n}/${options.attempts} probes sent, ${failed} failed so far`);
            lastProgress = clock.now();
        }
    }
    return judge(url, what, attempts, statuses, options);
}
async function once(url, options, clock) {
    const started = clock.now();
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    let result;
    let ok = false;
    try {
        const response = await fetch(url, {
            headers: { 'user-agent': `${(0,src/* userAgent */.N1)()} health-probe`, ...options.headers },
            redirect: 'manual',
            signal,
        });
        await response.arrayBuffer();
        result = response.status;
        ok = options.expected(response.status);
    }
    catch (error) {
        if (options.signal?.aborted)
            throw options.signal.reason;
        const cause = error.cause;
        result = error.name === 'TimeoutError' ? 'timeout' : (cause?.code ?? 'error');
    }
    const ms = clock.now() - started;
    if (ok && options.maxLatencyMs !== undefined && ms > options.maxLatencyMs)
        ok = false;
    return { result, ms, ok };
}
function judge(url, what, attempts, statuses, options) {
    const failures = attempts.filter((a) => !a.ok).length;
    const errorRate = attempts.length ? failures / attempts.length : 1;
    const passed = options.mode === 'until-ok' ? attempts.at(-1)?.ok === true : errorRate <= (options.maxErrorRate ?? 0);
    const sorted = attempts.map((a) => a.ms).sort((a, b) => a - b);
    const report = {
        url,
        passed,
        attempts,
        failures,
        errorRate,
        statuses,
        p50Ms: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0,
        maxMs: sorted.at(-1) ?? 0,
    };
    if (!passed) {
        const seen = Object.entries(statuses)
            .map(([s, n]) => `${n}× ${s}`)
            .join(', ');
        const within = options.maxLatencyMs !== undefined ? ` within ${(0,src/* formatDuration */.a3)(options.maxLatencyMs)}` : '';
        const refused = statuses['401'] || statuses['403']
            ? '; the service refused the probes: send credentials with health-headers'
            : '';
        report.reason =
            options.mode === 'until-ok'
                ? `${url} answered ${attempts.at(-1)?.result} ${attempts.length} times (expected ${options.expectedText}${within})${refused}`
                : `${failures} of ${attempts.length} probes of ${what} failed (${seen}; expected ${options.expectedText}${within}), above the allowed error rate of ${Math.round((options.maxErrorRate ?? 0) * 100)}%${refused}`;
    }
    return report;
}
/** The one-line summary of a series, for the log: `Health <what> <url>: passed, 0/5 failed, p50 12ms, max 30ms (200×5)`. */
function describeProbe(report, what) {
    const counts = Object.entries(report.statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
    return `Health ${what} ${report.url}: ${report.passed ? 'passed' : 'FAILED'}, ${report.failures}/${report.attempts.length} failed, p50 ${formatDuration(report.p50Ms)}, max ${formatDuration(report.maxMs)} (${counts})`;
}

;// CONCATENATED MODULE: ./packages/health/src/index.ts




;// CONCATENATED MODULE: ./actions/deploy-ecs/src/health.ts


async function health_probe(gate, where, url, log, signal) {
    const report = await probeGate(gate, { url, what: `the ${where}`, signal, log: (line) => log.info(line) });
    const seen = Object.entries(report.statuses)
        .map(([s, n]) => `${n}× ${s}`)
        .join(', ');
    log.info(`Health gate on the ${where} ${url}: ${report.passed ? 'passed' : 'FAILED'}, ${report.failures}/${report.attempts.length} failed (${seen})${gate.intervalMs ? `, every ${(0,toolkit/* formatDuration */.a3)(gate.intervalMs)}` : ''}`);
    return {
        where,
        url,
        probes: report.attempts.length,
        failures: report.failures,
        statuses: report.statuses,
        passed: report.passed,
        reason: report.reason,
    };
}
function gateUrl(base, path) {
    if (!base)
        return undefined;
    if (!path)
        return base;
    return new URL(path, `${base.replace(/\/$/, '')}/`).toString();
}

// EXTERNAL MODULE: ./actions/deploy-ecs/src/task-definition.ts + 1 modules
var task_definition = __webpack_require__(744);
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
        ctx.log.warning(`Could not read the load balancer's address: ${error.message}`);
        return undefined;
    });
    switch (inputs.operation) {
        case 'maintenance':
            return maintenance({ ...ctx, inputs }, service);
        case 'scale':
            return scale({ ...ctx, inputs }, ecs.client, service);
        case 'deploy':
            return deploy({ ...ctx, inputs }, ecs, service);
    }
}
const extraCalls = { count: 0 };
async function describeService(ecs, inputs, signal) {
    const out = await safely(() => ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster: inputs.cluster, services: [inputs.service], include: ['TAGS'] })), signal).catch((error) => explain(error, `DescribeServices ${inputs.service} in ${inputs.cluster}`));
    const service = out.services?.[0];
    if (!service)
        throw new toolkit/* UserError */.yo(`Service "${inputs.service}" was not found in cluster "${inputs.cluster}" (${inputs.region}): ${out.failures?.[0]?.reason ?? 'MISSING'}; check service, cluster and region`);
    if (service.status !== 'ACTIVE')
        throw new toolkit/* UserError */.yo(`Service "${inputs.service}" is ${service.status}, not ACTIVE; it cannot be deployed`);
    const { taskDefinition } = service;
    if (!taskDefinition)
        throw new toolkit/* UserError */.yo(`Service "${inputs.service}" has no task definition; DescribeServices returned none`);
    return { ...service, taskDefinition };
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
        if (!listener?.LoadBalancerArn)
            return undefined;
        const dns = (await elb.client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [listener.LoadBalancerArn] }))).LoadBalancers?.[0]?.DNSName;
        return dns ? listenerUrl(dns, listener.Protocol, listener.Port) : undefined;
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
        ctx.log.info(what);
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
async function scale(ctx, ecs, service) {
    const { inputs, report, signal } = ctx;
    const desired = inputs.desiredCount;
    const clock = ctx.clock ?? toolkit/* realClock */.dQ;
    report.action = 'scale';
    report.desiredCount = desired;
    ctx.log.info(`Scaling ${inputs.service} from ${service.desiredCount} to ${desired} tasks`);
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
            ctx.log.info(`${line} (${(0,toolkit/* formatDuration */.a3)(clock.now() - started)})`);
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
function deploymentConfiguration(rollout, gate, service) {
    const current = service.deploymentConfiguration ?? {};
    // PAUSE hooks this action manages: only those at the two gate stages, so a service's own hooks stay.
    const gateStages = ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'];
    const others = (current.lifecycleHooks ?? []).filter((h) => !(h.targetType === 'PAUSE' && h.lifecycleStages?.every((s) => gateStages.includes(s))));
    const hooks = gate
        ? [
            ...others,
            { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] },
        ]
        : others;
    switch (rollout.strategy) {
        case 'service':
            return undefined;
        case 'rolling':
            return { ...current, strategy: 'ROLLING', lifecycleHooks: others };
        case 'blue-green':
            return {
                ...current,
                strategy: 'BLUE_GREEN',
                bakeTimeInMinutes: rollout.bakeTimeMinutes ?? current.bakeTimeInMinutes,
                lifecycleHooks: hooks,
            };
        case 'canary':
            return {
                ...current,
                strategy: 'CANARY',
                bakeTimeInMinutes: rollout.bakeTimeMinutes ?? current.bakeTimeInMinutes,
                canaryConfiguration: {
                    canaryPercent: rollout.canaryPercent ?? current.canaryConfiguration?.canaryPercent ?? 10,
                    canaryBakeTimeInMinutes: current.canaryConfiguration?.canaryBakeTimeInMinutes ?? rollout.bakeTimeMinutes ?? 0,
                },
                lifecycleHooks: hooks,
            };
        case 'linear':
            return {
                ...current,
                strategy: 'LINEAR',
                bakeTimeInMinutes: rollout.bakeTimeMinutes ?? current.bakeTimeInMinutes,
                linearConfiguration: {
                    stepPercent: rollout.linearStepPercent ?? current.linearConfiguration?.stepPercent ?? 10,
                    stepBakeTimeInMinutes: current.linearConfiguration?.stepBakeTimeInMinutes ?? rollout.bakeTimeMinutes ?? 0,
                },
                lifecycleHooks: hooks,
            };
    }
}
async function registerRevision(ecs, input, signal) {
    const started = new Date();
    try {
        const out = await ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(input));
        return registeredArn(out.taskDefinition?.taskDefinitionArn);
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
            return registeredArn(td.taskDefinitionArn);
        const out = await safely(() => ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(input)), signal).catch((e) => explain(e, 'RegisterTaskDefinition'));
        return registeredArn(out.taskDefinition?.taskDefinitionArn);
    }
}
function registeredArn(arn) {
    if (!arn)
        throw new toolkit/* UserError */.yo('RegisterTaskDefinition answered without a task definition ARN; run the step again');
    return arn;
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
        const revisions = candidates.flatMap((c) => (c.targetServiceRevisionArn ? [c.targetServiceRevisionArn] : []));
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
        log: (line) => ctx.log.info(line),
        onChange: (v) => note(report, `${v.status}${v.stage ? ` · ${v.stage}` : ''} · ${v.running}/${v.desired} running`),
        onHook: async (v) => {
            if (!v.hook || seenHooks.has(v.hook.hookId))
                return;
            seenHooks.add(v.hook.hookId);
            if (onHook)
                await onHook(v.hook);
            else
                ctx.log.info(`A PAUSE lifecycle hook at ${v.hook.stage} awaits action from someone else; following on`);
        },
    });
}
async function deploy(ctx, ecs, service) {
    const { inputs, report, signal } = ctx;
    const { strategy } = inputs.rollout;
    report.action = 'deploy';
    const controller = service.deploymentController?.type ?? 'ECS';
    if (controller !== 'ECS')
        throw new toolkit/* UserError */.yo(controller === 'CODE_DEPLOY'
            ? `Service "${inputs.service}" uses the CODE_DEPLOY deployment controller: its deployments go through CodeDeploy (CreateDeployment with an AppSpec), which UpdateService cannot start; move the service to ECS's own blue/green (deploymentController ECS, strategy BLUE_GREEN) or keep deploying it with CodeDeploy`
            : `Service "${inputs.service}" uses the EXTERNAL deployment controller: task sets are managed by another tool, and UpdateService cannot deploy it; deploy with that tool`);
    const strategyNeedsLb = strategy === 'blue-green' || strategy === 'canary' || strategy === 'linear';
    if (strategyNeedsLb && !service.loadBalancers?.[0]?.advancedConfiguration)
        throw new toolkit/* UserError */.yo(`strategy: ${strategy} needs the service's load balancer with an alternate target group and listener rules (loadBalancers[].advancedConfiguration); add them to the service, or use strategy: rolling`);
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
        ctx.log.info(`Change: ${line}`);
    const taskDefinitionArn = await registerRevision(ecs.client, changed.input, signal);
    report.taskDefinitionArn = taskDefinitionArn;
    ctx.log.info(`Registered ${(0,task_definition/* shortName */.EU)(taskDefinitionArn)} (from ${inputs.taskDefinitionFile ? 'the file' : (0,task_definition/* shortName */.EU)(service.taskDefinition)})`);
    note(report, `registered ${(0,task_definition/* shortName */.EU)(taskDefinitionArn)}`);
    const since = new Date();
    const config = deploymentConfiguration(inputs.rollout, inputs.health !== undefined, service);
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
    ctx.log.info(`Service deployment ${arn.split('/').pop()} started (${strategy}${config?.strategy ? ` → ${config.strategy}` : ''})`);
    note(report, `UpdateService → deployment ${arn.split('/').pop()}`);
    if (!inputs.wait) {
        report.status = 'IN_PROGRESS';
        return;
    }
    const gate = inputs.health && (await gateUrls(inputs.health, inputs, report, service));
    let gateFailure;
    const onHook = gate
        ? async (hook) => {
            const { stage } = hook;
            const { testUrl, prodUrl } = gate;
            const url = stage === 'POST_TEST_TRAFFIC_SHIFT' ? testUrl : prodUrl;
            let decision = 'CONTINUE';
            if (url && (stage === 'POST_TEST_TRAFFIC_SHIFT' || stage === 'POST_PRODUCTION_TRAFFIC_SHIFT')) {
                const result = await health_probe(gate.gate, stage === 'POST_TEST_TRAFFIC_SHIFT' ? 'test listener' : 'service', url, ctx.log, signal);
                report.gates.push(result);
                note(report, `health gate at ${stage}: ${result.passed ? 'passed' : 'failed'}`);
                if (!result.passed) {
                    gateFailure = result.reason;
                    decision = 'ROLLBACK';
                }
            }
            await safely(() => ecs.client.send(new dist_cjs/* ContinueServiceDeploymentCommand */.LrH({
                serviceDeploymentArn: arn,
                hookId: hook.hookId,
                action: decision,
            })), signal).catch((error) => explain(error, 'ContinueServiceDeployment'));
            ctx.log.info(`Answered the ${stage} hook: ${decision}`);
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
                ctx.log.warning(`Stopped the deployment with a rollback to ${(0,task_definition/* shortName */.EU)(service.taskDefinition)}`);
            })
                .catch((e) => ctx.log.warning(`Could not stop the deployment: ${e.message}`));
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
    ctx.log.info(`Deployment SUCCESSFUL: ${(0,task_definition/* shortName */.EU)(taskDefinitionArn)} serves ${inputs.service}`);
    // Rolling deploys gate after completion; a failure redeploys the previous task definition.
    if (gate && !onHookApplies(strategy, service)) {
        const result = await health_probe(gate.gate, 'service', gate.prodUrl, ctx.log, signal);
        report.gates.push(result);
        note(report, `health gate after the deployment: ${result.passed ? 'passed' : 'failed'}`);
        if (!result.passed) {
            if (!inputs.rollbackOnFailure)
                throw new toolkit/* UserError */.yo(`The health gate failed after the deployment: ${result.reason}; rollback-on-failure is false, so it stays`);
            ctx.log.warning(`Health gate failed; redeploying ${(0,task_definition/* shortName */.EU)(service.taskDefinition)}`);
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
/** The URLs the gate probes: the production one (always), the test listener's (blue/green family). */
async function gateUrls(gate, inputs, report, service) {
    const prodUrl = gate.url ?? gateUrl(report.url, gate.path);
    if (!prodUrl)
        throw new toolkit/* UserError */.yo('The health gate has no URL: the service has no load balancer with a DNS name; give health-url (and health-test-url)');
    const { strategy } = inputs.rollout;
    const testUrl = gate.testUrl ??
        (strategy === 'blue-green' || strategy === 'canary' || strategy === 'linear' || strategy === 'service'
            ? gateUrl(await testListenerUrl(inputs.region, service), gate.path)
            : undefined);
    return { gate, prodUrl, testUrl };
}
/** Whether the gate ran at the PAUSE hooks (blue/green family) rather than after completion. */
function onHookApplies(strategy, service) {
    if (strategy === 'blue-green' || strategy === 'canary' || strategy === 'linear')
        return true;
    if (strategy !== 'service')
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
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1175);
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(212);


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
    return count(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__/* .ECSClient */ .Zgc({ region, maxAttempts, ...(0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .awsClientOptions */ .BE)() }));
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


/***/ }),

/***/ 1175:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BE: () => (/* reexport */ proxy/* awsClientOptions */.BE),
  a3: () => (/* reexport */ duration/* formatDuration */.a),
  dQ: () => (/* reexport */ clock/* realClock */.d),
  N1: () => (/* reexport */ http/* userAgent */.N1)
});

// UNUSED EXPORTS: CancelledError, HttpClient, HttpError, InputError, NetworkError, RecordingLogger, STATUS_MARK, SummaryBuilder, TimeoutError, UserError, VERSION, actionsLogger, assertPathSegment, awsRequestHandler, backoffDelay, checkCredentialUrl, checkLength, checkProbeUrl, codeBlock, configureProxy, createOnce, defaultInapplicable, defineAction, describeRetry, docDefault, elapsedSeconds, errorMessage, escapeHtml, exclusive, execTool, factsTable, failureKind, forbiddenHost, formatBytes, formatCount, inputFragment, inputVariable, isLoopbackHost, isTransient, link, mayRetry, narrow, outputSeconds, parseBoolean, parseDuration, parseDurationInput, parseEnum, parseInteger, parseList, parseMap, parseMatching, parseNumber, parseUrl, pickInputs, poll, proxyAgent, proxyConfigured, proxyFor, readInputs, redact, registerSecret, retry, retryCall, runAction, runnerIO, safeCopy, safeMerge, secretForms, serverWaitMs, setUserAgentAction, shown, spawnTool, table, timeoutInput, toolEnv, workflow, writeSummary

// EXTERNAL MODULE: ./packages/toolkit/src/clock.ts
var clock = __webpack_require__(9020);
// EXTERNAL MODULE: ./packages/toolkit/src/duration.ts
var duration = __webpack_require__(6284);
// EXTERNAL MODULE: ./packages/toolkit/src/errors.ts
var errors = __webpack_require__(2087);
;// CONCATENATED MODULE: ./packages/toolkit/src/format.ts
/** Units as every summary and log line writes them, so the actions agree: durations, sizes, counts, seconds. */

const UNITS = (/* unused pure expression or super */ null && (['B', 'KB', 'MB', 'GB', 'TB']));
/** `812 B`, `4.2 MB`, `1.05 GB`: decimal (1000) units, three significant digits. */
function formatBytes(bytes) {
    let value = bytes;
    let unit = 0;
    while (Math.abs(value) >= 999.5 && unit < UNITS.length - 1) {
        value /= 1000;
        unit++;
    }
    if (unit === 0)
        return `${Math.round(value)} B`;
    return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${UNITS[unit]}`;
}
/** `1 request`, `3 requests`, `1,204 rows`. */
function formatCount(count, noun, plural = `${noun}s`) {
    return `${count.toLocaleString('en-US')} ${count === 1 ? noun : plural}`;
}
/** Milliseconds as seconds with one decimal, for outputs such as `duration-seconds`: 12345 → `12.3`. */
function format_outputSeconds(ms) {
    return String(Math.round(ms / 100) / 10);
}

// EXTERNAL MODULE: ./packages/toolkit/src/http.ts
var http = __webpack_require__(3460);
// EXTERNAL MODULE: ./packages/toolkit/src/idempotency.ts
var idempotency = __webpack_require__(5227);
;// CONCATENATED MODULE: ./packages/toolkit/src/input-groups.ts

/**
 * Rules across inputs that the manifest cannot say per input. Everything else about an input (its kind,
 * default, bounds, the modes it applies to) is declared once in the action's manifest and read by
 * `readInputs`.
 */
/** At most one of the named inputs may be set. */
function exclusive(given) {
    const set = Object.entries(given).filter(([, v]) => isSet(v));
    if (set.length > 1) {
        const names = set.map(([k]) => `"${k}"`);
        throw new InputError(set[0][0], `cannot be combined with ${names.slice(1).join(', ')}`, 'set only one of them');
    }
}
function isSet(value) {
    if (Array.isArray(value))
        return value.length > 0;
    if (value && typeof value === 'object' && !(value instanceof URL))
        return Object.keys(value).length > 0;
    return value !== undefined && value !== '' && value !== false;
}

// EXTERNAL MODULE: ./packages/toolkit/src/lifecycle.ts
var lifecycle = __webpack_require__(8254);
;// CONCATENATED MODULE: ./packages/toolkit/src/log.ts

/**
 * Seconds (one decimal) since `since` (epoch ms of Date.now), for outputs such as duration-seconds.
 * @deprecated use `outputSeconds(ctx.elapsedMs())` in a lifecycle report (it takes the injected clock).
 */
function elapsedSeconds(since) {
    return Number(outputSeconds(Date.now() - since));
}

// EXTERNAL MODULE: ./packages/toolkit/src/logger.ts
var logger = __webpack_require__(196);
// EXTERNAL MODULE: ./packages/toolkit/src/parse.ts
var parse = __webpack_require__(725);
// EXTERNAL MODULE: ./packages/toolkit/src/workflow.ts
var workflow = __webpack_require__(4737);
// EXTERNAL MODULE: ./packages/toolkit/src/retry.ts
var retry = __webpack_require__(8600);
;// CONCATENATED MODULE: ./packages/toolkit/src/poll.ts





async function poll(options) {
    const { what, timeoutMs, check, initialMs = 1000, maxMs = 10_000, factor = 1.5, clock = realClock } = options;
    const log = options.log ?? ((line) => core.info(line));
    const progressEveryMs = options.progressEveryMs ?? 30_000;
    const start = clock.now();
    const deadline = start + timeoutMs;
    let status;
    let statusSince = start;
    let lastProgress = start;
    let step = 0;
    let polls = 0;
    for (;;) {
        options.signal?.throwIfAborted();
        polls++;
        const result = await check();
        const now = clock.now();
        if (result.done)
            return { value: result.value, polls, elapsedMs: now - start };
        if (result.status !== status) {
            options.onStatus?.(result.status, status, now - statusSince);
            const detail = result.detail ? ` (${result.detail})` : '';
            log(`${what}: ${result.status}${detail} after ${formatDuration(now - start)}`);
            status = result.status;
            statusSince = now;
            lastProgress = now;
            step = 0;
        }
        else if (now - lastProgress >= progressEveryMs) {
            const detail = result.detail ? `, ${result.detail}` : '';
            log(`${what}: still ${result.status}${detail}; ${formatDuration(now - start)} elapsed, ${formatDuration(deadline - now)} left`);
            lastProgress = now;
        }
        if (now >= deadline) {
            const hint = options.timeoutHint ? ` ${options.timeoutHint}` : '';
            throw new TimeoutError(`Timed out after ${formatDuration(timeoutMs)} waiting for ${what} (last status: ${status}).${hint}`);
        }
        const delay = result.delayMs ?? backoffDelay(step++, initialMs, maxMs, factor);
        await clock.sleep(Math.min(delay, deadline - now), options.signal);
    }
}

// EXTERNAL MODULE: ./packages/toolkit/src/proxy.ts
var proxy = __webpack_require__(6922);
// EXTERNAL MODULE: ./packages/toolkit/src/read-inputs.ts
var read_inputs = __webpack_require__(1084);
;// CONCATENATED MODULE: ./packages/toolkit/src/safe-merge.ts

/**
 * Merging user data (a YAML/JSON patch, KEY=VALUE maps) into objects without prototype pollution: only
 * own enumerable keys are copied, into null-prototype objects, and the keys `__proto__`, `constructor` and
 * `prototype` are refused with one line naming the input. Objects merge key by key, arrays and scalars
 * replace, and `null` removes the key (JSON Merge Patch, RFC 7386), unless `nullRemoves: false`.
 */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const isPlain = (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
/** A deep copy of user data into null-prototype objects, refusing the forbidden keys. */
function safeCopy(value, options, path = '') {
    if (Array.isArray(value))
        return value.map((item, i) => safeCopy(item, options, `${path}[${i}]`));
    if (!isPlain(value))
        return value;
    const out = Object.create(null);
    for (const key of Object.keys(value)) {
        refuse(key, options, path);
        out[key] = safeCopy(value[key], options, path ? `${path}.${key}` : key);
    }
    return out;
}
/** `base` with `patch` merged in; neither is modified. */
function safeMerge(base, patch, options) {
    return merge(base, patch, options, '');
}
function merge(base, patch, options, path) {
    if (!isPlain(patch))
        return safeCopy(patch, options, path);
    const out = Object.create(null);
    if (isPlain(base))
        for (const key of Object.keys(base))
            out[key] = base[key];
    for (const key of Object.keys(patch)) {
        refuse(key, options, path);
        const value = patch[key];
        const at = path ? `${path}.${key}` : key;
        if (value === null && options.nullRemoves !== false)
            delete out[key];
        else
            out[key] = merge(out[key], value, options, at);
    }
    return out;
}
function refuse(key, options, path) {
    if (FORBIDDEN.has(key))
        throw new InputError(options.input, `has the key "${key}"${path ? ` under ${path}` : ''}, which is refused`, 'remove it: __proto__, constructor and prototype could change every object of the action');
}

// EXTERNAL MODULE: ./packages/toolkit/src/secrets.ts
var secrets = __webpack_require__(6663);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
;// CONCATENATED MODULE: ./packages/toolkit/src/spawn.ts



const RUNNER_TOKENS = /^(ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN|ACTIONS_ID_TOKEN_REQUEST_URL)$/;
/** The environment a child gets: `env` without INPUT_*, STATE_* and (unless asked) the runner's tokens. */
function toolEnv(env = process.env, runnerTokens = false) {
    return Object.fromEntries(Object.entries(env).filter(([key, value]) => value !== undefined &&
        !/^(INPUT|STATE)_/i.test(key) &&
        (runnerTokens || !RUNNER_TOKENS.test(key.toUpperCase()))));
}
// node:child_process and node:readline load on the first spawn, not at start-up (they cost ~3 ms).
const spawn_require = (0,external_node_module_.createRequire)(import.meta.url);
function spawnTool(file, args, options = {}) {
    const { spawn } = spawn_require('node:child_process');
    const { createInterface } = spawn_require('node:readline');
    const started = Date.now();
    const env = { ...toolEnv(options.env, options.runnerTokens), ...options.extraEnv };
    const child = spawn(file, args, {
        cwd: options.cwd,
        env,
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        // Its own process group, so a stop reaches grandchildren (the tool a shell started).
        detached: true,
    });
    if (options.stdin !== undefined)
        child.stdin?.end(options.stdin);
    const keep = options.tailLines ?? 40;
    const tail = [];
    const stdoutLines = [];
    const rawChunks = [];
    let stopped;
    const timers = [];
    const onLine = (raw, stream) => {
        const line = redact(raw);
        tail.push(line);
        if (tail.length > keep)
            tail.shift();
        if (stream === 'stdout')
            stdoutLines.push(line);
        options.onLine?.(line, stream);
    };
    const lines = (stream, name) => new Promise((resolve) => createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
        .on('line', (l) => onLine(l, name))
        .on('close', resolve));
    const streams = Promise.all([
        options.rawStdout
            ? new Promise((resolve) => child.stdout.on('data', (c) => rawChunks.push(c)).on('close', resolve))
            : lines(child.stdout, 'stdout'),
        lines(child.stderr, 'stderr'),
    ]);
    const kill = (signal) => {
        try {
            if (child.pid)
                process.kill(-child.pid, signal);
        }
        catch {
            // Already gone.
        }
    };
    let exited = false;
    const stop = (why = 'cancelled') => {
        if (stopped || exited)
            return;
        stopped = why;
        kill(options.stopSignal ?? 'SIGTERM');
        timers.push(setTimeout(() => kill('SIGKILL'), options.graceMs ?? 5000));
    };
    const onAbort = () => stop(options.signal?.reason instanceof TimeoutError ? 'timeout' : 'cancelled');
    if (options.signal?.aborted)
        queueMicrotask(onAbort);
    else
        options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined)
        timers.push(setTimeout(() => stop('timeout'), options.timeoutMs));
    const done = new Promise((resolve) => {
        let error;
        child.on('error', (e) => {
            error = redact(e.message);
        });
        child.on('close', async (code, signal) => {
            exited = true;
            for (const timer of timers)
                clearTimeout(timer);
            options.signal?.removeEventListener('abort', onAbort);
            // The group may outlive its leader (a tool that ignored the stop): leave nothing behind.
            if (stopped)
                kill('SIGKILL');
            await streams;
            resolve({
                code: error ? 127 : code,
                signal,
                stopped,
                stdout: options.rawStdout ? Buffer.concat(rawChunks).toString('utf8') : stdoutLines.join('\n'),
                tail,
                error,
                durationMs: Date.now() - started,
            });
        });
    });
    return { pid: child.pid, done, stop };
}
/** `spawnTool(...).done`: for tools that are simply awaited. */
function execTool(file, args, options = {}) {
    return spawnTool(file, args, options).done;
}

// EXTERNAL MODULE: ./packages/toolkit/src/summary.ts
var summary = __webpack_require__(1906);
// EXTERNAL MODULE: ./packages/toolkit/src/url-safety.ts
var url_safety = __webpack_require__(6962);
// EXTERNAL MODULE: ./packages/toolkit/src/version.ts + 1 modules
var version = __webpack_require__(9526);
;// CONCATENATED MODULE: ./packages/toolkit/src/index.ts

























/***/ })

};
