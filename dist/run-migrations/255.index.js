export const id = 255;
export const ids = [255];
export const modules = {

/***/ 48255:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runEcsTaskMode: () => (/* binding */ runEcsTaskMode)
});

// UNUSED EXPORTS: EcsTaskFailed, runEcsTask

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(80212);
// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 24 modules
var src = __webpack_require__(37464);
;// CONCATENATED MODULE: ./packages/aws/src/ecs.ts


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
    return count(new dist_cjs/* ECSClient */.Zgc({ region, maxAttempts, ...(0,src/* awsClientOptions */.BE)() }));
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

;// CONCATENATED MODULE: ./packages/aws/src/logs.ts


/**
 * CloudWatch Logs, loaded only when an action follows a log stream (the client is large, and most runs of
 * deploy-ecs never need it). AWS_ENDPOINT_URL_CLOUDWATCH_LOGS points it at the emulator in tests.
 */
async function logsClient(region) {
    const { CloudWatchLogsClient } = await __webpack_require__.e(/* import() */ 303).then(__webpack_require__.t.bind(__webpack_require__, 70303, 19));
    return count(new CloudWatchLogsClient({ region, maxAttempts: 3, ...(0,src/* awsClientOptions */.BE)() }));
}
/**
 * Follows one stream with GetLogEvents from its head, then nextForwardToken: the same token back means no
 * new events. A stream that does not exist yet (the task has not written) is not an error.
 */
function followStream(logs, group, stream) {
    let token;
    return {
        async poll() {
            const { GetLogEventsCommand } = await __webpack_require__.e(/* import() */ 303).then(__webpack_require__.t.bind(__webpack_require__, 70303, 19));
            const lines = [];
            for (let page = 0; page < 20; page++) {
                let out;
                try {
                    out = await logs.client.send(new GetLogEventsCommand({
                        logGroupName: group,
                        logStreamName: stream,
                        startFromHead: true,
                        nextToken: token,
                    }));
                }
                catch (error) {
                    if (error.name === 'ResourceNotFoundException')
                        return lines;
                    throw error;
                }
                for (const e of out.events ?? [])
                    lines.push(e.message ?? '');
                const same = out.nextForwardToken === token;
                token = out.nextForwardToken ?? token;
                if (same || !out.events?.length)
                    break;
            }
            return lines;
        },
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./packages/aws/src/task-definition.ts
/**
 * The fields DescribeTaskDefinition answers with and RegisterTaskDefinition refuses (the SDK's
 * TaskDefinition shape less RegisterTaskDefinitionRequest's): a new revision made from a described one
 * drops them. One list for every action that registers a revision (deploy-ecs, run-migrations' ecs-task).
 */
const TASK_DEFINITION_READ_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];

;// CONCATENATED MODULE: ./actions/run-migrations/src/mode-ecs-task.ts






class EcsTaskFailed extends src/* UserError */.yo {
    outcome;
    name = 'EcsTaskFailed';
    constructor(message, outcome) {
        super(message);
        this.outcome = outcome;
    }
}
const sleep = (ms, signal) => new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
    }, { once: true });
});
async function mode_ecs_task_transient(fn, signal) {
    for (let attempt = 0;; attempt++) {
        signal.throwIfAborted();
        try {
            return await fn();
        }
        catch (error) {
            if (attempt >= 5 || !(isThrottling(error) || isServerError(error)))
                throw error;
            await sleep(Math.min(20_000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2), signal);
        }
    }
}
function pickContainer(defs, name) {
    if (name) {
        const found = defs.find((c) => c.name === name);
        if (!found)
            throw new EcsTaskFailed(`The task definition has no container "${name}" (it has ${defs.map((c) => c.name).join(', ')})`, {});
        return found;
    }
    return defs.length === 1 ? defs[0] : (defs.find((c) => c.essential !== false) ?? defs[0]);
}
async function runEcsTask(o, signal) {
    const ecs = ecsClient(o.region).client;
    const say = (line) => o.log(o.redact(line));
    let launch = {};
    let taskDefinition = o.taskDefinition;
    if (o.service) {
        const out = await mode_ecs_task_transient(() => ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster: o.cluster, services: [o.service] })), signal);
        const s = out.services?.[0];
        if (!s)
            throw new EcsTaskFailed(`Service "${o.service}" was not found in cluster "${o.cluster}" (${o.region})`, {});
        taskDefinition ??= s.taskDefinition;
        launch = s.capacityProviderStrategy?.length
            ? { capacityProviderStrategy: s.capacityProviderStrategy }
            : { launchType: s.launchType, platformVersion: s.platformVersion };
        launch.networkConfiguration = s.networkConfiguration;
    }
    if (o.subnets?.length || o.securityGroups?.length || o.assignPublicIp !== undefined) {
        const base = launch.networkConfiguration?.awsvpcConfiguration;
        launch.networkConfiguration = {
            awsvpcConfiguration: {
                subnets: o.subnets?.length ? o.subnets : (base?.subnets ?? []),
                securityGroups: o.securityGroups?.length ? o.securityGroups : base?.securityGroups,
                assignPublicIp: o.assignPublicIp === undefined ? base?.assignPublicIp : o.assignPublicIp ? 'ENABLED' : 'DISABLED',
            },
        };
    }
    if (!taskDefinition)
        throw new EcsTaskFailed('No task definition: give service or task-definition', {});
    const described = await mode_ecs_task_transient(() => ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition })), signal);
    let td = described.taskDefinition;
    const container = pickContainer(td.containerDefinitions ?? [], o.container);
    if (o.image && o.image !== container.image) {
        const input = structuredClone(td);
        for (const field of TASK_DEFINITION_READ_ONLY_FIELDS)
            delete input[field];
        input.family = `${td.family}-migrate`.slice(0, 255);
        pickContainer(input.containerDefinitions, container.name).image = o.image;
        // Creating call: not re-sent blindly (a lost answer only costs one more revision of the -migrate family).
        td = (await ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(input))).taskDefinition;
        say(`Registered ${td.family}:${td.revision} with ${o.image} for the migration`);
    }
    // Exactly once: another run's migration task still running is waited for, not joined by a second one.
    let waitedFor;
    const running = await mode_ecs_task_transient(() => ecs.send(new dist_cjs/* ListTasksCommand */.MYg({ cluster: o.cluster, startedBy: o.startedBy, desiredStatus: 'RUNNING' })), signal);
    for (const arn of running.taskArns ?? []) {
        const info = (await mode_ecs_task_transient(() => ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster: o.cluster, tasks: [arn] })), signal)).tasks?.[0];
        if (info?.startedBy !== o.startedBy)
            continue;
        waitedFor = arn;
        say(`A migration task started by "${o.startedBy}" is running (${arn.split('/').pop()}); waiting for it to stop first`);
        await waitStopped(ecs, o.cluster, arn, signal, o.pollMs ?? 2000);
        say('That migration task stopped; running this one (the tool finds what is left to do)');
    }
    const env = Object.entries(o.env).map(([name, value]) => ({ name, value }));
    const out = await mode_ecs_task_transient(() => ecs.send(new dist_cjs/* RunTaskCommand */._eD({
        cluster: o.cluster,
        taskDefinition: td.taskDefinitionArn,
        count: 1,
        startedBy: o.startedBy,
        clientToken: o.clientToken,
        ...launch,
        overrides: {
            containerOverrides: [
                {
                    name: container.name,
                    ...(o.command ? { command: ['/bin/sh', '-c', o.command] } : {}),
                    ...(env.length ? { environment: env } : {}),
                },
            ],
        },
    })), signal);
    if (out.failures?.length || !out.tasks?.length) {
        const f = out.failures?.[0];
        throw new EcsTaskFailed(`RunTask started no task: ${f?.reason ?? 'no reason given'}${f?.detail ? ` (${f.detail})` : ''}${f?.arn ? ` for ${f.arn}` : ''}; check the subnets, security groups and capacity`, { waitedFor });
    }
    const task = out.tasks[0];
    const taskArn = task.taskArn;
    const taskId = taskArn.split('/').pop();
    const consoleUrl = taskConsoleUrl(o.region, o.cluster, taskId);
    say(`Migration task ${taskId} started (${td.family}:${td.revision}); console: ${consoleUrl}`);
    const awslogs = container.logConfiguration?.logDriver === 'awslogs' ? container.logConfiguration.options : undefined;
    let follower;
    if (awslogs?.['awslogs-group'] && awslogs['awslogs-stream-prefix']) {
        const logs = await logsClient(awslogs['awslogs-region'] ?? o.region);
        follower = followStream(logs, awslogs['awslogs-group'], `${awslogs['awslogs-stream-prefix']}/${container.name}/${taskId}`);
    }
    else
        say('The container has no awslogs configuration with a stream prefix, so its output cannot be followed here');
    let logLines = 0;
    const drain = async () => {
        if (!follower)
            return;
        try {
            for (const line of await follower.poll()) {
                logLines++;
                o.log(`│ ${o.redact(line)}`);
            }
        }
        catch (error) {
            say(`Could not read the task's log (${awsErrorName(error)}: ${error.message})`);
            follower = undefined;
        }
    };
    let last;
    let status = '';
    try {
        for (;;) {
            const described = await mode_ecs_task_transient(() => ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster: o.cluster, tasks: [taskArn] })), signal).catch((error) => {
                if (signal.aborted)
                    throw error;
                say(`DescribeTasks failed (${awsErrorName(error)}); trying again`);
                return undefined;
            });
            last = described?.tasks?.[0] ?? last;
            if (last?.lastStatus && last.lastStatus !== status) {
                status = last.lastStatus;
                say(`Task ${taskId}: ${status}`);
            }
            await drain();
            if (last?.lastStatus === 'STOPPED')
                break;
            await sleep(o.pollMs ?? 2000, signal);
        }
    }
    catch (error) {
        if (signal.aborted) {
            const reason = `run-migrations: ${signal.reason?.message ?? 'cancelled'}`.slice(0, 255);
            await ecs
                .send(new dist_cjs/* StopTaskCommand */.PP1({ cluster: o.cluster, task: taskArn, reason }))
                .then(() => say(`Stopped the migration task ${taskId} (StopTask)`))
                .catch((e) => say(`Could not stop the task ${taskId}: ${e.message}; stop it in the console`));
        }
        throw error;
    }
    // awslogs delivers the last lines shortly after the container exits.
    await sleep(Math.min(1000, o.pollMs ?? 1000), signal);
    await drain();
    const c = last.containers?.find((x) => x.name === container.name) ?? last.containers?.[0];
    const outcome = {
        taskArn,
        exitCode: c?.exitCode,
        stopCode: last.stopCode,
        stoppedReason: last.stoppedReason,
        consoleUrl,
        logLines,
        waitedFor,
    };
    if (c?.exitCode === 0)
        return outcome;
    const why = c?.exitCode !== undefined
        ? `the container ${container.name} exited with code ${c.exitCode}`
        : `the container ${container.name} never ran${c?.reason ? ` (${c.reason})` : ''}`;
    throw new EcsTaskFailed(o.redact(`The migration task failed: ${why}; stopCode ${last.stopCode ?? 'unknown'}: ${last.stoppedReason ?? 'no reason given'}. Logs: ${consoleUrl}`), outcome);
}
async function waitStopped(ecs, cluster, arn, signal, pollMs) {
    for (;;) {
        const t = (await mode_ecs_task_transient(() => ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: [arn] })), signal)).tasks?.[0];
        if (!t || t.lastStatus === 'STOPPED')
            return;
        await sleep(pollMs, signal);
    }
}
/**
 * The action's entry: the client token is this run attempt's (a re-run of the same attempt gets the same
 * task back from RunTask; a new attempt starts a new task), the environment is `env` (the database URL is
 * never put into the overrides, which anyone with ecs:DescribeTasks reads: the task's own secrets carry it).
 */
function runEcsTaskMode(inputs, signal, log) {
    const e = process.env;
    // The AWS SDK reads these from the environment itself: mask them (every form) before an API error that
    // quotes them back could be printed (issue 12's echo test).
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
        const value = e[name];
        if (value)
            (0,src/* registerSecret */.cl)(value);
    }
    const run = `${e.GITHUB_REPOSITORY ?? 'local'}/${e.GITHUB_RUN_ID ?? Date.now()}/${e.GITHUB_RUN_ATTEMPT ?? '1'}/${e.GITHUB_JOB ?? ''}/${inputs.ecs.startedBy}`;
    return runEcsTask({
        region: inputs.ecs.region,
        cluster: inputs.ecs.cluster,
        service: inputs.ecs.service,
        taskDefinition: inputs.ecs.taskDefinition,
        image: inputs.image,
        container: inputs.ecs.container,
        command: inputs.command,
        env: inputs.env,
        subnets: inputs.ecs.subnets,
        securityGroups: inputs.ecs.securityGroups,
        assignPublicIp: inputs.ecs.assignPublicIp,
        startedBy: inputs.ecs.startedBy,
        clientToken: (0,external_node_crypto_.createHash)('sha256').update(run).digest('hex').slice(0, 64),
        log,
        redact: src/* redact */.E$,
    }, signal);
}


/***/ })

};
