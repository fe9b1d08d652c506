export const id = 202;
export const ids = [202];
export const modules = {

/***/ 57202:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;
const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, getDefaultSocketTimeout, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin } = __webpack_require__(5152);
const { getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin, createPaginator } = __webpack_require__(90402);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createWaiter, checkExceptions, WaiterState, createAggregatedClient } = __webpack_require__(92658);
const { Command: $Command } = __webpack_require__(92658);
__webpack_unused_export__ = $Command;
__webpack_unused_export__ = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(47291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(62085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(93422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getRetryPlugin } = __webpack_require__(23609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(26890);
const { resolveAwsSdkSigV4Config, AwsSdkSigV4Signer, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(97523);
const { defaultProvider } = __webpack_require__(5861);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(92430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(61279);
const { AwsQueryProtocol } = __webpack_require__(37288);
const { Sha256 } = __webpack_require__(99542);
const { getCrossRegionPresignedUrlPlugin } = __webpack_require__(82716);

const defaultRDSHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "rds",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
const defaultRDSHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
        }
    }
    return options;
};
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    return Object.assign(config_0, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        defaultSigningName: "rds",
    });
};
const commonParams = {
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.1168.0";
var packageInfo = {
	version: version};

const k = "ref";
const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = { [k]: "Endpoint" }, h = { [k]: d }, i = {}, j = [{ [k]: "Region" }];
const _data = {
    conditions: [
        [c, [g]],
        [c, j],
        ["aws.partition", j, d],
        [e, [{ [k]: "UseFIPS" }, b]],
        [e, [{ [k]: "UseDualStack" }, b]],
        [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]],
        [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]],
        ["stringEquals", [{ fn: f, argv: [h, "name"] }, "aws-us-gov"]]
    ],
    results: [
        [a],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [g, i],
        ["https://rds-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://rds.{Region}.amazonaws.com", i],
        ["https://rds-fips.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        ["https://rds.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        ["https://rds.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 13, 3,
    1, 4, r + 12,
    2, 5, r + 12,
    3, 8, 6,
    4, 7, r + 11,
    5, r + 9, r + 10,
    4, 11, 9,
    6, 10, r + 8,
    7, r + 6, r + 7,
    5, 12, r + 5,
    6, r + 4, r + 5,
    3, r + 1, 14,
    4, r + 2, r + 3,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "Region", "UseDualStack", "UseFIPS"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

class RDSServiceException extends ServiceException {
    static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.rds#RDSServiceException";
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, RDSServiceException.prototype);
    }
}

class DBClusterNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterNotFoundFault";
    name = "DBClusterNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterNotFoundFault.prototype);
    }
}
class DBClusterRoleAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterRoleAlreadyExistsFault";
    name = "DBClusterRoleAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterRoleAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterRoleAlreadyExistsFault.prototype);
    }
}
class DBClusterRoleQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterRoleQuotaExceededFault";
    name = "DBClusterRoleQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterRoleQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterRoleQuotaExceededFault.prototype);
    }
}
class InvalidDBClusterStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBClusterStateFault";
    name = "InvalidDBClusterStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBClusterStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBClusterStateFault.prototype);
    }
}
class DBInstanceNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBInstanceNotFoundFault";
    name = "DBInstanceNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBInstanceNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBInstanceNotFoundFault.prototype);
    }
}
class DBInstanceRoleAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBInstanceRoleAlreadyExistsFault";
    name = "DBInstanceRoleAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBInstanceRoleAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBInstanceRoleAlreadyExistsFault.prototype);
    }
}
class DBInstanceRoleQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBInstanceRoleQuotaExceededFault";
    name = "DBInstanceRoleQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBInstanceRoleQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBInstanceRoleQuotaExceededFault.prototype);
    }
}
class InvalidDBInstanceStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBInstanceStateFault";
    name = "InvalidDBInstanceStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBInstanceStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBInstanceStateFault.prototype);
    }
}
class SourceNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SourceNotFoundFault";
    name = "SourceNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SourceNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SourceNotFoundFault.prototype);
    }
}
class SubscriptionNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SubscriptionNotFoundFault";
    name = "SubscriptionNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SubscriptionNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SubscriptionNotFoundFault.prototype);
    }
}
class BlueGreenDeploymentNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#BlueGreenDeploymentNotFoundFault";
    name = "BlueGreenDeploymentNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "BlueGreenDeploymentNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, BlueGreenDeploymentNotFoundFault.prototype);
    }
}
class DBCapacityReservationNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBCapacityReservationNotFoundFault";
    name = "DBCapacityReservationNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBCapacityReservationNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBCapacityReservationNotFoundFault.prototype);
    }
}
class DBProxyEndpointNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyEndpointNotFoundFault";
    name = "DBProxyEndpointNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyEndpointNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyEndpointNotFoundFault.prototype);
    }
}
class DBProxyNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyNotFoundFault";
    name = "DBProxyNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyNotFoundFault.prototype);
    }
}
class DBProxyTargetGroupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyTargetGroupNotFoundFault";
    name = "DBProxyTargetGroupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyTargetGroupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyTargetGroupNotFoundFault.prototype);
    }
}
class DBShardGroupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBShardGroupNotFoundFault";
    name = "DBShardGroupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBShardGroupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBShardGroupNotFoundFault.prototype);
    }
}
class DBSnapshotNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSnapshotNotFoundFault";
    name = "DBSnapshotNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSnapshotNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSnapshotNotFoundFault.prototype);
    }
}
class DBSnapshotTenantDatabaseNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSnapshotTenantDatabaseNotFoundFault";
    name = "DBSnapshotTenantDatabaseNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSnapshotTenantDatabaseNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSnapshotTenantDatabaseNotFoundFault.prototype);
    }
}
class IntegrationNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#IntegrationNotFoundFault";
    name = "IntegrationNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IntegrationNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IntegrationNotFoundFault.prototype);
    }
}
class InvalidDBClusterEndpointStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBClusterEndpointStateFault";
    name = "InvalidDBClusterEndpointStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBClusterEndpointStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBClusterEndpointStateFault.prototype);
    }
}
class TenantDatabaseNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#TenantDatabaseNotFoundFault";
    name = "TenantDatabaseNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "TenantDatabaseNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TenantDatabaseNotFoundFault.prototype);
    }
}
class ResourceNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#ResourceNotFoundFault";
    name = "ResourceNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ResourceNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceNotFoundFault.prototype);
    }
}
class AuthorizationAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#AuthorizationAlreadyExistsFault";
    name = "AuthorizationAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "AuthorizationAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, AuthorizationAlreadyExistsFault.prototype);
    }
}
class AuthorizationQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#AuthorizationQuotaExceededFault";
    name = "AuthorizationQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "AuthorizationQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, AuthorizationQuotaExceededFault.prototype);
    }
}
class DBSecurityGroupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSecurityGroupNotFoundFault";
    name = "DBSecurityGroupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSecurityGroupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSecurityGroupNotFoundFault.prototype);
    }
}
class InvalidDBSecurityGroupStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBSecurityGroupStateFault";
    name = "InvalidDBSecurityGroupStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBSecurityGroupStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBSecurityGroupStateFault.prototype);
    }
}
class InvalidDBCapacityReservationStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBCapacityReservationStateFault";
    name = "InvalidDBCapacityReservationStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBCapacityReservationStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBCapacityReservationStateFault.prototype);
    }
}
class ExportTaskNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#ExportTaskNotFoundFault";
    name = "ExportTaskNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ExportTaskNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ExportTaskNotFoundFault.prototype);
    }
}
class InvalidExportTaskStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidExportTaskStateFault";
    name = "InvalidExportTaskStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidExportTaskStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidExportTaskStateFault.prototype);
    }
}
class DBParameterGroupAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBParameterGroupAlreadyExistsFault";
    name = "DBParameterGroupAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBParameterGroupAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBParameterGroupAlreadyExistsFault.prototype);
    }
}
class DBParameterGroupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBParameterGroupNotFoundFault";
    name = "DBParameterGroupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBParameterGroupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBParameterGroupNotFoundFault.prototype);
    }
}
class DBParameterGroupQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBParameterGroupQuotaExceededFault";
    name = "DBParameterGroupQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBParameterGroupQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBParameterGroupQuotaExceededFault.prototype);
    }
}
class DBClusterSnapshotAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterSnapshotAlreadyExistsFault";
    name = "DBClusterSnapshotAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterSnapshotAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterSnapshotAlreadyExistsFault.prototype);
    }
}
class DBClusterSnapshotNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterSnapshotNotFoundFault";
    name = "DBClusterSnapshotNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterSnapshotNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterSnapshotNotFoundFault.prototype);
    }
}
class InvalidDBClusterSnapshotStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBClusterSnapshotStateFault";
    name = "InvalidDBClusterSnapshotStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBClusterSnapshotStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBClusterSnapshotStateFault.prototype);
    }
}
class KMSKeyNotAccessibleFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#KMSKeyNotAccessibleFault";
    name = "KMSKeyNotAccessibleFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "KMSKeyNotAccessibleFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, KMSKeyNotAccessibleFault.prototype);
    }
}
class SnapshotQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SnapshotQuotaExceededFault";
    name = "SnapshotQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SnapshotQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SnapshotQuotaExceededFault.prototype);
    }
}
class CustomAvailabilityZoneNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#CustomAvailabilityZoneNotFoundFault";
    name = "CustomAvailabilityZoneNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CustomAvailabilityZoneNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CustomAvailabilityZoneNotFoundFault.prototype);
    }
}
class DBSnapshotAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSnapshotAlreadyExistsFault";
    name = "DBSnapshotAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSnapshotAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSnapshotAlreadyExistsFault.prototype);
    }
}
class InvalidDBSnapshotStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBSnapshotStateFault";
    name = "InvalidDBSnapshotStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBSnapshotStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBSnapshotStateFault.prototype);
    }
}
class OptionGroupAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#OptionGroupAlreadyExistsFault";
    name = "OptionGroupAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "OptionGroupAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, OptionGroupAlreadyExistsFault.prototype);
    }
}
class OptionGroupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#OptionGroupNotFoundFault";
    name = "OptionGroupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "OptionGroupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, OptionGroupNotFoundFault.prototype);
    }
}
class OptionGroupQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#OptionGroupQuotaExceededFault";
    name = "OptionGroupQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "OptionGroupQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, OptionGroupQuotaExceededFault.prototype);
    }
}
class BlueGreenDeploymentAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#BlueGreenDeploymentAlreadyExistsFault";
    name = "BlueGreenDeploymentAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "BlueGreenDeploymentAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, BlueGreenDeploymentAlreadyExistsFault.prototype);
    }
}
class DBClusterParameterGroupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterParameterGroupNotFoundFault";
    name = "DBClusterParameterGroupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterParameterGroupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterParameterGroupNotFoundFault.prototype);
    }
}
class DBClusterQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterQuotaExceededFault";
    name = "DBClusterQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterQuotaExceededFault.prototype);
    }
}
class InstanceQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InstanceQuotaExceededFault";
    name = "InstanceQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InstanceQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InstanceQuotaExceededFault.prototype);
    }
}
class SourceClusterNotSupportedFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SourceClusterNotSupportedFault";
    name = "SourceClusterNotSupportedFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SourceClusterNotSupportedFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SourceClusterNotSupportedFault.prototype);
    }
}
class SourceDatabaseNotSupportedFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SourceDatabaseNotSupportedFault";
    name = "SourceDatabaseNotSupportedFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SourceDatabaseNotSupportedFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SourceDatabaseNotSupportedFault.prototype);
    }
}
class StorageQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#StorageQuotaExceededFault";
    name = "StorageQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "StorageQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, StorageQuotaExceededFault.prototype);
    }
}
class CreateCustomDBEngineVersionFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#CreateCustomDBEngineVersionFault";
    name = "CreateCustomDBEngineVersionFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CreateCustomDBEngineVersionFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CreateCustomDBEngineVersionFault.prototype);
    }
}
class CustomDBEngineVersionAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#CustomDBEngineVersionAlreadyExistsFault";
    name = "CustomDBEngineVersionAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CustomDBEngineVersionAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CustomDBEngineVersionAlreadyExistsFault.prototype);
    }
}
class CustomDBEngineVersionNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#CustomDBEngineVersionNotFoundFault";
    name = "CustomDBEngineVersionNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CustomDBEngineVersionNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CustomDBEngineVersionNotFoundFault.prototype);
    }
}
class CustomDBEngineVersionQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#CustomDBEngineVersionQuotaExceededFault";
    name = "CustomDBEngineVersionQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CustomDBEngineVersionQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CustomDBEngineVersionQuotaExceededFault.prototype);
    }
}
class Ec2ImagePropertiesNotSupportedFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#Ec2ImagePropertiesNotSupportedFault";
    name = "Ec2ImagePropertiesNotSupportedFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "Ec2ImagePropertiesNotSupportedFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, Ec2ImagePropertiesNotSupportedFault.prototype);
    }
}
class InvalidCustomDBEngineVersionStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidCustomDBEngineVersionStateFault";
    name = "InvalidCustomDBEngineVersionStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidCustomDBEngineVersionStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidCustomDBEngineVersionStateFault.prototype);
    }
}
class DBCapacityReservationAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBCapacityReservationAlreadyExistsFault";
    name = "DBCapacityReservationAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBCapacityReservationAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBCapacityReservationAlreadyExistsFault.prototype);
    }
}
class DBCapacityReservationUnsupportedFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBCapacityReservationUnsupportedFault";
    name = "DBCapacityReservationUnsupportedFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBCapacityReservationUnsupportedFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBCapacityReservationUnsupportedFault.prototype);
    }
}
class InsufficientDBInstanceCapacityFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InsufficientDBInstanceCapacityFault";
    name = "InsufficientDBInstanceCapacityFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InsufficientDBInstanceCapacityFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InsufficientDBInstanceCapacityFault.prototype);
    }
}
class DBClusterAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterAlreadyExistsFault";
    name = "DBClusterAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterAlreadyExistsFault.prototype);
    }
}
class DBSubnetGroupDoesNotCoverEnoughAZs extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSubnetGroupDoesNotCoverEnoughAZs";
    name = "DBSubnetGroupDoesNotCoverEnoughAZs";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSubnetGroupDoesNotCoverEnoughAZs",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSubnetGroupDoesNotCoverEnoughAZs.prototype);
    }
}
class DBSubnetGroupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSubnetGroupNotFoundFault";
    name = "DBSubnetGroupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSubnetGroupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSubnetGroupNotFoundFault.prototype);
    }
}
class DomainNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DomainNotFoundFault";
    name = "DomainNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DomainNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DomainNotFoundFault.prototype);
    }
}
class GlobalClusterNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#GlobalClusterNotFoundFault";
    name = "GlobalClusterNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "GlobalClusterNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, GlobalClusterNotFoundFault.prototype);
    }
}
class InsufficientStorageClusterCapacityFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InsufficientStorageClusterCapacityFault";
    name = "InsufficientStorageClusterCapacityFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InsufficientStorageClusterCapacityFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InsufficientStorageClusterCapacityFault.prototype);
    }
}
class InvalidDBSubnetGroupFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBSubnetGroupFault";
    name = "InvalidDBSubnetGroupFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBSubnetGroupFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBSubnetGroupFault.prototype);
    }
}
class InvalidDBSubnetGroupStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBSubnetGroupStateFault";
    name = "InvalidDBSubnetGroupStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBSubnetGroupStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBSubnetGroupStateFault.prototype);
    }
}
class InvalidGlobalClusterStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidGlobalClusterStateFault";
    name = "InvalidGlobalClusterStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidGlobalClusterStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidGlobalClusterStateFault.prototype);
    }
}
class InvalidSubnet extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidSubnet";
    name = "InvalidSubnet";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidSubnet",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidSubnet.prototype);
    }
}
class InvalidVPCNetworkStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidVPCNetworkStateFault";
    name = "InvalidVPCNetworkStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidVPCNetworkStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidVPCNetworkStateFault.prototype);
    }
}
class NetworkTypeNotSupported extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#NetworkTypeNotSupported";
    name = "NetworkTypeNotSupported";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NetworkTypeNotSupported",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NetworkTypeNotSupported.prototype);
    }
}
class StorageTypeNotSupportedFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#StorageTypeNotSupportedFault";
    name = "StorageTypeNotSupportedFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "StorageTypeNotSupportedFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, StorageTypeNotSupportedFault.prototype);
    }
}
class VpcEncryptionControlViolationException extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#VpcEncryptionControlViolationException";
    name = "VpcEncryptionControlViolationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "VpcEncryptionControlViolationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, VpcEncryptionControlViolationException.prototype);
    }
}
class DBClusterEndpointAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterEndpointAlreadyExistsFault";
    name = "DBClusterEndpointAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterEndpointAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterEndpointAlreadyExistsFault.prototype);
    }
}
class DBClusterEndpointQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterEndpointQuotaExceededFault";
    name = "DBClusterEndpointQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterEndpointQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterEndpointQuotaExceededFault.prototype);
    }
}
class AuthorizationNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#AuthorizationNotFoundFault";
    name = "AuthorizationNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "AuthorizationNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, AuthorizationNotFoundFault.prototype);
    }
}
class BackupPolicyNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#BackupPolicyNotFoundFault";
    name = "BackupPolicyNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "BackupPolicyNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, BackupPolicyNotFoundFault.prototype);
    }
}
class CertificateNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#CertificateNotFoundFault";
    name = "CertificateNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CertificateNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CertificateNotFoundFault.prototype);
    }
}
class DBInstanceAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBInstanceAlreadyExistsFault";
    name = "DBInstanceAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBInstanceAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBInstanceAlreadyExistsFault.prototype);
    }
}
class ProvisionedIopsNotAvailableInAZFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#ProvisionedIopsNotAvailableInAZFault";
    name = "ProvisionedIopsNotAvailableInAZFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ProvisionedIopsNotAvailableInAZFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ProvisionedIopsNotAvailableInAZFault.prototype);
    }
}
class TenantDatabaseQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#TenantDatabaseQuotaExceededFault";
    name = "TenantDatabaseQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "TenantDatabaseQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TenantDatabaseQuotaExceededFault.prototype);
    }
}
class DBSubnetGroupNotAllowedFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSubnetGroupNotAllowedFault";
    name = "DBSubnetGroupNotAllowedFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSubnetGroupNotAllowedFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSubnetGroupNotAllowedFault.prototype);
    }
}
class DBProxyAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyAlreadyExistsFault";
    name = "DBProxyAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyAlreadyExistsFault.prototype);
    }
}
class DBProxyQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyQuotaExceededFault";
    name = "DBProxyQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyQuotaExceededFault.prototype);
    }
}
class DBProxyEndpointAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyEndpointAlreadyExistsFault";
    name = "DBProxyEndpointAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyEndpointAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyEndpointAlreadyExistsFault.prototype);
    }
}
class DBProxyEndpointQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyEndpointQuotaExceededFault";
    name = "DBProxyEndpointQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyEndpointQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyEndpointQuotaExceededFault.prototype);
    }
}
class InvalidDBProxyStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBProxyStateFault";
    name = "InvalidDBProxyStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBProxyStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBProxyStateFault.prototype);
    }
}
class DBSecurityGroupAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSecurityGroupAlreadyExistsFault";
    name = "DBSecurityGroupAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSecurityGroupAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSecurityGroupAlreadyExistsFault.prototype);
    }
}
class DBSecurityGroupNotSupportedFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSecurityGroupNotSupportedFault";
    name = "DBSecurityGroupNotSupportedFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSecurityGroupNotSupportedFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSecurityGroupNotSupportedFault.prototype);
    }
}
class DBSecurityGroupQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSecurityGroupQuotaExceededFault";
    name = "DBSecurityGroupQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSecurityGroupQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSecurityGroupQuotaExceededFault.prototype);
    }
}
class DBShardGroupAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBShardGroupAlreadyExistsFault";
    name = "DBShardGroupAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBShardGroupAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBShardGroupAlreadyExistsFault.prototype);
    }
}
class MaxDBShardGroupLimitReached extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#MaxDBShardGroupLimitReached";
    name = "MaxDBShardGroupLimitReached";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MaxDBShardGroupLimitReached",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MaxDBShardGroupLimitReached.prototype);
    }
}
class UnsupportedDBEngineVersionFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#UnsupportedDBEngineVersionFault";
    name = "UnsupportedDBEngineVersionFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "UnsupportedDBEngineVersionFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, UnsupportedDBEngineVersionFault.prototype);
    }
}
class DBSubnetGroupAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSubnetGroupAlreadyExistsFault";
    name = "DBSubnetGroupAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSubnetGroupAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSubnetGroupAlreadyExistsFault.prototype);
    }
}
class DBSubnetGroupQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSubnetGroupQuotaExceededFault";
    name = "DBSubnetGroupQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSubnetGroupQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSubnetGroupQuotaExceededFault.prototype);
    }
}
class DBSubnetQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBSubnetQuotaExceededFault";
    name = "DBSubnetQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBSubnetQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBSubnetQuotaExceededFault.prototype);
    }
}
class EventSubscriptionQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#EventSubscriptionQuotaExceededFault";
    name = "EventSubscriptionQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "EventSubscriptionQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, EventSubscriptionQuotaExceededFault.prototype);
    }
}
class SNSInvalidTopicFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SNSInvalidTopicFault";
    name = "SNSInvalidTopicFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SNSInvalidTopicFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SNSInvalidTopicFault.prototype);
    }
}
class SNSNoAuthorizationFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SNSNoAuthorizationFault";
    name = "SNSNoAuthorizationFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SNSNoAuthorizationFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SNSNoAuthorizationFault.prototype);
    }
}
class SNSTopicArnNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SNSTopicArnNotFoundFault";
    name = "SNSTopicArnNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SNSTopicArnNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SNSTopicArnNotFoundFault.prototype);
    }
}
class SubscriptionAlreadyExistFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SubscriptionAlreadyExistFault";
    name = "SubscriptionAlreadyExistFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SubscriptionAlreadyExistFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SubscriptionAlreadyExistFault.prototype);
    }
}
class SubscriptionCategoryNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SubscriptionCategoryNotFoundFault";
    name = "SubscriptionCategoryNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SubscriptionCategoryNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SubscriptionCategoryNotFoundFault.prototype);
    }
}
class GlobalClusterAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#GlobalClusterAlreadyExistsFault";
    name = "GlobalClusterAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "GlobalClusterAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, GlobalClusterAlreadyExistsFault.prototype);
    }
}
class GlobalClusterQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#GlobalClusterQuotaExceededFault";
    name = "GlobalClusterQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "GlobalClusterQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, GlobalClusterQuotaExceededFault.prototype);
    }
}
class InvalidDBShardGroupStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBShardGroupStateFault";
    name = "InvalidDBShardGroupStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBShardGroupStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBShardGroupStateFault.prototype);
    }
}
class IntegrationAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#IntegrationAlreadyExistsFault";
    name = "IntegrationAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IntegrationAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IntegrationAlreadyExistsFault.prototype);
    }
}
class IntegrationConflictOperationFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#IntegrationConflictOperationFault";
    name = "IntegrationConflictOperationFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IntegrationConflictOperationFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IntegrationConflictOperationFault.prototype);
    }
}
class IntegrationQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#IntegrationQuotaExceededFault";
    name = "IntegrationQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IntegrationQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IntegrationQuotaExceededFault.prototype);
    }
}
class TenantDatabaseAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#TenantDatabaseAlreadyExistsFault";
    name = "TenantDatabaseAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "TenantDatabaseAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TenantDatabaseAlreadyExistsFault.prototype);
    }
}
class InvalidBlueGreenDeploymentStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidBlueGreenDeploymentStateFault";
    name = "InvalidBlueGreenDeploymentStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidBlueGreenDeploymentStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidBlueGreenDeploymentStateFault.prototype);
    }
}
class DBClusterAutomatedBackupQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterAutomatedBackupQuotaExceededFault";
    name = "DBClusterAutomatedBackupQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterAutomatedBackupQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterAutomatedBackupQuotaExceededFault.prototype);
    }
}
class DBClusterAutomatedBackupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterAutomatedBackupNotFoundFault";
    name = "DBClusterAutomatedBackupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterAutomatedBackupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterAutomatedBackupNotFoundFault.prototype);
    }
}
class InvalidDBClusterAutomatedBackupStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBClusterAutomatedBackupStateFault";
    name = "InvalidDBClusterAutomatedBackupStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBClusterAutomatedBackupStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBClusterAutomatedBackupStateFault.prototype);
    }
}
class DBClusterEndpointNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterEndpointNotFoundFault";
    name = "DBClusterEndpointNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterEndpointNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterEndpointNotFoundFault.prototype);
    }
}
class InvalidDBParameterGroupStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBParameterGroupStateFault";
    name = "InvalidDBParameterGroupStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBParameterGroupStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBParameterGroupStateFault.prototype);
    }
}
class DBInstanceAutomatedBackupQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBInstanceAutomatedBackupQuotaExceededFault";
    name = "DBInstanceAutomatedBackupQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBInstanceAutomatedBackupQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBInstanceAutomatedBackupQuotaExceededFault.prototype);
    }
}
class DBInstanceAutomatedBackupNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBInstanceAutomatedBackupNotFoundFault";
    name = "DBInstanceAutomatedBackupNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBInstanceAutomatedBackupNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBInstanceAutomatedBackupNotFoundFault.prototype);
    }
}
class InvalidDBInstanceAutomatedBackupStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBInstanceAutomatedBackupStateFault";
    name = "InvalidDBInstanceAutomatedBackupStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBInstanceAutomatedBackupStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBInstanceAutomatedBackupStateFault.prototype);
    }
}
class InvalidDBProxyEndpointStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBProxyEndpointStateFault";
    name = "InvalidDBProxyEndpointStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBProxyEndpointStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBProxyEndpointStateFault.prototype);
    }
}
class InvalidDBSubnetStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBSubnetStateFault";
    name = "InvalidDBSubnetStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBSubnetStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBSubnetStateFault.prototype);
    }
}
class InvalidEventSubscriptionStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidEventSubscriptionStateFault";
    name = "InvalidEventSubscriptionStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidEventSubscriptionStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidEventSubscriptionStateFault.prototype);
    }
}
class InvalidIntegrationStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidIntegrationStateFault";
    name = "InvalidIntegrationStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidIntegrationStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidIntegrationStateFault.prototype);
    }
}
class InvalidOptionGroupStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidOptionGroupStateFault";
    name = "InvalidOptionGroupStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidOptionGroupStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidOptionGroupStateFault.prototype);
    }
}
class DBProxyTargetNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyTargetNotFoundFault";
    name = "DBProxyTargetNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyTargetNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyTargetNotFoundFault.prototype);
    }
}
class DBClusterBacktrackNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterBacktrackNotFoundFault";
    name = "DBClusterBacktrackNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterBacktrackNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterBacktrackNotFoundFault.prototype);
    }
}
class DBInstanceNotReadyFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBInstanceNotReadyFault";
    name = "DBInstanceNotReadyFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBInstanceNotReadyFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBInstanceNotReadyFault.prototype);
    }
}
class ReservedDBInstanceNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#ReservedDBInstanceNotFoundFault";
    name = "ReservedDBInstanceNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ReservedDBInstanceNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ReservedDBInstanceNotFoundFault.prototype);
    }
}
class ReservedDBInstancesOfferingNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#ReservedDBInstancesOfferingNotFoundFault";
    name = "ReservedDBInstancesOfferingNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ReservedDBInstancesOfferingNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ReservedDBInstancesOfferingNotFoundFault.prototype);
    }
}
class InvalidResourceStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidResourceStateFault";
    name = "InvalidResourceStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidResourceStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidResourceStateFault.prototype);
    }
}
class DBLogFileNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBLogFileNotFoundFault";
    name = "DBLogFileNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBLogFileNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBLogFileNotFoundFault.prototype);
    }
}
class InvalidDBClusterCapacityFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidDBClusterCapacityFault";
    name = "InvalidDBClusterCapacityFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidDBClusterCapacityFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidDBClusterCapacityFault.prototype);
    }
}
class StorageTypeNotAvailableFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#StorageTypeNotAvailableFault";
    name = "StorageTypeNotAvailableFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "StorageTypeNotAvailableFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, StorageTypeNotAvailableFault.prototype);
    }
}
class SharedSnapshotQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SharedSnapshotQuotaExceededFault";
    name = "SharedSnapshotQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SharedSnapshotQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SharedSnapshotQuotaExceededFault.prototype);
    }
}
class DBUpgradeDependencyFailureFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBUpgradeDependencyFailureFault";
    name = "DBUpgradeDependencyFailureFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBUpgradeDependencyFailureFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBUpgradeDependencyFailureFault.prototype);
    }
}
class SubnetAlreadyInUse extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#SubnetAlreadyInUse";
    name = "SubnetAlreadyInUse";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SubnetAlreadyInUse",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SubnetAlreadyInUse.prototype);
    }
}
class ReservedDBInstanceAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#ReservedDBInstanceAlreadyExistsFault";
    name = "ReservedDBInstanceAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ReservedDBInstanceAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ReservedDBInstanceAlreadyExistsFault.prototype);
    }
}
class ReservedDBInstanceQuotaExceededFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#ReservedDBInstanceQuotaExceededFault";
    name = "ReservedDBInstanceQuotaExceededFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ReservedDBInstanceQuotaExceededFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ReservedDBInstanceQuotaExceededFault.prototype);
    }
}
class DBProxyTargetAlreadyRegisteredFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBProxyTargetAlreadyRegisteredFault";
    name = "DBProxyTargetAlreadyRegisteredFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBProxyTargetAlreadyRegisteredFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBProxyTargetAlreadyRegisteredFault.prototype);
    }
}
class InsufficientAvailableIPsInSubnetFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InsufficientAvailableIPsInSubnetFault";
    name = "InsufficientAvailableIPsInSubnetFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InsufficientAvailableIPsInSubnetFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InsufficientAvailableIPsInSubnetFault.prototype);
    }
}
class DBClusterRoleNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBClusterRoleNotFoundFault";
    name = "DBClusterRoleNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBClusterRoleNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBClusterRoleNotFoundFault.prototype);
    }
}
class DBInstanceRoleNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#DBInstanceRoleNotFoundFault";
    name = "DBInstanceRoleNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DBInstanceRoleNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DBInstanceRoleNotFoundFault.prototype);
    }
}
class InvalidS3BucketFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidS3BucketFault";
    name = "InvalidS3BucketFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidS3BucketFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidS3BucketFault.prototype);
    }
}
class InsufficientDBClusterCapacityFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InsufficientDBClusterCapacityFault";
    name = "InsufficientDBClusterCapacityFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InsufficientDBClusterCapacityFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InsufficientDBClusterCapacityFault.prototype);
    }
}
class InvalidRestoreFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidRestoreFault";
    name = "InvalidRestoreFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidRestoreFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidRestoreFault.prototype);
    }
}
class PointInTimeRestoreNotEnabledFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#PointInTimeRestoreNotEnabledFault";
    name = "PointInTimeRestoreNotEnabledFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "PointInTimeRestoreNotEnabledFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, PointInTimeRestoreNotEnabledFault.prototype);
    }
}
class ExportTaskAlreadyExistsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#ExportTaskAlreadyExistsFault";
    name = "ExportTaskAlreadyExistsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ExportTaskAlreadyExistsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ExportTaskAlreadyExistsFault.prototype);
    }
}
class IamRoleMissingPermissionsFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#IamRoleMissingPermissionsFault";
    name = "IamRoleMissingPermissionsFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IamRoleMissingPermissionsFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IamRoleMissingPermissionsFault.prototype);
    }
}
class IamRoleNotFoundFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#IamRoleNotFoundFault";
    name = "IamRoleNotFoundFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IamRoleNotFoundFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IamRoleNotFoundFault.prototype);
    }
}
class InvalidExportOnlyFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidExportOnlyFault";
    name = "InvalidExportOnlyFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidExportOnlyFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidExportOnlyFault.prototype);
    }
}
class InvalidExportSourceStateFault extends RDSServiceException {
    static shapeId = "com.amazonaws.rds#InvalidExportSourceStateFault";
    name = "InvalidExportSourceStateFault";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidExportSourceStateFault",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidExportSourceStateFault.prototype);
    }
}

const _A = "Auth";
const _AA = "ApplyAction";
const _AAAD = "AutoAppliedAfterDate";
const _AAEF = "AuthorizationAlreadyExistsFault";
const _AAM = "AccountAttributesMessage";
const _AASVO = "AvailableAdditionalStorageVolumesOption";
const _AASVOL = "AvailableAdditionalStorageVolumesOptionList";
const _AASVOv = "AvailableAdditionalStorageVolumesOptions";
const _ABRPA = "AwsBackupRecoveryPointArn";
const _AC = "AvailableCapacity";
const _ACPAZ = "AvailableCapacityPerAvailabilityZone";
const _ACPAZL = "AvailableCapacityPerAvailabilityZoneList";
const _ADBSGI = "AuthorizeDBSecurityGroupIngress";
const _ADBSGIM = "AuthorizeDBSecurityGroupIngressMessage";
const _ADBSGIR = "AuthorizeDBSecurityGroupIngressResult";
const _ADL = "AllowDataLoss";
const _ADP = "AdditionalDataPending";
const _AEC = "AdditionalEncryptionContext";
const _AEMC = "AllowEngineModeChange";
const _AI = "AdditionalInfo";
const _AIc = "ActionId";
const _AIp = "ApplyImmediately";
const _AM = "AutomationMode";
const _AMVU = "AutoMinorVersionUpgrade";
const _AMVUl = "AllowMajorVersionUpgrade";
const _AMp = "ApplyMethod";
const _AMpp = "ApplyModes";
const _AN = "AttributeName";
const _ANFF = "AuthorizationNotFoundFault";
const _AP = "AutoPause";
const _APF = "AvailableProcessorFeature";
const _APFL = "AvailableProcessorFeatureList";
const _APFv = "AvailableProcessorFeatures";
const _APMA = "ApplyPendingMaintenanceAction";
const _APMAM = "ApplyPendingMaintenanceActionMessage";
const _APMAR = "ApplyPendingMaintenanceActionResult";
const _APS = "AuditPolicyState";
const _AQ = "AccountQuotas";
const _AQEF = "AuthorizationQuotaExceededFault";
const _AQL = "AccountQuotaList";
const _AQN = "AccountQuotaName";
const _AQc = "AccountQuota";
const _AR = "AssociatedRoles";
const _ART = "AutomaticRestartTime";
const _ARTDBC = "AddRoleToDBCluster";
const _ARTDBCM = "AddRoleToDBClusterMessage";
const _ARTDBI = "AddRoleToDBInstance";
const _ARTDBIM = "AddRoleToDBInstanceMessage";
const _AS = "AllocatedStorage";
const _ASA = "AuthSecretArn";
const _ASENAFI = "ActivityStreamEngineNativeAuditFieldsIncluded";
const _ASITS = "AddSourceIdentifierToSubscription";
const _ASITSM = "AddSourceIdentifierToSubscriptionMessage";
const _ASITSR = "AddSourceIdentifierToSubscriptionResult";
const _ASKKI = "ActivityStreamKmsKeyId";
const _ASKSN = "ActivityStreamKinesisStreamName";
const _ASM = "ActivityStreamMode";
const _ASPS = "ActivityStreamPolicyStatus";
const _ASS = "ActivityStreamStatus";
const _ASV = "AdditionalStorageVolume";
const _ASVL = "AdditionalStorageVolumesList";
const _ASVO = "AdditionalStorageVolumeOutput";
const _ASVOL = "AdditionalStorageVolumesOutputList";
const _ASVd = "AdditionalStorageVolumes";
const _ASd = "AdditionalStorage";
const _ASu = "AuthScheme";
const _AT = "ApplyType";
const _ATTR = "AddTagsToResource";
const _ATTRM = "AddTagsToResourceMessage";
const _AU = "AutoUpgrade";
const _AV = "AllowedValues";
const _AVANVIM = "AllowsVpcAndNonVpcInstanceMemberships";
const _AVL = "AttributeValueList";
const _AVl = "AllowedValue";
const _AVt = "AttributeValues";
const _AVtt = "AttributeValue";
const _AZ = "AvailabilityZone";
const _AZG = "AvailabilityZoneGroup";
const _AZL = "AvailabilityZoneList";
const _AZv = "AvailabilityZones";
const _Ac = "Action";
const _Ad = "Address";
const _An = "Analysis";
const _Ar = "Arn";
const _BCCR = "BacktrackConsumedChangeRecords";
const _BDBC = "BacktrackDBCluster";
const _BDBCM = "BacktrackDBClusterMessage";
const _BF = "BacktrackedFrom";
const _BGD = "BlueGreenDeployment";
const _BGDAEF = "BlueGreenDeploymentAlreadyExistsFault";
const _BGDI = "BlueGreenDeploymentIdentifier";
const _BGDL = "BlueGreenDeploymentList";
const _BGDN = "BlueGreenDeploymentName";
const _BGDNFF = "BlueGreenDeploymentNotFoundFault";
const _BGDT = "BlueGreenDeploymentTask";
const _BGDTL = "BlueGreenDeploymentTaskList";
const _BGDl = "BlueGreenDeployments";
const _BI = "BacktrackIdentifier";
const _BPNFF = "BackupPolicyNotFoundFault";
const _BRCT = "BacktrackRequestCreationTime";
const _BRP = "BackupRetentionPeriod";
const _BT = "BacktrackTo";
const _BTa = "BackupTarget";
const _BW = "BacktrackWindow";
const _C = "Certificate";
const _CA = "CertificateArn";
const _CAC = "CrossAccountClone";
const _CACI = "CACertificateIdentifier";
const _CAD = "CurrentApplyDate";
const _CAI = "CAIdentifier";
const _CAIu = "CustomerAwsId";
const _CAL = "ContextAttributeList";
const _CAZNFF = "CustomAvailabilityZoneNotFoundFault";
const _CAo = "ContextAttribute";
const _CAon = "ContextAttributes";
const _CBGD = "CreateBlueGreenDeployment";
const _CBGDR = "CreateBlueGreenDeploymentRequest";
const _CBGDRr = "CreateBlueGreenDeploymentResponse";
const _CBT = "ConnectionBorrowTimeout";
const _CC = "CurrentCapacity";
const _CCA = "CopyableCrossAccount";
const _CCDBEV = "CreateCustomDBEngineVersion";
const _CCDBEVF = "CreateCustomDBEngineVersionFault";
const _CCDBEVM = "CreateCustomDBEngineVersionMessage";
const _CCPAZ = "CommittedCapacityPerAvailabilityZone";
const _CCR = "CopyableCrossRegion";
const _CCT = "ClusterCreateTime";
const _CCu = "CurrencyCode";
const _CD = "CertificateDetails";
const _CDBC = "CreateDBCluster";
const _CDBCE = "CreateDBClusterEndpoint";
const _CDBCEM = "CreateDBClusterEndpointMessage";
const _CDBCM = "CreateDBClusterMessage";
const _CDBCPG = "CopyDBClusterParameterGroup";
const _CDBCPGM = "CopyDBClusterParameterGroupMessage";
const _CDBCPGMr = "CreateDBClusterParameterGroupMessage";
const _CDBCPGR = "CopyDBClusterParameterGroupResult";
const _CDBCPGRr = "CreateDBClusterParameterGroupResult";
const _CDBCPGr = "CreateDBClusterParameterGroup";
const _CDBCR = "CreateDBClusterResult";
const _CDBCRR = "CancelDBCapacityReservationRequest";
const _CDBCRRa = "CancelDBCapacityReservationResponse";
const _CDBCRRr = "CreateDBCapacityReservationRequest";
const _CDBCRRre = "CreateDBCapacityReservationResponse";
const _CDBCRa = "CancelDBCapacityReservation";
const _CDBCRr = "CreateDBCapacityReservation";
const _CDBCS = "CopyDBClusterSnapshot";
const _CDBCSM = "CopyDBClusterSnapshotMessage";
const _CDBCSMr = "CreateDBClusterSnapshotMessage";
const _CDBCSR = "CopyDBClusterSnapshotResult";
const _CDBCSRr = "CreateDBClusterSnapshotResult";
const _CDBCSr = "CreateDBClusterSnapshot";
const _CDBEVAEF = "CustomDBEngineVersionAlreadyExistsFault";
const _CDBEVAMI = "CustomDBEngineVersionAMI";
const _CDBEVM = "CustomDBEngineVersionManifest";
const _CDBEVNFF = "CustomDBEngineVersionNotFoundFault";
const _CDBEVQEF = "CustomDBEngineVersionQuotaExceededFault";
const _CDBI = "CreateDBInstance";
const _CDBIM = "CreateDBInstanceMessage";
const _CDBIR = "CreateDBInstanceResult";
const _CDBIRR = "CreateDBInstanceReadReplica";
const _CDBIRRM = "CreateDBInstanceReadReplicaMessage";
const _CDBIRRR = "CreateDBInstanceReadReplicaResult";
const _CDBP = "CreateDBProxy";
const _CDBPE = "CreateDBProxyEndpoint";
const _CDBPER = "CreateDBProxyEndpointRequest";
const _CDBPERr = "CreateDBProxyEndpointResponse";
const _CDBPG = "CopyDBParameterGroup";
const _CDBPGM = "CopyDBParameterGroupMessage";
const _CDBPGMr = "CreateDBParameterGroupMessage";
const _CDBPGR = "CopyDBParameterGroupResult";
const _CDBPGRr = "CreateDBParameterGroupResult";
const _CDBPGr = "CreateDBParameterGroup";
const _CDBPR = "CreateDBProxyRequest";
const _CDBPRr = "CreateDBProxyResponse";
const _CDBS = "CopyDBSnapshot";
const _CDBSG = "CreateDBSecurityGroup";
const _CDBSGM = "CreateDBSecurityGroupMessage";
const _CDBSGMr = "CreateDBShardGroupMessage";
const _CDBSGMre = "CreateDBSubnetGroupMessage";
const _CDBSGR = "CreateDBSecurityGroupResult";
const _CDBSGRr = "CreateDBSubnetGroupResult";
const _CDBSGr = "CreateDBShardGroup";
const _CDBSGre = "CreateDBSubnetGroup";
const _CDBSM = "CopyDBSnapshotMessage";
const _CDBSMr = "CreateDBSnapshotMessage";
const _CDBSR = "CopyDBSnapshotResult";
const _CDBSRr = "CreateDBSnapshotResult";
const _CDBSr = "CreateDBSnapshot";
const _CDo = "CommitmentDuration";
const _CDr = "CreateDate";
const _CDre = "CreatedDate";
const _CE = "CustomEndpoints";
const _CED = "CommitmentEndDate";
const _CES = "CreateEventSubscription";
const _CESM = "CreateEventSubscriptionMessage";
const _CESR = "CreateEventSubscriptionResult";
const _CET = "CustomEndpointType";
const _CETM = "CancelExportTaskMessage";
const _CETa = "CancelExportTask";
const _CGC = "CreateGlobalCluster";
const _CGCM = "CreateGlobalClusterMessage";
const _CGCR = "CreateGlobalClusterResult";
const _CGI = "CloneGroupId";
const _CI = "CertificateIdentifier";
const _CIDRIP = "CIDRIP";
const _CIIP = "CustomIamInstanceProfile";
const _CIM = "CreateIntegrationMessage";
const _CIo = "CommitmentInfo";
const _CIr = "CreateIntegration";
const _CL = "CertificateList";
const _CLEC = "CloudwatchLogsExportConfiguration";
const _CM = "CertificateMessage";
const _CNFF = "CertificateNotFoundFault";
const _CO = "CustomerOverride";
const _COG = "CopyOptionGroup";
const _COGM = "CopyOptionGroupMessage";
const _COGMr = "CreateOptionGroupMessage";
const _COGR = "CopyOptionGroupResult";
const _COGRr = "CreateOptionGroupResult";
const _COGr = "CreateOptionGroup";
const _COIE = "CustomerOwnedIpEnabled";
const _COVT = "CustomerOverrideValidTill";
const _CPAT = "ClientPasswordAuthType";
const _CPAZ = "CapacityPerAvailabilityZone";
const _CPC = "ConnectionPoolConfiguration";
const _CPCI = "ConnectionPoolConfigurationInfo";
const _CPCo = "ConnectionPoolConfig";
const _CPMV = "ClusterPendingModifiedValues";
const _CR = "ComputeRedundancy";
const _CRR = "CertificateRotationRestart";
const _CS = "CharacterSet";
const _CSD = "CharacterSetDescription";
const _CSI = "CustSubscriptionId";
const _CSN = "CharacterSetName";
const _CST = "ClusterScalabilityType";
const _CT = "CreateTime";
const _CTD = "CreateTenantDatabase";
const _CTDM = "CreateTenantDatabaseMessage";
const _CTDR = "CreateTenantDatabaseResult";
const _CTTS = "CopyTagsToSnapshot";
const _CTe = "CertificateType";
const _CTo = "CopyTags";
const _CTop = "CopyTimestamp";
const _CTr = "CreatedTime";
const _Ca = "Capacity";
const _Cat = "Category";
const _Ce = "Certificates";
const _D = "Description";
const _DAA = "DescribeAccountAttributes";
const _DAAM = "DescribeAccountAttributesMessage";
const _DAB = "DeleteAutomatedBackups";
const _DAS = "DefaultAuthScheme";
const _DASA = "DomainAuthSecretArn";
const _DBC = "DBCluster";
const _DBCA = "DBClusterArn";
const _DBCAB = "DBClusterAutomatedBackup";
const _DBCABA = "DBClusterAutomatedBackupsArn";
const _DBCABL = "DBClusterAutomatedBackupList";
const _DBCABM = "DBClusterAutomatedBackupMessage";
const _DBCABNFF = "DBClusterAutomatedBackupNotFoundFault";
const _DBCABQEF = "DBClusterAutomatedBackupQuotaExceededFault";
const _DBCABl = "DBClusterAutomatedBackups";
const _DBCAEF = "DBClusterAlreadyExistsFault";
const _DBCAR = "DBClusterAssociatedRole";
const _DBCARl = "DBClusterAssociatedRoles";
const _DBCB = "DBClusterBacktrack";
const _DBCBL = "DBClusterBacktrackList";
const _DBCBM = "DBClusterBacktrackMessage";
const _DBCBNFF = "DBClusterBacktrackNotFoundFault";
const _DBCBl = "DBClusterBacktracks";
const _DBCCI = "DBClusterCapacityInfo";
const _DBCE = "DBClusterEndpoint";
const _DBCEA = "DBClusterEndpointArn";
const _DBCEAEF = "DBClusterEndpointAlreadyExistsFault";
const _DBCEI = "DBClusterEndpointIdentifier";
const _DBCEL = "DBClusterEndpointList";
const _DBCEM = "DBClusterEndpointMessage";
const _DBCENFF = "DBClusterEndpointNotFoundFault";
const _DBCEQEF = "DBClusterEndpointQuotaExceededFault";
const _DBCERI = "DBClusterEndpointResourceIdentifier";
const _DBCEl = "DBClusterEndpoints";
const _DBCI = "DBClusterIdentifier";
const _DBCIC = "DBClusterInstanceClass";
const _DBCIl = "DBClusterIdentifiers";
const _DBCL = "DBClusterList";
const _DBCM = "DBClusterMembers";
const _DBCML = "DBClusterMemberList";
const _DBCMl = "DBClusterMember";
const _DBCMlu = "DBClusterMessage";
const _DBCNFF = "DBClusterNotFoundFault";
const _DBCOG = "DBClusterOptionGroup";
const _DBCOGM = "DBClusterOptionGroupMemberships";
const _DBCOGN = "DBClusterOptionGroupName";
const _DBCOGS = "DBClusterOptionGroupStatus";
const _DBCPG = "DBClusterParameterGroup";
const _DBCPGA = "DBClusterParameterGroupArn";
const _DBCPGD = "DBClusterParameterGroupDetails";
const _DBCPGL = "DBClusterParameterGroupList";
const _DBCPGM = "DBClusterParameterGroupsMessage";
const _DBCPGN = "DBClusterParameterGroupName";
const _DBCPGNFF = "DBClusterParameterGroupNotFoundFault";
const _DBCPGNM = "DBClusterParameterGroupNameMessage";
const _DBCPGS = "DBClusterParameterGroupStatus";
const _DBCPGl = "DBClusterParameterGroups";
const _DBCQEF = "DBClusterQuotaExceededFault";
const _DBCR = "DBCapacityReservation";
const _DBCRA = "DBCapacityReservationArn";
const _DBCRAEF = "DBCapacityReservationAlreadyExistsFault";
const _DBCRAEFl = "DBClusterRoleAlreadyExistsFault";
const _DBCRCI = "DBCapacityReservationCommitmentInfo";
const _DBCRI = "DBCapacityReservationIdentifier";
const _DBCRL = "DBCapacityReservationList";
const _DBCRN = "DBCapacityReservationName";
const _DBCRNFF = "DBCapacityReservationNotFoundFault";
const _DBCRNFFl = "DBClusterRoleNotFoundFault";
const _DBCRQEF = "DBClusterRoleQuotaExceededFault";
const _DBCRUF = "DBCapacityReservationUnsupportedFault";
const _DBCRa = "DBCapacityReservations";
const _DBCRl = "DBClusterRole";
const _DBCRlu = "DBClusterRoles";
const _DBCS = "DBClusterSnapshot";
const _DBCSA = "DBClusterSnapshotArn";
const _DBCSAEF = "DBClusterSnapshotAlreadyExistsFault";
const _DBCSAL = "DBClusterSnapshotAttributeList";
const _DBCSAR = "DBClusterSnapshotAttributesResult";
const _DBCSAl = "DBClusterSnapshotAttribute";
const _DBCSAlu = "DBClusterSnapshotAttributes";
const _DBCSI = "DBClusterSnapshotIdentifier";
const _DBCSIL = "DBClusterStatusInfoList";
const _DBCSIl = "DBClusterStatusInfo";
const _DBCSL = "DBClusterSnapshotList";
const _DBCSM = "DBClusterSnapshotMessage";
const _DBCSNFF = "DBClusterSnapshotNotFoundFault";
const _DBCSl = "DBClusterSnapshots";
const _DBCl = "DBClusters";
const _DBED = "DBEngineDescription";
const _DBEMT = "DBEngineMediaType";
const _DBEV = "DBEngineVersion";
const _DBEVA = "DBEngineVersionArn";
const _DBEVD = "DBEngineVersionDescription";
const _DBEVL = "DBEngineVersionList";
const _DBEVM = "DBEngineVersionMessage";
const _DBEVn = "DBEngineVersions";
const _DBGD = "DeleteBlueGreenDeployment";
const _DBGDR = "DeleteBlueGreenDeploymentRequest";
const _DBGDRe = "DeleteBlueGreenDeploymentResponse";
const _DBGDRes = "DescribeBlueGreenDeploymentsRequest";
const _DBGDResc = "DescribeBlueGreenDeploymentsResponse";
const _DBGDe = "DescribeBlueGreenDeployments";
const _DBI = "DBInstance";
const _DBIA = "DBInstanceArn";
const _DBIAB = "DBInstanceAutomatedBackup";
const _DBIABA = "DBInstanceAutomatedBackupsArn";
const _DBIABL = "DBInstanceAutomatedBackupList";
const _DBIABM = "DBInstanceAutomatedBackupMessage";
const _DBIABNFF = "DBInstanceAutomatedBackupNotFoundFault";
const _DBIABQEF = "DBInstanceAutomatedBackupQuotaExceededFault";
const _DBIABR = "DBInstanceAutomatedBackupsReplications";
const _DBIABRL = "DBInstanceAutomatedBackupsReplicationList";
const _DBIABRn = "DBInstanceAutomatedBackupsReplication";
const _DBIABn = "DBInstanceAutomatedBackups";
const _DBIAEF = "DBInstanceAlreadyExistsFault";
const _DBIC = "DBInstanceClass";
const _DBICn = "DBInstanceCount";
const _DBII = "DBInstanceIdentifier";
const _DBIIn = "DBInstanceIdentifiers";
const _DBIL = "DBInstanceList";
const _DBIM = "DBInstanceMessage";
const _DBINFF = "DBInstanceNotFoundFault";
const _DBINRF = "DBInstanceNotReadyFault";
const _DBIPGN = "DBInstanceParameterGroupName";
const _DBIR = "DBInstanceRole";
const _DBIRAEF = "DBInstanceRoleAlreadyExistsFault";
const _DBIRNFF = "DBInstanceRoleNotFoundFault";
const _DBIRQEF = "DBInstanceRoleQuotaExceededFault";
const _DBIRn = "DBInstanceRoles";
const _DBIS = "DBInstanceStatus";
const _DBISI = "DBInstanceStatusInfo";
const _DBISIL = "DBInstanceStatusInfoList";
const _DBIn = "DBInstances";
const _DBLFNFF = "DBLogFileNotFoundFault";
const _DBMEV = "DBMajorEngineVersion";
const _DBMEVL = "DBMajorEngineVersionsList";
const _DBMEVa = "DBMajorEngineVersions";
const _DBN = "DBName";
const _DBP = "DBProxy";
const _DBPA = "DBProxyArn";
const _DBPAEF = "DBProxyAlreadyExistsFault";
const _DBPE = "DBProxyEndpoint";
const _DBPEA = "DBProxyEndpointArn";
const _DBPEAEF = "DBProxyEndpointAlreadyExistsFault";
const _DBPEL = "DBProxyEndpointList";
const _DBPEN = "DBProxyEndpointName";
const _DBPENFF = "DBProxyEndpointNotFoundFault";
const _DBPEQEF = "DBProxyEndpointQuotaExceededFault";
const _DBPEr = "DBProxyEndpoints";
const _DBPG = "DBParameterGroup";
const _DBPGA = "DBParameterGroupArn";
const _DBPGAEF = "DBParameterGroupAlreadyExistsFault";
const _DBPGD = "DBParameterGroupDetails";
const _DBPGF = "DBParameterGroupFamily";
const _DBPGL = "DBParameterGroupList";
const _DBPGM = "DBParameterGroupsMessage";
const _DBPGN = "DBParameterGroupName";
const _DBPGNFF = "DBParameterGroupNotFoundFault";
const _DBPGNM = "DBParameterGroupNameMessage";
const _DBPGQEF = "DBParameterGroupQuotaExceededFault";
const _DBPGS = "DBParameterGroupStatus";
const _DBPGSL = "DBParameterGroupStatusList";
const _DBPGa = "DBParameterGroups";
const _DBPL = "DBProxyList";
const _DBPN = "DBProxyName";
const _DBPNFF = "DBProxyNotFoundFault";
const _DBPNo = "DBPortNumber";
const _DBPQEF = "DBProxyQuotaExceededFault";
const _DBPT = "DBProxyTarget";
const _DBPTARF = "DBProxyTargetAlreadyRegisteredFault";
const _DBPTG = "DBProxyTargetGroup";
const _DBPTGNFF = "DBProxyTargetGroupNotFoundFault";
const _DBPTNFF = "DBProxyTargetNotFoundFault";
const _DBPTr = "DBProxyTargets";
const _DBPr = "DBProxies";
const _DBR = "DBRecommendation";
const _DBRL = "DBRecommendationList";
const _DBRM = "DBRecommendationMessage";
const _DBRMe = "DBRecommendationsMessage";
const _DBRe = "DBRecommendations";
const _DBS = "DBSnapshot";
const _DBSA = "DBSnapshotArn";
const _DBSAEF = "DBSnapshotAlreadyExistsFault";
const _DBSAL = "DBSnapshotAttributeList";
const _DBSAR = "DBSnapshotAttributesResult";
const _DBSAn = "DBSnapshotAttribute";
const _DBSAna = "DBSnapshotAttributes";
const _DBSG = "DBSecurityGroup";
const _DBSGA = "DBSecurityGroupArn";
const _DBSGAEF = "DBSecurityGroupAlreadyExistsFault";
const _DBSGAEFh = "DBShardGroupAlreadyExistsFault";
const _DBSGAEFu = "DBSubnetGroupAlreadyExistsFault";
const _DBSGAh = "DBShardGroupArn";
const _DBSGAu = "DBSubnetGroupArn";
const _DBSGD = "DBSecurityGroupDescription";
const _DBSGDNCEAZ = "DBSubnetGroupDoesNotCoverEnoughAZs";
const _DBSGDu = "DBSubnetGroupDescription";
const _DBSGI = "DBShardGroupIdentifier";
const _DBSGL = "DBShardGroupsList";
const _DBSGM = "DBSecurityGroupMembership";
const _DBSGML = "DBSecurityGroupMembershipList";
const _DBSGMe = "DBSecurityGroupMessage";
const _DBSGMec = "DBSecurityGroupMemberships";
const _DBSGMu = "DBSubnetGroupMessage";
const _DBSGN = "DBSecurityGroupName";
const _DBSGNAF = "DBSubnetGroupNotAllowedFault";
const _DBSGNFF = "DBSecurityGroupNotFoundFault";
const _DBSGNFFh = "DBShardGroupNotFoundFault";
const _DBSGNFFu = "DBSubnetGroupNotFoundFault";
const _DBSGNL = "DBSecurityGroupNameList";
const _DBSGNSF = "DBSecurityGroupNotSupportedFault";
const _DBSGNu = "DBSubnetGroupName";
const _DBSGQEF = "DBSecurityGroupQuotaExceededFault";
const _DBSGQEFu = "DBSubnetGroupQuotaExceededFault";
const _DBSGRI = "DBShardGroupResourceId";
const _DBSGe = "DBSecurityGroups";
const _DBSGh = "DBShardGroup";
const _DBSGha = "DBShardGroups";
const _DBSGu = "DBSubnetGroup";
const _DBSGub = "DBSubnetGroups";
const _DBSI = "DBSystemId";
const _DBSIn = "DBSnapshotIdentifier";
const _DBSL = "DBSnapshotList";
const _DBSM = "DBSnapshotMessage";
const _DBSNFF = "DBSnapshotNotFoundFault";
const _DBSQEF = "DBSubnetQuotaExceededFault";
const _DBSTD = "DBSnapshotTenantDatabase";
const _DBSTDARN = "DBSnapshotTenantDatabaseARN";
const _DBSTDL = "DBSnapshotTenantDatabasesList";
const _DBSTDM = "DBSnapshotTenantDatabasesMessage";
const _DBSTDNFF = "DBSnapshotTenantDatabaseNotFoundFault";
const _DBSTDn = "DBSnapshotTenantDatabases";
const _DBSn = "DBSnapshots";
const _DBUDFF = "DBUpgradeDependencyFailureFault";
const _DC = "DescribeCertificates";
const _DCDBEV = "DeleteCustomDBEngineVersion";
const _DCDBEVM = "DeleteCustomDBEngineVersionMessage";
const _DCFNL = "DefaultCertificateForNewLaunches";
const _DCI = "DbClusterIdentifier";
const _DCM = "DescribeCertificatesMessage";
const _DCRI = "DbClusterResourceId";
const _DCS = "DefaultCharacterSet";
const _DD = "DisableDomain";
const _DDBC = "DeleteDBCluster";
const _DDBCAB = "DeleteDBClusterAutomatedBackup";
const _DDBCABM = "DeleteDBClusterAutomatedBackupMessage";
const _DDBCABMe = "DescribeDBClusterAutomatedBackupsMessage";
const _DDBCABR = "DeleteDBClusterAutomatedBackupResult";
const _DDBCABe = "DescribeDBClusterAutomatedBackups";
const _DDBCB = "DescribeDBClusterBacktracks";
const _DDBCBM = "DescribeDBClusterBacktracksMessage";
const _DDBCE = "DeleteDBClusterEndpoint";
const _DDBCEM = "DeleteDBClusterEndpointMessage";
const _DDBCEMe = "DescribeDBClusterEndpointsMessage";
const _DDBCEe = "DescribeDBClusterEndpoints";
const _DDBCM = "DeleteDBClusterMessage";
const _DDBCMe = "DescribeDBClustersMessage";
const _DDBCP = "DescribeDBClusterParameters";
const _DDBCPG = "DeleteDBClusterParameterGroup";
const _DDBCPGM = "DeleteDBClusterParameterGroupMessage";
const _DDBCPGMe = "DescribeDBClusterParameterGroupsMessage";
const _DDBCPGe = "DescribeDBClusterParameterGroups";
const _DDBCPM = "DescribeDBClusterParametersMessage";
const _DDBCR = "DeleteDBClusterResult";
const _DDBCRR = "DescribeDBCapacityReservationsRequest";
const _DDBCRRe = "DescribeDBCapacityReservationsResponse";
const _DDBCRe = "DescribeDBCapacityReservations";
const _DDBCS = "DeleteDBClusterSnapshot";
const _DDBCSA = "DescribeDBClusterSnapshotAttributes";
const _DDBCSAM = "DescribeDBClusterSnapshotAttributesMessage";
const _DDBCSAR = "DescribeDBClusterSnapshotAttributesResult";
const _DDBCSM = "DeleteDBClusterSnapshotMessage";
const _DDBCSMe = "DescribeDBClusterSnapshotsMessage";
const _DDBCSR = "DeleteDBClusterSnapshotResult";
const _DDBCSe = "DescribeDBClusterSnapshots";
const _DDBCe = "DescribeDBClusters";
const _DDBEV = "DescribeDBEngineVersions";
const _DDBEVM = "DescribeDBEngineVersionsMessage";
const _DDBI = "DeleteDBInstance";
const _DDBIAB = "DeleteDBInstanceAutomatedBackup";
const _DDBIABM = "DeleteDBInstanceAutomatedBackupMessage";
const _DDBIABMe = "DescribeDBInstanceAutomatedBackupsMessage";
const _DDBIABR = "DeleteDBInstanceAutomatedBackupResult";
const _DDBIABe = "DescribeDBInstanceAutomatedBackups";
const _DDBIM = "DeleteDBInstanceMessage";
const _DDBIMe = "DescribeDBInstancesMessage";
const _DDBIR = "DeleteDBInstanceResult";
const _DDBIe = "DescribeDBInstances";
const _DDBLF = "DescribeDBLogFiles";
const _DDBLFD = "DescribeDBLogFilesDetails";
const _DDBLFL = "DescribeDBLogFilesList";
const _DDBLFM = "DescribeDBLogFilesMessage";
const _DDBLFP = "DownloadDBLogFilePortion";
const _DDBLFPD = "DownloadDBLogFilePortionDetails";
const _DDBLFPM = "DownloadDBLogFilePortionMessage";
const _DDBLFR = "DescribeDBLogFilesResponse";
const _DDBMEV = "DescribeDBMajorEngineVersions";
const _DDBMEVR = "DescribeDBMajorEngineVersionsRequest";
const _DDBMEVRe = "DescribeDBMajorEngineVersionsResponse";
const _DDBP = "DeleteDBProxy";
const _DDBPE = "DeleteDBProxyEndpoint";
const _DDBPER = "DeleteDBProxyEndpointRequest";
const _DDBPERe = "DeleteDBProxyEndpointResponse";
const _DDBPERes = "DescribeDBProxyEndpointsRequest";
const _DDBPEResc = "DescribeDBProxyEndpointsResponse";
const _DDBPEe = "DescribeDBProxyEndpoints";
const _DDBPG = "DeleteDBParameterGroup";
const _DDBPGM = "DeleteDBParameterGroupMessage";
const _DDBPGMe = "DescribeDBParameterGroupsMessage";
const _DDBPGe = "DescribeDBParameterGroups";
const _DDBPM = "DescribeDBParametersMessage";
const _DDBPR = "DeleteDBProxyRequest";
const _DDBPRe = "DeleteDBProxyResponse";
const _DDBPRes = "DescribeDBProxiesRequest";
const _DDBPResc = "DescribeDBProxiesResponse";
const _DDBPT = "DeregisterDBProxyTargets";
const _DDBPTG = "DescribeDBProxyTargetGroups";
const _DDBPTGR = "DescribeDBProxyTargetGroupsRequest";
const _DDBPTGRe = "DescribeDBProxyTargetGroupsResponse";
const _DDBPTR = "DeregisterDBProxyTargetsRequest";
const _DDBPTRe = "DeregisterDBProxyTargetsResponse";
const _DDBPTRes = "DescribeDBProxyTargetsRequest";
const _DDBPTResc = "DescribeDBProxyTargetsResponse";
const _DDBPTe = "DescribeDBProxyTargets";
const _DDBPe = "DescribeDBParameters";
const _DDBPes = "DescribeDBProxies";
const _DDBR = "DescribeDBRecommendations";
const _DDBRM = "DescribeDBRecommendationsMessage";
const _DDBS = "DeleteDBSnapshot";
const _DDBSA = "DescribeDBSnapshotAttributes";
const _DDBSAM = "DescribeDBSnapshotAttributesMessage";
const _DDBSAR = "DescribeDBSnapshotAttributesResult";
const _DDBSG = "DeleteDBSecurityGroup";
const _DDBSGM = "DeleteDBSecurityGroupMessage";
const _DDBSGMe = "DeleteDBShardGroupMessage";
const _DDBSGMel = "DeleteDBSubnetGroupMessage";
const _DDBSGMes = "DescribeDBSecurityGroupsMessage";
const _DDBSGMesc = "DescribeDBShardGroupsMessage";
const _DDBSGMescr = "DescribeDBSubnetGroupsMessage";
const _DDBSGR = "DescribeDBShardGroupsResponse";
const _DDBSGe = "DeleteDBShardGroup";
const _DDBSGel = "DeleteDBSubnetGroup";
const _DDBSGes = "DescribeDBSecurityGroups";
const _DDBSGesc = "DescribeDBShardGroups";
const _DDBSGescr = "DescribeDBSubnetGroups";
const _DDBSM = "DeleteDBSnapshotMessage";
const _DDBSMe = "DescribeDBSnapshotsMessage";
const _DDBSR = "DeleteDBSnapshotResult";
const _DDBSTD = "DescribeDBSnapshotTenantDatabases";
const _DDBSTDM = "DescribeDBSnapshotTenantDatabasesMessage";
const _DDBSe = "DescribeDBSnapshots";
const _DDI = "DomainDnsIps";
const _DE = "DescribeEvents";
const _DEC = "DescribeEventCategories";
const _DECM = "DescribeEventCategoriesMessage";
const _DEDCP = "DescribeEngineDefaultClusterParameters";
const _DEDCPM = "DescribeEngineDefaultClusterParametersMessage";
const _DEDCPR = "DescribeEngineDefaultClusterParametersResult";
const _DEDP = "DescribeEngineDefaultParameters";
const _DEDPM = "DescribeEngineDefaultParametersMessage";
const _DEDPR = "DescribeEngineDefaultParametersResult";
const _DEM = "DescribeEventsMessage";
const _DES = "DeleteEventSubscription";
const _DESM = "DeleteEventSubscriptionMessage";
const _DESMe = "DescribeEventSubscriptionsMessage";
const _DESR = "DeleteEventSubscriptionResult";
const _DESe = "DescribeEventSubscriptions";
const _DET = "DescribeExportTasks";
const _DETM = "DescribeExportTasksMessage";
const _DF = "DomainFqdn";
const _DFDBCR = "DetachFromDBCapacityReservation";
const _DFa = "DataFilter";
const _DGC = "DeleteGlobalCluster";
const _DGCM = "DeleteGlobalClusterMessage";
const _DGCMe = "DescribeGlobalClustersMessage";
const _DGCR = "DeleteGlobalClusterResult";
const _DGCe = "DescribeGlobalClusters";
const _DHE = "DisableHttpEndpoint";
const _DHER = "DisableHttpEndpointRequest";
const _DHERi = "DisableHttpEndpointResponse";
const _DI = "DnsIps";
const _DIAMRN = "DomainIAMRoleName";
const _DIF = "DatabaseInstallationFiles";
const _DIFSBN = "DatabaseInstallationFilesS3BucketName";
const _DIFSP = "DatabaseInstallationFilesS3Prefix";
const _DIM = "DatabaseInsightsMode";
const _DIMe = "DeleteIntegrationMessage";
const _DIMes = "DescribeIntegrationsMessage";
const _DIP = "DbInstancePort";
const _DIR = "DescribeIntegrationsResponse";
const _DIe = "DeleteIntegration";
const _DIes = "DescribeIntegrations";
const _DL = "DebugLogging";
const _DLL = "DocLinkList";
const _DLT = "DisableLogTypes";
const _DLV = "DedicatedLogVolume";
const _DLo = "DocLink";
const _DM = "DomainMemberships";
const _DML = "DomainMembershipList";
const _DMo = "DomainMembership";
const _DN = "DatabaseName";
const _DNFF = "DomainNotFoundFault";
const _DO = "DomainOu";
const _DODBIO = "DescribeOrderableDBInstanceOptions";
const _DODBIOM = "DescribeOrderableDBInstanceOptionsMessage";
const _DOG = "DeleteOptionGroup";
const _DOGM = "DeleteOptionGroupMessage";
const _DOGMe = "DescribeOptionGroupsMessage";
const _DOGO = "DescribeOptionGroupOptions";
const _DOGOM = "DescribeOptionGroupOptionsMessage";
const _DOGe = "DescribeOptionGroups";
const _DOe = "DefaultOnly";
const _DP = "DeletionProtection";
const _DPMA = "DescribePendingMaintenanceActions";
const _DPMAM = "DescribePendingMaintenanceActionsMessage";
const _DPe = "DefaultPort";
const _DR = "DoubleRange";
const _DRDBI = "DescribeReservedDBInstances";
const _DRDBIM = "DescribeReservedDBInstancesMessage";
const _DRDBIO = "DescribeReservedDBInstancesOfferings";
const _DRDBIOM = "DescribeReservedDBInstancesOfferingsMessage";
const _DRI = "DbiResourceId";
const _DRL = "DoubleRangeList";
const _DSR = "DescribeSourceRegions";
const _DSRM = "DescribeSourceRegionsMessage";
const _DSVPV = "DescribeServerlessV2PlatformVersions";
const _DSVPVM = "DescribeServerlessV2PlatformVersionsMessage";
const _DT = "DeleteTime";
const _DTD = "DeleteTenantDatabase";
const _DTDM = "DeleteTenantDatabaseMessage";
const _DTDMe = "DescribeTenantDatabasesMessage";
const _DTDR = "DeleteTenantDatabaseResult";
const _DTDe = "DescribeTenantDatabases";
const _DTa = "DataType";
const _DTe = "DeleteTarget";
const _DV = "DefaultValue";
const _DVDBIM = "DescribeValidDBInstanceModifications";
const _DVDBIMM = "DescribeValidDBInstanceModificationsMessage";
const _DVDBIMR = "DescribeValidDBInstanceModificationsResult";
const _Da = "Date";
const _De = "Detection";
const _Di = "Dimensions";
const _Do = "Domain";
const _Du = "Duration";
const _E = "Engine";
const _EBT = "EarliestBacktrackTime";
const _EC = "EventCategories";
const _ECL = "EventCategoriesList";
const _ECLE = "EnableCloudwatchLogsExports";
const _ECLEn = "EnabledCloudwatchLogsExports";
const _ECM = "EventCategoriesMap";
const _ECML = "EventCategoriesMapList";
const _ECMv = "EventCategoriesMessage";
const _ECOI = "EnableCustomerOwnedIp";
const _ECSG = "EC2SecurityGroups";
const _ECSGI = "EC2SecurityGroupId";
const _ECSGL = "EC2SecurityGroupList";
const _ECSGN = "EC2SecurityGroupName";
const _ECSGOI = "EC2SecurityGroupOwnerId";
const _ECSGe = "EC2SecurityGroup";
const _ECr = "ErrorCode";
const _ECv = "EventCategory";
const _ED = "EndDate";
const _EDT = "EndDateType";
const _EDn = "EngineDefaults";
const _EF = "EngineFamily";
const _EGWF = "EnableGlobalWriteForwarding";
const _EHE = "EnableHttpEndpoint";
const _EHER = "EnableHttpEndpointRequest";
const _EHERn = "EnableHttpEndpointResponse";
const _EIAG = "EnableInternetAccessGateway";
const _EIAMDA = "EnableIAMDatabaseAuthentication";
const _EIPNSF = "Ec2ImagePropertiesNotSupportedFault";
const _EL = "EventList";
const _ELD = "EnableLimitlessDatabase";
const _ELS = "EngineLifecycleSupport";
const _ELT = "EnableLogTypes";
const _ELTx = "ExportableLogTypes";
const _ELWF = "EnableLocalWriteForwarding";
const _EM = "ExcludedMembers";
const _EMRA = "EnhancedMonitoringResourceArn";
const _EMn = "EngineMode";
const _EMr = "ErrorMessage";
const _EMv = "EventsMessage";
const _EN = "EngineName";
const _ENAFI = "EngineNativeAuditFieldsIncluded";
const _ENT = "EndpointNetworkType";
const _EO = "ExportOnly";
const _EPI = "EnablePerformanceInsights";
const _ERT = "EarliestRestorableTime";
const _ES = "EventSubscription";
const _ESA = "EventSubscriptionArn";
const _ESL = "EventSubscriptionsList";
const _ESM = "EventSubscriptionsMessage";
const _ESQEF = "EventSubscriptionQuotaExceededFault";
const _ET = "EndpointType";
const _ETAEF = "ExportTaskAlreadyExistsFault";
const _ETI = "ExportTaskIdentifier";
const _ETL = "ExportTasksList";
const _ETM = "ExportTasksMessage";
const _ETNFF = "ExportTaskNotFoundFault";
const _ETa = "EarliestTime";
const _ETn = "EndTime";
const _ETx = "ExportTask";
const _ETxp = "ExportTasks";
const _EV = "EngineVersion";
const _EVPCN = "EnableVPCNetworking";
const _En = "Enabled";
const _Enc = "Encrypted";
const _End = "Endpoint";
const _Er = "Errors";
const _Ev = "Event";
const _Eve = "Events";
const _F = "Force";
const _FAD = "ForcedApplyDate";
const _FC = "FilenameContains";
const _FCa = "FailureCause";
const _FDBC = "FailoverDBCluster";
const _FDBCM = "FailoverDBClusterMessage";
const _FDBCR = "FailoverDBClusterResult";
const _FDBSI = "FinalDBSnapshotIdentifier";
const _FDCA = "FromDbClusterArn";
const _FF = "ForceFailover";
const _FGC = "FailoverGlobalCluster";
const _FGCM = "FailoverGlobalClusterMessage";
const _FGCR = "FailoverGlobalClusterResult";
const _FL = "FilterList";
const _FLW = "FileLastWritten";
const _FN = "FeatureName";
const _FP = "FixedPrice";
const _FQDN = "FQDN";
const _FR = "FailureReason";
const _FS = "FileSize";
const _FSSIB = "FullSnapshotSizeInBytes";
const _FSa = "FailoverState";
const _FVL = "FilterValueList";
const _Fi = "Filters";
const _Fil = "Filter";
const _Fr = "From";
const _G = "Group";
const _GB = "GroupBy";
const _GC = "GlobalCluster";
const _GCA = "GlobalClusterArn";
const _GCAEF = "GlobalClusterAlreadyExistsFault";
const _GCI = "GlobalClusterIdentifier";
const _GCL = "GlobalClusterList";
const _GCM = "GlobalClusterMembers";
const _GCML = "GlobalClusterMemberList";
const _GCMl = "GlobalClusterMember";
const _GCMlo = "GlobalClustersMessage";
const _GCNFF = "GlobalClusterNotFoundFault";
const _GCQEF = "GlobalClusterQuotaExceededFault";
const _GCRI = "GlobalClusterResourceId";
const _GCl = "GlobalClusters";
const _GWFR = "GlobalWriteForwardingRequested";
const _GWFS = "GlobalWriteForwardingStatus";
const _HEE = "HttpEndpointEnabled";
const _HZI = "HostedZoneId";
const _I = "Iops";
const _IA = "IncludeAll";
const _IAEF = "IntegrationAlreadyExistsFault";
const _IAGE = "InternetAccessGatewayEnabled";
const _IAIPISF = "InsufficientAvailableIPsInSubnetFault";
const _IAMA = "IAMAuth";
const _IAMDAE = "IAMDatabaseAuthenticationEnabled";
const _IAMRN = "IAMRoleName";
const _IAn = "IntegrationArn";
const _IBGDSF = "InvalidBlueGreenDeploymentStateFault";
const _IC = "IsCollection";
const _ICDBEVSF = "InvalidCustomDBEngineVersionStateFault";
const _ICOF = "IntegrationConflictOperationFault";
const _ICT = "IdleClientTimeout";
const _ICTn = "InstanceCreateTime";
const _ICW = "IsClusterWriter";
const _ID = "IsDefault";
const _IDBCABSF = "InvalidDBClusterAutomatedBackupStateFault";
const _IDBCCF = "InsufficientDBClusterCapacityFault";
const _IDBCCFn = "InvalidDBClusterCapacityFault";
const _IDBCESF = "InvalidDBClusterEndpointStateFault";
const _IDBCRSF = "InvalidDBCapacityReservationStateFault";
const _IDBCSF = "InvalidDBClusterStateFault";
const _IDBCSSF = "InvalidDBClusterSnapshotStateFault";
const _IDBIABSF = "InvalidDBInstanceAutomatedBackupStateFault";
const _IDBICF = "InsufficientDBInstanceCapacityFault";
const _IDBISF = "InvalidDBInstanceStateFault";
const _IDBPESF = "InvalidDBProxyEndpointStateFault";
const _IDBPGSF = "InvalidDBParameterGroupStateFault";
const _IDBPSF = "InvalidDBProxyStateFault";
const _IDBSGF = "InvalidDBSubnetGroupFault";
const _IDBSGSF = "InvalidDBSecurityGroupStateFault";
const _IDBSGSFn = "InvalidDBShardGroupStateFault";
const _IDBSGSFnv = "InvalidDBSubnetGroupStateFault";
const _IDBSSF = "InvalidDBSnapshotStateFault";
const _IDBSSFn = "InvalidDBSubnetStateFault";
const _IDLA = "IsDataLossAllowed";
const _IDs = "IssueDetails";
const _IE = "IntegrationError";
const _IEL = "IntegrationErrorList";
const _IEOF = "InvalidExportOnlyFault";
const _IESSF = "InvalidEventSubscriptionStateFault";
const _IESSFn = "InvalidExportSourceStateFault";
const _IETSF = "InvalidExportTaskStateFault";
const _IGCSF = "InvalidGlobalClusterStateFault";
const _II = "ImageId";
const _IISF = "InvalidIntegrationStateFault";
const _IIn = "IntegrationIdentifier";
const _IL = "IntegrationList";
const _IM = "IsModifiable";
const _IMVU = "IsMajorVersionUpgrade";
const _IN = "IntegrationName";
const _INFF = "IntegrationNotFoundFault";
const _IOGSF = "InvalidOptionGroupStateFault";
const _IOONAMT = "IOOptimizedNextAllowedModificationTime";
const _IOPS = "IOPS";
const _IP = "IncludePublic";
const _IPR = "IPRanges";
const _IPRL = "IPRangeList";
const _IPRa = "IPRange";
const _IQ = "InitQuery";
const _IQEF = "InstanceQuotaExceededFault";
const _IQEFn = "IntegrationQuotaExceededFault";
const _IR = "IsRequired";
const _IRA = "IamRoleArn";
const _IRF = "InvalidRestoreFault";
const _IRMPF = "IamRoleMissingPermissionsFault";
const _IRNFF = "IamRoleNotFoundFault";
const _IRSF = "InvalidResourceStateFault";
const _IS = "InvalidSubnet";
const _ISBF = "InvalidS3BucketFault";
const _ISCCF = "InsufficientStorageClusterCapacityFault";
const _ISCUA = "IsStorageConfigUpgradeAvailable";
const _ISI = "InterconnectSubnetId";
const _ISn = "IncludeShared";
const _ITSR = "IopsToStorageRatio";
const _IVPCNSF = "InvalidVPCNetworkStateFault";
const _IW = "IsWriter";
const _Im = "Image";
const _Imp = "Impact";
const _In = "Integrations";
const _Int = "Integration";
const _K = "Key";
const _KKI = "KmsKeyId";
const _KMSKI = "KMSKeyId";
const _KMSKNAF = "KMSKeyNotAccessibleFault";
const _KSN = "KinesisStreamName";
const _L = "Links";
const _LD = "LimitlessDatabase";
const _LE = "ListenerEndpoint";
const _LFD = "LogFileData";
const _LFN = "LogFileName";
const _LI = "LeaseId";
const _LM = "LicenseModel";
const _LRT = "LatestRestorableTime";
const _LSCS = "ListSupportedCharacterSets";
const _LSED = "LifecycleSupportEndDate";
const _LSN = "LifecycleSupportName";
const _LSSD = "LifecycleSupportStartDate";
const _LST = "ListSupportedTimezones";
const _LT = "LatestTime";
const _LTFR = "ListTagsForResource";
const _LTFRM = "ListTagsForResourceMessage";
const _LTTD = "LogTypesToDisable";
const _LTTE = "LogTypesToEnable";
const _LUA = "LastUpdatedAfter";
const _LUB = "LastUpdatedBefore";
const _LW = "LastWritten";
const _LWFS = "LocalWriteForwardingStatus";
const _Li = "Limit";
const _Lo = "Locale";
const _M = "Max";
const _MACU = "MaxACU";
const _MACUi = "MinACU";
const _MAS = "MaxAllocatedStorage";
const _MASR = "ModifyActivityStreamRequest";
const _MASRo = "ModifyActivityStreamResponse";
const _MASV = "ModifyAdditionalStorageVolume";
const _MASVL = "ModifyAdditionalStorageVolumesList";
const _MASo = "ModifyActivityStream";
const _MAZ = "MultiAZ";
const _MAZC = "MultiAZCapable";
const _MC = "MinCapacity";
const _MCDBCC = "ModifyCurrentDBClusterCapacity";
const _MCDBCCM = "ModifyCurrentDBClusterCapacityMessage";
const _MCDBEV = "ModifyCustomDBEngineVersion";
const _MCDBEVM = "ModifyCustomDBEngineVersionMessage";
const _MCM = "ModifyCertificatesMessage";
const _MCP = "MaxConnectionsPercent";
const _MCR = "ModifyCertificatesResult";
const _MCa = "MaxCapacity";
const _MCo = "ModifyCertificates";
const _MDBC = "ModifyDBCluster";
const _MDBCE = "ModifyDBClusterEndpoint";
const _MDBCEM = "ModifyDBClusterEndpointMessage";
const _MDBCM = "ModifyDBClusterMessage";
const _MDBCPG = "ModifyDBClusterParameterGroup";
const _MDBCPGM = "ModifyDBClusterParameterGroupMessage";
const _MDBCR = "ModifyDBClusterResult";
const _MDBCRR = "ModifyDBCapacityReservationRequest";
const _MDBCRRo = "ModifyDBCapacityReservationResponse";
const _MDBCRo = "ModifyDBCapacityReservation";
const _MDBCSA = "ModifyDBClusterSnapshotAttribute";
const _MDBCSAM = "ModifyDBClusterSnapshotAttributeMessage";
const _MDBCSAR = "ModifyDBClusterSnapshotAttributeResult";
const _MDBI = "ModifyDBInstance";
const _MDBIM = "ModifyDBInstanceMessage";
const _MDBIR = "ModifyDBInstanceResult";
const _MDBP = "ModifyDBProxy";
const _MDBPE = "ModifyDBProxyEndpoint";
const _MDBPER = "ModifyDBProxyEndpointRequest";
const _MDBPERo = "ModifyDBProxyEndpointResponse";
const _MDBPG = "ModifyDBParameterGroup";
const _MDBPGM = "ModifyDBParameterGroupMessage";
const _MDBPR = "ModifyDBProxyRequest";
const _MDBPRo = "ModifyDBProxyResponse";
const _MDBPTG = "ModifyDBProxyTargetGroup";
const _MDBPTGR = "ModifyDBProxyTargetGroupRequest";
const _MDBPTGRo = "ModifyDBProxyTargetGroupResponse";
const _MDBR = "ModifyDBRecommendation";
const _MDBRM = "ModifyDBRecommendationMessage";
const _MDBS = "ModifyDBSnapshot";
const _MDBSA = "ModifyDBSnapshotAttribute";
const _MDBSAM = "ModifyDBSnapshotAttributeMessage";
const _MDBSAR = "ModifyDBSnapshotAttributeResult";
const _MDBSG = "ModifyDBShardGroup";
const _MDBSGLR = "MaxDBShardGroupLimitReached";
const _MDBSGM = "ModifyDBShardGroupMessage";
const _MDBSGMo = "ModifyDBSubnetGroupMessage";
const _MDBSGR = "ModifyDBSubnetGroupResult";
const _MDBSGo = "ModifyDBSubnetGroup";
const _MDBSM = "ModifyDBSnapshotMessage";
const _MDBSR = "ModifyDBSnapshotResult";
const _MES = "ModifyEventSubscription";
const _MESM = "ModifyEventSubscriptionMessage";
const _MESR = "ModifyEventSubscriptionResult";
const _MEV = "MajorEngineVersion";
const _MEVPAV = "MinimumEngineVersionPerAllowedValue";
const _MEVPAVL = "MinimumEngineVersionPerAllowedValueList";
const _MEVi = "MinimumEngineVersion";
const _MGC = "ModifyGlobalCluster";
const _MGCM = "ModifyGlobalClusterMessage";
const _MGCR = "ModifyGlobalClusterResult";
const _MI = "MinIops";
const _MICP = "MaxIdleConnectionsPercent";
const _MIM = "ModifyIntegrationMessage";
const _MIPDI = "MinIopsPerDbInstance";
const _MIPDIa = "MaxIopsPerDbInstance";
const _MIPG = "MinIopsPerGib";
const _MIPGa = "MaxIopsPerGib";
const _MIa = "MaxIops";
const _MIo = "MonitoringInterval";
const _MIod = "ModifyIntegration";
const _ML = "MetricList";
const _MMUP = "ManageMasterUserPassword";
const _MOG = "ModifyOptionGroup";
const _MOGM = "ModifyOptionGroupMessage";
const _MOGR = "ModifyOptionGroupResult";
const _MQ = "MetricQuery";
const _MR = "MaxRecords";
const _MRA = "MonitoringRoleArn";
const _MRACU = "MinRequiredACU";
const _MRL = "MetricReferenceList";
const _MRMEV = "MinimumRequiredMinorEngineVersion";
const _MRe = "MetricReference";
const _MSS = "MinStorageSize";
const _MSSa = "MaxStorageSize";
const _MST = "MinStorageThroughput";
const _MSTPDI = "MinStorageThroughputPerDbInstance";
const _MSTPDIa = "MaxStorageThroughputPerDbInstance";
const _MSTPI = "MinStorageThroughputPerIops";
const _MSTPIa = "MaxStorageThroughputPerIops";
const _MSTa = "MaxStorageThroughput";
const _MT = "MultiTenant";
const _MTD = "ModifyTenantDatabase";
const _MTDM = "ModifyTenantDatabaseMessage";
const _MTDR = "ModifyTenantDatabaseResult";
const _MU = "MasterUsername";
const _MUAT = "MasterUserAuthenticationType";
const _MUP = "MasterUserPassword";
const _MUS = "MasterUserSecret";
const _MUSKKI = "MasterUserSecretKmsKeyId";
const _Ma = "Marker";
const _Man = "Manifest";
const _Me = "Message";
const _Met = "Metric";
const _Metr = "Metrics";
const _Mo = "Mode";
const _N = "Name";
const _NCSN = "NcharCharacterSetName";
const _NDBCI = "NewDBClusterIdentifier";
const _NDBII = "NewDBInstanceIdentifier";
const _NDBPEN = "NewDBProxyEndpointName";
const _NDBPN = "NewDBProxyName";
const _NGCI = "NewGlobalClusterIdentifier";
const _NN = "NewName";
const _NOL = "NumberOfLines";
const _NT = "NetworkType";
const _NTDBN = "NewTenantDBName";
const _NTNS = "NetworkTypeNotSupported";
const _No = "Normal";
const _O = "Option";
const _OC = "OptionConfiguration";
const _OCL = "OptionConfigurationList";
const _OCN = "OptionConflictName";
const _OCW = "OptionsConflictsWith";
const _OCu = "OutpostCapable";
const _OD = "OptionDescription";
const _ODBIO = "OrderableDBInstanceOption";
const _ODBIOL = "OrderableDBInstanceOptionsList";
const _ODBIOM = "OrderableDBInstanceOptionsMessage";
const _ODBIOr = "OrderableDBInstanceOptions";
const _ODO = "OptionsDependedOn";
const _OG = "OptionGroup";
const _OGA = "OptionGroupArn";
const _OGAEF = "OptionGroupAlreadyExistsFault";
const _OGD = "OptionGroupDescription";
const _OGL = "OptionGroupsList";
const _OGM = "OptionGroupMemberships";
const _OGML = "OptionGroupMembershipList";
const _OGMp = "OptionGroupMembership";
const _OGN = "OptionGroupName";
const _OGNFF = "OptionGroupNotFoundFault";
const _OGO = "OptionGroupOption";
const _OGOL = "OptionGroupOptionsList";
const _OGOM = "OptionGroupOptionsMessage";
const _OGOS = "OptionGroupOptionSettings";
const _OGOSL = "OptionGroupOptionSettingsList";
const _OGOSp = "OptionGroupOptionSetting";
const _OGOV = "OptionGroupOptionVersions";
const _OGOVL = "OptionGroupOptionVersionsList";
const _OGOp = "OptionGroupOptions";
const _OGQEF = "OptionGroupQuotaExceededFault";
const _OGp = "OptionGroups";
const _OI = "OwnerId";
const _OIS = "OptInStatus";
const _OIT = "OptInType";
const _OL = "OptionsList";
const _ON = "OptionName";
const _OS = "OptionSettings";
const _OSCL = "OptionSettingConfigurationList";
const _OSCT = "OriginalSnapshotCreateTime";
const _OSL = "OptionSettingsList";
const _OSS = "OperatorSensitiveString";
const _OSp = "OptionSetting";
const _OT = "OfferingType";
const _OTI = "OptionsToInclude";
const _OTR = "OptionsToRemove";
const _OU = "OU";
const _OV = "OptionVersion";
const _Op = "Options";
const _Ope = "Operation";
const _Ou = "Outpost";
const _P = "Port";
const _PA = "PubliclyAccessible";
const _PAS = "ParameterApplyStatus";
const _PBW = "PreferredBackupWindow";
const _PC = "PendingCapacity";
const _PCLE = "PendingCloudwatchLogsExports";
const _PD = "ProductDescription";
const _PF = "ProcessorFeatures";
const _PFL = "ProcessorFeatureList";
const _PFr = "ProcessorFeature";
const _PI = "ProvisionedIops";
const _PID = "PerformanceIssueDetails";
const _PIE = "PerformanceInsightsEnabled";
const _PIKMSKI = "PerformanceInsightsKMSKeyId";
const _PIMDG = "PerformanceInsightsMetricDimensionGroup";
const _PIMQ = "PerformanceInsightsMetricQuery";
const _PINAIAZF = "ProvisionedIopsNotAvailableInAZFault";
const _PIRP = "PerformanceInsightsRetentionPeriod";
const _PITRNEF = "PointInTimeRestoreNotEnabledFault";
const _PL = "ParametersList";
const _PMA = "PendingMaintenanceAction";
const _PMAD = "PendingMaintenanceActionDetails";
const _PMAM = "PendingMaintenanceActionsMessage";
const _PMAe = "PendingMaintenanceActions";
const _PMV = "PendingModifiedValues";
const _PMW = "PreferredMaintenanceWindow";
const _PN = "ParameterName";
const _PP = "PercentProgress";
const _PR = "PortRequired";
const _PRDBIO = "PurchaseReservedDBInstancesOffering";
const _PRDBIOM = "PurchaseReservedDBInstancesOfferingMessage";
const _PRDBIOR = "PurchaseReservedDBInstancesOfferingResult";
const _PRR = "PromoteReadReplica";
const _PRRDBC = "PromoteReadReplicaDBCluster";
const _PRRDBCM = "PromoteReadReplicaDBClusterMessage";
const _PRRDBCR = "PromoteReadReplicaDBClusterResult";
const _PRRM = "PromoteReadReplicaMessage";
const _PRRR = "PromoteReadReplicaResult";
const _PS = "PolicyStatus";
const _PSOSV = "PotentiallySensitiveOptionSettingValue";
const _PST = "ProvisionedStorageThroughput";
const _PSU = "PreSignedUrl";
const _PT = "PromotionTier";
const _PV = "ParameterValue";
const _Pa = "Parameters";
const _Par = "Parameter";
const _Pe = "Persistent";
const _Per = "Permanent";
const _R = "Region";
const _RA = "RoleArn";
const _RAL = "RecommendedActionList";
const _RAMEVU = "RequiresAutoMinorEngineVersionUpgrade";
const _RAP = "RecommendedActionParameter";
const _RAPL = "RecommendedActionParameterList";
const _RAPe = "ResetAllParameters";
const _RAU = "RecommendedActionUpdates";
const _RAUL = "RecommendedActionUpdateList";
const _RAUe = "RecommendedActionUpdate";
const _RAe = "ResourceArn";
const _RAec = "RecommendedActions";
const _RAeco = "RecommendedAction";
const _RC = "RecurringCharge";
const _RCA = "RecurringChargeAmount";
const _RCCC = "RdsCustomClusterConfiguration";
const _RCF = "RecurringChargeFrequency";
const _RCL = "RecurringChargeList";
const _RCO = "RemoveCustomerOverride";
const _RCPAZ = "ReservedCapacityPerAvailabilityZone";
const _RCe = "RecurringCharges";
const _RD = "ReferenceDetails";
const _RDBC = "RebootDBCluster";
const _RDBCFS = "RestoreDBClusterFromS3";
const _RDBCFSM = "RestoreDBClusterFromS3Message";
const _RDBCFSMe = "RestoreDBClusterFromSnapshotMessage";
const _RDBCFSR = "RestoreDBClusterFromS3Result";
const _RDBCFSRe = "RestoreDBClusterFromSnapshotResult";
const _RDBCFSe = "RestoreDBClusterFromSnapshot";
const _RDBCM = "RebootDBClusterMessage";
const _RDBCPG = "ResetDBClusterParameterGroup";
const _RDBCPGM = "ResetDBClusterParameterGroupMessage";
const _RDBCR = "RebootDBClusterResult";
const _RDBCTPIT = "RestoreDBClusterToPointInTime";
const _RDBCTPITM = "RestoreDBClusterToPointInTimeMessage";
const _RDBCTPITR = "RestoreDBClusterToPointInTimeResult";
const _RDBI = "ReservedDBInstance";
const _RDBIA = "ReservedDBInstanceArn";
const _RDBIAEF = "ReservedDBInstanceAlreadyExistsFault";
const _RDBIFDBS = "RestoreDBInstanceFromDBSnapshot";
const _RDBIFDBSM = "RestoreDBInstanceFromDBSnapshotMessage";
const _RDBIFDBSR = "RestoreDBInstanceFromDBSnapshotResult";
const _RDBIFS = "RestoreDBInstanceFromS3";
const _RDBIFSM = "RestoreDBInstanceFromS3Message";
const _RDBIFSR = "RestoreDBInstanceFromS3Result";
const _RDBII = "ReservedDBInstanceId";
const _RDBIL = "ReservedDBInstanceList";
const _RDBIM = "RebootDBInstanceMessage";
const _RDBIMe = "ReservedDBInstanceMessage";
const _RDBINFF = "ReservedDBInstanceNotFoundFault";
const _RDBIO = "ReservedDBInstancesOffering";
const _RDBIOI = "ReservedDBInstancesOfferingId";
const _RDBIOL = "ReservedDBInstancesOfferingList";
const _RDBIOM = "ReservedDBInstancesOfferingMessage";
const _RDBIONFF = "ReservedDBInstancesOfferingNotFoundFault";
const _RDBIOe = "ReservedDBInstancesOfferings";
const _RDBIQEF = "ReservedDBInstanceQuotaExceededFault";
const _RDBIR = "RebootDBInstanceResult";
const _RDBITPIT = "RestoreDBInstanceToPointInTime";
const _RDBITPITM = "RestoreDBInstanceToPointInTimeMessage";
const _RDBITPITR = "RestoreDBInstanceToPointInTimeResult";
const _RDBIe = "ReservedDBInstances";
const _RDBIeb = "RebootDBInstance";
const _RDBPG = "ResetDBParameterGroup";
const _RDBPGM = "ResetDBParameterGroupMessage";
const _RDBPT = "RegisterDBProxyTargets";
const _RDBPTR = "RegisterDBProxyTargetsRequest";
const _RDBPTRe = "RegisterDBProxyTargetsResponse";
const _RDBSG = "RebootDBShardGroup";
const _RDBSGI = "RevokeDBSecurityGroupIngress";
const _RDBSGIM = "RevokeDBSecurityGroupIngressMessage";
const _RDBSGIR = "RevokeDBSecurityGroupIngressResult";
const _RDBSGM = "RebootDBShardGroupMessage";
const _RE = "ReaderEndpoint";
const _RFAMM = "ResumeFullAutomationModeMinutes";
const _RFAMT = "ResumeFullAutomationModeTime";
const _RFGC = "RemoveFromGlobalCluster";
const _RFGCM = "RemoveFromGlobalClusterMessage";
const _RFGCR = "RemoveFromGlobalClusterResult";
const _RI = "ResourceIdentifier";
const _RIe = "RecommendationId";
const _RL = "RangeList";
const _RM = "ReplicaMode";
const _RMUP = "RotateMasterUserPassword";
const _RN = "ResourceName";
const _RNFF = "ResourceNotFoundFault";
const _RNe = "RegionName";
const _RPMA = "ResourcePendingMaintenanceActions";
const _RRC = "ReadReplicaCapable";
const _RRDBCI = "ReadReplicaDBClusterIdentifiers";
const _RRDBCIL = "ReadReplicaDBClusterIdentifierList";
const _RRDBCIe = "ReadReplicaDBClusterIdentifier";
const _RRDBII = "ReadReplicaDBInstanceIdentifiers";
const _RRDBIIL = "ReadReplicaDBInstanceIdentifierList";
const _RRDBIIe = "ReadReplicaDBInstanceIdentifier";
const _RRFDBC = "RemoveRoleFromDBCluster";
const _RRFDBCM = "RemoveRoleFromDBClusterMessage";
const _RRFDBI = "RemoveRoleFromDBInstance";
const _RRFDBIM = "RemoveRoleFromDBInstanceMessage";
const _RRI = "ReadReplicaIdentifiers";
const _RRIL = "ReadReplicaIdentifierList";
const _RRId = "RdsResourceId";
const _RRIe = "ReadReplicaIdentifier";
const _RRSDBCI = "ReadReplicaSourceDBClusterIdentifier";
const _RRSDBII = "ReadReplicaSourceDBInstanceIdentifier";
const _RSI = "ReplicationSourceIdentifier";
const _RSIFS = "RemoveSourceIdentifierFromSubscription";
const _RSIFSM = "RemoveSourceIdentifierFromSubscriptionMessage";
const _RSIFSR = "RemoveSourceIdentifierFromSubscriptionResult";
const _RT = "RestoreType";
const _RTFR = "RemoveTagsFromResource";
const _RTFRM = "RemoveTagsFromResourceMessage";
const _RTLS = "RequireTLS";
const _RTT = "RestoreToTime";
const _RTe = "RestoreTime";
const _RTes = "ResourceType";
const _RW = "RestoreWindow";
const _Ra = "Range";
const _Re = "Recommendation";
const _Rea = "Reason";
const _Read = "Readers";
const _Ref = "References";
const _Ro = "Role";
const _S = "Source";
const _SA = "SourceArn";
const _SAEF = "SubscriptionAlreadyExistFault";
const _SAI = "SourceAccountId";
const _SAIU = "SubnetAlreadyInUse";
const _SAS = "StartActivityStream";
const _SASM = "SupportedActivityStreamModes";
const _SASR = "StartActivityStreamRequest";
const _SASRt = "StartActivityStreamResponse";
const _SASRto = "StopActivityStreamRequest";
const _SASRtop = "StopActivityStreamResponse";
const _SASV = "SupportsAdditionalStorageVolumes";
const _SASt = "StopActivityStream";
const _SAZ = "SnapshotAvailabilityZone";
const _SAZe = "SecondaryAvailabilityZone";
const _SAZu = "SubnetAvailabilityZone";
const _SAe = "SecretArn";
const _SB = "SupportsBabelfish";
const _SBGD = "SwitchoverBlueGreenDeployment";
const _SBGDR = "SwitchoverBlueGreenDeploymentRequest";
const _SBGDRw = "SwitchoverBlueGreenDeploymentResponse";
const _SBN = "S3BucketName";
const _SBT = "SecondsBeforeTimeout";
const _SBu = "S3Bucket";
const _SC = "ScalingConfiguration";
const _SCACI = "SupportedCACertificateIdentifiers";
const _SCDEVI = "SourceCustomDbEngineVersionIdentifier";
const _SCI = "ScalingConfigurationInfo";
const _SCNFF = "SubscriptionCategoryNotFoundFault";
const _SCNSF = "SourceClusterNotSupportedFault";
const _SCRWR = "SupportsCertificateRotationWithoutRestart";
const _SCS = "SupportedCharacterSets";
const _SCSL = "SupportedCharacterSetsList";
const _SCT = "SnapshotCreateTime";
const _SCTu = "SubscriptionCreationTime";
const _SCu = "SupportsClusters";
const _SD = "SwitchoverDetails";
const _SDBC = "StartDBCluster";
const _SDBCI = "SourceDBClusterIdentifier";
const _SDBCM = "StartDBClusterMessage";
const _SDBCMt = "StopDBClusterMessage";
const _SDBCPGI = "SourceDBClusterParameterGroupIdentifier";
const _SDBCR = "StartDBClusterResult";
const _SDBCRt = "StopDBClusterResult";
const _SDBCSA = "SourceDBClusterSnapshotArn";
const _SDBCSI = "SourceDBClusterSnapshotIdentifier";
const _SDBCt = "StopDBCluster";
const _SDBI = "StartDBInstance";
const _SDBIA = "SourceDBInstanceArn";
const _SDBIABA = "SourceDBInstanceAutomatedBackupsArn";
const _SDBIABR = "SupportsDBInstanceAutomatedBackupsReplication";
const _SDBIABRM = "StartDBInstanceAutomatedBackupsReplicationMessage";
const _SDBIABRMt = "StopDBInstanceAutomatedBackupsReplicationMessage";
const _SDBIABRR = "StartDBInstanceAutomatedBackupsReplicationResult";
const _SDBIABRRt = "StopDBInstanceAutomatedBackupsReplicationResult";
const _SDBIABRt = "StartDBInstanceAutomatedBackupsReplication";
const _SDBIABRto = "StopDBInstanceAutomatedBackupsReplication";
const _SDBII = "SourceDBInstanceIdentifier";
const _SDBIM = "StartDBInstanceMessage";
const _SDBIMt = "StopDBInstanceMessage";
const _SDBIR = "StartDBInstanceResult";
const _SDBIRt = "StopDBInstanceResult";
const _SDBIt = "StopDBInstance";
const _SDBPGI = "SourceDBParameterGroupIdentifier";
const _SDBSI = "SourceDBSnapshotIdentifier";
const _SDCRI = "SourceDbClusterResourceId";
const _SDL = "SwitchoverDetailList";
const _SDLV = "SupportsDedicatedLogVolume";
const _SDNSF = "SourceDatabaseNotSupportedFault";
const _SDRI = "SourceDbiResourceId";
const _SDT = "SnapshotDatabaseTime";
const _SDe = "SettingDescription";
const _SDt = "StatusDetails";
const _SDta = "StartDate";
const _SDtat = "StatisticsDetails";
const _SDw = "SwitchoverDetail";
const _SE = "StorageEncrypted";
const _SEL = "SupportedEngineLifecycles";
const _SELL = "SupportedEngineLifecycleList";
const _SELu = "SupportedEngineLifecycle";
const _SEM = "SupportedEngineModes";
const _SEMu = "SupportsEnhancedMonitoring";
const _SET = "StorageEncryptionType";
const _SETM = "StartExportTaskMessage";
const _SETt = "StartExportTask";
const _SEV = "SourceEngineVersion";
const _SEo = "SourceEngine";
const _SFD = "SetForDelete";
const _SFN = "SupportedFeatureNames";
const _SFS = "SkipFinalSnapshot";
const _SG = "SecurityGroups";
const _SGC = "SwitchoverGlobalCluster";
const _SGCM = "SwitchoverGlobalClusterMessage";
const _SGCR = "SwitchoverGlobalClusterResult";
const _SGD = "SupportsGlobalDatabases";
const _SGS = "SubnetGroupStatus";
const _SHE = "SupportsHttpEndpoint";
const _SI = "SourceIdentifier";
const _SIAMDA = "SupportsIAMDatabaseAuthentication";
const _SIL = "SourceIdsList";
const _SILu = "SubnetIdentifierList";
const _SIRA = "S3IngestionRoleArn";
const _SIn = "SnapshotIdentifier";
const _SIo = "SourceIds";
const _SIou = "SourceId";
const _SIt = "StatusInfos";
const _SIu = "SupportsIops";
const _SIub = "SubnetIds";
const _SIubn = "SubnetIdentifier";
const _SIup = "SupportsIntegrations";
const _SKA = "SupportsKerberosAuthentication";
const _SL = "SubnetList";
const _SLD = "SupportsLimitlessDatabase";
const _SLETCL = "SupportsLogExportsToCloudwatchLogs";
const _SLWF = "SupportsLocalWriteForwarding";
const _SM = "StaticMembers";
const _SMo = "SourceMember";
const _SN = "SubscriptionName";
const _SNCS = "SupportedNcharCharacterSets";
const _SNFF = "SourceNotFoundFault";
const _SNFFu = "SubscriptionNotFoundFault";
const _SNSITF = "SNSInvalidTopicFault";
const _SNSNAF = "SNSNoAuthorizationFault";
const _SNSTANFF = "SNSTopicArnNotFoundFault";
const _SNT = "SupportedNetworkTypes";
const _SNe = "SettingName";
const _SO = "SubnetOutpost";
const _SOG = "SourceOptionGroup";
const _SOGI = "SourceOptionGroupIdentifier";
const _SOPP = "StorageOperationPercentProgress";
const _SOS = "StorageOperationStatus";
const _SOVD = "SupportsOptionVersionDowngrade";
const _SP = "S3Prefix";
const _SPF = "SessionPinningFilters";
const _SPI = "SupportsPerformanceInsights";
const _SPQ = "SupportsParallelQuery";
const _SQEF = "SnapshotQuotaExceededFault";
const _SQEFt = "StorageQuotaExceededFault";
const _SR = "SourceRegion";
const _SRD = "ScalarReferenceDetails";
const _SRL = "SourceRegionList";
const _SRM = "SourceRegionMessage";
const _SRR = "SupportsReadReplica";
const _SRRM = "SwitchoverReadReplicaMessage";
const _SRRR = "SwitchoverReadReplicaResult";
const _SRRw = "SwitchoverReadReplica";
const _SRo = "SourceRegions";
const _SS = "SensitiveString";
const _SSA = "SupportsStorageAutoscaling";
const _SSE = "SupportsStorageEncryption";
const _SSQEF = "SharedSnapshotQuotaExceededFault";
const _SST = "SupportsStorageThroughput";
const _SSe = "SecretStatus";
const _SSt = "StorageSize";
const _SSu = "SubnetStatus";
const _SSy = "SynchronizationStatus";
const _ST = "StorageThroughput";
const _STA = "SnsTopicArn";
const _STL = "SupportedTimezonesList";
const _STNAF = "StorageTypeNotAvailableFault";
const _STNSF = "StorageTypeNotSupportedFault";
const _STTIR = "StorageThroughputToIopsRatio";
const _STn = "SnapshotTarget";
const _STna = "SnapshotType";
const _STnap = "SnapshotTime";
const _STo = "SourceType";
const _STt = "StorageType";
const _STta = "StatusType";
const _STtar = "StartTime";
const _STu = "SupportedTimezones";
const _STw = "SwitchoverTimeout";
const _SUAP = "SecondsUntilAutoPause";
const _SVFS = "ServerlessV2FeaturesSupport";
const _SVPV = "ServerlessV2PlatformVersion";
const _SVPVD = "ServerlessV2PlatformVersionDescription";
const _SVPVI = "ServerlessV2PlatformVersionInfo";
const _SVPVL = "ServerlessV2PlatformVersionList";
const _SVPVM = "ServerlessV2PlatformVersionsMessage";
const _SVPVe = "ServerlessV2PlatformVersions";
const _SVS = "StorageVolumeStatus";
const _SVSC = "ServerlessV2ScalingConfiguration";
const _SVSCI = "ServerlessV2ScalingConfigurationInfo";
const _Se = "Severity";
const _Si = "Size";
const _St = "Status";
const _Sta = "State";
const _Ste = "Step";
const _Sto = "Storage";
const _Su = "Subnets";
const _Sub = "Subnet";
const _Sw = "Switchover";
const _T = "Tags";
const _TA = "TargetArn";
const _TAS = "TargetAllocatedStorage";
const _TAi = "TimeoutAction";
const _TCA = "TdeCredentialArn";
const _TCAZ = "TargetCustomAvailabilityZone";
const _TCI = "TrackedClusterId";
const _TCNT = "TargetConnectionNetworkType";
const _TCP = "TdeCredentialPassword";
const _TD = "TenantDatabase";
const _TDAEF = "TenantDatabaseAlreadyExistsFault";
const _TDARN = "TenantDatabaseARN";
const _TDBCPGD = "TargetDBClusterParameterGroupDescription";
const _TDBCPGI = "TargetDBClusterParameterGroupIdentifier";
const _TDBCPGN = "TargetDBClusterParameterGroupName";
const _TDBCSI = "TargetDBClusterSnapshotIdentifier";
const _TDBIC = "TargetDBInstanceClass";
const _TDBII = "TargetDBInstanceIdentifier";
const _TDBN = "TenantDBName";
const _TDBPGD = "TargetDBParameterGroupDescription";
const _TDBPGI = "TargetDBParameterGroupIdentifier";
const _TDBPGN = "TargetDBParameterGroupName";
const _TDBSI = "TargetDBSnapshotIdentifier";
const _TDCA = "ToDbClusterArn";
const _TDCI = "TargetDbClusterIdentifier";
const _TDCT = "TenantDatabaseCreateTime";
const _TDL = "TenantDatabasesList";
const _TDM = "TenantDatabasesMessage";
const _TDNFF = "TenantDatabaseNotFoundFault";
const _TDPMV = "TenantDatabasePendingModifiedValues";
const _TDQEF = "TenantDatabaseQuotaExceededFault";
const _TDRI = "TenantDatabaseResourceId";
const _TDe = "TenantDatabases";
const _TDy = "TypeDetection";
const _TEDIGB = "TotalExtractedDataInGB";
const _TET = "TaskEndTime";
const _TEV = "TargetEngineVersion";
const _TG = "TargetGroups";
const _TGA = "TargetGroupArn";
const _TGL = "TargetGroupList";
const _TGMDI = "TransitGatewayMulticastDomainId";
const _TGN = "TargetGroupName";
const _TH = "TargetHealth";
const _TI = "TargetIops";
const _TIy = "TypeId";
const _TK = "TagKeys";
const _TKKI = "TargetKmsKeyId";
const _TL = "TagList";
const _TLM = "TagListMessage";
const _TLa = "TargetList";
const _TM = "TargetMember";
const _TN = "TimezoneName";
const _TOGD = "TargetOptionGroupDescription";
const _TOGI = "TargetOptionGroupIdentifier";
const _TR = "TargetRole";
const _TRC = "TargetResourceConfigurations";
const _TRCL = "TargetResourceConfigurationList";
const _TRCa = "TargetResourceConfiguration";
const _TRy = "TypeRecommendation";
const _TS = "TagSpecifications";
const _TSL = "TagSpecificationList";
const _TST = "TargetStorageType";
const _TSTa = "TargetStorageThroughput";
const _TSTas = "TaskStartTime";
const _TSa = "TagSpecification";
const _Ta = "Target";
const _Tag = "Tag";
const _Tar = "Targets";
const _Tas = "Tasks";
const _Te = "Text";
const _Th = "Thumbprint";
const _Ti = "Timezone";
const _Tit = "Title";
const _To = "To";
const _Ty = "Type";
const _U = "Used";
const _UAC = "UserAuthConfig";
const _UACI = "UserAuthConfigInfo";
const _UACIL = "UserAuthConfigInfoList";
const _UACL = "UserAuthConfigList";
const _UAPLI = "UseAwsProvidedLatestImage";
const _UD = "UpdatedDate";
const _UDBEVF = "UnsupportedDBEngineVersionFault";
const _UDPF = "UseDefaultProcessorFeatures";
const _UETOPITU = "UseEarliestTimeOnPointInTimeUnavailable";
const _ULRT = "UseLatestRestorableTime";
const _UN = "UserName";
const _UP = "UsagePrice";
const _URO = "UpgradeRolloutOrder";
const _USC = "UpgradeStorageConfig";
const _UT = "UpdatedTime";
const _UTSC = "UpgradeTargetStorageConfig";
const _UTp = "UpgradeTarget";
const _Ur = "Url";
const _V = "Value";
const _VASO = "ValidAdditionalStorageOptions";
const _VDBIMM = "ValidDBInstanceModificationsMessage";
const _VECVE = "VpcEncryptionControlViolationException";
const _VF = "ValidFrom";
const _VI = "VpcId";
const _VN = "VolumeName";
const _VO = "VpcOnly";
const _VPCNE = "VPCNetworkingEnabled";
const _VPF = "ValidProcessorFeatures";
const _VSG = "VpcSecurityGroups";
const _VSGI = "VpcSecurityGroupIds";
const _VSGIL = "VpcSecurityGroupIdList";
const _VSGIp = "VpcSecurityGroupId";
const _VSGM = "VpcSecurityGroupMemberships";
const _VSGML = "VpcSecurityGroupMembershipList";
const _VSGMp = "VpcSecurityGroupMembership";
const _VSI = "VpcSubnetIds";
const _VSO = "ValidStorageOptions";
const _VSOL = "ValidStorageOptionsList";
const _VT = "ValidTill";
const _VTA = "ValuesToAdd";
const _VTR = "ValuesToRemove";
const _VUT = "ValidUpgradeTarget";
const _VUTL = "ValidUpgradeTargetList";
const _VVO = "ValidVolumeOptions";
const _VVOL = "ValidVolumeOptionsList";
const _Va = "Values";
const _Ve = "Version";
const _Vo = "Volumes";
const _Vp = "Vpc";
const _WEC = "WithExpressConfiguration";
const _WM = "WarningMessage";
const _aQE = "awsQueryError";
const _c = "client";
const _e = "error";
const _hE = "httpError";
const _i = "item";
const _m = "message";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.rds";
const _xN = "xmlName";
const n0 = "com.amazonaws.rds";
const _s_registry = new TypeRegistry(_s);
var RDSServiceException$ = [-3, _s, "RDSServiceException", 0, [], []];
_s_registry.registerError(RDSServiceException$, RDSServiceException);
const n0_registry = new TypeRegistry(n0);
var AuthorizationAlreadyExistsFault$ = [-3, n0, _AAEF,
    { [_aQE]: [`AuthorizationAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(AuthorizationAlreadyExistsFault$, AuthorizationAlreadyExistsFault);
var AuthorizationNotFoundFault$ = [-3, n0, _ANFF,
    { [_aQE]: [`AuthorizationNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(AuthorizationNotFoundFault$, AuthorizationNotFoundFault);
var AuthorizationQuotaExceededFault$ = [-3, n0, _AQEF,
    { [_aQE]: [`AuthorizationQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(AuthorizationQuotaExceededFault$, AuthorizationQuotaExceededFault);
var BackupPolicyNotFoundFault$ = [-3, n0, _BPNFF,
    { [_aQE]: [`BackupPolicyNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(BackupPolicyNotFoundFault$, BackupPolicyNotFoundFault);
var BlueGreenDeploymentAlreadyExistsFault$ = [-3, n0, _BGDAEF,
    { [_aQE]: [`BlueGreenDeploymentAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(BlueGreenDeploymentAlreadyExistsFault$, BlueGreenDeploymentAlreadyExistsFault);
var BlueGreenDeploymentNotFoundFault$ = [-3, n0, _BGDNFF,
    { [_aQE]: [`BlueGreenDeploymentNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(BlueGreenDeploymentNotFoundFault$, BlueGreenDeploymentNotFoundFault);
var CertificateNotFoundFault$ = [-3, n0, _CNFF,
    { [_aQE]: [`CertificateNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(CertificateNotFoundFault$, CertificateNotFoundFault);
var CreateCustomDBEngineVersionFault$ = [-3, n0, _CCDBEVF,
    { [_aQE]: [`CreateCustomDBEngineVersionFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(CreateCustomDBEngineVersionFault$, CreateCustomDBEngineVersionFault);
var CustomAvailabilityZoneNotFoundFault$ = [-3, n0, _CAZNFF,
    { [_aQE]: [`CustomAvailabilityZoneNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(CustomAvailabilityZoneNotFoundFault$, CustomAvailabilityZoneNotFoundFault);
var CustomDBEngineVersionAlreadyExistsFault$ = [-3, n0, _CDBEVAEF,
    { [_aQE]: [`CustomDBEngineVersionAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(CustomDBEngineVersionAlreadyExistsFault$, CustomDBEngineVersionAlreadyExistsFault);
var CustomDBEngineVersionNotFoundFault$ = [-3, n0, _CDBEVNFF,
    { [_aQE]: [`CustomDBEngineVersionNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(CustomDBEngineVersionNotFoundFault$, CustomDBEngineVersionNotFoundFault);
var CustomDBEngineVersionQuotaExceededFault$ = [-3, n0, _CDBEVQEF,
    { [_aQE]: [`CustomDBEngineVersionQuotaExceededFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(CustomDBEngineVersionQuotaExceededFault$, CustomDBEngineVersionQuotaExceededFault);
var DBCapacityReservationAlreadyExistsFault$ = [-3, n0, _DBCRAEF,
    { [_aQE]: [`DBCapacityReservationAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBCapacityReservationAlreadyExistsFault$, DBCapacityReservationAlreadyExistsFault);
var DBCapacityReservationNotFoundFault$ = [-3, n0, _DBCRNFF,
    { [_aQE]: [`DBCapacityReservationNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBCapacityReservationNotFoundFault$, DBCapacityReservationNotFoundFault);
var DBCapacityReservationUnsupportedFault$ = [-3, n0, _DBCRUF,
    { [_aQE]: [`DBCapacityReservationUnsupported`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBCapacityReservationUnsupportedFault$, DBCapacityReservationUnsupportedFault);
var DBClusterAlreadyExistsFault$ = [-3, n0, _DBCAEF,
    { [_aQE]: [`DBClusterAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterAlreadyExistsFault$, DBClusterAlreadyExistsFault);
var DBClusterAutomatedBackupNotFoundFault$ = [-3, n0, _DBCABNFF,
    { [_aQE]: [`DBClusterAutomatedBackupNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterAutomatedBackupNotFoundFault$, DBClusterAutomatedBackupNotFoundFault);
var DBClusterAutomatedBackupQuotaExceededFault$ = [-3, n0, _DBCABQEF,
    { [_aQE]: [`DBClusterAutomatedBackupQuotaExceededFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterAutomatedBackupQuotaExceededFault$, DBClusterAutomatedBackupQuotaExceededFault);
var DBClusterBacktrackNotFoundFault$ = [-3, n0, _DBCBNFF,
    { [_aQE]: [`DBClusterBacktrackNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterBacktrackNotFoundFault$, DBClusterBacktrackNotFoundFault);
var DBClusterEndpointAlreadyExistsFault$ = [-3, n0, _DBCEAEF,
    { [_aQE]: [`DBClusterEndpointAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterEndpointAlreadyExistsFault$, DBClusterEndpointAlreadyExistsFault);
var DBClusterEndpointNotFoundFault$ = [-3, n0, _DBCENFF,
    { [_aQE]: [`DBClusterEndpointNotFoundFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterEndpointNotFoundFault$, DBClusterEndpointNotFoundFault);
var DBClusterEndpointQuotaExceededFault$ = [-3, n0, _DBCEQEF,
    { [_aQE]: [`DBClusterEndpointQuotaExceededFault`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterEndpointQuotaExceededFault$, DBClusterEndpointQuotaExceededFault);
var DBClusterNotFoundFault$ = [-3, n0, _DBCNFF,
    { [_aQE]: [`DBClusterNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterNotFoundFault$, DBClusterNotFoundFault);
var DBClusterParameterGroupNotFoundFault$ = [-3, n0, _DBCPGNFF,
    { [_aQE]: [`DBClusterParameterGroupNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterParameterGroupNotFoundFault$, DBClusterParameterGroupNotFoundFault);
var DBClusterQuotaExceededFault$ = [-3, n0, _DBCQEF,
    { [_aQE]: [`DBClusterQuotaExceededFault`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterQuotaExceededFault$, DBClusterQuotaExceededFault);
var DBClusterRoleAlreadyExistsFault$ = [-3, n0, _DBCRAEFl,
    { [_aQE]: [`DBClusterRoleAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterRoleAlreadyExistsFault$, DBClusterRoleAlreadyExistsFault);
var DBClusterRoleNotFoundFault$ = [-3, n0, _DBCRNFFl,
    { [_aQE]: [`DBClusterRoleNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterRoleNotFoundFault$, DBClusterRoleNotFoundFault);
var DBClusterRoleQuotaExceededFault$ = [-3, n0, _DBCRQEF,
    { [_aQE]: [`DBClusterRoleQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterRoleQuotaExceededFault$, DBClusterRoleQuotaExceededFault);
var DBClusterSnapshotAlreadyExistsFault$ = [-3, n0, _DBCSAEF,
    { [_aQE]: [`DBClusterSnapshotAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterSnapshotAlreadyExistsFault$, DBClusterSnapshotAlreadyExistsFault);
var DBClusterSnapshotNotFoundFault$ = [-3, n0, _DBCSNFF,
    { [_aQE]: [`DBClusterSnapshotNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBClusterSnapshotNotFoundFault$, DBClusterSnapshotNotFoundFault);
var DBInstanceAlreadyExistsFault$ = [-3, n0, _DBIAEF,
    { [_aQE]: [`DBInstanceAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBInstanceAlreadyExistsFault$, DBInstanceAlreadyExistsFault);
var DBInstanceAutomatedBackupNotFoundFault$ = [-3, n0, _DBIABNFF,
    { [_aQE]: [`DBInstanceAutomatedBackupNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBInstanceAutomatedBackupNotFoundFault$, DBInstanceAutomatedBackupNotFoundFault);
var DBInstanceAutomatedBackupQuotaExceededFault$ = [-3, n0, _DBIABQEF,
    { [_aQE]: [`DBInstanceAutomatedBackupQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBInstanceAutomatedBackupQuotaExceededFault$, DBInstanceAutomatedBackupQuotaExceededFault);
var DBInstanceNotFoundFault$ = [-3, n0, _DBINFF,
    { [_aQE]: [`DBInstanceNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBInstanceNotFoundFault$, DBInstanceNotFoundFault);
var DBInstanceNotReadyFault$ = [-3, n0, _DBINRF,
    { [_aQE]: [`DBInstanceNotReady`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBInstanceNotReadyFault$, DBInstanceNotReadyFault);
var DBInstanceRoleAlreadyExistsFault$ = [-3, n0, _DBIRAEF,
    { [_aQE]: [`DBInstanceRoleAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBInstanceRoleAlreadyExistsFault$, DBInstanceRoleAlreadyExistsFault);
var DBInstanceRoleNotFoundFault$ = [-3, n0, _DBIRNFF,
    { [_aQE]: [`DBInstanceRoleNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBInstanceRoleNotFoundFault$, DBInstanceRoleNotFoundFault);
var DBInstanceRoleQuotaExceededFault$ = [-3, n0, _DBIRQEF,
    { [_aQE]: [`DBInstanceRoleQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBInstanceRoleQuotaExceededFault$, DBInstanceRoleQuotaExceededFault);
var DBLogFileNotFoundFault$ = [-3, n0, _DBLFNFF,
    { [_aQE]: [`DBLogFileNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBLogFileNotFoundFault$, DBLogFileNotFoundFault);
var DBParameterGroupAlreadyExistsFault$ = [-3, n0, _DBPGAEF,
    { [_aQE]: [`DBParameterGroupAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBParameterGroupAlreadyExistsFault$, DBParameterGroupAlreadyExistsFault);
var DBParameterGroupNotFoundFault$ = [-3, n0, _DBPGNFF,
    { [_aQE]: [`DBParameterGroupNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBParameterGroupNotFoundFault$, DBParameterGroupNotFoundFault);
var DBParameterGroupQuotaExceededFault$ = [-3, n0, _DBPGQEF,
    { [_aQE]: [`DBParameterGroupQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBParameterGroupQuotaExceededFault$, DBParameterGroupQuotaExceededFault);
var DBProxyAlreadyExistsFault$ = [-3, n0, _DBPAEF,
    { [_aQE]: [`DBProxyAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyAlreadyExistsFault$, DBProxyAlreadyExistsFault);
var DBProxyEndpointAlreadyExistsFault$ = [-3, n0, _DBPEAEF,
    { [_aQE]: [`DBProxyEndpointAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyEndpointAlreadyExistsFault$, DBProxyEndpointAlreadyExistsFault);
var DBProxyEndpointNotFoundFault$ = [-3, n0, _DBPENFF,
    { [_aQE]: [`DBProxyEndpointNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyEndpointNotFoundFault$, DBProxyEndpointNotFoundFault);
var DBProxyEndpointQuotaExceededFault$ = [-3, n0, _DBPEQEF,
    { [_aQE]: [`DBProxyEndpointQuotaExceededFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyEndpointQuotaExceededFault$, DBProxyEndpointQuotaExceededFault);
var DBProxyNotFoundFault$ = [-3, n0, _DBPNFF,
    { [_aQE]: [`DBProxyNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyNotFoundFault$, DBProxyNotFoundFault);
var DBProxyQuotaExceededFault$ = [-3, n0, _DBPQEF,
    { [_aQE]: [`DBProxyQuotaExceededFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyQuotaExceededFault$, DBProxyQuotaExceededFault);
var DBProxyTargetAlreadyRegisteredFault$ = [-3, n0, _DBPTARF,
    { [_aQE]: [`DBProxyTargetAlreadyRegisteredFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyTargetAlreadyRegisteredFault$, DBProxyTargetAlreadyRegisteredFault);
var DBProxyTargetGroupNotFoundFault$ = [-3, n0, _DBPTGNFF,
    { [_aQE]: [`DBProxyTargetGroupNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyTargetGroupNotFoundFault$, DBProxyTargetGroupNotFoundFault);
var DBProxyTargetNotFoundFault$ = [-3, n0, _DBPTNFF,
    { [_aQE]: [`DBProxyTargetNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBProxyTargetNotFoundFault$, DBProxyTargetNotFoundFault);
var DBSecurityGroupAlreadyExistsFault$ = [-3, n0, _DBSGAEF,
    { [_aQE]: [`DBSecurityGroupAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSecurityGroupAlreadyExistsFault$, DBSecurityGroupAlreadyExistsFault);
var DBSecurityGroupNotFoundFault$ = [-3, n0, _DBSGNFF,
    { [_aQE]: [`DBSecurityGroupNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBSecurityGroupNotFoundFault$, DBSecurityGroupNotFoundFault);
var DBSecurityGroupNotSupportedFault$ = [-3, n0, _DBSGNSF,
    { [_aQE]: [`DBSecurityGroupNotSupported`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSecurityGroupNotSupportedFault$, DBSecurityGroupNotSupportedFault);
var DBSecurityGroupQuotaExceededFault$ = [-3, n0, _DBSGQEF,
    { [_aQE]: [`QuotaExceeded.DBSecurityGroup`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSecurityGroupQuotaExceededFault$, DBSecurityGroupQuotaExceededFault);
var DBShardGroupAlreadyExistsFault$ = [-3, n0, _DBSGAEFh,
    { [_aQE]: [`DBShardGroupAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBShardGroupAlreadyExistsFault$, DBShardGroupAlreadyExistsFault);
var DBShardGroupNotFoundFault$ = [-3, n0, _DBSGNFFh,
    { [_aQE]: [`DBShardGroupNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBShardGroupNotFoundFault$, DBShardGroupNotFoundFault);
var DBSnapshotAlreadyExistsFault$ = [-3, n0, _DBSAEF,
    { [_aQE]: [`DBSnapshotAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSnapshotAlreadyExistsFault$, DBSnapshotAlreadyExistsFault);
var DBSnapshotNotFoundFault$ = [-3, n0, _DBSNFF,
    { [_aQE]: [`DBSnapshotNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBSnapshotNotFoundFault$, DBSnapshotNotFoundFault);
var DBSnapshotTenantDatabaseNotFoundFault$ = [-3, n0, _DBSTDNFF,
    { [_aQE]: [`DBSnapshotTenantDatabaseNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBSnapshotTenantDatabaseNotFoundFault$, DBSnapshotTenantDatabaseNotFoundFault);
var DBSubnetGroupAlreadyExistsFault$ = [-3, n0, _DBSGAEFu,
    { [_aQE]: [`DBSubnetGroupAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSubnetGroupAlreadyExistsFault$, DBSubnetGroupAlreadyExistsFault);
var DBSubnetGroupDoesNotCoverEnoughAZs$ = [-3, n0, _DBSGDNCEAZ,
    { [_aQE]: [`DBSubnetGroupDoesNotCoverEnoughAZs`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSubnetGroupDoesNotCoverEnoughAZs$, DBSubnetGroupDoesNotCoverEnoughAZs);
var DBSubnetGroupNotAllowedFault$ = [-3, n0, _DBSGNAF,
    { [_aQE]: [`DBSubnetGroupNotAllowedFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSubnetGroupNotAllowedFault$, DBSubnetGroupNotAllowedFault);
var DBSubnetGroupNotFoundFault$ = [-3, n0, _DBSGNFFu,
    { [_aQE]: [`DBSubnetGroupNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DBSubnetGroupNotFoundFault$, DBSubnetGroupNotFoundFault);
var DBSubnetGroupQuotaExceededFault$ = [-3, n0, _DBSGQEFu,
    { [_aQE]: [`DBSubnetGroupQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSubnetGroupQuotaExceededFault$, DBSubnetGroupQuotaExceededFault);
var DBSubnetQuotaExceededFault$ = [-3, n0, _DBSQEF,
    { [_aQE]: [`DBSubnetQuotaExceededFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBSubnetQuotaExceededFault$, DBSubnetQuotaExceededFault);
var DBUpgradeDependencyFailureFault$ = [-3, n0, _DBUDFF,
    { [_aQE]: [`DBUpgradeDependencyFailure`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(DBUpgradeDependencyFailureFault$, DBUpgradeDependencyFailureFault);
var DomainNotFoundFault$ = [-3, n0, _DNFF,
    { [_aQE]: [`DomainNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(DomainNotFoundFault$, DomainNotFoundFault);
var Ec2ImagePropertiesNotSupportedFault$ = [-3, n0, _EIPNSF,
    { [_aQE]: [`Ec2ImagePropertiesNotSupportedFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(Ec2ImagePropertiesNotSupportedFault$, Ec2ImagePropertiesNotSupportedFault);
var EventSubscriptionQuotaExceededFault$ = [-3, n0, _ESQEF,
    { [_aQE]: [`EventSubscriptionQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(EventSubscriptionQuotaExceededFault$, EventSubscriptionQuotaExceededFault);
var ExportTaskAlreadyExistsFault$ = [-3, n0, _ETAEF,
    { [_aQE]: [`ExportTaskAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ExportTaskAlreadyExistsFault$, ExportTaskAlreadyExistsFault);
var ExportTaskNotFoundFault$ = [-3, n0, _ETNFF,
    { [_aQE]: [`ExportTaskNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(ExportTaskNotFoundFault$, ExportTaskNotFoundFault);
var GlobalClusterAlreadyExistsFault$ = [-3, n0, _GCAEF,
    { [_aQE]: [`GlobalClusterAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(GlobalClusterAlreadyExistsFault$, GlobalClusterAlreadyExistsFault);
var GlobalClusterNotFoundFault$ = [-3, n0, _GCNFF,
    { [_aQE]: [`GlobalClusterNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(GlobalClusterNotFoundFault$, GlobalClusterNotFoundFault);
var GlobalClusterQuotaExceededFault$ = [-3, n0, _GCQEF,
    { [_aQE]: [`GlobalClusterQuotaExceededFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(GlobalClusterQuotaExceededFault$, GlobalClusterQuotaExceededFault);
var IamRoleMissingPermissionsFault$ = [-3, n0, _IRMPF,
    { [_aQE]: [`IamRoleMissingPermissions`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(IamRoleMissingPermissionsFault$, IamRoleMissingPermissionsFault);
var IamRoleNotFoundFault$ = [-3, n0, _IRNFF,
    { [_aQE]: [`IamRoleNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(IamRoleNotFoundFault$, IamRoleNotFoundFault);
var InstanceQuotaExceededFault$ = [-3, n0, _IQEF,
    { [_aQE]: [`InstanceQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InstanceQuotaExceededFault$, InstanceQuotaExceededFault);
var InsufficientAvailableIPsInSubnetFault$ = [-3, n0, _IAIPISF,
    { [_aQE]: [`InsufficientAvailableIPsInSubnetFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InsufficientAvailableIPsInSubnetFault$, InsufficientAvailableIPsInSubnetFault);
var InsufficientDBClusterCapacityFault$ = [-3, n0, _IDBCCF,
    { [_aQE]: [`InsufficientDBClusterCapacityFault`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(InsufficientDBClusterCapacityFault$, InsufficientDBClusterCapacityFault);
var InsufficientDBInstanceCapacityFault$ = [-3, n0, _IDBICF,
    { [_aQE]: [`InsufficientDBInstanceCapacity`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InsufficientDBInstanceCapacityFault$, InsufficientDBInstanceCapacityFault);
var InsufficientStorageClusterCapacityFault$ = [-3, n0, _ISCCF,
    { [_aQE]: [`InsufficientStorageClusterCapacity`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InsufficientStorageClusterCapacityFault$, InsufficientStorageClusterCapacityFault);
var IntegrationAlreadyExistsFault$ = [-3, n0, _IAEF,
    { [_aQE]: [`IntegrationAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(IntegrationAlreadyExistsFault$, IntegrationAlreadyExistsFault);
var IntegrationConflictOperationFault$ = [-3, n0, _ICOF,
    { [_aQE]: [`IntegrationConflictOperationFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(IntegrationConflictOperationFault$, IntegrationConflictOperationFault);
var IntegrationNotFoundFault$ = [-3, n0, _INFF,
    { [_aQE]: [`IntegrationNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(IntegrationNotFoundFault$, IntegrationNotFoundFault);
var IntegrationQuotaExceededFault$ = [-3, n0, _IQEFn,
    { [_aQE]: [`IntegrationQuotaExceededFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(IntegrationQuotaExceededFault$, IntegrationQuotaExceededFault);
var InvalidBlueGreenDeploymentStateFault$ = [-3, n0, _IBGDSF,
    { [_aQE]: [`InvalidBlueGreenDeploymentStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidBlueGreenDeploymentStateFault$, InvalidBlueGreenDeploymentStateFault);
var InvalidCustomDBEngineVersionStateFault$ = [-3, n0, _ICDBEVSF,
    { [_aQE]: [`InvalidCustomDBEngineVersionStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidCustomDBEngineVersionStateFault$, InvalidCustomDBEngineVersionStateFault);
var InvalidDBCapacityReservationStateFault$ = [-3, n0, _IDBCRSF,
    { [_aQE]: [`InvalidDBCapacityReservationState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBCapacityReservationStateFault$, InvalidDBCapacityReservationStateFault);
var InvalidDBClusterAutomatedBackupStateFault$ = [-3, n0, _IDBCABSF,
    { [_aQE]: [`InvalidDBClusterAutomatedBackupStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBClusterAutomatedBackupStateFault$, InvalidDBClusterAutomatedBackupStateFault);
var InvalidDBClusterCapacityFault$ = [-3, n0, _IDBCCFn,
    { [_aQE]: [`InvalidDBClusterCapacityFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBClusterCapacityFault$, InvalidDBClusterCapacityFault);
var InvalidDBClusterEndpointStateFault$ = [-3, n0, _IDBCESF,
    { [_aQE]: [`InvalidDBClusterEndpointStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBClusterEndpointStateFault$, InvalidDBClusterEndpointStateFault);
var InvalidDBClusterSnapshotStateFault$ = [-3, n0, _IDBCSSF,
    { [_aQE]: [`InvalidDBClusterSnapshotStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBClusterSnapshotStateFault$, InvalidDBClusterSnapshotStateFault);
var InvalidDBClusterStateFault$ = [-3, n0, _IDBCSF,
    { [_aQE]: [`InvalidDBClusterStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBClusterStateFault$, InvalidDBClusterStateFault);
var InvalidDBInstanceAutomatedBackupStateFault$ = [-3, n0, _IDBIABSF,
    { [_aQE]: [`InvalidDBInstanceAutomatedBackupState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBInstanceAutomatedBackupStateFault$, InvalidDBInstanceAutomatedBackupStateFault);
var InvalidDBInstanceStateFault$ = [-3, n0, _IDBISF,
    { [_aQE]: [`InvalidDBInstanceState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBInstanceStateFault$, InvalidDBInstanceStateFault);
var InvalidDBParameterGroupStateFault$ = [-3, n0, _IDBPGSF,
    { [_aQE]: [`InvalidDBParameterGroupState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBParameterGroupStateFault$, InvalidDBParameterGroupStateFault);
var InvalidDBProxyEndpointStateFault$ = [-3, n0, _IDBPESF,
    { [_aQE]: [`InvalidDBProxyEndpointStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBProxyEndpointStateFault$, InvalidDBProxyEndpointStateFault);
var InvalidDBProxyStateFault$ = [-3, n0, _IDBPSF,
    { [_aQE]: [`InvalidDBProxyStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBProxyStateFault$, InvalidDBProxyStateFault);
var InvalidDBSecurityGroupStateFault$ = [-3, n0, _IDBSGSF,
    { [_aQE]: [`InvalidDBSecurityGroupState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBSecurityGroupStateFault$, InvalidDBSecurityGroupStateFault);
var InvalidDBShardGroupStateFault$ = [-3, n0, _IDBSGSFn,
    { [_aQE]: [`InvalidDBShardGroupState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBShardGroupStateFault$, InvalidDBShardGroupStateFault);
var InvalidDBSnapshotStateFault$ = [-3, n0, _IDBSSF,
    { [_aQE]: [`InvalidDBSnapshotState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBSnapshotStateFault$, InvalidDBSnapshotStateFault);
var InvalidDBSubnetGroupFault$ = [-3, n0, _IDBSGF,
    { [_aQE]: [`InvalidDBSubnetGroupFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBSubnetGroupFault$, InvalidDBSubnetGroupFault);
var InvalidDBSubnetGroupStateFault$ = [-3, n0, _IDBSGSFnv,
    { [_aQE]: [`InvalidDBSubnetGroupStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBSubnetGroupStateFault$, InvalidDBSubnetGroupStateFault);
var InvalidDBSubnetStateFault$ = [-3, n0, _IDBSSFn,
    { [_aQE]: [`InvalidDBSubnetStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidDBSubnetStateFault$, InvalidDBSubnetStateFault);
var InvalidEventSubscriptionStateFault$ = [-3, n0, _IESSF,
    { [_aQE]: [`InvalidEventSubscriptionState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidEventSubscriptionStateFault$, InvalidEventSubscriptionStateFault);
var InvalidExportOnlyFault$ = [-3, n0, _IEOF,
    { [_aQE]: [`InvalidExportOnly`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidExportOnlyFault$, InvalidExportOnlyFault);
var InvalidExportSourceStateFault$ = [-3, n0, _IESSFn,
    { [_aQE]: [`InvalidExportSourceState`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidExportSourceStateFault$, InvalidExportSourceStateFault);
var InvalidExportTaskStateFault$ = [-3, n0, _IETSF,
    { [_aQE]: [`InvalidExportTaskStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidExportTaskStateFault$, InvalidExportTaskStateFault);
var InvalidGlobalClusterStateFault$ = [-3, n0, _IGCSF,
    { [_aQE]: [`InvalidGlobalClusterStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidGlobalClusterStateFault$, InvalidGlobalClusterStateFault);
var InvalidIntegrationStateFault$ = [-3, n0, _IISF,
    { [_aQE]: [`InvalidIntegrationStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidIntegrationStateFault$, InvalidIntegrationStateFault);
var InvalidOptionGroupStateFault$ = [-3, n0, _IOGSF,
    { [_aQE]: [`InvalidOptionGroupStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidOptionGroupStateFault$, InvalidOptionGroupStateFault);
var InvalidResourceStateFault$ = [-3, n0, _IRSF,
    { [_aQE]: [`InvalidResourceStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidResourceStateFault$, InvalidResourceStateFault);
var InvalidRestoreFault$ = [-3, n0, _IRF,
    { [_aQE]: [`InvalidRestoreFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidRestoreFault$, InvalidRestoreFault);
var InvalidS3BucketFault$ = [-3, n0, _ISBF,
    { [_aQE]: [`InvalidS3BucketFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidS3BucketFault$, InvalidS3BucketFault);
var InvalidSubnet$ = [-3, n0, _IS,
    { [_aQE]: [`InvalidSubnet`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidSubnet$, InvalidSubnet);
var InvalidVPCNetworkStateFault$ = [-3, n0, _IVPCNSF,
    { [_aQE]: [`InvalidVPCNetworkStateFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidVPCNetworkStateFault$, InvalidVPCNetworkStateFault);
var KMSKeyNotAccessibleFault$ = [-3, n0, _KMSKNAF,
    { [_aQE]: [`KMSKeyNotAccessibleFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(KMSKeyNotAccessibleFault$, KMSKeyNotAccessibleFault);
var MaxDBShardGroupLimitReached$ = [-3, n0, _MDBSGLR,
    { [_aQE]: [`MaxDBShardGroupLimitReached`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(MaxDBShardGroupLimitReached$, MaxDBShardGroupLimitReached);
var NetworkTypeNotSupported$ = [-3, n0, _NTNS,
    { [_aQE]: [`NetworkTypeNotSupported`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(NetworkTypeNotSupported$, NetworkTypeNotSupported);
var OptionGroupAlreadyExistsFault$ = [-3, n0, _OGAEF,
    { [_aQE]: [`OptionGroupAlreadyExistsFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(OptionGroupAlreadyExistsFault$, OptionGroupAlreadyExistsFault);
var OptionGroupNotFoundFault$ = [-3, n0, _OGNFF,
    { [_aQE]: [`OptionGroupNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(OptionGroupNotFoundFault$, OptionGroupNotFoundFault);
var OptionGroupQuotaExceededFault$ = [-3, n0, _OGQEF,
    { [_aQE]: [`OptionGroupQuotaExceededFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(OptionGroupQuotaExceededFault$, OptionGroupQuotaExceededFault);
var PointInTimeRestoreNotEnabledFault$ = [-3, n0, _PITRNEF,
    { [_aQE]: [`PointInTimeRestoreNotEnabled`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(PointInTimeRestoreNotEnabledFault$, PointInTimeRestoreNotEnabledFault);
var ProvisionedIopsNotAvailableInAZFault$ = [-3, n0, _PINAIAZF,
    { [_aQE]: [`ProvisionedIopsNotAvailableInAZFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ProvisionedIopsNotAvailableInAZFault$, ProvisionedIopsNotAvailableInAZFault);
var ReservedDBInstanceAlreadyExistsFault$ = [-3, n0, _RDBIAEF,
    { [_aQE]: [`ReservedDBInstanceAlreadyExists`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(ReservedDBInstanceAlreadyExistsFault$, ReservedDBInstanceAlreadyExistsFault);
var ReservedDBInstanceNotFoundFault$ = [-3, n0, _RDBINFF,
    { [_aQE]: [`ReservedDBInstanceNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(ReservedDBInstanceNotFoundFault$, ReservedDBInstanceNotFoundFault);
var ReservedDBInstanceQuotaExceededFault$ = [-3, n0, _RDBIQEF,
    { [_aQE]: [`ReservedDBInstanceQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ReservedDBInstanceQuotaExceededFault$, ReservedDBInstanceQuotaExceededFault);
var ReservedDBInstancesOfferingNotFoundFault$ = [-3, n0, _RDBIONFF,
    { [_aQE]: [`ReservedDBInstancesOfferingNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(ReservedDBInstancesOfferingNotFoundFault$, ReservedDBInstancesOfferingNotFoundFault);
var ResourceNotFoundFault$ = [-3, n0, _RNFF,
    { [_aQE]: [`ResourceNotFoundFault`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(ResourceNotFoundFault$, ResourceNotFoundFault);
var SharedSnapshotQuotaExceededFault$ = [-3, n0, _SSQEF,
    { [_aQE]: [`SharedSnapshotQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SharedSnapshotQuotaExceededFault$, SharedSnapshotQuotaExceededFault);
var SnapshotQuotaExceededFault$ = [-3, n0, _SQEF,
    { [_aQE]: [`SnapshotQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SnapshotQuotaExceededFault$, SnapshotQuotaExceededFault);
var SNSInvalidTopicFault$ = [-3, n0, _SNSITF,
    { [_aQE]: [`SNSInvalidTopic`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SNSInvalidTopicFault$, SNSInvalidTopicFault);
var SNSNoAuthorizationFault$ = [-3, n0, _SNSNAF,
    { [_aQE]: [`SNSNoAuthorization`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SNSNoAuthorizationFault$, SNSNoAuthorizationFault);
var SNSTopicArnNotFoundFault$ = [-3, n0, _SNSTANFF,
    { [_aQE]: [`SNSTopicArnNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(SNSTopicArnNotFoundFault$, SNSTopicArnNotFoundFault);
var SourceClusterNotSupportedFault$ = [-3, n0, _SCNSF,
    { [_aQE]: [`SourceClusterNotSupportedFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SourceClusterNotSupportedFault$, SourceClusterNotSupportedFault);
var SourceDatabaseNotSupportedFault$ = [-3, n0, _SDNSF,
    { [_aQE]: [`SourceDatabaseNotSupportedFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SourceDatabaseNotSupportedFault$, SourceDatabaseNotSupportedFault);
var SourceNotFoundFault$ = [-3, n0, _SNFF,
    { [_aQE]: [`SourceNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(SourceNotFoundFault$, SourceNotFoundFault);
var StorageQuotaExceededFault$ = [-3, n0, _SQEFt,
    { [_aQE]: [`StorageQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(StorageQuotaExceededFault$, StorageQuotaExceededFault);
var StorageTypeNotAvailableFault$ = [-3, n0, _STNAF,
    { [_aQE]: [`StorageTypeNotAvailableFault`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(StorageTypeNotAvailableFault$, StorageTypeNotAvailableFault);
var StorageTypeNotSupportedFault$ = [-3, n0, _STNSF,
    { [_aQE]: [`StorageTypeNotSupported`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(StorageTypeNotSupportedFault$, StorageTypeNotSupportedFault);
var SubnetAlreadyInUse$ = [-3, n0, _SAIU,
    { [_aQE]: [`SubnetAlreadyInUse`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SubnetAlreadyInUse$, SubnetAlreadyInUse);
var SubscriptionAlreadyExistFault$ = [-3, n0, _SAEF,
    { [_aQE]: [`SubscriptionAlreadyExist`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SubscriptionAlreadyExistFault$, SubscriptionAlreadyExistFault);
var SubscriptionCategoryNotFoundFault$ = [-3, n0, _SCNFF,
    { [_aQE]: [`SubscriptionCategoryNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(SubscriptionCategoryNotFoundFault$, SubscriptionCategoryNotFoundFault);
var SubscriptionNotFoundFault$ = [-3, n0, _SNFFu,
    { [_aQE]: [`SubscriptionNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(SubscriptionNotFoundFault$, SubscriptionNotFoundFault);
var TenantDatabaseAlreadyExistsFault$ = [-3, n0, _TDAEF,
    { [_aQE]: [`TenantDatabaseAlreadyExists`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(TenantDatabaseAlreadyExistsFault$, TenantDatabaseAlreadyExistsFault);
var TenantDatabaseNotFoundFault$ = [-3, n0, _TDNFF,
    { [_aQE]: [`TenantDatabaseNotFound`, 404], [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(TenantDatabaseNotFoundFault$, TenantDatabaseNotFoundFault);
var TenantDatabaseQuotaExceededFault$ = [-3, n0, _TDQEF,
    { [_aQE]: [`TenantDatabaseQuotaExceeded`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(TenantDatabaseQuotaExceededFault$, TenantDatabaseQuotaExceededFault);
var UnsupportedDBEngineVersionFault$ = [-3, n0, _UDBEVF,
    { [_aQE]: [`UnsupportedDBEngineVersion`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(UnsupportedDBEngineVersionFault$, UnsupportedDBEngineVersionFault);
var VpcEncryptionControlViolationException$ = [-3, n0, _VECVE,
    { [_aQE]: [`VpcEncryptionControlViolationException`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(VpcEncryptionControlViolationException$, VpcEncryptionControlViolationException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var OperatorSensitiveString = [0, n0, _OSS, 8, 0];
var PotentiallySensitiveOptionSettingValue = [0, n0, _PSOSV, 8, 0];
var SensitiveString = [0, n0, _SS, 8, 0];
var AccountAttributesMessage$ = [3, n0, _AAM,
    0,
    [_AQ],
    [[() => AccountQuotaList, 0]]
];
var AccountQuota$ = [3, n0, _AQc,
    0,
    [_AQN, _U, _M],
    [0, 1, 1]
];
var AdditionalStorageVolume$ = [3, n0, _ASV,
    0,
    [_VN, _AS, _IOPS, _MAS, _ST, _STt],
    [0, 1, 1, 1, 1, 0], 1
];
var AdditionalStorageVolumeOutput$ = [3, n0, _ASVO,
    0,
    [_VN, _SVS, _SOS, _SOPP, _AS, _IOPS, _MAS, _ST, _STt],
    [0, 0, 0, 1, 1, 1, 1, 1, 0]
];
var AddRoleToDBClusterMessage$ = [3, n0, _ARTDBCM,
    0,
    [_DBCI, _RA, _FN],
    [0, 0, 0], 2
];
var AddRoleToDBInstanceMessage$ = [3, n0, _ARTDBIM,
    0,
    [_DBII, _RA, _FN],
    [0, 0, 0], 3
];
var AddSourceIdentifierToSubscriptionMessage$ = [3, n0, _ASITSM,
    0,
    [_SN, _SI],
    [0, 0], 2
];
var AddSourceIdentifierToSubscriptionResult$ = [3, n0, _ASITSR,
    0,
    [_ES],
    [[() => EventSubscription$, 0]]
];
var AddTagsToResourceMessage$ = [3, n0, _ATTRM,
    0,
    [_RN, _T],
    [0, [() => TagList, 0]], 2
];
var ApplyPendingMaintenanceActionMessage$ = [3, n0, _APMAM,
    0,
    [_RI, _AA, _OIT],
    [0, 0, 0], 3
];
var ApplyPendingMaintenanceActionResult$ = [3, n0, _APMAR,
    0,
    [_RPMA],
    [[() => ResourcePendingMaintenanceActions$, 0]]
];
var AuthorizeDBSecurityGroupIngressMessage$ = [3, n0, _ADBSGIM,
    0,
    [_DBSGN, _CIDRIP, _ECSGN, _ECSGI, _ECSGOI],
    [0, 0, 0, 0, 0], 1
];
var AuthorizeDBSecurityGroupIngressResult$ = [3, n0, _ADBSGIR,
    0,
    [_DBSG],
    [[() => DBSecurityGroup$, 0]]
];
var AvailabilityZone$ = [3, n0, _AZ,
    0,
    [_N],
    [0]
];
var AvailableAdditionalStorageVolumesOption$ = [3, n0, _AASVO,
    0,
    [_SSA, _SST, _SIu, _STt, _MSS, _MSSa, _MI, _MIa, _MIPG, _MIPGa, _MST, _MSTa],
    [2, 2, 2, 0, 1, 1, 1, 1, 1, 1, 1, 1]
];
var AvailableCapacityPerAvailabilityZone$ = [3, n0, _ACPAZ,
    0,
    [_AZ, _AC],
    [0, 1]
];
var AvailableProcessorFeature$ = [3, n0, _APF,
    0,
    [_N, _DV, _AV],
    [0, 0, 0]
];
var BacktrackDBClusterMessage$ = [3, n0, _BDBCM,
    0,
    [_DBCI, _BT, _F, _UETOPITU],
    [0, 4, 2, 2], 2
];
var BlueGreenDeployment$ = [3, n0, _BGD,
    0,
    [_BGDI, _BGDN, _S, _Ta, _SD, _Tas, _St, _SDt, _CT, _DT, _TL],
    [0, 0, 0, 0, () => SwitchoverDetailList, () => BlueGreenDeploymentTaskList, 0, 0, 4, 4, [() => TagList, 0]]
];
var BlueGreenDeploymentTask$ = [3, n0, _BGDT,
    0,
    [_N, _St],
    [0, 0]
];
var CancelDBCapacityReservationRequest$ = [3, n0, _CDBCRR,
    0,
    [_DBCRI],
    [0], 1
];
var CancelDBCapacityReservationResponse$ = [3, n0, _CDBCRRa,
    0,
    [_DBCR],
    [[() => DBCapacityReservation$, 0]]
];
var CancelExportTaskMessage$ = [3, n0, _CETM,
    0,
    [_ETI],
    [0], 1
];
var Certificate$ = [3, n0, _C,
    0,
    [_CI, _CTe, _Th, _VF, _VT, _CA, _CO, _COVT],
    [0, 0, 0, 4, 4, 0, 2, 4]
];
var CertificateDetails$ = [3, n0, _CD,
    0,
    [_CAI, _VT],
    [0, 4]
];
var CertificateMessage$ = [3, n0, _CM,
    0,
    [_DCFNL, _Ce, _Ma],
    [0, [() => CertificateList, 0], 0]
];
var CharacterSet$ = [3, n0, _CS,
    0,
    [_CSN, _CSD],
    [0, 0]
];
var CloudwatchLogsExportConfiguration$ = [3, n0, _CLEC,
    0,
    [_ELT, _DLT],
    [64 | 0, 64 | 0]
];
var ClusterPendingModifiedValues$ = [3, n0, _CPMV,
    0,
    [_PCLE, _DBCI, _MUP, _IAMDAE, _EV, _BRP, _STt, _AS, _RCCC, _I, _CD],
    [() => PendingCloudwatchLogsExports$, 0, [() => SensitiveString, 0], 2, 0, 1, 0, 1, () => RdsCustomClusterConfiguration$, 1, () => CertificateDetails$]
];
var ConnectionPoolConfiguration$ = [3, n0, _CPC,
    0,
    [_MCP, _MICP, _CBT, _SPF, _IQ],
    [1, 1, 1, 64 | 0, [() => OperatorSensitiveString, 0]]
];
var ConnectionPoolConfigurationInfo$ = [3, n0, _CPCI,
    0,
    [_MCP, _MICP, _CBT, _SPF, _IQ],
    [1, 1, 1, 64 | 0, [() => OperatorSensitiveString, 0]]
];
var ContextAttribute$ = [3, n0, _CAo,
    0,
    [_K, _V],
    [0, 0]
];
var CopyDBClusterParameterGroupMessage$ = [3, n0, _CDBCPGM,
    0,
    [_SDBCPGI, _TDBCPGI, _TDBCPGD, _T],
    [0, 0, 0, [() => TagList, 0]], 3
];
var CopyDBClusterParameterGroupResult$ = [3, n0, _CDBCPGR,
    0,
    [_DBCPG],
    [() => DBClusterParameterGroup$]
];
var CopyDBClusterSnapshotMessage$ = [3, n0, _CDBCSM,
    0,
    [_SDBCSI, _TDBCSI, _KKI, _PSU, _CTo, _T],
    [0, 0, 0, [() => SensitiveString, 0], 2, [() => TagList, 0]], 2
];
var CopyDBClusterSnapshotResult$ = [3, n0, _CDBCSR,
    0,
    [_DBCS],
    [[() => DBClusterSnapshot$, 0]]
];
var CopyDBParameterGroupMessage$ = [3, n0, _CDBPGM,
    0,
    [_SDBPGI, _TDBPGI, _TDBPGD, _T],
    [0, 0, 0, [() => TagList, 0]], 3
];
var CopyDBParameterGroupResult$ = [3, n0, _CDBPGR,
    0,
    [_DBPG],
    [() => DBParameterGroup$]
];
var CopyDBSnapshotMessage$ = [3, n0, _CDBSM,
    0,
    [_SDBSI, _TDBSI, _KKI, _T, _CTo, _PSU, _OGN, _TCAZ, _STn, _COG, _SAZ, _TS],
    [0, 0, 0, [() => TagList, 0], 2, [() => SensitiveString, 0], 0, 0, 0, 2, 0, [() => TagSpecificationList, 0]], 2
];
var CopyDBSnapshotResult$ = [3, n0, _CDBSR,
    0,
    [_DBS],
    [[() => DBSnapshot$, 0]]
];
var CopyOptionGroupMessage$ = [3, n0, _COGM,
    0,
    [_SOGI, _TOGI, _TOGD, _T],
    [0, 0, 0, [() => TagList, 0]], 3
];
var CopyOptionGroupResult$ = [3, n0, _COGR,
    0,
    [_OG],
    [[() => OptionGroup$, 0]]
];
var CreateBlueGreenDeploymentRequest$ = [3, n0, _CBGDR,
    0,
    [_BGDN, _S, _TEV, _TDBPGN, _TDBCPGN, _T, _TDBIC, _UTSC, _TI, _TST, _TAS, _TSTa, _TRC],
    [0, 0, 0, 0, 0, [() => TagList, 0], 0, 2, 1, 0, 1, 1, [() => TargetResourceConfigurationList, 0]], 2
];
var CreateBlueGreenDeploymentResponse$ = [3, n0, _CBGDRr,
    0,
    [_BGD],
    [[() => BlueGreenDeployment$, 0]]
];
var CreateCustomDBEngineVersionMessage$ = [3, n0, _CCDBEVM,
    0,
    [_E, _EV, _DIFSBN, _DIFSP, _DIF, _II, _KMSKI, _SCDEVI, _UAPLI, _D, _Man, _T],
    [0, 0, 0, 0, 64 | 0, 0, 0, 0, 2, 0, 0, [() => TagList, 0]], 2
];
var CreateDBCapacityReservationRequest$ = [3, n0, _CDBCRRr,
    0,
    [_DBCRN, _DBIC, _E, _CPAZ, _AZv, _ED, _SDta, _CDo, _LM, _T],
    [0, 0, 0, 1, [() => AvailabilityZones, 0], 4, 4, 1, 0, [() => TagList, 0]], 5
];
var CreateDBCapacityReservationResponse$ = [3, n0, _CDBCRRre,
    0,
    [_DBCR],
    [[() => DBCapacityReservation$, 0]]
];
var CreateDBClusterEndpointMessage$ = [3, n0, _CDBCEM,
    0,
    [_DBCI, _DBCEI, _ET, _SM, _EM, _T],
    [0, 0, 0, 64 | 0, 64 | 0, [() => TagList, 0]], 3
];
var CreateDBClusterMessage$ = [3, n0, _CDBCM,
    0,
    [_DBCI, _E, _AZv, _BRP, _CSN, _DN, _DBCPGN, _VSGI, _DBSGNu, _EV, _P, _MU, _MUP, _OGN, _PBW, _PMW, _RSI, _T, _SE, _KKI, _PSU, _EIAMDA, _BW, _ECLE, _EMn, _SC, _RCCC, _DBCIC, _AS, _STt, _I, _PA, _AMVU, _DP, _GCI, _EHE, _CTTS, _Do, _DIAMRN, _EGWF, _NT, _SVSC, _MIo, _MRA, _DIM, _EPI, _PIKMSKI, _PIRP, _ELD, _CST, _DBSI, _MMUP, _ELWF, _MUSKKI, _CACI, _ELS, _TS, _MUAT, _WEC, _AR],
    [0, 0, [() => AvailabilityZones, 0], 1, 0, 0, 0, [() => VpcSecurityGroupIdList, 0], 0, 0, 1, 0, [() => SensitiveString, 0], 0, 0, 0, 0, [() => TagList, 0], 2, 0, [() => SensitiveString, 0], 2, 1, 64 | 0, 0, () => ScalingConfiguration$, () => RdsCustomClusterConfiguration$, 0, 1, 0, 1, 2, 2, 2, 0, 2, 2, 0, 0, 2, 0, () => ServerlessV2ScalingConfiguration$, 1, 0, 0, 2, 0, 1, 2, 0, 0, 2, 2, 0, 0, 0, [() => TagSpecificationList, 0], 0, 2, [() => DBClusterAssociatedRoles, 0]], 2
];
var CreateDBClusterParameterGroupMessage$ = [3, n0, _CDBCPGMr,
    0,
    [_DBCPGN, _DBPGF, _D, _T],
    [0, 0, 0, [() => TagList, 0]], 3
];
var CreateDBClusterParameterGroupResult$ = [3, n0, _CDBCPGRr,
    0,
    [_DBCPG],
    [() => DBClusterParameterGroup$]
];
var CreateDBClusterResult$ = [3, n0, _CDBCR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var CreateDBClusterSnapshotMessage$ = [3, n0, _CDBCSMr,
    0,
    [_DBCSI, _DBCI, _T],
    [0, 0, [() => TagList, 0]], 2
];
var CreateDBClusterSnapshotResult$ = [3, n0, _CDBCSRr,
    0,
    [_DBCS],
    [[() => DBClusterSnapshot$, 0]]
];
var CreateDBInstanceMessage$ = [3, n0, _CDBIM,
    0,
    [_DBII, _DBIC, _E, _DBN, _AS, _MU, _MUP, _DBSGe, _VSGI, _AZ, _DBSGNu, _PMW, _DBPGN, _BRP, _PBW, _P, _MAZ, _EV, _AMVU, _LM, _I, _ST, _OGN, _CSN, _NCSN, _PA, _T, _DBCI, _STt, _TCA, _TCP, _SE, _KKI, _Do, _DF, _DO, _DASA, _DDI, _CTTS, _MIo, _MRA, _DIAMRN, _PT, _Ti, _EIAMDA, _DIM, _EPI, _PIKMSKI, _PIRP, _ECLE, _PF, _DP, _MAS, _ECOI, _NT, _BTa, _CIIP, _DBSI, _CACI, _MMUP, _MUSKKI, _MT, _DLV, _ELS, _ASVd, _TS, _DBCRI, _MUAT],
    [0, 0, 0, 0, 1, 0, [() => SensitiveString, 0], [() => DBSecurityGroupNameList, 0], [() => VpcSecurityGroupIdList, 0], 0, 0, 0, 0, 1, 0, 1, 2, 0, 2, 0, 1, 1, 0, 0, 0, 2, [() => TagList, 0], 0, 0, 0, [() => SensitiveString, 0], 2, 0, 0, 0, 0, 0, 64 | 0, 2, 1, 0, 0, 1, 0, 2, 0, 2, 0, 1, 64 | 0, [() => ProcessorFeatureList, 0], 2, 1, 2, 0, 0, 0, 0, 0, 2, 0, 2, 2, 0, () => AdditionalStorageVolumesList, [() => TagSpecificationList, 0], 0, 0], 3
];
var CreateDBInstanceReadReplicaMessage$ = [3, n0, _CDBIRRM,
    0,
    [_DBII, _SDBII, _DBIC, _AZ, _P, _MAZ, _AMVU, _I, _ST, _OGN, _DBPGN, _PA, _T, _DBSGNu, _VSGI, _STt, _CTTS, _MIo, _MRA, _KKI, _PSU, _EIAMDA, _DIM, _EPI, _PIKMSKI, _PIRP, _ECLE, _PF, _UDPF, _DP, _Do, _DIAMRN, _DF, _DO, _DASA, _DDI, _RM, _ECOI, _NT, _MAS, _BTa, _CIIP, _AS, _SDBCI, _DLV, _USC, _CACI, _ASVd, _TS, _DBCRI],
    [0, 0, 0, 0, 1, 2, 2, 1, 1, 0, 0, 2, [() => TagList, 0], 0, [() => VpcSecurityGroupIdList, 0], 0, 2, 1, 0, 0, [() => SensitiveString, 0], 2, 0, 2, 0, 1, 64 | 0, [() => ProcessorFeatureList, 0], 2, 2, 0, 0, 0, 0, 0, 64 | 0, 0, 2, 0, 1, 0, 0, 1, 0, 2, 2, 0, () => AdditionalStorageVolumesList, [() => TagSpecificationList, 0], 0], 1
];
var CreateDBInstanceReadReplicaResult$ = [3, n0, _CDBIRRR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var CreateDBInstanceResult$ = [3, n0, _CDBIR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var CreateDBParameterGroupMessage$ = [3, n0, _CDBPGMr,
    0,
    [_DBPGN, _DBPGF, _D, _T],
    [0, 0, 0, [() => TagList, 0]], 3
];
var CreateDBParameterGroupResult$ = [3, n0, _CDBPGRr,
    0,
    [_DBPG],
    [() => DBParameterGroup$]
];
var CreateDBProxyEndpointRequest$ = [3, n0, _CDBPER,
    0,
    [_DBPN, _DBPEN, _VSI, _VSGI, _TR, _T, _ENT],
    [0, 0, 64 | 0, 64 | 0, 0, [() => TagList, 0], 0], 3
];
var CreateDBProxyEndpointResponse$ = [3, n0, _CDBPERr,
    0,
    [_DBPE],
    [() => DBProxyEndpoint$]
];
var CreateDBProxyRequest$ = [3, n0, _CDBPR,
    0,
    [_DBPN, _EF, _RA, _VSI, _DAS, _A, _VSGI, _RTLS, _ICT, _DL, _T, _ENT, _TCNT],
    [0, 0, 0, 64 | 0, 0, () => UserAuthConfigList, 64 | 0, 2, 1, 2, [() => TagList, 0], 0, 0], 4
];
var CreateDBProxyResponse$ = [3, n0, _CDBPRr,
    0,
    [_DBP],
    [() => DBProxy$]
];
var CreateDBSecurityGroupMessage$ = [3, n0, _CDBSGM,
    0,
    [_DBSGN, _DBSGD, _T],
    [0, 0, [() => TagList, 0]], 2
];
var CreateDBSecurityGroupResult$ = [3, n0, _CDBSGR,
    0,
    [_DBSG],
    [[() => DBSecurityGroup$, 0]]
];
var CreateDBShardGroupMessage$ = [3, n0, _CDBSGMr,
    0,
    [_DBSGI, _DBCI, _MACU, _CR, _MACUi, _PA, _T],
    [0, 0, 1, 1, 1, 2, [() => TagList, 0]], 3
];
var CreateDBSnapshotMessage$ = [3, n0, _CDBSMr,
    0,
    [_DBSIn, _DBII, _T],
    [0, 0, [() => TagList, 0]], 2
];
var CreateDBSnapshotResult$ = [3, n0, _CDBSRr,
    0,
    [_DBS],
    [[() => DBSnapshot$, 0]]
];
var CreateDBSubnetGroupMessage$ = [3, n0, _CDBSGMre,
    0,
    [_DBSGNu, _DBSGDu, _SIub, _T],
    [0, 0, [() => SubnetIdentifierList, 0], [() => TagList, 0]], 3
];
var CreateDBSubnetGroupResult$ = [3, n0, _CDBSGRr,
    0,
    [_DBSGu],
    [[() => DBSubnetGroup$, 0]]
];
var CreateEventSubscriptionMessage$ = [3, n0, _CESM,
    0,
    [_SN, _STA, _STo, _EC, _SIo, _En, _T],
    [0, 0, 0, [() => EventCategoriesList, 0], [() => SourceIdsList, 0], 2, [() => TagList, 0]], 2
];
var CreateEventSubscriptionResult$ = [3, n0, _CESR,
    0,
    [_ES],
    [[() => EventSubscription$, 0]]
];
var CreateGlobalClusterMessage$ = [3, n0, _CGCM,
    0,
    [_GCI, _SDBCI, _E, _EV, _ELS, _DP, _DN, _SE, _T],
    [0, 0, 0, 0, 0, 2, 0, 2, [() => TagList, 0]], 1
];
var CreateGlobalClusterResult$ = [3, n0, _CGCR,
    0,
    [_GC],
    [[() => GlobalCluster$, 0]]
];
var CreateIntegrationMessage$ = [3, n0, _CIM,
    0,
    [_SA, _TA, _IN, _KMSKI, _AEC, _T, _DFa, _D],
    [0, 0, 0, 0, 128 | 0, [() => TagList, 0], 0, 0], 3
];
var CreateOptionGroupMessage$ = [3, n0, _COGMr,
    0,
    [_OGN, _EN, _MEV, _OGD, _T],
    [0, 0, 0, 0, [() => TagList, 0]], 4
];
var CreateOptionGroupResult$ = [3, n0, _COGRr,
    0,
    [_OG],
    [[() => OptionGroup$, 0]]
];
var CreateTenantDatabaseMessage$ = [3, n0, _CTDM,
    0,
    [_DBII, _TDBN, _MU, _MUP, _CSN, _NCSN, _MMUP, _MUSKKI, _T],
    [0, 0, 0, [() => SensitiveString, 0], 0, 0, 2, 0, [() => TagList, 0]], 3
];
var CreateTenantDatabaseResult$ = [3, n0, _CTDR,
    0,
    [_TD],
    [[() => TenantDatabase$, 0]]
];
var CustomDBEngineVersionAMI$ = [3, n0, _CDBEVAMI,
    0,
    [_II, _St],
    [0, 0]
];
var DBCapacityReservation$ = [3, n0, _DBCR,
    0,
    [_DBCRN, _DBIC, _E, _LM, _RCPAZ, _ACPAZL, _ED, _CDr, _SDta, _CIo, _Sta, _DBCRA, _DBCRI, _TL],
    [0, 0, 0, 0, 1, [() => AvailableCapacityPerAvailabilityZoneList, 0], 4, 4, 4, () => DBCapacityReservationCommitmentInfo$, 0, 0, 0, [() => TagList, 0]]
];
var DBCapacityReservationCommitmentInfo$ = [3, n0, _DBCRCI,
    0,
    [_CCPAZ, _CED],
    [1, 4]
];
var DBCluster$ = [3, n0, _DBC,
    0,
    [_AS, _AZv, _BRP, _CSN, _DN, _DBCI, _DBCPG, _DBSGu, _St, _PP, _ERT, _End, _RE, _CE, _MAZ, _E, _EV, _LRT, _P, _MU, _DBCOGM, _PBW, _PMW, _URO, _RSI, _RRI, _SIt, _DBCM, _VSG, _HZI, _SE, _SET, _KKI, _DCRI, _DBCA, _AR, _IAMDAE, _CGI, _CCT, _EBT, _BW, _BCCR, _ECLEn, _Ca, _PMV, _EMn, _SCI, _RCCC, _DBCIC, _STt, _I, _ST, _IOONAMT, _PA, _AMVU, _DP, _HEE, _ASM, _ASS, _ASKKI, _ASKSN, _CTTS, _CAC, _DM, _TL, _GCI, _GWFS, _GWFR, _NT, _ART, _SVSC, _SVPV, _MIo, _MRA, _DIM, _PIE, _PIKMSKI, _PIRP, _DBSI, _MUS, _LWFS, _ABRPA, _LD, _CST, _CD, _ELS, _VPCNE, _IAGE],
    [1, [() => AvailabilityZones, 0], 1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 64 | 0, 2, 0, 0, 4, 1, 0, [() => DBClusterOptionGroupMemberships, 0], 0, 0, 0, 0, [() => ReadReplicaIdentifierList, 0], [() => DBClusterStatusInfoList, 0], [() => DBClusterMemberList, 0], [() => VpcSecurityGroupMembershipList, 0], 0, 2, 0, 0, 0, 0, [() => DBClusterRoles, 0], 2, 0, 4, 4, 1, 1, 64 | 0, 1, [() => ClusterPendingModifiedValues$, 0], 0, () => ScalingConfigurationInfo$, () => RdsCustomClusterConfiguration$, 0, 0, 1, 1, 4, 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, [() => DomainMembershipList, 0], [() => TagList, 0], 0, 0, 2, 0, 4, () => ServerlessV2ScalingConfigurationInfo$, 0, 1, 0, 0, 2, 0, 1, 0, () => MasterUserSecret$, 0, 0, () => LimitlessDatabase$, 0, () => CertificateDetails$, 0, 2, 2]
];
var DBClusterAssociatedRole$ = [3, n0, _DBCAR,
    0,
    [_RA, _FN],
    [0, 0], 1
];
var DBClusterAutomatedBackup$ = [3, n0, _DBCAB,
    0,
    [_E, _VI, _DBCABA, _DBCI, _RW, _MU, _DCRI, _R, _LM, _St, _IAMDAE, _CCT, _SE, _SET, _AS, _EV, _DBCA, _BRP, _PBW, _EMn, _AZv, _P, _KKI, _STt, _I, _ST, _ABRPA, _TL],
    [0, 0, 0, 0, () => RestoreWindow$, 0, 0, 0, 0, 0, 2, 4, 2, 0, 1, 0, 0, 1, 0, 0, [() => AvailabilityZones, 0], 1, 0, 0, 1, 1, 0, [() => TagList, 0]]
];
var DBClusterAutomatedBackupMessage$ = [3, n0, _DBCABM,
    0,
    [_Ma, _DBCABl],
    [0, [() => DBClusterAutomatedBackupList, 0]]
];
var DBClusterBacktrack$ = [3, n0, _DBCB,
    0,
    [_DBCI, _BI, _BT, _BF, _BRCT, _St],
    [0, 0, 4, 4, 4, 0]
];
var DBClusterBacktrackMessage$ = [3, n0, _DBCBM,
    0,
    [_Ma, _DBCBl],
    [0, [() => DBClusterBacktrackList, 0]]
];
var DBClusterCapacityInfo$ = [3, n0, _DBCCI,
    0,
    [_DBCI, _PC, _CC, _SBT, _TAi],
    [0, 1, 1, 1, 0]
];
var DBClusterEndpoint$ = [3, n0, _DBCE,
    0,
    [_DBCEI, _DBCI, _DBCERI, _End, _St, _ET, _CET, _SM, _EM, _DBCEA],
    [0, 0, 0, 0, 0, 0, 0, 64 | 0, 64 | 0, 0]
];
var DBClusterEndpointMessage$ = [3, n0, _DBCEM,
    0,
    [_Ma, _DBCEl],
    [0, [() => DBClusterEndpointList, 0]]
];
var DBClusterMember$ = [3, n0, _DBCMl,
    0,
    [_DBII, _ICW, _DBCPGS, _PT],
    [0, 2, 0, 1]
];
var DBClusterMessage$ = [3, n0, _DBCMlu,
    0,
    [_Ma, _DBCl],
    [0, [() => DBClusterList, 0]]
];
var DBClusterOptionGroupStatus$ = [3, n0, _DBCOGS,
    0,
    [_DBCOGN, _St],
    [0, 0]
];
var DBClusterParameterGroup$ = [3, n0, _DBCPG,
    0,
    [_DBCPGN, _DBPGF, _D, _DBCPGA],
    [0, 0, 0, 0]
];
var DBClusterParameterGroupDetails$ = [3, n0, _DBCPGD,
    0,
    [_Pa, _Ma],
    [[() => ParametersList, 0], 0]
];
var DBClusterParameterGroupNameMessage$ = [3, n0, _DBCPGNM,
    0,
    [_DBCPGN],
    [0]
];
var DBClusterParameterGroupsMessage$ = [3, n0, _DBCPGM,
    0,
    [_Ma, _DBCPGl],
    [0, [() => DBClusterParameterGroupList, 0]]
];
var DBClusterRole$ = [3, n0, _DBCRl,
    0,
    [_RA, _St, _FN],
    [0, 0, 0]
];
var DBClusterSnapshot$ = [3, n0, _DBCS,
    0,
    [_AZv, _DBCSI, _DBCI, _SCT, _E, _EMn, _AS, _St, _P, _VI, _CCT, _MU, _EV, _LM, _STna, _PP, _SE, _SET, _BRP, _PBW, _KKI, _DBCSA, _SDBCSA, _IAMDAE, _TL, _STt, _ST, _DCRI, _DBSI],
    [[() => AvailabilityZones, 0], 0, 0, 4, 0, 0, 1, 0, 1, 0, 4, 0, 0, 0, 0, 1, 2, 0, 1, 0, 0, 0, 0, 2, [() => TagList, 0], 0, 1, 0, 0]
];
var DBClusterSnapshotAttribute$ = [3, n0, _DBCSAl,
    0,
    [_AN, _AVt],
    [0, [() => AttributeValueList, 0]]
];
var DBClusterSnapshotAttributesResult$ = [3, n0, _DBCSAR,
    0,
    [_DBCSI, _DBCSAlu],
    [0, [() => DBClusterSnapshotAttributeList, 0]]
];
var DBClusterSnapshotMessage$ = [3, n0, _DBCSM,
    0,
    [_Ma, _DBCSl],
    [0, [() => DBClusterSnapshotList, 0]]
];
var DBClusterStatusInfo$ = [3, n0, _DBCSIl,
    0,
    [_STta, _No, _St, _Me],
    [0, 2, 0, 0]
];
var DBEngineVersion$ = [3, n0, _DBEV,
    0,
    [_E, _MEV, _EV, _DIFSBN, _DIFSP, _DIF, _CDBEVM, _DBPGF, _DBED, _DBEVA, _DBEVD, _DCS, _FR, _Im, _DBEMT, _KMSKI, _CT, _SCS, _SNCS, _VUT, _STu, _ELTx, _SLETCL, _SRR, _SEM, _SFN, _St, _SPQ, _SGD, _TL, _SB, _SLD, _SCRWR, _SCACI, _SLWF, _SIup, _SVFS],
    [0, 0, 0, 0, 0, 64 | 0, 0, 0, 0, 0, 0, () => CharacterSet$, 0, () => CustomDBEngineVersionAMI$, 0, 0, 4, [() => SupportedCharacterSetsList, 0], [() => SupportedCharacterSetsList, 0], [() => ValidUpgradeTargetList, 0], [() => SupportedTimezonesList, 0], 64 | 0, 2, 2, 64 | 0, 64 | 0, 0, 2, 2, [() => TagList, 0], 2, 2, 2, 64 | 0, 2, 2, () => ServerlessV2FeaturesSupport$]
];
var DBEngineVersionMessage$ = [3, n0, _DBEVM,
    0,
    [_Ma, _DBEVn],
    [0, [() => DBEngineVersionList, 0]]
];
var DBInstance$ = [3, n0, _DBI,
    0,
    [_DBII, _DBIC, _E, _DBIS, _MU, _DBN, _End, _AS, _ICTn, _PBW, _BRP, _DBSGe, _VSG, _DBPGa, _AZ, _DBSGu, _PMW, _URO, _PMV, _LRT, _MAZ, _EV, _AMVU, _RRSDBII, _RRDBII, _RRDBCI, _RM, _LM, _I, _ST, _OGM, _CSN, _NCSN, _SAZe, _PA, _SIt, _STt, _SET, _TCA, _DIP, _DBCI, _SE, _KKI, _DRI, _CACI, _DM, _CTTS, _MIo, _EMRA, _MRA, _PT, _DBIA, _Ti, _IAMDAE, _DIM, _PIE, _PIKMSKI, _PIRP, _ECLEn, _PF, _DP, _AR, _LE, _MAS, _TL, _AM, _RFAMT, _COIE, _NT, _ASS, _ASKKI, _ASKSN, _ASM, _ASENAFI, _ABRPA, _DBIABR, _BTa, _ART, _CIIP, _ASPS, _CD, _DBSI, _MUS, _RRSDBCI, _PP, _MT, _DLV, _ISCUA, _ELS, _ASVd, _SVS, _SOS, _SOPP, _DBCRI],
    [0, 0, 0, 0, 0, 0, () => Endpoint$, 1, 4, 0, 1, [() => DBSecurityGroupMembershipList, 0], [() => VpcSecurityGroupMembershipList, 0], [() => DBParameterGroupStatusList, 0], 0, [() => DBSubnetGroup$, 0], 0, 0, [() => PendingModifiedValues$, 0], 4, 2, 0, 2, 0, [() => ReadReplicaDBInstanceIdentifierList, 0], [() => ReadReplicaDBClusterIdentifierList, 0], 0, 0, 1, 1, [() => OptionGroupMembershipList, 0], 0, 0, 0, 2, [() => DBInstanceStatusInfoList, 0], 0, 0, 0, 1, 0, 2, 0, 0, 0, [() => DomainMembershipList, 0], 2, 1, 0, 0, 1, 0, 0, 2, 0, 2, 0, 1, 64 | 0, [() => ProcessorFeatureList, 0], 2, [() => DBInstanceRoles, 0], () => Endpoint$, 1, [() => TagList, 0], 0, 4, 2, 0, 0, 0, 0, 0, 2, 0, [() => DBInstanceAutomatedBackupsReplicationList, 0], 0, 4, 0, 0, () => CertificateDetails$, 0, () => MasterUserSecret$, 0, 0, 2, 2, 2, 0, () => AdditionalStorageVolumesOutputList, 0, 0, 1, 0]
];
var DBInstanceAutomatedBackup$ = [3, n0, _DBIAB,
    0,
    [_DBIA, _DRI, _R, _DBII, _RW, _AS, _St, _P, _AZ, _VI, _ICTn, _MU, _E, _EV, _LM, _I, _ST, _OGN, _TCA, _Enc, _SET, _STt, _KKI, _Ti, _IAMDAE, _BRP, _PBW, _DBIABA, _DBIABR, _BTa, _MT, _ABRPA, _TL, _DLV, _ASVd],
    [0, 0, 0, 0, () => RestoreWindow$, 1, 0, 1, 0, 0, 4, 0, 0, 0, 0, 1, 1, 0, 0, 2, 0, 0, 0, 0, 2, 1, 0, 0, [() => DBInstanceAutomatedBackupsReplicationList, 0], 0, 2, 0, [() => TagList, 0], 2, () => AdditionalStorageVolumesList]
];
var DBInstanceAutomatedBackupMessage$ = [3, n0, _DBIABM,
    0,
    [_Ma, _DBIABn],
    [0, [() => DBInstanceAutomatedBackupList, 0]]
];
var DBInstanceAutomatedBackupsReplication$ = [3, n0, _DBIABRn,
    0,
    [_DBIABA],
    [0]
];
var DBInstanceMessage$ = [3, n0, _DBIM,
    0,
    [_Ma, _DBIn],
    [0, [() => DBInstanceList, 0]]
];
var DBInstanceRole$ = [3, n0, _DBIR,
    0,
    [_RA, _FN, _St],
    [0, 0, 0]
];
var DBInstanceStatusInfo$ = [3, n0, _DBISI,
    0,
    [_STta, _No, _St, _Me],
    [0, 2, 0, 0]
];
var DBMajorEngineVersion$ = [3, n0, _DBMEV,
    0,
    [_E, _MEV, _SEL],
    [0, 0, [() => SupportedEngineLifecycleList, 0]]
];
var DBParameterGroup$ = [3, n0, _DBPG,
    0,
    [_DBPGN, _DBPGF, _D, _DBPGA],
    [0, 0, 0, 0]
];
var DBParameterGroupDetails$ = [3, n0, _DBPGD,
    0,
    [_Pa, _Ma],
    [[() => ParametersList, 0], 0]
];
var DBParameterGroupNameMessage$ = [3, n0, _DBPGNM,
    0,
    [_DBPGN],
    [0]
];
var DBParameterGroupsMessage$ = [3, n0, _DBPGM,
    0,
    [_Ma, _DBPGa],
    [0, [() => DBParameterGroupList, 0]]
];
var DBParameterGroupStatus$ = [3, n0, _DBPGS,
    0,
    [_DBPGN, _PAS],
    [0, 0]
];
var DBProxy$ = [3, n0, _DBP,
    0,
    [_DBPN, _DBPA, _St, _EF, _VI, _VSGI, _VSI, _DAS, _A, _RA, _End, _RTLS, _ICT, _DL, _CDre, _UD, _ENT, _TCNT],
    [0, 0, 0, 0, 0, 64 | 0, 64 | 0, 0, () => UserAuthConfigInfoList, 0, 0, 2, 1, 2, 4, 4, 0, 0]
];
var DBProxyEndpoint$ = [3, n0, _DBPE,
    0,
    [_DBPEN, _DBPEA, _DBPN, _St, _VI, _VSGI, _VSI, _End, _CDre, _TR, _ID, _ENT],
    [0, 0, 0, 0, 0, 64 | 0, 64 | 0, 0, 4, 0, 2, 0]
];
var DBProxyTarget$ = [3, n0, _DBPT,
    0,
    [_TA, _End, _TCI, _RRId, _P, _Ty, _Ro, _TH],
    [0, 0, 0, 0, 1, 0, 0, () => TargetHealth$]
];
var DBProxyTargetGroup$ = [3, n0, _DBPTG,
    0,
    [_DBPN, _TGN, _TGA, _ID, _St, _CPCo, _CDre, _UD],
    [0, 0, 0, 2, 0, [() => ConnectionPoolConfigurationInfo$, 0], 4, 4]
];
var DBRecommendation$ = [3, n0, _DBR,
    0,
    [_RIe, _TIy, _Se, _RAe, _St, _CTr, _UT, _De, _Re, _D, _Rea, _RAec, _Cat, _S, _TDy, _TRy, _Imp, _AI, _L, _IDs],
    [0, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, () => RecommendedActionList, 0, 0, 0, 0, 0, 0, () => DocLinkList, () => IssueDetails$]
];
var DBRecommendationMessage$ = [3, n0, _DBRM,
    0,
    [_DBR],
    [() => DBRecommendation$]
];
var DBRecommendationsMessage$ = [3, n0, _DBRMe,
    0,
    [_DBRe, _Ma],
    [() => DBRecommendationList, 0]
];
var DBSecurityGroup$ = [3, n0, _DBSG,
    0,
    [_OI, _DBSGN, _DBSGD, _VI, _ECSG, _IPR, _DBSGA],
    [0, 0, 0, 0, [() => EC2SecurityGroupList, 0], [() => IPRangeList, 0], 0]
];
var DBSecurityGroupMembership$ = [3, n0, _DBSGM,
    0,
    [_DBSGN, _St],
    [0, 0]
];
var DBSecurityGroupMessage$ = [3, n0, _DBSGMe,
    0,
    [_Ma, _DBSGe],
    [0, [() => DBSecurityGroups, 0]]
];
var DBShardGroup$ = [3, n0, _DBSGh,
    0,
    [_DBSGRI, _DBSGI, _DBCI, _MACU, _MACUi, _CR, _St, _PA, _End, _DBSGAh, _TL],
    [0, 0, 0, 1, 1, 1, 0, 2, 0, 0, [() => TagList, 0]]
];
var DBSnapshot$ = [3, n0, _DBS,
    0,
    [_DBSIn, _DBII, _SCT, _E, _AS, _St, _P, _AZ, _VI, _ICTn, _MU, _EV, _LM, _STna, _I, _ST, _OGN, _PP, _SR, _SDBSI, _STt, _TCA, _Enc, _SET, _BRP, _PBW, _KKI, _DBSA, _Ti, _IAMDAE, _PF, _DRI, _TL, _STn, _OSCT, _SDT, _DBSI, _MT, _DLV, _ASVd, _SAZ, _FSSIB],
    [0, 0, 4, 0, 1, 0, 1, 0, 0, 4, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 2, [() => ProcessorFeatureList, 0], 0, [() => TagList, 0], 0, 4, 4, 0, 2, 2, () => AdditionalStorageVolumesList, 0, 1]
];
var DBSnapshotAttribute$ = [3, n0, _DBSAn,
    0,
    [_AN, _AVt],
    [0, [() => AttributeValueList, 0]]
];
var DBSnapshotAttributesResult$ = [3, n0, _DBSAR,
    0,
    [_DBSIn, _DBSAna],
    [0, [() => DBSnapshotAttributeList, 0]]
];
var DBSnapshotMessage$ = [3, n0, _DBSM,
    0,
    [_Ma, _DBSn],
    [0, [() => DBSnapshotList, 0]]
];
var DBSnapshotTenantDatabase$ = [3, n0, _DBSTD,
    0,
    [_DBSIn, _DBII, _DRI, _EN, _STna, _TDCT, _TDBN, _MU, _TDRI, _CSN, _DBSTDARN, _NCSN, _TL],
    [0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, [() => TagList, 0]]
];
var DBSnapshotTenantDatabasesMessage$ = [3, n0, _DBSTDM,
    0,
    [_Ma, _DBSTDn],
    [0, [() => DBSnapshotTenantDatabasesList, 0]]
];
var DBSubnetGroup$ = [3, n0, _DBSGu,
    0,
    [_DBSGNu, _DBSGDu, _VI, _SGS, _Su, _DBSGAu, _SNT],
    [0, 0, 0, 0, [() => SubnetList, 0], 0, 64 | 0]
];
var DBSubnetGroupMessage$ = [3, n0, _DBSGMu,
    0,
    [_Ma, _DBSGub],
    [0, [() => DBSubnetGroups, 0]]
];
var DeleteBlueGreenDeploymentRequest$ = [3, n0, _DBGDR,
    0,
    [_BGDI, _DTe],
    [0, 2], 1
];
var DeleteBlueGreenDeploymentResponse$ = [3, n0, _DBGDRe,
    0,
    [_BGD],
    [[() => BlueGreenDeployment$, 0]]
];
var DeleteCustomDBEngineVersionMessage$ = [3, n0, _DCDBEVM,
    0,
    [_E, _EV],
    [0, 0], 2
];
var DeleteDBClusterAutomatedBackupMessage$ = [3, n0, _DDBCABM,
    0,
    [_DCRI],
    [0], 1
];
var DeleteDBClusterAutomatedBackupResult$ = [3, n0, _DDBCABR,
    0,
    [_DBCAB],
    [[() => DBClusterAutomatedBackup$, 0]]
];
var DeleteDBClusterEndpointMessage$ = [3, n0, _DDBCEM,
    0,
    [_DBCEI],
    [0], 1
];
var DeleteDBClusterMessage$ = [3, n0, _DDBCM,
    0,
    [_DBCI, _SFS, _FDBSI, _DAB],
    [0, 2, 0, 2], 1
];
var DeleteDBClusterParameterGroupMessage$ = [3, n0, _DDBCPGM,
    0,
    [_DBCPGN],
    [0], 1
];
var DeleteDBClusterResult$ = [3, n0, _DDBCR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var DeleteDBClusterSnapshotMessage$ = [3, n0, _DDBCSM,
    0,
    [_DBCSI],
    [0], 1
];
var DeleteDBClusterSnapshotResult$ = [3, n0, _DDBCSR,
    0,
    [_DBCS],
    [[() => DBClusterSnapshot$, 0]]
];
var DeleteDBInstanceAutomatedBackupMessage$ = [3, n0, _DDBIABM,
    0,
    [_DRI, _DBIABA],
    [0, 0]
];
var DeleteDBInstanceAutomatedBackupResult$ = [3, n0, _DDBIABR,
    0,
    [_DBIAB],
    [[() => DBInstanceAutomatedBackup$, 0]]
];
var DeleteDBInstanceMessage$ = [3, n0, _DDBIM,
    0,
    [_DBII, _SFS, _FDBSI, _DAB],
    [0, 2, 0, 2], 1
];
var DeleteDBInstanceResult$ = [3, n0, _DDBIR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var DeleteDBParameterGroupMessage$ = [3, n0, _DDBPGM,
    0,
    [_DBPGN],
    [0], 1
];
var DeleteDBProxyEndpointRequest$ = [3, n0, _DDBPER,
    0,
    [_DBPEN],
    [0], 1
];
var DeleteDBProxyEndpointResponse$ = [3, n0, _DDBPERe,
    0,
    [_DBPE],
    [() => DBProxyEndpoint$]
];
var DeleteDBProxyRequest$ = [3, n0, _DDBPR,
    0,
    [_DBPN],
    [0], 1
];
var DeleteDBProxyResponse$ = [3, n0, _DDBPRe,
    0,
    [_DBP],
    [() => DBProxy$]
];
var DeleteDBSecurityGroupMessage$ = [3, n0, _DDBSGM,
    0,
    [_DBSGN],
    [0], 1
];
var DeleteDBShardGroupMessage$ = [3, n0, _DDBSGMe,
    0,
    [_DBSGI],
    [0], 1
];
var DeleteDBSnapshotMessage$ = [3, n0, _DDBSM,
    0,
    [_DBSIn],
    [0], 1
];
var DeleteDBSnapshotResult$ = [3, n0, _DDBSR,
    0,
    [_DBS],
    [[() => DBSnapshot$, 0]]
];
var DeleteDBSubnetGroupMessage$ = [3, n0, _DDBSGMel,
    0,
    [_DBSGNu],
    [0], 1
];
var DeleteEventSubscriptionMessage$ = [3, n0, _DESM,
    0,
    [_SN],
    [0], 1
];
var DeleteEventSubscriptionResult$ = [3, n0, _DESR,
    0,
    [_ES],
    [[() => EventSubscription$, 0]]
];
var DeleteGlobalClusterMessage$ = [3, n0, _DGCM,
    0,
    [_GCI],
    [0], 1
];
var DeleteGlobalClusterResult$ = [3, n0, _DGCR,
    0,
    [_GC],
    [[() => GlobalCluster$, 0]]
];
var DeleteIntegrationMessage$ = [3, n0, _DIMe,
    0,
    [_IIn],
    [0], 1
];
var DeleteOptionGroupMessage$ = [3, n0, _DOGM,
    0,
    [_OGN],
    [0], 1
];
var DeleteTenantDatabaseMessage$ = [3, n0, _DTDM,
    0,
    [_DBII, _TDBN, _SFS, _FDBSI],
    [0, 0, 2, 0], 2
];
var DeleteTenantDatabaseResult$ = [3, n0, _DTDR,
    0,
    [_TD],
    [[() => TenantDatabase$, 0]]
];
var DeregisterDBProxyTargetsRequest$ = [3, n0, _DDBPTR,
    0,
    [_DBPN, _TGN, _DBIIn, _DBCIl],
    [0, 0, 64 | 0, 64 | 0], 1
];
var DeregisterDBProxyTargetsResponse$ = [3, n0, _DDBPTRe,
    0,
    [],
    []
];
var DescribeAccountAttributesMessage$ = [3, n0, _DAAM,
    0,
    [],
    []
];
var DescribeBlueGreenDeploymentsRequest$ = [3, n0, _DBGDRes,
    0,
    [_BGDI, _Fi, _Ma, _MR],
    [0, [() => FilterList, 0], 0, 1]
];
var DescribeBlueGreenDeploymentsResponse$ = [3, n0, _DBGDResc,
    0,
    [_BGDl, _Ma],
    [[() => BlueGreenDeploymentList, 0], 0]
];
var DescribeCertificatesMessage$ = [3, n0, _DCM,
    0,
    [_CI, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeDBCapacityReservationsRequest$ = [3, n0, _DDBCRR,
    0,
    [_DBCRI, _Ma, _MR, _Fi],
    [0, 0, 1, [() => FilterList, 0]]
];
var DescribeDBCapacityReservationsResponse$ = [3, n0, _DDBCRRe,
    0,
    [_DBCRa, _Ma],
    [[() => DBCapacityReservationList, 0], 0]
];
var DescribeDBClusterAutomatedBackupsMessage$ = [3, n0, _DDBCABMe,
    0,
    [_DCRI, _DBCI, _Fi, _MR, _Ma],
    [0, 0, [() => FilterList, 0], 1, 0]
];
var DescribeDBClusterBacktracksMessage$ = [3, n0, _DDBCBM,
    0,
    [_DBCI, _BI, _Fi, _MR, _Ma],
    [0, 0, [() => FilterList, 0], 1, 0], 1
];
var DescribeDBClusterEndpointsMessage$ = [3, n0, _DDBCEMe,
    0,
    [_DBCI, _DBCEI, _Fi, _MR, _Ma],
    [0, 0, [() => FilterList, 0], 1, 0]
];
var DescribeDBClusterParameterGroupsMessage$ = [3, n0, _DDBCPGMe,
    0,
    [_DBCPGN, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeDBClusterParametersMessage$ = [3, n0, _DDBCPM,
    0,
    [_DBCPGN, _S, _Fi, _MR, _Ma],
    [0, 0, [() => FilterList, 0], 1, 0], 1
];
var DescribeDBClustersMessage$ = [3, n0, _DDBCMe,
    0,
    [_DBCI, _Fi, _MR, _Ma, _ISn],
    [0, [() => FilterList, 0], 1, 0, 2]
];
var DescribeDBClusterSnapshotAttributesMessage$ = [3, n0, _DDBCSAM,
    0,
    [_DBCSI],
    [0], 1
];
var DescribeDBClusterSnapshotAttributesResult$ = [3, n0, _DDBCSAR,
    0,
    [_DBCSAR],
    [[() => DBClusterSnapshotAttributesResult$, 0]]
];
var DescribeDBClusterSnapshotsMessage$ = [3, n0, _DDBCSMe,
    0,
    [_DBCI, _DBCSI, _STna, _Fi, _MR, _Ma, _ISn, _IP, _DCRI],
    [0, 0, 0, [() => FilterList, 0], 1, 0, 2, 2, 0]
];
var DescribeDBEngineVersionsMessage$ = [3, n0, _DDBEVM,
    0,
    [_E, _EV, _DBPGF, _Fi, _MR, _Ma, _DOe, _LSCS, _LST, _IA],
    [0, 0, 0, [() => FilterList, 0], 1, 0, 2, 2, 2, 2]
];
var DescribeDBInstanceAutomatedBackupsMessage$ = [3, n0, _DDBIABMe,
    0,
    [_DRI, _DBII, _Fi, _MR, _Ma, _DBIABA],
    [0, 0, [() => FilterList, 0], 1, 0, 0]
];
var DescribeDBInstancesMessage$ = [3, n0, _DDBIMe,
    0,
    [_DBII, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeDBLogFilesDetails$ = [3, n0, _DDBLFD,
    0,
    [_LFN, _LW, _Si],
    [0, 1, 1]
];
var DescribeDBLogFilesMessage$ = [3, n0, _DDBLFM,
    0,
    [_DBII, _FC, _FLW, _FS, _Fi, _MR, _Ma],
    [0, 0, 1, 1, [() => FilterList, 0], 1, 0], 1
];
var DescribeDBLogFilesResponse$ = [3, n0, _DDBLFR,
    0,
    [_DDBLF, _Ma],
    [[() => DescribeDBLogFilesList, 0], 0]
];
var DescribeDBMajorEngineVersionsRequest$ = [3, n0, _DDBMEVR,
    0,
    [_E, _MEV, _Ma, _MR],
    [0, 0, 0, 1]
];
var DescribeDBMajorEngineVersionsResponse$ = [3, n0, _DDBMEVRe,
    0,
    [_DBMEVa, _Ma],
    [[() => DBMajorEngineVersionsList, 0], 0]
];
var DescribeDBParameterGroupsMessage$ = [3, n0, _DDBPGMe,
    0,
    [_DBPGN, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeDBParametersMessage$ = [3, n0, _DDBPM,
    0,
    [_DBPGN, _S, _Fi, _MR, _Ma],
    [0, 0, [() => FilterList, 0], 1, 0], 1
];
var DescribeDBProxiesRequest$ = [3, n0, _DDBPRes,
    0,
    [_DBPN, _Fi, _Ma, _MR],
    [0, [() => FilterList, 0], 0, 1]
];
var DescribeDBProxiesResponse$ = [3, n0, _DDBPResc,
    0,
    [_DBPr, _Ma],
    [() => DBProxyList, 0]
];
var DescribeDBProxyEndpointsRequest$ = [3, n0, _DDBPERes,
    0,
    [_DBPN, _DBPEN, _Fi, _Ma, _MR],
    [0, 0, [() => FilterList, 0], 0, 1]
];
var DescribeDBProxyEndpointsResponse$ = [3, n0, _DDBPEResc,
    0,
    [_DBPEr, _Ma],
    [() => DBProxyEndpointList, 0]
];
var DescribeDBProxyTargetGroupsRequest$ = [3, n0, _DDBPTGR,
    0,
    [_DBPN, _TGN, _Fi, _Ma, _MR],
    [0, 0, [() => FilterList, 0], 0, 1], 1
];
var DescribeDBProxyTargetGroupsResponse$ = [3, n0, _DDBPTGRe,
    0,
    [_TG, _Ma],
    [[() => TargetGroupList, 0], 0]
];
var DescribeDBProxyTargetsRequest$ = [3, n0, _DDBPTRes,
    0,
    [_DBPN, _TGN, _Fi, _Ma, _MR],
    [0, 0, [() => FilterList, 0], 0, 1], 1
];
var DescribeDBProxyTargetsResponse$ = [3, n0, _DDBPTResc,
    0,
    [_Tar, _Ma],
    [() => TargetList, 0]
];
var DescribeDBRecommendationsMessage$ = [3, n0, _DDBRM,
    0,
    [_LUA, _LUB, _Lo, _Fi, _MR, _Ma],
    [4, 4, 0, [() => FilterList, 0], 1, 0]
];
var DescribeDBSecurityGroupsMessage$ = [3, n0, _DDBSGMes,
    0,
    [_DBSGN, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeDBShardGroupsMessage$ = [3, n0, _DDBSGMesc,
    0,
    [_DBSGI, _Fi, _Ma, _MR],
    [0, [() => FilterList, 0], 0, 1]
];
var DescribeDBShardGroupsResponse$ = [3, n0, _DDBSGR,
    0,
    [_DBSGha, _Ma],
    [[() => DBShardGroupsList, 0], 0]
];
var DescribeDBSnapshotAttributesMessage$ = [3, n0, _DDBSAM,
    0,
    [_DBSIn],
    [0], 1
];
var DescribeDBSnapshotAttributesResult$ = [3, n0, _DDBSAR,
    0,
    [_DBSAR],
    [[() => DBSnapshotAttributesResult$, 0]]
];
var DescribeDBSnapshotsMessage$ = [3, n0, _DDBSMe,
    0,
    [_DBII, _DBSIn, _STna, _Fi, _MR, _Ma, _ISn, _IP, _DRI],
    [0, 0, 0, [() => FilterList, 0], 1, 0, 2, 2, 0]
];
var DescribeDBSnapshotTenantDatabasesMessage$ = [3, n0, _DDBSTDM,
    0,
    [_DBII, _DBSIn, _STna, _Fi, _MR, _Ma, _DRI],
    [0, 0, 0, [() => FilterList, 0], 1, 0, 0]
];
var DescribeDBSubnetGroupsMessage$ = [3, n0, _DDBSGMescr,
    0,
    [_DBSGNu, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeEngineDefaultClusterParametersMessage$ = [3, n0, _DEDCPM,
    0,
    [_DBPGF, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0], 1
];
var DescribeEngineDefaultClusterParametersResult$ = [3, n0, _DEDCPR,
    0,
    [_EDn],
    [[() => EngineDefaults$, 0]]
];
var DescribeEngineDefaultParametersMessage$ = [3, n0, _DEDPM,
    0,
    [_DBPGF, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0], 1
];
var DescribeEngineDefaultParametersResult$ = [3, n0, _DEDPR,
    0,
    [_EDn],
    [[() => EngineDefaults$, 0]]
];
var DescribeEventCategoriesMessage$ = [3, n0, _DECM,
    0,
    [_STo, _Fi],
    [0, [() => FilterList, 0]]
];
var DescribeEventsMessage$ = [3, n0, _DEM,
    0,
    [_SI, _STo, _STtar, _ETn, _Du, _EC, _Fi, _MR, _Ma],
    [0, 0, 4, 4, 1, [() => EventCategoriesList, 0], [() => FilterList, 0], 1, 0]
];
var DescribeEventSubscriptionsMessage$ = [3, n0, _DESMe,
    0,
    [_SN, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeExportTasksMessage$ = [3, n0, _DETM,
    0,
    [_ETI, _SA, _Fi, _Ma, _MR, _STo],
    [0, 0, [() => FilterList, 0], 0, 1, 0]
];
var DescribeGlobalClustersMessage$ = [3, n0, _DGCMe,
    0,
    [_GCI, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeIntegrationsMessage$ = [3, n0, _DIMes,
    0,
    [_IIn, _Fi, _MR, _Ma],
    [0, [() => FilterList, 0], 1, 0]
];
var DescribeIntegrationsResponse$ = [3, n0, _DIR,
    0,
    [_Ma, _In],
    [0, [() => IntegrationList, 0]]
];
var DescribeOptionGroupOptionsMessage$ = [3, n0, _DOGOM,
    0,
    [_EN, _MEV, _Fi, _MR, _Ma],
    [0, 0, [() => FilterList, 0], 1, 0], 1
];
var DescribeOptionGroupsMessage$ = [3, n0, _DOGMe,
    0,
    [_OGN, _Fi, _Ma, _MR, _EN, _MEV],
    [0, [() => FilterList, 0], 0, 1, 0, 0]
];
var DescribeOrderableDBInstanceOptionsMessage$ = [3, n0, _DODBIOM,
    0,
    [_E, _EV, _DBIC, _LM, _AZG, _Vp, _Fi, _MR, _Ma],
    [0, 0, 0, 0, 0, 2, [() => FilterList, 0], 1, 0], 1
];
var DescribePendingMaintenanceActionsMessage$ = [3, n0, _DPMAM,
    0,
    [_RI, _Fi, _Ma, _MR],
    [0, [() => FilterList, 0], 0, 1]
];
var DescribeReservedDBInstancesMessage$ = [3, n0, _DRDBIM,
    0,
    [_RDBII, _RDBIOI, _DBIC, _Du, _PD, _OT, _MAZ, _LI, _Fi, _MR, _Ma],
    [0, 0, 0, 0, 0, 0, 2, 0, [() => FilterList, 0], 1, 0]
];
var DescribeReservedDBInstancesOfferingsMessage$ = [3, n0, _DRDBIOM,
    0,
    [_RDBIOI, _DBIC, _Du, _PD, _OT, _MAZ, _Fi, _MR, _Ma],
    [0, 0, 0, 0, 0, 2, [() => FilterList, 0], 1, 0]
];
var DescribeServerlessV2PlatformVersionsMessage$ = [3, n0, _DSVPVM,
    0,
    [_SVPV, _E, _Fi, _DOe, _IA, _MR, _Ma],
    [0, 0, [() => FilterList, 0], 2, 2, 1, 0]
];
var DescribeSourceRegionsMessage$ = [3, n0, _DSRM,
    0,
    [_RNe, _MR, _Ma, _Fi],
    [0, 1, 0, [() => FilterList, 0]]
];
var DescribeTenantDatabasesMessage$ = [3, n0, _DTDMe,
    0,
    [_DBII, _TDBN, _Fi, _Ma, _MR],
    [0, 0, [() => FilterList, 0], 0, 1]
];
var DescribeValidDBInstanceModificationsMessage$ = [3, n0, _DVDBIMM,
    0,
    [_DBII],
    [0], 1
];
var DescribeValidDBInstanceModificationsResult$ = [3, n0, _DVDBIMR,
    0,
    [_VDBIMM],
    [[() => ValidDBInstanceModificationsMessage$, 0]]
];
var DisableHttpEndpointRequest$ = [3, n0, _DHER,
    0,
    [_RAe],
    [0], 1
];
var DisableHttpEndpointResponse$ = [3, n0, _DHERi,
    0,
    [_RAe, _HEE],
    [0, 2]
];
var DocLink$ = [3, n0, _DLo,
    0,
    [_Te, _Ur],
    [0, 0]
];
var DomainMembership$ = [3, n0, _DMo,
    0,
    [_Do, _St, _FQDN, _IAMRN, _OU, _ASA, _DI],
    [0, 0, 0, 0, 0, 0, 64 | 0]
];
var DoubleRange$ = [3, n0, _DR,
    0,
    [_Fr, _To],
    [1, 1]
];
var DownloadDBLogFilePortionDetails$ = [3, n0, _DDBLFPD,
    0,
    [_LFD, _Ma, _ADP],
    [[() => SensitiveString, 0], 0, 2]
];
var DownloadDBLogFilePortionMessage$ = [3, n0, _DDBLFPM,
    0,
    [_DBII, _LFN, _Ma, _NOL],
    [0, 0, 0, 1], 2
];
var EC2SecurityGroup$ = [3, n0, _ECSGe,
    0,
    [_St, _ECSGN, _ECSGI, _ECSGOI],
    [0, 0, 0, 0]
];
var EnableHttpEndpointRequest$ = [3, n0, _EHER,
    0,
    [_RAe],
    [0], 1
];
var EnableHttpEndpointResponse$ = [3, n0, _EHERn,
    0,
    [_RAe, _HEE],
    [0, 2]
];
var Endpoint$ = [3, n0, _End,
    0,
    [_Ad, _P, _HZI],
    [0, 1, 0]
];
var EngineDefaults$ = [3, n0, _EDn,
    0,
    [_DBPGF, _Ma, _Pa],
    [0, 0, [() => ParametersList, 0]]
];
var Event$ = [3, n0, _Ev,
    0,
    [_SI, _STo, _Me, _EC, _Da, _SA],
    [0, 0, 0, [() => EventCategoriesList, 0], 4, 0]
];
var EventCategoriesMap$ = [3, n0, _ECM,
    0,
    [_STo, _EC],
    [0, [() => EventCategoriesList, 0]]
];
var EventCategoriesMessage$ = [3, n0, _ECMv,
    0,
    [_ECML],
    [[() => EventCategoriesMapList, 0]]
];
var EventsMessage$ = [3, n0, _EMv,
    0,
    [_Ma, _Eve],
    [0, [() => EventList, 0]]
];
var EventSubscription$ = [3, n0, _ES,
    0,
    [_CAIu, _CSI, _STA, _St, _SCTu, _STo, _SIL, _ECL, _En, _ESA],
    [0, 0, 0, 0, 0, 0, [() => SourceIdsList, 0], [() => EventCategoriesList, 0], 2, 0]
];
var EventSubscriptionsMessage$ = [3, n0, _ESM,
    0,
    [_Ma, _ESL],
    [0, [() => EventSubscriptionsList, 0]]
];
var ExportTask$ = [3, n0, _ETx,
    0,
    [_ETI, _SA, _EO, _STnap, _TSTas, _TET, _SBu, _SP, _IRA, _KKI, _St, _PP, _TEDIGB, _FCa, _WM, _STo],
    [0, 0, 64 | 0, 4, 4, 4, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0]
];
var ExportTasksMessage$ = [3, n0, _ETM,
    0,
    [_Ma, _ETxp],
    [0, [() => ExportTasksList, 0]]
];
var FailoverDBClusterMessage$ = [3, n0, _FDBCM,
    0,
    [_DBCI, _TDBII],
    [0, 0], 1
];
var FailoverDBClusterResult$ = [3, n0, _FDBCR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var FailoverGlobalClusterMessage$ = [3, n0, _FGCM,
    0,
    [_GCI, _TDCI, _ADL, _Sw],
    [0, 0, 2, 2], 2
];
var FailoverGlobalClusterResult$ = [3, n0, _FGCR,
    0,
    [_GC],
    [[() => GlobalCluster$, 0]]
];
var FailoverState$ = [3, n0, _FSa,
    0,
    [_St, _FDCA, _TDCA, _IDLA],
    [0, 0, 0, 2]
];
var Filter$ = [3, n0, _Fil,
    0,
    [_N, _Va],
    [0, [() => FilterValueList, 0]], 2
];
var GlobalCluster$ = [3, n0, _GC,
    0,
    [_GCI, _GCRI, _GCA, _St, _E, _EV, _ELS, _DN, _SE, _SET, _DP, _GCM, _End, _FSa, _TL],
    [0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, [() => GlobalClusterMemberList, 0], 0, () => FailoverState$, [() => TagList, 0]]
];
var GlobalClusterMember$ = [3, n0, _GCMl,
    0,
    [_DBCA, _Read, _IW, _GWFS, _SSy],
    [0, 64 | 0, 2, 0, 0]
];
var GlobalClustersMessage$ = [3, n0, _GCMlo,
    0,
    [_Ma, _GCl],
    [0, [() => GlobalClusterList, 0]]
];
var Integration$ = [3, n0, _Int,
    0,
    [_SA, _TA, _IN, _IAn, _KMSKI, _AEC, _St, _T, _DFa, _D, _CT, _Er],
    [0, 0, 0, 0, 0, 128 | 0, 0, [() => TagList, 0], 0, 0, 4, [() => IntegrationErrorList, 0]]
];
var IntegrationError$ = [3, n0, _IE,
    0,
    [_ECr, _EMr],
    [0, 0], 1
];
var IPRange$ = [3, n0, _IPRa,
    0,
    [_St, _CIDRIP],
    [0, 0]
];
var IssueDetails$ = [3, n0, _IDs,
    0,
    [_PID],
    [() => PerformanceIssueDetails$]
];
var LimitlessDatabase$ = [3, n0, _LD,
    0,
    [_St, _MRACU],
    [0, 1]
];
var ListTagsForResourceMessage$ = [3, n0, _LTFRM,
    0,
    [_RN, _Fi],
    [0, [() => FilterList, 0]], 1
];
var MasterUserSecret$ = [3, n0, _MUS,
    0,
    [_SAe, _SSe, _KKI],
    [0, 0, 0]
];
var Metric$ = [3, n0, _Met,
    0,
    [_N, _Ref, _SDtat, _MQ],
    [0, () => MetricReferenceList, 0, () => MetricQuery$]
];
var MetricQuery$ = [3, n0, _MQ,
    0,
    [_PIMQ],
    [() => PerformanceInsightsMetricQuery$]
];
var MetricReference$ = [3, n0, _MRe,
    0,
    [_N, _RD],
    [0, () => ReferenceDetails$]
];
var MinimumEngineVersionPerAllowedValue$ = [3, n0, _MEVPAV,
    0,
    [_AVl, _MEVi],
    [0, 0]
];
var ModifyActivityStreamRequest$ = [3, n0, _MASR,
    0,
    [_RAe, _APS],
    [0, 0]
];
var ModifyActivityStreamResponse$ = [3, n0, _MASRo,
    0,
    [_KKI, _KSN, _St, _Mo, _ENAFI, _PS],
    [0, 0, 0, 0, 2, 0]
];
var ModifyAdditionalStorageVolume$ = [3, n0, _MASV,
    0,
    [_VN, _AS, _IOPS, _MAS, _ST, _STt, _SFD],
    [0, 1, 1, 1, 1, 0, 2], 1
];
var ModifyCertificatesMessage$ = [3, n0, _MCM,
    0,
    [_CI, _RCO],
    [0, 2]
];
var ModifyCertificatesResult$ = [3, n0, _MCR,
    0,
    [_C],
    [() => Certificate$]
];
var ModifyCurrentDBClusterCapacityMessage$ = [3, n0, _MCDBCCM,
    0,
    [_DBCI, _Ca, _SBT, _TAi],
    [0, 1, 1, 0], 1
];
var ModifyCustomDBEngineVersionMessage$ = [3, n0, _MCDBEVM,
    0,
    [_E, _EV, _D, _St],
    [0, 0, 0, 0], 2
];
var ModifyDBCapacityReservationRequest$ = [3, n0, _MDBCRR,
    0,
    [_DBCRI, _CPAZ, _EDT, _ED],
    [0, 1, 0, 4], 1
];
var ModifyDBCapacityReservationResponse$ = [3, n0, _MDBCRRo,
    0,
    [_DBCR],
    [[() => DBCapacityReservation$, 0]]
];
var ModifyDBClusterEndpointMessage$ = [3, n0, _MDBCEM,
    0,
    [_DBCEI, _ET, _SM, _EM],
    [0, 0, 64 | 0, 64 | 0], 1
];
var ModifyDBClusterMessage$ = [3, n0, _MDBCM,
    0,
    [_DBCI, _NDBCI, _AIp, _BRP, _DBCPGN, _VSGI, _P, _MUP, _OGN, _PBW, _PMW, _EIAMDA, _BW, _CLEC, _EV, _AMVUl, _DBIPGN, _Do, _DIAMRN, _SC, _DP, _EHE, _CTTS, _EGWF, _DBCIC, _AS, _STt, _I, _AMVU, _NT, _SVSC, _MIo, _MRA, _DIM, _EPI, _PIKMSKI, _PIRP, _MMUP, _RMUP, _ELWF, _MUSKKI, _EMn, _AEMC, _ABRPA, _ELD, _CACI, _MUAT, _ELS],
    [0, 0, 2, 1, 0, [() => VpcSecurityGroupIdList, 0], 1, [() => SensitiveString, 0], 0, 0, 0, 2, 1, () => CloudwatchLogsExportConfiguration$, 0, 2, 0, 0, 0, () => ScalingConfiguration$, 2, 2, 2, 2, 0, 1, 0, 1, 2, 0, () => ServerlessV2ScalingConfiguration$, 1, 0, 0, 2, 0, 1, 2, 2, 2, 0, 0, 2, 0, 2, 0, 0, 0], 1
];
var ModifyDBClusterParameterGroupMessage$ = [3, n0, _MDBCPGM,
    0,
    [_DBCPGN, _Pa],
    [0, [() => ParametersList, 0]], 2
];
var ModifyDBClusterResult$ = [3, n0, _MDBCR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var ModifyDBClusterSnapshotAttributeMessage$ = [3, n0, _MDBCSAM,
    0,
    [_DBCSI, _AN, _VTA, _VTR],
    [0, 0, [() => AttributeValueList, 0], [() => AttributeValueList, 0]], 2
];
var ModifyDBClusterSnapshotAttributeResult$ = [3, n0, _MDBCSAR,
    0,
    [_DBCSAR],
    [[() => DBClusterSnapshotAttributesResult$, 0]]
];
var ModifyDBInstanceMessage$ = [3, n0, _MDBIM,
    0,
    [_DBII, _AS, _DBIC, _DBSGNu, _DBSGe, _VSGI, _AIp, _MUP, _DBPGN, _BRP, _PBW, _PMW, _MAZ, _EV, _AMVUl, _AMVU, _LM, _I, _ST, _OGN, _NDBII, _STt, _TCA, _TCP, _CACI, _Do, _DF, _DO, _DASA, _DDI, _DD, _CTTS, _MIo, _DBPNo, _PA, _MRA, _DIAMRN, _PT, _EIAMDA, _DIM, _EPI, _PIKMSKI, _PIRP, _CLEC, _PF, _UDPF, _DP, _MAS, _CRR, _RM, _AM, _RFAMM, _ECOI, _NT, _ABRPA, _MMUP, _RMUP, _MUSKKI, _MT, _DLV, _E, _ASVd, _DBCRI, _TS, _MUAT, _ELS],
    [0, 1, 0, 0, [() => DBSecurityGroupNameList, 0], [() => VpcSecurityGroupIdList, 0], 2, [() => SensitiveString, 0], 0, 1, 0, 0, 2, 0, 2, 2, 0, 1, 1, 0, 0, 0, 0, [() => SensitiveString, 0], 0, 0, 0, 0, 0, 64 | 0, 2, 2, 1, 1, 2, 0, 0, 1, 2, 0, 2, 0, 1, () => CloudwatchLogsExportConfiguration$, [() => ProcessorFeatureList, 0], 2, 2, 1, 2, 0, 0, 1, 2, 0, 0, 2, 2, 0, 2, 2, 0, () => ModifyAdditionalStorageVolumesList, 0, [() => TagSpecificationList, 0], 0, 0], 1
];
var ModifyDBInstanceResult$ = [3, n0, _MDBIR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var ModifyDBParameterGroupMessage$ = [3, n0, _MDBPGM,
    0,
    [_DBPGN, _Pa],
    [0, [() => ParametersList, 0]], 2
];
var ModifyDBProxyEndpointRequest$ = [3, n0, _MDBPER,
    0,
    [_DBPEN, _NDBPEN, _VSGI],
    [0, 0, 64 | 0], 1
];
var ModifyDBProxyEndpointResponse$ = [3, n0, _MDBPERo,
    0,
    [_DBPE],
    [() => DBProxyEndpoint$]
];
var ModifyDBProxyRequest$ = [3, n0, _MDBPR,
    0,
    [_DBPN, _NDBPN, _DAS, _A, _RTLS, _ICT, _DL, _RA, _SG],
    [0, 0, 0, () => UserAuthConfigList, 2, 1, 2, 0, 64 | 0], 1
];
var ModifyDBProxyResponse$ = [3, n0, _MDBPRo,
    0,
    [_DBP],
    [() => DBProxy$]
];
var ModifyDBProxyTargetGroupRequest$ = [3, n0, _MDBPTGR,
    0,
    [_TGN, _DBPN, _CPCo, _NN],
    [0, 0, [() => ConnectionPoolConfiguration$, 0], 0], 2
];
var ModifyDBProxyTargetGroupResponse$ = [3, n0, _MDBPTGRo,
    0,
    [_DBPTG],
    [[() => DBProxyTargetGroup$, 0]]
];
var ModifyDBRecommendationMessage$ = [3, n0, _MDBRM,
    0,
    [_RIe, _Lo, _St, _RAU],
    [0, 0, 0, () => RecommendedActionUpdateList], 1
];
var ModifyDBShardGroupMessage$ = [3, n0, _MDBSGM,
    0,
    [_DBSGI, _MACU, _MACUi, _CR],
    [0, 1, 1, 1], 1
];
var ModifyDBSnapshotAttributeMessage$ = [3, n0, _MDBSAM,
    0,
    [_DBSIn, _AN, _VTA, _VTR],
    [0, 0, [() => AttributeValueList, 0], [() => AttributeValueList, 0]], 2
];
var ModifyDBSnapshotAttributeResult$ = [3, n0, _MDBSAR,
    0,
    [_DBSAR],
    [[() => DBSnapshotAttributesResult$, 0]]
];
var ModifyDBSnapshotMessage$ = [3, n0, _MDBSM,
    0,
    [_DBSIn, _EV, _OGN],
    [0, 0, 0], 1
];
var ModifyDBSnapshotResult$ = [3, n0, _MDBSR,
    0,
    [_DBS],
    [[() => DBSnapshot$, 0]]
];
var ModifyDBSubnetGroupMessage$ = [3, n0, _MDBSGMo,
    0,
    [_DBSGNu, _SIub, _DBSGDu],
    [0, [() => SubnetIdentifierList, 0], 0], 2
];
var ModifyDBSubnetGroupResult$ = [3, n0, _MDBSGR,
    0,
    [_DBSGu],
    [[() => DBSubnetGroup$, 0]]
];
var ModifyEventSubscriptionMessage$ = [3, n0, _MESM,
    0,
    [_SN, _STA, _STo, _EC, _En],
    [0, 0, 0, [() => EventCategoriesList, 0], 2], 1
];
var ModifyEventSubscriptionResult$ = [3, n0, _MESR,
    0,
    [_ES],
    [[() => EventSubscription$, 0]]
];
var ModifyGlobalClusterMessage$ = [3, n0, _MGCM,
    0,
    [_GCI, _NGCI, _DP, _EV, _AMVUl],
    [0, 0, 2, 0, 2], 1
];
var ModifyGlobalClusterResult$ = [3, n0, _MGCR,
    0,
    [_GC],
    [[() => GlobalCluster$, 0]]
];
var ModifyIntegrationMessage$ = [3, n0, _MIM,
    0,
    [_IIn, _IN, _DFa, _D],
    [0, 0, 0, 0], 1
];
var ModifyOptionGroupMessage$ = [3, n0, _MOGM,
    0,
    [_OGN, _OTI, _OTR, _AIp],
    [0, [() => OptionConfigurationList, 0], 64 | 0, 2], 1
];
var ModifyOptionGroupResult$ = [3, n0, _MOGR,
    0,
    [_OG],
    [[() => OptionGroup$, 0]]
];
var ModifyTenantDatabaseMessage$ = [3, n0, _MTDM,
    0,
    [_DBII, _TDBN, _MUP, _NTDBN, _MMUP, _RMUP, _MUSKKI],
    [0, 0, [() => SensitiveString, 0], 0, 2, 2, 0], 2
];
var ModifyTenantDatabaseResult$ = [3, n0, _MTDR,
    0,
    [_TD],
    [[() => TenantDatabase$, 0]]
];
var Option$ = [3, n0, _O,
    0,
    [_ON, _OD, _Pe, _Per, _P, _OV, _OS, _DBSGMec, _VSGM],
    [0, 0, 2, 2, 1, 0, [() => OptionSettingConfigurationList, 0], [() => DBSecurityGroupMembershipList, 0], [() => VpcSecurityGroupMembershipList, 0]]
];
var OptionConfiguration$ = [3, n0, _OC,
    0,
    [_ON, _P, _OV, _DBSGMec, _VSGM, _OS],
    [0, 1, 0, [() => DBSecurityGroupNameList, 0], [() => VpcSecurityGroupIdList, 0], [() => OptionSettingsList, 0]], 1
];
var OptionGroup$ = [3, n0, _OG,
    0,
    [_OGN, _OGD, _EN, _MEV, _Op, _AVANVIM, _VI, _OGA, _SOG, _SAI, _CTop, _SR],
    [0, 0, 0, 0, [() => OptionsList, 0], 2, 0, 0, 0, 0, 4, 0]
];
var OptionGroupMembership$ = [3, n0, _OGMp,
    0,
    [_OGN, _St],
    [0, 0]
];
var OptionGroupOption$ = [3, n0, _OGO,
    0,
    [_N, _D, _EN, _MEV, _MRMEV, _PR, _DPe, _ODO, _OCW, _Pe, _Per, _RAMEVU, _VO, _SOVD, _OGOS, _OGOV, _CCA, _CCR],
    [0, 0, 0, 0, 0, 2, 1, [() => OptionsDependedOn, 0], [() => OptionsConflictsWith, 0], 2, 2, 2, 2, 2, [() => OptionGroupOptionSettingsList, 0], [() => OptionGroupOptionVersionsList, 0], 2, 2]
];
var OptionGroupOptionSetting$ = [3, n0, _OGOSp,
    0,
    [_SNe, _SDe, _DV, _AT, _AV, _IM, _IR, _MEVPAV],
    [0, 0, 0, 0, 0, 2, 2, [() => MinimumEngineVersionPerAllowedValueList, 0]]
];
var OptionGroupOptionsMessage$ = [3, n0, _OGOM,
    0,
    [_OGOp, _Ma],
    [[() => OptionGroupOptionsList, 0], 0]
];
var OptionGroups$ = [3, n0, _OGp,
    0,
    [_OGL, _Ma],
    [[() => OptionGroupsList, 0], 0]
];
var OptionSetting$ = [3, n0, _OSp,
    0,
    [_N, _V, _DV, _D, _AT, _DTa, _AV, _IM, _IC],
    [0, [() => PotentiallySensitiveOptionSettingValue, 0], 0, 0, 0, 0, 0, 2, 2]
];
var OptionVersion$ = [3, n0, _OV,
    0,
    [_Ve, _ID],
    [0, 2]
];
var OrderableDBInstanceOption$ = [3, n0, _ODBIO,
    0,
    [_E, _EV, _DBIC, _LM, _AZG, _AZv, _MAZC, _RRC, _Vp, _SSE, _STt, _SIu, _SST, _SEMu, _SIAMDA, _SPI, _MSS, _MSSa, _MIPDI, _MIPDIa, _MIPG, _MIPGa, _MSTPDI, _MSTPDIa, _MSTPI, _MSTPIa, _APFv, _SEM, _SSA, _SKA, _OCu, _SASM, _SGD, _SNT, _SCu, _SDLV, _SASV, _SHE, _AASVOv],
    [0, 0, 0, 0, 0, [() => AvailabilityZoneList, 0], 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, [() => AvailableProcessorFeatureList, 0], 64 | 0, 2, 2, 2, 64 | 0, 2, 64 | 0, 2, 2, 2, 2, [() => AvailableAdditionalStorageVolumesOptionList, 0]]
];
var OrderableDBInstanceOptionsMessage$ = [3, n0, _ODBIOM,
    0,
    [_ODBIOr, _Ma],
    [[() => OrderableDBInstanceOptionsList, 0], 0]
];
var Outpost$ = [3, n0, _Ou,
    0,
    [_Ar],
    [0]
];
var Parameter$ = [3, n0, _Par,
    0,
    [_PN, _PV, _D, _S, _AT, _DTa, _AV, _IM, _MEVi, _AMp, _SEM],
    [0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 64 | 0]
];
var PendingCloudwatchLogsExports$ = [3, n0, _PCLE,
    0,
    [_LTTE, _LTTD],
    [64 | 0, 64 | 0]
];
var PendingMaintenanceAction$ = [3, n0, _PMA,
    0,
    [_Ac, _AAAD, _FAD, _OIS, _CAD, _D],
    [0, 4, 4, 0, 4, 0]
];
var PendingMaintenanceActionsMessage$ = [3, n0, _PMAM,
    0,
    [_PMAe, _Ma],
    [[() => PendingMaintenanceActions, 0], 0]
];
var PendingModifiedValues$ = [3, n0, _PMV,
    0,
    [_DBIC, _AS, _MUP, _P, _BRP, _MAZ, _EV, _LM, _I, _ST, _DBII, _STt, _CACI, _DBSGNu, _PCLE, _PF, _AM, _RFAMT, _MT, _IAMDAE, _DLV, _E, _ASVd, _DBCRI],
    [0, 1, [() => SensitiveString, 0], 1, 1, 2, 0, 0, 1, 1, 0, 0, 0, 0, () => PendingCloudwatchLogsExports$, [() => ProcessorFeatureList, 0], 0, 4, 2, 2, 2, 0, () => AdditionalStorageVolumesList, 0]
];
var PerformanceInsightsMetricDimensionGroup$ = [3, n0, _PIMDG,
    0,
    [_Di, _G, _Li],
    [64 | 0, 0, 1]
];
var PerformanceInsightsMetricQuery$ = [3, n0, _PIMQ,
    0,
    [_GB, _Met],
    [() => PerformanceInsightsMetricDimensionGroup$, 0]
];
var PerformanceIssueDetails$ = [3, n0, _PID,
    0,
    [_STtar, _ETn, _Metr, _An],
    [4, 4, () => MetricList, 0]
];
var ProcessorFeature$ = [3, n0, _PFr,
    0,
    [_N, _V],
    [0, 0]
];
var PromoteReadReplicaDBClusterMessage$ = [3, n0, _PRRDBCM,
    0,
    [_DBCI],
    [0], 1
];
var PromoteReadReplicaDBClusterResult$ = [3, n0, _PRRDBCR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var PromoteReadReplicaMessage$ = [3, n0, _PRRM,
    0,
    [_DBII, _BRP, _PBW, _TS],
    [0, 1, 0, [() => TagSpecificationList, 0]], 1
];
var PromoteReadReplicaResult$ = [3, n0, _PRRR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var PurchaseReservedDBInstancesOfferingMessage$ = [3, n0, _PRDBIOM,
    0,
    [_RDBIOI, _RDBII, _DBICn, _T],
    [0, 0, 1, [() => TagList, 0]], 1
];
var PurchaseReservedDBInstancesOfferingResult$ = [3, n0, _PRDBIOR,
    0,
    [_RDBI],
    [[() => ReservedDBInstance$, 0]]
];
var Range$ = [3, n0, _Ra,
    0,
    [_Fr, _To, _Ste],
    [1, 1, 1]
];
var RdsCustomClusterConfiguration$ = [3, n0, _RCCC,
    0,
    [_ISI, _TGMDI, _RM],
    [0, 0, 0]
];
var RebootDBClusterMessage$ = [3, n0, _RDBCM,
    0,
    [_DBCI],
    [0], 1
];
var RebootDBClusterResult$ = [3, n0, _RDBCR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var RebootDBInstanceMessage$ = [3, n0, _RDBIM,
    0,
    [_DBII, _FF],
    [0, 2], 1
];
var RebootDBInstanceResult$ = [3, n0, _RDBIR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var RebootDBShardGroupMessage$ = [3, n0, _RDBSGM,
    0,
    [_DBSGI],
    [0], 1
];
var RecommendedAction$ = [3, n0, _RAeco,
    0,
    [_AIc, _Tit, _D, _Ope, _Pa, _AMpp, _St, _IDs, _CAon],
    [0, 0, 0, 0, () => RecommendedActionParameterList, 64 | 0, 0, () => IssueDetails$, () => ContextAttributeList]
];
var RecommendedActionParameter$ = [3, n0, _RAP,
    0,
    [_K, _V],
    [0, 0]
];
var RecommendedActionUpdate$ = [3, n0, _RAUe,
    0,
    [_AIc, _St],
    [0, 0], 2
];
var RecurringCharge$ = [3, n0, _RC,
    0,
    [_RCA, _RCF],
    [1, 0]
];
var ReferenceDetails$ = [3, n0, _RD,
    0,
    [_SRD],
    [() => ScalarReferenceDetails$]
];
var RegisterDBProxyTargetsRequest$ = [3, n0, _RDBPTR,
    0,
    [_DBPN, _TGN, _DBIIn, _DBCIl],
    [0, 0, 64 | 0, 64 | 0], 1
];
var RegisterDBProxyTargetsResponse$ = [3, n0, _RDBPTRe,
    0,
    [_DBPTr],
    [() => TargetList]
];
var RemoveFromGlobalClusterMessage$ = [3, n0, _RFGCM,
    0,
    [_GCI, _DCI],
    [0, 0], 2
];
var RemoveFromGlobalClusterResult$ = [3, n0, _RFGCR,
    0,
    [_GC],
    [[() => GlobalCluster$, 0]]
];
var RemoveRoleFromDBClusterMessage$ = [3, n0, _RRFDBCM,
    0,
    [_DBCI, _RA, _FN],
    [0, 0, 0], 2
];
var RemoveRoleFromDBInstanceMessage$ = [3, n0, _RRFDBIM,
    0,
    [_DBII, _RA, _FN],
    [0, 0, 0], 3
];
var RemoveSourceIdentifierFromSubscriptionMessage$ = [3, n0, _RSIFSM,
    0,
    [_SN, _SI],
    [0, 0], 2
];
var RemoveSourceIdentifierFromSubscriptionResult$ = [3, n0, _RSIFSR,
    0,
    [_ES],
    [[() => EventSubscription$, 0]]
];
var RemoveTagsFromResourceMessage$ = [3, n0, _RTFRM,
    0,
    [_RN, _TK],
    [0, 64 | 0], 2
];
var ReservedDBInstance$ = [3, n0, _RDBI,
    0,
    [_RDBII, _RDBIOI, _DBIC, _STtar, _Du, _FP, _UP, _CCu, _DBICn, _PD, _OT, _MAZ, _Sta, _RCe, _RDBIA, _LI],
    [0, 0, 0, 4, 1, 1, 1, 0, 1, 0, 0, 2, 0, [() => RecurringChargeList, 0], 0, 0]
];
var ReservedDBInstanceMessage$ = [3, n0, _RDBIMe,
    0,
    [_Ma, _RDBIe],
    [0, [() => ReservedDBInstanceList, 0]]
];
var ReservedDBInstancesOffering$ = [3, n0, _RDBIO,
    0,
    [_RDBIOI, _DBIC, _Du, _FP, _UP, _CCu, _PD, _OT, _MAZ, _RCe],
    [0, 0, 1, 1, 1, 0, 0, 0, 2, [() => RecurringChargeList, 0]]
];
var ReservedDBInstancesOfferingMessage$ = [3, n0, _RDBIOM,
    0,
    [_Ma, _RDBIOe],
    [0, [() => ReservedDBInstancesOfferingList, 0]]
];
var ResetDBClusterParameterGroupMessage$ = [3, n0, _RDBCPGM,
    0,
    [_DBCPGN, _RAPe, _Pa],
    [0, 2, [() => ParametersList, 0]], 1
];
var ResetDBParameterGroupMessage$ = [3, n0, _RDBPGM,
    0,
    [_DBPGN, _RAPe, _Pa],
    [0, 2, [() => ParametersList, 0]], 1
];
var ResourcePendingMaintenanceActions$ = [3, n0, _RPMA,
    0,
    [_RI, _PMAD],
    [0, [() => PendingMaintenanceActionDetails, 0]]
];
var RestoreDBClusterFromS3Message$ = [3, n0, _RDBCFSM,
    0,
    [_DBCI, _E, _MU, _SEo, _SEV, _SBN, _SIRA, _AZv, _BRP, _CSN, _DN, _DBCPGN, _VSGI, _DBSGNu, _EV, _P, _MUP, _OGN, _PBW, _PMW, _T, _SE, _KKI, _EIAMDA, _SP, _BW, _ECLE, _DP, _CTTS, _Do, _DIAMRN, _STt, _NT, _SVSC, _MMUP, _MUSKKI, _ELS, _TS, _AR],
    [0, 0, 0, 0, 0, 0, 0, [() => AvailabilityZones, 0], 1, 0, 0, 0, [() => VpcSecurityGroupIdList, 0], 0, 0, 1, [() => SensitiveString, 0], 0, 0, 0, [() => TagList, 0], 2, 0, 2, 0, 1, 64 | 0, 2, 2, 0, 0, 0, 0, () => ServerlessV2ScalingConfiguration$, 2, 0, 0, [() => TagSpecificationList, 0], [() => DBClusterAssociatedRoles, 0]], 7
];
var RestoreDBClusterFromS3Result$ = [3, n0, _RDBCFSR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var RestoreDBClusterFromSnapshotMessage$ = [3, n0, _RDBCFSMe,
    0,
    [_DBCI, _SIn, _E, _AZv, _EV, _P, _DBSGNu, _DN, _OGN, _VSGI, _T, _KKI, _EIAMDA, _BW, _ECLE, _EMn, _SC, _DBCPGN, _DP, _CTTS, _Do, _DIAMRN, _DBCIC, _STt, _I, _PA, _NT, _SVSC, _RCCC, _MIo, _MRA, _EPI, _PIKMSKI, _PIRP, _BRP, _PBW, _ELS, _TS, _EVPCN, _EIAG, _AR],
    [0, 0, 0, [() => AvailabilityZones, 0], 0, 1, 0, 0, 0, [() => VpcSecurityGroupIdList, 0], [() => TagList, 0], 0, 2, 1, 64 | 0, 0, () => ScalingConfiguration$, 0, 2, 2, 0, 0, 0, 0, 1, 2, 0, () => ServerlessV2ScalingConfiguration$, () => RdsCustomClusterConfiguration$, 1, 0, 2, 0, 1, 1, 0, 0, [() => TagSpecificationList, 0], 2, 2, [() => DBClusterAssociatedRoles, 0]], 3
];
var RestoreDBClusterFromSnapshotResult$ = [3, n0, _RDBCFSRe,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var RestoreDBClusterToPointInTimeMessage$ = [3, n0, _RDBCTPITM,
    0,
    [_DBCI, _RT, _SDBCI, _RTT, _ULRT, _P, _DBSGNu, _OGN, _VSGI, _T, _KKI, _EIAMDA, _BW, _ECLE, _DBCPGN, _DP, _CTTS, _Do, _DIAMRN, _DBCIC, _STt, _PA, _I, _NT, _SDCRI, _SVSC, _SC, _EMn, _RCCC, _MIo, _MRA, _EPI, _PIKMSKI, _PIRP, _BRP, _PBW, _ELS, _TS, _EVPCN, _EIAG, _AR],
    [0, 0, 0, 4, 2, 1, 0, 0, [() => VpcSecurityGroupIdList, 0], [() => TagList, 0], 0, 2, 1, 64 | 0, 0, 2, 2, 0, 0, 0, 0, 2, 1, 0, 0, () => ServerlessV2ScalingConfiguration$, () => ScalingConfiguration$, 0, () => RdsCustomClusterConfiguration$, 1, 0, 2, 0, 1, 1, 0, 0, [() => TagSpecificationList, 0], 2, 2, [() => DBClusterAssociatedRoles, 0]], 1
];
var RestoreDBClusterToPointInTimeResult$ = [3, n0, _RDBCTPITR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var RestoreDBInstanceFromDBSnapshotMessage$ = [3, n0, _RDBIFDBSM,
    0,
    [_DBII, _DBSIn, _DBIC, _P, _AZ, _DBSGNu, _MAZ, _PA, _AMVU, _LM, _DBN, _E, _I, _ST, _OGN, _T, _STt, _TCA, _TCP, _VSGI, _Do, _DF, _DO, _DASA, _DDI, _CTTS, _DIAMRN, _EIAMDA, _ECLE, _PF, _UDPF, _DBPGN, _DP, _ECOI, _NT, _BTa, _CIIP, _AS, _DBCSI, _BRP, _PBW, _DBCRI, _DLV, _CACI, _ELS, _ASVd, _TS, _MMUP, _MUSKKI],
    [0, 0, 0, 1, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 0, [() => TagList, 0], 0, 0, [() => SensitiveString, 0], [() => VpcSecurityGroupIdList, 0], 0, 0, 0, 0, 64 | 0, 2, 0, 2, 64 | 0, [() => ProcessorFeatureList, 0], 2, 0, 2, 2, 0, 0, 0, 1, 0, 1, 0, 0, 2, 0, 0, () => AdditionalStorageVolumesList, [() => TagSpecificationList, 0], 2, 0], 1
];
var RestoreDBInstanceFromDBSnapshotResult$ = [3, n0, _RDBIFDBSR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var RestoreDBInstanceFromS3Message$ = [3, n0, _RDBIFSM,
    0,
    [_DBII, _DBIC, _E, _SEo, _SEV, _SBN, _SIRA, _DBN, _AS, _MU, _MUP, _DBSGe, _VSGI, _AZ, _DBSGNu, _PMW, _DBPGN, _BRP, _PBW, _P, _MAZ, _EV, _AMVU, _LM, _I, _ST, _OGN, _PA, _T, _STt, _SE, _KKI, _CTTS, _MIo, _MRA, _EIAMDA, _SP, _DIM, _EPI, _PIKMSKI, _PIRP, _ECLE, _PF, _UDPF, _DP, _MAS, _NT, _MMUP, _MUSKKI, _DBCRI, _DLV, _CACI, _ELS, _ASVd, _TS],
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, [() => SensitiveString, 0], [() => DBSecurityGroupNameList, 0], [() => VpcSecurityGroupIdList, 0], 0, 0, 0, 0, 1, 0, 1, 2, 0, 2, 0, 1, 1, 0, 2, [() => TagList, 0], 0, 2, 0, 2, 1, 0, 2, 0, 0, 2, 0, 1, 64 | 0, [() => ProcessorFeatureList, 0], 2, 2, 1, 0, 2, 0, 0, 2, 0, 0, () => AdditionalStorageVolumesList, [() => TagSpecificationList, 0]], 7
];
var RestoreDBInstanceFromS3Result$ = [3, n0, _RDBIFSR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var RestoreDBInstanceToPointInTimeMessage$ = [3, n0, _RDBITPITM,
    0,
    [_TDBII, _SDBII, _RTe, _ULRT, _DBIC, _P, _AZ, _DBSGNu, _MAZ, _PA, _AMVU, _LM, _DBN, _E, _I, _ST, _OGN, _CTTS, _T, _STt, _TCA, _TCP, _VSGI, _Do, _DIAMRN, _DF, _DO, _DASA, _DDI, _EIAMDA, _ECLE, _PF, _UDPF, _DBPGN, _DP, _SDRI, _MAS, _ECOI, _NT, _SDBIABA, _BTa, _CIIP, _AS, _BRP, _PBW, _DBCRI, _DLV, _CACI, _ELS, _ASVd, _TS, _MMUP, _MUSKKI],
    [0, 0, 4, 2, 0, 1, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 0, 2, [() => TagList, 0], 0, 0, [() => SensitiveString, 0], [() => VpcSecurityGroupIdList, 0], 0, 0, 0, 0, 0, 64 | 0, 2, 64 | 0, [() => ProcessorFeatureList, 0], 2, 0, 2, 0, 1, 2, 0, 0, 0, 0, 1, 1, 0, 0, 2, 0, 0, () => AdditionalStorageVolumesList, [() => TagSpecificationList, 0], 2, 0], 1
];
var RestoreDBInstanceToPointInTimeResult$ = [3, n0, _RDBITPITR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var RestoreWindow$ = [3, n0, _RW,
    0,
    [_ETa, _LT],
    [4, 4]
];
var RevokeDBSecurityGroupIngressMessage$ = [3, n0, _RDBSGIM,
    0,
    [_DBSGN, _CIDRIP, _ECSGN, _ECSGI, _ECSGOI],
    [0, 0, 0, 0, 0], 1
];
var RevokeDBSecurityGroupIngressResult$ = [3, n0, _RDBSGIR,
    0,
    [_DBSG],
    [[() => DBSecurityGroup$, 0]]
];
var ScalarReferenceDetails$ = [3, n0, _SRD,
    0,
    [_V],
    [1]
];
var ScalingConfiguration$ = [3, n0, _SC,
    0,
    [_MC, _MCa, _AP, _SUAP, _TAi, _SBT],
    [1, 1, 2, 1, 0, 1]
];
var ScalingConfigurationInfo$ = [3, n0, _SCI,
    0,
    [_MC, _MCa, _AP, _SUAP, _TAi, _SBT],
    [1, 1, 2, 1, 0, 1]
];
var ServerlessV2FeaturesSupport$ = [3, n0, _SVFS,
    0,
    [_MC, _MCa],
    [1, 1]
];
var ServerlessV2PlatformVersionInfo$ = [3, n0, _SVPVI,
    0,
    [_SVPV, _SVPVD, _E, _SVFS, _St, _ID],
    [0, 0, 0, () => ServerlessV2FeaturesSupport$, 0, 2]
];
var ServerlessV2PlatformVersionsMessage$ = [3, n0, _SVPVM,
    0,
    [_Ma, _SVPVe],
    [0, () => ServerlessV2PlatformVersionList]
];
var ServerlessV2ScalingConfiguration$ = [3, n0, _SVSC,
    0,
    [_MC, _MCa, _SUAP],
    [1, 1, 1]
];
var ServerlessV2ScalingConfigurationInfo$ = [3, n0, _SVSCI,
    0,
    [_MC, _MCa, _SUAP],
    [1, 1, 1]
];
var SourceRegion$ = [3, n0, _SR,
    0,
    [_RNe, _End, _St, _SDBIABR],
    [0, 0, 0, 2]
];
var SourceRegionMessage$ = [3, n0, _SRM,
    0,
    [_Ma, _SRo],
    [0, [() => SourceRegionList, 0]]
];
var StartActivityStreamRequest$ = [3, n0, _SASR,
    0,
    [_RAe, _Mo, _KKI, _AIp, _ENAFI],
    [0, 0, 0, 2, 2], 3
];
var StartActivityStreamResponse$ = [3, n0, _SASRt,
    0,
    [_KKI, _KSN, _St, _Mo, _ENAFI, _AIp],
    [0, 0, 0, 0, 2, 2]
];
var StartDBClusterMessage$ = [3, n0, _SDBCM,
    0,
    [_DBCI],
    [0], 1
];
var StartDBClusterResult$ = [3, n0, _SDBCR,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var StartDBInstanceAutomatedBackupsReplicationMessage$ = [3, n0, _SDBIABRM,
    0,
    [_SDBIA, _BRP, _KKI, _PSU, _T],
    [0, 1, 0, [() => SensitiveString, 0], [() => TagList, 0]], 1
];
var StartDBInstanceAutomatedBackupsReplicationResult$ = [3, n0, _SDBIABRR,
    0,
    [_DBIAB],
    [[() => DBInstanceAutomatedBackup$, 0]]
];
var StartDBInstanceMessage$ = [3, n0, _SDBIM,
    0,
    [_DBII, _DBCRI],
    [0, 0], 1
];
var StartDBInstanceResult$ = [3, n0, _SDBIR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var StartExportTaskMessage$ = [3, n0, _SETM,
    0,
    [_ETI, _SA, _SBN, _IRA, _KKI, _SP, _EO],
    [0, 0, 0, 0, 0, 0, 64 | 0], 5
];
var StopActivityStreamRequest$ = [3, n0, _SASRto,
    0,
    [_RAe, _AIp],
    [0, 2], 1
];
var StopActivityStreamResponse$ = [3, n0, _SASRtop,
    0,
    [_KKI, _KSN, _St],
    [0, 0, 0]
];
var StopDBClusterMessage$ = [3, n0, _SDBCMt,
    0,
    [_DBCI],
    [0], 1
];
var StopDBClusterResult$ = [3, n0, _SDBCRt,
    0,
    [_DBC],
    [[() => DBCluster$, 0]]
];
var StopDBInstanceAutomatedBackupsReplicationMessage$ = [3, n0, _SDBIABRMt,
    0,
    [_SDBIA],
    [0], 1
];
var StopDBInstanceAutomatedBackupsReplicationResult$ = [3, n0, _SDBIABRRt,
    0,
    [_DBIAB],
    [[() => DBInstanceAutomatedBackup$, 0]]
];
var StopDBInstanceMessage$ = [3, n0, _SDBIMt,
    0,
    [_DBII, _DBSIn, _DFDBCR],
    [0, 0, 2], 1
];
var StopDBInstanceResult$ = [3, n0, _SDBIRt,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var Subnet$ = [3, n0, _Sub,
    0,
    [_SIubn, _SAZu, _SO, _SSu],
    [0, () => AvailabilityZone$, () => Outpost$, 0]
];
var SupportedEngineLifecycle$ = [3, n0, _SELu,
    0,
    [_LSN, _LSSD, _LSED],
    [0, 4, 4], 3
];
var SwitchoverBlueGreenDeploymentRequest$ = [3, n0, _SBGDR,
    0,
    [_BGDI, _STw],
    [0, 1], 1
];
var SwitchoverBlueGreenDeploymentResponse$ = [3, n0, _SBGDRw,
    0,
    [_BGD],
    [[() => BlueGreenDeployment$, 0]]
];
var SwitchoverDetail$ = [3, n0, _SDw,
    0,
    [_SMo, _TM, _St],
    [0, 0, 0]
];
var SwitchoverGlobalClusterMessage$ = [3, n0, _SGCM,
    0,
    [_GCI, _TDCI],
    [0, 0], 2
];
var SwitchoverGlobalClusterResult$ = [3, n0, _SGCR,
    0,
    [_GC],
    [[() => GlobalCluster$, 0]]
];
var SwitchoverReadReplicaMessage$ = [3, n0, _SRRM,
    0,
    [_DBII],
    [0], 1
];
var SwitchoverReadReplicaResult$ = [3, n0, _SRRR,
    0,
    [_DBI],
    [[() => DBInstance$, 0]]
];
var Tag$ = [3, n0, _Tag,
    0,
    [_K, _V],
    [0, 0]
];
var TagListMessage$ = [3, n0, _TLM,
    0,
    [_TL],
    [[() => TagList, 0]]
];
var TagSpecification$ = [3, n0, _TSa,
    0,
    [_RTes, _T],
    [0, [() => TagList, 0]]
];
var TargetHealth$ = [3, n0, _TH,
    0,
    [_Sta, _Rea, _D],
    [0, 0, 0]
];
var TargetResourceConfiguration$ = [3, n0, _TRCa,
    0,
    [_SA, _TKKI],
    [0, 0], 1
];
var TenantDatabase$ = [3, n0, _TD,
    0,
    [_TDCT, _DBII, _TDBN, _St, _MU, _DRI, _TDRI, _TDARN, _CSN, _NCSN, _DP, _PMV, _MUS, _TL],
    [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, [() => TenantDatabasePendingModifiedValues$, 0], () => MasterUserSecret$, [() => TagList, 0]]
];
var TenantDatabasePendingModifiedValues$ = [3, n0, _TDPMV,
    0,
    [_MUP, _TDBN],
    [[() => SensitiveString, 0], 0]
];
var TenantDatabasesMessage$ = [3, n0, _TDM,
    0,
    [_Ma, _TDe],
    [0, [() => TenantDatabasesList, 0]]
];
var Timezone$ = [3, n0, _Ti,
    0,
    [_TN],
    [0]
];
var UpgradeTarget$ = [3, n0, _UTp,
    0,
    [_E, _EV, _D, _AU, _IMVU, _SEM, _SPQ, _SGD, _SB, _SLD, _SLWF, _SIup],
    [0, 0, 0, 2, 2, 64 | 0, 2, 2, 2, 2, 2, 2]
];
var UserAuthConfig$ = [3, n0, _UAC,
    0,
    [_D, _UN, _ASu, _SAe, _IAMA, _CPAT],
    [0, 0, 0, 0, 0, 0]
];
var UserAuthConfigInfo$ = [3, n0, _UACI,
    0,
    [_D, _UN, _ASu, _SAe, _IAMA, _CPAT],
    [0, 0, 0, 0, 0, 0]
];
var ValidAdditionalStorageOptions$ = [3, n0, _VASO,
    0,
    [_SASV, _Vo],
    [2, [() => ValidVolumeOptionsList, 0]]
];
var ValidDBInstanceModificationsMessage$ = [3, n0, _VDBIMM,
    0,
    [_Sto, _VPF, _SDLV, _ASd],
    [[() => ValidStorageOptionsList, 0], [() => AvailableProcessorFeatureList, 0], 2, [() => ValidAdditionalStorageOptions$, 0]]
];
var ValidStorageOptions$ = [3, n0, _VSO,
    0,
    [_STt, _SSt, _PI, _ITSR, _PST, _STTIR, _SSA],
    [0, [() => RangeList, 0], [() => RangeList, 0], [() => DoubleRangeList, 0], [() => RangeList, 0], [() => DoubleRangeList, 0], 2]
];
var ValidVolumeOptions$ = [3, n0, _VVO,
    0,
    [_VN, _Sto],
    [0, [() => ValidStorageOptionsList, 0]]
];
var VpcSecurityGroupMembership$ = [3, n0, _VSGMp,
    0,
    [_VSGIp, _St],
    [0, 0]
];
var __Unit = "unit";
var AccountQuotaList = [1, n0, _AQL,
    0, [() => AccountQuota$,
        { [_xN]: _AQc }]
];
var AdditionalStorageVolumesList = [1, n0, _ASVL,
    0, () => AdditionalStorageVolume$
];
var AdditionalStorageVolumesOutputList = [1, n0, _ASVOL,
    0, () => AdditionalStorageVolumeOutput$
];
var AttributeValueList = [1, n0, _AVL,
    0, [0,
        { [_xN]: _AVtt }]
];
var AvailabilityZoneList = [1, n0, _AZL,
    0, [() => AvailabilityZone$,
        { [_xN]: _AZ }]
];
var AvailabilityZones = [1, n0, _AZv,
    0, [0,
        { [_xN]: _AZ }]
];
var AvailableAdditionalStorageVolumesOptionList = [1, n0, _AASVOL,
    0, [() => AvailableAdditionalStorageVolumesOption$,
        { [_xN]: _AASVO }]
];
var AvailableCapacityPerAvailabilityZoneList = [1, n0, _ACPAZL,
    0, [() => AvailableCapacityPerAvailabilityZone$,
        { [_xN]: _ACPAZ }]
];
var AvailableProcessorFeatureList = [1, n0, _APFL,
    0, [() => AvailableProcessorFeature$,
        { [_xN]: _APF }]
];
var BlueGreenDeploymentList = [1, n0, _BGDL,
    0, [() => BlueGreenDeployment$,
        0]
];
var BlueGreenDeploymentTaskList = [1, n0, _BGDTL,
    0, () => BlueGreenDeploymentTask$
];
var CertificateList = [1, n0, _CL,
    0, [() => Certificate$,
        { [_xN]: _C }]
];
var ContextAttributeList = [1, n0, _CAL,
    0, () => ContextAttribute$
];
var DBCapacityReservationList = [1, n0, _DBCRL,
    0, [() => DBCapacityReservation$,
        0]
];
var DBClusterAssociatedRoles = [1, n0, _DBCARl,
    0, [() => DBClusterAssociatedRole$,
        { [_xN]: _DBCAR }]
];
var DBClusterAutomatedBackupList = [1, n0, _DBCABL,
    0, [() => DBClusterAutomatedBackup$,
        { [_xN]: _DBCAB }]
];
var DBClusterBacktrackList = [1, n0, _DBCBL,
    0, [() => DBClusterBacktrack$,
        { [_xN]: _DBCB }]
];
var DBClusterEndpointList = [1, n0, _DBCEL,
    0, [() => DBClusterEndpoint$,
        { [_xN]: _DBCEL }]
];
var DBClusterList = [1, n0, _DBCL,
    0, [() => DBCluster$,
        { [_xN]: _DBC }]
];
var DBClusterMemberList = [1, n0, _DBCML,
    0, [() => DBClusterMember$,
        { [_xN]: _DBCMl }]
];
var DBClusterOptionGroupMemberships = [1, n0, _DBCOGM,
    0, [() => DBClusterOptionGroupStatus$,
        { [_xN]: _DBCOG }]
];
var DBClusterParameterGroupList = [1, n0, _DBCPGL,
    0, [() => DBClusterParameterGroup$,
        { [_xN]: _DBCPG }]
];
var DBClusterRoles = [1, n0, _DBCRlu,
    0, [() => DBClusterRole$,
        { [_xN]: _DBCRl }]
];
var DBClusterSnapshotAttributeList = [1, n0, _DBCSAL,
    0, [() => DBClusterSnapshotAttribute$,
        { [_xN]: _DBCSAl }]
];
var DBClusterSnapshotList = [1, n0, _DBCSL,
    0, [() => DBClusterSnapshot$,
        { [_xN]: _DBCS }]
];
var DBClusterStatusInfoList = [1, n0, _DBCSIL,
    0, [() => DBClusterStatusInfo$,
        { [_xN]: _DBCSIl }]
];
var DBEngineVersionList = [1, n0, _DBEVL,
    0, [() => DBEngineVersion$,
        { [_xN]: _DBEV }]
];
var DBInstanceAutomatedBackupList = [1, n0, _DBIABL,
    0, [() => DBInstanceAutomatedBackup$,
        { [_xN]: _DBIAB }]
];
var DBInstanceAutomatedBackupsReplicationList = [1, n0, _DBIABRL,
    0, [() => DBInstanceAutomatedBackupsReplication$,
        { [_xN]: _DBIABRn }]
];
var DBInstanceList = [1, n0, _DBIL,
    0, [() => DBInstance$,
        { [_xN]: _DBI }]
];
var DBInstanceRoles = [1, n0, _DBIRn,
    0, [() => DBInstanceRole$,
        { [_xN]: _DBIR }]
];
var DBInstanceStatusInfoList = [1, n0, _DBISIL,
    0, [() => DBInstanceStatusInfo$,
        { [_xN]: _DBISI }]
];
var DBMajorEngineVersionsList = [1, n0, _DBMEVL,
    0, [() => DBMajorEngineVersion$,
        { [_xN]: _DBMEV }]
];
var DBParameterGroupList = [1, n0, _DBPGL,
    0, [() => DBParameterGroup$,
        { [_xN]: _DBPG }]
];
var DBParameterGroupStatusList = [1, n0, _DBPGSL,
    0, [() => DBParameterGroupStatus$,
        { [_xN]: _DBPG }]
];
var DBProxyEndpointList = [1, n0, _DBPEL,
    0, () => DBProxyEndpoint$
];
var DBProxyList = [1, n0, _DBPL,
    0, () => DBProxy$
];
var DBRecommendationList = [1, n0, _DBRL,
    0, () => DBRecommendation$
];
var DBSecurityGroupMembershipList = [1, n0, _DBSGML,
    0, [() => DBSecurityGroupMembership$,
        { [_xN]: _DBSG }]
];
var DBSecurityGroupNameList = [1, n0, _DBSGNL,
    0, [0,
        { [_xN]: _DBSGN }]
];
var DBSecurityGroups = [1, n0, _DBSGe,
    0, [() => DBSecurityGroup$,
        { [_xN]: _DBSG }]
];
var DBShardGroupsList = [1, n0, _DBSGL,
    0, [() => DBShardGroup$,
        { [_xN]: _DBSGh }]
];
var DBSnapshotAttributeList = [1, n0, _DBSAL,
    0, [() => DBSnapshotAttribute$,
        { [_xN]: _DBSAn }]
];
var DBSnapshotList = [1, n0, _DBSL,
    0, [() => DBSnapshot$,
        { [_xN]: _DBS }]
];
var DBSnapshotTenantDatabasesList = [1, n0, _DBSTDL,
    0, [() => DBSnapshotTenantDatabase$,
        { [_xN]: _DBSTD }]
];
var DBSubnetGroups = [1, n0, _DBSGub,
    0, [() => DBSubnetGroup$,
        { [_xN]: _DBSGu }]
];
var DescribeDBLogFilesList = [1, n0, _DDBLFL,
    0, [() => DescribeDBLogFilesDetails$,
        { [_xN]: _DDBLFD }]
];
var DocLinkList = [1, n0, _DLL,
    0, () => DocLink$
];
var DomainMembershipList = [1, n0, _DML,
    0, [() => DomainMembership$,
        { [_xN]: _DMo }]
];
var DoubleRangeList = [1, n0, _DRL,
    0, [() => DoubleRange$,
        { [_xN]: _DR }]
];
var EC2SecurityGroupList = [1, n0, _ECSGL,
    0, [() => EC2SecurityGroup$,
        { [_xN]: _ECSGe }]
];
var EventCategoriesList = [1, n0, _ECL,
    0, [0,
        { [_xN]: _ECv }]
];
var EventCategoriesMapList = [1, n0, _ECML,
    0, [() => EventCategoriesMap$,
        { [_xN]: _ECM }]
];
var EventList = [1, n0, _EL,
    0, [() => Event$,
        { [_xN]: _Ev }]
];
var EventSubscriptionsList = [1, n0, _ESL,
    0, [() => EventSubscription$,
        { [_xN]: _ES }]
];
var ExportTasksList = [1, n0, _ETL,
    0, [() => ExportTask$,
        { [_xN]: _ETx }]
];
var FilterList = [1, n0, _FL,
    0, [() => Filter$,
        { [_xN]: _Fil }]
];
var FilterValueList = [1, n0, _FVL,
    0, [0,
        { [_xN]: _V }]
];
var GlobalClusterList = [1, n0, _GCL,
    0, [() => GlobalCluster$,
        { [_xN]: _GCMl }]
];
var GlobalClusterMemberList = [1, n0, _GCML,
    0, [() => GlobalClusterMember$,
        { [_xN]: _GCMl }]
];
var IntegrationErrorList = [1, n0, _IEL,
    0, [() => IntegrationError$,
        { [_xN]: _IE }]
];
var IntegrationList = [1, n0, _IL,
    0, [() => Integration$,
        { [_xN]: _Int }]
];
var IPRangeList = [1, n0, _IPRL,
    0, [() => IPRange$,
        { [_xN]: _IPRa }]
];
var MetricList = [1, n0, _ML,
    0, () => Metric$
];
var MetricReferenceList = [1, n0, _MRL,
    0, () => MetricReference$
];
var MinimumEngineVersionPerAllowedValueList = [1, n0, _MEVPAVL,
    0, [() => MinimumEngineVersionPerAllowedValue$,
        { [_xN]: _MEVPAV }]
];
var ModifyAdditionalStorageVolumesList = [1, n0, _MASVL,
    0, () => ModifyAdditionalStorageVolume$
];
var OptionConfigurationList = [1, n0, _OCL,
    0, [() => OptionConfiguration$,
        { [_xN]: _OC }]
];
var OptionGroupMembershipList = [1, n0, _OGML,
    0, [() => OptionGroupMembership$,
        { [_xN]: _OGMp }]
];
var OptionGroupOptionSettingsList = [1, n0, _OGOSL,
    0, [() => OptionGroupOptionSetting$,
        { [_xN]: _OGOSp }]
];
var OptionGroupOptionsList = [1, n0, _OGOL,
    0, [() => OptionGroupOption$,
        { [_xN]: _OGO }]
];
var OptionGroupOptionVersionsList = [1, n0, _OGOVL,
    0, [() => OptionVersion$,
        { [_xN]: _OV }]
];
var OptionGroupsList = [1, n0, _OGL,
    0, [() => OptionGroup$,
        { [_xN]: _OG }]
];
var OptionsConflictsWith = [1, n0, _OCW,
    0, [0,
        { [_xN]: _OCN }]
];
var OptionsDependedOn = [1, n0, _ODO,
    0, [0,
        { [_xN]: _ON }]
];
var OptionSettingConfigurationList = [1, n0, _OSCL,
    0, [() => OptionSetting$,
        { [_xN]: _OSp }]
];
var OptionSettingsList = [1, n0, _OSL,
    0, [() => OptionSetting$,
        { [_xN]: _OSp }]
];
var OptionsList = [1, n0, _OL,
    0, [() => Option$,
        { [_xN]: _O }]
];
var OrderableDBInstanceOptionsList = [1, n0, _ODBIOL,
    0, [() => OrderableDBInstanceOption$,
        { [_xN]: _ODBIO }]
];
var ParametersList = [1, n0, _PL,
    0, [() => Parameter$,
        { [_xN]: _Par }]
];
var PendingMaintenanceActionDetails = [1, n0, _PMAD,
    0, [() => PendingMaintenanceAction$,
        { [_xN]: _PMA }]
];
var PendingMaintenanceActions = [1, n0, _PMAe,
    0, [() => ResourcePendingMaintenanceActions$,
        { [_xN]: _RPMA }]
];
var ProcessorFeatureList = [1, n0, _PFL,
    0, [() => ProcessorFeature$,
        { [_xN]: _PFr }]
];
var RangeList = [1, n0, _RL,
    0, [() => Range$,
        { [_xN]: _Ra }]
];
var ReadReplicaDBClusterIdentifierList = [1, n0, _RRDBCIL,
    0, [0,
        { [_xN]: _RRDBCIe }]
];
var ReadReplicaDBInstanceIdentifierList = [1, n0, _RRDBIIL,
    0, [0,
        { [_xN]: _RRDBIIe }]
];
var ReadReplicaIdentifierList = [1, n0, _RRIL,
    0, [0,
        { [_xN]: _RRIe }]
];
var RecommendedActionList = [1, n0, _RAL,
    0, () => RecommendedAction$
];
var RecommendedActionParameterList = [1, n0, _RAPL,
    0, () => RecommendedActionParameter$
];
var RecommendedActionUpdateList = [1, n0, _RAUL,
    0, () => RecommendedActionUpdate$
];
var RecurringChargeList = [1, n0, _RCL,
    0, [() => RecurringCharge$,
        { [_xN]: _RC }]
];
var ReservedDBInstanceList = [1, n0, _RDBIL,
    0, [() => ReservedDBInstance$,
        { [_xN]: _RDBI }]
];
var ReservedDBInstancesOfferingList = [1, n0, _RDBIOL,
    0, [() => ReservedDBInstancesOffering$,
        { [_xN]: _RDBIO }]
];
var ServerlessV2PlatformVersionList = [1, n0, _SVPVL,
    0, () => ServerlessV2PlatformVersionInfo$
];
var SourceIdsList = [1, n0, _SIL,
    0, [0,
        { [_xN]: _SIou }]
];
var SourceRegionList = [1, n0, _SRL,
    0, [() => SourceRegion$,
        { [_xN]: _SR }]
];
var SubnetIdentifierList = [1, n0, _SILu,
    0, [0,
        { [_xN]: _SIubn }]
];
var SubnetList = [1, n0, _SL,
    0, [() => Subnet$,
        { [_xN]: _Sub }]
];
var SupportedCharacterSetsList = [1, n0, _SCSL,
    0, [() => CharacterSet$,
        { [_xN]: _CS }]
];
var SupportedEngineLifecycleList = [1, n0, _SELL,
    0, [() => SupportedEngineLifecycle$,
        { [_xN]: _SELu }]
];
var SupportedTimezonesList = [1, n0, _STL,
    0, [() => Timezone$,
        { [_xN]: _Ti }]
];
var SwitchoverDetailList = [1, n0, _SDL,
    0, () => SwitchoverDetail$
];
var TagList = [1, n0, _TL,
    0, [() => Tag$,
        { [_xN]: _Tag }]
];
var TagSpecificationList = [1, n0, _TSL,
    0, [() => TagSpecification$,
        { [_xN]: _i }]
];
var TargetGroupList = [1, n0, _TGL,
    0, [() => DBProxyTargetGroup$,
        0]
];
var TargetList = [1, n0, _TLa,
    0, () => DBProxyTarget$
];
var TargetResourceConfigurationList = [1, n0, _TRCL,
    0, [() => TargetResourceConfiguration$,
        { [_xN]: _TRCa }]
];
var TenantDatabasesList = [1, n0, _TDL,
    0, [() => TenantDatabase$,
        { [_xN]: _TD }]
];
var UserAuthConfigInfoList = [1, n0, _UACIL,
    0, () => UserAuthConfigInfo$
];
var UserAuthConfigList = [1, n0, _UACL,
    0, () => UserAuthConfig$
];
var ValidStorageOptionsList = [1, n0, _VSOL,
    0, [() => ValidStorageOptions$,
        { [_xN]: _VSO }]
];
var ValidUpgradeTargetList = [1, n0, _VUTL,
    0, [() => UpgradeTarget$,
        { [_xN]: _UTp }]
];
var ValidVolumeOptionsList = [1, n0, _VVOL,
    0, [() => ValidVolumeOptions$,
        0]
];
var VpcSecurityGroupIdList = [1, n0, _VSGIL,
    0, [0,
        { [_xN]: _VSGIp }]
];
var VpcSecurityGroupMembershipList = [1, n0, _VSGML,
    0, [() => VpcSecurityGroupMembership$,
        { [_xN]: _VSGMp }]
];
var AddRoleToDBCluster$ = [9, n0, _ARTDBC,
    0, () => AddRoleToDBClusterMessage$, () => __Unit
];
var AddRoleToDBInstance$ = [9, n0, _ARTDBI,
    0, () => AddRoleToDBInstanceMessage$, () => __Unit
];
var AddSourceIdentifierToSubscription$ = [9, n0, _ASITS,
    0, () => AddSourceIdentifierToSubscriptionMessage$, () => AddSourceIdentifierToSubscriptionResult$
];
var AddTagsToResource$ = [9, n0, _ATTR,
    0, () => AddTagsToResourceMessage$, () => __Unit
];
var ApplyPendingMaintenanceAction$ = [9, n0, _APMA,
    0, () => ApplyPendingMaintenanceActionMessage$, () => ApplyPendingMaintenanceActionResult$
];
var AuthorizeDBSecurityGroupIngress$ = [9, n0, _ADBSGI,
    0, () => AuthorizeDBSecurityGroupIngressMessage$, () => AuthorizeDBSecurityGroupIngressResult$
];
var BacktrackDBCluster$ = [9, n0, _BDBC,
    0, () => BacktrackDBClusterMessage$, () => DBClusterBacktrack$
];
var CancelDBCapacityReservation$ = [9, n0, _CDBCRa,
    0, () => CancelDBCapacityReservationRequest$, () => CancelDBCapacityReservationResponse$
];
var CancelExportTask$ = [9, n0, _CETa,
    0, () => CancelExportTaskMessage$, () => ExportTask$
];
var CopyDBClusterParameterGroup$ = [9, n0, _CDBCPG,
    0, () => CopyDBClusterParameterGroupMessage$, () => CopyDBClusterParameterGroupResult$
];
var CopyDBClusterSnapshot$ = [9, n0, _CDBCS,
    0, () => CopyDBClusterSnapshotMessage$, () => CopyDBClusterSnapshotResult$
];
var CopyDBParameterGroup$ = [9, n0, _CDBPG,
    0, () => CopyDBParameterGroupMessage$, () => CopyDBParameterGroupResult$
];
var CopyDBSnapshot$ = [9, n0, _CDBS,
    0, () => CopyDBSnapshotMessage$, () => CopyDBSnapshotResult$
];
var CopyOptionGroup$ = [9, n0, _COG,
    0, () => CopyOptionGroupMessage$, () => CopyOptionGroupResult$
];
var CreateBlueGreenDeployment$ = [9, n0, _CBGD,
    0, () => CreateBlueGreenDeploymentRequest$, () => CreateBlueGreenDeploymentResponse$
];
var CreateCustomDBEngineVersion$ = [9, n0, _CCDBEV,
    0, () => CreateCustomDBEngineVersionMessage$, () => DBEngineVersion$
];
var CreateDBCapacityReservation$ = [9, n0, _CDBCRr,
    0, () => CreateDBCapacityReservationRequest$, () => CreateDBCapacityReservationResponse$
];
var CreateDBCluster$ = [9, n0, _CDBC,
    0, () => CreateDBClusterMessage$, () => CreateDBClusterResult$
];
var CreateDBClusterEndpoint$ = [9, n0, _CDBCE,
    0, () => CreateDBClusterEndpointMessage$, () => DBClusterEndpoint$
];
var CreateDBClusterParameterGroup$ = [9, n0, _CDBCPGr,
    0, () => CreateDBClusterParameterGroupMessage$, () => CreateDBClusterParameterGroupResult$
];
var CreateDBClusterSnapshot$ = [9, n0, _CDBCSr,
    0, () => CreateDBClusterSnapshotMessage$, () => CreateDBClusterSnapshotResult$
];
var CreateDBInstance$ = [9, n0, _CDBI,
    0, () => CreateDBInstanceMessage$, () => CreateDBInstanceResult$
];
var CreateDBInstanceReadReplica$ = [9, n0, _CDBIRR,
    0, () => CreateDBInstanceReadReplicaMessage$, () => CreateDBInstanceReadReplicaResult$
];
var CreateDBParameterGroup$ = [9, n0, _CDBPGr,
    0, () => CreateDBParameterGroupMessage$, () => CreateDBParameterGroupResult$
];
var CreateDBProxy$ = [9, n0, _CDBP,
    0, () => CreateDBProxyRequest$, () => CreateDBProxyResponse$
];
var CreateDBProxyEndpoint$ = [9, n0, _CDBPE,
    0, () => CreateDBProxyEndpointRequest$, () => CreateDBProxyEndpointResponse$
];
var CreateDBSecurityGroup$ = [9, n0, _CDBSG,
    0, () => CreateDBSecurityGroupMessage$, () => CreateDBSecurityGroupResult$
];
var CreateDBShardGroup$ = [9, n0, _CDBSGr,
    0, () => CreateDBShardGroupMessage$, () => DBShardGroup$
];
var CreateDBSnapshot$ = [9, n0, _CDBSr,
    0, () => CreateDBSnapshotMessage$, () => CreateDBSnapshotResult$
];
var CreateDBSubnetGroup$ = [9, n0, _CDBSGre,
    0, () => CreateDBSubnetGroupMessage$, () => CreateDBSubnetGroupResult$
];
var CreateEventSubscription$ = [9, n0, _CES,
    0, () => CreateEventSubscriptionMessage$, () => CreateEventSubscriptionResult$
];
var CreateGlobalCluster$ = [9, n0, _CGC,
    0, () => CreateGlobalClusterMessage$, () => CreateGlobalClusterResult$
];
var CreateIntegration$ = [9, n0, _CIr,
    0, () => CreateIntegrationMessage$, () => Integration$
];
var CreateOptionGroup$ = [9, n0, _COGr,
    0, () => CreateOptionGroupMessage$, () => CreateOptionGroupResult$
];
var CreateTenantDatabase$ = [9, n0, _CTD,
    0, () => CreateTenantDatabaseMessage$, () => CreateTenantDatabaseResult$
];
var DeleteBlueGreenDeployment$ = [9, n0, _DBGD,
    0, () => DeleteBlueGreenDeploymentRequest$, () => DeleteBlueGreenDeploymentResponse$
];
var DeleteCustomDBEngineVersion$ = [9, n0, _DCDBEV,
    0, () => DeleteCustomDBEngineVersionMessage$, () => DBEngineVersion$
];
var DeleteDBCluster$ = [9, n0, _DDBC,
    0, () => DeleteDBClusterMessage$, () => DeleteDBClusterResult$
];
var DeleteDBClusterAutomatedBackup$ = [9, n0, _DDBCAB,
    0, () => DeleteDBClusterAutomatedBackupMessage$, () => DeleteDBClusterAutomatedBackupResult$
];
var DeleteDBClusterEndpoint$ = [9, n0, _DDBCE,
    0, () => DeleteDBClusterEndpointMessage$, () => DBClusterEndpoint$
];
var DeleteDBClusterParameterGroup$ = [9, n0, _DDBCPG,
    0, () => DeleteDBClusterParameterGroupMessage$, () => __Unit
];
var DeleteDBClusterSnapshot$ = [9, n0, _DDBCS,
    0, () => DeleteDBClusterSnapshotMessage$, () => DeleteDBClusterSnapshotResult$
];
var DeleteDBInstance$ = [9, n0, _DDBI,
    0, () => DeleteDBInstanceMessage$, () => DeleteDBInstanceResult$
];
var DeleteDBInstanceAutomatedBackup$ = [9, n0, _DDBIAB,
    0, () => DeleteDBInstanceAutomatedBackupMessage$, () => DeleteDBInstanceAutomatedBackupResult$
];
var DeleteDBParameterGroup$ = [9, n0, _DDBPG,
    0, () => DeleteDBParameterGroupMessage$, () => __Unit
];
var DeleteDBProxy$ = [9, n0, _DDBP,
    0, () => DeleteDBProxyRequest$, () => DeleteDBProxyResponse$
];
var DeleteDBProxyEndpoint$ = [9, n0, _DDBPE,
    0, () => DeleteDBProxyEndpointRequest$, () => DeleteDBProxyEndpointResponse$
];
var DeleteDBSecurityGroup$ = [9, n0, _DDBSG,
    0, () => DeleteDBSecurityGroupMessage$, () => __Unit
];
var DeleteDBShardGroup$ = [9, n0, _DDBSGe,
    0, () => DeleteDBShardGroupMessage$, () => DBShardGroup$
];
var DeleteDBSnapshot$ = [9, n0, _DDBS,
    0, () => DeleteDBSnapshotMessage$, () => DeleteDBSnapshotResult$
];
var DeleteDBSubnetGroup$ = [9, n0, _DDBSGel,
    0, () => DeleteDBSubnetGroupMessage$, () => __Unit
];
var DeleteEventSubscription$ = [9, n0, _DES,
    0, () => DeleteEventSubscriptionMessage$, () => DeleteEventSubscriptionResult$
];
var DeleteGlobalCluster$ = [9, n0, _DGC,
    0, () => DeleteGlobalClusterMessage$, () => DeleteGlobalClusterResult$
];
var DeleteIntegration$ = [9, n0, _DIe,
    0, () => DeleteIntegrationMessage$, () => Integration$
];
var DeleteOptionGroup$ = [9, n0, _DOG,
    0, () => DeleteOptionGroupMessage$, () => __Unit
];
var DeleteTenantDatabase$ = [9, n0, _DTD,
    0, () => DeleteTenantDatabaseMessage$, () => DeleteTenantDatabaseResult$
];
var DeregisterDBProxyTargets$ = [9, n0, _DDBPT,
    0, () => DeregisterDBProxyTargetsRequest$, () => DeregisterDBProxyTargetsResponse$
];
var DescribeAccountAttributes$ = [9, n0, _DAA,
    0, () => DescribeAccountAttributesMessage$, () => AccountAttributesMessage$
];
var DescribeBlueGreenDeployments$ = [9, n0, _DBGDe,
    0, () => DescribeBlueGreenDeploymentsRequest$, () => DescribeBlueGreenDeploymentsResponse$
];
var DescribeCertificates$ = [9, n0, _DC,
    0, () => DescribeCertificatesMessage$, () => CertificateMessage$
];
var DescribeDBCapacityReservations$ = [9, n0, _DDBCRe,
    0, () => DescribeDBCapacityReservationsRequest$, () => DescribeDBCapacityReservationsResponse$
];
var DescribeDBClusterAutomatedBackups$ = [9, n0, _DDBCABe,
    0, () => DescribeDBClusterAutomatedBackupsMessage$, () => DBClusterAutomatedBackupMessage$
];
var DescribeDBClusterBacktracks$ = [9, n0, _DDBCB,
    0, () => DescribeDBClusterBacktracksMessage$, () => DBClusterBacktrackMessage$
];
var DescribeDBClusterEndpoints$ = [9, n0, _DDBCEe,
    0, () => DescribeDBClusterEndpointsMessage$, () => DBClusterEndpointMessage$
];
var DescribeDBClusterParameterGroups$ = [9, n0, _DDBCPGe,
    0, () => DescribeDBClusterParameterGroupsMessage$, () => DBClusterParameterGroupsMessage$
];
var DescribeDBClusterParameters$ = [9, n0, _DDBCP,
    0, () => DescribeDBClusterParametersMessage$, () => DBClusterParameterGroupDetails$
];
var DescribeDBClusters$ = [9, n0, _DDBCe,
    0, () => DescribeDBClustersMessage$, () => DBClusterMessage$
];
var DescribeDBClusterSnapshotAttributes$ = [9, n0, _DDBCSA,
    0, () => DescribeDBClusterSnapshotAttributesMessage$, () => DescribeDBClusterSnapshotAttributesResult$
];
var DescribeDBClusterSnapshots$ = [9, n0, _DDBCSe,
    0, () => DescribeDBClusterSnapshotsMessage$, () => DBClusterSnapshotMessage$
];
var DescribeDBEngineVersions$ = [9, n0, _DDBEV,
    0, () => DescribeDBEngineVersionsMessage$, () => DBEngineVersionMessage$
];
var DescribeDBInstanceAutomatedBackups$ = [9, n0, _DDBIABe,
    0, () => DescribeDBInstanceAutomatedBackupsMessage$, () => DBInstanceAutomatedBackupMessage$
];
var DescribeDBInstances$ = [9, n0, _DDBIe,
    0, () => DescribeDBInstancesMessage$, () => DBInstanceMessage$
];
var DescribeDBLogFiles$ = [9, n0, _DDBLF,
    0, () => DescribeDBLogFilesMessage$, () => DescribeDBLogFilesResponse$
];
var DescribeDBMajorEngineVersions$ = [9, n0, _DDBMEV,
    0, () => DescribeDBMajorEngineVersionsRequest$, () => DescribeDBMajorEngineVersionsResponse$
];
var DescribeDBParameterGroups$ = [9, n0, _DDBPGe,
    0, () => DescribeDBParameterGroupsMessage$, () => DBParameterGroupsMessage$
];
var DescribeDBParameters$ = [9, n0, _DDBPe,
    0, () => DescribeDBParametersMessage$, () => DBParameterGroupDetails$
];
var DescribeDBProxies$ = [9, n0, _DDBPes,
    0, () => DescribeDBProxiesRequest$, () => DescribeDBProxiesResponse$
];
var DescribeDBProxyEndpoints$ = [9, n0, _DDBPEe,
    0, () => DescribeDBProxyEndpointsRequest$, () => DescribeDBProxyEndpointsResponse$
];
var DescribeDBProxyTargetGroups$ = [9, n0, _DDBPTG,
    0, () => DescribeDBProxyTargetGroupsRequest$, () => DescribeDBProxyTargetGroupsResponse$
];
var DescribeDBProxyTargets$ = [9, n0, _DDBPTe,
    0, () => DescribeDBProxyTargetsRequest$, () => DescribeDBProxyTargetsResponse$
];
var DescribeDBRecommendations$ = [9, n0, _DDBR,
    0, () => DescribeDBRecommendationsMessage$, () => DBRecommendationsMessage$
];
var DescribeDBSecurityGroups$ = [9, n0, _DDBSGes,
    0, () => DescribeDBSecurityGroupsMessage$, () => DBSecurityGroupMessage$
];
var DescribeDBShardGroups$ = [9, n0, _DDBSGesc,
    0, () => DescribeDBShardGroupsMessage$, () => DescribeDBShardGroupsResponse$
];
var DescribeDBSnapshotAttributes$ = [9, n0, _DDBSA,
    0, () => DescribeDBSnapshotAttributesMessage$, () => DescribeDBSnapshotAttributesResult$
];
var DescribeDBSnapshots$ = [9, n0, _DDBSe,
    0, () => DescribeDBSnapshotsMessage$, () => DBSnapshotMessage$
];
var DescribeDBSnapshotTenantDatabases$ = [9, n0, _DDBSTD,
    0, () => DescribeDBSnapshotTenantDatabasesMessage$, () => DBSnapshotTenantDatabasesMessage$
];
var DescribeDBSubnetGroups$ = [9, n0, _DDBSGescr,
    0, () => DescribeDBSubnetGroupsMessage$, () => DBSubnetGroupMessage$
];
var DescribeEngineDefaultClusterParameters$ = [9, n0, _DEDCP,
    0, () => DescribeEngineDefaultClusterParametersMessage$, () => DescribeEngineDefaultClusterParametersResult$
];
var DescribeEngineDefaultParameters$ = [9, n0, _DEDP,
    0, () => DescribeEngineDefaultParametersMessage$, () => DescribeEngineDefaultParametersResult$
];
var DescribeEventCategories$ = [9, n0, _DEC,
    0, () => DescribeEventCategoriesMessage$, () => EventCategoriesMessage$
];
var DescribeEvents$ = [9, n0, _DE,
    0, () => DescribeEventsMessage$, () => EventsMessage$
];
var DescribeEventSubscriptions$ = [9, n0, _DESe,
    0, () => DescribeEventSubscriptionsMessage$, () => EventSubscriptionsMessage$
];
var DescribeExportTasks$ = [9, n0, _DET,
    0, () => DescribeExportTasksMessage$, () => ExportTasksMessage$
];
var DescribeGlobalClusters$ = [9, n0, _DGCe,
    0, () => DescribeGlobalClustersMessage$, () => GlobalClustersMessage$
];
var DescribeIntegrations$ = [9, n0, _DIes,
    0, () => DescribeIntegrationsMessage$, () => DescribeIntegrationsResponse$
];
var DescribeOptionGroupOptions$ = [9, n0, _DOGO,
    0, () => DescribeOptionGroupOptionsMessage$, () => OptionGroupOptionsMessage$
];
var DescribeOptionGroups$ = [9, n0, _DOGe,
    0, () => DescribeOptionGroupsMessage$, () => OptionGroups$
];
var DescribeOrderableDBInstanceOptions$ = [9, n0, _DODBIO,
    0, () => DescribeOrderableDBInstanceOptionsMessage$, () => OrderableDBInstanceOptionsMessage$
];
var DescribePendingMaintenanceActions$ = [9, n0, _DPMA,
    0, () => DescribePendingMaintenanceActionsMessage$, () => PendingMaintenanceActionsMessage$
];
var DescribeReservedDBInstances$ = [9, n0, _DRDBI,
    0, () => DescribeReservedDBInstancesMessage$, () => ReservedDBInstanceMessage$
];
var DescribeReservedDBInstancesOfferings$ = [9, n0, _DRDBIO,
    0, () => DescribeReservedDBInstancesOfferingsMessage$, () => ReservedDBInstancesOfferingMessage$
];
var DescribeServerlessV2PlatformVersions$ = [9, n0, _DSVPV,
    0, () => DescribeServerlessV2PlatformVersionsMessage$, () => ServerlessV2PlatformVersionsMessage$
];
var DescribeSourceRegions$ = [9, n0, _DSR,
    0, () => DescribeSourceRegionsMessage$, () => SourceRegionMessage$
];
var DescribeTenantDatabases$ = [9, n0, _DTDe,
    0, () => DescribeTenantDatabasesMessage$, () => TenantDatabasesMessage$
];
var DescribeValidDBInstanceModifications$ = [9, n0, _DVDBIM,
    0, () => DescribeValidDBInstanceModificationsMessage$, () => DescribeValidDBInstanceModificationsResult$
];
var DisableHttpEndpoint$ = [9, n0, _DHE,
    0, () => DisableHttpEndpointRequest$, () => DisableHttpEndpointResponse$
];
var DownloadDBLogFilePortion$ = [9, n0, _DDBLFP,
    0, () => DownloadDBLogFilePortionMessage$, () => DownloadDBLogFilePortionDetails$
];
var EnableHttpEndpoint$ = [9, n0, _EHE,
    0, () => EnableHttpEndpointRequest$, () => EnableHttpEndpointResponse$
];
var FailoverDBCluster$ = [9, n0, _FDBC,
    0, () => FailoverDBClusterMessage$, () => FailoverDBClusterResult$
];
var FailoverGlobalCluster$ = [9, n0, _FGC,
    0, () => FailoverGlobalClusterMessage$, () => FailoverGlobalClusterResult$
];
var ListTagsForResource$ = [9, n0, _LTFR,
    0, () => ListTagsForResourceMessage$, () => TagListMessage$
];
var ModifyActivityStream$ = [9, n0, _MASo,
    0, () => ModifyActivityStreamRequest$, () => ModifyActivityStreamResponse$
];
var ModifyCertificates$ = [9, n0, _MCo,
    0, () => ModifyCertificatesMessage$, () => ModifyCertificatesResult$
];
var ModifyCurrentDBClusterCapacity$ = [9, n0, _MCDBCC,
    0, () => ModifyCurrentDBClusterCapacityMessage$, () => DBClusterCapacityInfo$
];
var ModifyCustomDBEngineVersion$ = [9, n0, _MCDBEV,
    0, () => ModifyCustomDBEngineVersionMessage$, () => DBEngineVersion$
];
var ModifyDBCapacityReservation$ = [9, n0, _MDBCRo,
    0, () => ModifyDBCapacityReservationRequest$, () => ModifyDBCapacityReservationResponse$
];
var ModifyDBCluster$ = [9, n0, _MDBC,
    0, () => ModifyDBClusterMessage$, () => ModifyDBClusterResult$
];
var ModifyDBClusterEndpoint$ = [9, n0, _MDBCE,
    0, () => ModifyDBClusterEndpointMessage$, () => DBClusterEndpoint$
];
var ModifyDBClusterParameterGroup$ = [9, n0, _MDBCPG,
    0, () => ModifyDBClusterParameterGroupMessage$, () => DBClusterParameterGroupNameMessage$
];
var ModifyDBClusterSnapshotAttribute$ = [9, n0, _MDBCSA,
    0, () => ModifyDBClusterSnapshotAttributeMessage$, () => ModifyDBClusterSnapshotAttributeResult$
];
var ModifyDBInstance$ = [9, n0, _MDBI,
    0, () => ModifyDBInstanceMessage$, () => ModifyDBInstanceResult$
];
var ModifyDBParameterGroup$ = [9, n0, _MDBPG,
    0, () => ModifyDBParameterGroupMessage$, () => DBParameterGroupNameMessage$
];
var ModifyDBProxy$ = [9, n0, _MDBP,
    0, () => ModifyDBProxyRequest$, () => ModifyDBProxyResponse$
];
var ModifyDBProxyEndpoint$ = [9, n0, _MDBPE,
    0, () => ModifyDBProxyEndpointRequest$, () => ModifyDBProxyEndpointResponse$
];
var ModifyDBProxyTargetGroup$ = [9, n0, _MDBPTG,
    0, () => ModifyDBProxyTargetGroupRequest$, () => ModifyDBProxyTargetGroupResponse$
];
var ModifyDBRecommendation$ = [9, n0, _MDBR,
    0, () => ModifyDBRecommendationMessage$, () => DBRecommendationMessage$
];
var ModifyDBShardGroup$ = [9, n0, _MDBSG,
    0, () => ModifyDBShardGroupMessage$, () => DBShardGroup$
];
var ModifyDBSnapshot$ = [9, n0, _MDBS,
    0, () => ModifyDBSnapshotMessage$, () => ModifyDBSnapshotResult$
];
var ModifyDBSnapshotAttribute$ = [9, n0, _MDBSA,
    0, () => ModifyDBSnapshotAttributeMessage$, () => ModifyDBSnapshotAttributeResult$
];
var ModifyDBSubnetGroup$ = [9, n0, _MDBSGo,
    0, () => ModifyDBSubnetGroupMessage$, () => ModifyDBSubnetGroupResult$
];
var ModifyEventSubscription$ = [9, n0, _MES,
    0, () => ModifyEventSubscriptionMessage$, () => ModifyEventSubscriptionResult$
];
var ModifyGlobalCluster$ = [9, n0, _MGC,
    0, () => ModifyGlobalClusterMessage$, () => ModifyGlobalClusterResult$
];
var ModifyIntegration$ = [9, n0, _MIod,
    0, () => ModifyIntegrationMessage$, () => Integration$
];
var ModifyOptionGroup$ = [9, n0, _MOG,
    0, () => ModifyOptionGroupMessage$, () => ModifyOptionGroupResult$
];
var ModifyTenantDatabase$ = [9, n0, _MTD,
    0, () => ModifyTenantDatabaseMessage$, () => ModifyTenantDatabaseResult$
];
var PromoteReadReplica$ = [9, n0, _PRR,
    0, () => PromoteReadReplicaMessage$, () => PromoteReadReplicaResult$
];
var PromoteReadReplicaDBCluster$ = [9, n0, _PRRDBC,
    0, () => PromoteReadReplicaDBClusterMessage$, () => PromoteReadReplicaDBClusterResult$
];
var PurchaseReservedDBInstancesOffering$ = [9, n0, _PRDBIO,
    0, () => PurchaseReservedDBInstancesOfferingMessage$, () => PurchaseReservedDBInstancesOfferingResult$
];
var RebootDBCluster$ = [9, n0, _RDBC,
    0, () => RebootDBClusterMessage$, () => RebootDBClusterResult$
];
var RebootDBInstance$ = [9, n0, _RDBIeb,
    0, () => RebootDBInstanceMessage$, () => RebootDBInstanceResult$
];
var RebootDBShardGroup$ = [9, n0, _RDBSG,
    0, () => RebootDBShardGroupMessage$, () => DBShardGroup$
];
var RegisterDBProxyTargets$ = [9, n0, _RDBPT,
    0, () => RegisterDBProxyTargetsRequest$, () => RegisterDBProxyTargetsResponse$
];
var RemoveFromGlobalCluster$ = [9, n0, _RFGC,
    0, () => RemoveFromGlobalClusterMessage$, () => RemoveFromGlobalClusterResult$
];
var RemoveRoleFromDBCluster$ = [9, n0, _RRFDBC,
    0, () => RemoveRoleFromDBClusterMessage$, () => __Unit
];
var RemoveRoleFromDBInstance$ = [9, n0, _RRFDBI,
    0, () => RemoveRoleFromDBInstanceMessage$, () => __Unit
];
var RemoveSourceIdentifierFromSubscription$ = [9, n0, _RSIFS,
    0, () => RemoveSourceIdentifierFromSubscriptionMessage$, () => RemoveSourceIdentifierFromSubscriptionResult$
];
var RemoveTagsFromResource$ = [9, n0, _RTFR,
    0, () => RemoveTagsFromResourceMessage$, () => __Unit
];
var ResetDBClusterParameterGroup$ = [9, n0, _RDBCPG,
    0, () => ResetDBClusterParameterGroupMessage$, () => DBClusterParameterGroupNameMessage$
];
var ResetDBParameterGroup$ = [9, n0, _RDBPG,
    0, () => ResetDBParameterGroupMessage$, () => DBParameterGroupNameMessage$
];
var RestoreDBClusterFromS3$ = [9, n0, _RDBCFS,
    0, () => RestoreDBClusterFromS3Message$, () => RestoreDBClusterFromS3Result$
];
var RestoreDBClusterFromSnapshot$ = [9, n0, _RDBCFSe,
    0, () => RestoreDBClusterFromSnapshotMessage$, () => RestoreDBClusterFromSnapshotResult$
];
var RestoreDBClusterToPointInTime$ = [9, n0, _RDBCTPIT,
    0, () => RestoreDBClusterToPointInTimeMessage$, () => RestoreDBClusterToPointInTimeResult$
];
var RestoreDBInstanceFromDBSnapshot$ = [9, n0, _RDBIFDBS,
    0, () => RestoreDBInstanceFromDBSnapshotMessage$, () => RestoreDBInstanceFromDBSnapshotResult$
];
var RestoreDBInstanceFromS3$ = [9, n0, _RDBIFS,
    0, () => RestoreDBInstanceFromS3Message$, () => RestoreDBInstanceFromS3Result$
];
var RestoreDBInstanceToPointInTime$ = [9, n0, _RDBITPIT,
    0, () => RestoreDBInstanceToPointInTimeMessage$, () => RestoreDBInstanceToPointInTimeResult$
];
var RevokeDBSecurityGroupIngress$ = [9, n0, _RDBSGI,
    0, () => RevokeDBSecurityGroupIngressMessage$, () => RevokeDBSecurityGroupIngressResult$
];
var StartActivityStream$ = [9, n0, _SAS,
    0, () => StartActivityStreamRequest$, () => StartActivityStreamResponse$
];
var StartDBCluster$ = [9, n0, _SDBC,
    0, () => StartDBClusterMessage$, () => StartDBClusterResult$
];
var StartDBInstance$ = [9, n0, _SDBI,
    0, () => StartDBInstanceMessage$, () => StartDBInstanceResult$
];
var StartDBInstanceAutomatedBackupsReplication$ = [9, n0, _SDBIABRt,
    0, () => StartDBInstanceAutomatedBackupsReplicationMessage$, () => StartDBInstanceAutomatedBackupsReplicationResult$
];
var StartExportTask$ = [9, n0, _SETt,
    0, () => StartExportTaskMessage$, () => ExportTask$
];
var StopActivityStream$ = [9, n0, _SASt,
    0, () => StopActivityStreamRequest$, () => StopActivityStreamResponse$
];
var StopDBCluster$ = [9, n0, _SDBCt,
    0, () => StopDBClusterMessage$, () => StopDBClusterResult$
];
var StopDBInstance$ = [9, n0, _SDBIt,
    0, () => StopDBInstanceMessage$, () => StopDBInstanceResult$
];
var StopDBInstanceAutomatedBackupsReplication$ = [9, n0, _SDBIABRto,
    0, () => StopDBInstanceAutomatedBackupsReplicationMessage$, () => StopDBInstanceAutomatedBackupsReplicationResult$
];
var SwitchoverBlueGreenDeployment$ = [9, n0, _SBGD,
    0, () => SwitchoverBlueGreenDeploymentRequest$, () => SwitchoverBlueGreenDeploymentResponse$
];
var SwitchoverGlobalCluster$ = [9, n0, _SGC,
    0, () => SwitchoverGlobalClusterMessage$, () => SwitchoverGlobalClusterResult$
];
var SwitchoverReadReplica$ = [9, n0, _SRRw,
    0, () => SwitchoverReadReplicaMessage$, () => SwitchoverReadReplicaResult$
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2014-10-31",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultRDSHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsQueryProtocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.rds",
            errorTypeRegistries,
            xmlNamespace: "http://rds.amazonaws.com/doc/2014-10-31/",
            version: "2014-10-31",
            serviceTarget: "AmazonRDSv19",
        },
        serviceId: config?.serviceId ?? "RDS",
        sha256: config?.sha256 ?? Sha256,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        credentialDefaultProvider: config?.credentialDefaultProvider ?? defaultProvider,
        defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 900_000),
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class RDSClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultRDSHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "AmazonRDSv19", "RDSClient", getEndpointPlugin);
const _ep0 = {};
const _mw0 = (Command, cs, config, o) => [];
const _mw1 = (Command, cs, config, o) => [
    getCrossRegionPresignedUrlPlugin(config),
];

class AddRoleToDBClusterCommand extends command(_ep0, _mw0, "AddRoleToDBCluster", AddRoleToDBCluster$) {
}

class AddRoleToDBInstanceCommand extends command(_ep0, _mw0, "AddRoleToDBInstance", AddRoleToDBInstance$) {
}

class AddSourceIdentifierToSubscriptionCommand extends command(_ep0, _mw0, "AddSourceIdentifierToSubscription", AddSourceIdentifierToSubscription$) {
}

class AddTagsToResourceCommand extends command(_ep0, _mw0, "AddTagsToResource", AddTagsToResource$) {
}

class ApplyPendingMaintenanceActionCommand extends command(_ep0, _mw0, "ApplyPendingMaintenanceAction", ApplyPendingMaintenanceAction$) {
}

class AuthorizeDBSecurityGroupIngressCommand extends command(_ep0, _mw0, "AuthorizeDBSecurityGroupIngress", AuthorizeDBSecurityGroupIngress$) {
}

class BacktrackDBClusterCommand extends command(_ep0, _mw0, "BacktrackDBCluster", BacktrackDBCluster$) {
}

class CancelDBCapacityReservationCommand extends command(_ep0, _mw0, "CancelDBCapacityReservation", CancelDBCapacityReservation$) {
}

class CancelExportTaskCommand extends command(_ep0, _mw0, "CancelExportTask", CancelExportTask$) {
}

class CopyDBClusterParameterGroupCommand extends command(_ep0, _mw0, "CopyDBClusterParameterGroup", CopyDBClusterParameterGroup$) {
}

class CopyDBClusterSnapshotCommand extends command(_ep0, _mw1, "CopyDBClusterSnapshot", CopyDBClusterSnapshot$) {
}

class CopyDBParameterGroupCommand extends command(_ep0, _mw0, "CopyDBParameterGroup", CopyDBParameterGroup$) {
}

class CopyDBSnapshotCommand extends command(_ep0, _mw1, "CopyDBSnapshot", CopyDBSnapshot$) {
}

class CopyOptionGroupCommand extends command(_ep0, _mw0, "CopyOptionGroup", CopyOptionGroup$) {
}

class CreateBlueGreenDeploymentCommand extends command(_ep0, _mw0, "CreateBlueGreenDeployment", CreateBlueGreenDeployment$) {
}

class CreateCustomDBEngineVersionCommand extends command(_ep0, _mw0, "CreateCustomDBEngineVersion", CreateCustomDBEngineVersion$) {
}

class CreateDBCapacityReservationCommand extends command(_ep0, _mw0, "CreateDBCapacityReservation", CreateDBCapacityReservation$) {
}

class CreateDBClusterCommand extends command(_ep0, _mw1, "CreateDBCluster", CreateDBCluster$) {
}

class CreateDBClusterEndpointCommand extends command(_ep0, _mw0, "CreateDBClusterEndpoint", CreateDBClusterEndpoint$) {
}

class CreateDBClusterParameterGroupCommand extends command(_ep0, _mw0, "CreateDBClusterParameterGroup", CreateDBClusterParameterGroup$) {
}

class CreateDBClusterSnapshotCommand extends command(_ep0, _mw0, "CreateDBClusterSnapshot", CreateDBClusterSnapshot$) {
}

class CreateDBInstanceCommand extends command(_ep0, _mw0, "CreateDBInstance", CreateDBInstance$) {
}

class CreateDBInstanceReadReplicaCommand extends command(_ep0, _mw1, "CreateDBInstanceReadReplica", CreateDBInstanceReadReplica$) {
}

class CreateDBParameterGroupCommand extends command(_ep0, _mw0, "CreateDBParameterGroup", CreateDBParameterGroup$) {
}

class CreateDBProxyCommand extends command(_ep0, _mw0, "CreateDBProxy", CreateDBProxy$) {
}

class CreateDBProxyEndpointCommand extends command(_ep0, _mw0, "CreateDBProxyEndpoint", CreateDBProxyEndpoint$) {
}

class CreateDBSecurityGroupCommand extends command(_ep0, _mw0, "CreateDBSecurityGroup", CreateDBSecurityGroup$) {
}

class CreateDBShardGroupCommand extends command(_ep0, _mw0, "CreateDBShardGroup", CreateDBShardGroup$) {
}

class CreateDBSnapshotCommand extends command(_ep0, _mw0, "CreateDBSnapshot", CreateDBSnapshot$) {
}

class CreateDBSubnetGroupCommand extends command(_ep0, _mw0, "CreateDBSubnetGroup", CreateDBSubnetGroup$) {
}

class CreateEventSubscriptionCommand extends command(_ep0, _mw0, "CreateEventSubscription", CreateEventSubscription$) {
}

class CreateGlobalClusterCommand extends command(_ep0, _mw0, "CreateGlobalCluster", CreateGlobalCluster$) {
}

class CreateIntegrationCommand extends command(_ep0, _mw0, "CreateIntegration", CreateIntegration$) {
}

class CreateOptionGroupCommand extends command(_ep0, _mw0, "CreateOptionGroup", CreateOptionGroup$) {
}

class CreateTenantDatabaseCommand extends command(_ep0, _mw0, "CreateTenantDatabase", CreateTenantDatabase$) {
}

class DeleteBlueGreenDeploymentCommand extends command(_ep0, _mw0, "DeleteBlueGreenDeployment", DeleteBlueGreenDeployment$) {
}

class DeleteCustomDBEngineVersionCommand extends command(_ep0, _mw0, "DeleteCustomDBEngineVersion", DeleteCustomDBEngineVersion$) {
}

class DeleteDBClusterAutomatedBackupCommand extends command(_ep0, _mw0, "DeleteDBClusterAutomatedBackup", DeleteDBClusterAutomatedBackup$) {
}

class DeleteDBClusterCommand extends command(_ep0, _mw0, "DeleteDBCluster", DeleteDBCluster$) {
}

class DeleteDBClusterEndpointCommand extends command(_ep0, _mw0, "DeleteDBClusterEndpoint", DeleteDBClusterEndpoint$) {
}

class DeleteDBClusterParameterGroupCommand extends command(_ep0, _mw0, "DeleteDBClusterParameterGroup", DeleteDBClusterParameterGroup$) {
}

class DeleteDBClusterSnapshotCommand extends command(_ep0, _mw0, "DeleteDBClusterSnapshot", DeleteDBClusterSnapshot$) {
}

class DeleteDBInstanceAutomatedBackupCommand extends command(_ep0, _mw0, "DeleteDBInstanceAutomatedBackup", DeleteDBInstanceAutomatedBackup$) {
}

class DeleteDBInstanceCommand extends command(_ep0, _mw0, "DeleteDBInstance", DeleteDBInstance$) {
}

class DeleteDBParameterGroupCommand extends command(_ep0, _mw0, "DeleteDBParameterGroup", DeleteDBParameterGroup$) {
}

class DeleteDBProxyCommand extends command(_ep0, _mw0, "DeleteDBProxy", DeleteDBProxy$) {
}

class DeleteDBProxyEndpointCommand extends command(_ep0, _mw0, "DeleteDBProxyEndpoint", DeleteDBProxyEndpoint$) {
}

class DeleteDBSecurityGroupCommand extends command(_ep0, _mw0, "DeleteDBSecurityGroup", DeleteDBSecurityGroup$) {
}

class DeleteDBShardGroupCommand extends command(_ep0, _mw0, "DeleteDBShardGroup", DeleteDBShardGroup$) {
}

class DeleteDBSnapshotCommand extends command(_ep0, _mw0, "DeleteDBSnapshot", DeleteDBSnapshot$) {
}

class DeleteDBSubnetGroupCommand extends command(_ep0, _mw0, "DeleteDBSubnetGroup", DeleteDBSubnetGroup$) {
}

class DeleteEventSubscriptionCommand extends command(_ep0, _mw0, "DeleteEventSubscription", DeleteEventSubscription$) {
}

class DeleteGlobalClusterCommand extends command(_ep0, _mw0, "DeleteGlobalCluster", DeleteGlobalCluster$) {
}

class DeleteIntegrationCommand extends command(_ep0, _mw0, "DeleteIntegration", DeleteIntegration$) {
}

class DeleteOptionGroupCommand extends command(_ep0, _mw0, "DeleteOptionGroup", DeleteOptionGroup$) {
}

class DeleteTenantDatabaseCommand extends command(_ep0, _mw0, "DeleteTenantDatabase", DeleteTenantDatabase$) {
}

class DeregisterDBProxyTargetsCommand extends command(_ep0, _mw0, "DeregisterDBProxyTargets", DeregisterDBProxyTargets$) {
}

class DescribeAccountAttributesCommand extends command(_ep0, _mw0, "DescribeAccountAttributes", DescribeAccountAttributes$) {
}

class DescribeBlueGreenDeploymentsCommand extends command(_ep0, _mw0, "DescribeBlueGreenDeployments", DescribeBlueGreenDeployments$) {
}

class DescribeCertificatesCommand extends command(_ep0, _mw0, "DescribeCertificates", DescribeCertificates$) {
}

class DescribeDBCapacityReservationsCommand extends command(_ep0, _mw0, "DescribeDBCapacityReservations", DescribeDBCapacityReservations$) {
}

class DescribeDBClusterAutomatedBackupsCommand extends command(_ep0, _mw0, "DescribeDBClusterAutomatedBackups", DescribeDBClusterAutomatedBackups$) {
}

class DescribeDBClusterBacktracksCommand extends command(_ep0, _mw0, "DescribeDBClusterBacktracks", DescribeDBClusterBacktracks$) {
}

class DescribeDBClusterEndpointsCommand extends command(_ep0, _mw0, "DescribeDBClusterEndpoints", DescribeDBClusterEndpoints$) {
}

class DescribeDBClusterParameterGroupsCommand extends command(_ep0, _mw0, "DescribeDBClusterParameterGroups", DescribeDBClusterParameterGroups$) {
}

class DescribeDBClusterParametersCommand extends command(_ep0, _mw0, "DescribeDBClusterParameters", DescribeDBClusterParameters$) {
}

class DescribeDBClustersCommand extends command(_ep0, _mw0, "DescribeDBClusters", DescribeDBClusters$) {
}

class DescribeDBClusterSnapshotAttributesCommand extends command(_ep0, _mw0, "DescribeDBClusterSnapshotAttributes", DescribeDBClusterSnapshotAttributes$) {
}

class DescribeDBClusterSnapshotsCommand extends command(_ep0, _mw0, "DescribeDBClusterSnapshots", DescribeDBClusterSnapshots$) {
}

class DescribeDBEngineVersionsCommand extends command(_ep0, _mw0, "DescribeDBEngineVersions", DescribeDBEngineVersions$) {
}

class DescribeDBInstanceAutomatedBackupsCommand extends command(_ep0, _mw0, "DescribeDBInstanceAutomatedBackups", DescribeDBInstanceAutomatedBackups$) {
}

class DescribeDBInstancesCommand extends command(_ep0, _mw0, "DescribeDBInstances", DescribeDBInstances$) {
}

class DescribeDBLogFilesCommand extends command(_ep0, _mw0, "DescribeDBLogFiles", DescribeDBLogFiles$) {
}

class DescribeDBMajorEngineVersionsCommand extends command(_ep0, _mw0, "DescribeDBMajorEngineVersions", DescribeDBMajorEngineVersions$) {
}

class DescribeDBParameterGroupsCommand extends command(_ep0, _mw0, "DescribeDBParameterGroups", DescribeDBParameterGroups$) {
}

class DescribeDBParametersCommand extends command(_ep0, _mw0, "DescribeDBParameters", DescribeDBParameters$) {
}

class DescribeDBProxiesCommand extends command(_ep0, _mw0, "DescribeDBProxies", DescribeDBProxies$) {
}

class DescribeDBProxyEndpointsCommand extends command(_ep0, _mw0, "DescribeDBProxyEndpoints", DescribeDBProxyEndpoints$) {
}

class DescribeDBProxyTargetGroupsCommand extends command(_ep0, _mw0, "DescribeDBProxyTargetGroups", DescribeDBProxyTargetGroups$) {
}

class DescribeDBProxyTargetsCommand extends command(_ep0, _mw0, "DescribeDBProxyTargets", DescribeDBProxyTargets$) {
}

class DescribeDBRecommendationsCommand extends command(_ep0, _mw0, "DescribeDBRecommendations", DescribeDBRecommendations$) {
}

class DescribeDBSecurityGroupsCommand extends command(_ep0, _mw0, "DescribeDBSecurityGroups", DescribeDBSecurityGroups$) {
}

class DescribeDBShardGroupsCommand extends command(_ep0, _mw0, "DescribeDBShardGroups", DescribeDBShardGroups$) {
}

class DescribeDBSnapshotAttributesCommand extends command(_ep0, _mw0, "DescribeDBSnapshotAttributes", DescribeDBSnapshotAttributes$) {
}

class DescribeDBSnapshotsCommand extends command(_ep0, _mw0, "DescribeDBSnapshots", DescribeDBSnapshots$) {
}

class DescribeDBSnapshotTenantDatabasesCommand extends command(_ep0, _mw0, "DescribeDBSnapshotTenantDatabases", DescribeDBSnapshotTenantDatabases$) {
}

class DescribeDBSubnetGroupsCommand extends command(_ep0, _mw0, "DescribeDBSubnetGroups", DescribeDBSubnetGroups$) {
}

class DescribeEngineDefaultClusterParametersCommand extends command(_ep0, _mw0, "DescribeEngineDefaultClusterParameters", DescribeEngineDefaultClusterParameters$) {
}

class DescribeEngineDefaultParametersCommand extends command(_ep0, _mw0, "DescribeEngineDefaultParameters", DescribeEngineDefaultParameters$) {
}

class DescribeEventCategoriesCommand extends command(_ep0, _mw0, "DescribeEventCategories", DescribeEventCategories$) {
}

class DescribeEventsCommand extends command(_ep0, _mw0, "DescribeEvents", DescribeEvents$) {
}

class DescribeEventSubscriptionsCommand extends command(_ep0, _mw0, "DescribeEventSubscriptions", DescribeEventSubscriptions$) {
}

class DescribeExportTasksCommand extends command(_ep0, _mw0, "DescribeExportTasks", DescribeExportTasks$) {
}

class DescribeGlobalClustersCommand extends command(_ep0, _mw0, "DescribeGlobalClusters", DescribeGlobalClusters$) {
}

class DescribeIntegrationsCommand extends command(_ep0, _mw0, "DescribeIntegrations", DescribeIntegrations$) {
}

class DescribeOptionGroupOptionsCommand extends command(_ep0, _mw0, "DescribeOptionGroupOptions", DescribeOptionGroupOptions$) {
}

class DescribeOptionGroupsCommand extends command(_ep0, _mw0, "DescribeOptionGroups", DescribeOptionGroups$) {
}

class DescribeOrderableDBInstanceOptionsCommand extends command(_ep0, _mw0, "DescribeOrderableDBInstanceOptions", DescribeOrderableDBInstanceOptions$) {
}

class DescribePendingMaintenanceActionsCommand extends command(_ep0, _mw0, "DescribePendingMaintenanceActions", DescribePendingMaintenanceActions$) {
}

class DescribeReservedDBInstancesCommand extends command(_ep0, _mw0, "DescribeReservedDBInstances", DescribeReservedDBInstances$) {
}

class DescribeReservedDBInstancesOfferingsCommand extends command(_ep0, _mw0, "DescribeReservedDBInstancesOfferings", DescribeReservedDBInstancesOfferings$) {
}

class DescribeServerlessV2PlatformVersionsCommand extends command(_ep0, _mw0, "DescribeServerlessV2PlatformVersions", DescribeServerlessV2PlatformVersions$) {
}

class DescribeSourceRegionsCommand extends command(_ep0, _mw0, "DescribeSourceRegions", DescribeSourceRegions$) {
}

class DescribeTenantDatabasesCommand extends command(_ep0, _mw0, "DescribeTenantDatabases", DescribeTenantDatabases$) {
}

class DescribeValidDBInstanceModificationsCommand extends command(_ep0, _mw0, "DescribeValidDBInstanceModifications", DescribeValidDBInstanceModifications$) {
}

class DisableHttpEndpointCommand extends command(_ep0, _mw0, "DisableHttpEndpoint", DisableHttpEndpoint$) {
}

class DownloadDBLogFilePortionCommand extends command(_ep0, _mw0, "DownloadDBLogFilePortion", DownloadDBLogFilePortion$) {
}

class EnableHttpEndpointCommand extends command(_ep0, _mw0, "EnableHttpEndpoint", EnableHttpEndpoint$) {
}

class FailoverDBClusterCommand extends command(_ep0, _mw0, "FailoverDBCluster", FailoverDBCluster$) {
}

class FailoverGlobalClusterCommand extends command(_ep0, _mw0, "FailoverGlobalCluster", FailoverGlobalCluster$) {
}

class ListTagsForResourceCommand extends command(_ep0, _mw0, "ListTagsForResource", ListTagsForResource$) {
}

class ModifyActivityStreamCommand extends command(_ep0, _mw0, "ModifyActivityStream", ModifyActivityStream$) {
}

class ModifyCertificatesCommand extends command(_ep0, _mw0, "ModifyCertificates", ModifyCertificates$) {
}

class ModifyCurrentDBClusterCapacityCommand extends command(_ep0, _mw0, "ModifyCurrentDBClusterCapacity", ModifyCurrentDBClusterCapacity$) {
}

class ModifyCustomDBEngineVersionCommand extends command(_ep0, _mw0, "ModifyCustomDBEngineVersion", ModifyCustomDBEngineVersion$) {
}

class ModifyDBCapacityReservationCommand extends command(_ep0, _mw0, "ModifyDBCapacityReservation", ModifyDBCapacityReservation$) {
}

class ModifyDBClusterCommand extends command(_ep0, _mw0, "ModifyDBCluster", ModifyDBCluster$) {
}

class ModifyDBClusterEndpointCommand extends command(_ep0, _mw0, "ModifyDBClusterEndpoint", ModifyDBClusterEndpoint$) {
}

class ModifyDBClusterParameterGroupCommand extends command(_ep0, _mw0, "ModifyDBClusterParameterGroup", ModifyDBClusterParameterGroup$) {
}

class ModifyDBClusterSnapshotAttributeCommand extends command(_ep0, _mw0, "ModifyDBClusterSnapshotAttribute", ModifyDBClusterSnapshotAttribute$) {
}

class ModifyDBInstanceCommand extends command(_ep0, _mw0, "ModifyDBInstance", ModifyDBInstance$) {
}

class ModifyDBParameterGroupCommand extends command(_ep0, _mw0, "ModifyDBParameterGroup", ModifyDBParameterGroup$) {
}

class ModifyDBProxyCommand extends command(_ep0, _mw0, "ModifyDBProxy", ModifyDBProxy$) {
}

class ModifyDBProxyEndpointCommand extends command(_ep0, _mw0, "ModifyDBProxyEndpoint", ModifyDBProxyEndpoint$) {
}

class ModifyDBProxyTargetGroupCommand extends command(_ep0, _mw0, "ModifyDBProxyTargetGroup", ModifyDBProxyTargetGroup$) {
}

class ModifyDBRecommendationCommand extends command(_ep0, _mw0, "ModifyDBRecommendation", ModifyDBRecommendation$) {
}

class ModifyDBShardGroupCommand extends command(_ep0, _mw0, "ModifyDBShardGroup", ModifyDBShardGroup$) {
}

class ModifyDBSnapshotAttributeCommand extends command(_ep0, _mw0, "ModifyDBSnapshotAttribute", ModifyDBSnapshotAttribute$) {
}

class ModifyDBSnapshotCommand extends command(_ep0, _mw0, "ModifyDBSnapshot", ModifyDBSnapshot$) {
}

class ModifyDBSubnetGroupCommand extends command(_ep0, _mw0, "ModifyDBSubnetGroup", ModifyDBSubnetGroup$) {
}

class ModifyEventSubscriptionCommand extends command(_ep0, _mw0, "ModifyEventSubscription", ModifyEventSubscription$) {
}

class ModifyGlobalClusterCommand extends command(_ep0, _mw0, "ModifyGlobalCluster", ModifyGlobalCluster$) {
}

class ModifyIntegrationCommand extends command(_ep0, _mw0, "ModifyIntegration", ModifyIntegration$) {
}

class ModifyOptionGroupCommand extends command(_ep0, _mw0, "ModifyOptionGroup", ModifyOptionGroup$) {
}

class ModifyTenantDatabaseCommand extends command(_ep0, _mw0, "ModifyTenantDatabase", ModifyTenantDatabase$) {
}

class PromoteReadReplicaCommand extends command(_ep0, _mw0, "PromoteReadReplica", PromoteReadReplica$) {
}

class PromoteReadReplicaDBClusterCommand extends command(_ep0, _mw0, "PromoteReadReplicaDBCluster", PromoteReadReplicaDBCluster$) {
}

class PurchaseReservedDBInstancesOfferingCommand extends command(_ep0, _mw0, "PurchaseReservedDBInstancesOffering", PurchaseReservedDBInstancesOffering$) {
}

class RebootDBClusterCommand extends command(_ep0, _mw0, "RebootDBCluster", RebootDBCluster$) {
}

class RebootDBInstanceCommand extends command(_ep0, _mw0, "RebootDBInstance", RebootDBInstance$) {
}

class RebootDBShardGroupCommand extends command(_ep0, _mw0, "RebootDBShardGroup", RebootDBShardGroup$) {
}

class RegisterDBProxyTargetsCommand extends command(_ep0, _mw0, "RegisterDBProxyTargets", RegisterDBProxyTargets$) {
}

class RemoveFromGlobalClusterCommand extends command(_ep0, _mw0, "RemoveFromGlobalCluster", RemoveFromGlobalCluster$) {
}

class RemoveRoleFromDBClusterCommand extends command(_ep0, _mw0, "RemoveRoleFromDBCluster", RemoveRoleFromDBCluster$) {
}

class RemoveRoleFromDBInstanceCommand extends command(_ep0, _mw0, "RemoveRoleFromDBInstance", RemoveRoleFromDBInstance$) {
}

class RemoveSourceIdentifierFromSubscriptionCommand extends command(_ep0, _mw0, "RemoveSourceIdentifierFromSubscription", RemoveSourceIdentifierFromSubscription$) {
}

class RemoveTagsFromResourceCommand extends command(_ep0, _mw0, "RemoveTagsFromResource", RemoveTagsFromResource$) {
}

class ResetDBClusterParameterGroupCommand extends command(_ep0, _mw0, "ResetDBClusterParameterGroup", ResetDBClusterParameterGroup$) {
}

class ResetDBParameterGroupCommand extends command(_ep0, _mw0, "ResetDBParameterGroup", ResetDBParameterGroup$) {
}

class RestoreDBClusterFromS3Command extends command(_ep0, _mw0, "RestoreDBClusterFromS3", RestoreDBClusterFromS3$) {
}

class RestoreDBClusterFromSnapshotCommand extends command(_ep0, _mw0, "RestoreDBClusterFromSnapshot", RestoreDBClusterFromSnapshot$) {
}

class RestoreDBClusterToPointInTimeCommand extends command(_ep0, _mw0, "RestoreDBClusterToPointInTime", RestoreDBClusterToPointInTime$) {
}

class RestoreDBInstanceFromDBSnapshotCommand extends command(_ep0, _mw0, "RestoreDBInstanceFromDBSnapshot", RestoreDBInstanceFromDBSnapshot$) {
}

class RestoreDBInstanceFromS3Command extends command(_ep0, _mw0, "RestoreDBInstanceFromS3", RestoreDBInstanceFromS3$) {
}

class RestoreDBInstanceToPointInTimeCommand extends command(_ep0, _mw0, "RestoreDBInstanceToPointInTime", RestoreDBInstanceToPointInTime$) {
}

class RevokeDBSecurityGroupIngressCommand extends command(_ep0, _mw0, "RevokeDBSecurityGroupIngress", RevokeDBSecurityGroupIngress$) {
}

class StartActivityStreamCommand extends command(_ep0, _mw0, "StartActivityStream", StartActivityStream$) {
}

class StartDBClusterCommand extends command(_ep0, _mw0, "StartDBCluster", StartDBCluster$) {
}

class StartDBInstanceAutomatedBackupsReplicationCommand extends command(_ep0, _mw1, "StartDBInstanceAutomatedBackupsReplication", StartDBInstanceAutomatedBackupsReplication$) {
}

class StartDBInstanceCommand extends command(_ep0, _mw0, "StartDBInstance", StartDBInstance$) {
}

class StartExportTaskCommand extends command(_ep0, _mw0, "StartExportTask", StartExportTask$) {
}

class StopActivityStreamCommand extends command(_ep0, _mw0, "StopActivityStream", StopActivityStream$) {
}

class StopDBClusterCommand extends command(_ep0, _mw0, "StopDBCluster", StopDBCluster$) {
}

class StopDBInstanceAutomatedBackupsReplicationCommand extends command(_ep0, _mw0, "StopDBInstanceAutomatedBackupsReplication", StopDBInstanceAutomatedBackupsReplication$) {
}

class StopDBInstanceCommand extends command(_ep0, _mw0, "StopDBInstance", StopDBInstance$) {
}

class SwitchoverBlueGreenDeploymentCommand extends command(_ep0, _mw0, "SwitchoverBlueGreenDeployment", SwitchoverBlueGreenDeployment$) {
}

class SwitchoverGlobalClusterCommand extends command(_ep0, _mw0, "SwitchoverGlobalCluster", SwitchoverGlobalCluster$) {
}

class SwitchoverReadReplicaCommand extends command(_ep0, _mw0, "SwitchoverReadReplica", SwitchoverReadReplica$) {
}

const paginateDescribeBlueGreenDeployments = createPaginator(RDSClient, DescribeBlueGreenDeploymentsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeCertificates = createPaginator(RDSClient, DescribeCertificatesCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBCapacityReservations = createPaginator(RDSClient, DescribeDBCapacityReservationsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBClusterAutomatedBackups = createPaginator(RDSClient, DescribeDBClusterAutomatedBackupsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBClusterBacktracks = createPaginator(RDSClient, DescribeDBClusterBacktracksCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBClusterEndpoints = createPaginator(RDSClient, DescribeDBClusterEndpointsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBClusterParameterGroups = createPaginator(RDSClient, DescribeDBClusterParameterGroupsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBClusterParameters = createPaginator(RDSClient, DescribeDBClusterParametersCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBClusterSnapshots = createPaginator(RDSClient, DescribeDBClusterSnapshotsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBClusters = createPaginator(RDSClient, DescribeDBClustersCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBEngineVersions = createPaginator(RDSClient, DescribeDBEngineVersionsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBInstanceAutomatedBackups = createPaginator(RDSClient, DescribeDBInstanceAutomatedBackupsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBInstances = createPaginator(RDSClient, DescribeDBInstancesCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBLogFiles = createPaginator(RDSClient, DescribeDBLogFilesCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBMajorEngineVersions = createPaginator(RDSClient, DescribeDBMajorEngineVersionsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBParameterGroups = createPaginator(RDSClient, DescribeDBParameterGroupsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBParameters = createPaginator(RDSClient, DescribeDBParametersCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBProxies = createPaginator(RDSClient, DescribeDBProxiesCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBProxyEndpoints = createPaginator(RDSClient, DescribeDBProxyEndpointsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBProxyTargetGroups = createPaginator(RDSClient, DescribeDBProxyTargetGroupsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBProxyTargets = createPaginator(RDSClient, DescribeDBProxyTargetsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBRecommendations = createPaginator(RDSClient, DescribeDBRecommendationsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBSecurityGroups = createPaginator(RDSClient, DescribeDBSecurityGroupsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBSnapshots = createPaginator(RDSClient, DescribeDBSnapshotsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBSnapshotTenantDatabases = createPaginator(RDSClient, DescribeDBSnapshotTenantDatabasesCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeDBSubnetGroups = createPaginator(RDSClient, DescribeDBSubnetGroupsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeEngineDefaultClusterParameters = createPaginator(RDSClient, DescribeEngineDefaultClusterParametersCommand, "Marker", "EngineDefaults.Marker", "MaxRecords");

const paginateDescribeEngineDefaultParameters = createPaginator(RDSClient, DescribeEngineDefaultParametersCommand, "Marker", "EngineDefaults.Marker", "MaxRecords");

const paginateDescribeEvents = createPaginator(RDSClient, DescribeEventsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeEventSubscriptions = createPaginator(RDSClient, DescribeEventSubscriptionsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeExportTasks = createPaginator(RDSClient, DescribeExportTasksCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeGlobalClusters = createPaginator(RDSClient, DescribeGlobalClustersCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeIntegrations = createPaginator(RDSClient, DescribeIntegrationsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeOptionGroupOptions = createPaginator(RDSClient, DescribeOptionGroupOptionsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeOptionGroups = createPaginator(RDSClient, DescribeOptionGroupsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeOrderableDBInstanceOptions = createPaginator(RDSClient, DescribeOrderableDBInstanceOptionsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribePendingMaintenanceActions = createPaginator(RDSClient, DescribePendingMaintenanceActionsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeReservedDBInstancesOfferings = createPaginator(RDSClient, DescribeReservedDBInstancesOfferingsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeReservedDBInstances = createPaginator(RDSClient, DescribeReservedDBInstancesCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeServerlessV2PlatformVersions = createPaginator(RDSClient, DescribeServerlessV2PlatformVersionsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeSourceRegions = createPaginator(RDSClient, DescribeSourceRegionsCommand, "Marker", "Marker", "MaxRecords");

const paginateDescribeTenantDatabases = createPaginator(RDSClient, DescribeTenantDatabasesCommand, "Marker", "Marker", "MaxRecords");

const paginateDownloadDBLogFilePortion = createPaginator(RDSClient, DownloadDBLogFilePortionCommand, "Marker", "Marker", "NumberOfLines");

const checkState$9 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeDBClustersCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            let allStringEq_5 = (returnComparator().length > 0);
            for (let element_4 of returnComparator()) {
                allStringEq_5 = allStringEq_5 && (element_4 == "available");
            }
            if (allStringEq_5) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleted") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleting") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "failed") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-restore") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-parameters") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForDBClusterAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$9);
};
const waitUntilDBClusterAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$9);
    return checkExceptions(result);
};

const checkState$8 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeDBClustersCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                return (result.DBClusters.length == 0);
            };
            if (returnComparator() == true) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "creating") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "modifying") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "rebooting") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusters);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "resetting-master-credentials") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
        if (exception.name === "DBClusterNotFoundFault") {
            return { state: WaiterState.SUCCESS, reason };
        }
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForDBClusterDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$8);
};
const waitUntilDBClusterDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$8);
    return checkExceptions(result);
};

const checkState$7 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeDBClusterSnapshotsCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            let allStringEq_5 = (returnComparator().length > 0);
            for (let element_4 of returnComparator()) {
                allStringEq_5 = allStringEq_5 && (element_4 == "available");
            }
            if (allStringEq_5) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleted") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleting") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "failed") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-restore") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-parameters") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForDBClusterSnapshotAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$7);
};
const waitUntilDBClusterSnapshotAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$7);
    return checkExceptions(result);
};

const checkState$6 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeDBClusterSnapshotsCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                return (result.DBClusterSnapshots.length == 0);
            };
            if (returnComparator() == true) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "creating") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "modifying") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "rebooting") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBClusterSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "resetting-master-credentials") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
        if (exception.name === "DBClusterSnapshotNotFoundFault") {
            return { state: WaiterState.SUCCESS, reason };
        }
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForDBClusterSnapshotDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$6);
};
const waitUntilDBClusterSnapshotDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$6);
    return checkExceptions(result);
};

const checkState$5 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeDBInstancesCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            let allStringEq_5 = (returnComparator().length > 0);
            for (let element_4 of returnComparator()) {
                allStringEq_5 = allStringEq_5 && (element_4 == "available");
            }
            if (allStringEq_5) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleted") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleting") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "failed") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-restore") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-parameters") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForDBInstanceAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$5);
};
const waitUntilDBInstanceAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$5);
    return checkExceptions(result);
};

const checkState$4 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeDBInstancesCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                return (result.DBInstances.length == 0);
            };
            if (returnComparator() == true) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "creating") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "modifying") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "rebooting") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBInstances);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.DBInstanceStatus;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "resetting-master-credentials") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
        if (exception.name === "DBInstanceNotFoundFault") {
            return { state: WaiterState.SUCCESS, reason };
        }
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForDBInstanceDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$4);
};
const waitUntilDBInstanceDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$4);
    return checkExceptions(result);
};

const checkState$3 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeDBSnapshotsCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            let allStringEq_5 = (returnComparator().length > 0);
            for (let element_4 of returnComparator()) {
                allStringEq_5 = allStringEq_5 && (element_4 == "available");
            }
            if (allStringEq_5) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleted") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleting") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "failed") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-restore") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-parameters") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForDBSnapshotAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$3);
};
const waitUntilDBSnapshotAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$3);
    return checkExceptions(result);
};

const checkState$2 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeDBSnapshotsCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                return (result.DBSnapshots.length == 0);
            };
            if (returnComparator() == true) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "creating") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "modifying") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "rebooting") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.DBSnapshots);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "resetting-master-credentials") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
        if (exception.name === "DBSnapshotNotFoundFault") {
            return { state: WaiterState.SUCCESS, reason };
        }
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForDBSnapshotDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$2);
};
const waitUntilDBSnapshotDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$2);
    return checkExceptions(result);
};

const checkState$1 = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeTenantDatabasesCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.TenantDatabases);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            let allStringEq_5 = (returnComparator().length > 0);
            for (let element_4 of returnComparator()) {
                allStringEq_5 = allStringEq_5 && (element_4 == "available");
            }
            if (allStringEq_5) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.TenantDatabases);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "deleted") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.TenantDatabases);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-parameters") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
        try {
            const returnComparator = () => {
                let flat_1 = [].concat(...result.TenantDatabases);
                let projection_3 = flat_1.map((element_2) => {
                    return element_2.Status;
                });
                return projection_3;
            };
            for (let anyStringEq_4 of returnComparator()) {
                if (anyStringEq_4 == "incompatible-restore") {
                    return { state: WaiterState.FAILURE, reason };
                }
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForTenantDatabaseAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState$1);
};
const waitUntilTenantDatabaseAvailable = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState$1);
    return checkExceptions(result);
};

const checkState = async (client, input) => {
    let reason;
    try {
        let result = await client.send(new DescribeTenantDatabasesCommand(input));
        reason = result;
        try {
            const returnComparator = () => {
                return (result.TenantDatabases.length == 0);
            };
            if (returnComparator() == true) {
                return { state: WaiterState.SUCCESS, reason };
            }
        }
        catch (e) { }
    }
    catch (exception) {
        reason = exception;
        if (exception.name === "DBInstanceNotFoundFault") {
            return { state: WaiterState.SUCCESS, reason };
        }
    }
    return { state: WaiterState.RETRY, reason };
};
const waitForTenantDatabaseDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    return createWaiter({ ...serviceDefaults, ...params }, input, checkState);
};
const waitUntilTenantDatabaseDeleted = async (params, input) => {
    const serviceDefaults = { minDelay: 30, maxDelay: 1800 };
    const result = await createWaiter({ ...serviceDefaults, ...params }, input, checkState);
    return checkExceptions(result);
};

const commands = {
    AddRoleToDBClusterCommand,
    AddRoleToDBInstanceCommand,
    AddSourceIdentifierToSubscriptionCommand,
    AddTagsToResourceCommand,
    ApplyPendingMaintenanceActionCommand,
    AuthorizeDBSecurityGroupIngressCommand,
    BacktrackDBClusterCommand,
    CancelDBCapacityReservationCommand,
    CancelExportTaskCommand,
    CopyDBClusterParameterGroupCommand,
    CopyDBClusterSnapshotCommand,
    CopyDBParameterGroupCommand,
    CopyDBSnapshotCommand,
    CopyOptionGroupCommand,
    CreateBlueGreenDeploymentCommand,
    CreateCustomDBEngineVersionCommand,
    CreateDBCapacityReservationCommand,
    CreateDBClusterCommand,
    CreateDBClusterEndpointCommand,
    CreateDBClusterParameterGroupCommand,
    CreateDBClusterSnapshotCommand,
    CreateDBInstanceCommand,
    CreateDBInstanceReadReplicaCommand,
    CreateDBParameterGroupCommand,
    CreateDBProxyCommand,
    CreateDBProxyEndpointCommand,
    CreateDBSecurityGroupCommand,
    CreateDBShardGroupCommand,
    CreateDBSnapshotCommand,
    CreateDBSubnetGroupCommand,
    CreateEventSubscriptionCommand,
    CreateGlobalClusterCommand,
    CreateIntegrationCommand,
    CreateOptionGroupCommand,
    CreateTenantDatabaseCommand,
    DeleteBlueGreenDeploymentCommand,
    DeleteCustomDBEngineVersionCommand,
    DeleteDBClusterCommand,
    DeleteDBClusterAutomatedBackupCommand,
    DeleteDBClusterEndpointCommand,
    DeleteDBClusterParameterGroupCommand,
    DeleteDBClusterSnapshotCommand,
    DeleteDBInstanceCommand,
    DeleteDBInstanceAutomatedBackupCommand,
    DeleteDBParameterGroupCommand,
    DeleteDBProxyCommand,
    DeleteDBProxyEndpointCommand,
    DeleteDBSecurityGroupCommand,
    DeleteDBShardGroupCommand,
    DeleteDBSnapshotCommand,
    DeleteDBSubnetGroupCommand,
    DeleteEventSubscriptionCommand,
    DeleteGlobalClusterCommand,
    DeleteIntegrationCommand,
    DeleteOptionGroupCommand,
    DeleteTenantDatabaseCommand,
    DeregisterDBProxyTargetsCommand,
    DescribeAccountAttributesCommand,
    DescribeBlueGreenDeploymentsCommand,
    DescribeCertificatesCommand,
    DescribeDBCapacityReservationsCommand,
    DescribeDBClusterAutomatedBackupsCommand,
    DescribeDBClusterBacktracksCommand,
    DescribeDBClusterEndpointsCommand,
    DescribeDBClusterParameterGroupsCommand,
    DescribeDBClusterParametersCommand,
    DescribeDBClustersCommand,
    DescribeDBClusterSnapshotAttributesCommand,
    DescribeDBClusterSnapshotsCommand,
    DescribeDBEngineVersionsCommand,
    DescribeDBInstanceAutomatedBackupsCommand,
    DescribeDBInstancesCommand,
    DescribeDBLogFilesCommand,
    DescribeDBMajorEngineVersionsCommand,
    DescribeDBParameterGroupsCommand,
    DescribeDBParametersCommand,
    DescribeDBProxiesCommand,
    DescribeDBProxyEndpointsCommand,
    DescribeDBProxyTargetGroupsCommand,
    DescribeDBProxyTargetsCommand,
    DescribeDBRecommendationsCommand,
    DescribeDBSecurityGroupsCommand,
    DescribeDBShardGroupsCommand,
    DescribeDBSnapshotAttributesCommand,
    DescribeDBSnapshotsCommand,
    DescribeDBSnapshotTenantDatabasesCommand,
    DescribeDBSubnetGroupsCommand,
    DescribeEngineDefaultClusterParametersCommand,
    DescribeEngineDefaultParametersCommand,
    DescribeEventCategoriesCommand,
    DescribeEventsCommand,
    DescribeEventSubscriptionsCommand,
    DescribeExportTasksCommand,
    DescribeGlobalClustersCommand,
    DescribeIntegrationsCommand,
    DescribeOptionGroupOptionsCommand,
    DescribeOptionGroupsCommand,
    DescribeOrderableDBInstanceOptionsCommand,
    DescribePendingMaintenanceActionsCommand,
    DescribeReservedDBInstancesCommand,
    DescribeReservedDBInstancesOfferingsCommand,
    DescribeServerlessV2PlatformVersionsCommand,
    DescribeSourceRegionsCommand,
    DescribeTenantDatabasesCommand,
    DescribeValidDBInstanceModificationsCommand,
    DisableHttpEndpointCommand,
    DownloadDBLogFilePortionCommand,
    EnableHttpEndpointCommand,
    FailoverDBClusterCommand,
    FailoverGlobalClusterCommand,
    ListTagsForResourceCommand,
    ModifyActivityStreamCommand,
    ModifyCertificatesCommand,
    ModifyCurrentDBClusterCapacityCommand,
    ModifyCustomDBEngineVersionCommand,
    ModifyDBCapacityReservationCommand,
    ModifyDBClusterCommand,
    ModifyDBClusterEndpointCommand,
    ModifyDBClusterParameterGroupCommand,
    ModifyDBClusterSnapshotAttributeCommand,
    ModifyDBInstanceCommand,
    ModifyDBParameterGroupCommand,
    ModifyDBProxyCommand,
    ModifyDBProxyEndpointCommand,
    ModifyDBProxyTargetGroupCommand,
    ModifyDBRecommendationCommand,
    ModifyDBShardGroupCommand,
    ModifyDBSnapshotCommand,
    ModifyDBSnapshotAttributeCommand,
    ModifyDBSubnetGroupCommand,
    ModifyEventSubscriptionCommand,
    ModifyGlobalClusterCommand,
    ModifyIntegrationCommand,
    ModifyOptionGroupCommand,
    ModifyTenantDatabaseCommand,
    PromoteReadReplicaCommand,
    PromoteReadReplicaDBClusterCommand,
    PurchaseReservedDBInstancesOfferingCommand,
    RebootDBClusterCommand,
    RebootDBInstanceCommand,
    RebootDBShardGroupCommand,
    RegisterDBProxyTargetsCommand,
    RemoveFromGlobalClusterCommand,
    RemoveRoleFromDBClusterCommand,
    RemoveRoleFromDBInstanceCommand,
    RemoveSourceIdentifierFromSubscriptionCommand,
    RemoveTagsFromResourceCommand,
    ResetDBClusterParameterGroupCommand,
    ResetDBParameterGroupCommand,
    RestoreDBClusterFromS3Command,
    RestoreDBClusterFromSnapshotCommand,
    RestoreDBClusterToPointInTimeCommand,
    RestoreDBInstanceFromDBSnapshotCommand,
    RestoreDBInstanceFromS3Command,
    RestoreDBInstanceToPointInTimeCommand,
    RevokeDBSecurityGroupIngressCommand,
    StartActivityStreamCommand,
    StartDBClusterCommand,
    StartDBInstanceCommand,
    StartDBInstanceAutomatedBackupsReplicationCommand,
    StartExportTaskCommand,
    StopActivityStreamCommand,
    StopDBClusterCommand,
    StopDBInstanceCommand,
    StopDBInstanceAutomatedBackupsReplicationCommand,
    SwitchoverBlueGreenDeploymentCommand,
    SwitchoverGlobalClusterCommand,
    SwitchoverReadReplicaCommand,
};
const paginators = {
    paginateDescribeBlueGreenDeployments,
    paginateDescribeCertificates,
    paginateDescribeDBCapacityReservations,
    paginateDescribeDBClusterAutomatedBackups,
    paginateDescribeDBClusterBacktracks,
    paginateDescribeDBClusterEndpoints,
    paginateDescribeDBClusterParameterGroups,
    paginateDescribeDBClusterParameters,
    paginateDescribeDBClusters,
    paginateDescribeDBClusterSnapshots,
    paginateDescribeDBEngineVersions,
    paginateDescribeDBInstanceAutomatedBackups,
    paginateDescribeDBInstances,
    paginateDescribeDBLogFiles,
    paginateDescribeDBMajorEngineVersions,
    paginateDescribeDBParameterGroups,
    paginateDescribeDBParameters,
    paginateDescribeDBProxies,
    paginateDescribeDBProxyEndpoints,
    paginateDescribeDBProxyTargetGroups,
    paginateDescribeDBProxyTargets,
    paginateDescribeDBRecommendations,
    paginateDescribeDBSecurityGroups,
    paginateDescribeDBSnapshots,
    paginateDescribeDBSnapshotTenantDatabases,
    paginateDescribeDBSubnetGroups,
    paginateDescribeEngineDefaultClusterParameters,
    paginateDescribeEngineDefaultParameters,
    paginateDescribeEvents,
    paginateDescribeEventSubscriptions,
    paginateDescribeExportTasks,
    paginateDescribeGlobalClusters,
    paginateDescribeIntegrations,
    paginateDescribeOptionGroupOptions,
    paginateDescribeOptionGroups,
    paginateDescribeOrderableDBInstanceOptions,
    paginateDescribePendingMaintenanceActions,
    paginateDescribeReservedDBInstances,
    paginateDescribeReservedDBInstancesOfferings,
    paginateDescribeServerlessV2PlatformVersions,
    paginateDescribeSourceRegions,
    paginateDescribeTenantDatabases,
    paginateDownloadDBLogFilePortion,
};
const waiters = {
    waitUntilDBClusterAvailable,
    waitUntilDBClusterDeleted,
    waitUntilDBClusterSnapshotAvailable,
    waitUntilDBClusterSnapshotDeleted,
    waitUntilDBInstanceAvailable,
    waitUntilDBInstanceDeleted,
    waitUntilDBSnapshotAvailable,
    waitUntilDBSnapshotDeleted,
    waitUntilTenantDatabaseAvailable,
    waitUntilTenantDatabaseDeleted,
};
class RDS extends RDSClient {
}
createAggregatedClient(commands, RDS, { paginators, waiters });

const ActivityStreamMode = {
    async: "async",
    sync: "sync",
};
const ActivityStreamPolicyStatus = {
    locked: "locked",
    locking_policy: "locking-policy",
    unlocked: "unlocked",
    unlocking_policy: "unlocking-policy",
};
const ActivityStreamStatus = {
    started: "started",
    starting: "starting",
    stopped: "stopped",
    stopping: "stopping",
};
const DBCapacityReservationState = {
    active: "active",
    assessing: "assessing",
    cancelled: "cancelled",
    delayed: "delayed",
    expired: "expired",
    failed: "failed",
    pending: "pending",
    scheduled: "scheduled",
    unsupported: "unsupported",
};
const ExportSourceType = {
    CLUSTER: "CLUSTER",
    SNAPSHOT: "SNAPSHOT",
};
const StorageEncryptionType = {
    CMK: "sse-kms",
    SSE: "sse-rds",
    UNENCRYPTED: "none",
};
const ClusterScalabilityType = {
    LIMITLESS: "limitless",
    STANDARD: "standard",
};
const DatabaseInsightsMode = {
    ADVANCED: "advanced",
    STANDARD: "standard",
};
const MasterUserAuthenticationType = {
    IAM_DB_AUTH: "iam-db-auth",
    PASSWORD: "password",
};
const ReplicaMode = {
    MOUNTED: "mounted",
    OPEN_READ_ONLY: "open-read-only",
};
const WriteForwardingStatus = {
    DISABLED: "disabled",
    DISABLING: "disabling",
    ENABLED: "enabled",
    ENABLING: "enabling",
    UNKNOWN: "unknown",
};
const LimitlessDatabaseStatus = {
    ACTIVE: "active",
    DISABLED: "disabled",
    DISABLING: "disabling",
    ENABLED: "enabled",
    ENABLING: "enabling",
    ERROR: "error",
    MODIFYING_MAX_CAPACITY: "modifying-max-capacity",
    NOT_IN_USE: "not-in-use",
};
const LocalWriteForwardingStatus = {
    DISABLED: "disabled",
    DISABLING: "disabling",
    ENABLED: "enabled",
    ENABLING: "enabling",
    REQUESTED: "requested",
};
const UpgradeRolloutOrder = {
    FIRST: "first",
    LAST: "last",
    SECOND: "second",
};
const AutomationMode = {
    ALL_PAUSED: "all-paused",
    FULL: "full",
};
const AuthScheme = {
    SECRETS: "SECRETS",
};
const ClientPasswordAuthType = {
    MYSQL_CACHING_SHA2_PASSWORD: "MYSQL_CACHING_SHA2_PASSWORD",
    MYSQL_NATIVE_PASSWORD: "MYSQL_NATIVE_PASSWORD",
    POSTGRES_MD5: "POSTGRES_MD5",
    POSTGRES_SCRAM_SHA_256: "POSTGRES_SCRAM_SHA_256",
    SQL_SERVER_AUTHENTICATION: "SQL_SERVER_AUTHENTICATION",
};
const IAMAuthMode = {
    DISABLED: "DISABLED",
    ENABLED: "ENABLED",
    REQUIRED: "REQUIRED",
};
const DefaultAuthScheme = {
    IAM_AUTH: "IAM_AUTH",
    NONE: "NONE",
};
const EndpointNetworkType = {
    DUAL: "DUAL",
    IPV4: "IPV4",
    IPV6: "IPV6",
};
const EngineFamily = {
    MYSQL: "MYSQL",
    POSTGRESQL: "POSTGRESQL",
    SQLSERVER: "SQLSERVER",
};
const TargetConnectionNetworkType = {
    IPV4: "IPV4",
    IPV6: "IPV6",
};
const DBProxyStatus = {
    AVAILABLE: "available",
    CREATING: "creating",
    DELETING: "deleting",
    INCOMPATIBLE_NETWORK: "incompatible-network",
    INSUFFICIENT_RESOURCE_LIMITS: "insufficient-resource-limits",
    MODIFYING: "modifying",
    REACTIVATING: "reactivating",
    SUSPENDED: "suspended",
    SUSPENDING: "suspending",
};
const DBProxyEndpointTargetRole = {
    READ_ONLY: "READ_ONLY",
    READ_WRITE: "READ_WRITE",
};
const DBProxyEndpointStatus = {
    AVAILABLE: "available",
    CREATING: "creating",
    DELETING: "deleting",
    INCOMPATIBLE_NETWORK: "incompatible-network",
    INSUFFICIENT_RESOURCE_LIMITS: "insufficient-resource-limits",
    MODIFYING: "modifying",
};
const FailoverStatus = {
    CANCELLING: "cancelling",
    FAILING_OVER: "failing-over",
    PENDING: "pending",
};
const GlobalClusterMemberSynchronizationStatus = {
    CONNECTED: "connected",
    PENDING_RESYNC: "pending-resync",
};
const IntegrationStatus = {
    ACTIVE: "active",
    CREATING: "creating",
    DELETING: "deleting",
    FAILED: "failed",
    MODIFYING: "modifying",
    NEEDS_ATTENTION: "needs_attention",
    SYNCING: "syncing",
};
const ApplyMethod = {
    immediate: "immediate",
    pending_reboot: "pending-reboot",
};
const LifecycleSupportName = {
    OPEN_SOURCE_RDS_EXTENDED_SUPPORT: "open-source-rds-extended-support",
    OPEN_SOURCE_RDS_STANDARD_SUPPORT: "open-source-rds-standard-support",
};
const TargetRole = {
    READ_ONLY: "READ_ONLY",
    READ_WRITE: "READ_WRITE",
    UNKNOWN: "UNKNOWN",
};
const TargetHealthReason = {
    AUTH_FAILURE: "AUTH_FAILURE",
    CONNECTION_FAILED: "CONNECTION_FAILED",
    INVALID_REPLICATION_STATE: "INVALID_REPLICATION_STATE",
    PENDING_PROXY_CAPACITY: "PENDING_PROXY_CAPACITY",
    PROMOTED: "PROMOTED",
    UNREACHABLE: "UNREACHABLE",
};
const TargetState = {
    available: "AVAILABLE",
    registering: "REGISTERING",
    unavailable: "UNAVAILABLE",
    unused: "UNUSED",
};
const TargetType = {
    RDS_INSTANCE: "RDS_INSTANCE",
    RDS_SERVERLESS_ENDPOINT: "RDS_SERVERLESS_ENDPOINT",
    TRACKED_CLUSTER: "TRACKED_CLUSTER",
};
const SourceType = {
    blue_green_deployment: "blue-green-deployment",
    custom_engine_version: "custom-engine-version",
    db_cluster: "db-cluster",
    db_cluster_snapshot: "db-cluster-snapshot",
    db_instance: "db-instance",
    db_parameter_group: "db-parameter-group",
    db_proxy: "db-proxy",
    db_security_group: "db-security-group",
    db_shard_group: "db-shard-group",
    db_snapshot: "db-snapshot",
    zero_etl: "zero-etl",
};
const AuditPolicyState = {
    LOCKED_POLICY: "locked",
    UNLOCKED_POLICY: "unlocked",
};
const CustomEngineVersionStatus = {
    available: "available",
    inactive: "inactive",
    inactive_except_restore: "inactive-except-restore",
};
const EndDateType = {
    limited: "limited",
    unlimited: "unlimited",
};

__webpack_unused_export__ = AccountAttributesMessage$;
__webpack_unused_export__ = AccountQuota$;
__webpack_unused_export__ = ActivityStreamMode;
__webpack_unused_export__ = ActivityStreamPolicyStatus;
__webpack_unused_export__ = ActivityStreamStatus;
__webpack_unused_export__ = AddRoleToDBCluster$;
__webpack_unused_export__ = AddRoleToDBClusterCommand;
__webpack_unused_export__ = AddRoleToDBClusterMessage$;
__webpack_unused_export__ = AddRoleToDBInstance$;
__webpack_unused_export__ = AddRoleToDBInstanceCommand;
__webpack_unused_export__ = AddRoleToDBInstanceMessage$;
__webpack_unused_export__ = AddSourceIdentifierToSubscription$;
__webpack_unused_export__ = AddSourceIdentifierToSubscriptionCommand;
__webpack_unused_export__ = AddSourceIdentifierToSubscriptionMessage$;
__webpack_unused_export__ = AddSourceIdentifierToSubscriptionResult$;
__webpack_unused_export__ = AddTagsToResource$;
exports.X3P = AddTagsToResourceCommand;
__webpack_unused_export__ = AddTagsToResourceMessage$;
__webpack_unused_export__ = AdditionalStorageVolume$;
__webpack_unused_export__ = AdditionalStorageVolumeOutput$;
__webpack_unused_export__ = ApplyMethod;
__webpack_unused_export__ = ApplyPendingMaintenanceAction$;
__webpack_unused_export__ = ApplyPendingMaintenanceActionCommand;
__webpack_unused_export__ = ApplyPendingMaintenanceActionMessage$;
__webpack_unused_export__ = ApplyPendingMaintenanceActionResult$;
__webpack_unused_export__ = AuditPolicyState;
__webpack_unused_export__ = AuthScheme;
__webpack_unused_export__ = AuthorizationAlreadyExistsFault;
__webpack_unused_export__ = AuthorizationAlreadyExistsFault$;
__webpack_unused_export__ = AuthorizationNotFoundFault;
__webpack_unused_export__ = AuthorizationNotFoundFault$;
__webpack_unused_export__ = AuthorizationQuotaExceededFault;
__webpack_unused_export__ = AuthorizationQuotaExceededFault$;
__webpack_unused_export__ = AuthorizeDBSecurityGroupIngress$;
__webpack_unused_export__ = AuthorizeDBSecurityGroupIngressCommand;
__webpack_unused_export__ = AuthorizeDBSecurityGroupIngressMessage$;
__webpack_unused_export__ = AuthorizeDBSecurityGroupIngressResult$;
__webpack_unused_export__ = AutomationMode;
__webpack_unused_export__ = AvailabilityZone$;
__webpack_unused_export__ = AvailableAdditionalStorageVolumesOption$;
__webpack_unused_export__ = AvailableCapacityPerAvailabilityZone$;
__webpack_unused_export__ = AvailableProcessorFeature$;
__webpack_unused_export__ = BacktrackDBCluster$;
__webpack_unused_export__ = BacktrackDBClusterCommand;
__webpack_unused_export__ = BacktrackDBClusterMessage$;
__webpack_unused_export__ = BackupPolicyNotFoundFault;
__webpack_unused_export__ = BackupPolicyNotFoundFault$;
__webpack_unused_export__ = BlueGreenDeployment$;
__webpack_unused_export__ = BlueGreenDeploymentAlreadyExistsFault;
__webpack_unused_export__ = BlueGreenDeploymentAlreadyExistsFault$;
__webpack_unused_export__ = BlueGreenDeploymentNotFoundFault;
__webpack_unused_export__ = BlueGreenDeploymentNotFoundFault$;
__webpack_unused_export__ = BlueGreenDeploymentTask$;
__webpack_unused_export__ = CancelDBCapacityReservation$;
__webpack_unused_export__ = CancelDBCapacityReservationCommand;
__webpack_unused_export__ = CancelDBCapacityReservationRequest$;
__webpack_unused_export__ = CancelDBCapacityReservationResponse$;
__webpack_unused_export__ = CancelExportTask$;
__webpack_unused_export__ = CancelExportTaskCommand;
__webpack_unused_export__ = CancelExportTaskMessage$;
__webpack_unused_export__ = Certificate$;
__webpack_unused_export__ = CertificateDetails$;
__webpack_unused_export__ = CertificateMessage$;
__webpack_unused_export__ = CertificateNotFoundFault;
__webpack_unused_export__ = CertificateNotFoundFault$;
__webpack_unused_export__ = CharacterSet$;
__webpack_unused_export__ = ClientPasswordAuthType;
__webpack_unused_export__ = CloudwatchLogsExportConfiguration$;
__webpack_unused_export__ = ClusterPendingModifiedValues$;
__webpack_unused_export__ = ClusterScalabilityType;
__webpack_unused_export__ = ConnectionPoolConfiguration$;
__webpack_unused_export__ = ConnectionPoolConfigurationInfo$;
__webpack_unused_export__ = ContextAttribute$;
__webpack_unused_export__ = CopyDBClusterParameterGroup$;
__webpack_unused_export__ = CopyDBClusterParameterGroupCommand;
__webpack_unused_export__ = CopyDBClusterParameterGroupMessage$;
__webpack_unused_export__ = CopyDBClusterParameterGroupResult$;
__webpack_unused_export__ = CopyDBClusterSnapshot$;
__webpack_unused_export__ = CopyDBClusterSnapshotCommand;
__webpack_unused_export__ = CopyDBClusterSnapshotMessage$;
__webpack_unused_export__ = CopyDBClusterSnapshotResult$;
__webpack_unused_export__ = CopyDBParameterGroup$;
__webpack_unused_export__ = CopyDBParameterGroupCommand;
__webpack_unused_export__ = CopyDBParameterGroupMessage$;
__webpack_unused_export__ = CopyDBParameterGroupResult$;
__webpack_unused_export__ = CopyDBSnapshot$;
__webpack_unused_export__ = CopyDBSnapshotCommand;
__webpack_unused_export__ = CopyDBSnapshotMessage$;
__webpack_unused_export__ = CopyDBSnapshotResult$;
__webpack_unused_export__ = CopyOptionGroup$;
__webpack_unused_export__ = CopyOptionGroupCommand;
__webpack_unused_export__ = CopyOptionGroupMessage$;
__webpack_unused_export__ = CopyOptionGroupResult$;
__webpack_unused_export__ = CreateBlueGreenDeployment$;
__webpack_unused_export__ = CreateBlueGreenDeploymentCommand;
__webpack_unused_export__ = CreateBlueGreenDeploymentRequest$;
__webpack_unused_export__ = CreateBlueGreenDeploymentResponse$;
__webpack_unused_export__ = CreateCustomDBEngineVersion$;
__webpack_unused_export__ = CreateCustomDBEngineVersionCommand;
__webpack_unused_export__ = CreateCustomDBEngineVersionFault;
__webpack_unused_export__ = CreateCustomDBEngineVersionFault$;
__webpack_unused_export__ = CreateCustomDBEngineVersionMessage$;
__webpack_unused_export__ = CreateDBCapacityReservation$;
__webpack_unused_export__ = CreateDBCapacityReservationCommand;
__webpack_unused_export__ = CreateDBCapacityReservationRequest$;
__webpack_unused_export__ = CreateDBCapacityReservationResponse$;
__webpack_unused_export__ = CreateDBCluster$;
__webpack_unused_export__ = CreateDBClusterCommand;
__webpack_unused_export__ = CreateDBClusterEndpoint$;
__webpack_unused_export__ = CreateDBClusterEndpointCommand;
__webpack_unused_export__ = CreateDBClusterEndpointMessage$;
__webpack_unused_export__ = CreateDBClusterMessage$;
__webpack_unused_export__ = CreateDBClusterParameterGroup$;
__webpack_unused_export__ = CreateDBClusterParameterGroupCommand;
__webpack_unused_export__ = CreateDBClusterParameterGroupMessage$;
__webpack_unused_export__ = CreateDBClusterParameterGroupResult$;
__webpack_unused_export__ = CreateDBClusterResult$;
__webpack_unused_export__ = CreateDBClusterSnapshot$;
exports.Iv4 = CreateDBClusterSnapshotCommand;
__webpack_unused_export__ = CreateDBClusterSnapshotMessage$;
__webpack_unused_export__ = CreateDBClusterSnapshotResult$;
__webpack_unused_export__ = CreateDBInstance$;
__webpack_unused_export__ = CreateDBInstanceCommand;
__webpack_unused_export__ = CreateDBInstanceMessage$;
__webpack_unused_export__ = CreateDBInstanceReadReplica$;
__webpack_unused_export__ = CreateDBInstanceReadReplicaCommand;
__webpack_unused_export__ = CreateDBInstanceReadReplicaMessage$;
__webpack_unused_export__ = CreateDBInstanceReadReplicaResult$;
__webpack_unused_export__ = CreateDBInstanceResult$;
__webpack_unused_export__ = CreateDBParameterGroup$;
__webpack_unused_export__ = CreateDBParameterGroupCommand;
__webpack_unused_export__ = CreateDBParameterGroupMessage$;
__webpack_unused_export__ = CreateDBParameterGroupResult$;
__webpack_unused_export__ = CreateDBProxy$;
__webpack_unused_export__ = CreateDBProxyCommand;
__webpack_unused_export__ = CreateDBProxyEndpoint$;
__webpack_unused_export__ = CreateDBProxyEndpointCommand;
__webpack_unused_export__ = CreateDBProxyEndpointRequest$;
__webpack_unused_export__ = CreateDBProxyEndpointResponse$;
__webpack_unused_export__ = CreateDBProxyRequest$;
__webpack_unused_export__ = CreateDBProxyResponse$;
__webpack_unused_export__ = CreateDBSecurityGroup$;
__webpack_unused_export__ = CreateDBSecurityGroupCommand;
__webpack_unused_export__ = CreateDBSecurityGroupMessage$;
__webpack_unused_export__ = CreateDBSecurityGroupResult$;
__webpack_unused_export__ = CreateDBShardGroup$;
__webpack_unused_export__ = CreateDBShardGroupCommand;
__webpack_unused_export__ = CreateDBShardGroupMessage$;
__webpack_unused_export__ = CreateDBSnapshot$;
exports.SQw = CreateDBSnapshotCommand;
__webpack_unused_export__ = CreateDBSnapshotMessage$;
__webpack_unused_export__ = CreateDBSnapshotResult$;
__webpack_unused_export__ = CreateDBSubnetGroup$;
__webpack_unused_export__ = CreateDBSubnetGroupCommand;
__webpack_unused_export__ = CreateDBSubnetGroupMessage$;
__webpack_unused_export__ = CreateDBSubnetGroupResult$;
__webpack_unused_export__ = CreateEventSubscription$;
__webpack_unused_export__ = CreateEventSubscriptionCommand;
__webpack_unused_export__ = CreateEventSubscriptionMessage$;
__webpack_unused_export__ = CreateEventSubscriptionResult$;
__webpack_unused_export__ = CreateGlobalCluster$;
__webpack_unused_export__ = CreateGlobalClusterCommand;
__webpack_unused_export__ = CreateGlobalClusterMessage$;
__webpack_unused_export__ = CreateGlobalClusterResult$;
__webpack_unused_export__ = CreateIntegration$;
__webpack_unused_export__ = CreateIntegrationCommand;
__webpack_unused_export__ = CreateIntegrationMessage$;
__webpack_unused_export__ = CreateOptionGroup$;
__webpack_unused_export__ = CreateOptionGroupCommand;
__webpack_unused_export__ = CreateOptionGroupMessage$;
__webpack_unused_export__ = CreateOptionGroupResult$;
__webpack_unused_export__ = CreateTenantDatabase$;
__webpack_unused_export__ = CreateTenantDatabaseCommand;
__webpack_unused_export__ = CreateTenantDatabaseMessage$;
__webpack_unused_export__ = CreateTenantDatabaseResult$;
__webpack_unused_export__ = CustomAvailabilityZoneNotFoundFault;
__webpack_unused_export__ = CustomAvailabilityZoneNotFoundFault$;
__webpack_unused_export__ = CustomDBEngineVersionAMI$;
__webpack_unused_export__ = CustomDBEngineVersionAlreadyExistsFault;
__webpack_unused_export__ = CustomDBEngineVersionAlreadyExistsFault$;
__webpack_unused_export__ = CustomDBEngineVersionNotFoundFault;
__webpack_unused_export__ = CustomDBEngineVersionNotFoundFault$;
__webpack_unused_export__ = CustomDBEngineVersionQuotaExceededFault;
__webpack_unused_export__ = CustomDBEngineVersionQuotaExceededFault$;
__webpack_unused_export__ = CustomEngineVersionStatus;
__webpack_unused_export__ = DBCapacityReservation$;
__webpack_unused_export__ = DBCapacityReservationAlreadyExistsFault;
__webpack_unused_export__ = DBCapacityReservationAlreadyExistsFault$;
__webpack_unused_export__ = DBCapacityReservationCommitmentInfo$;
__webpack_unused_export__ = DBCapacityReservationNotFoundFault;
__webpack_unused_export__ = DBCapacityReservationNotFoundFault$;
__webpack_unused_export__ = DBCapacityReservationState;
__webpack_unused_export__ = DBCapacityReservationUnsupportedFault;
__webpack_unused_export__ = DBCapacityReservationUnsupportedFault$;
__webpack_unused_export__ = DBCluster$;
__webpack_unused_export__ = DBClusterAlreadyExistsFault;
__webpack_unused_export__ = DBClusterAlreadyExistsFault$;
__webpack_unused_export__ = DBClusterAssociatedRole$;
__webpack_unused_export__ = DBClusterAutomatedBackup$;
__webpack_unused_export__ = DBClusterAutomatedBackupMessage$;
__webpack_unused_export__ = DBClusterAutomatedBackupNotFoundFault;
__webpack_unused_export__ = DBClusterAutomatedBackupNotFoundFault$;
__webpack_unused_export__ = DBClusterAutomatedBackupQuotaExceededFault;
__webpack_unused_export__ = DBClusterAutomatedBackupQuotaExceededFault$;
__webpack_unused_export__ = DBClusterBacktrack$;
__webpack_unused_export__ = DBClusterBacktrackMessage$;
__webpack_unused_export__ = DBClusterBacktrackNotFoundFault;
__webpack_unused_export__ = DBClusterBacktrackNotFoundFault$;
__webpack_unused_export__ = DBClusterCapacityInfo$;
__webpack_unused_export__ = DBClusterEndpoint$;
__webpack_unused_export__ = DBClusterEndpointAlreadyExistsFault;
__webpack_unused_export__ = DBClusterEndpointAlreadyExistsFault$;
__webpack_unused_export__ = DBClusterEndpointMessage$;
__webpack_unused_export__ = DBClusterEndpointNotFoundFault;
__webpack_unused_export__ = DBClusterEndpointNotFoundFault$;
__webpack_unused_export__ = DBClusterEndpointQuotaExceededFault;
__webpack_unused_export__ = DBClusterEndpointQuotaExceededFault$;
__webpack_unused_export__ = DBClusterMember$;
__webpack_unused_export__ = DBClusterMessage$;
__webpack_unused_export__ = DBClusterNotFoundFault;
__webpack_unused_export__ = DBClusterNotFoundFault$;
__webpack_unused_export__ = DBClusterOptionGroupStatus$;
__webpack_unused_export__ = DBClusterParameterGroup$;
__webpack_unused_export__ = DBClusterParameterGroupDetails$;
__webpack_unused_export__ = DBClusterParameterGroupNameMessage$;
__webpack_unused_export__ = DBClusterParameterGroupNotFoundFault;
__webpack_unused_export__ = DBClusterParameterGroupNotFoundFault$;
__webpack_unused_export__ = DBClusterParameterGroupsMessage$;
__webpack_unused_export__ = DBClusterQuotaExceededFault;
__webpack_unused_export__ = DBClusterQuotaExceededFault$;
__webpack_unused_export__ = DBClusterRole$;
__webpack_unused_export__ = DBClusterRoleAlreadyExistsFault;
__webpack_unused_export__ = DBClusterRoleAlreadyExistsFault$;
__webpack_unused_export__ = DBClusterRoleNotFoundFault;
__webpack_unused_export__ = DBClusterRoleNotFoundFault$;
__webpack_unused_export__ = DBClusterRoleQuotaExceededFault;
__webpack_unused_export__ = DBClusterRoleQuotaExceededFault$;
__webpack_unused_export__ = DBClusterSnapshot$;
__webpack_unused_export__ = DBClusterSnapshotAlreadyExistsFault;
__webpack_unused_export__ = DBClusterSnapshotAlreadyExistsFault$;
__webpack_unused_export__ = DBClusterSnapshotAttribute$;
__webpack_unused_export__ = DBClusterSnapshotAttributesResult$;
__webpack_unused_export__ = DBClusterSnapshotMessage$;
__webpack_unused_export__ = DBClusterSnapshotNotFoundFault;
__webpack_unused_export__ = DBClusterSnapshotNotFoundFault$;
__webpack_unused_export__ = DBClusterStatusInfo$;
__webpack_unused_export__ = DBEngineVersion$;
__webpack_unused_export__ = DBEngineVersionMessage$;
__webpack_unused_export__ = DBInstance$;
__webpack_unused_export__ = DBInstanceAlreadyExistsFault;
__webpack_unused_export__ = DBInstanceAlreadyExistsFault$;
__webpack_unused_export__ = DBInstanceAutomatedBackup$;
__webpack_unused_export__ = DBInstanceAutomatedBackupMessage$;
__webpack_unused_export__ = DBInstanceAutomatedBackupNotFoundFault;
__webpack_unused_export__ = DBInstanceAutomatedBackupNotFoundFault$;
__webpack_unused_export__ = DBInstanceAutomatedBackupQuotaExceededFault;
__webpack_unused_export__ = DBInstanceAutomatedBackupQuotaExceededFault$;
__webpack_unused_export__ = DBInstanceAutomatedBackupsReplication$;
__webpack_unused_export__ = DBInstanceMessage$;
__webpack_unused_export__ = DBInstanceNotFoundFault;
__webpack_unused_export__ = DBInstanceNotFoundFault$;
__webpack_unused_export__ = DBInstanceNotReadyFault;
__webpack_unused_export__ = DBInstanceNotReadyFault$;
__webpack_unused_export__ = DBInstanceRole$;
__webpack_unused_export__ = DBInstanceRoleAlreadyExistsFault;
__webpack_unused_export__ = DBInstanceRoleAlreadyExistsFault$;
__webpack_unused_export__ = DBInstanceRoleNotFoundFault;
__webpack_unused_export__ = DBInstanceRoleNotFoundFault$;
__webpack_unused_export__ = DBInstanceRoleQuotaExceededFault;
__webpack_unused_export__ = DBInstanceRoleQuotaExceededFault$;
__webpack_unused_export__ = DBInstanceStatusInfo$;
__webpack_unused_export__ = DBLogFileNotFoundFault;
__webpack_unused_export__ = DBLogFileNotFoundFault$;
__webpack_unused_export__ = DBMajorEngineVersion$;
__webpack_unused_export__ = DBParameterGroup$;
__webpack_unused_export__ = DBParameterGroupAlreadyExistsFault;
__webpack_unused_export__ = DBParameterGroupAlreadyExistsFault$;
__webpack_unused_export__ = DBParameterGroupDetails$;
__webpack_unused_export__ = DBParameterGroupNameMessage$;
__webpack_unused_export__ = DBParameterGroupNotFoundFault;
__webpack_unused_export__ = DBParameterGroupNotFoundFault$;
__webpack_unused_export__ = DBParameterGroupQuotaExceededFault;
__webpack_unused_export__ = DBParameterGroupQuotaExceededFault$;
__webpack_unused_export__ = DBParameterGroupStatus$;
__webpack_unused_export__ = DBParameterGroupsMessage$;
__webpack_unused_export__ = DBProxy$;
__webpack_unused_export__ = DBProxyAlreadyExistsFault;
__webpack_unused_export__ = DBProxyAlreadyExistsFault$;
__webpack_unused_export__ = DBProxyEndpoint$;
__webpack_unused_export__ = DBProxyEndpointAlreadyExistsFault;
__webpack_unused_export__ = DBProxyEndpointAlreadyExistsFault$;
__webpack_unused_export__ = DBProxyEndpointNotFoundFault;
__webpack_unused_export__ = DBProxyEndpointNotFoundFault$;
__webpack_unused_export__ = DBProxyEndpointQuotaExceededFault;
__webpack_unused_export__ = DBProxyEndpointQuotaExceededFault$;
__webpack_unused_export__ = DBProxyEndpointStatus;
__webpack_unused_export__ = DBProxyEndpointTargetRole;
__webpack_unused_export__ = DBProxyNotFoundFault;
__webpack_unused_export__ = DBProxyNotFoundFault$;
__webpack_unused_export__ = DBProxyQuotaExceededFault;
__webpack_unused_export__ = DBProxyQuotaExceededFault$;
__webpack_unused_export__ = DBProxyStatus;
__webpack_unused_export__ = DBProxyTarget$;
__webpack_unused_export__ = DBProxyTargetAlreadyRegisteredFault;
__webpack_unused_export__ = DBProxyTargetAlreadyRegisteredFault$;
__webpack_unused_export__ = DBProxyTargetGroup$;
__webpack_unused_export__ = DBProxyTargetGroupNotFoundFault;
__webpack_unused_export__ = DBProxyTargetGroupNotFoundFault$;
__webpack_unused_export__ = DBProxyTargetNotFoundFault;
__webpack_unused_export__ = DBProxyTargetNotFoundFault$;
__webpack_unused_export__ = DBRecommendation$;
__webpack_unused_export__ = DBRecommendationMessage$;
__webpack_unused_export__ = DBRecommendationsMessage$;
__webpack_unused_export__ = DBSecurityGroup$;
__webpack_unused_export__ = DBSecurityGroupAlreadyExistsFault;
__webpack_unused_export__ = DBSecurityGroupAlreadyExistsFault$;
__webpack_unused_export__ = DBSecurityGroupMembership$;
__webpack_unused_export__ = DBSecurityGroupMessage$;
__webpack_unused_export__ = DBSecurityGroupNotFoundFault;
__webpack_unused_export__ = DBSecurityGroupNotFoundFault$;
__webpack_unused_export__ = DBSecurityGroupNotSupportedFault;
__webpack_unused_export__ = DBSecurityGroupNotSupportedFault$;
__webpack_unused_export__ = DBSecurityGroupQuotaExceededFault;
__webpack_unused_export__ = DBSecurityGroupQuotaExceededFault$;
__webpack_unused_export__ = DBShardGroup$;
__webpack_unused_export__ = DBShardGroupAlreadyExistsFault;
__webpack_unused_export__ = DBShardGroupAlreadyExistsFault$;
__webpack_unused_export__ = DBShardGroupNotFoundFault;
__webpack_unused_export__ = DBShardGroupNotFoundFault$;
__webpack_unused_export__ = DBSnapshot$;
__webpack_unused_export__ = DBSnapshotAlreadyExistsFault;
__webpack_unused_export__ = DBSnapshotAlreadyExistsFault$;
__webpack_unused_export__ = DBSnapshotAttribute$;
__webpack_unused_export__ = DBSnapshotAttributesResult$;
__webpack_unused_export__ = DBSnapshotMessage$;
__webpack_unused_export__ = DBSnapshotNotFoundFault;
__webpack_unused_export__ = DBSnapshotNotFoundFault$;
__webpack_unused_export__ = DBSnapshotTenantDatabase$;
__webpack_unused_export__ = DBSnapshotTenantDatabaseNotFoundFault;
__webpack_unused_export__ = DBSnapshotTenantDatabaseNotFoundFault$;
__webpack_unused_export__ = DBSnapshotTenantDatabasesMessage$;
__webpack_unused_export__ = DBSubnetGroup$;
__webpack_unused_export__ = DBSubnetGroupAlreadyExistsFault;
__webpack_unused_export__ = DBSubnetGroupAlreadyExistsFault$;
__webpack_unused_export__ = DBSubnetGroupDoesNotCoverEnoughAZs;
__webpack_unused_export__ = DBSubnetGroupDoesNotCoverEnoughAZs$;
__webpack_unused_export__ = DBSubnetGroupMessage$;
__webpack_unused_export__ = DBSubnetGroupNotAllowedFault;
__webpack_unused_export__ = DBSubnetGroupNotAllowedFault$;
__webpack_unused_export__ = DBSubnetGroupNotFoundFault;
__webpack_unused_export__ = DBSubnetGroupNotFoundFault$;
__webpack_unused_export__ = DBSubnetGroupQuotaExceededFault;
__webpack_unused_export__ = DBSubnetGroupQuotaExceededFault$;
__webpack_unused_export__ = DBSubnetQuotaExceededFault;
__webpack_unused_export__ = DBSubnetQuotaExceededFault$;
__webpack_unused_export__ = DBUpgradeDependencyFailureFault;
__webpack_unused_export__ = DBUpgradeDependencyFailureFault$;
__webpack_unused_export__ = DatabaseInsightsMode;
__webpack_unused_export__ = DefaultAuthScheme;
__webpack_unused_export__ = DeleteBlueGreenDeployment$;
__webpack_unused_export__ = DeleteBlueGreenDeploymentCommand;
__webpack_unused_export__ = DeleteBlueGreenDeploymentRequest$;
__webpack_unused_export__ = DeleteBlueGreenDeploymentResponse$;
__webpack_unused_export__ = DeleteCustomDBEngineVersion$;
__webpack_unused_export__ = DeleteCustomDBEngineVersionCommand;
__webpack_unused_export__ = DeleteCustomDBEngineVersionMessage$;
__webpack_unused_export__ = DeleteDBCluster$;
__webpack_unused_export__ = DeleteDBClusterAutomatedBackup$;
__webpack_unused_export__ = DeleteDBClusterAutomatedBackupCommand;
__webpack_unused_export__ = DeleteDBClusterAutomatedBackupMessage$;
__webpack_unused_export__ = DeleteDBClusterAutomatedBackupResult$;
__webpack_unused_export__ = DeleteDBClusterCommand;
__webpack_unused_export__ = DeleteDBClusterEndpoint$;
__webpack_unused_export__ = DeleteDBClusterEndpointCommand;
__webpack_unused_export__ = DeleteDBClusterEndpointMessage$;
__webpack_unused_export__ = DeleteDBClusterMessage$;
__webpack_unused_export__ = DeleteDBClusterParameterGroup$;
__webpack_unused_export__ = DeleteDBClusterParameterGroupCommand;
__webpack_unused_export__ = DeleteDBClusterParameterGroupMessage$;
__webpack_unused_export__ = DeleteDBClusterResult$;
__webpack_unused_export__ = DeleteDBClusterSnapshot$;
exports.fW3 = DeleteDBClusterSnapshotCommand;
__webpack_unused_export__ = DeleteDBClusterSnapshotMessage$;
__webpack_unused_export__ = DeleteDBClusterSnapshotResult$;
__webpack_unused_export__ = DeleteDBInstance$;
__webpack_unused_export__ = DeleteDBInstanceAutomatedBackup$;
__webpack_unused_export__ = DeleteDBInstanceAutomatedBackupCommand;
__webpack_unused_export__ = DeleteDBInstanceAutomatedBackupMessage$;
__webpack_unused_export__ = DeleteDBInstanceAutomatedBackupResult$;
__webpack_unused_export__ = DeleteDBInstanceCommand;
__webpack_unused_export__ = DeleteDBInstanceMessage$;
__webpack_unused_export__ = DeleteDBInstanceResult$;
__webpack_unused_export__ = DeleteDBParameterGroup$;
__webpack_unused_export__ = DeleteDBParameterGroupCommand;
__webpack_unused_export__ = DeleteDBParameterGroupMessage$;
__webpack_unused_export__ = DeleteDBProxy$;
__webpack_unused_export__ = DeleteDBProxyCommand;
__webpack_unused_export__ = DeleteDBProxyEndpoint$;
__webpack_unused_export__ = DeleteDBProxyEndpointCommand;
__webpack_unused_export__ = DeleteDBProxyEndpointRequest$;
__webpack_unused_export__ = DeleteDBProxyEndpointResponse$;
__webpack_unused_export__ = DeleteDBProxyRequest$;
__webpack_unused_export__ = DeleteDBProxyResponse$;
__webpack_unused_export__ = DeleteDBSecurityGroup$;
__webpack_unused_export__ = DeleteDBSecurityGroupCommand;
__webpack_unused_export__ = DeleteDBSecurityGroupMessage$;
__webpack_unused_export__ = DeleteDBShardGroup$;
__webpack_unused_export__ = DeleteDBShardGroupCommand;
__webpack_unused_export__ = DeleteDBShardGroupMessage$;
__webpack_unused_export__ = DeleteDBSnapshot$;
exports.PHQ = DeleteDBSnapshotCommand;
__webpack_unused_export__ = DeleteDBSnapshotMessage$;
__webpack_unused_export__ = DeleteDBSnapshotResult$;
__webpack_unused_export__ = DeleteDBSubnetGroup$;
__webpack_unused_export__ = DeleteDBSubnetGroupCommand;
__webpack_unused_export__ = DeleteDBSubnetGroupMessage$;
__webpack_unused_export__ = DeleteEventSubscription$;
__webpack_unused_export__ = DeleteEventSubscriptionCommand;
__webpack_unused_export__ = DeleteEventSubscriptionMessage$;
__webpack_unused_export__ = DeleteEventSubscriptionResult$;
__webpack_unused_export__ = DeleteGlobalCluster$;
__webpack_unused_export__ = DeleteGlobalClusterCommand;
__webpack_unused_export__ = DeleteGlobalClusterMessage$;
__webpack_unused_export__ = DeleteGlobalClusterResult$;
__webpack_unused_export__ = DeleteIntegration$;
__webpack_unused_export__ = DeleteIntegrationCommand;
__webpack_unused_export__ = DeleteIntegrationMessage$;
__webpack_unused_export__ = DeleteOptionGroup$;
__webpack_unused_export__ = DeleteOptionGroupCommand;
__webpack_unused_export__ = DeleteOptionGroupMessage$;
__webpack_unused_export__ = DeleteTenantDatabase$;
__webpack_unused_export__ = DeleteTenantDatabaseCommand;
__webpack_unused_export__ = DeleteTenantDatabaseMessage$;
__webpack_unused_export__ = DeleteTenantDatabaseResult$;
__webpack_unused_export__ = DeregisterDBProxyTargets$;
__webpack_unused_export__ = DeregisterDBProxyTargetsCommand;
__webpack_unused_export__ = DeregisterDBProxyTargetsRequest$;
__webpack_unused_export__ = DeregisterDBProxyTargetsResponse$;
__webpack_unused_export__ = DescribeAccountAttributes$;
exports.zSg = DescribeAccountAttributesCommand;
__webpack_unused_export__ = DescribeAccountAttributesMessage$;
__webpack_unused_export__ = DescribeBlueGreenDeployments$;
__webpack_unused_export__ = DescribeBlueGreenDeploymentsCommand;
__webpack_unused_export__ = DescribeBlueGreenDeploymentsRequest$;
__webpack_unused_export__ = DescribeBlueGreenDeploymentsResponse$;
__webpack_unused_export__ = DescribeCertificates$;
__webpack_unused_export__ = DescribeCertificatesCommand;
__webpack_unused_export__ = DescribeCertificatesMessage$;
__webpack_unused_export__ = DescribeDBCapacityReservations$;
__webpack_unused_export__ = DescribeDBCapacityReservationsCommand;
__webpack_unused_export__ = DescribeDBCapacityReservationsRequest$;
__webpack_unused_export__ = DescribeDBCapacityReservationsResponse$;
__webpack_unused_export__ = DescribeDBClusterAutomatedBackups$;
__webpack_unused_export__ = DescribeDBClusterAutomatedBackupsCommand;
__webpack_unused_export__ = DescribeDBClusterAutomatedBackupsMessage$;
__webpack_unused_export__ = DescribeDBClusterBacktracks$;
__webpack_unused_export__ = DescribeDBClusterBacktracksCommand;
__webpack_unused_export__ = DescribeDBClusterBacktracksMessage$;
__webpack_unused_export__ = DescribeDBClusterEndpoints$;
__webpack_unused_export__ = DescribeDBClusterEndpointsCommand;
__webpack_unused_export__ = DescribeDBClusterEndpointsMessage$;
__webpack_unused_export__ = DescribeDBClusterParameterGroups$;
__webpack_unused_export__ = DescribeDBClusterParameterGroupsCommand;
__webpack_unused_export__ = DescribeDBClusterParameterGroupsMessage$;
__webpack_unused_export__ = DescribeDBClusterParameters$;
__webpack_unused_export__ = DescribeDBClusterParametersCommand;
__webpack_unused_export__ = DescribeDBClusterParametersMessage$;
__webpack_unused_export__ = DescribeDBClusterSnapshotAttributes$;
__webpack_unused_export__ = DescribeDBClusterSnapshotAttributesCommand;
__webpack_unused_export__ = DescribeDBClusterSnapshotAttributesMessage$;
__webpack_unused_export__ = DescribeDBClusterSnapshotAttributesResult$;
__webpack_unused_export__ = DescribeDBClusterSnapshots$;
exports.cWV = DescribeDBClusterSnapshotsCommand;
__webpack_unused_export__ = DescribeDBClusterSnapshotsMessage$;
__webpack_unused_export__ = DescribeDBClusters$;
exports.Kdv = DescribeDBClustersCommand;
__webpack_unused_export__ = DescribeDBClustersMessage$;
__webpack_unused_export__ = DescribeDBEngineVersions$;
__webpack_unused_export__ = DescribeDBEngineVersionsCommand;
__webpack_unused_export__ = DescribeDBEngineVersionsMessage$;
__webpack_unused_export__ = DescribeDBInstanceAutomatedBackups$;
__webpack_unused_export__ = DescribeDBInstanceAutomatedBackupsCommand;
__webpack_unused_export__ = DescribeDBInstanceAutomatedBackupsMessage$;
__webpack_unused_export__ = DescribeDBInstances$;
exports.hhJ = DescribeDBInstancesCommand;
__webpack_unused_export__ = DescribeDBInstancesMessage$;
__webpack_unused_export__ = DescribeDBLogFiles$;
__webpack_unused_export__ = DescribeDBLogFilesCommand;
__webpack_unused_export__ = DescribeDBLogFilesDetails$;
__webpack_unused_export__ = DescribeDBLogFilesMessage$;
__webpack_unused_export__ = DescribeDBLogFilesResponse$;
__webpack_unused_export__ = DescribeDBMajorEngineVersions$;
__webpack_unused_export__ = DescribeDBMajorEngineVersionsCommand;
__webpack_unused_export__ = DescribeDBMajorEngineVersionsRequest$;
__webpack_unused_export__ = DescribeDBMajorEngineVersionsResponse$;
__webpack_unused_export__ = DescribeDBParameterGroups$;
__webpack_unused_export__ = DescribeDBParameterGroupsCommand;
__webpack_unused_export__ = DescribeDBParameterGroupsMessage$;
__webpack_unused_export__ = DescribeDBParameters$;
__webpack_unused_export__ = DescribeDBParametersCommand;
__webpack_unused_export__ = DescribeDBParametersMessage$;
__webpack_unused_export__ = DescribeDBProxies$;
__webpack_unused_export__ = DescribeDBProxiesCommand;
__webpack_unused_export__ = DescribeDBProxiesRequest$;
__webpack_unused_export__ = DescribeDBProxiesResponse$;
__webpack_unused_export__ = DescribeDBProxyEndpoints$;
__webpack_unused_export__ = DescribeDBProxyEndpointsCommand;
__webpack_unused_export__ = DescribeDBProxyEndpointsRequest$;
__webpack_unused_export__ = DescribeDBProxyEndpointsResponse$;
__webpack_unused_export__ = DescribeDBProxyTargetGroups$;
__webpack_unused_export__ = DescribeDBProxyTargetGroupsCommand;
__webpack_unused_export__ = DescribeDBProxyTargetGroupsRequest$;
__webpack_unused_export__ = DescribeDBProxyTargetGroupsResponse$;
__webpack_unused_export__ = DescribeDBProxyTargets$;
__webpack_unused_export__ = DescribeDBProxyTargetsCommand;
__webpack_unused_export__ = DescribeDBProxyTargetsRequest$;
__webpack_unused_export__ = DescribeDBProxyTargetsResponse$;
__webpack_unused_export__ = DescribeDBRecommendations$;
__webpack_unused_export__ = DescribeDBRecommendationsCommand;
__webpack_unused_export__ = DescribeDBRecommendationsMessage$;
__webpack_unused_export__ = DescribeDBSecurityGroups$;
__webpack_unused_export__ = DescribeDBSecurityGroupsCommand;
__webpack_unused_export__ = DescribeDBSecurityGroupsMessage$;
__webpack_unused_export__ = DescribeDBShardGroups$;
__webpack_unused_export__ = DescribeDBShardGroupsCommand;
__webpack_unused_export__ = DescribeDBShardGroupsMessage$;
__webpack_unused_export__ = DescribeDBShardGroupsResponse$;
__webpack_unused_export__ = DescribeDBSnapshotAttributes$;
__webpack_unused_export__ = DescribeDBSnapshotAttributesCommand;
__webpack_unused_export__ = DescribeDBSnapshotAttributesMessage$;
__webpack_unused_export__ = DescribeDBSnapshotAttributesResult$;
__webpack_unused_export__ = DescribeDBSnapshotTenantDatabases$;
__webpack_unused_export__ = DescribeDBSnapshotTenantDatabasesCommand;
__webpack_unused_export__ = DescribeDBSnapshotTenantDatabasesMessage$;
__webpack_unused_export__ = DescribeDBSnapshots$;
exports.KKI = DescribeDBSnapshotsCommand;
__webpack_unused_export__ = DescribeDBSnapshotsMessage$;
__webpack_unused_export__ = DescribeDBSubnetGroups$;
__webpack_unused_export__ = DescribeDBSubnetGroupsCommand;
__webpack_unused_export__ = DescribeDBSubnetGroupsMessage$;
__webpack_unused_export__ = DescribeEngineDefaultClusterParameters$;
__webpack_unused_export__ = DescribeEngineDefaultClusterParametersCommand;
__webpack_unused_export__ = DescribeEngineDefaultClusterParametersMessage$;
__webpack_unused_export__ = DescribeEngineDefaultClusterParametersResult$;
__webpack_unused_export__ = DescribeEngineDefaultParameters$;
__webpack_unused_export__ = DescribeEngineDefaultParametersCommand;
__webpack_unused_export__ = DescribeEngineDefaultParametersMessage$;
__webpack_unused_export__ = DescribeEngineDefaultParametersResult$;
__webpack_unused_export__ = DescribeEventCategories$;
__webpack_unused_export__ = DescribeEventCategoriesCommand;
__webpack_unused_export__ = DescribeEventCategoriesMessage$;
__webpack_unused_export__ = DescribeEventSubscriptions$;
__webpack_unused_export__ = DescribeEventSubscriptionsCommand;
__webpack_unused_export__ = DescribeEventSubscriptionsMessage$;
__webpack_unused_export__ = DescribeEvents$;
__webpack_unused_export__ = DescribeEventsCommand;
__webpack_unused_export__ = DescribeEventsMessage$;
__webpack_unused_export__ = DescribeExportTasks$;
__webpack_unused_export__ = DescribeExportTasksCommand;
__webpack_unused_export__ = DescribeExportTasksMessage$;
__webpack_unused_export__ = DescribeGlobalClusters$;
__webpack_unused_export__ = DescribeGlobalClustersCommand;
__webpack_unused_export__ = DescribeGlobalClustersMessage$;
__webpack_unused_export__ = DescribeIntegrations$;
__webpack_unused_export__ = DescribeIntegrationsCommand;
__webpack_unused_export__ = DescribeIntegrationsMessage$;
__webpack_unused_export__ = DescribeIntegrationsResponse$;
__webpack_unused_export__ = DescribeOptionGroupOptions$;
__webpack_unused_export__ = DescribeOptionGroupOptionsCommand;
__webpack_unused_export__ = DescribeOptionGroupOptionsMessage$;
__webpack_unused_export__ = DescribeOptionGroups$;
__webpack_unused_export__ = DescribeOptionGroupsCommand;
__webpack_unused_export__ = DescribeOptionGroupsMessage$;
__webpack_unused_export__ = DescribeOrderableDBInstanceOptions$;
__webpack_unused_export__ = DescribeOrderableDBInstanceOptionsCommand;
__webpack_unused_export__ = DescribeOrderableDBInstanceOptionsMessage$;
__webpack_unused_export__ = DescribePendingMaintenanceActions$;
__webpack_unused_export__ = DescribePendingMaintenanceActionsCommand;
__webpack_unused_export__ = DescribePendingMaintenanceActionsMessage$;
__webpack_unused_export__ = DescribeReservedDBInstances$;
__webpack_unused_export__ = DescribeReservedDBInstancesCommand;
__webpack_unused_export__ = DescribeReservedDBInstancesMessage$;
__webpack_unused_export__ = DescribeReservedDBInstancesOfferings$;
__webpack_unused_export__ = DescribeReservedDBInstancesOfferingsCommand;
__webpack_unused_export__ = DescribeReservedDBInstancesOfferingsMessage$;
__webpack_unused_export__ = DescribeServerlessV2PlatformVersions$;
__webpack_unused_export__ = DescribeServerlessV2PlatformVersionsCommand;
__webpack_unused_export__ = DescribeServerlessV2PlatformVersionsMessage$;
__webpack_unused_export__ = DescribeSourceRegions$;
__webpack_unused_export__ = DescribeSourceRegionsCommand;
__webpack_unused_export__ = DescribeSourceRegionsMessage$;
__webpack_unused_export__ = DescribeTenantDatabases$;
__webpack_unused_export__ = DescribeTenantDatabasesCommand;
__webpack_unused_export__ = DescribeTenantDatabasesMessage$;
__webpack_unused_export__ = DescribeValidDBInstanceModifications$;
__webpack_unused_export__ = DescribeValidDBInstanceModificationsCommand;
__webpack_unused_export__ = DescribeValidDBInstanceModificationsMessage$;
__webpack_unused_export__ = DescribeValidDBInstanceModificationsResult$;
__webpack_unused_export__ = DisableHttpEndpoint$;
__webpack_unused_export__ = DisableHttpEndpointCommand;
__webpack_unused_export__ = DisableHttpEndpointRequest$;
__webpack_unused_export__ = DisableHttpEndpointResponse$;
__webpack_unused_export__ = DocLink$;
__webpack_unused_export__ = DomainMembership$;
__webpack_unused_export__ = DomainNotFoundFault;
__webpack_unused_export__ = DomainNotFoundFault$;
__webpack_unused_export__ = DoubleRange$;
__webpack_unused_export__ = DownloadDBLogFilePortion$;
__webpack_unused_export__ = DownloadDBLogFilePortionCommand;
__webpack_unused_export__ = DownloadDBLogFilePortionDetails$;
__webpack_unused_export__ = DownloadDBLogFilePortionMessage$;
__webpack_unused_export__ = EC2SecurityGroup$;
__webpack_unused_export__ = Ec2ImagePropertiesNotSupportedFault;
__webpack_unused_export__ = Ec2ImagePropertiesNotSupportedFault$;
__webpack_unused_export__ = EnableHttpEndpoint$;
__webpack_unused_export__ = EnableHttpEndpointCommand;
__webpack_unused_export__ = EnableHttpEndpointRequest$;
__webpack_unused_export__ = EnableHttpEndpointResponse$;
__webpack_unused_export__ = EndDateType;
__webpack_unused_export__ = Endpoint$;
__webpack_unused_export__ = EndpointNetworkType;
__webpack_unused_export__ = EngineDefaults$;
__webpack_unused_export__ = EngineFamily;
__webpack_unused_export__ = Event$;
__webpack_unused_export__ = EventCategoriesMap$;
__webpack_unused_export__ = EventCategoriesMessage$;
__webpack_unused_export__ = EventSubscription$;
__webpack_unused_export__ = EventSubscriptionQuotaExceededFault;
__webpack_unused_export__ = EventSubscriptionQuotaExceededFault$;
__webpack_unused_export__ = EventSubscriptionsMessage$;
__webpack_unused_export__ = EventsMessage$;
__webpack_unused_export__ = ExportSourceType;
__webpack_unused_export__ = ExportTask$;
__webpack_unused_export__ = ExportTaskAlreadyExistsFault;
__webpack_unused_export__ = ExportTaskAlreadyExistsFault$;
__webpack_unused_export__ = ExportTaskNotFoundFault;
__webpack_unused_export__ = ExportTaskNotFoundFault$;
__webpack_unused_export__ = ExportTasksMessage$;
__webpack_unused_export__ = FailoverDBCluster$;
__webpack_unused_export__ = FailoverDBClusterCommand;
__webpack_unused_export__ = FailoverDBClusterMessage$;
__webpack_unused_export__ = FailoverDBClusterResult$;
__webpack_unused_export__ = FailoverGlobalCluster$;
__webpack_unused_export__ = FailoverGlobalClusterCommand;
__webpack_unused_export__ = FailoverGlobalClusterMessage$;
__webpack_unused_export__ = FailoverGlobalClusterResult$;
__webpack_unused_export__ = FailoverState$;
__webpack_unused_export__ = FailoverStatus;
__webpack_unused_export__ = Filter$;
__webpack_unused_export__ = GlobalCluster$;
__webpack_unused_export__ = GlobalClusterAlreadyExistsFault;
__webpack_unused_export__ = GlobalClusterAlreadyExistsFault$;
__webpack_unused_export__ = GlobalClusterMember$;
__webpack_unused_export__ = GlobalClusterMemberSynchronizationStatus;
__webpack_unused_export__ = GlobalClusterNotFoundFault;
__webpack_unused_export__ = GlobalClusterNotFoundFault$;
__webpack_unused_export__ = GlobalClusterQuotaExceededFault;
__webpack_unused_export__ = GlobalClusterQuotaExceededFault$;
__webpack_unused_export__ = GlobalClustersMessage$;
__webpack_unused_export__ = IAMAuthMode;
__webpack_unused_export__ = IPRange$;
__webpack_unused_export__ = IamRoleMissingPermissionsFault;
__webpack_unused_export__ = IamRoleMissingPermissionsFault$;
__webpack_unused_export__ = IamRoleNotFoundFault;
__webpack_unused_export__ = IamRoleNotFoundFault$;
__webpack_unused_export__ = InstanceQuotaExceededFault;
__webpack_unused_export__ = InstanceQuotaExceededFault$;
__webpack_unused_export__ = InsufficientAvailableIPsInSubnetFault;
__webpack_unused_export__ = InsufficientAvailableIPsInSubnetFault$;
__webpack_unused_export__ = InsufficientDBClusterCapacityFault;
__webpack_unused_export__ = InsufficientDBClusterCapacityFault$;
__webpack_unused_export__ = InsufficientDBInstanceCapacityFault;
__webpack_unused_export__ = InsufficientDBInstanceCapacityFault$;
__webpack_unused_export__ = InsufficientStorageClusterCapacityFault;
__webpack_unused_export__ = InsufficientStorageClusterCapacityFault$;
__webpack_unused_export__ = Integration$;
__webpack_unused_export__ = IntegrationAlreadyExistsFault;
__webpack_unused_export__ = IntegrationAlreadyExistsFault$;
__webpack_unused_export__ = IntegrationConflictOperationFault;
__webpack_unused_export__ = IntegrationConflictOperationFault$;
__webpack_unused_export__ = IntegrationError$;
__webpack_unused_export__ = IntegrationNotFoundFault;
__webpack_unused_export__ = IntegrationNotFoundFault$;
__webpack_unused_export__ = IntegrationQuotaExceededFault;
__webpack_unused_export__ = IntegrationQuotaExceededFault$;
__webpack_unused_export__ = IntegrationStatus;
__webpack_unused_export__ = InvalidBlueGreenDeploymentStateFault;
__webpack_unused_export__ = InvalidBlueGreenDeploymentStateFault$;
__webpack_unused_export__ = InvalidCustomDBEngineVersionStateFault;
__webpack_unused_export__ = InvalidCustomDBEngineVersionStateFault$;
__webpack_unused_export__ = InvalidDBCapacityReservationStateFault;
__webpack_unused_export__ = InvalidDBCapacityReservationStateFault$;
__webpack_unused_export__ = InvalidDBClusterAutomatedBackupStateFault;
__webpack_unused_export__ = InvalidDBClusterAutomatedBackupStateFault$;
__webpack_unused_export__ = InvalidDBClusterCapacityFault;
__webpack_unused_export__ = InvalidDBClusterCapacityFault$;
__webpack_unused_export__ = InvalidDBClusterEndpointStateFault;
__webpack_unused_export__ = InvalidDBClusterEndpointStateFault$;
__webpack_unused_export__ = InvalidDBClusterSnapshotStateFault;
__webpack_unused_export__ = InvalidDBClusterSnapshotStateFault$;
__webpack_unused_export__ = InvalidDBClusterStateFault;
__webpack_unused_export__ = InvalidDBClusterStateFault$;
__webpack_unused_export__ = InvalidDBInstanceAutomatedBackupStateFault;
__webpack_unused_export__ = InvalidDBInstanceAutomatedBackupStateFault$;
__webpack_unused_export__ = InvalidDBInstanceStateFault;
__webpack_unused_export__ = InvalidDBInstanceStateFault$;
__webpack_unused_export__ = InvalidDBParameterGroupStateFault;
__webpack_unused_export__ = InvalidDBParameterGroupStateFault$;
__webpack_unused_export__ = InvalidDBProxyEndpointStateFault;
__webpack_unused_export__ = InvalidDBProxyEndpointStateFault$;
__webpack_unused_export__ = InvalidDBProxyStateFault;
__webpack_unused_export__ = InvalidDBProxyStateFault$;
__webpack_unused_export__ = InvalidDBSecurityGroupStateFault;
__webpack_unused_export__ = InvalidDBSecurityGroupStateFault$;
__webpack_unused_export__ = InvalidDBShardGroupStateFault;
__webpack_unused_export__ = InvalidDBShardGroupStateFault$;
__webpack_unused_export__ = InvalidDBSnapshotStateFault;
__webpack_unused_export__ = InvalidDBSnapshotStateFault$;
__webpack_unused_export__ = InvalidDBSubnetGroupFault;
__webpack_unused_export__ = InvalidDBSubnetGroupFault$;
__webpack_unused_export__ = InvalidDBSubnetGroupStateFault;
__webpack_unused_export__ = InvalidDBSubnetGroupStateFault$;
__webpack_unused_export__ = InvalidDBSubnetStateFault;
__webpack_unused_export__ = InvalidDBSubnetStateFault$;
__webpack_unused_export__ = InvalidEventSubscriptionStateFault;
__webpack_unused_export__ = InvalidEventSubscriptionStateFault$;
__webpack_unused_export__ = InvalidExportOnlyFault;
__webpack_unused_export__ = InvalidExportOnlyFault$;
__webpack_unused_export__ = InvalidExportSourceStateFault;
__webpack_unused_export__ = InvalidExportSourceStateFault$;
__webpack_unused_export__ = InvalidExportTaskStateFault;
__webpack_unused_export__ = InvalidExportTaskStateFault$;
__webpack_unused_export__ = InvalidGlobalClusterStateFault;
__webpack_unused_export__ = InvalidGlobalClusterStateFault$;
__webpack_unused_export__ = InvalidIntegrationStateFault;
__webpack_unused_export__ = InvalidIntegrationStateFault$;
__webpack_unused_export__ = InvalidOptionGroupStateFault;
__webpack_unused_export__ = InvalidOptionGroupStateFault$;
__webpack_unused_export__ = InvalidResourceStateFault;
__webpack_unused_export__ = InvalidResourceStateFault$;
__webpack_unused_export__ = InvalidRestoreFault;
__webpack_unused_export__ = InvalidRestoreFault$;
__webpack_unused_export__ = InvalidS3BucketFault;
__webpack_unused_export__ = InvalidS3BucketFault$;
__webpack_unused_export__ = InvalidSubnet;
__webpack_unused_export__ = InvalidSubnet$;
__webpack_unused_export__ = InvalidVPCNetworkStateFault;
__webpack_unused_export__ = InvalidVPCNetworkStateFault$;
__webpack_unused_export__ = IssueDetails$;
__webpack_unused_export__ = KMSKeyNotAccessibleFault;
__webpack_unused_export__ = KMSKeyNotAccessibleFault$;
__webpack_unused_export__ = LifecycleSupportName;
__webpack_unused_export__ = LimitlessDatabase$;
__webpack_unused_export__ = LimitlessDatabaseStatus;
__webpack_unused_export__ = ListTagsForResource$;
__webpack_unused_export__ = ListTagsForResourceCommand;
__webpack_unused_export__ = ListTagsForResourceMessage$;
__webpack_unused_export__ = LocalWriteForwardingStatus;
__webpack_unused_export__ = MasterUserAuthenticationType;
__webpack_unused_export__ = MasterUserSecret$;
__webpack_unused_export__ = MaxDBShardGroupLimitReached;
__webpack_unused_export__ = MaxDBShardGroupLimitReached$;
__webpack_unused_export__ = Metric$;
__webpack_unused_export__ = MetricQuery$;
__webpack_unused_export__ = MetricReference$;
__webpack_unused_export__ = MinimumEngineVersionPerAllowedValue$;
__webpack_unused_export__ = ModifyActivityStream$;
__webpack_unused_export__ = ModifyActivityStreamCommand;
__webpack_unused_export__ = ModifyActivityStreamRequest$;
__webpack_unused_export__ = ModifyActivityStreamResponse$;
__webpack_unused_export__ = ModifyAdditionalStorageVolume$;
__webpack_unused_export__ = ModifyCertificates$;
__webpack_unused_export__ = ModifyCertificatesCommand;
__webpack_unused_export__ = ModifyCertificatesMessage$;
__webpack_unused_export__ = ModifyCertificatesResult$;
__webpack_unused_export__ = ModifyCurrentDBClusterCapacity$;
__webpack_unused_export__ = ModifyCurrentDBClusterCapacityCommand;
__webpack_unused_export__ = ModifyCurrentDBClusterCapacityMessage$;
__webpack_unused_export__ = ModifyCustomDBEngineVersion$;
__webpack_unused_export__ = ModifyCustomDBEngineVersionCommand;
__webpack_unused_export__ = ModifyCustomDBEngineVersionMessage$;
__webpack_unused_export__ = ModifyDBCapacityReservation$;
__webpack_unused_export__ = ModifyDBCapacityReservationCommand;
__webpack_unused_export__ = ModifyDBCapacityReservationRequest$;
__webpack_unused_export__ = ModifyDBCapacityReservationResponse$;
__webpack_unused_export__ = ModifyDBCluster$;
__webpack_unused_export__ = ModifyDBClusterCommand;
__webpack_unused_export__ = ModifyDBClusterEndpoint$;
__webpack_unused_export__ = ModifyDBClusterEndpointCommand;
__webpack_unused_export__ = ModifyDBClusterEndpointMessage$;
__webpack_unused_export__ = ModifyDBClusterMessage$;
__webpack_unused_export__ = ModifyDBClusterParameterGroup$;
__webpack_unused_export__ = ModifyDBClusterParameterGroupCommand;
__webpack_unused_export__ = ModifyDBClusterParameterGroupMessage$;
__webpack_unused_export__ = ModifyDBClusterResult$;
__webpack_unused_export__ = ModifyDBClusterSnapshotAttribute$;
__webpack_unused_export__ = ModifyDBClusterSnapshotAttributeCommand;
__webpack_unused_export__ = ModifyDBClusterSnapshotAttributeMessage$;
__webpack_unused_export__ = ModifyDBClusterSnapshotAttributeResult$;
__webpack_unused_export__ = ModifyDBInstance$;
__webpack_unused_export__ = ModifyDBInstanceCommand;
__webpack_unused_export__ = ModifyDBInstanceMessage$;
__webpack_unused_export__ = ModifyDBInstanceResult$;
__webpack_unused_export__ = ModifyDBParameterGroup$;
__webpack_unused_export__ = ModifyDBParameterGroupCommand;
__webpack_unused_export__ = ModifyDBParameterGroupMessage$;
__webpack_unused_export__ = ModifyDBProxy$;
__webpack_unused_export__ = ModifyDBProxyCommand;
__webpack_unused_export__ = ModifyDBProxyEndpoint$;
__webpack_unused_export__ = ModifyDBProxyEndpointCommand;
__webpack_unused_export__ = ModifyDBProxyEndpointRequest$;
__webpack_unused_export__ = ModifyDBProxyEndpointResponse$;
__webpack_unused_export__ = ModifyDBProxyRequest$;
__webpack_unused_export__ = ModifyDBProxyResponse$;
__webpack_unused_export__ = ModifyDBProxyTargetGroup$;
__webpack_unused_export__ = ModifyDBProxyTargetGroupCommand;
__webpack_unused_export__ = ModifyDBProxyTargetGroupRequest$;
__webpack_unused_export__ = ModifyDBProxyTargetGroupResponse$;
__webpack_unused_export__ = ModifyDBRecommendation$;
__webpack_unused_export__ = ModifyDBRecommendationCommand;
__webpack_unused_export__ = ModifyDBRecommendationMessage$;
__webpack_unused_export__ = ModifyDBShardGroup$;
__webpack_unused_export__ = ModifyDBShardGroupCommand;
__webpack_unused_export__ = ModifyDBShardGroupMessage$;
__webpack_unused_export__ = ModifyDBSnapshot$;
__webpack_unused_export__ = ModifyDBSnapshotAttribute$;
__webpack_unused_export__ = ModifyDBSnapshotAttributeCommand;
__webpack_unused_export__ = ModifyDBSnapshotAttributeMessage$;
__webpack_unused_export__ = ModifyDBSnapshotAttributeResult$;
__webpack_unused_export__ = ModifyDBSnapshotCommand;
__webpack_unused_export__ = ModifyDBSnapshotMessage$;
__webpack_unused_export__ = ModifyDBSnapshotResult$;
__webpack_unused_export__ = ModifyDBSubnetGroup$;
__webpack_unused_export__ = ModifyDBSubnetGroupCommand;
__webpack_unused_export__ = ModifyDBSubnetGroupMessage$;
__webpack_unused_export__ = ModifyDBSubnetGroupResult$;
__webpack_unused_export__ = ModifyEventSubscription$;
__webpack_unused_export__ = ModifyEventSubscriptionCommand;
__webpack_unused_export__ = ModifyEventSubscriptionMessage$;
__webpack_unused_export__ = ModifyEventSubscriptionResult$;
__webpack_unused_export__ = ModifyGlobalCluster$;
__webpack_unused_export__ = ModifyGlobalClusterCommand;
__webpack_unused_export__ = ModifyGlobalClusterMessage$;
__webpack_unused_export__ = ModifyGlobalClusterResult$;
__webpack_unused_export__ = ModifyIntegration$;
__webpack_unused_export__ = ModifyIntegrationCommand;
__webpack_unused_export__ = ModifyIntegrationMessage$;
__webpack_unused_export__ = ModifyOptionGroup$;
__webpack_unused_export__ = ModifyOptionGroupCommand;
__webpack_unused_export__ = ModifyOptionGroupMessage$;
__webpack_unused_export__ = ModifyOptionGroupResult$;
__webpack_unused_export__ = ModifyTenantDatabase$;
__webpack_unused_export__ = ModifyTenantDatabaseCommand;
__webpack_unused_export__ = ModifyTenantDatabaseMessage$;
__webpack_unused_export__ = ModifyTenantDatabaseResult$;
__webpack_unused_export__ = NetworkTypeNotSupported;
__webpack_unused_export__ = NetworkTypeNotSupported$;
__webpack_unused_export__ = Option$;
__webpack_unused_export__ = OptionConfiguration$;
__webpack_unused_export__ = OptionGroup$;
__webpack_unused_export__ = OptionGroupAlreadyExistsFault;
__webpack_unused_export__ = OptionGroupAlreadyExistsFault$;
__webpack_unused_export__ = OptionGroupMembership$;
__webpack_unused_export__ = OptionGroupNotFoundFault;
__webpack_unused_export__ = OptionGroupNotFoundFault$;
__webpack_unused_export__ = OptionGroupOption$;
__webpack_unused_export__ = OptionGroupOptionSetting$;
__webpack_unused_export__ = OptionGroupOptionsMessage$;
__webpack_unused_export__ = OptionGroupQuotaExceededFault;
__webpack_unused_export__ = OptionGroupQuotaExceededFault$;
__webpack_unused_export__ = OptionGroups$;
__webpack_unused_export__ = OptionSetting$;
__webpack_unused_export__ = OptionVersion$;
__webpack_unused_export__ = OrderableDBInstanceOption$;
__webpack_unused_export__ = OrderableDBInstanceOptionsMessage$;
__webpack_unused_export__ = Outpost$;
__webpack_unused_export__ = Parameter$;
__webpack_unused_export__ = PendingCloudwatchLogsExports$;
__webpack_unused_export__ = PendingMaintenanceAction$;
__webpack_unused_export__ = PendingMaintenanceActionsMessage$;
__webpack_unused_export__ = PendingModifiedValues$;
__webpack_unused_export__ = PerformanceInsightsMetricDimensionGroup$;
__webpack_unused_export__ = PerformanceInsightsMetricQuery$;
__webpack_unused_export__ = PerformanceIssueDetails$;
__webpack_unused_export__ = PointInTimeRestoreNotEnabledFault;
__webpack_unused_export__ = PointInTimeRestoreNotEnabledFault$;
__webpack_unused_export__ = ProcessorFeature$;
__webpack_unused_export__ = PromoteReadReplica$;
__webpack_unused_export__ = PromoteReadReplicaCommand;
__webpack_unused_export__ = PromoteReadReplicaDBCluster$;
__webpack_unused_export__ = PromoteReadReplicaDBClusterCommand;
__webpack_unused_export__ = PromoteReadReplicaDBClusterMessage$;
__webpack_unused_export__ = PromoteReadReplicaDBClusterResult$;
__webpack_unused_export__ = PromoteReadReplicaMessage$;
__webpack_unused_export__ = PromoteReadReplicaResult$;
__webpack_unused_export__ = ProvisionedIopsNotAvailableInAZFault;
__webpack_unused_export__ = ProvisionedIopsNotAvailableInAZFault$;
__webpack_unused_export__ = PurchaseReservedDBInstancesOffering$;
__webpack_unused_export__ = PurchaseReservedDBInstancesOfferingCommand;
__webpack_unused_export__ = PurchaseReservedDBInstancesOfferingMessage$;
__webpack_unused_export__ = PurchaseReservedDBInstancesOfferingResult$;
__webpack_unused_export__ = RDS;
exports.rYe = RDSClient;
__webpack_unused_export__ = RDSServiceException;
__webpack_unused_export__ = RDSServiceException$;
__webpack_unused_export__ = Range$;
__webpack_unused_export__ = RdsCustomClusterConfiguration$;
__webpack_unused_export__ = RebootDBCluster$;
__webpack_unused_export__ = RebootDBClusterCommand;
__webpack_unused_export__ = RebootDBClusterMessage$;
__webpack_unused_export__ = RebootDBClusterResult$;
__webpack_unused_export__ = RebootDBInstance$;
__webpack_unused_export__ = RebootDBInstanceCommand;
__webpack_unused_export__ = RebootDBInstanceMessage$;
__webpack_unused_export__ = RebootDBInstanceResult$;
__webpack_unused_export__ = RebootDBShardGroup$;
__webpack_unused_export__ = RebootDBShardGroupCommand;
__webpack_unused_export__ = RebootDBShardGroupMessage$;
__webpack_unused_export__ = RecommendedAction$;
__webpack_unused_export__ = RecommendedActionParameter$;
__webpack_unused_export__ = RecommendedActionUpdate$;
__webpack_unused_export__ = RecurringCharge$;
__webpack_unused_export__ = ReferenceDetails$;
__webpack_unused_export__ = RegisterDBProxyTargets$;
__webpack_unused_export__ = RegisterDBProxyTargetsCommand;
__webpack_unused_export__ = RegisterDBProxyTargetsRequest$;
__webpack_unused_export__ = RegisterDBProxyTargetsResponse$;
__webpack_unused_export__ = RemoveFromGlobalCluster$;
__webpack_unused_export__ = RemoveFromGlobalClusterCommand;
__webpack_unused_export__ = RemoveFromGlobalClusterMessage$;
__webpack_unused_export__ = RemoveFromGlobalClusterResult$;
__webpack_unused_export__ = RemoveRoleFromDBCluster$;
__webpack_unused_export__ = RemoveRoleFromDBClusterCommand;
__webpack_unused_export__ = RemoveRoleFromDBClusterMessage$;
__webpack_unused_export__ = RemoveRoleFromDBInstance$;
__webpack_unused_export__ = RemoveRoleFromDBInstanceCommand;
__webpack_unused_export__ = RemoveRoleFromDBInstanceMessage$;
__webpack_unused_export__ = RemoveSourceIdentifierFromSubscription$;
__webpack_unused_export__ = RemoveSourceIdentifierFromSubscriptionCommand;
__webpack_unused_export__ = RemoveSourceIdentifierFromSubscriptionMessage$;
__webpack_unused_export__ = RemoveSourceIdentifierFromSubscriptionResult$;
__webpack_unused_export__ = RemoveTagsFromResource$;
__webpack_unused_export__ = RemoveTagsFromResourceCommand;
__webpack_unused_export__ = RemoveTagsFromResourceMessage$;
__webpack_unused_export__ = ReplicaMode;
__webpack_unused_export__ = ReservedDBInstance$;
__webpack_unused_export__ = ReservedDBInstanceAlreadyExistsFault;
__webpack_unused_export__ = ReservedDBInstanceAlreadyExistsFault$;
__webpack_unused_export__ = ReservedDBInstanceMessage$;
__webpack_unused_export__ = ReservedDBInstanceNotFoundFault;
__webpack_unused_export__ = ReservedDBInstanceNotFoundFault$;
__webpack_unused_export__ = ReservedDBInstanceQuotaExceededFault;
__webpack_unused_export__ = ReservedDBInstanceQuotaExceededFault$;
__webpack_unused_export__ = ReservedDBInstancesOffering$;
__webpack_unused_export__ = ReservedDBInstancesOfferingMessage$;
__webpack_unused_export__ = ReservedDBInstancesOfferingNotFoundFault;
__webpack_unused_export__ = ReservedDBInstancesOfferingNotFoundFault$;
__webpack_unused_export__ = ResetDBClusterParameterGroup$;
__webpack_unused_export__ = ResetDBClusterParameterGroupCommand;
__webpack_unused_export__ = ResetDBClusterParameterGroupMessage$;
__webpack_unused_export__ = ResetDBParameterGroup$;
__webpack_unused_export__ = ResetDBParameterGroupCommand;
__webpack_unused_export__ = ResetDBParameterGroupMessage$;
__webpack_unused_export__ = ResourceNotFoundFault;
__webpack_unused_export__ = ResourceNotFoundFault$;
__webpack_unused_export__ = ResourcePendingMaintenanceActions$;
__webpack_unused_export__ = RestoreDBClusterFromS3$;
__webpack_unused_export__ = RestoreDBClusterFromS3Command;
__webpack_unused_export__ = RestoreDBClusterFromS3Message$;
__webpack_unused_export__ = RestoreDBClusterFromS3Result$;
__webpack_unused_export__ = RestoreDBClusterFromSnapshot$;
__webpack_unused_export__ = RestoreDBClusterFromSnapshotCommand;
__webpack_unused_export__ = RestoreDBClusterFromSnapshotMessage$;
__webpack_unused_export__ = RestoreDBClusterFromSnapshotResult$;
__webpack_unused_export__ = RestoreDBClusterToPointInTime$;
__webpack_unused_export__ = RestoreDBClusterToPointInTimeCommand;
__webpack_unused_export__ = RestoreDBClusterToPointInTimeMessage$;
__webpack_unused_export__ = RestoreDBClusterToPointInTimeResult$;
__webpack_unused_export__ = RestoreDBInstanceFromDBSnapshot$;
__webpack_unused_export__ = RestoreDBInstanceFromDBSnapshotCommand;
__webpack_unused_export__ = RestoreDBInstanceFromDBSnapshotMessage$;
__webpack_unused_export__ = RestoreDBInstanceFromDBSnapshotResult$;
__webpack_unused_export__ = RestoreDBInstanceFromS3$;
__webpack_unused_export__ = RestoreDBInstanceFromS3Command;
__webpack_unused_export__ = RestoreDBInstanceFromS3Message$;
__webpack_unused_export__ = RestoreDBInstanceFromS3Result$;
__webpack_unused_export__ = RestoreDBInstanceToPointInTime$;
__webpack_unused_export__ = RestoreDBInstanceToPointInTimeCommand;
__webpack_unused_export__ = RestoreDBInstanceToPointInTimeMessage$;
__webpack_unused_export__ = RestoreDBInstanceToPointInTimeResult$;
__webpack_unused_export__ = RestoreWindow$;
__webpack_unused_export__ = RevokeDBSecurityGroupIngress$;
__webpack_unused_export__ = RevokeDBSecurityGroupIngressCommand;
__webpack_unused_export__ = RevokeDBSecurityGroupIngressMessage$;
__webpack_unused_export__ = RevokeDBSecurityGroupIngressResult$;
__webpack_unused_export__ = SNSInvalidTopicFault;
__webpack_unused_export__ = SNSInvalidTopicFault$;
__webpack_unused_export__ = SNSNoAuthorizationFault;
__webpack_unused_export__ = SNSNoAuthorizationFault$;
__webpack_unused_export__ = SNSTopicArnNotFoundFault;
__webpack_unused_export__ = SNSTopicArnNotFoundFault$;
__webpack_unused_export__ = ScalarReferenceDetails$;
__webpack_unused_export__ = ScalingConfiguration$;
__webpack_unused_export__ = ScalingConfigurationInfo$;
__webpack_unused_export__ = ServerlessV2FeaturesSupport$;
__webpack_unused_export__ = ServerlessV2PlatformVersionInfo$;
__webpack_unused_export__ = ServerlessV2PlatformVersionsMessage$;
__webpack_unused_export__ = ServerlessV2ScalingConfiguration$;
__webpack_unused_export__ = ServerlessV2ScalingConfigurationInfo$;
__webpack_unused_export__ = SharedSnapshotQuotaExceededFault;
__webpack_unused_export__ = SharedSnapshotQuotaExceededFault$;
__webpack_unused_export__ = SnapshotQuotaExceededFault;
__webpack_unused_export__ = SnapshotQuotaExceededFault$;
__webpack_unused_export__ = SourceClusterNotSupportedFault;
__webpack_unused_export__ = SourceClusterNotSupportedFault$;
__webpack_unused_export__ = SourceDatabaseNotSupportedFault;
__webpack_unused_export__ = SourceDatabaseNotSupportedFault$;
__webpack_unused_export__ = SourceNotFoundFault;
__webpack_unused_export__ = SourceNotFoundFault$;
__webpack_unused_export__ = SourceRegion$;
__webpack_unused_export__ = SourceRegionMessage$;
__webpack_unused_export__ = SourceType;
__webpack_unused_export__ = StartActivityStream$;
__webpack_unused_export__ = StartActivityStreamCommand;
__webpack_unused_export__ = StartActivityStreamRequest$;
__webpack_unused_export__ = StartActivityStreamResponse$;
__webpack_unused_export__ = StartDBCluster$;
__webpack_unused_export__ = StartDBClusterCommand;
__webpack_unused_export__ = StartDBClusterMessage$;
__webpack_unused_export__ = StartDBClusterResult$;
__webpack_unused_export__ = StartDBInstance$;
__webpack_unused_export__ = StartDBInstanceAutomatedBackupsReplication$;
__webpack_unused_export__ = StartDBInstanceAutomatedBackupsReplicationCommand;
__webpack_unused_export__ = StartDBInstanceAutomatedBackupsReplicationMessage$;
__webpack_unused_export__ = StartDBInstanceAutomatedBackupsReplicationResult$;
__webpack_unused_export__ = StartDBInstanceCommand;
__webpack_unused_export__ = StartDBInstanceMessage$;
__webpack_unused_export__ = StartDBInstanceResult$;
__webpack_unused_export__ = StartExportTask$;
__webpack_unused_export__ = StartExportTaskCommand;
__webpack_unused_export__ = StartExportTaskMessage$;
__webpack_unused_export__ = StopActivityStream$;
__webpack_unused_export__ = StopActivityStreamCommand;
__webpack_unused_export__ = StopActivityStreamRequest$;
__webpack_unused_export__ = StopActivityStreamResponse$;
__webpack_unused_export__ = StopDBCluster$;
__webpack_unused_export__ = StopDBClusterCommand;
__webpack_unused_export__ = StopDBClusterMessage$;
__webpack_unused_export__ = StopDBClusterResult$;
__webpack_unused_export__ = StopDBInstance$;
__webpack_unused_export__ = StopDBInstanceAutomatedBackupsReplication$;
__webpack_unused_export__ = StopDBInstanceAutomatedBackupsReplicationCommand;
__webpack_unused_export__ = StopDBInstanceAutomatedBackupsReplicationMessage$;
__webpack_unused_export__ = StopDBInstanceAutomatedBackupsReplicationResult$;
__webpack_unused_export__ = StopDBInstanceCommand;
__webpack_unused_export__ = StopDBInstanceMessage$;
__webpack_unused_export__ = StopDBInstanceResult$;
__webpack_unused_export__ = StorageEncryptionType;
__webpack_unused_export__ = StorageQuotaExceededFault;
__webpack_unused_export__ = StorageQuotaExceededFault$;
__webpack_unused_export__ = StorageTypeNotAvailableFault;
__webpack_unused_export__ = StorageTypeNotAvailableFault$;
__webpack_unused_export__ = StorageTypeNotSupportedFault;
__webpack_unused_export__ = StorageTypeNotSupportedFault$;
__webpack_unused_export__ = Subnet$;
__webpack_unused_export__ = SubnetAlreadyInUse;
__webpack_unused_export__ = SubnetAlreadyInUse$;
__webpack_unused_export__ = SubscriptionAlreadyExistFault;
__webpack_unused_export__ = SubscriptionAlreadyExistFault$;
__webpack_unused_export__ = SubscriptionCategoryNotFoundFault;
__webpack_unused_export__ = SubscriptionCategoryNotFoundFault$;
__webpack_unused_export__ = SubscriptionNotFoundFault;
__webpack_unused_export__ = SubscriptionNotFoundFault$;
__webpack_unused_export__ = SupportedEngineLifecycle$;
__webpack_unused_export__ = SwitchoverBlueGreenDeployment$;
__webpack_unused_export__ = SwitchoverBlueGreenDeploymentCommand;
__webpack_unused_export__ = SwitchoverBlueGreenDeploymentRequest$;
__webpack_unused_export__ = SwitchoverBlueGreenDeploymentResponse$;
__webpack_unused_export__ = SwitchoverDetail$;
__webpack_unused_export__ = SwitchoverGlobalCluster$;
__webpack_unused_export__ = SwitchoverGlobalClusterCommand;
__webpack_unused_export__ = SwitchoverGlobalClusterMessage$;
__webpack_unused_export__ = SwitchoverGlobalClusterResult$;
__webpack_unused_export__ = SwitchoverReadReplica$;
__webpack_unused_export__ = SwitchoverReadReplicaCommand;
__webpack_unused_export__ = SwitchoverReadReplicaMessage$;
__webpack_unused_export__ = SwitchoverReadReplicaResult$;
__webpack_unused_export__ = Tag$;
__webpack_unused_export__ = TagListMessage$;
__webpack_unused_export__ = TagSpecification$;
__webpack_unused_export__ = TargetConnectionNetworkType;
__webpack_unused_export__ = TargetHealth$;
__webpack_unused_export__ = TargetHealthReason;
__webpack_unused_export__ = TargetResourceConfiguration$;
__webpack_unused_export__ = TargetRole;
__webpack_unused_export__ = TargetState;
__webpack_unused_export__ = TargetType;
__webpack_unused_export__ = TenantDatabase$;
__webpack_unused_export__ = TenantDatabaseAlreadyExistsFault;
__webpack_unused_export__ = TenantDatabaseAlreadyExistsFault$;
__webpack_unused_export__ = TenantDatabaseNotFoundFault;
__webpack_unused_export__ = TenantDatabaseNotFoundFault$;
__webpack_unused_export__ = TenantDatabasePendingModifiedValues$;
__webpack_unused_export__ = TenantDatabaseQuotaExceededFault;
__webpack_unused_export__ = TenantDatabaseQuotaExceededFault$;
__webpack_unused_export__ = TenantDatabasesMessage$;
__webpack_unused_export__ = Timezone$;
__webpack_unused_export__ = UnsupportedDBEngineVersionFault;
__webpack_unused_export__ = UnsupportedDBEngineVersionFault$;
__webpack_unused_export__ = UpgradeRolloutOrder;
__webpack_unused_export__ = UpgradeTarget$;
__webpack_unused_export__ = UserAuthConfig$;
__webpack_unused_export__ = UserAuthConfigInfo$;
__webpack_unused_export__ = ValidAdditionalStorageOptions$;
__webpack_unused_export__ = ValidDBInstanceModificationsMessage$;
__webpack_unused_export__ = ValidStorageOptions$;
__webpack_unused_export__ = ValidVolumeOptions$;
__webpack_unused_export__ = VpcEncryptionControlViolationException;
__webpack_unused_export__ = VpcEncryptionControlViolationException$;
__webpack_unused_export__ = VpcSecurityGroupMembership$;
__webpack_unused_export__ = WriteForwardingStatus;
__webpack_unused_export__ = errorTypeRegistries;
__webpack_unused_export__ = paginateDescribeBlueGreenDeployments;
__webpack_unused_export__ = paginateDescribeCertificates;
__webpack_unused_export__ = paginateDescribeDBCapacityReservations;
__webpack_unused_export__ = paginateDescribeDBClusterAutomatedBackups;
__webpack_unused_export__ = paginateDescribeDBClusterBacktracks;
__webpack_unused_export__ = paginateDescribeDBClusterEndpoints;
__webpack_unused_export__ = paginateDescribeDBClusterParameterGroups;
__webpack_unused_export__ = paginateDescribeDBClusterParameters;
__webpack_unused_export__ = paginateDescribeDBClusterSnapshots;
__webpack_unused_export__ = paginateDescribeDBClusters;
__webpack_unused_export__ = paginateDescribeDBEngineVersions;
__webpack_unused_export__ = paginateDescribeDBInstanceAutomatedBackups;
__webpack_unused_export__ = paginateDescribeDBInstances;
__webpack_unused_export__ = paginateDescribeDBLogFiles;
__webpack_unused_export__ = paginateDescribeDBMajorEngineVersions;
__webpack_unused_export__ = paginateDescribeDBParameterGroups;
__webpack_unused_export__ = paginateDescribeDBParameters;
__webpack_unused_export__ = paginateDescribeDBProxies;
__webpack_unused_export__ = paginateDescribeDBProxyEndpoints;
__webpack_unused_export__ = paginateDescribeDBProxyTargetGroups;
__webpack_unused_export__ = paginateDescribeDBProxyTargets;
__webpack_unused_export__ = paginateDescribeDBRecommendations;
__webpack_unused_export__ = paginateDescribeDBSecurityGroups;
__webpack_unused_export__ = paginateDescribeDBSnapshotTenantDatabases;
__webpack_unused_export__ = paginateDescribeDBSnapshots;
__webpack_unused_export__ = paginateDescribeDBSubnetGroups;
__webpack_unused_export__ = paginateDescribeEngineDefaultClusterParameters;
__webpack_unused_export__ = paginateDescribeEngineDefaultParameters;
__webpack_unused_export__ = paginateDescribeEventSubscriptions;
__webpack_unused_export__ = paginateDescribeEvents;
__webpack_unused_export__ = paginateDescribeExportTasks;
__webpack_unused_export__ = paginateDescribeGlobalClusters;
__webpack_unused_export__ = paginateDescribeIntegrations;
__webpack_unused_export__ = paginateDescribeOptionGroupOptions;
__webpack_unused_export__ = paginateDescribeOptionGroups;
__webpack_unused_export__ = paginateDescribeOrderableDBInstanceOptions;
__webpack_unused_export__ = paginateDescribePendingMaintenanceActions;
__webpack_unused_export__ = paginateDescribeReservedDBInstances;
__webpack_unused_export__ = paginateDescribeReservedDBInstancesOfferings;
__webpack_unused_export__ = paginateDescribeServerlessV2PlatformVersions;
__webpack_unused_export__ = paginateDescribeSourceRegions;
__webpack_unused_export__ = paginateDescribeTenantDatabases;
__webpack_unused_export__ = paginateDownloadDBLogFilePortion;
__webpack_unused_export__ = waitForDBClusterAvailable;
__webpack_unused_export__ = waitForDBClusterDeleted;
__webpack_unused_export__ = waitForDBClusterSnapshotAvailable;
__webpack_unused_export__ = waitForDBClusterSnapshotDeleted;
__webpack_unused_export__ = waitForDBInstanceAvailable;
__webpack_unused_export__ = waitForDBInstanceDeleted;
__webpack_unused_export__ = waitForDBSnapshotAvailable;
__webpack_unused_export__ = waitForDBSnapshotDeleted;
__webpack_unused_export__ = waitForTenantDatabaseAvailable;
__webpack_unused_export__ = waitForTenantDatabaseDeleted;
__webpack_unused_export__ = waitUntilDBClusterAvailable;
__webpack_unused_export__ = waitUntilDBClusterDeleted;
__webpack_unused_export__ = waitUntilDBClusterSnapshotAvailable;
__webpack_unused_export__ = waitUntilDBClusterSnapshotDeleted;
__webpack_unused_export__ = waitUntilDBInstanceAvailable;
__webpack_unused_export__ = waitUntilDBInstanceDeleted;
__webpack_unused_export__ = waitUntilDBSnapshotAvailable;
__webpack_unused_export__ = waitUntilDBSnapshotDeleted;
__webpack_unused_export__ = waitUntilTenantDatabaseAvailable;
__webpack_unused_export__ = waitUntilTenantDatabaseDeleted;


/***/ }),

/***/ 5152:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { HttpRequest, parseUrl } = __webpack_require__(93422);
const { InvokeStore } = __webpack_require__(29320);
const { normalizeProvider } = __webpack_require__(90402);
const { RETRY_MODES } = __webpack_require__(23609);
const { platform, release } = __webpack_require__(48161);
const { versions, env } = __webpack_require__(1708);
const { isValidHostLabel, isIpAddress, customEndpointFunctions } = __webpack_require__(62085);
const { EndpointError, resolveEndpoint } = __webpack_require__(62085);
exports.EndpointError = EndpointError;
exports.isIpAddress = isIpAddress;
exports.resolveEndpoint = resolveEndpoint;
const { loadConfig, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS } = __webpack_require__(47291);
const { REGION_ENV_NAME, REGION_INI_NAME, resolveRegionConfig } = __webpack_require__(47291);
exports.NODE_REGION_CONFIG_FILE_OPTIONS = NODE_REGION_CONFIG_FILE_OPTIONS;
exports.NODE_REGION_CONFIG_OPTIONS = NODE_REGION_CONFIG_OPTIONS;
exports.REGION_ENV_NAME = REGION_ENV_NAME;
exports.REGION_INI_NAME = REGION_INI_NAME;
exports.resolveRegionConfig = resolveRegionConfig;

const state = {
    warningEmitted: false,
};
const emitWarningIfUnsupportedVersion = (version) => {
    if (version && !state.warningEmitted) {
        if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === "true") {
            state.warningEmitted = true;
            return;
        }
        const userMajorVersion = parseInt(version.substring(1, version.indexOf(".")));
        const vv = 22;
        if (userMajorVersion < vv) {
            state.warningEmitted = true;
            process.emitWarning(`NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)
versions published after the first week of January 2027
will require node >=${vv}. You are running node ${version}.

To continue receiving updates to AWS services, bug fixes,
and security updates please upgrade to node >=${vv}.

More information can be found at: https://a.co/c895JFp`);
        }
    }
};

const longPollMiddleware = () => (next, context) => async (args) => {
    context.__retryLongPoll = true;
    return next(args);
};
const longPollMiddlewareOptions = {
    name: "longPollMiddleware",
    tags: ["RETRY"],
    step: "initialize",
    override: true,
};
const getLongPollPlugin = (options) => ({
    applyToStack: (clientStack) => {
        clientStack.add(longPollMiddleware(), longPollMiddlewareOptions);
    },
});

function setCredentialFeature(credentials, feature, value) {
    if (!credentials.$source) {
        credentials.$source = {};
    }
    credentials.$source[feature] = value;
    return credentials;
}

function setFeature(context, feature, value) {
    if (!context.__aws_sdk_context) {
        context.__aws_sdk_context = {
            features: {},
        };
    }
    else if (!context.__aws_sdk_context.features) {
        context.__aws_sdk_context.features = {};
    }
    context.__aws_sdk_context.features[feature] = value;
}

function setTokenFeature(token, feature, value) {
    if (!token.$source) {
        token.$source = {};
    }
    token.$source[feature] = value;
    return token;
}

const isDefaultSocketTimeoutEnabled = () => typeof process === "object" && process?.env?.AWS_ENABLE_DEFAULT_SOCKET_TIMEOUT_2026 === "true";
const getDefaultSocketTimeout = (requestHandler, timeoutMs) => {
    if (!isDefaultSocketTimeoutEnabled()) {
        return undefined;
    }
    if (typeof requestHandler?.handle === "function") {
        return undefined;
    }
    return timeoutMs;
};

function resolveHostHeaderConfig(input) {
    return input;
}
const hostHeaderMiddleware = (options) => (next) => async (args) => {
    if (!HttpRequest.isInstance(args.request)) {
        return next(args);
    }
    const { request } = args;
    const { handlerProtocol = "" } = options.requestHandler.metadata || {};
    if (handlerProtocol.indexOf("h2") >= 0 && !request.headers[":authority"]) {
        delete request.headers["host"];
        request.headers[":authority"] = request.hostname + (request.port ? ":" + request.port : "");
    }
    else if (!request.headers["host"]) {
        let host = request.hostname;
        if (request.port != null) {
            host += `:${request.port}`;
        }
        request.headers["host"] = host;
    }
    return next(args);
};
const hostHeaderMiddlewareOptions = {
    name: "hostHeaderMiddleware",
    step: "build",
    priority: "low",
    tags: ["HOST"],
    override: true,
};
const getHostHeaderPlugin = (options) => ({
    applyToStack: (clientStack) => {
        clientStack.add(hostHeaderMiddleware(options), hostHeaderMiddlewareOptions);
    },
});

const loggerMiddleware = () => (next, context) => async (args) => {
    try {
        const response = await next(args);
        const { clientName, commandName, logger, dynamoDbDocumentClientOptions = {} } = context;
        const { overrideInputFilterSensitiveLog, overrideOutputFilterSensitiveLog } = dynamoDbDocumentClientOptions;
        const inputFilterSensitiveLog = overrideInputFilterSensitiveLog ?? context.inputFilterSensitiveLog;
        const outputFilterSensitiveLog = overrideOutputFilterSensitiveLog ?? context.outputFilterSensitiveLog;
        const { $metadata, ...outputWithoutMetadata } = response.output;
        logger?.info?.({
            clientName,
            commandName,
            input: inputFilterSensitiveLog(args.input),
            output: outputFilterSensitiveLog(outputWithoutMetadata),
            metadata: $metadata,
        });
        return response;
    }
    catch (error) {
        const { clientName, commandName, logger, dynamoDbDocumentClientOptions = {} } = context;
        const { overrideInputFilterSensitiveLog } = dynamoDbDocumentClientOptions;
        const inputFilterSensitiveLog = overrideInputFilterSensitiveLog ?? context.inputFilterSensitiveLog;
        logger?.error?.({
            clientName,
            commandName,
            input: inputFilterSensitiveLog(args.input),
            error,
            metadata: error.$metadata,
        });
        throw error;
    }
};
const loggerMiddlewareOptions = {
    name: "loggerMiddleware",
    tags: ["LOGGER"],
    step: "initialize",
    override: true,
};
const getLoggerPlugin = (options) => ({
    applyToStack: (clientStack) => {
        clientStack.add(loggerMiddleware(), loggerMiddlewareOptions);
    },
});

const recursionDetectionMiddlewareOptions = {
    step: "build",
    tags: ["RECURSION_DETECTION", "TRACE_CONTEXT_PROPAGATION"],
    name: "recursionDetectionMiddleware",
    override: true,
    priority: "low",
};

const AWS_LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
const _X_AMZN_TRACE_ID = "_X_AMZN_TRACE_ID";
const X_AMZN_TRACE_ID = "X-Amzn-Trace-Id";
const TRACEPARENT = "traceparent";
const TRACESTATE = "tracestate";
const BAGGAGE = "baggage";
const recursionDetectionMiddleware = () => (next) => async (args) => {
    const { request } = args;
    if (!HttpRequest.isInstance(request)) {
        return next(args);
    }
    let invokeStore;
    {
        const traceIdHeader = Object.keys(request.headers ?? {}).find((h) => h.toLowerCase() === X_AMZN_TRACE_ID.toLowerCase()) ??
            X_AMZN_TRACE_ID;
        if (!request.headers.hasOwnProperty(traceIdHeader)) {
            const functionName = process.env[AWS_LAMBDA_FUNCTION_NAME];
            const traceIdFromEnv = process.env[_X_AMZN_TRACE_ID];
            invokeStore ??= await InvokeStore.getInstanceAsync();
            const traceIdFromInvokeStore = invokeStore?.getXRayTraceId();
            const traceId = traceIdFromInvokeStore ?? traceIdFromEnv;
            const nonEmptyString = (str) => typeof str === "string" && str.length > 0;
            if (nonEmptyString(functionName) && nonEmptyString(traceId)) {
                request.headers[X_AMZN_TRACE_ID] = traceId;
            }
        }
    }
    {
        sanitizeTraceHeaders(request.headers);
        const existingTraceparent = request.headers[TRACEPARENT];
        if (!existingTraceparent) {
            const traceparent = (invokeStore ??= await InvokeStore.getInstanceAsync())?.getTraceparent?.();
            if (traceparent) {
                request.headers[TRACEPARENT] = traceparent;
                const tracestate = invokeStore?.getTracestate?.();
                if (tracestate) {
                    request.headers[TRACESTATE] = tracestate;
                }
                const baggage = invokeStore?.getBaggage?.();
                if (baggage) {
                    request.headers[BAGGAGE] = baggage;
                }
            }
        }
    }
    return next(args);
};
function sanitizeTraceHeaders(headers) {
    for (const header of Object.keys(headers)) {
        const lower = header.toLowerCase();
        if (header !== lower && (lower === TRACEPARENT || lower === TRACESTATE || lower === BAGGAGE)) {
            headers[lower] = headers[header];
            delete headers[header];
        }
    }
}

const getRecursionDetectionPlugin = (options) => ({
    applyToStack: (clientStack) => {
        clientStack.add(recursionDetectionMiddleware(), recursionDetectionMiddlewareOptions);
    },
});

const DEFAULT_UA_APP_ID = undefined;
function isValidUserAgentAppId(appId) {
    if (appId === undefined) {
        return true;
    }
    return typeof appId === "string" && appId.length <= 50;
}
function resolveUserAgentConfig(input) {
    const normalizedAppIdProvider = normalizeProvider(input.userAgentAppId ?? DEFAULT_UA_APP_ID);
    const { customUserAgent } = input;
    return Object.assign(input, {
        customUserAgent: typeof customUserAgent === "string" ? [[customUserAgent]] : customUserAgent,
        userAgentAppId: async () => {
            const appId = await normalizedAppIdProvider();
            if (!isValidUserAgentAppId(appId)) {
                const logger = input.logger?.constructor?.name === "NoOpLogger" || !input.logger ? console : input.logger;
                if (typeof appId !== "string") {
                    logger?.warn("userAgentAppId must be a string or undefined.");
                }
                else if (appId.length > 50) {
                    logger?.warn("The provided userAgentAppId exceeds the maximum length of 50 characters.");
                }
            }
            return appId;
        },
    });
}

const partitionsInfo = {
    "partitions": [
        {
            "id": "aws",
            "outputs": {
                "dnsSuffix": "amazonaws.com",
                "dualStackDnsSuffix": "api.aws",
                "implicitGlobalRegion": "us-east-1",
                "name": "aws",
                "supportsDualStack": true,
                "supportsFIPS": true
            },
            "regionRegex": "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$",
            "regions": {
                "af-south-1": {
                    "description": "Africa (Cape Town)"
                },
                "ap-east-1": {
                    "description": "Asia Pacific (Hong Kong)"
                },
                "ap-east-2": {
                    "description": "Asia Pacific (Taipei)"
                },
                "ap-northeast-1": {
                    "description": "Asia Pacific (Tokyo)"
                },
                "ap-northeast-2": {
                    "description": "Asia Pacific (Seoul)"
                },
                "ap-northeast-3": {
                    "description": "Asia Pacific (Osaka)"
                },
                "ap-south-1": {
                    "description": "Asia Pacific (Mumbai)"
                },
                "ap-south-2": {
                    "description": "Asia Pacific (Hyderabad)"
                },
                "ap-southeast-1": {
                    "description": "Asia Pacific (Singapore)"
                },
                "ap-southeast-2": {
                    "description": "Asia Pacific (Sydney)"
                },
                "ap-southeast-3": {
                    "description": "Asia Pacific (Jakarta)"
                },
                "ap-southeast-4": {
                    "description": "Asia Pacific (Melbourne)"
                },
                "ap-southeast-5": {
                    "description": "Asia Pacific (Malaysia)"
                },
                "ap-southeast-6": {
                    "description": "Asia Pacific (New Zealand)"
                },
                "ap-southeast-7": {
                    "description": "Asia Pacific (Thailand)"
                },
                "aws-global": {
                    "description": "aws global region"
                },
                "ca-central-1": {
                    "description": "Canada (Central)"
                },
                "ca-west-1": {
                    "description": "Canada West (Calgary)"
                },
                "eu-central-1": {
                    "description": "Europe (Frankfurt)"
                },
                "eu-central-2": {
                    "description": "Europe (Zurich)"
                },
                "eu-north-1": {
                    "description": "Europe (Stockholm)"
                },
                "eu-south-1": {
                    "description": "Europe (Milan)"
                },
                "eu-south-2": {
                    "description": "Europe (Spain)"
                },
                "eu-west-1": {
                    "description": "Europe (Ireland)"
                },
                "eu-west-2": {
                    "description": "Europe (London)"
                },
                "eu-west-3": {
                    "description": "Europe (Paris)"
                },
                "il-central-1": {
                    "description": "Israel (Tel Aviv)"
                },
                "me-central-1": {
                    "description": "Middle East (UAE)"
                },
                "me-south-1": {
                    "description": "Middle East (Bahrain)"
                },
                "me-west-1": {
                    "description": "Middle East (Saudi Arabia)"
                },
                "mx-central-1": {
                    "description": "Mexico (Central)"
                },
                "sa-east-1": {
                    "description": "South America (Sao Paulo)"
                },
                "sa-west-1": {
                    "description": "South America (Chile)"
                },
                "us-east-1": {
                    "description": "US East (N. Virginia)"
                },
                "us-east-2": {
                    "description": "US East (Ohio)"
                },
                "us-west-1": {
                    "description": "US West (N. California)"
                },
                "us-west-2": {
                    "description": "US West (Oregon)"
                }
            }
        },
        {
            "id": "aws-cn",
            "outputs": {
                "dnsSuffix": "amazonaws.com.cn",
                "dualStackDnsSuffix": "api.amazonwebservices.com.cn",
                "implicitGlobalRegion": "cn-northwest-1",
                "name": "aws-cn",
                "supportsDualStack": true,
                "supportsFIPS": true
            },
            "regionRegex": "^cn\\-\\w+\\-\\d+$",
            "regions": {
                "aws-cn-global": {
                    "description": "aws-cn global region"
                },
                "cn-north-1": {
                    "description": "China (Beijing)"
                },
                "cn-northwest-1": {
                    "description": "China (Ningxia)"
                }
            }
        },
        {
            "id": "aws-eusc",
            "outputs": {
                "dnsSuffix": "amazonaws.eu",
                "dualStackDnsSuffix": "api.amazonwebservices.eu",
                "implicitGlobalRegion": "eusc-de-east-1",
                "name": "aws-eusc",
                "supportsDualStack": true,
                "supportsFIPS": true
            },
            "regionRegex": "^eusc\\-(de)\\-\\w+\\-\\d+$",
            "regions": {
                "eusc-de-east-1": {
                    "description": "AWS European Sovereign Cloud (Germany)"
                }
            }
        },
        {
            "id": "aws-iso",
            "outputs": {
                "dnsSuffix": "c2s.ic.gov",
                "dualStackDnsSuffix": "api.aws.ic.gov",
                "implicitGlobalRegion": "us-iso-east-1",
                "name": "aws-iso",
                "supportsDualStack": true,
                "supportsFIPS": true
            },
            "regionRegex": "^us\\-iso\\-\\w+\\-\\d+$",
            "regions": {
                "aws-iso-global": {
                    "description": "aws-iso global region"
                },
                "us-iso-east-1": {
                    "description": "US ISO East"
                },
                "us-iso-west-1": {
                    "description": "US ISO WEST"
                }
            }
        },
        {
            "id": "aws-iso-b",
            "outputs": {
                "dnsSuffix": "sc2s.sgov.gov",
                "dualStackDnsSuffix": "api.aws.scloud",
                "implicitGlobalRegion": "us-isob-east-1",
                "name": "aws-iso-b",
                "supportsDualStack": true,
                "supportsFIPS": true
            },
            "regionRegex": "^us\\-isob\\-\\w+\\-\\d+$",
            "regions": {
                "aws-iso-b-global": {
                    "description": "aws-iso-b global region"
                },
                "us-isob-east-1": {
                    "description": "US ISOB East (Ohio)"
                },
                "us-isob-west-1": {
                    "description": "US ISOB West"
                }
            }
        },
        {
            "id": "aws-iso-e",
            "outputs": {
                "dnsSuffix": "cloud.adc-e.uk",
                "dualStackDnsSuffix": "api.cloud-aws.adc-e.uk",
                "implicitGlobalRegion": "eu-isoe-west-1",
                "name": "aws-iso-e",
                "supportsDualStack": true,
                "supportsFIPS": true
            },
            "regionRegex": "^eu\\-isoe\\-\\w+\\-\\d+$",
            "regions": {
                "aws-iso-e-global": {
                    "description": "aws-iso-e global region"
                },
                "eu-isoe-west-1": {
                    "description": "EU ISOE West"
                }
            }
        },
        {
            "id": "aws-iso-f",
            "outputs": {
                "dnsSuffix": "csp.hci.ic.gov",
                "dualStackDnsSuffix": "api.aws.hci.ic.gov",
                "implicitGlobalRegion": "us-isof-south-1",
                "name": "aws-iso-f",
                "supportsDualStack": true,
                "supportsFIPS": true
            },
            "regionRegex": "^us\\-isof\\-\\w+\\-\\d+$",
            "regions": {
                "aws-iso-f-global": {
                    "description": "aws-iso-f global region"
                },
                "us-isof-east-1": {
                    "description": "US ISOF EAST"
                },
                "us-isof-south-1": {
                    "description": "US ISOF SOUTH"
                }
            }
        },
        {
            "id": "aws-us-gov",
            "outputs": {
                "dnsSuffix": "amazonaws.com",
                "dualStackDnsSuffix": "api.aws",
                "implicitGlobalRegion": "us-gov-west-1",
                "name": "aws-us-gov",
                "supportsDualStack": true,
                "supportsFIPS": true
            },
            "regionRegex": "^us\\-gov\\-\\w+\\-\\d+$",
            "regions": {
                "aws-us-gov-global": {
                    "description": "aws-us-gov global region"
                },
                "us-gov-east-1": {
                    "description": "AWS GovCloud (US-East)"
                },
                "us-gov-west-1": {
                    "description": "AWS GovCloud (US-West)"
                }
            }
        }
    ],
    "version": "1.1"
};

let selectedPartitionsInfo = partitionsInfo;
let selectedUserAgentPrefix = "";
const partition = (value) => {
    const { partitions } = selectedPartitionsInfo;
    for (const partition of partitions) {
        const { regions, outputs } = partition;
        for (const [region, regionData] of Object.entries(regions)) {
            if (region === value) {
                return {
                    ...outputs,
                    ...regionData,
                };
            }
        }
    }
    for (const partition of partitions) {
        const { regionRegex, outputs } = partition;
        if (new RegExp(regionRegex).test(value)) {
            return {
                ...outputs,
            };
        }
    }
    const DEFAULT_PARTITION = partitions.find((partition) => partition.id === "aws");
    if (!DEFAULT_PARTITION) {
        throw new Error("Provided region was not found in the partition array or regex," +
            " and default partition with id 'aws' doesn't exist.");
    }
    return {
        ...DEFAULT_PARTITION.outputs,
    };
};
const setPartitionInfo = (partitionsInfo, userAgentPrefix = "") => {
    selectedPartitionsInfo = partitionsInfo;
    selectedUserAgentPrefix = userAgentPrefix;
};
const useDefaultPartitionInfo = () => {
    setPartitionInfo(partitionsInfo, "");
};
const getUserAgentPrefix = () => selectedUserAgentPrefix;

const ACCOUNT_ID_ENDPOINT_REGEX = /\d{12}\.ddb/;
async function checkFeatures(context, config, args) {
    const request = args.request;
    if (request?.headers?.["smithy-protocol"] === "rpc-v2-cbor") {
        setFeature(context, "PROTOCOL_RPC_V2_CBOR", "M");
    }
    if (typeof config.retryStrategy === "function") {
        const retryStrategy = await config.retryStrategy();
        if (typeof retryStrategy.mode === "string") {
            switch (retryStrategy.mode) {
                case RETRY_MODES.ADAPTIVE:
                    setFeature(context, "RETRY_MODE_ADAPTIVE", "F");
                    break;
                case RETRY_MODES.STANDARD:
                    setFeature(context, "RETRY_MODE_STANDARD", "E");
                    break;
            }
        }
    }
    if (typeof config.accountIdEndpointMode === "function") {
        const endpointV2 = context.endpointV2;
        if (String(endpointV2?.url?.hostname).match(ACCOUNT_ID_ENDPOINT_REGEX)) {
            setFeature(context, "ACCOUNT_ID_ENDPOINT", "O");
        }
        switch (await config.accountIdEndpointMode?.()) {
            case "disabled":
                setFeature(context, "ACCOUNT_ID_MODE_DISABLED", "Q");
                break;
            case "preferred":
                setFeature(context, "ACCOUNT_ID_MODE_PREFERRED", "P");
                break;
            case "required":
                setFeature(context, "ACCOUNT_ID_MODE_REQUIRED", "R");
                break;
        }
    }
    const identity = context.__smithy_context?.selectedHttpAuthScheme?.identity;
    if (identity?.$source) {
        const credentials = identity;
        if (credentials.accountId) {
            setFeature(context, "RESOLVED_ACCOUNT_ID", "T");
        }
        for (const [key, value] of Object.entries(credentials.$source ?? {})) {
            setFeature(context, key, value);
        }
    }
}

const USER_AGENT = "user-agent";
const X_AMZ_USER_AGENT = "x-amz-user-agent";
const SPACE = " ";
const UA_NAME_SEPARATOR = "/";
const UA_NAME_ESCAPE_REGEX = /[^!$%&'*+\-.^_`|~\w]/g;
const UA_VALUE_ESCAPE_REGEX = /[^!$%&'*+\-.^_`|~\w#]/g;
const UA_ESCAPE_CHAR = "-";

const BYTE_LIMIT = 1024;
function encodeFeatures(features) {
    let buffer = "";
    for (const key in features) {
        const val = features[key];
        if (buffer.length + val.length + 1 <= BYTE_LIMIT) {
            if (buffer.length) {
                buffer += "," + val;
            }
            else {
                buffer += val;
            }
            continue;
        }
        break;
    }
    return buffer;
}

const userAgentMiddleware = (options) => (next, context) => async (args) => {
    const { request } = args;
    if (!HttpRequest.isInstance(request)) {
        return next(args);
    }
    const { headers } = request;
    const userAgent = context?.userAgent?.map(escapeUserAgent) || [];
    const defaultUserAgent = (await options.defaultUserAgentProvider()).map(escapeUserAgent);
    await checkFeatures(context, options, args);
    const awsContext = context;
    defaultUserAgent.push(`m/${encodeFeatures(Object.assign({}, context.__smithy_context?.features, awsContext.__aws_sdk_context?.features))}`);
    const customUserAgent = options?.customUserAgent?.map(escapeUserAgent) || [];
    const appId = await options.userAgentAppId();
    if (appId) {
        defaultUserAgent.push(escapeUserAgent([`app`, `${appId}`]));
    }
    const prefix = getUserAgentPrefix();
    const sdkUserAgentValue = (prefix ? [prefix] : [])
        .concat([...defaultUserAgent, ...userAgent, ...customUserAgent])
        .join(SPACE);
    const normalUAValue = [
        ...defaultUserAgent.filter((section) => section.startsWith("aws-sdk-")),
        ...customUserAgent,
    ].join(SPACE);
    if (options.runtime !== "browser") {
        if (normalUAValue) {
            headers[X_AMZ_USER_AGENT] = headers[X_AMZ_USER_AGENT]
                ? `${headers[USER_AGENT]} ${normalUAValue}`
                : normalUAValue;
        }
        headers[USER_AGENT] = sdkUserAgentValue;
    }
    else {
        headers[X_AMZ_USER_AGENT] = sdkUserAgentValue;
    }
    return next({
        ...args,
        request,
    });
};
const escapeUserAgent = (userAgentPair) => {
    const name = userAgentPair[0]
        .split(UA_NAME_SEPARATOR)
        .map((part) => part.replace(UA_NAME_ESCAPE_REGEX, UA_ESCAPE_CHAR))
        .join(UA_NAME_SEPARATOR);
    const version = userAgentPair[1]?.replace(UA_VALUE_ESCAPE_REGEX, UA_ESCAPE_CHAR);
    const prefixSeparatorIndex = name.indexOf(UA_NAME_SEPARATOR);
    const prefix = name.substring(0, prefixSeparatorIndex);
    let uaName = name.substring(prefixSeparatorIndex + 1);
    if (prefix === "api") {
        uaName = uaName.toLowerCase();
    }
    return [prefix, uaName, version]
        .filter((item) => item && item.length > 0)
        .reduce((acc, item, index) => {
        switch (index) {
            case 0:
                return item;
            case 1:
                return `${acc}/${item}`;
            default:
                return `${acc}#${item}`;
        }
    }, "");
};
const getUserAgentMiddlewareOptions = {
    name: "getUserAgentMiddleware",
    step: "build",
    priority: "low",
    tags: ["SET_USER_AGENT", "USER_AGENT"],
    override: true,
};
const getUserAgentPlugin = (config) => ({
    applyToStack: (clientStack) => {
        clientStack.add(userAgentMiddleware(config), getUserAgentMiddlewareOptions);
    },
});

const getRuntimeUserAgentPair = () => {
    const runtimesToCheck = ["deno", "bun", "llrt"];
    for (const runtime of runtimesToCheck) {
        if (versions[runtime]) {
            return [`md/${runtime}`, versions[runtime]];
        }
    }
    return ["md/nodejs", versions.node];
};

const crtAvailability = {
    isCrtAvailable: false,
};

const isCrtAvailable = () => {
    if (crtAvailability.isCrtAvailable) {
        return ["md/crt-avail"];
    }
    return null;
};

const createDefaultUserAgentProvider = ({ serviceId, clientVersion }) => {
    const runtimeUserAgentPair = getRuntimeUserAgentPair();
    return async (config) => {
        const sections = [
            ["aws-sdk-js", clientVersion],
            ["ua", "2.1"],
            [`os/${platform()}`, release()],
            ["lang/js"],
            runtimeUserAgentPair,
        ];
        const crtAvailable = isCrtAvailable();
        if (crtAvailable) {
            sections.push(crtAvailable);
        }
        if (serviceId) {
            sections.push([`api/${serviceId}`, clientVersion]);
        }
        if (env.AWS_EXECUTION_ENV) {
            sections.push([`exec-env/${env.AWS_EXECUTION_ENV}`]);
        }
        const appId = await config?.userAgentAppId?.();
        const resolvedUserAgent = appId ? [...sections, [`app/${appId}`]] : [...sections];
        return resolvedUserAgent;
    };
};
const defaultUserAgent = createDefaultUserAgentProvider;

const UA_APP_ID_ENV_NAME = "AWS_SDK_UA_APP_ID";
const UA_APP_ID_INI_NAME = "sdk_ua_app_id";
const UA_APP_ID_INI_NAME_DEPRECATED = "sdk-ua-app-id";
const NODE_APP_ID_CONFIG_OPTIONS = {
    environmentVariableSelector: (env) => env[UA_APP_ID_ENV_NAME],
    configFileSelector: (profile) => profile[UA_APP_ID_INI_NAME] ?? profile[UA_APP_ID_INI_NAME_DEPRECATED],
    default: DEFAULT_UA_APP_ID,
};

const createUserAgentStringParsingProvider = ({ serviceId, clientVersion }) => async (config) => {
    const module = __webpack_require__(9449);
    const parse = module.parse ?? module.default.parse ?? (() => "");
    const parsedUA = typeof window !== "undefined" && window?.navigator?.userAgent ? parse(window.navigator.userAgent) : undefined;
    const sections = [
        ["aws-sdk-js", clientVersion],
        ["ua", "2.1"],
        [`os/${parsedUA?.os?.name || "other"}`, parsedUA?.os?.version],
        ["lang/js"],
        ["md/browser", `${parsedUA?.browser?.name ?? "unknown"}_${parsedUA?.browser?.version ?? "unknown"}`],
    ];
    if (serviceId) {
        sections.push([`api/${serviceId}`, clientVersion]);
    }
    const appId = await config?.userAgentAppId?.();
    if (appId) {
        sections.push([`app/${appId}`]);
    }
    return sections;
};

const fallback = {
    os(ua) {
        if (/iPhone|iPad|iPod/.test(ua)) {
            return "iOS";
        }
        if (/Macintosh|Mac OS X/.test(ua)) {
            return "macOS";
        }
        if (/Windows NT/.test(ua)) {
            return "Windows";
        }
        if (/Android/.test(ua)) {
            return "Android";
        }
        if (/Linux/.test(ua)) {
            return "Linux";
        }
        return undefined;
    },
    browser(ua) {
        if (/EdgiOS|EdgA|Edg\//.test(ua)) {
            return "Microsoft Edge";
        }
        if (/Firefox\//.test(ua)) {
            return "Firefox";
        }
        if (/Chrome\//.test(ua)) {
            return "Chrome";
        }
        if (/Safari\//.test(ua)) {
            return "Safari";
        }
        return undefined;
    },
};

const isVirtualHostableS3Bucket = (value, allowSubDomains = false) => {
    if (allowSubDomains) {
        for (const label of value.split(".")) {
            if (!isVirtualHostableS3Bucket(label)) {
                return false;
            }
        }
        return true;
    }
    if (!isValidHostLabel(value)) {
        return false;
    }
    if (value.length < 3 || value.length > 63) {
        return false;
    }
    if (value !== value.toLowerCase()) {
        return false;
    }
    if (isIpAddress(value)) {
        return false;
    }
    return true;
};

const ARN_DELIMITER = ":";
const RESOURCE_DELIMITER = "/";
const parseArn = (value) => {
    const segments = value.split(ARN_DELIMITER);
    if (segments.length < 6) {
        return null;
    }
    const [arn, partition, service, region, accountId, ...resourcePath] = segments;
    if (arn !== "arn" || partition === "" || service === "" || resourcePath.join(ARN_DELIMITER) === "") {
        return null;
    }
    const resourceId = resourcePath.map((resource) => resource.split(RESOURCE_DELIMITER)).flat();
    return {
        partition,
        service,
        region,
        accountId,
        resourceId,
    };
};

const awsEndpointFunctions = {
    isVirtualHostableS3Bucket: isVirtualHostableS3Bucket,
    parseArn: parseArn,
    partition: partition,
};
customEndpointFunctions.aws = awsEndpointFunctions;

const resolveDefaultAwsRegionalEndpointsConfig = (input) => {
    if (typeof input.endpointProvider !== "function") {
        throw new Error("@aws-sdk/util-endpoint - endpointProvider and endpoint missing in config for this client.");
    }
    const { endpoint } = input;
    if (endpoint === undefined) {
        input.endpoint = async () => {
            return toEndpointV1(input.endpointProvider({
                Region: typeof input.region === "function" ? await input.region() : input.region,
                UseDualStack: typeof input.useDualstackEndpoint === "function"
                    ? await input.useDualstackEndpoint()
                    : input.useDualstackEndpoint,
                UseFIPS: typeof input.useFipsEndpoint === "function" ? await input.useFipsEndpoint() : input.useFipsEndpoint,
                Endpoint: undefined,
            }, { logger: input.logger }));
        };
    }
    return input;
};
const toEndpointV1 = (endpoint) => parseUrl(endpoint.url);

function stsRegionDefaultResolver(loaderConfig = {}) {
    return loadConfig({
        ...NODE_REGION_CONFIG_OPTIONS,
        async default() {
            if (!warning.silence) {
                console.warn("@aws-sdk - WARN - default STS region of us-east-1 used. See @aws-sdk/credential-providers README and set a region explicitly.");
            }
            return "us-east-1";
        },
    }, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig });
}
const warning = {
    silence: false,
};

const getAwsRegionExtensionConfiguration = (runtimeConfig) => {
    return {
        setRegion(region) {
            runtimeConfig.region = region;
        },
        region() {
            return runtimeConfig.region;
        },
    };
};
const resolveAwsRegionExtensionConfiguration = (awsRegionExtensionConfiguration) => {
    return {
        region: awsRegionExtensionConfiguration.region(),
    };
};

exports.DEFAULT_UA_APP_ID = DEFAULT_UA_APP_ID;
exports.NODE_APP_ID_CONFIG_OPTIONS = NODE_APP_ID_CONFIG_OPTIONS;
exports.UA_APP_ID_ENV_NAME = UA_APP_ID_ENV_NAME;
exports.UA_APP_ID_INI_NAME = UA_APP_ID_INI_NAME;
exports.awsEndpointFunctions = awsEndpointFunctions;
exports.createDefaultUserAgentProvider = createDefaultUserAgentProvider;
exports.createUserAgentStringParsingProvider = createUserAgentStringParsingProvider;
exports.crtAvailability = crtAvailability;
exports.defaultUserAgent = defaultUserAgent;
exports.emitWarningIfUnsupportedVersion = emitWarningIfUnsupportedVersion;
exports.fallback = fallback;
exports.getAwsRegionExtensionConfiguration = getAwsRegionExtensionConfiguration;
exports.getDefaultSocketTimeout = getDefaultSocketTimeout;
exports.getHostHeaderPlugin = getHostHeaderPlugin;
exports.getLoggerPlugin = getLoggerPlugin;
exports.getLongPollPlugin = getLongPollPlugin;
exports.getRecursionDetectionPlugin = getRecursionDetectionPlugin;
exports.getUserAgentMiddlewareOptions = getUserAgentMiddlewareOptions;
exports.getUserAgentPlugin = getUserAgentPlugin;
exports.getUserAgentPrefix = getUserAgentPrefix;
exports.hostHeaderMiddleware = hostHeaderMiddleware;
exports.hostHeaderMiddlewareOptions = hostHeaderMiddlewareOptions;
exports.isVirtualHostableS3Bucket = isVirtualHostableS3Bucket;
exports.loggerMiddleware = loggerMiddleware;
exports.loggerMiddlewareOptions = loggerMiddlewareOptions;
exports.parseArn = parseArn;
exports.partition = partition;
exports.recursionDetectionMiddleware = recursionDetectionMiddleware;
exports.recursionDetectionMiddlewareOptions = recursionDetectionMiddlewareOptions;
exports.resolveAwsRegionExtensionConfiguration = resolveAwsRegionExtensionConfiguration;
exports.resolveDefaultAwsRegionalEndpointsConfig = resolveDefaultAwsRegionalEndpointsConfig;
exports.resolveHostHeaderConfig = resolveHostHeaderConfig;
exports.resolveUserAgentConfig = resolveUserAgentConfig;
exports.setCredentialFeature = setCredentialFeature;
exports.setFeature = setFeature;
exports.setPartitionInfo = setPartitionInfo;
exports.setTokenFeature = setTokenFeature;
exports.state = state;
exports.stsRegionDefaultResolver = stsRegionDefaultResolver;
exports.stsRegionWarning = warning;
exports.toEndpointV1 = toEndpointV1;
exports.useDefaultPartitionInfo = useDefaultPartitionInfo;
exports.userAgentMiddleware = userAgentMiddleware;


/***/ }),

/***/ 97523:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { ProviderError, booleanSelector, SelectorType, loadConfig } = __webpack_require__(47291);
const { setCredentialFeature } = __webpack_require__(5152);
const { normalizeProvider, memoizeIdentityProvider, isIdentityExpired, doesIdentityRequireRefresh } = __webpack_require__(90402);
const { SignatureV4 } = __webpack_require__(75118);
const { HttpResponse, HttpRequest } = __webpack_require__(93422);
const { SMITHY_CONTEXT_KEY } = __webpack_require__(90690);

const getDateHeader = (response) => HttpResponse.isInstance(response) ? (response.headers?.date ?? response.headers?.Date) : undefined;
const getAgeHeader = (response) => HttpResponse.isInstance(response) ? (response.headers?.age ?? response.headers?.Age) : undefined;

const getSkewCorrectedDate = (systemClockOffset) => new Date(Date.now() + systemClockOffset);

const getUpdatedSystemClockOffset = (clockTime, currentSystemClockOffset, timeRequestSent, ageHeader) => {
    if (ageHeader !== undefined) {
        return currentSystemClockOffset;
    }
    const serverTime = Date.parse(clockTime);
    if (Number.isNaN(serverTime)) {
        return currentSystemClockOffset;
    }
    const timeResponseReceived = Date.now();
    if (timeRequestSent !== undefined && timeResponseReceived - timeRequestSent > 900_000) {
        return currentSystemClockOffset;
    }
    return serverTime - timeResponseReceived;
};

const throwSigningPropertyError = (name, property) => {
    if (!property) {
        throw new Error(`Property \`${name}\` is not resolved for AWS SDK SigV4Auth`);
    }
    return property;
};
const hasEventStreamOutput = (signingProperties) => {
    const context = signingProperties.context;
    const eventStream = context?.[SMITHY_CONTEXT_KEY]
        ?.eventStream;
    return eventStream?.output === true;
};
const validateSigningProperties = async (signingProperties) => {
    const context = throwSigningPropertyError("context", signingProperties.context);
    const config = throwSigningPropertyError("config", signingProperties.config);
    const authScheme = context.endpointV2?.properties?.authSchemes?.[0];
    const signerFunction = throwSigningPropertyError("signer", config.signer);
    const signer = await signerFunction(authScheme);
    const signingRegion = signingProperties?.signingRegion;
    const signingRegionSet = signingProperties?.signingRegionSet;
    const signingName = signingProperties?.signingName;
    return {
        config,
        signer,
        signingRegion,
        signingRegionSet,
        signingName,
    };
};
class AwsSdkSigV4Signer {
    async sign(httpRequest, identity, signingProperties) {
        if (!HttpRequest.isInstance(httpRequest)) {
            throw new Error("The request is not an instance of `HttpRequest` and cannot be signed");
        }
        const validatedProps = await validateSigningProperties(signingProperties);
        const { config, signer } = validatedProps;
        let { signingRegion, signingName } = validatedProps;
        const handlerExecutionContext = signingProperties.context;
        if (handlerExecutionContext?.authSchemes?.length ?? 0 > 1) {
            const [first, second] = handlerExecutionContext.authSchemes;
            if (first?.name === "sigv4a" && second?.name === "sigv4") {
                signingRegion = second?.signingRegion ?? signingRegion;
                signingName = second?.signingName ?? signingName;
            }
        }
        const noSkewCorrection = (await config.disableClockSkewCorrection?.()) === true;
        signingProperties._disableClockSkewCorrection = noSkewCorrection;
        const skipSkewSampling = noSkewCorrection || hasEventStreamOutput(signingProperties);
        signingProperties._skipClockSkewSampling = skipSkewSampling;
        if (!skipSkewSampling) {
            signingProperties._preRequestSystemClockOffset = config.systemClockOffset;
            signingProperties._requestSentAt = Date.now();
        }
        const signedRequest = await signer.sign(httpRequest, {
            signingDate: noSkewCorrection ? new Date() : getSkewCorrectedDate(config.systemClockOffset),
            signingRegion: signingRegion,
            signingService: signingName,
        });
        return signedRequest;
    }
    errorHandler(signingProperties) {
        return (error) => {
            const errorException = error;
            if (!signingProperties._skipClockSkewSampling && !signingProperties._disableClockSkewCorrection) {
                const serverTime = errorException.ServerTime ?? getDateHeader(errorException.$response);
                if (serverTime) {
                    const config = throwSigningPropertyError("config", signingProperties.config);
                    const preRequestOffset = signingProperties._preRequestSystemClockOffset;
                    const timeRequestSent = signingProperties._requestSentAt;
                    const ageHeader = getAgeHeader(errorException.$response);
                    const newOffset = getUpdatedSystemClockOffset(serverTime, config.systemClockOffset, timeRequestSent, ageHeader);
                    config.systemClockOffset = newOffset;
                    const skewExceedsThreshold = Math.abs(newOffset) >= 240_000;
                    const isLocalCorrection = newOffset !== preRequestOffset;
                    const isConcurrentCorrection = preRequestOffset !== undefined && preRequestOffset !== newOffset;
                    if (skewExceedsThreshold && (isLocalCorrection || isConcurrentCorrection) && errorException.$metadata) {
                        errorException.$metadata.clockSkewCorrected = true;
                    }
                }
            }
            throw error;
        };
    }
    successHandler(httpResponse, signingProperties) {
        if (signingProperties._skipClockSkewSampling || signingProperties._disableClockSkewCorrection) {
            return;
        }
        const dateHeader = getDateHeader(httpResponse);
        if (dateHeader) {
            const config = throwSigningPropertyError("config", signingProperties.config);
            const timeRequestSent = signingProperties._requestSentAt;
            const ageHeader = getAgeHeader(httpResponse);
            config.systemClockOffset = getUpdatedSystemClockOffset(dateHeader, config.systemClockOffset, timeRequestSent, ageHeader);
        }
    }
}
const AWSSDKSigV4Signer = AwsSdkSigV4Signer;

class AwsSdkSigV4ASigner extends AwsSdkSigV4Signer {
    async sign(httpRequest, identity, signingProperties) {
        if (!HttpRequest.isInstance(httpRequest)) {
            throw new Error("The request is not an instance of `HttpRequest` and cannot be signed");
        }
        const { config, signer, signingRegion, signingRegionSet, signingName } = await validateSigningProperties(signingProperties);
        const configResolvedSigningRegionSet = await config.sigv4aSigningRegionSet?.();
        const multiRegionOverride = (configResolvedSigningRegionSet ??
            signingRegionSet ?? [signingRegion]).join(",");
        const noSkewCorrection = (await config.disableClockSkewCorrection?.()) === true;
        signingProperties._disableClockSkewCorrection = noSkewCorrection;
        if (!noSkewCorrection) {
            signingProperties._preRequestSystemClockOffset = config.systemClockOffset;
            signingProperties._requestSentAt = Date.now();
        }
        const signedRequest = await signer.sign(httpRequest, {
            signingDate: noSkewCorrection ? new Date() : getSkewCorrectedDate(config.systemClockOffset),
            signingRegion: multiRegionOverride,
            signingService: signingName,
        });
        return signedRequest;
    }
}

const getArrayForCommaSeparatedString = (str) => typeof str === "string" && str.length > 0 ? str.split(",").map((item) => item.trim()) : [];

const getBearerTokenEnvKey = (signingName) => `AWS_BEARER_TOKEN_${signingName.replace(/[\s-]/g, "_").toUpperCase()}`;

const NODE_AUTH_SCHEME_PREFERENCE_ENV_KEY = "AWS_AUTH_SCHEME_PREFERENCE";
const NODE_AUTH_SCHEME_PREFERENCE_CONFIG_KEY = "auth_scheme_preference";
const NODE_AUTH_SCHEME_PREFERENCE_OPTIONS = {
    environmentVariableSelector: (env, options) => {
        if (options?.signingName) {
            const bearerTokenKey = getBearerTokenEnvKey(options.signingName);
            if (bearerTokenKey in env) {
                return ["httpBearerAuth"];
            }
        }
        if (!(NODE_AUTH_SCHEME_PREFERENCE_ENV_KEY in env)) {
            return undefined;
        }
        return getArrayForCommaSeparatedString(env[NODE_AUTH_SCHEME_PREFERENCE_ENV_KEY]);
    },
    configFileSelector: (profile) => {
        if (!(NODE_AUTH_SCHEME_PREFERENCE_CONFIG_KEY in profile)) {
            return undefined;
        }
        return getArrayForCommaSeparatedString(profile[NODE_AUTH_SCHEME_PREFERENCE_CONFIG_KEY]);
    },
    default: [],
};

const resolveAwsSdkSigV4AConfig = (config) => {
    config.sigv4aSigningRegionSet = normalizeProvider(config.sigv4aSigningRegionSet);
    return config;
};
const NODE_SIGV4A_CONFIG_OPTIONS = {
    environmentVariableSelector(env) {
        if (env.AWS_SIGV4A_SIGNING_REGION_SET) {
            return env.AWS_SIGV4A_SIGNING_REGION_SET.split(",").map((_) => _.trim());
        }
        throw new ProviderError("AWS_SIGV4A_SIGNING_REGION_SET not set in env.", {
            tryNextLink: true,
        });
    },
    configFileSelector(profile) {
        if (profile.sigv4a_signing_region_set) {
            return (profile.sigv4a_signing_region_set ?? "").split(",").map((_) => _.trim());
        }
        throw new ProviderError("sigv4a_signing_region_set not set in profile.", {
            tryNextLink: true,
        });
    },
    default: undefined,
};

const bindResolveAwsSdkSigV4Config = (defaultDisableClockSkewCorrection) => (config) => {
    let inputCredentials = config.credentials;
    let isUserSupplied = !!config.credentials;
    let resolvedCredentials = undefined;
    Object.defineProperty(config, "credentials", {
        set(credentials) {
            if (credentials && credentials !== inputCredentials && credentials !== resolvedCredentials) {
                isUserSupplied = true;
            }
            inputCredentials = credentials;
            const memoizedProvider = normalizeCredentialProvider(config, {
                credentials: inputCredentials,
                credentialDefaultProvider: config.credentialDefaultProvider,
            });
            const boundProvider = bindCallerConfig(config, memoizedProvider);
            if (isUserSupplied && !boundProvider.attributed) {
                const isCredentialObject = typeof inputCredentials === "object" && inputCredentials !== null;
                resolvedCredentials = async (options) => {
                    const creds = await boundProvider(options);
                    const attributedCreds = creds;
                    if (isCredentialObject && (!attributedCreds.$source || Object.keys(attributedCreds.$source).length === 0)) {
                        return setCredentialFeature(attributedCreds, "CREDENTIALS_CODE", "e");
                    }
                    return attributedCreds;
                };
                resolvedCredentials.memoized = boundProvider.memoized;
                resolvedCredentials.configBound = boundProvider.configBound;
                resolvedCredentials.attributed = true;
            }
            else {
                resolvedCredentials = boundProvider;
            }
        },
        get() {
            return resolvedCredentials;
        },
        enumerable: true,
        configurable: true,
    });
    config.credentials = inputCredentials;
    const { signingEscapePath = true, systemClockOffset = config.systemClockOffset || 0, sha256, } = config;
    let signer;
    if (config.signer) {
        signer = normalizeProvider(config.signer);
    }
    else if (config.regionInfoProvider) {
        signer = () => normalizeProvider(config.region)()
            .then(async (region) => [
            (await config.regionInfoProvider(region, {
                useFipsEndpoint: await config.useFipsEndpoint(),
                useDualstackEndpoint: await config.useDualstackEndpoint(),
            })) || {},
            region,
        ])
            .then(([regionInfo, region]) => {
            const { signingRegion, signingService } = regionInfo;
            config.signingRegion = config.signingRegion || signingRegion || region;
            config.signingName = config.signingName || signingService || config.serviceId;
            const params = {
                ...config,
                credentials: config.credentials,
                region: config.signingRegion,
                service: config.signingName,
                sha256,
                uriEscapePath: signingEscapePath,
            };
            const SignerCtor = config.signerConstructor || SignatureV4;
            return new SignerCtor(params);
        });
    }
    else {
        signer = async (authScheme) => {
            authScheme = Object.assign({}, {
                name: "sigv4",
                signingName: config.signingName || config.defaultSigningName,
                signingRegion: await normalizeProvider(config.region)(),
                properties: {},
            }, authScheme);
            const signingRegion = authScheme.signingRegion;
            const signingService = authScheme.signingName;
            config.signingRegion = config.signingRegion || signingRegion;
            config.signingName = config.signingName || signingService || config.serviceId;
            const params = {
                ...config,
                credentials: config.credentials,
                region: config.signingRegion,
                service: config.signingName,
                sha256,
                uriEscapePath: signingEscapePath,
            };
            const SignerCtor = config.signerConstructor || SignatureV4;
            return new SignerCtor(params);
        };
    }
    const resolvedConfig = Object.assign(config, {
        systemClockOffset,
        signingEscapePath,
        signer,
        disableClockSkewCorrection: normalizeProvider(config.disableClockSkewCorrection ?? defaultDisableClockSkewCorrection),
    });
    return resolvedConfig;
};
function normalizeCredentialProvider(config, { credentials, credentialDefaultProvider }) {
    let credentialsProvider;
    if (credentials) {
        if (!credentials?.memoized) {
            credentialsProvider = memoizeIdentityProvider(credentials, isIdentityExpired, doesIdentityRequireRefresh);
        }
        else {
            credentialsProvider = credentials;
        }
    }
    else {
        if (credentialDefaultProvider) {
            credentialsProvider = normalizeProvider(credentialDefaultProvider(Object.assign({}, config, {
                parentClientConfig: config,
            })));
        }
        else {
            credentialsProvider = async () => {
                throw new Error("@aws-sdk/core::resolveAwsSdkSigV4Config - `credentials` not provided and no credentialDefaultProvider was configured.");
            };
        }
    }
    credentialsProvider.memoized = true;
    return credentialsProvider;
}
function bindCallerConfig(config, credentialsProvider) {
    if (credentialsProvider.configBound) {
        return credentialsProvider;
    }
    const fn = async (options) => credentialsProvider({ ...options, callerClientConfig: config });
    fn.memoized = credentialsProvider.memoized;
    fn.configBound = true;
    return fn;
}

const ENV_DISABLE_CLOCK_SKEW_CORRECTION = "AWS_DISABLE_CLOCK_SKEW_CORRECTION";
const CONFIG_DISABLE_CLOCK_SKEW_CORRECTION = "disable_clock_skew_correction";
const NODE_DISABLE_CLOCK_SKEW_CORRECTION_CONFIG_OPTIONS = {
    environmentVariableSelector: (env) => booleanSelector(env, ENV_DISABLE_CLOCK_SKEW_CORRECTION, SelectorType.ENV),
    configFileSelector: (profile) => booleanSelector(profile, CONFIG_DISABLE_CLOCK_SKEW_CORRECTION, SelectorType.CONFIG),
    default: false,
};

const DEFAULT_DISABLE_CLOCK_SKEW_CORRECTION = loadConfig(NODE_DISABLE_CLOCK_SKEW_CORRECTION_CONFIG_OPTIONS);

const resolveAwsSdkSigV4Config = bindResolveAwsSdkSigV4Config(DEFAULT_DISABLE_CLOCK_SKEW_CORRECTION);
const resolveAWSSDKSigV4Config = resolveAwsSdkSigV4Config;

exports.AWSSDKSigV4Signer = AWSSDKSigV4Signer;
exports.AwsSdkSigV4ASigner = AwsSdkSigV4ASigner;
exports.AwsSdkSigV4Signer = AwsSdkSigV4Signer;
exports.NODE_AUTH_SCHEME_PREFERENCE_OPTIONS = NODE_AUTH_SCHEME_PREFERENCE_OPTIONS;
exports.NODE_SIGV4A_CONFIG_OPTIONS = NODE_SIGV4A_CONFIG_OPTIONS;
exports.getBearerTokenEnvKey = getBearerTokenEnvKey;
exports.resolveAWSSDKSigV4Config = resolveAWSSDKSigV4Config;
exports.resolveAwsSdkSigV4AConfig = resolveAwsSdkSigV4AConfig;
exports.resolveAwsSdkSigV4Config = resolveAwsSdkSigV4Config;
exports.validateSigningProperties = validateSigningProperties;


/***/ }),

/***/ 37288:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { SmithyRpcV2CborProtocol, loadSmithyRpcV2CborErrorCode } = __webpack_require__(64645);
const { TypeRegistry, NormalizedSchema, deref } = __webpack_require__(26890);
const { decorateServiceException, getValueFromTextNode } = __webpack_require__(92658);
const { RpcProtocol, JsonCodec2, loadJsonRpcErrorCode, HttpBindingProtocol, HttpInterceptingShapeSerializer, HttpInterceptingShapeDeserializer, loadRestJsonErrorCode, SmithyRpcV2JsonProtocol, loadSmithyRpcV2JsonErrorCode, FromStringShapeDeserializer, determineTimestampFormat, extendedEncodeURIComponent, collectBody } = __webpack_require__(93422);
const { JsonCodec, JsonShapeDeserializer, JsonShapeDeserializer2, JsonShapeSerializer, JsonShapeSerializer2, parseJsonBody, parseJsonErrorBody } = __webpack_require__(93422);
exports.JsonCodec = JsonCodec;
exports.JsonCodec2 = JsonCodec2;
exports.JsonShapeDeserializer = JsonShapeDeserializer;
exports.JsonShapeDeserializer2 = JsonShapeDeserializer2;
exports.JsonShapeSerializer = JsonShapeSerializer;
exports.JsonShapeSerializer2 = JsonShapeSerializer2;
exports.loadJsonRpcErrorCode = loadJsonRpcErrorCode;
exports.loadRestJsonErrorCode = loadRestJsonErrorCode;
exports.parseJsonBody = parseJsonBody;
exports.parseJsonErrorBody = parseJsonErrorBody;
const { parseXML, XmlNode, XmlText } = __webpack_require__(94274);
const { toUtf8, toBase64, generateIdempotencyToken, NumericValue, dateToUtcString, fromBase64, expectUnion } = __webpack_require__(92430);

class ProtocolLib {
    queryCompat;
    errorRegistry;
    constructor(queryCompat = false) {
        this.queryCompat = queryCompat;
    }
    resolveRestContentType(defaultContentType, inputSchema) {
        const members = inputSchema.getMemberSchemas();
        const httpPayloadMember = Object.values(members).find((m) => {
            return !!m.getMergedTraits().httpPayload;
        });
        if (httpPayloadMember) {
            const mediaType = httpPayloadMember.getMergedTraits().mediaType;
            if (mediaType) {
                return mediaType;
            }
            else if (httpPayloadMember.isStringSchema()) {
                return "text/plain";
            }
            else if (httpPayloadMember.isBlobSchema()) {
                return "application/octet-stream";
            }
            else {
                return defaultContentType;
            }
        }
        else if (!inputSchema.isUnitSchema()) {
            const hasBody = Object.values(members).find((m) => {
                const { httpQuery, httpQueryParams, httpHeader, httpLabel, httpPrefixHeaders } = m.getMergedTraits();
                const noPrefixHeaders = httpPrefixHeaders === void 0;
                return !httpQuery && !httpQueryParams && !httpHeader && !httpLabel && noPrefixHeaders;
            });
            if (hasBody) {
                return defaultContentType;
            }
        }
    }
    async getErrorSchemaOrThrowBaseException(errorIdentifier, defaultNamespace, response, dataObject, metadata, getErrorSchema) {
        let errorName = errorIdentifier;
        if (errorIdentifier.includes("#")) {
            [, errorName] = errorIdentifier.split("#");
        }
        const errorMetadata = {
            $metadata: metadata,
            $fault: response.statusCode < 500 ? "client" : "server",
        };
        if (!this.errorRegistry) {
            throw new Error("@aws-sdk/core/protocols - error handler not initialized.");
        }
        try {
            const errorSchema = getErrorSchema?.(this.errorRegistry, errorName) ??
                this.errorRegistry.getSchema(errorIdentifier);
            return { errorSchema, errorMetadata };
        }
        catch (e) {
            dataObject.message = dataObject.message ?? dataObject.Message ?? "UnknownError";
            const synthetic = this.errorRegistry;
            const baseExceptionSchema = synthetic.getBaseException();
            if (baseExceptionSchema) {
                const ErrorCtor = synthetic.getErrorCtor(baseExceptionSchema) ?? Error;
                throw this.decorateServiceException(Object.assign(new ErrorCtor({ name: errorName }), errorMetadata), dataObject);
            }
            const d = dataObject;
            const message = d?.message ?? d?.Message ?? d?.Error?.Message ?? d?.Error?.message;
            throw this.decorateServiceException(Object.assign(new Error(message), {
                name: errorName,
            }, errorMetadata), dataObject);
        }
    }
    compose(composite, errorIdentifier, defaultNamespace) {
        let namespace = defaultNamespace;
        if (errorIdentifier.includes("#")) {
            [namespace] = errorIdentifier.split("#");
        }
        const staticRegistry = TypeRegistry.for(namespace);
        const defaultSyntheticRegistry = TypeRegistry.for("smithy.ts.sdk.synthetic." + defaultNamespace);
        composite.copyFrom(staticRegistry);
        composite.copyFrom(defaultSyntheticRegistry);
        this.errorRegistry = composite;
    }
    decorateServiceException(exception, additions = {}) {
        if (this.queryCompat) {
            const msg = exception.Message ?? additions.Message;
            const error = decorateServiceException(exception, additions);
            if (msg) {
                error.message = msg;
            }
            const errorObj = error.Error ?? {};
            errorObj.Type = error.Error?.Type;
            errorObj.Code = error.Error?.Code;
            errorObj.Message = error.Error?.message ?? error.Error?.Message ?? msg;
            error.Error = errorObj;
            const reqId = error.$metadata.requestId;
            if (reqId) {
                error.RequestId = reqId;
            }
            return error;
        }
        return decorateServiceException(exception, additions);
    }
    setQueryCompatError(output, response) {
        const queryErrorHeader = response.headers?.["x-amzn-query-error"];
        if (output !== undefined && queryErrorHeader != null) {
            const [Code, Type] = queryErrorHeader.split(";");
            const keys = Object.keys(output);
            const Error = {
                Code,
                Type,
            };
            output.Code = Code;
            output.Type = Type;
            for (let i = 0; i < keys.length; i++) {
                const k = keys[i];
                Error[k === "message" ? "Message" : k] = output[k];
            }
            delete Error.__type;
            output.Error = Error;
        }
    }
    queryCompatOutput(queryCompatErrorData, errorData) {
        if (queryCompatErrorData.Error) {
            errorData.Error = queryCompatErrorData.Error;
        }
        if (queryCompatErrorData.Type) {
            errorData.Type = queryCompatErrorData.Type;
        }
        if (queryCompatErrorData.Code) {
            errorData.Code = queryCompatErrorData.Code;
        }
    }
    findQueryCompatibleError(registry, errorName) {
        try {
            return registry.getSchema(errorName);
        }
        catch (e) {
            return registry.find((schema) => NormalizedSchema.of(schema).getMergedTraits().awsQueryError?.[0] === errorName);
        }
    }
}

class AwsSmithyRpcV2CborProtocol extends SmithyRpcV2CborProtocol {
    awsQueryCompatible;
    mixin;
    constructor({ defaultNamespace, errorTypeRegistries, awsQueryCompatible, }) {
        super({ defaultNamespace, errorTypeRegistries });
        this.awsQueryCompatible = !!awsQueryCompatible;
        this.mixin = new ProtocolLib(this.awsQueryCompatible);
    }
    async serializeRequest(operationSchema, input, context) {
        const request = await super.serializeRequest(operationSchema, input, context);
        if (this.awsQueryCompatible) {
            request.headers["x-amzn-query-mode"] = "true";
        }
        return request;
    }
    async handleError(operationSchema, context, response, dataObject, metadata) {
        if (this.awsQueryCompatible) {
            this.mixin.setQueryCompatError(dataObject, response);
        }
        const errorName = (() => {
            const compatHeader = response.headers["x-amzn-query-error"];
            if (compatHeader && this.awsQueryCompatible) {
                return compatHeader.split(";")[0];
            }
            return loadSmithyRpcV2CborErrorCode(response, dataObject) ?? "Unknown";
        })();
        this.mixin.compose(this.compositeErrorRegistry, errorName, this.options.defaultNamespace);
        const { errorSchema, errorMetadata } = await this.mixin.getErrorSchemaOrThrowBaseException(errorName, this.options.defaultNamespace, response, dataObject, metadata, this.awsQueryCompatible ? this.mixin.findQueryCompatibleError : undefined);
        const ns = NormalizedSchema.of(errorSchema);
        const message = dataObject.message ?? dataObject.Message ?? "UnknownError";
        const ErrorCtor = this.compositeErrorRegistry.getErrorCtor(errorSchema) ?? Error;
        const exception = new ErrorCtor({});
        const output = {};
        for (const [name, member] of ns.structIterator()) {
            if (dataObject[name] != null) {
                output[name] = this.deserializer.readValue(member, dataObject[name]);
            }
        }
        if (this.awsQueryCompatible) {
            this.mixin.queryCompatOutput(dataObject, output);
        }
        throw this.mixin.decorateServiceException(Object.assign(exception, errorMetadata, {
            $fault: ns.getMergedTraits().error,
            message,
        }, output), dataObject);
    }
}

class AwsJsonRpcProtocol extends RpcProtocol {
    serializer;
    deserializer;
    serviceTarget;
    codec;
    mixin;
    awsQueryCompatible;
    constructor({ defaultNamespace, errorTypeRegistries, serviceTarget, awsQueryCompatible, jsonCodec, }) {
        super({
            defaultNamespace,
            errorTypeRegistries,
        });
        this.serviceTarget = serviceTarget;
        this.codec =
            jsonCodec ??
                new JsonCodec2({
                    timestampFormat: {
                        useTrait: true,
                        default: 7,
                    },
                    jsonName: false,
                });
        this.serializer = this.codec.createSerializer();
        this.deserializer = this.codec.createDeserializer();
        this.awsQueryCompatible = !!awsQueryCompatible;
        this.mixin = new ProtocolLib(this.awsQueryCompatible);
    }
    async serializeRequest(operationSchema, input, context) {
        const request = await super.serializeRequest(operationSchema, input, context);
        if (!request.path.endsWith("/")) {
            request.path += "/";
        }
        request.headers["content-type"] = `application/x-amz-json-${this.getJsonRpcVersion()}`;
        request.headers["x-amz-target"] = `${this.serviceTarget}.${operationSchema.name}`;
        if (this.awsQueryCompatible) {
            request.headers["x-amzn-query-mode"] = "true";
        }
        if (deref(operationSchema.input) === "unit" || !request.body) {
            request.body = "{}";
        }
        return request;
    }
    getPayloadCodec() {
        return this.codec;
    }
    async handleError(operationSchema, context, response, dataObject, metadata) {
        const { awsQueryCompatible } = this;
        if (awsQueryCompatible) {
            this.mixin.setQueryCompatError(dataObject, response);
        }
        const errorIdentifier = loadJsonRpcErrorCode(response, dataObject, awsQueryCompatible) ?? "Unknown";
        this.mixin.compose(this.compositeErrorRegistry, errorIdentifier, this.options.defaultNamespace);
        const { errorSchema, errorMetadata } = await this.mixin.getErrorSchemaOrThrowBaseException(errorIdentifier, this.options.defaultNamespace, response, dataObject, metadata, awsQueryCompatible ? this.mixin.findQueryCompatibleError : undefined);
        const ns = NormalizedSchema.of(errorSchema);
        const message = dataObject.message ?? dataObject.Message ?? "UnknownError";
        const ErrorCtor = this.compositeErrorRegistry.getErrorCtor(errorSchema) ?? Error;
        const exception = new ErrorCtor({});
        const output = {};
        const errorDeserializer = this.codec.createDeserializer();
        for (const [name, member] of ns.structIterator()) {
            if (dataObject[name] != null) {
                output[name] = errorDeserializer.readObject(member, dataObject[name]);
            }
        }
        if (awsQueryCompatible) {
            this.mixin.queryCompatOutput(dataObject, output);
        }
        throw this.mixin.decorateServiceException(Object.assign(exception, errorMetadata, {
            $fault: ns.getMergedTraits().error,
            message,
        }, output), dataObject);
    }
}

class AwsJson1_0Protocol extends AwsJsonRpcProtocol {
    constructor({ defaultNamespace, errorTypeRegistries, serviceTarget, awsQueryCompatible, jsonCodec, }) {
        super({
            defaultNamespace,
            errorTypeRegistries,
            serviceTarget,
            awsQueryCompatible,
            jsonCodec,
        });
    }
    getShapeId() {
        return "aws.protocols#awsJson1_0";
    }
    getJsonRpcVersion() {
        return "1.0";
    }
    getDefaultContentType() {
        return "application/x-amz-json-1.0";
    }
}

class AwsJson1_1Protocol extends AwsJsonRpcProtocol {
    constructor({ defaultNamespace, errorTypeRegistries, serviceTarget, awsQueryCompatible, jsonCodec, }) {
        super({
            defaultNamespace,
            errorTypeRegistries,
            serviceTarget,
            awsQueryCompatible,
            jsonCodec,
        });
    }
    getShapeId() {
        return "aws.protocols#awsJson1_1";
    }
    getJsonRpcVersion() {
        return "1.1";
    }
    getDefaultContentType() {
        return "application/x-amz-json-1.1";
    }
}

class AwsRestJsonProtocol extends HttpBindingProtocol {
    serializer;
    deserializer;
    codec;
    mixin = new ProtocolLib();
    constructor({ defaultNamespace, errorTypeRegistries, jsonCodec, }) {
        super({
            defaultNamespace,
            errorTypeRegistries,
        });
        const settings = {
            timestampFormat: {
                useTrait: true,
                default: 7,
            },
            httpBindings: true,
            jsonName: true,
        };
        this.codec = jsonCodec ?? new JsonCodec2(settings);
        this.serializer = new HttpInterceptingShapeSerializer(this.codec.createSerializer(), settings);
        this.deserializer = new HttpInterceptingShapeDeserializer(this.codec.createDeserializer(), settings);
    }
    getShapeId() {
        return "aws.protocols#restJson1";
    }
    getPayloadCodec() {
        return this.codec;
    }
    setSerdeContext(serdeContext) {
        this.codec.setSerdeContext(serdeContext);
        super.setSerdeContext(serdeContext);
    }
    async serializeRequest(operationSchema, input, context) {
        const request = await super.serializeRequest(operationSchema, input, context);
        const inputSchema = NormalizedSchema.of(operationSchema.input);
        if (!request.headers["content-type"]) {
            const contentType = this.mixin.resolveRestContentType(this.getDefaultContentType(), inputSchema);
            if (contentType) {
                request.headers["content-type"] = contentType;
            }
        }
        if (request.body == null && request.headers["content-type"] === this.getDefaultContentType()) {
            request.body = "{}";
        }
        return request;
    }
    async deserializeResponse(operationSchema, context, response) {
        const output = await super.deserializeResponse(operationSchema, context, response);
        const outputSchema = NormalizedSchema.of(operationSchema.output);
        for (const [name, member] of outputSchema.structIterator()) {
            if (member.getMemberTraits().httpPayload && !(name in output)) {
                output[name] = null;
            }
        }
        return output;
    }
    async handleError(operationSchema, context, response, dataObject, metadata) {
        const errorIdentifier = loadRestJsonErrorCode(response, dataObject) ?? "Unknown";
        this.mixin.compose(this.compositeErrorRegistry, errorIdentifier, this.options.defaultNamespace);
        const { errorSchema, errorMetadata } = await this.mixin.getErrorSchemaOrThrowBaseException(errorIdentifier, this.options.defaultNamespace, response, dataObject, metadata);
        const ns = NormalizedSchema.of(errorSchema);
        const message = dataObject.message ?? dataObject.Message ?? "UnknownError";
        const ErrorCtor = this.compositeErrorRegistry.getErrorCtor(errorSchema) ?? Error;
        const exception = new ErrorCtor({});
        await this.deserializeHttpMessage(errorSchema, context, response, dataObject);
        const output = {};
        const errorDeserializer = this.codec.createDeserializer();
        for (const [name, member] of ns.structIterator()) {
            const target = member.getMergedTraits().jsonName ?? name;
            output[name] = errorDeserializer.readObject(member, dataObject[target]);
        }
        throw this.mixin.decorateServiceException(Object.assign(exception, errorMetadata, {
            $fault: ns.getMergedTraits().error,
            message,
        }, output), dataObject);
    }
    getDefaultContentType() {
        return "application/json";
    }
}

class AwsSmithyRpcV2JsonProtocol extends SmithyRpcV2JsonProtocol {
    awsQueryCompatible;
    mixin;
    constructor({ defaultNamespace, errorTypeRegistries, awsQueryCompatible, }) {
        super({ defaultNamespace, errorTypeRegistries });
        this.awsQueryCompatible = !!awsQueryCompatible;
        this.mixin = new ProtocolLib(this.awsQueryCompatible);
    }
    async serializeRequest(operationSchema, input, context) {
        const request = await super.serializeRequest(operationSchema, input, context);
        if (this.awsQueryCompatible) {
            request.headers["x-amzn-query-mode"] = "true";
        }
        return request;
    }
    async handleError(operationSchema, context, response, dataObject, metadata) {
        if (this.awsQueryCompatible) {
            this.mixin.setQueryCompatError(dataObject, response);
        }
        const errorName = (() => {
            const compatHeader = response.headers["x-amzn-query-error"];
            if (compatHeader && this.awsQueryCompatible) {
                return compatHeader.split(";")[0];
            }
            return loadSmithyRpcV2JsonErrorCode(response, dataObject) ?? "Unknown";
        })();
        this.mixin.compose(this.compositeErrorRegistry, errorName, this.options.defaultNamespace);
        const { errorSchema, errorMetadata } = await this.mixin.getErrorSchemaOrThrowBaseException(errorName, this.options.defaultNamespace, response, dataObject, metadata, this.awsQueryCompatible ? this.mixin.findQueryCompatibleError : undefined);
        const ns = NormalizedSchema.of(errorSchema);
        const message = dataObject.message ?? dataObject.Message ?? "UnknownError";
        const ErrorCtor = this.compositeErrorRegistry.getErrorCtor(errorSchema) ?? Error;
        const exception = new ErrorCtor({});
        const output = {};
        const errorDeserializer = this.getPayloadCodec().createDeserializer();
        for (const [name, member] of ns.structIterator()) {
            if (dataObject[name] != null) {
                output[name] = errorDeserializer.readObject(member, dataObject[name]);
            }
        }
        if (this.awsQueryCompatible) {
            this.mixin.queryCompatOutput(dataObject, output);
        }
        throw this.mixin.decorateServiceException(Object.assign(exception, errorMetadata, {
            $fault: ns.getMergedTraits().error,
            message,
        }, output), dataObject);
    }
}

class SerdeContextConfig {
    serdeContext;
    setSerdeContext(serdeContext) {
        this.serdeContext = serdeContext;
    }
}

class UnionSerde {
    from;
    to;
    keys;
    constructor(from, to) {
        this.from = from;
        this.to = to;
        const keys = Object.keys(this.from);
        const set = new Set(keys);
        set.delete("__type");
        this.keys = set;
    }
    mark(key) {
        this.keys.delete(key);
    }
    hasUnknown() {
        return this.keys.size === 1 && Object.keys(this.to).length === 0;
    }
    writeUnknown() {
        if (this.hasUnknown()) {
            const k = this.keys.values().next().value;
            const v = this.from[k];
            this.to.$unknown = [k, v];
        }
    }
}

function writeKey(obj) {
    Object.defineProperty(obj, "__proto__", { value: undefined, writable: true, enumerable: true, configurable: true });
}

class XmlShapeDeserializer extends SerdeContextConfig {
    settings;
    stringDeserializer;
    constructor(settings) {
        super();
        this.settings = settings;
        this.stringDeserializer = new FromStringShapeDeserializer(settings);
    }
    setSerdeContext(serdeContext) {
        this.serdeContext = serdeContext;
        this.stringDeserializer.setSerdeContext(serdeContext);
    }
    read(schema, bytes, key) {
        const ns = NormalizedSchema.of(schema);
        const memberSchemas = ns.getMemberSchemas();
        const isEventPayload = ns.isStructSchema() &&
            ns.isMemberSchema() &&
            !!Object.values(memberSchemas).find((memberNs) => {
                return !!memberNs.getMemberTraits().eventPayload;
            });
        if (isEventPayload) {
            const output = {};
            const memberName = Object.keys(memberSchemas)[0];
            const eventMemberSchema = memberSchemas[memberName];
            if (eventMemberSchema.isBlobSchema()) {
                output[memberName] = bytes;
            }
            else {
                output[memberName] = this.read(memberSchemas[memberName], bytes);
            }
            return output;
        }
        const xmlString = (this.serdeContext?.utf8Encoder ?? toUtf8)(bytes);
        const parsedObject = this.parseXml(xmlString);
        return this.readSchema(schema, key ? parsedObject[key] : parsedObject);
    }
    readSchema(_schema, value) {
        const ns = NormalizedSchema.of(_schema);
        if (ns.isUnitSchema()) {
            return;
        }
        const traits = ns.getMergedTraits();
        if (ns.isListSchema() && !Array.isArray(value)) {
            return this.readSchema(ns, [value]);
        }
        if (value == null) {
            return value;
        }
        if (typeof value === "object") {
            const flat = !!traits.xmlFlattened;
            if (ns.isListSchema()) {
                const listValue = ns.getValueSchema();
                const buffer = [];
                const sourceKey = listValue.getMergedTraits().xmlName ?? "member";
                const source = flat ? value : (value[0] ?? value)[sourceKey];
                if (source == null) {
                    return buffer;
                }
                const sourceArray = Array.isArray(source) ? source : [source];
                for (const v of sourceArray) {
                    buffer.push(this.readSchema(listValue, v));
                }
                return buffer;
            }
            const buffer = {};
            if (ns.isMapSchema()) {
                const keyNs = ns.getKeySchema();
                const memberNs = ns.getValueSchema();
                let entries;
                if (flat) {
                    entries = Array.isArray(value) ? value : [value];
                }
                else {
                    entries = Array.isArray(value.entry) ? value.entry : [value.entry];
                }
                const keyProperty = keyNs.getMergedTraits().xmlName ?? "key";
                const valueProperty = memberNs.getMergedTraits().xmlName ?? "value";
                for (const entry of entries) {
                    const key = entry[keyProperty];
                    const value = entry[valueProperty];
                    if (key === "__proto__") {
                        writeKey(buffer);
                    }
                    buffer[key] = this.readSchema(memberNs, value);
                }
                return buffer;
            }
            if (ns.isStructSchema()) {
                const union = ns.isUnionSchema();
                let unionSerde;
                if (union) {
                    unionSerde = new UnionSerde(value, buffer);
                }
                for (const [memberName, memberSchema] of ns.structIterator()) {
                    const memberTraits = memberSchema.getMergedTraits();
                    const xmlObjectKey = !memberTraits.httpPayload
                        ? (memberSchema.getMemberTraits().xmlName ?? memberName)
                        : (memberTraits.xmlName ?? memberSchema.getName());
                    if (union) {
                        unionSerde.mark(xmlObjectKey);
                    }
                    if (value[xmlObjectKey] != null) {
                        buffer[memberName] = this.readSchema(memberSchema, value[xmlObjectKey]);
                    }
                }
                if (union) {
                    unionSerde.writeUnknown();
                }
                return buffer;
            }
            if (ns.isDocumentSchema()) {
                return value;
            }
            throw new Error(`@aws-sdk/core/protocols - xml deserializer unhandled schema type for ${ns.getName(true)}`);
        }
        if (ns.isListSchema()) {
            return [];
        }
        if (ns.isMapSchema() || ns.isStructSchema()) {
            return {};
        }
        return this.stringDeserializer.read(ns, value);
    }
    parseXml(xml) {
        if (xml.length) {
            let parsedObj;
            try {
                parsedObj = parseXML(xml);
            }
            catch (e) {
                if (e && typeof e === "object") {
                    Object.defineProperty(e, "$responseBodyText", {
                        value: xml,
                    });
                }
                throw e;
            }
            const textNodeName = "#text";
            const key = Object.keys(parsedObj)[0];
            const parsedObjToReturn = parsedObj[key];
            if (parsedObjToReturn[textNodeName]) {
                parsedObjToReturn[key] = parsedObjToReturn[textNodeName];
                delete parsedObjToReturn[textNodeName];
            }
            return getValueFromTextNode(parsedObjToReturn);
        }
        return {};
    }
}

class QueryShapeSerializer extends SerdeContextConfig {
    settings;
    buffer;
    constructor(settings) {
        super();
        this.settings = settings;
    }
    write(schema, value, prefix = "") {
        if (this.buffer === undefined) {
            this.buffer = "";
        }
        const ns = NormalizedSchema.of(schema);
        if (prefix && !prefix.endsWith(".")) {
            prefix += ".";
        }
        if (ns.isBlobSchema()) {
            if (typeof value === "string" || value instanceof Uint8Array) {
                this.writeKey(prefix);
                this.writeValue((this.serdeContext?.base64Encoder ?? toBase64)(value));
            }
        }
        else if (ns.isBooleanSchema() || ns.isNumericSchema() || ns.isStringSchema()) {
            if (value != null) {
                this.writeKey(prefix);
                this.writeValue(String(value));
            }
            else if (ns.isIdempotencyToken()) {
                this.writeKey(prefix);
                this.writeValue(generateIdempotencyToken());
            }
        }
        else if (ns.isBigIntegerSchema()) {
            if (value != null) {
                this.writeKey(prefix);
                this.writeValue(String(value));
            }
        }
        else if (ns.isBigDecimalSchema()) {
            if (value != null) {
                this.writeKey(prefix);
                this.writeValue(value instanceof NumericValue ? value.string : String(value));
            }
        }
        else if (ns.isTimestampSchema()) {
            if (value instanceof Date) {
                this.writeKey(prefix);
                const format = determineTimestampFormat(ns, this.settings);
                switch (format) {
                    case 5:
                        this.writeValue(value.toISOString().replace(".000Z", "Z"));
                        break;
                    case 6:
                        this.writeValue(dateToUtcString(value));
                        break;
                    case 7:
                        this.writeValue(String(value.getTime() / 1000));
                        break;
                }
            }
        }
        else if (ns.isDocumentSchema()) {
            if (Array.isArray(value)) {
                this.write(64 | 15, value, prefix);
            }
            else if (value instanceof Date) {
                this.write(4, value, prefix);
            }
            else if (value instanceof Uint8Array) {
                this.write(21, value, prefix);
            }
            else if (value && typeof value === "object") {
                this.write(128 | 15, value, prefix);
            }
            else {
                this.writeKey(prefix);
                this.writeValue(String(value));
            }
        }
        else if (ns.isListSchema()) {
            if (Array.isArray(value)) {
                if (value.length === 0) {
                    if (this.settings.serializeEmptyLists) {
                        this.writeKey(prefix);
                        this.writeValue("");
                    }
                }
                else {
                    const member = ns.getValueSchema();
                    const flat = this.settings.flattenLists || ns.getMergedTraits().xmlFlattened;
                    let i = 1;
                    for (const item of value) {
                        if (item == null) {
                            continue;
                        }
                        const traits = member.getMergedTraits();
                        const suffix = this.getKey("member", traits.xmlName, traits.ec2QueryName);
                        const key = flat ? `${prefix}${i}` : `${prefix}${suffix}.${i}`;
                        this.write(member, item, key);
                        ++i;
                    }
                }
            }
        }
        else if (ns.isMapSchema()) {
            if (value && typeof value === "object") {
                const keySchema = ns.getKeySchema();
                const memberSchema = ns.getValueSchema();
                const flat = ns.getMergedTraits().xmlFlattened;
                let i = 1;
                for (const k in value) {
                    const v = value[k];
                    if (v == null) {
                        continue;
                    }
                    const keyTraits = keySchema.getMergedTraits();
                    const keySuffix = this.getKey("key", keyTraits.xmlName, keyTraits.ec2QueryName);
                    const key = flat ? `${prefix}${i}.${keySuffix}` : `${prefix}entry.${i}.${keySuffix}`;
                    const valTraits = memberSchema.getMergedTraits();
                    const valueSuffix = this.getKey("value", valTraits.xmlName, valTraits.ec2QueryName);
                    const valueKey = flat ? `${prefix}${i}.${valueSuffix}` : `${prefix}entry.${i}.${valueSuffix}`;
                    this.write(keySchema, k, key);
                    this.write(memberSchema, v, valueKey);
                    ++i;
                }
            }
        }
        else if (ns.isStructSchema()) {
            if (value && typeof value === "object") {
                let didWriteMember = false;
                for (const [memberName, member] of ns.structIterator()) {
                    if (value[memberName] == null && !member.isIdempotencyToken()) {
                        continue;
                    }
                    const traits = member.getMergedTraits();
                    const suffix = this.getKey(memberName, traits.xmlName, traits.ec2QueryName, "struct");
                    const key = `${prefix}${suffix}`;
                    this.write(member, value[memberName], key);
                    didWriteMember = true;
                }
                if (!didWriteMember && ns.isUnionSchema()) {
                    const { $unknown } = value;
                    if (Array.isArray($unknown)) {
                        const [k, v] = $unknown;
                        const key = `${prefix}${k}`;
                        this.write(15, v, key);
                    }
                }
            }
        }
        else if (ns.isUnitSchema()) ;
        else {
            throw new Error(`@aws-sdk/core/protocols - QuerySerializer unrecognized schema type ${ns.getName(true)}`);
        }
    }
    flush() {
        if (this.buffer === undefined) {
            throw new Error("@aws-sdk/core/protocols - QuerySerializer cannot flush with nothing written to buffer.");
        }
        const str = this.buffer;
        delete this.buffer;
        return str;
    }
    getKey(memberName, xmlName, ec2QueryName, keySource) {
        const { ec2, capitalizeKeys } = this.settings;
        if (ec2 && ec2QueryName) {
            return ec2QueryName;
        }
        const key = xmlName ?? memberName;
        if (capitalizeKeys && keySource === "struct") {
            return key[0].toUpperCase() + key.slice(1);
        }
        return key;
    }
    writeKey(key) {
        if (key.endsWith(".")) {
            key = key.slice(0, key.length - 1);
        }
        this.buffer += `&${extendedEncodeURIComponent(key)}=`;
    }
    writeValue(value) {
        this.buffer += extendedEncodeURIComponent(value);
    }
}

class AwsQueryProtocol extends RpcProtocol {
    options;
    serializer;
    deserializer;
    mixin = new ProtocolLib();
    constructor(options) {
        super({
            defaultNamespace: options.defaultNamespace,
            errorTypeRegistries: options.errorTypeRegistries,
        });
        this.options = options;
        const settings = {
            timestampFormat: {
                useTrait: true,
                default: 5,
            },
            httpBindings: false,
            xmlNamespace: options.xmlNamespace,
            serviceNamespace: options.defaultNamespace,
            serializeEmptyLists: true,
        };
        this.serializer = new QueryShapeSerializer(settings);
        this.deserializer = new XmlShapeDeserializer(settings);
    }
    getShapeId() {
        return "aws.protocols#awsQuery";
    }
    setSerdeContext(serdeContext) {
        this.serializer.setSerdeContext(serdeContext);
        this.deserializer.setSerdeContext(serdeContext);
    }
    getPayloadCodec() {
        throw new Error("AWSQuery protocol has no payload codec.");
    }
    async serializeRequest(operationSchema, input, context) {
        const request = await super.serializeRequest(operationSchema, input, context);
        if (!request.path.endsWith("/")) {
            request.path += "/";
        }
        request.headers["content-type"] = "application/x-www-form-urlencoded";
        if (deref(operationSchema.input) === "unit" || !request.body) {
            request.body = "";
        }
        const action = operationSchema.name.split("#")[1] ?? operationSchema.name;
        request.body = `Action=${action}&Version=${this.options.version}` + request.body;
        if (request.body.endsWith("&")) {
            request.body = request.body.slice(-1);
        }
        return request;
    }
    async deserializeResponse(operationSchema, context, response) {
        const deserializer = this.deserializer;
        const ns = NormalizedSchema.of(operationSchema.output);
        const dataObject = {};
        if (response.statusCode >= 300) {
            const bytes = await collectBody(response.body, context);
            if (bytes.byteLength > 0) {
                Object.assign(dataObject, await deserializer.read(15, bytes));
            }
            await this.handleError(operationSchema, context, response, dataObject, this.deserializeMetadata(response));
        }
        for (const header in response.headers) {
            const value = response.headers[header];
            delete response.headers[header];
            response.headers[header.toLowerCase()] = value;
        }
        const shortName = operationSchema.name.split("#")[1] ?? operationSchema.name;
        const awsQueryResultKey = ns.isStructSchema() && this.useNestedResult() ? shortName + "Result" : undefined;
        const bytes = await collectBody(response.body, context);
        if (bytes.byteLength > 0) {
            Object.assign(dataObject, await deserializer.read(ns, bytes, awsQueryResultKey));
        }
        dataObject.$metadata = this.deserializeMetadata(response);
        return dataObject;
    }
    useNestedResult() {
        return true;
    }
    async handleError(operationSchema, context, response, dataObject, metadata) {
        const errorIdentifier = this.loadQueryErrorCode(response, dataObject) ?? "Unknown";
        this.mixin.compose(this.compositeErrorRegistry, errorIdentifier, this.options.defaultNamespace);
        const errorData = this.loadQueryError(dataObject) ?? {};
        const message = this.loadQueryErrorMessage(dataObject);
        errorData.message = message;
        errorData.Error = {
            Type: errorData.Type,
            Code: errorData.Code,
            Message: message,
        };
        const { errorSchema, errorMetadata } = await this.mixin.getErrorSchemaOrThrowBaseException(errorIdentifier, this.options.defaultNamespace, response, errorData, metadata, this.mixin.findQueryCompatibleError);
        const ns = NormalizedSchema.of(errorSchema);
        const ErrorCtor = this.compositeErrorRegistry.getErrorCtor(errorSchema) ?? Error;
        const exception = new ErrorCtor({});
        const output = {
            Type: errorData.Error.Type,
            Code: errorData.Error.Code,
            Error: errorData.Error,
        };
        for (const [name, member] of ns.structIterator()) {
            const target = member.getMergedTraits().xmlName ?? name;
            const value = errorData[target] ?? dataObject[target];
            output[name] = this.deserializer.readSchema(member, value);
        }
        throw this.mixin.decorateServiceException(Object.assign(exception, errorMetadata, {
            $fault: ns.getMergedTraits().error,
            message,
        }, output), dataObject);
    }
    loadQueryErrorCode(output, data) {
        const code = (data.Errors?.[0]?.Error ?? data.Errors?.Error ?? data.Error)?.Code;
        if (code !== undefined) {
            return code;
        }
        if (output.statusCode == 404) {
            return "NotFound";
        }
    }
    loadQueryError(data) {
        return data.Errors?.[0]?.Error ?? data.Errors?.Error ?? data.Error;
    }
    loadQueryErrorMessage(data) {
        const errorData = this.loadQueryError(data);
        return errorData?.message ?? errorData?.Message ?? data.message ?? data.Message ?? "Unknown";
    }
    getDefaultContentType() {
        return "application/x-www-form-urlencoded";
    }
}

class AwsEc2QueryProtocol extends AwsQueryProtocol {
    options;
    constructor(options) {
        super(options);
        this.options = options;
        const ec2Settings = {
            capitalizeKeys: true,
            flattenLists: true,
            serializeEmptyLists: false,
            ec2: true,
        };
        Object.assign(this.serializer.settings, ec2Settings);
    }
    getShapeId() {
        return "aws.protocols#ec2Query";
    }
    useNestedResult() {
        return false;
    }
}

const collectBodyString = (streamBody, context) => collectBody(streamBody, context).then((body) => (context?.utf8Encoder ?? toUtf8)(body));

const parseXmlBody = (streamBody, context) => collectBodyString(streamBody, context).then((encoded) => {
    if (encoded.length) {
        let parsedObj;
        try {
            parsedObj = parseXML(encoded);
        }
        catch (e) {
            if (e && typeof e === "object") {
                Object.defineProperty(e, "$responseBodyText", {
                    value: encoded,
                });
            }
            throw e;
        }
        const textNodeName = "#text";
        const key = Object.keys(parsedObj)[0];
        const parsedObjToReturn = parsedObj[key];
        if (parsedObjToReturn[textNodeName]) {
            parsedObjToReturn[key] = parsedObjToReturn[textNodeName];
            delete parsedObjToReturn[textNodeName];
        }
        return getValueFromTextNode(parsedObjToReturn);
    }
    return {};
});
const parseXmlErrorBody = async (errorBody, context) => {
    const value = await parseXmlBody(errorBody, context);
    if (value.Error) {
        value.Error.message = value.Error.message ?? value.Error.Message;
    }
    return value;
};
const loadRestXmlErrorCode = (output, data) => {
    if (data?.Error?.Code !== undefined) {
        return data.Error.Code;
    }
    if (data?.Code !== undefined) {
        return data.Code;
    }
    if (output.statusCode == 404) {
        return "NotFound";
    }
};

class XmlShapeSerializer extends SerdeContextConfig {
    settings;
    stringBuffer;
    byteBuffer;
    buffer;
    constructor(settings) {
        super();
        this.settings = settings;
    }
    write(schema, value) {
        const ns = NormalizedSchema.of(schema);
        if (ns.isStringSchema() && typeof value === "string") {
            this.stringBuffer = value;
        }
        else if (ns.isBlobSchema()) {
            this.byteBuffer =
                "byteLength" in value
                    ? value
                    : (this.serdeContext?.base64Decoder ?? fromBase64)(value);
        }
        else {
            this.buffer = this.writeStruct(ns, value, undefined);
            const traits = ns.getMergedTraits();
            if (traits.httpPayload && !traits.xmlName) {
                this.buffer.withName(ns.getName());
            }
        }
    }
    flush() {
        if (this.byteBuffer !== undefined) {
            const bytes = this.byteBuffer;
            delete this.byteBuffer;
            return bytes;
        }
        if (this.stringBuffer !== undefined) {
            const str = this.stringBuffer;
            delete this.stringBuffer;
            return str;
        }
        const buffer = this.buffer;
        if (this.settings.xmlNamespace) {
            if (!buffer?.attributes?.["xmlns"]) {
                buffer.addAttribute("xmlns", this.settings.xmlNamespace);
            }
        }
        delete this.buffer;
        return buffer.toString();
    }
    writeStruct(ns, value, parentXmlns) {
        const traits = ns.getMergedTraits();
        const name = ns.isMemberSchema() && !traits.httpPayload
            ? (ns.getMemberTraits().xmlName ?? ns.getMemberName())
            : (traits.xmlName ?? ns.getName());
        if (!name || !ns.isStructSchema()) {
            throw new Error(`@aws-sdk/core/protocols - xml serializer, cannot write struct with empty name or non-struct, schema=${ns.getName(true)}.`);
        }
        const structXmlNode = XmlNode.of(name);
        const [xmlnsAttr, xmlns] = this.getXmlnsAttribute(ns, parentXmlns);
        for (const [memberName, memberSchema] of ns.structIterator()) {
            const val = value[memberName];
            if (val != null || memberSchema.isIdempotencyToken()) {
                if (memberSchema.getMergedTraits().xmlAttribute) {
                    structXmlNode.addAttribute(memberSchema.getMergedTraits().xmlName ?? memberName, this.writeSimple(memberSchema, val));
                    continue;
                }
                if (memberSchema.isListSchema()) {
                    this.writeList(memberSchema, val, structXmlNode, xmlns);
                }
                else if (memberSchema.isMapSchema()) {
                    this.writeMap(memberSchema, val, structXmlNode, xmlns);
                }
                else if (memberSchema.isStructSchema()) {
                    structXmlNode.addChildNode(this.writeStruct(memberSchema, val, xmlns));
                }
                else {
                    const memberNode = XmlNode.of(memberSchema.getMergedTraits().xmlName ?? memberSchema.getMemberName());
                    this.writeSimpleInto(memberSchema, val, memberNode, xmlns);
                    structXmlNode.addChildNode(memberNode);
                }
            }
        }
        const { $unknown } = value;
        if ($unknown && ns.isUnionSchema() && Array.isArray($unknown) && Object.keys(value).length === 1) {
            const [k, v] = $unknown;
            const node = XmlNode.of(k);
            if (typeof v !== "string") {
                if (value instanceof XmlNode || value instanceof XmlText) {
                    structXmlNode.addChildNode(value);
                }
                else {
                    throw new Error(`@aws-sdk - $unknown union member in XML requires ` +
                        `value of type string, @aws-sdk/xml-builder::XmlNode or XmlText.`);
                }
            }
            this.writeSimpleInto(0, v, node, xmlns);
            structXmlNode.addChildNode(node);
        }
        if (xmlns) {
            structXmlNode.addAttribute(xmlnsAttr, xmlns);
        }
        return structXmlNode;
    }
    writeList(listMember, array, container, parentXmlns) {
        if (!listMember.isMemberSchema()) {
            throw new Error(`@aws-sdk/core/protocols - xml serializer, cannot write non-member list: ${listMember.getName(true)}`);
        }
        const listTraits = listMember.getMergedTraits();
        const listValueSchema = listMember.getValueSchema();
        const listValueTraits = listValueSchema.getMergedTraits();
        const sparse = !!listValueTraits.sparse;
        const flat = !!listTraits.xmlFlattened;
        const [xmlnsAttr, xmlns] = this.getXmlnsAttribute(listMember, parentXmlns);
        const writeItem = (container, value) => {
            if (listValueSchema.isListSchema()) {
                this.writeList(listValueSchema, Array.isArray(value) ? value : [value], container, xmlns);
            }
            else if (listValueSchema.isMapSchema()) {
                this.writeMap(listValueSchema, value, container, xmlns);
            }
            else if (listValueSchema.isStructSchema()) {
                const struct = this.writeStruct(listValueSchema, value, xmlns);
                container.addChildNode(struct.withName(flat ? (listTraits.xmlName ?? listMember.getMemberName()) : (listValueTraits.xmlName ?? "member")));
            }
            else {
                const listItemNode = XmlNode.of(flat ? (listTraits.xmlName ?? listMember.getMemberName()) : (listValueTraits.xmlName ?? "member"));
                this.writeSimpleInto(listValueSchema, value, listItemNode, xmlns);
                container.addChildNode(listItemNode);
            }
        };
        if (flat) {
            for (const value of array) {
                if (sparse || value != null) {
                    writeItem(container, value);
                }
            }
        }
        else {
            const listNode = XmlNode.of(listTraits.xmlName ?? listMember.getMemberName());
            if (xmlns) {
                listNode.addAttribute(xmlnsAttr, xmlns);
            }
            for (const value of array) {
                if (sparse || value != null) {
                    writeItem(listNode, value);
                }
            }
            container.addChildNode(listNode);
        }
    }
    writeMap(mapMember, map, container, parentXmlns, containerIsMap = false) {
        if (!mapMember.isMemberSchema()) {
            throw new Error(`@aws-sdk/core/protocols - xml serializer, cannot write non-member map: ${mapMember.getName(true)}`);
        }
        const mapTraits = mapMember.getMergedTraits();
        const mapKeySchema = mapMember.getKeySchema();
        const mapKeyTraits = mapKeySchema.getMergedTraits();
        const keyTag = mapKeyTraits.xmlName ?? "key";
        const mapValueSchema = mapMember.getValueSchema();
        const mapValueTraits = mapValueSchema.getMergedTraits();
        const valueTag = mapValueTraits.xmlName ?? "value";
        const sparse = !!mapValueTraits.sparse;
        const flat = !!mapTraits.xmlFlattened;
        const [xmlnsAttr, xmlns] = this.getXmlnsAttribute(mapMember, parentXmlns);
        const addKeyValue = (entry, key, val) => {
            const keyNode = XmlNode.of(keyTag, key);
            const [keyXmlnsAttr, keyXmlns] = this.getXmlnsAttribute(mapKeySchema, xmlns);
            if (keyXmlns) {
                keyNode.addAttribute(keyXmlnsAttr, keyXmlns);
            }
            entry.addChildNode(keyNode);
            let valueNode = XmlNode.of(valueTag);
            if (mapValueSchema.isListSchema()) {
                this.writeList(mapValueSchema, val, valueNode, xmlns);
            }
            else if (mapValueSchema.isMapSchema()) {
                this.writeMap(mapValueSchema, val, valueNode, xmlns, true);
            }
            else if (mapValueSchema.isStructSchema()) {
                valueNode = this.writeStruct(mapValueSchema, val, xmlns);
            }
            else {
                this.writeSimpleInto(mapValueSchema, val, valueNode, xmlns);
            }
            entry.addChildNode(valueNode);
        };
        if (flat) {
            for (const key in map) {
                const val = map[key];
                if (sparse || val != null) {
                    const entry = XmlNode.of(mapTraits.xmlName ?? mapMember.getMemberName());
                    addKeyValue(entry, key, val);
                    container.addChildNode(entry);
                }
            }
        }
        else {
            let mapNode;
            if (!containerIsMap) {
                mapNode = XmlNode.of(mapTraits.xmlName ?? mapMember.getMemberName());
                if (xmlns) {
                    mapNode.addAttribute(xmlnsAttr, xmlns);
                }
                container.addChildNode(mapNode);
            }
            for (const key in map) {
                const val = map[key];
                if (sparse || val != null) {
                    const entry = XmlNode.of("entry");
                    addKeyValue(entry, key, val);
                    (containerIsMap ? container : mapNode).addChildNode(entry);
                }
            }
        }
    }
    writeSimple(_schema, value) {
        if (null === value) {
            throw new Error("@aws-sdk/core/protocols - (XML serializer) cannot write null value.");
        }
        const ns = NormalizedSchema.of(_schema);
        let nodeContents = null;
        if (value && typeof value === "object") {
            if (ns.isBlobSchema()) {
                nodeContents = (this.serdeContext?.base64Encoder ?? toBase64)(value);
            }
            else if (ns.isTimestampSchema() && value instanceof Date) {
                const format = determineTimestampFormat(ns, this.settings);
                switch (format) {
                    case 5:
                        nodeContents = value.toISOString().replace(".000Z", "Z");
                        break;
                    case 6:
                        nodeContents = dateToUtcString(value);
                        break;
                    case 7:
                        nodeContents = String(value.getTime() / 1000);
                        break;
                    default:
                        console.warn("Missing timestamp format, using http date", value);
                        nodeContents = dateToUtcString(value);
                        break;
                }
            }
            else if (ns.isBigDecimalSchema() && value) {
                if (value instanceof NumericValue) {
                    return value.string;
                }
                return String(value);
            }
            else if (ns.isMapSchema() || ns.isListSchema()) {
                throw new Error("@aws-sdk/core/protocols - xml serializer, cannot call _write() on List/Map schema, call writeList or writeMap() instead.");
            }
            else {
                throw new Error(`@aws-sdk/core/protocols - xml serializer, unhandled schema type for object value and schema: ${ns.getName(true)}`);
            }
        }
        if (ns.isBooleanSchema() || ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
            nodeContents = String(value);
        }
        if (ns.isStringSchema()) {
            if (value === undefined && ns.isIdempotencyToken()) {
                nodeContents = generateIdempotencyToken();
            }
            else {
                nodeContents = String(value);
            }
        }
        if (nodeContents === null) {
            throw new Error(`Unhandled schema-value pair ${ns.getName(true)}=${value}`);
        }
        return nodeContents;
    }
    writeSimpleInto(_schema, value, into, parentXmlns) {
        const nodeContents = this.writeSimple(_schema, value);
        const ns = NormalizedSchema.of(_schema);
        const content = new XmlText(nodeContents);
        const [xmlnsAttr, xmlns] = this.getXmlnsAttribute(ns, parentXmlns);
        if (xmlns) {
            into.addAttribute(xmlnsAttr, xmlns);
        }
        into.addChildNode(content);
    }
    getXmlnsAttribute(ns, parentXmlns) {
        const traits = ns.getMergedTraits();
        const [prefix, xmlns] = traits.xmlNamespace ?? [];
        if (xmlns && xmlns !== parentXmlns) {
            return [prefix ? `xmlns:${prefix}` : "xmlns", xmlns];
        }
        return [void 0, void 0];
    }
}

class XmlCodec extends SerdeContextConfig {
    settings;
    constructor(settings) {
        super();
        this.settings = settings;
    }
    createSerializer() {
        const serializer = new XmlShapeSerializer(this.settings);
        serializer.setSerdeContext(this.serdeContext);
        return serializer;
    }
    createDeserializer() {
        const deserializer = new XmlShapeDeserializer(this.settings);
        deserializer.setSerdeContext(this.serdeContext);
        return deserializer;
    }
}

class AwsRestXmlProtocol extends HttpBindingProtocol {
    codec;
    serializer;
    deserializer;
    mixin = new ProtocolLib();
    constructor(options) {
        super(options);
        const settings = {
            timestampFormat: {
                useTrait: true,
                default: 5,
            },
            httpBindings: true,
            xmlNamespace: options.xmlNamespace,
            serviceNamespace: options.defaultNamespace,
        };
        this.codec = new XmlCodec(settings);
        this.serializer = new HttpInterceptingShapeSerializer(this.codec.createSerializer(), settings);
        this.deserializer = new HttpInterceptingShapeDeserializer(this.codec.createDeserializer(), settings);
    }
    getPayloadCodec() {
        return this.codec;
    }
    getShapeId() {
        return "aws.protocols#restXml";
    }
    async serializeRequest(operationSchema, input, context) {
        const request = await super.serializeRequest(operationSchema, input, context);
        const inputSchema = NormalizedSchema.of(operationSchema.input);
        if (!request.headers["content-type"]) {
            const contentType = this.mixin.resolveRestContentType(this.getDefaultContentType(), inputSchema);
            if (contentType) {
                request.headers["content-type"] = contentType;
            }
        }
        if (typeof request.body === "string" &&
            request.headers["content-type"] === this.getDefaultContentType() &&
            !request.body.startsWith("<?xml ") &&
            !this.hasUnstructuredPayloadBinding(inputSchema)) {
            request.body = '<?xml version="1.0" encoding="UTF-8"?>' + request.body;
        }
        return request;
    }
    async deserializeResponse(operationSchema, context, response) {
        return super.deserializeResponse(operationSchema, context, response);
    }
    async handleError(operationSchema, context, response, dataObject, metadata) {
        const errorIdentifier = loadRestXmlErrorCode(response, dataObject) ?? "Unknown";
        this.mixin.compose(this.compositeErrorRegistry, errorIdentifier, this.options.defaultNamespace);
        if (dataObject.Error && typeof dataObject.Error === "object") {
            for (const key of Object.keys(dataObject.Error)) {
                dataObject[key] = dataObject.Error[key];
                if (key.toLowerCase() === "message") {
                    dataObject.message = dataObject.Error[key];
                }
            }
        }
        if (dataObject.RequestId && !metadata.requestId) {
            metadata.requestId = dataObject.RequestId;
        }
        const { errorSchema, errorMetadata } = await this.mixin.getErrorSchemaOrThrowBaseException(errorIdentifier, this.options.defaultNamespace, response, dataObject, metadata);
        const ns = NormalizedSchema.of(errorSchema);
        const message = dataObject.Error?.message ??
            dataObject.Error?.Message ??
            dataObject.message ??
            dataObject.Message ??
            "UnknownError";
        const ErrorCtor = this.compositeErrorRegistry.getErrorCtor(errorSchema) ?? Error;
        const exception = new ErrorCtor({});
        await this.deserializeHttpMessage(errorSchema, context, response, dataObject);
        const output = {};
        const errorDeserializer = this.codec.createDeserializer();
        for (const [name, member] of ns.structIterator()) {
            const target = member.getMergedTraits().xmlName ?? name;
            const value = dataObject.Error?.[target] ?? dataObject[target];
            output[name] = errorDeserializer.readSchema(member, value);
        }
        throw this.mixin.decorateServiceException(Object.assign(exception, errorMetadata, {
            $fault: ns.getMergedTraits().error,
            message,
        }, output), dataObject);
    }
    getDefaultContentType() {
        return "application/xml";
    }
    hasUnstructuredPayloadBinding(ns) {
        for (const [, member] of ns.structIterator()) {
            if (member.getMergedTraits().httpPayload) {
                return !(member.isStructSchema() || member.isMapSchema() || member.isListSchema());
            }
        }
        return false;
    }
}

const awsExpectUnion = (value) => {
    if (value == null) {
        return undefined;
    }
    if (typeof value === "object" && "__type" in value) {
        delete value.__type;
    }
    return expectUnion(value);
};

const _toStr = (val) => {
    if (val == null) {
        return val;
    }
    if (typeof val === "number" || typeof val === "bigint") {
        const warning = new Error(`Received number ${val} where a string was expected.`);
        warning.name = "Warning";
        console.warn(warning);
        return String(val);
    }
    if (typeof val === "boolean") {
        const warning = new Error(`Received boolean ${val} where a string was expected.`);
        warning.name = "Warning";
        console.warn(warning);
        return String(val);
    }
    return val;
};
const _toBool = (val) => {
    if (val == null) {
        return val;
    }
    if (typeof val === "string") {
        const lowercase = val.toLowerCase();
        if (val !== "" && lowercase !== "false" && lowercase !== "true") {
            const warning = new Error(`Received string "${val}" where a boolean was expected.`);
            warning.name = "Warning";
            console.warn(warning);
        }
        return val !== "" && lowercase !== "false";
    }
    return val;
};
const _toNum = (val) => {
    if (val == null) {
        return val;
    }
    if (typeof val === "string") {
        const num = Number(val);
        if (num.toString() !== val) {
            const warning = new Error(`Received string "${val}" where a number was expected.`);
            warning.name = "Warning";
            console.warn(warning);
            return val;
        }
        return num;
    }
    return val;
};

exports.AwsEc2QueryProtocol = AwsEc2QueryProtocol;
exports.AwsJson1_0Protocol = AwsJson1_0Protocol;
exports.AwsJson1_1Protocol = AwsJson1_1Protocol;
exports.AwsJsonRpcProtocol = AwsJsonRpcProtocol;
exports.AwsQueryProtocol = AwsQueryProtocol;
exports.AwsRestJsonProtocol = AwsRestJsonProtocol;
exports.AwsRestXmlProtocol = AwsRestXmlProtocol;
exports.AwsSmithyRpcV2CborProtocol = AwsSmithyRpcV2CborProtocol;
exports.AwsSmithyRpcV2JsonProtocol = AwsSmithyRpcV2JsonProtocol;
exports.QueryShapeSerializer = QueryShapeSerializer;
exports.XmlCodec = XmlCodec;
exports.XmlShapeDeserializer = XmlShapeDeserializer;
exports.XmlShapeSerializer = XmlShapeSerializer;
exports._toBool = _toBool;
exports._toNum = _toNum;
exports._toStr = _toStr;
exports.awsExpectUnion = awsExpectUnion;
exports.loadRestXmlErrorCode = loadRestXmlErrorCode;
exports.parseXmlBody = parseXmlBody;
exports.parseXmlErrorBody = parseXmlErrorBody;


/***/ }),

/***/ 519:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { buildQueryString } = __webpack_require__(93422);

const validate = (str) => typeof str === "string" && str.indexOf("arn:") === 0 && str.split(":").length >= 6;
const parse = (arn) => {
    const segments = arn.split(":");
    if (segments.length < 6 || segments[0] !== "arn") {
        throw new Error("Malformed ARN");
    }
    const [, partition, service, region, accountId, ...resource] = segments;
    return {
        partition,
        service,
        region,
        accountId,
        resource: resource.join(":"),
    };
};
const build = (arnObject) => {
    const { partition = "aws", service, region, accountId, resource } = arnObject;
    if ([service, region, accountId, resource].some((segment) => typeof segment !== "string")) {
        throw new Error("Input ARN object is invalid");
    }
    return `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
};

function formatUrl(request) {
    const { port, query } = request;
    let { protocol, path, hostname } = request;
    if (protocol && protocol.slice(-1) !== ":") {
        protocol += ":";
    }
    if (port) {
        hostname += `:${port}`;
    }
    if (path && path.charAt(0) !== "/") {
        path = `/${path}`;
    }
    let queryString = query ? buildQueryString(query) : "";
    if (queryString && queryString[0] !== "?") {
        queryString = `?${queryString}`;
    }
    let auth = "";
    if (request.username != null || request.password != null) {
        const username = request.username ?? "";
        const password = request.password ?? "";
        auth = `${username}:${password}@`;
    }
    let fragment = "";
    if (request.fragment) {
        fragment = `#${request.fragment}`;
    }
    return `${protocol}//${auth}${hostname}${path}${queryString}${fragment}`;
}

function hasOwn(container, key) {
    return Object.prototype.hasOwnProperty.call(container, key);
}

exports.build = build;
exports.formatUrl = formatUrl;
exports.hasOwn = hasOwn;
exports.parse = parse;
exports.validate = validate;


/***/ }),

/***/ 55606:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { setCredentialFeature } = __webpack_require__(5152);
const { CredentialsProviderError } = __webpack_require__(47291);

const ENV_KEY = "AWS_ACCESS_KEY_ID";
const ENV_SECRET = "AWS_SECRET_ACCESS_KEY";
const ENV_SESSION = "AWS_SESSION_TOKEN";
const ENV_EXPIRATION = "AWS_CREDENTIAL_EXPIRATION";
const ENV_CREDENTIAL_SCOPE = "AWS_CREDENTIAL_SCOPE";
const ENV_ACCOUNT_ID = "AWS_ACCOUNT_ID";
const fromEnv = (init) => async () => {
    init?.logger?.debug("@aws-sdk/credential-provider-env - fromEnv");
    const accessKeyId = process.env[ENV_KEY];
    const secretAccessKey = process.env[ENV_SECRET];
    const sessionToken = process.env[ENV_SESSION];
    const expiry = process.env[ENV_EXPIRATION];
    const credentialScope = process.env[ENV_CREDENTIAL_SCOPE];
    const accountId = process.env[ENV_ACCOUNT_ID];
    if (accessKeyId && secretAccessKey) {
        const credentials = {
            accessKeyId,
            secretAccessKey,
            ...(sessionToken && { sessionToken }),
            ...(expiry && { expiration: new Date(expiry) }),
            ...(credentialScope && { credentialScope }),
            ...(accountId && { accountId }),
        };
        setCredentialFeature(credentials, "CREDENTIALS_ENV_VARS", "g");
        return credentials;
    }
    throw new CredentialsProviderError("Unable to find environment variable credentials.", { logger: init?.logger });
};

exports.ENV_ACCOUNT_ID = ENV_ACCOUNT_ID;
exports.ENV_CREDENTIAL_SCOPE = ENV_CREDENTIAL_SCOPE;
exports.ENV_EXPIRATION = ENV_EXPIRATION;
exports.ENV_KEY = ENV_KEY;
exports.ENV_SECRET = ENV_SECRET;
exports.ENV_SESSION = ENV_SESSION;
exports.fromEnv = fromEnv;


/***/ }),

/***/ 98605:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { setCredentialFeature } = __webpack_require__(5152);
const { CredentialsProviderError } = __webpack_require__(47291);
const { NodeHttpHandler } = __webpack_require__(61279);
const fs = __webpack_require__(51455);
const { HttpRequest } = __webpack_require__(93422);
const { sdkStreamMixin, parseRfc3339DateTime } = __webpack_require__(92430);

const ECS_CONTAINER_HOST = "169.254.170.2";
const EKS_CONTAINER_HOST_IPv4 = "169.254.170.23";
const EKS_CONTAINER_HOST_IPv6 = "[fd00:ec2::23]";
const checkUrl = (url, logger) => {
    if (url.protocol === "https:") {
        return;
    }
    if (url.hostname === ECS_CONTAINER_HOST ||
        url.hostname === EKS_CONTAINER_HOST_IPv4 ||
        url.hostname === EKS_CONTAINER_HOST_IPv6) {
        return;
    }
    if (url.hostname.includes("[")) {
        if (url.hostname === "[::1]" || url.hostname === "[0000:0000:0000:0000:0000:0000:0000:0001]") {
            return;
        }
    }
    else {
        if (url.hostname === "localhost") {
            return;
        }
        const ipComponents = url.hostname.split(".");
        const inRange = (component) => {
            const num = parseInt(component, 10);
            return 0 <= num && num <= 255;
        };
        if (ipComponents[0] === "127" &&
            inRange(ipComponents[1]) &&
            inRange(ipComponents[2]) &&
            inRange(ipComponents[3]) &&
            ipComponents.length === 4) {
            return;
        }
    }
    throw new CredentialsProviderError(`URL not accepted. It must either be HTTPS or match one of the following:
  - loopback CIDR 127.0.0.0/8 or [::1/128]
  - ECS container host 169.254.170.2
  - EKS container host 169.254.170.23 or [fd00:ec2::23]`, { logger });
};

function createGetRequest(url) {
    return new HttpRequest({
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: Array.from(url.searchParams.entries()).reduce((acc, [k, v]) => {
            acc[k] = v;
            return acc;
        }, {}),
        fragment: url.hash,
    });
}
async function getCredentials(response, logger) {
    const stream = sdkStreamMixin(response.body);
    const str = await stream.transformToString();
    if (response.statusCode === 200) {
        const parsed = JSON.parse(str);
        if (typeof parsed.AccessKeyId !== "string" ||
            typeof parsed.SecretAccessKey !== "string" ||
            typeof parsed.Token !== "string" ||
            typeof parsed.Expiration !== "string") {
            throw new CredentialsProviderError("HTTP credential provider response not of the required format, an object matching: " +
                "{ AccessKeyId: string, SecretAccessKey: string, Token: string, Expiration: string(rfc3339) }", { logger });
        }
        return {
            accessKeyId: parsed.AccessKeyId,
            secretAccessKey: parsed.SecretAccessKey,
            sessionToken: parsed.Token,
            expiration: parseRfc3339DateTime(parsed.Expiration),
        };
    }
    if (response.statusCode >= 400 && response.statusCode < 500) {
        let parsedBody = {};
        try {
            parsedBody = JSON.parse(str);
        }
        catch (e) { }
        throw Object.assign(new CredentialsProviderError(`Server responded with status: ${response.statusCode}`, { logger }), {
            Code: parsedBody.Code,
            Message: parsedBody.Message,
        });
    }
    throw new CredentialsProviderError(`Server responded with status: ${response.statusCode}`, { logger });
}

const retryWrapper = (toRetry, maxRetries, delayMs) => {
    return async () => {
        for (let i = 0; i < maxRetries; ++i) {
            try {
                return await toRetry();
            }
            catch (e) {
                await new Promise((resolve) => setTimeout(resolve, delayMs));
            }
        }
        return await toRetry();
    };
};

const AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const DEFAULT_LINK_LOCAL_HOST = "http://169.254.170.2";
const AWS_CONTAINER_CREDENTIALS_FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
const AWS_CONTAINER_AUTHORIZATION_TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const fromHttp = (options = {}) => {
    options.logger?.debug("@aws-sdk/credential-provider-http - fromHttp");
    let host;
    const relative = options.awsContainerCredentialsRelativeUri ?? process.env[AWS_CONTAINER_CREDENTIALS_RELATIVE_URI];
    const full = options.awsContainerCredentialsFullUri ?? process.env[AWS_CONTAINER_CREDENTIALS_FULL_URI];
    const token = options.awsContainerAuthorizationToken ?? process.env[AWS_CONTAINER_AUTHORIZATION_TOKEN];
    const tokenFile = options.awsContainerAuthorizationTokenFile ?? process.env[AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE];
    const warn = options.logger?.constructor?.name === "NoOpLogger" || !options.logger?.warn
        ? console.warn
        : options.logger.warn.bind(options.logger);
    if (relative && full) {
        warn("@aws-sdk/credential-provider-http: " +
            "you have set both awsContainerCredentialsRelativeUri and awsContainerCredentialsFullUri.");
        warn("awsContainerCredentialsRelativeUri will take precedence.");
    }
    if (token && tokenFile) {
        warn("@aws-sdk/credential-provider-http: " +
            "you have set both awsContainerAuthorizationToken and awsContainerAuthorizationTokenFile.");
        warn("awsContainerAuthorizationTokenFile will take precedence.");
    }
    if (relative) {
        host = `${DEFAULT_LINK_LOCAL_HOST}${relative}`;
    }
    else if (full) {
        host = full;
    }
    else {
        throw new CredentialsProviderError(`No HTTP credential provider host provided.
Set AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.`, { logger: options.logger });
    }
    const url = new URL(host);
    checkUrl(url, options.logger);
    const requestHandler = NodeHttpHandler.create({ connectionTimeout: options.timeout ?? 1000 });
    const requestTimeout = options.timeout ?? 1000;
    const provider = retryWrapper(async () => {
        const request = createGetRequest(url);
        if (tokenFile) {
            request.headers.Authorization = validateToken((await fs.readFile(tokenFile)).toString());
        }
        else if (token) {
            request.headers.Authorization = validateToken(token);
        }
        try {
            const result = await requestHandler.handle(request, { requestTimeout });
            return getCredentials(result.response).then((creds) => setCredentialFeature(creds, "CREDENTIALS_HTTP", "z"));
        }
        catch (e) {
            throw new CredentialsProviderError(String(e), { logger: options.logger });
        }
    }, options.maxRetries ?? 3, options.timeout ?? 1000);
    return async () => {
        try {
            return await provider();
        }
        finally {
            requestHandler.destroy?.();
        }
    };
};
const validateToken = (token) => {
    if (token.includes("\r\n")) {
        throw new CredentialsProviderError("Authorization token contains invalid \\r\\n sequence.");
    }
    return token;
};

exports.fromHttp = fromHttp;


/***/ }),

/***/ 75869:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { CredentialsProviderError, chain, getProfileName, parseKnownFiles } = __webpack_require__(47291);
const { setCredentialFeature } = __webpack_require__(5152);

const resolveCredentialSource = (credentialSource, profileName, logger) => {
    const sourceProvidersMap = {
        EcsContainer: async (options) => {
            const { fromHttp } = __webpack_require__(98605);
            const { fromContainerMetadata } = __webpack_require__(40566);
            logger?.debug("@aws-sdk/credential-provider-ini - credential_source is EcsContainer");
            return async () => chain(fromHttp(options ?? {}), fromContainerMetadata(options))().then(setNamedProvider);
        },
        Ec2InstanceMetadata: async (options) => {
            logger?.debug("@aws-sdk/credential-provider-ini - credential_source is Ec2InstanceMetadata");
            const { fromInstanceMetadata } = __webpack_require__(40566);
            return async () => fromInstanceMetadata(options)().then(setNamedProvider);
        },
        Environment: async (options) => {
            logger?.debug("@aws-sdk/credential-provider-ini - credential_source is Environment");
            const { fromEnv } = __webpack_require__(55606);
            return async () => fromEnv(options)().then(setNamedProvider);
        },
    };
    if (credentialSource in sourceProvidersMap) {
        return sourceProvidersMap[credentialSource];
    }
    else {
        throw new CredentialsProviderError(`Unsupported credential source in profile ${profileName}. Got ${credentialSource}, ` +
            `expected EcsContainer or Ec2InstanceMetadata or Environment.`, { logger });
    }
};
const setNamedProvider = (creds) => setCredentialFeature(creds, "CREDENTIALS_PROFILE_NAMED_PROVIDER", "p");

const isAssumeRoleProfile = (arg, { profile = "default", logger } = {}) => {
    return (Boolean(arg) &&
        typeof arg === "object" &&
        typeof arg.role_arn === "string" &&
        ["undefined", "string"].indexOf(typeof arg.role_session_name) > -1 &&
        ["undefined", "string"].indexOf(typeof arg.external_id) > -1 &&
        ["undefined", "string"].indexOf(typeof arg.mfa_serial) > -1 &&
        (isAssumeRoleWithSourceProfile(arg, { profile, logger }) || isCredentialSourceProfile(arg, { profile, logger })));
};
const isAssumeRoleWithSourceProfile = (arg, { profile, logger }) => {
    const withSourceProfile = typeof arg.source_profile === "string" && typeof arg.credential_source === "undefined";
    if (withSourceProfile) {
        logger?.debug?.(`    ${profile} isAssumeRoleWithSourceProfile source_profile=${arg.source_profile}`);
    }
    return withSourceProfile;
};
const isCredentialSourceProfile = (arg, { profile, logger }) => {
    const withProviderProfile = typeof arg.credential_source === "string" && typeof arg.source_profile === "undefined";
    if (withProviderProfile) {
        logger?.debug?.(`    ${profile} isCredentialSourceProfile credential_source=${arg.credential_source}`);
    }
    return withProviderProfile;
};
const resolveAssumeRoleCredentials = async (profileName, profiles, options, callerClientConfig, visitedProfiles = {}, resolveProfileData) => {
    options.logger?.debug("@aws-sdk/credential-provider-ini - resolveAssumeRoleCredentials (STS)");
    const profileData = profiles[profileName];
    const { source_profile, region } = profileData;
    if (!options.roleAssumer) {
        const { getDefaultRoleAssumer } = __webpack_require__(1136);
        options.roleAssumer = getDefaultRoleAssumer({
            ...options.clientConfig,
            credentialProviderLogger: options.logger,
            parentClientConfig: {
                ...callerClientConfig,
                ...options?.parentClientConfig,
                region: region ?? options?.parentClientConfig?.region ?? callerClientConfig?.region,
            },
        }, options.clientPlugins);
    }
    if (source_profile && source_profile in visitedProfiles) {
        throw new CredentialsProviderError(`Detected a cycle attempting to resolve credentials for profile` +
            ` ${getProfileName(options)}. Profiles visited: ` +
            Object.keys(visitedProfiles).join(", "), { logger: options.logger });
    }
    options.logger?.debug(`@aws-sdk/credential-provider-ini - finding credential resolver using ${source_profile ? `source_profile=[${source_profile}]` : `profile=[${profileName}]`}`);
    const sourceCredsProvider = source_profile
        ? resolveProfileData(source_profile, profiles, options, callerClientConfig, {
            ...visitedProfiles,
            [source_profile]: true,
        }, isCredentialSourceWithoutRoleArn(profiles[source_profile] ?? {}))
        : (await resolveCredentialSource(profileData.credential_source, profileName, options.logger)(options))();
    if (isCredentialSourceWithoutRoleArn(profileData)) {
        return sourceCredsProvider.then((creds) => setCredentialFeature(creds, "CREDENTIALS_PROFILE_SOURCE_PROFILE", "o"));
    }
    else {
        const params = {
            RoleArn: profileData.role_arn,
            RoleSessionName: profileData.role_session_name || `aws-sdk-js-${Date.now()}`,
            ExternalId: profileData.external_id,
            DurationSeconds: parseInt(profileData.duration_seconds || "3600", 10),
        };
        const { mfa_serial } = profileData;
        if (mfa_serial) {
            if (!options.mfaCodeProvider) {
                throw new CredentialsProviderError(`Profile ${profileName} requires multi-factor authentication, but no MFA code callback was provided.`, { logger: options.logger, tryNextLink: false });
            }
            params.SerialNumber = mfa_serial;
            params.TokenCode = await options.mfaCodeProvider(mfa_serial);
        }
        const sourceCreds = await sourceCredsProvider;
        return options.roleAssumer(sourceCreds, params).then((creds) => setCredentialFeature(creds, "CREDENTIALS_PROFILE_SOURCE_PROFILE", "o"));
    }
};
const isCredentialSourceWithoutRoleArn = (section) => {
    return !section.role_arn && !!section.credential_source;
};

const isLoginProfile = (data) => {
    return Boolean(data && data.login_session);
};
const resolveLoginCredentials = async (profileName, options, callerClientConfig) => {
    const { fromLoginCredentials } = __webpack_require__(84072);
    const credentials = await fromLoginCredentials({
        ...options,
        profile: profileName,
    })({ callerClientConfig });
    return setCredentialFeature(credentials, "CREDENTIALS_PROFILE_LOGIN", "AC");
};

const isProcessProfile = (arg) => Boolean(arg) && typeof arg === "object" && typeof arg.credential_process === "string";
const resolveProcessCredentials = async (options, profile) => {
    const { fromProcess } = __webpack_require__(75360);
    const credentials = await fromProcess({
        ...options,
        profile,
    })();
    return setCredentialFeature(credentials, "CREDENTIALS_PROFILE_PROCESS", "v");
};

const resolveSsoCredentials = async (profile, profileData, options = {}, callerClientConfig) => {
    const { fromSSO } = __webpack_require__(60998);
    return fromSSO({
        profile,
        logger: options.logger,
        parentClientConfig: options.parentClientConfig,
        clientConfig: options.clientConfig,
    })({
        callerClientConfig,
    }).then((creds) => {
        if (profileData.sso_session) {
            return setCredentialFeature(creds, "CREDENTIALS_PROFILE_SSO", "r");
        }
        else {
            return setCredentialFeature(creds, "CREDENTIALS_PROFILE_SSO_LEGACY", "t");
        }
    });
};
const isSsoProfile = (arg) => arg &&
    (typeof arg.sso_start_url === "string" ||
        typeof arg.sso_account_id === "string" ||
        typeof arg.sso_session === "string" ||
        typeof arg.sso_region === "string" ||
        typeof arg.sso_role_name === "string");

const isStaticCredsProfile = (arg) => Boolean(arg) &&
    typeof arg === "object" &&
    typeof arg.aws_access_key_id === "string" &&
    typeof arg.aws_secret_access_key === "string" &&
    ["undefined", "string"].indexOf(typeof arg.aws_session_token) > -1 &&
    ["undefined", "string"].indexOf(typeof arg.aws_account_id) > -1;
const resolveStaticCredentials = async (profile, options) => {
    options?.logger?.debug("@aws-sdk/credential-provider-ini - resolveStaticCredentials");
    const credentials = {
        accessKeyId: profile.aws_access_key_id,
        secretAccessKey: profile.aws_secret_access_key,
        sessionToken: profile.aws_session_token,
        ...(profile.aws_credential_scope && { credentialScope: profile.aws_credential_scope }),
        ...(profile.aws_account_id && { accountId: profile.aws_account_id }),
    };
    return setCredentialFeature(credentials, "CREDENTIALS_PROFILE", "n");
};

const isWebIdentityProfile = (arg) => Boolean(arg) &&
    typeof arg === "object" &&
    typeof arg.web_identity_token_file === "string" &&
    typeof arg.role_arn === "string" &&
    ["undefined", "string"].indexOf(typeof arg.role_session_name) > -1;
const resolveWebIdentityCredentials = async (profile, options, callerClientConfig) => {
    const { fromTokenFile } = __webpack_require__(29956);
    const credentials = await fromTokenFile({
        webIdentityTokenFile: profile.web_identity_token_file,
        roleArn: profile.role_arn,
        roleSessionName: profile.role_session_name,
        roleAssumerWithWebIdentity: options.roleAssumerWithWebIdentity,
        logger: options.logger,
        parentClientConfig: options.parentClientConfig,
    })({
        callerClientConfig,
    });
    return setCredentialFeature(credentials, "CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN", "q");
};

const resolveProfileData = async (profileName, profiles, options, callerClientConfig, visitedProfiles = {}, isAssumeRoleRecursiveCall = false) => {
    const data = profiles[profileName];
    if (Object.keys(visitedProfiles).length > 0 && isStaticCredsProfile(data)) {
        return resolveStaticCredentials(data, options);
    }
    if (isAssumeRoleRecursiveCall || isAssumeRoleProfile(data, { profile: profileName, logger: options.logger })) {
        return resolveAssumeRoleCredentials(profileName, profiles, options, callerClientConfig, visitedProfiles, resolveProfileData);
    }
    if (isStaticCredsProfile(data)) {
        return resolveStaticCredentials(data, options);
    }
    if (isWebIdentityProfile(data)) {
        return resolveWebIdentityCredentials(data, options, callerClientConfig);
    }
    if (isProcessProfile(data)) {
        return resolveProcessCredentials(options, profileName);
    }
    if (isSsoProfile(data)) {
        return await resolveSsoCredentials(profileName, data, options, callerClientConfig);
    }
    if (isLoginProfile(data)) {
        return resolveLoginCredentials(profileName, options, callerClientConfig);
    }
    throw new CredentialsProviderError(`Could not resolve credentials using profile: [${profileName}] in configuration/credentials file(s).`, { logger: options.logger });
};

const fromIni = (init = {}) => async ({ callerClientConfig } = {}) => {
    init.logger?.debug("@aws-sdk/credential-provider-ini - fromIni");
    const profiles = await parseKnownFiles(init);
    return resolveProfileData(getProfileName({
        profile: init.profile ?? callerClientConfig?.profile,
    }), profiles, init, callerClientConfig);
};

exports.fromIni = fromIni;


/***/ }),

/***/ 84072:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { setCredentialFeature } = __webpack_require__(5152);
const { CredentialsProviderError, parseKnownFiles, getProfileName } = __webpack_require__(47291);
const { HttpRequest } = __webpack_require__(93422);
const { createHash, createPrivateKey, createPublicKey, sign } = __webpack_require__(77598);
const { promises } = __webpack_require__(73024);
const { homedir } = __webpack_require__(48161);
const { dirname, join } = __webpack_require__(76760);

class LoginCredentialsFetcher {
    profileData;
    init;
    callerClientConfig;
    static REFRESH_THRESHOLD = 5 * 60 * 1000;
    constructor(profileData, init, callerClientConfig) {
        this.profileData = profileData;
        this.init = init;
        this.callerClientConfig = callerClientConfig;
    }
    async loadCredentials() {
        const token = await this.loadToken();
        if (!token) {
            throw new CredentialsProviderError(`Failed to load a token for session ${this.loginSession}, please re-authenticate using aws login`, { tryNextLink: false, logger: this.logger });
        }
        const accessToken = token.accessToken;
        const now = Date.now();
        const expiryTime = new Date(accessToken.expiresAt).getTime();
        const timeUntilExpiry = expiryTime - now;
        if (timeUntilExpiry <= LoginCredentialsFetcher.REFRESH_THRESHOLD) {
            return this.refresh(token);
        }
        return this.toCredentials(token.accessToken);
    }
    get logger() {
        return this.init?.logger;
    }
    get loginSession() {
        return this.profileData.login_session;
    }
    toCredentials(token) {
        return {
            accessKeyId: token.accessKeyId,
            secretAccessKey: token.secretAccessKey,
            sessionToken: token.sessionToken,
            accountId: token.accountId,
            expiration: new Date(token.expiresAt),
        };
    }
    async refresh(token) {
        const diskToken = await this.loadToken().catch(() => token);
        const now = Date.now();
        const diskExpiry = new Date(diskToken.accessToken.expiresAt).getTime();
        const tokenExpiry = new Date(token.accessToken.expiresAt).getTime();
        const freshToken = diskExpiry <= now && tokenExpiry > now ? token : diskToken;
        const freshExpiry = new Date(freshToken.accessToken.expiresAt).getTime();
        if (freshExpiry - Date.now() > LoginCredentialsFetcher.REFRESH_THRESHOLD) {
            return this.toCredentials(freshToken.accessToken);
        }
        const { SigninClient, CreateOAuth2TokenCommand } = __webpack_require__(99762);
        const { logger, userAgentAppId } = this.callerClientConfig ?? {};
        const isH2 = (requestHandler) => {
            return requestHandler?.metadata?.handlerProtocol === "h2";
        };
        const requestHandler = isH2(this.callerClientConfig?.requestHandler)
            ? undefined
            : this.callerClientConfig?.requestHandler;
        const signInRegion = typeof freshToken.signInRegion === "string" && freshToken.signInRegion.length > 0
            ? freshToken.signInRegion
            : undefined;
        const region = signInRegion ?? this.profileData.region ?? (await this.callerClientConfig?.region?.()) ?? process.env.AWS_REGION;
        const client = new SigninClient({
            credentials: {
                accessKeyId: "",
                secretAccessKey: "",
            },
            region,
            requestHandler,
            logger,
            userAgentAppId,
            ...this.init?.clientConfig,
            ...(signInRegion && { region: signInRegion }),
        });
        this.createDPoPInterceptor(client.middlewareStack);
        const commandInput = {
            tokenInput: {
                clientId: freshToken.clientId,
                refreshToken: freshToken.refreshToken,
                grantType: "refresh_token",
            },
        };
        try {
            const response = await client.send(new CreateOAuth2TokenCommand(commandInput));
            const { accessKeyId, secretAccessKey, sessionToken } = response.tokenOutput?.accessToken ?? {};
            const { refreshToken, expiresIn } = response.tokenOutput ?? {};
            if (!accessKeyId || !secretAccessKey || !sessionToken || !refreshToken) {
                throw new CredentialsProviderError("Token refresh response missing required fields", {
                    logger: this.logger,
                    tryNextLink: false,
                });
            }
            const expiresInMs = (expiresIn ?? 900) * 1000;
            const expiration = new Date(Date.now() + expiresInMs);
            const updatedToken = {
                ...freshToken,
                accessToken: {
                    ...freshToken.accessToken,
                    accessKeyId,
                    secretAccessKey,
                    sessionToken,
                    expiresAt: expiration.toISOString(),
                },
                refreshToken,
            };
            await this.saveToken(updatedToken);
            return this.toCredentials(updatedToken.accessToken);
        }
        catch (error) {
            if (error.name === "AccessDeniedException") {
                const errorType = error.error;
                let message;
                switch (errorType) {
                    case "TOKEN_EXPIRED":
                        message = "Your session has expired. Please reauthenticate.";
                        break;
                    case "USER_CREDENTIALS_CHANGED":
                        message =
                            "Unable to refresh credentials because of a change in your password. Please reauthenticate with your new password.";
                        break;
                    case "INSUFFICIENT_PERMISSIONS":
                        message =
                            "Unable to refresh credentials due to insufficient permissions. You may be missing permission for the 'CreateOAuth2Token' action.";
                        break;
                    default:
                        message = `Failed to refresh token: ${String(error)}. Please re-authenticate using \`aws login\``;
                }
                throw new CredentialsProviderError(message, {
                    logger: this.logger,
                    tryNextLink: false,
                });
            }
            const tokenExpiry = new Date(freshToken.accessToken.expiresAt).getTime();
            if (tokenExpiry > Date.now()) {
                this.logger?.warn?.(`Failed to refresh token: ${String(error)}. Using existing token until expiry.`);
                return this.toCredentials(freshToken.accessToken);
            }
            throw new CredentialsProviderError(`Failed to refresh token: ${String(error)}. Please re-authenticate using aws login`, { logger: this.logger });
        }
    }
    async loadToken() {
        const tokenFilePath = this.getTokenFilePath();
        try {
            const tokenData = await promises.readFile(tokenFilePath, "utf8");
            const token = JSON.parse(tokenData);
            const missingFields = ["accessToken", "clientId", "refreshToken", "dpopKey"].filter((k) => !token[k]);
            if (!token.accessToken?.accountId) {
                missingFields.push("accountId");
            }
            if (missingFields.length > 0) {
                throw new CredentialsProviderError(`Token validation failed, missing fields: ${missingFields.join(", ")}`, {
                    logger: this.logger,
                    tryNextLink: false,
                });
            }
            return token;
        }
        catch (error) {
            throw new CredentialsProviderError(`Failed to load token from ${tokenFilePath}: ${String(error)}`, {
                logger: this.logger,
                tryNextLink: false,
            });
        }
    }
    async saveToken(token) {
        const tokenFilePath = this.getTokenFilePath();
        const directory = dirname(tokenFilePath);
        try {
            await promises.mkdir(directory, { recursive: true });
        }
        catch (error) {
        }
        await promises.writeFile(tokenFilePath, JSON.stringify(token, null, 2), "utf8");
    }
    getTokenFilePath() {
        const directory = process.env.AWS_LOGIN_CACHE_DIRECTORY ?? join(homedir(), ".aws", "login", "cache");
        const loginSessionBytes = Buffer.from(this.loginSession, "utf8");
        const loginSessionSha256 = createHash("sha256").update(loginSessionBytes).digest("hex");
        return join(directory, `${loginSessionSha256}.json`);
    }
    derToRawSignature(derSignature) {
        let offset = 2;
        if (derSignature[offset] !== 0x02) {
            throw new Error("Invalid DER signature");
        }
        offset++;
        const rLength = derSignature[offset++];
        let r = derSignature.subarray(offset, offset + rLength);
        offset += rLength;
        if (derSignature[offset] !== 0x02) {
            throw new Error("Invalid DER signature");
        }
        offset++;
        const sLength = derSignature[offset++];
        let s = derSignature.subarray(offset, offset + sLength);
        r = r[0] === 0x00 ? r.subarray(1) : r;
        s = s[0] === 0x00 ? s.subarray(1) : s;
        const rPadded = Buffer.concat([Buffer.alloc(32 - r.length), r]);
        const sPadded = Buffer.concat([Buffer.alloc(32 - s.length), s]);
        return Buffer.concat([rPadded, sPadded]);
    }
    createDPoPInterceptor(middlewareStack) {
        middlewareStack.add((next) => async (args) => {
            if (HttpRequest.isInstance(args.request)) {
                const request = args.request;
                const actualEndpoint = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}${request.path}`;
                const dpop = await this.generateDpop(request.method, actualEndpoint);
                request.headers = {
                    ...request.headers,
                    DPoP: dpop,
                };
            }
            return next(args);
        }, {
            step: "finalizeRequest",
            name: "dpopInterceptor",
            override: true,
        });
    }
    async generateDpop(method = "POST", endpoint) {
        const token = await this.loadToken();
        try {
            const privateKey = createPrivateKey({
                key: token.dpopKey,
                format: "pem",
                type: "sec1",
            });
            const publicKey = createPublicKey(privateKey);
            const publicDer = publicKey.export({ format: "der", type: "spki" });
            let pointStart = -1;
            for (let i = 0; i < publicDer.length; i++) {
                if (publicDer[i] === 0x04) {
                    pointStart = i;
                    break;
                }
            }
            const x = publicDer.slice(pointStart + 1, pointStart + 33);
            const y = publicDer.slice(pointStart + 33, pointStart + 65);
            const header = {
                alg: "ES256",
                typ: "dpop+jwt",
                jwk: {
                    kty: "EC",
                    crv: "P-256",
                    x: x.toString("base64url"),
                    y: y.toString("base64url"),
                },
            };
            const payload = {
                jti: crypto.randomUUID(),
                htm: method,
                htu: endpoint,
                iat: Math.floor(Date.now() / 1000),
            };
            const headerB64 = Buffer.from(JSON.stringify(header)).toString("base64url");
            const payloadB64 = Buffer.from(JSON.stringify(payload)).toString("base64url");
            const message = `${headerB64}.${payloadB64}`;
            const asn1Signature = sign("sha256", Buffer.from(message), privateKey);
            const rawSignature = this.derToRawSignature(asn1Signature);
            const signatureB64 = rawSignature.toString("base64url");
            return `${message}.${signatureB64}`;
        }
        catch (error) {
            throw new CredentialsProviderError(`Failed to generate Dpop proof: ${error instanceof Error ? error.message : String(error)}`, { logger: this.logger, tryNextLink: false });
        }
    }
}

const fromLoginCredentials = (init) => async ({ callerClientConfig } = {}) => {
    init?.logger?.debug?.("@aws-sdk/credential-providers - fromLoginCredentials");
    const profiles = await parseKnownFiles(init || {});
    const profileName = getProfileName({
        profile: init?.profile ?? callerClientConfig?.profile,
    });
    const profile = profiles[profileName];
    if (!profile?.login_session) {
        throw new CredentialsProviderError(`Profile ${profileName} does not contain login_session.`, {
            tryNextLink: true,
            logger: init?.logger,
        });
    }
    const fetcher = new LoginCredentialsFetcher(profile, init, callerClientConfig);
    const credentials = await fetcher.loadCredentials();
    return setCredentialFeature(credentials, "CREDENTIALS_LOGIN", "AD");
};

exports.fromLoginCredentials = fromLoginCredentials;


/***/ }),

/***/ 5861:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { ENV_KEY, ENV_SECRET, fromEnv } = __webpack_require__(55606);
const { chain, CredentialsProviderError, ENV_PROFILE } = __webpack_require__(47291);

const ENV_IMDS_DISABLED = "AWS_EC2_METADATA_DISABLED";
const remoteProvider = async (init) => {
    const { ENV_CMDS_FULL_URI, ENV_CMDS_RELATIVE_URI, fromContainerMetadata, fromInstanceMetadata } = __webpack_require__(40566);
    if (process.env[ENV_CMDS_RELATIVE_URI] || process.env[ENV_CMDS_FULL_URI]) {
        init.logger?.debug("@aws-sdk/credential-provider-node - remoteProvider::fromHttp/fromContainerMetadata");
        const { fromHttp } = __webpack_require__(98605);
        return chain(fromHttp(init), fromContainerMetadata(init));
    }
    if (process.env[ENV_IMDS_DISABLED] && process.env[ENV_IMDS_DISABLED] !== "false") {
        return async () => {
            throw new CredentialsProviderError("EC2 Instance Metadata Service access disabled", { logger: init.logger });
        };
    }
    init.logger?.debug("@aws-sdk/credential-provider-node - remoteProvider::fromInstanceMetadata");
    return fromInstanceMetadata(init);
};

function memoizeChain(providers, treatAsExpired) {
    const chain = internalCreateChain(providers);
    let activeLock;
    let passiveLock;
    let credentials;
    let forceRefreshLock;
    const provider = async (options) => {
        if (options?.forceRefresh) {
            if (!forceRefreshLock) {
                forceRefreshLock = chain(options)
                    .then((c) => {
                    credentials = c;
                })
                    .finally(() => {
                    forceRefreshLock = undefined;
                });
            }
            await forceRefreshLock;
            return credentials;
        }
        if (credentials?.expiration) {
            if (credentials?.expiration?.getTime() < Date.now()) {
                credentials = undefined;
            }
        }
        if (activeLock) {
            await activeLock;
        }
        else if (!credentials || treatAsExpired?.(credentials)) {
            if (credentials) {
                if (!passiveLock) {
                    passiveLock = chain(options)
                        .then((c) => {
                        credentials = c;
                    })
                        .catch(() => {
                    })
                        .finally(() => {
                        passiveLock = undefined;
                    });
                }
            }
            else {
                activeLock = chain(options)
                    .then((c) => {
                    credentials = c;
                })
                    .finally(() => {
                    activeLock = undefined;
                });
                return provider(options);
            }
        }
        return credentials;
    };
    return provider;
}
const internalCreateChain = (providers) => async (awsIdentityProperties) => {
    let lastProviderError;
    for (const provider of providers) {
        try {
            return await provider(awsIdentityProperties);
        }
        catch (err) {
            lastProviderError = err;
            if (err?.tryNextLink) {
                continue;
            }
            throw err;
        }
    }
    throw lastProviderError;
};

let multipleCredentialSourceWarningEmitted = false;
const defaultProvider = (init = {}) => memoizeChain([
    async () => {
        const profile = init.profile ?? process.env[ENV_PROFILE];
        if (profile) {
            const envStaticCredentialsAreSet = process.env[ENV_KEY] && process.env[ENV_SECRET];
            if (envStaticCredentialsAreSet) {
                if (!multipleCredentialSourceWarningEmitted) {
                    const warnFn = init.logger?.warn && init.logger?.constructor?.name !== "NoOpLogger"
                        ? init.logger.warn.bind(init.logger)
                        : console.warn;
                    warnFn(`@aws-sdk/credential-provider-node - defaultProvider::fromEnv WARNING:
    Multiple credential sources detected: 
    Both AWS_PROFILE and the pair AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY static credentials are set.
    This SDK will proceed with the AWS_PROFILE value.
    
    However, a future version may change this behavior to prefer the ENV static credentials.
    Please ensure that your environment only sets either the AWS_PROFILE or the
    AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY pair.
`);
                    multipleCredentialSourceWarningEmitted = true;
                }
            }
            throw new CredentialsProviderError("AWS_PROFILE is set, skipping fromEnv provider.", {
                logger: init.logger,
                tryNextLink: true,
            });
        }
        init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromEnv");
        return fromEnv(init)();
    },
    async (awsIdentityProperties) => {
        init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromSSO");
        const { ssoStartUrl, ssoAccountId, ssoRegion, ssoRoleName, ssoSession } = init;
        if (!ssoStartUrl && !ssoAccountId && !ssoRegion && !ssoRoleName && !ssoSession) {
            throw new CredentialsProviderError("Skipping SSO provider in default chain (inputs do not include SSO fields).", { logger: init.logger });
        }
        const { fromSSO } = __webpack_require__(60998);
        return fromSSO(init)(awsIdentityProperties);
    },
    async (awsIdentityProperties) => {
        init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromIni");
        const { fromIni } = __webpack_require__(75869);
        return fromIni(init)(awsIdentityProperties);
    },
    async (awsIdentityProperties) => {
        init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromProcess");
        const { fromProcess } = __webpack_require__(75360);
        return fromProcess(init)(awsIdentityProperties);
    },
    async (awsIdentityProperties) => {
        init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::fromTokenFile");
        const { fromTokenFile } = __webpack_require__(29956);
        return fromTokenFile(init)(awsIdentityProperties);
    },
    async () => {
        init.logger?.debug("@aws-sdk/credential-provider-node - defaultProvider::remoteProvider");
        return (await remoteProvider(init))();
    },
    async () => {
        throw new CredentialsProviderError("Could not load credentials from any providers", {
            tryNextLink: false,
            logger: init.logger,
        });
    },
], credentialsTreatedAsExpired);
const credentialsWillNeedRefresh = (credentials) => credentials?.expiration !== undefined;
const credentialsTreatedAsExpired = (credentials) => credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300000;

exports.credentialsTreatedAsExpired = credentialsTreatedAsExpired;
exports.credentialsWillNeedRefresh = credentialsWillNeedRefresh;
exports.defaultProvider = defaultProvider;


/***/ }),

/***/ 75360:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { externalDataInterceptor, CredentialsProviderError, parseKnownFiles, getProfileName } = __webpack_require__(47291);
const { exec } = __webpack_require__(31421);
const { promisify } = __webpack_require__(57975);
const { setCredentialFeature } = __webpack_require__(5152);

const getValidatedProcessCredentials = (profileName, data, profiles) => {
    if (data.Version !== 1) {
        throw Error(`Profile ${profileName} credential_process did not return Version 1.`);
    }
    if (data.AccessKeyId === undefined || data.SecretAccessKey === undefined) {
        throw Error(`Profile ${profileName} credential_process returned invalid credentials.`);
    }
    if (data.Expiration) {
        const currentTime = new Date();
        const expireTime = new Date(data.Expiration);
        if (expireTime < currentTime) {
            throw Error(`Profile ${profileName} credential_process returned expired credentials.`);
        }
    }
    let accountId = data.AccountId;
    if (!accountId && profiles?.[profileName]?.aws_account_id) {
        accountId = profiles[profileName].aws_account_id;
    }
    const credentials = {
        accessKeyId: data.AccessKeyId,
        secretAccessKey: data.SecretAccessKey,
        ...(data.SessionToken && { sessionToken: data.SessionToken }),
        ...(data.Expiration && { expiration: new Date(data.Expiration) }),
        ...(data.CredentialScope && { credentialScope: data.CredentialScope }),
        ...(accountId && { accountId }),
    };
    setCredentialFeature(credentials, "CREDENTIALS_PROCESS", "w");
    return credentials;
};

const resolveProcessCredentials = async (profileName, profiles, logger) => {
    const profile = profiles[profileName];
    if (profiles[profileName]) {
        const credentialProcess = profile["credential_process"];
        if (credentialProcess !== undefined) {
            const execPromise = promisify(externalDataInterceptor?.getTokenRecord?.().exec ?? exec);
            try {
                const { stdout } = await execPromise(credentialProcess);
                let data;
                try {
                    data = JSON.parse(stdout.trim());
                }
                catch {
                    throw Error(`Profile ${profileName} credential_process returned invalid JSON.`);
                }
                return getValidatedProcessCredentials(profileName, data, profiles);
            }
            catch (error) {
                throw new CredentialsProviderError(error.message, { logger });
            }
        }
        else {
            throw new CredentialsProviderError(`Profile ${profileName} did not contain credential_process.`, { logger });
        }
    }
    else {
        throw new CredentialsProviderError(`Profile ${profileName} could not be found in shared credentials file.`, {
            logger,
        });
    }
};

const fromProcess = (init = {}) => async ({ callerClientConfig } = {}) => {
    init.logger?.debug("@aws-sdk/credential-provider-process - fromProcess");
    const profiles = await parseKnownFiles(init);
    return resolveProcessCredentials(getProfileName({
        profile: init.profile ?? callerClientConfig?.profile,
    }), profiles, init.logger);
};

exports.fromProcess = fromProcess;


/***/ }),

/***/ 60998:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { CredentialsProviderError, getSSOTokenFromFile, getProfileName, parseKnownFiles, loadSsoSessionData } = __webpack_require__(47291);
const { setCredentialFeature } = __webpack_require__(5152);
const { fromSso } = __webpack_require__(75433);

const isSsoProfile = (arg) => arg &&
    (typeof arg.sso_start_url === "string" ||
        typeof arg.sso_account_id === "string" ||
        typeof arg.sso_session === "string" ||
        typeof arg.sso_region === "string" ||
        typeof arg.sso_role_name === "string");

const SHOULD_FAIL_CREDENTIAL_CHAIN = false;
const resolveSSOCredentials = async ({ ssoStartUrl, ssoSession, ssoAccountId, ssoRegion, ssoRoleName, ssoClient, clientConfig, parentClientConfig, callerClientConfig, profile, filepath, configFilepath, ignoreCache, logger, }) => {
    let token;
    const refreshMessage = `To refresh this SSO session run aws sso login with the corresponding profile.`;
    if (ssoSession) {
        try {
            const _token = await fromSso({
                profile,
                filepath,
                configFilepath,
                ignoreCache,
                clientConfig,
                parentClientConfig,
                logger,
            })({ callerClientConfig });
            token = {
                accessToken: _token.token,
                expiresAt: new Date(_token.expiration).toISOString(),
            };
        }
        catch (e) {
            throw new CredentialsProviderError(e.message, {
                tryNextLink: SHOULD_FAIL_CREDENTIAL_CHAIN,
                logger,
            });
        }
    }
    else {
        try {
            token = await getSSOTokenFromFile(ssoStartUrl);
        }
        catch (e) {
            throw new CredentialsProviderError(`The SSO session associated with this profile is invalid. ${refreshMessage}`, {
                tryNextLink: SHOULD_FAIL_CREDENTIAL_CHAIN,
                logger,
            });
        }
    }
    if (new Date(token.expiresAt).getTime() - Date.now() <= 0) {
        throw new CredentialsProviderError(`The SSO session associated with this profile has expired. ${refreshMessage}`, {
            tryNextLink: SHOULD_FAIL_CREDENTIAL_CHAIN,
            logger,
        });
    }
    const { accessToken } = token;
    const { SSOClient, GetRoleCredentialsCommand } = __webpack_require__(23707);
    const sso = ssoClient ||
        new SSOClient(Object.assign({}, clientConfig ?? {}, {
            logger: clientConfig?.logger ?? callerClientConfig?.logger ?? parentClientConfig?.logger,
            region: clientConfig?.region ?? ssoRegion,
            userAgentAppId: clientConfig?.userAgentAppId ?? callerClientConfig?.userAgentAppId ?? parentClientConfig?.userAgentAppId,
        }));
    let ssoResp;
    try {
        ssoResp = await sso.send(new GetRoleCredentialsCommand({
            accountId: ssoAccountId,
            roleName: ssoRoleName,
            accessToken,
        }));
    }
    catch (e) {
        throw new CredentialsProviderError(e, {
            tryNextLink: SHOULD_FAIL_CREDENTIAL_CHAIN,
            logger,
        });
    }
    const { roleCredentials: { accessKeyId, secretAccessKey, sessionToken, expiration, credentialScope, accountId } = {}, } = ssoResp;
    if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration) {
        throw new CredentialsProviderError("SSO returns an invalid temporary credential.", {
            tryNextLink: SHOULD_FAIL_CREDENTIAL_CHAIN,
            logger,
        });
    }
    const credentials = {
        accessKeyId,
        secretAccessKey,
        sessionToken,
        expiration: new Date(expiration),
        ...(credentialScope && { credentialScope }),
        ...(accountId && { accountId }),
    };
    if (ssoSession) {
        setCredentialFeature(credentials, "CREDENTIALS_SSO", "s");
    }
    else {
        setCredentialFeature(credentials, "CREDENTIALS_SSO_LEGACY", "u");
    }
    return credentials;
};

const validateSsoProfile = (profile, logger) => {
    const { sso_start_url, sso_account_id, sso_region, sso_role_name } = profile;
    if (!sso_start_url || !sso_account_id || !sso_region || !sso_role_name) {
        throw new CredentialsProviderError(`Profile is configured with invalid SSO credentials. Required parameters "sso_account_id", ` +
            `"sso_region", "sso_role_name", "sso_start_url". Got ${Object.keys(profile).join(", ")}\nReference: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html`, { tryNextLink: false, logger });
    }
    return profile;
};

const fromSSO = (init = {}) => async ({ callerClientConfig } = {}) => {
    init.logger?.debug("@aws-sdk/credential-provider-sso - fromSSO");
    const { ssoStartUrl, ssoAccountId, ssoRegion, ssoRoleName, ssoSession } = init;
    const { ssoClient } = init;
    const profileName = getProfileName({
        profile: init.profile ?? callerClientConfig?.profile,
    });
    if (!ssoStartUrl && !ssoAccountId && !ssoRegion && !ssoRoleName && !ssoSession) {
        const profiles = await parseKnownFiles(init);
        const profile = profiles[profileName];
        if (!profile) {
            throw new CredentialsProviderError(`Profile ${profileName} was not found.`, { logger: init.logger });
        }
        if (!isSsoProfile(profile)) {
            throw new CredentialsProviderError(`Profile ${profileName} is not configured with SSO credentials.`, {
                logger: init.logger,
            });
        }
        if (profile?.sso_session) {
            const ssoSessions = await loadSsoSessionData(init);
            const session = ssoSessions[profile.sso_session];
            const conflictMsg = ` configurations in profile ${profileName} and sso-session ${profile.sso_session}`;
            if (ssoRegion && ssoRegion !== session.sso_region) {
                throw new CredentialsProviderError(`Conflicting SSO region` + conflictMsg, {
                    tryNextLink: false,
                    logger: init.logger,
                });
            }
            if (ssoStartUrl && ssoStartUrl !== session.sso_start_url) {
                throw new CredentialsProviderError(`Conflicting SSO start_url` + conflictMsg, {
                    tryNextLink: false,
                    logger: init.logger,
                });
            }
            profile.sso_region = session.sso_region;
            profile.sso_start_url = session.sso_start_url;
        }
        const { sso_start_url, sso_account_id, sso_region, sso_role_name, sso_session } = validateSsoProfile(profile, init.logger);
        return resolveSSOCredentials({
            ssoStartUrl: sso_start_url,
            ssoSession: sso_session,
            ssoAccountId: sso_account_id,
            ssoRegion: sso_region,
            ssoRoleName: sso_role_name,
            ssoClient: ssoClient,
            clientConfig: init.clientConfig,
            parentClientConfig: init.parentClientConfig,
            callerClientConfig: init.callerClientConfig,
            profile: profileName,
            filepath: init.filepath,
            configFilepath: init.configFilepath,
            ignoreCache: init.ignoreCache,
            logger: init.logger,
        });
    }
    else if (!ssoStartUrl || !ssoAccountId || !ssoRegion || !ssoRoleName) {
        throw new CredentialsProviderError("Incomplete configuration. The fromSSO() argument hash must include " +
            '"ssoStartUrl", "ssoAccountId", "ssoRegion", "ssoRoleName"', { tryNextLink: false, logger: init.logger });
    }
    else {
        return resolveSSOCredentials({
            ssoStartUrl,
            ssoSession,
            ssoAccountId,
            ssoRegion,
            ssoRoleName,
            ssoClient,
            clientConfig: init.clientConfig,
            parentClientConfig: init.parentClientConfig,
            callerClientConfig: init.callerClientConfig,
            profile: profileName,
            filepath: init.filepath,
            configFilepath: init.configFilepath,
            ignoreCache: init.ignoreCache,
            logger: init.logger,
        });
    }
};

exports.fromSSO = fromSSO;
exports.isSsoProfile = isSsoProfile;
exports.validateSsoProfile = validateSsoProfile;


/***/ }),

/***/ 23707:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { GetRoleCredentialsCommand, SSOClient } = __webpack_require__(32579);
exports.GetRoleCredentialsCommand = GetRoleCredentialsCommand;
exports.SSOClient = SSOClient;


/***/ }),

/***/ 29956:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { setCredentialFeature } = __webpack_require__(5152);
const { CredentialsProviderError, externalDataInterceptor } = __webpack_require__(47291);
const { readFileSync } = __webpack_require__(73024);

const fromWebToken = (init) => async (awsIdentityProperties) => {
    init.logger?.debug("@aws-sdk/credential-provider-web-identity - fromWebToken");
    const { roleArn, roleSessionName, webIdentityToken, providerId, policyArns, policy, durationSeconds } = init;
    let { roleAssumerWithWebIdentity } = init;
    if (!roleAssumerWithWebIdentity) {
        const { getDefaultRoleAssumerWithWebIdentity } = __webpack_require__(1136);
        roleAssumerWithWebIdentity = getDefaultRoleAssumerWithWebIdentity({
            ...init.clientConfig,
            credentialProviderLogger: init.logger,
            parentClientConfig: {
                ...awsIdentityProperties?.callerClientConfig,
                ...init.parentClientConfig,
            },
        }, init.clientPlugins);
    }
    return roleAssumerWithWebIdentity({
        RoleArn: roleArn,
        RoleSessionName: roleSessionName ?? `aws-sdk-js-session-${Date.now()}`,
        WebIdentityToken: webIdentityToken,
        ProviderId: providerId,
        PolicyArns: policyArns,
        Policy: policy,
        DurationSeconds: durationSeconds,
    });
};

const ENV_TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
const ENV_ROLE_ARN = "AWS_ROLE_ARN";
const ENV_ROLE_SESSION_NAME = "AWS_ROLE_SESSION_NAME";
const fromTokenFile = (init = {}) => async (awsIdentityProperties) => {
    init.logger?.debug("@aws-sdk/credential-provider-web-identity - fromTokenFile");
    const webIdentityTokenFile = init?.webIdentityTokenFile ?? process.env[ENV_TOKEN_FILE];
    const roleArn = init?.roleArn ?? process.env[ENV_ROLE_ARN];
    const roleSessionName = init?.roleSessionName ?? process.env[ENV_ROLE_SESSION_NAME];
    if (!webIdentityTokenFile || !roleArn) {
        throw new CredentialsProviderError("Web identity configuration not specified", {
            logger: init.logger,
        });
    }
    const credentials = await fromWebToken({
        ...init,
        webIdentityToken: externalDataInterceptor?.getTokenRecord?.()[webIdentityTokenFile] ??
            readFileSync(webIdentityTokenFile, { encoding: "ascii" }),
        roleArn,
        roleSessionName,
    })(awsIdentityProperties);
    if (webIdentityTokenFile === process.env[ENV_TOKEN_FILE]) {
        setCredentialFeature(credentials, "CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN", "h");
    }
    return credentials;
};

exports.fromTokenFile = fromTokenFile;
exports.fromWebToken = fromWebToken;


/***/ }),

/***/ 82716:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { formatUrl } = __webpack_require__(519);
const { toEndpointV1 } = __webpack_require__(62085);
const { HttpRequest } = __webpack_require__(93422);
const { SignatureV4 } = __webpack_require__(75118);

const regARN = /arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?/;
const sourceIdToCommandKeyMap = {
    SourceDBSnapshotIdentifier: "CopyDBSnapshot",
    SourceDBInstanceIdentifier: "CreateDBInstanceReadReplica",
    ReplicationSourceIdentifier: "CreateDBCluster",
    SourceDBClusterSnapshotIdentifier: "CopyDBClusterSnapshot",
    SourceDBInstanceArn: "StartDBInstanceAutomatedBackupsReplication",
};
const version = "2014-10-31";
function crossRegionPresignedUrlMiddleware(options) {
    return (next, context) => async (args) => {
        const { input } = args;
        const region = await options.region();
        const sourceIdKey = Object.keys(sourceIdToCommandKeyMap).filter((sourceKeyId) => input.hasOwnProperty(sourceKeyId))[0];
        if (!sourceIdKey) {
            return next(args);
        }
        const command = sourceIdToCommandKeyMap[sourceIdKey];
        if (!input.PreSignedUrl && isARN(input[sourceIdKey]) && region !== getEndpointFromARN(input[sourceIdKey])) {
            const sourceRegion = getEndpointFromARN(input[sourceIdKey]);
            let resolvedEndpoint;
            if (typeof options.endpoint === "function") {
                resolvedEndpoint = await options.endpoint();
            }
            else {
                resolvedEndpoint = toEndpointV1(context.endpointV2);
            }
            resolvedEndpoint.hostname = `rds.${sourceRegion}.amazonaws.com`;
            const request = new HttpRequest({
                ...resolvedEndpoint,
                protocol: "https",
                headers: {
                    host: resolvedEndpoint.hostname,
                },
                query: {
                    Action: command,
                    Version: version,
                    KmsKeyId: input.KmsKeyId,
                    DestinationRegion: region,
                    [sourceIdKey]: input[sourceIdKey],
                },
            });
            const signer = new SignatureV4({
                credentials: options.credentials,
                region: sourceRegion,
                service: "rds",
                sha256: options.sha256,
                uriEscapePath: options.signingEscapePath,
            });
            const presignedRequest = await signer.presign(request, {
                expiresIn: 3600,
            });
            args = {
                ...args,
                input: {
                    ...args.input,
                    PreSignedUrl: formatUrl(presignedRequest),
                },
            };
        }
        return next(args);
    };
}
const crossRegionPresignedUrlMiddlewareOptions = {
    step: "serialize",
    tags: ["CROSS_REGION_PRESIGNED_URL"],
    name: "crossRegionPresignedUrlMiddleware",
    override: true,
    relation: "after",
    toMiddleware: "endpointV2Middleware",
};
const getCrossRegionPresignedUrlPlugin = (config) => ({
    applyToStack: (clientStack) => {
        clientStack.addRelativeTo(crossRegionPresignedUrlMiddleware(config), crossRegionPresignedUrlMiddlewareOptions);
    },
});
function isARN(id) {
    if (!id) {
        return false;
    }
    return regARN.test(id);
}
function getEndpointFromARN(arn) {
    const arnArr = arn.split(":");
    if (arnArr.length < 4) {
        throw new Error(`Cannot infer endpoint from '${arn}'`);
    }
    return arnArr[3];
}

exports.crossRegionPresignedUrlMiddleware = crossRegionPresignedUrlMiddleware;
exports.crossRegionPresignedUrlMiddlewareOptions = crossRegionPresignedUrlMiddlewareOptions;
exports.getCrossRegionPresignedUrlPlugin = getCrossRegionPresignedUrlPlugin;


/***/ }),

/***/ 99762:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, getDefaultSocketTimeout, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin } = __webpack_require__(5152);
const { NoAuthSigner, getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin } = __webpack_require__(90402);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createAggregatedClient } = __webpack_require__(92658);
const { Command: $Command } = __webpack_require__(92658);
exports.$Command = $Command;
exports.__Client = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(47291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(62085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(93422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getRetryPlugin } = __webpack_require__(23609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(26890);
const { resolveAwsSdkSigV4Config, AwsSdkSigV4Signer, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(97523);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(92430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(61279);
const { AwsRestJsonProtocol } = __webpack_require__(37288);
const { Sha256 } = __webpack_require__(99542);

const defaultSigninHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "signin",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
function createSmithyApiNoAuthHttpAuthOption(authParameters) {
    return {
        schemeId: "smithy.api#noAuth",
    };
}
const defaultSigninHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        case "CreateOAuth2Token":
            {
                options.push(createSmithyApiNoAuthHttpAuthOption());
                break;
            }
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
        }
    }
    return options;
};
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    return Object.assign(config_0, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        defaultSigningName: "signin",
    });
};
const commonParams = {
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.998.2";
var packageInfo = {
	version: version};

const s = "ref";
const a = -1, b = false, c = true, d = "isSet", e = "booleanEquals", f = "coalesce", g = "PartitionResult", h = "stringEquals", i = "getAttr", j = "https://signin.{Region}.{PartitionResult#dualStackDnsSuffix}", k = { [s]: "Endpoint" }, l = { "fn": i, "argv": [{ [s]: g }, "name"] }, m = { [s]: "Region" }, n = { [s]: g }, o = { "authSchemes": [{ "name": "sigv4", "signingName": "signin", "signingRegion": "{Region}" }] }, p = {}, q = [m];
const _data = {
    conditions: [
        [d, q],
        [e, [{ fn: f, argv: [{ [s]: "IsControlPlane" }, b] }, c]],
        [d, [k]],
        ["aws.partition", q, g],
        [e, [{ [s]: "UseFIPS" }, c]],
        [h, [l, "aws"]],
        [e, [{ fn: f, argv: [{ [s]: "IsOAuthEndpoint" }, b] }, c]],
        [e, [{ [s]: "UseDualStack" }, c]],
        [h, [l, "aws-cn"]],
        [h, [m, "us-gov-west-1"]],
        [h, [l, "aws-us-gov"]],
        [e, [{ fn: i, argv: [n, "supportsFIPS"] }, c]],
        [h, [l, "aws-iso"]],
        [h, [l, "aws-iso-b"]],
        [h, [l, "aws-iso-f"]],
        [h, [l, "aws-iso-e"]],
        [h, [l, "aws-eusc"]],
        [e, [{ fn: i, argv: [n, "supportsDualStack"] }, c]]
    ],
    results: [
        [a],
        ["https://signin.{Region}.api.aws", o],
        ["https://signin.{Region}.api.amazonwebservices.com.cn", o],
        [j, o],
        [a, "FIPS endpoints are not supported for OAuth operations. Disable FIPS or use a non-OAuth operation."],
        ["https://{Region}.oauth.signin.aws", o],
        ["https://{Region}.signin.aws.amazon.com", p],
        ["https://{Region}.signin.amazonaws.cn", p],
        ["https://{Region}.signin.amazonaws-us-gov.com", p],
        ["https://{Region}.signin.c2shome.ic.gov", p],
        ["https://{Region}.signin.sc2shome.sgov.gov", p],
        ["https://{Region}.signin.csphome.hci.ic.gov", p],
        ["https://{Region}.signin.csphome.adc-e.uk", p],
        ["https://{Region}.signin.amazonaws-eusc.eu", p],
        ["https://signin-fips.amazonaws-us-gov.com", p],
        ["https://{Region}.signin-fips.amazonaws-us-gov.com", p],
        ["https://{Region}.signin.{PartitionResult#dnsSuffix}", p],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [k, p],
        ["https://signin-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", p],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://signin-fips.{Region}.{PartitionResult#dnsSuffix}", p],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        [j, p],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        ["https://signin.{Region}.{PartitionResult#dnsSuffix}", p],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 6, 3,
    2, 36, 4,
    4, 5, r + 27,
    6, r + 4, r + 27,
    1, 29, 7,
    2, 36, 8,
    3, 9, 31,
    4, 22, 10,
    5, 19, 11,
    7, 21, 12,
    8, r + 7, 13,
    10, r + 8, 14,
    12, r + 9, 15,
    13, r + 10, 16,
    14, r + 11, 17,
    15, r + 12, 18,
    16, r + 13, r + 16,
    6, r + 5, 20,
    7, 21, r + 6,
    17, r + 24, r + 25,
    6, r + 4, 23,
    7, 27, 24,
    9, r + 14, 25,
    10, r + 15, 26,
    11, r + 22, r + 23,
    11, 28, r + 21,
    17, r + 20, r + 21,
    2, 35, 30,
    3, 39, 31,
    4, 32, r + 27,
    6, r + 4, 33,
    7, r + 27, 34,
    9, r + 14, r + 27,
    3, 39, 36,
    4, 38, 37,
    7, r + 18, r + 19,
    6, r + 4, r + 17,
    5, r + 1, 40,
    8, r + 2, r + 3,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "IsControlPlane", "IsOAuthEndpoint", "Region", "UseDualStack", "UseFIPS"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

class SigninServiceException extends ServiceException {
    static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.signin#SigninServiceException";
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, SigninServiceException.prototype);
    }
}

class AccessDeniedException extends SigninServiceException {
    static shapeId = "com.amazonaws.signin#AccessDeniedException";
    name = "AccessDeniedException";
    $fault = "client";
    error;
    constructor(opts) {
        super({
            name: "AccessDeniedException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, AccessDeniedException.prototype);
        this.error = opts.error;
    }
}
class InternalServerException extends SigninServiceException {
    static shapeId = "com.amazonaws.signin#InternalServerException";
    name = "InternalServerException";
    $fault = "server";
    error;
    constructor(opts) {
        super({
            name: "InternalServerException",
            $fault: "server",
            ...opts,
        });
        Object.setPrototypeOf(this, InternalServerException.prototype);
        this.error = opts.error;
    }
}
class TooManyRequestsError extends SigninServiceException {
    static shapeId = "com.amazonaws.signin#TooManyRequestsError";
    name = "TooManyRequestsError";
    $fault = "client";
    error;
    constructor(opts) {
        super({
            name: "TooManyRequestsError",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TooManyRequestsError.prototype);
        this.error = opts.error;
    }
}
class ValidationException extends SigninServiceException {
    static shapeId = "com.amazonaws.signin#ValidationException";
    name = "ValidationException";
    $fault = "client";
    error;
    constructor(opts) {
        super({
            name: "ValidationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ValidationException.prototype);
        this.error = opts.error;
    }
}

const _ADE = "AccessDeniedException";
const _AT = "AccessToken";
const _COAT = "CreateOAuth2Token";
const _COATR = "CreateOAuth2TokenRequest";
const _COATRB = "CreateOAuth2TokenRequestBody";
const _COATRBr = "CreateOAuth2TokenResponseBody";
const _COATRr = "CreateOAuth2TokenResponse";
const _COATWIAM = "CreateOAuth2TokenWithIAM";
const _COATWIAMR = "CreateOAuth2TokenWithIAMRequest";
const _COATWIAMRr = "CreateOAuth2TokenWithIAMResponse";
const _ISE = "InternalServerException";
const _OAAT = "OAuthAccessToken";
const _RT = "RefreshToken";
const _TMRE = "TooManyRequestsError";
const _VE = "ValidationException";
const _aKI = "accessKeyId";
const _aT = "accessToken";
const _at = "access_token";
const _c = "client";
const _cI = "clientId";
const _cV = "codeVerifier";
const _co = "code";
const _e = "error";
const _eI = "expiresIn";
const _ei = "expires_in";
const _gT = "grantType";
const _gt = "grant_type";
const _h = "http";
const _hE = "httpError";
const _iT = "idToken";
const _jN = "jsonName";
const _m = "message";
const _r = "resource";
const _rT = "refreshToken";
const _rU = "redirectUri";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.signin";
const _sAK = "secretAccessKey";
const _sT = "sessionToken";
const _se = "server";
const _tI = "tokenInput";
const _tO = "tokenOutput";
const _tT = "tokenType";
const _tt = "token_type";
const n0 = "com.amazonaws.signin";
const _s_registry = new TypeRegistry(_s);
var SigninServiceException$ = [-3, _s, "SigninServiceException", 0, [], []];
_s_registry.registerError(SigninServiceException$, SigninServiceException);
const n0_registry = new TypeRegistry(n0);
var AccessDeniedException$ = [-3, n0, _ADE,
    { [_e]: _c },
    [_e, _m],
    [0, 0], 2
];
n0_registry.registerError(AccessDeniedException$, AccessDeniedException);
var InternalServerException$ = [-3, n0, _ISE,
    { [_e]: _se, [_hE]: 500 },
    [_e, _m],
    [0, 0], 2
];
n0_registry.registerError(InternalServerException$, InternalServerException);
var TooManyRequestsError$ = [-3, n0, _TMRE,
    { [_e]: _c, [_hE]: 429 },
    [_e, _m],
    [0, 0], 2
];
n0_registry.registerError(TooManyRequestsError$, TooManyRequestsError);
var ValidationException$ = [-3, n0, _VE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _m],
    [0, 0], 2
];
n0_registry.registerError(ValidationException$, ValidationException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var OAuthAccessToken = [0, n0, _OAAT, 8, 0];
var RefreshToken = [0, n0, _RT, 8, 0];
var AccessToken$ = [3, n0, _AT,
    8,
    [_aKI, _sAK, _sT],
    [[0, { [_jN]: _aKI }], [0, { [_jN]: _sAK }], [0, { [_jN]: _sT }]], 3
];
var CreateOAuth2TokenRequest$ = [3, n0, _COATR,
    0,
    [_tI],
    [[() => CreateOAuth2TokenRequestBody$, 16]], 1
];
var CreateOAuth2TokenRequestBody$ = [3, n0, _COATRB,
    0,
    [_cI, _gT, _co, _rU, _cV, _rT],
    [[0, { [_jN]: _cI }], [0, { [_jN]: _gT }], 0, [0, { [_jN]: _rU }], [0, { [_jN]: _cV }], [() => RefreshToken, { [_jN]: _rT }]], 2
];
var CreateOAuth2TokenResponse$ = [3, n0, _COATRr,
    0,
    [_tO],
    [[() => CreateOAuth2TokenResponseBody$, 16]], 1
];
var CreateOAuth2TokenResponseBody$ = [3, n0, _COATRBr,
    0,
    [_aT, _tT, _eI, _rT, _iT],
    [[() => AccessToken$, { [_jN]: _aT }], [0, { [_jN]: _tT }], [1, { [_jN]: _eI }], [() => RefreshToken, { [_jN]: _rT }], [0, { [_jN]: _iT }]], 4
];
var CreateOAuth2TokenWithIAMRequest$ = [3, n0, _COATWIAMR,
    0,
    [_gT, _r],
    [[0, { [_jN]: _gt }], 0], 2
];
var CreateOAuth2TokenWithIAMResponse$ = [3, n0, _COATWIAMRr,
    0,
    [_aT, _tT, _eI],
    [[() => OAuthAccessToken, { [_jN]: _at }], [0, { [_jN]: _tt }], [1, { [_jN]: _ei }]], 3
];
var CreateOAuth2Token$ = [9, n0, _COAT,
    { [_h]: ["POST", "/v1/token", 200] }, () => CreateOAuth2TokenRequest$, () => CreateOAuth2TokenResponse$
];
var CreateOAuth2TokenWithIAM$ = [9, n0, _COATWIAM,
    { [_h]: ["POST", "/v1/token?x-amz-client-auth-method=iam", 200] }, () => CreateOAuth2TokenWithIAMRequest$, () => CreateOAuth2TokenWithIAMResponse$
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2023-01-01",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultSigninHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
            {
                schemeId: "smithy.api#noAuth",
                identityProvider: (ipc) => ipc.getIdentityProvider("smithy.api#noAuth") || (async () => ({})),
                signer: new NoAuthSigner(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsRestJsonProtocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.signin",
            errorTypeRegistries,
            version: "2023-01-01",
            serviceTarget: "Signin",
        },
        serviceId: config?.serviceId ?? "Signin",
        sha256: config?.sha256 ?? Sha256,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 300_000),
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class SigninClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultSigninHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "Signin", "SigninClient", getEndpointPlugin);
const _ep0 = {
    IsControlPlane: { type: "staticContextParams", value: false },
};
const _ep1 = {
    IsOAuthEndpoint: { type: "staticContextParams", value: true },
};
const _mw0 = (Command, cs, config, o) => [];

class CreateOAuth2TokenCommand extends command(_ep0, _mw0, "CreateOAuth2Token", CreateOAuth2Token$) {
}

class CreateOAuth2TokenWithIAMCommand extends command(_ep1, _mw0, "CreateOAuth2TokenWithIAM", CreateOAuth2TokenWithIAM$) {
}

const commands = {
    CreateOAuth2TokenCommand,
    CreateOAuth2TokenWithIAMCommand,
};
class Signin extends SigninClient {
}
createAggregatedClient(commands, Signin);

const OAuth2ErrorCode = {
    AUTHCODE_EXPIRED: "AUTHCODE_EXPIRED",
    CONFLICT: "CONFLICT",
    INSUFFICIENT_PERMISSIONS: "INSUFFICIENT_PERMISSIONS",
    INVALID_REQUEST: "INVALID_REQUEST",
    OAUTH_INVALID_GRANT: "invalid_grant",
    OAUTH_INVALID_REQUEST: "invalid_request",
    OAUTH_INVALID_SCOPE: "invalid_scope",
    OAUTH_INVALID_TARGET: "invalid_target",
    OAUTH_RATE_EXCEEDED: "rate_exceeded",
    OAUTH_SERVICE_UNAVAILABLE: "service_unavailable",
    OAUTH_UNSUPPORTED_GRANT_TYPE: "unsupported_grant_type",
    RESOURCE_NOT_FOUND: "RESOURCE_NOT_FOUND",
    SERVER_ERROR: "server_error",
    SERVICE_QUOTA_EXCEEDED: "SERVICE_QUOTA_EXCEEDED",
    TOKEN_EXPIRED: "TOKEN_EXPIRED",
    USER_CREDENTIALS_CHANGED: "USER_CREDENTIALS_CHANGED",
};

exports.AccessDeniedException = AccessDeniedException;
exports.AccessDeniedException$ = AccessDeniedException$;
exports.AccessToken$ = AccessToken$;
exports.CreateOAuth2Token$ = CreateOAuth2Token$;
exports.CreateOAuth2TokenCommand = CreateOAuth2TokenCommand;
exports.CreateOAuth2TokenRequest$ = CreateOAuth2TokenRequest$;
exports.CreateOAuth2TokenRequestBody$ = CreateOAuth2TokenRequestBody$;
exports.CreateOAuth2TokenResponse$ = CreateOAuth2TokenResponse$;
exports.CreateOAuth2TokenResponseBody$ = CreateOAuth2TokenResponseBody$;
exports.CreateOAuth2TokenWithIAM$ = CreateOAuth2TokenWithIAM$;
exports.CreateOAuth2TokenWithIAMCommand = CreateOAuth2TokenWithIAMCommand;
exports.CreateOAuth2TokenWithIAMRequest$ = CreateOAuth2TokenWithIAMRequest$;
exports.CreateOAuth2TokenWithIAMResponse$ = CreateOAuth2TokenWithIAMResponse$;
exports.InternalServerException = InternalServerException;
exports.InternalServerException$ = InternalServerException$;
exports.OAuth2ErrorCode = OAuth2ErrorCode;
exports.Signin = Signin;
exports.SigninClient = SigninClient;
exports.SigninServiceException = SigninServiceException;
exports.SigninServiceException$ = SigninServiceException$;
exports.TooManyRequestsError = TooManyRequestsError;
exports.TooManyRequestsError$ = TooManyRequestsError$;
exports.ValidationException = ValidationException;
exports.ValidationException$ = ValidationException$;
exports.errorTypeRegistries = errorTypeRegistries;


/***/ }),

/***/ 89443:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, getDefaultSocketTimeout, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin } = __webpack_require__(5152);
const { NoAuthSigner, getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin } = __webpack_require__(90402);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createAggregatedClient } = __webpack_require__(92658);
const { Command: $Command } = __webpack_require__(92658);
exports.$Command = $Command;
exports.__Client = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(47291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(62085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(93422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getRetryPlugin } = __webpack_require__(23609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(26890);
const { resolveAwsSdkSigV4Config, AwsSdkSigV4Signer, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(97523);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(92430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(61279);
const { AwsRestJsonProtocol } = __webpack_require__(37288);
const { Sha256 } = __webpack_require__(99542);

const defaultSSOOIDCHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "sso-oauth",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
function createSmithyApiNoAuthHttpAuthOption(authParameters) {
    return {
        schemeId: "smithy.api#noAuth",
    };
}
const defaultSSOOIDCHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        case "CreateToken":
            {
                options.push(createSmithyApiNoAuthHttpAuthOption());
                break;
            }
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
        }
    }
    return options;
};
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    return Object.assign(config_0, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        defaultSigningName: "sso-oauth",
    });
};
const commonParams = {
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.998.2";
var packageInfo = {
	version: version};

const k = "ref";
const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = { [k]: "Endpoint" }, h = { [k]: d }, i = {}, j = [{ [k]: "Region" }];
const _data = {
    conditions: [
        [c, [g]],
        [c, j],
        ["aws.partition", j, d],
        [e, [{ [k]: "UseFIPS" }, b]],
        [e, [{ [k]: "UseDualStack" }, b]],
        [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]],
        [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]],
        ["stringEquals", [{ fn: f, argv: [h, "name"] }, "aws-us-gov"]]
    ],
    results: [
        [a],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [g, i],
        ["https://oidc-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://oidc.{Region}.amazonaws.com", i],
        ["https://oidc-fips.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        ["https://oidc.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        ["https://oidc.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 13, 3,
    1, 4, r + 12,
    2, 5, r + 12,
    3, 8, 6,
    4, 7, r + 11,
    5, r + 9, r + 10,
    4, 11, 9,
    6, 10, r + 8,
    7, r + 6, r + 7,
    5, 12, r + 5,
    6, r + 4, r + 5,
    3, r + 1, 14,
    4, r + 2, r + 3,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "Region", "UseDualStack", "UseFIPS"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

class SSOOIDCServiceException extends ServiceException {
    static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.ssooidc#SSOOIDCServiceException";
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, SSOOIDCServiceException.prototype);
    }
}

class AccessDeniedException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#AccessDeniedException";
    name = "AccessDeniedException";
    $fault = "client";
    error;
    reason;
    error_description;
    constructor(opts) {
        super({
            name: "AccessDeniedException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, AccessDeniedException.prototype);
        this.error = opts.error;
        this.reason = opts.reason;
        this.error_description = opts.error_description;
    }
}
class AuthorizationPendingException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#AuthorizationPendingException";
    name = "AuthorizationPendingException";
    $fault = "client";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "AuthorizationPendingException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, AuthorizationPendingException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}
class ExpiredTokenException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#ExpiredTokenException";
    name = "ExpiredTokenException";
    $fault = "client";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "ExpiredTokenException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ExpiredTokenException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}
class InternalServerException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#InternalServerException";
    name = "InternalServerException";
    $fault = "server";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "InternalServerException",
            $fault: "server",
            ...opts,
        });
        Object.setPrototypeOf(this, InternalServerException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}
class InvalidClientException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#InvalidClientException";
    name = "InvalidClientException";
    $fault = "client";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "InvalidClientException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidClientException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}
class InvalidGrantException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#InvalidGrantException";
    name = "InvalidGrantException";
    $fault = "client";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "InvalidGrantException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidGrantException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}
class InvalidRequestException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#InvalidRequestException";
    name = "InvalidRequestException";
    $fault = "client";
    error;
    reason;
    error_description;
    constructor(opts) {
        super({
            name: "InvalidRequestException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidRequestException.prototype);
        this.error = opts.error;
        this.reason = opts.reason;
        this.error_description = opts.error_description;
    }
}
class InvalidScopeException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#InvalidScopeException";
    name = "InvalidScopeException";
    $fault = "client";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "InvalidScopeException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidScopeException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}
class SlowDownException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#SlowDownException";
    name = "SlowDownException";
    $fault = "client";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "SlowDownException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SlowDownException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}
class UnauthorizedClientException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#UnauthorizedClientException";
    name = "UnauthorizedClientException";
    $fault = "client";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "UnauthorizedClientException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, UnauthorizedClientException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}
class UnsupportedGrantTypeException extends SSOOIDCServiceException {
    static shapeId = "com.amazonaws.ssooidc#UnsupportedGrantTypeException";
    name = "UnsupportedGrantTypeException";
    $fault = "client";
    error;
    error_description;
    constructor(opts) {
        super({
            name: "UnsupportedGrantTypeException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, UnsupportedGrantTypeException.prototype);
        this.error = opts.error;
        this.error_description = opts.error_description;
    }
}

const _ADE = "AccessDeniedException";
const _APE = "AuthorizationPendingException";
const _AT = "AccessToken";
const _CS = "ClientSecret";
const _CT = "CreateToken";
const _CTR = "CreateTokenRequest";
const _CTRr = "CreateTokenResponse";
const _CV = "CodeVerifier";
const _ETE = "ExpiredTokenException";
const _ICE = "InvalidClientException";
const _IGE = "InvalidGrantException";
const _IRE = "InvalidRequestException";
const _ISE = "InternalServerException";
const _ISEn = "InvalidScopeException";
const _IT = "IdToken";
const _RT = "RefreshToken";
const _SDE = "SlowDownException";
const _UCE = "UnauthorizedClientException";
const _UGTE = "UnsupportedGrantTypeException";
const _aT = "accessToken";
const _c = "client";
const _cI = "clientId";
const _cS = "clientSecret";
const _cV = "codeVerifier";
const _co = "code";
const _dC = "deviceCode";
const _e = "error";
const _eI = "expiresIn";
const _ed = "error_description";
const _gT = "grantType";
const _h = "http";
const _hE = "httpError";
const _iT = "idToken";
const _r = "reason";
const _rT = "refreshToken";
const _rU = "redirectUri";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.ssooidc";
const _sc = "scope";
const _se = "server";
const _tT = "tokenType";
const n0 = "com.amazonaws.ssooidc";
const _s_registry = new TypeRegistry(_s);
var SSOOIDCServiceException$ = [-3, _s, "SSOOIDCServiceException", 0, [], []];
_s_registry.registerError(SSOOIDCServiceException$, SSOOIDCServiceException);
const n0_registry = new TypeRegistry(n0);
var AccessDeniedException$ = [-3, n0, _ADE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _r, _ed],
    [0, 0, 0]
];
n0_registry.registerError(AccessDeniedException$, AccessDeniedException);
var AuthorizationPendingException$ = [-3, n0, _APE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(AuthorizationPendingException$, AuthorizationPendingException);
var ExpiredTokenException$ = [-3, n0, _ETE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(ExpiredTokenException$, ExpiredTokenException);
var InternalServerException$ = [-3, n0, _ISE,
    { [_e]: _se, [_hE]: 500 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(InternalServerException$, InternalServerException);
var InvalidClientException$ = [-3, n0, _ICE,
    { [_e]: _c, [_hE]: 401 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(InvalidClientException$, InvalidClientException);
var InvalidGrantException$ = [-3, n0, _IGE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(InvalidGrantException$, InvalidGrantException);
var InvalidRequestException$ = [-3, n0, _IRE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _r, _ed],
    [0, 0, 0]
];
n0_registry.registerError(InvalidRequestException$, InvalidRequestException);
var InvalidScopeException$ = [-3, n0, _ISEn,
    { [_e]: _c, [_hE]: 400 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(InvalidScopeException$, InvalidScopeException);
var SlowDownException$ = [-3, n0, _SDE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(SlowDownException$, SlowDownException);
var UnauthorizedClientException$ = [-3, n0, _UCE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(UnauthorizedClientException$, UnauthorizedClientException);
var UnsupportedGrantTypeException$ = [-3, n0, _UGTE,
    { [_e]: _c, [_hE]: 400 },
    [_e, _ed],
    [0, 0]
];
n0_registry.registerError(UnsupportedGrantTypeException$, UnsupportedGrantTypeException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var AccessToken = [0, n0, _AT, 8, 0];
var ClientSecret = [0, n0, _CS, 8, 0];
var CodeVerifier = [0, n0, _CV, 8, 0];
var IdToken = [0, n0, _IT, 8, 0];
var RefreshToken = [0, n0, _RT, 8, 0];
var CreateTokenRequest$ = [3, n0, _CTR,
    0,
    [_cI, _cS, _gT, _dC, _co, _rT, _sc, _rU, _cV],
    [0, [() => ClientSecret, 0], 0, 0, 0, [() => RefreshToken, 0], 64 | 0, 0, [() => CodeVerifier, 0]], 3
];
var CreateTokenResponse$ = [3, n0, _CTRr,
    0,
    [_aT, _tT, _eI, _rT, _iT],
    [[() => AccessToken, 0], 0, 1, [() => RefreshToken, 0], [() => IdToken, 0]]
];
var CreateToken$ = [9, n0, _CT,
    { [_h]: ["POST", "/token", 200] }, () => CreateTokenRequest$, () => CreateTokenResponse$
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2019-06-10",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultSSOOIDCHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
            {
                schemeId: "smithy.api#noAuth",
                identityProvider: (ipc) => ipc.getIdentityProvider("smithy.api#noAuth") || (async () => ({})),
                signer: new NoAuthSigner(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsRestJsonProtocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.ssooidc",
            errorTypeRegistries,
            version: "2019-06-10",
            serviceTarget: "AWSSSOOIDCService",
        },
        serviceId: config?.serviceId ?? "SSO OIDC",
        sha256: config?.sha256 ?? Sha256,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 300_000),
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class SSOOIDCClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultSSOOIDCHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "AWSSSOOIDCService", "SSOOIDCClient", getEndpointPlugin);
const _ep0 = {};
const _mw0 = (Command, cs, config, o) => [];

class CreateTokenCommand extends command(_ep0, _mw0, "CreateToken", CreateToken$) {
}

const commands = {
    CreateTokenCommand,
};
class SSOOIDC extends SSOOIDCClient {
}
createAggregatedClient(commands, SSOOIDC);

const AccessDeniedExceptionReason = {
    KMS_ACCESS_DENIED: "KMS_AccessDeniedException",
};
const InvalidRequestExceptionReason = {
    KMS_DISABLED_KEY: "KMS_DisabledException",
    KMS_INVALID_KEY_USAGE: "KMS_InvalidKeyUsageException",
    KMS_INVALID_STATE: "KMS_InvalidStateException",
    KMS_KEY_NOT_FOUND: "KMS_NotFoundException",
};

exports.AccessDeniedException = AccessDeniedException;
exports.AccessDeniedException$ = AccessDeniedException$;
exports.AccessDeniedExceptionReason = AccessDeniedExceptionReason;
exports.AuthorizationPendingException = AuthorizationPendingException;
exports.AuthorizationPendingException$ = AuthorizationPendingException$;
exports.CreateToken$ = CreateToken$;
exports.CreateTokenCommand = CreateTokenCommand;
exports.CreateTokenRequest$ = CreateTokenRequest$;
exports.CreateTokenResponse$ = CreateTokenResponse$;
exports.ExpiredTokenException = ExpiredTokenException;
exports.ExpiredTokenException$ = ExpiredTokenException$;
exports.InternalServerException = InternalServerException;
exports.InternalServerException$ = InternalServerException$;
exports.InvalidClientException = InvalidClientException;
exports.InvalidClientException$ = InvalidClientException$;
exports.InvalidGrantException = InvalidGrantException;
exports.InvalidGrantException$ = InvalidGrantException$;
exports.InvalidRequestException = InvalidRequestException;
exports.InvalidRequestException$ = InvalidRequestException$;
exports.InvalidRequestExceptionReason = InvalidRequestExceptionReason;
exports.InvalidScopeException = InvalidScopeException;
exports.InvalidScopeException$ = InvalidScopeException$;
exports.SSOOIDC = SSOOIDC;
exports.SSOOIDCClient = SSOOIDCClient;
exports.SSOOIDCServiceException = SSOOIDCServiceException;
exports.SSOOIDCServiceException$ = SSOOIDCServiceException$;
exports.SlowDownException = SlowDownException;
exports.SlowDownException$ = SlowDownException$;
exports.UnauthorizedClientException = UnauthorizedClientException;
exports.UnauthorizedClientException$ = UnauthorizedClientException$;
exports.UnsupportedGrantTypeException = UnsupportedGrantTypeException;
exports.UnsupportedGrantTypeException$ = UnsupportedGrantTypeException$;
exports.errorTypeRegistries = errorTypeRegistries;


/***/ }),

/***/ 32579:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, getDefaultSocketTimeout, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin } = __webpack_require__(5152);
const { NoAuthSigner, getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin } = __webpack_require__(90402);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createAggregatedClient } = __webpack_require__(92658);
const { Command: $Command } = __webpack_require__(92658);
exports.$Command = $Command;
exports.__Client = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(47291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(62085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(93422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getRetryPlugin } = __webpack_require__(23609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(26890);
const { resolveAwsSdkSigV4Config, AwsSdkSigV4Signer, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(97523);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(92430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(61279);
const { AwsRestJsonProtocol } = __webpack_require__(37288);
const { Sha256 } = __webpack_require__(99542);

const defaultSSOHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "awsssoportal",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
function createSmithyApiNoAuthHttpAuthOption(authParameters) {
    return {
        schemeId: "smithy.api#noAuth",
    };
}
const defaultSSOHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        case "GetRoleCredentials":
            {
                options.push(createSmithyApiNoAuthHttpAuthOption());
                break;
            }
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
        }
    }
    return options;
};
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    return Object.assign(config_0, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        defaultSigningName: "awsssoportal",
    });
};
const commonParams = {
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.998.2";
var packageInfo = {
	version: version};

const k = "ref";
const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = { [k]: "Endpoint" }, h = { [k]: d }, i = {}, j = [{ [k]: "Region" }];
const _data = {
    conditions: [
        [c, [g]],
        [c, j],
        ["aws.partition", j, d],
        [e, [{ [k]: "UseFIPS" }, b]],
        [e, [{ [k]: "UseDualStack" }, b]],
        [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]],
        [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]],
        ["stringEquals", [{ fn: f, argv: [h, "name"] }, "aws-us-gov"]]
    ],
    results: [
        [a],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [g, i],
        ["https://portal.sso-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://portal.sso.{Region}.amazonaws.com", i],
        ["https://portal.sso-fips.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        ["https://portal.sso.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        ["https://portal.sso.{Region}.{PartitionResult#dnsSuffix}", i],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 13, 3,
    1, 4, r + 12,
    2, 5, r + 12,
    3, 8, 6,
    4, 7, r + 11,
    5, r + 9, r + 10,
    4, 11, 9,
    6, 10, r + 8,
    7, r + 6, r + 7,
    5, 12, r + 5,
    6, r + 4, r + 5,
    3, r + 1, 14,
    4, r + 2, r + 3,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "Region", "UseDualStack", "UseFIPS"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

class SSOServiceException extends ServiceException {
    static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.sso#SSOServiceException";
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, SSOServiceException.prototype);
    }
}

class InvalidRequestException extends SSOServiceException {
    static shapeId = "com.amazonaws.sso#InvalidRequestException";
    name = "InvalidRequestException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidRequestException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidRequestException.prototype);
    }
}
class ResourceNotFoundException extends SSOServiceException {
    static shapeId = "com.amazonaws.sso#ResourceNotFoundException";
    name = "ResourceNotFoundException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ResourceNotFoundException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceNotFoundException.prototype);
    }
}
class TooManyRequestsException extends SSOServiceException {
    static shapeId = "com.amazonaws.sso#TooManyRequestsException";
    name = "TooManyRequestsException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "TooManyRequestsException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TooManyRequestsException.prototype);
    }
}
class UnauthorizedException extends SSOServiceException {
    static shapeId = "com.amazonaws.sso#UnauthorizedException";
    name = "UnauthorizedException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "UnauthorizedException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, UnauthorizedException.prototype);
    }
}

const _ATT = "AccessTokenType";
const _GRC = "GetRoleCredentials";
const _GRCR = "GetRoleCredentialsRequest";
const _GRCRe = "GetRoleCredentialsResponse";
const _IRE = "InvalidRequestException";
const _RC = "RoleCredentials";
const _RNFE = "ResourceNotFoundException";
const _SAKT = "SecretAccessKeyType";
const _STT = "SessionTokenType";
const _TMRE = "TooManyRequestsException";
const _UE = "UnauthorizedException";
const _aI = "accountId";
const _aKI = "accessKeyId";
const _aT = "accessToken";
const _ai = "account_id";
const _c = "client";
const _e = "error";
const _ex = "expiration";
const _h = "http";
const _hE = "httpError";
const _hH = "httpHeader";
const _hQ = "httpQuery";
const _m = "message";
const _rC = "roleCredentials";
const _rN = "roleName";
const _rn = "role_name";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.sso";
const _sAK = "secretAccessKey";
const _sT = "sessionToken";
const _xasbt = "x-amz-sso_bearer_token";
const n0 = "com.amazonaws.sso";
const _s_registry = new TypeRegistry(_s);
var SSOServiceException$ = [-3, _s, "SSOServiceException", 0, [], []];
_s_registry.registerError(SSOServiceException$, SSOServiceException);
const n0_registry = new TypeRegistry(n0);
var InvalidRequestException$ = [-3, n0, _IRE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidRequestException$, InvalidRequestException);
var ResourceNotFoundException$ = [-3, n0, _RNFE,
    { [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(ResourceNotFoundException$, ResourceNotFoundException);
var TooManyRequestsException$ = [-3, n0, _TMRE,
    { [_e]: _c, [_hE]: 429 },
    [_m],
    [0]
];
n0_registry.registerError(TooManyRequestsException$, TooManyRequestsException);
var UnauthorizedException$ = [-3, n0, _UE,
    { [_e]: _c, [_hE]: 401 },
    [_m],
    [0]
];
n0_registry.registerError(UnauthorizedException$, UnauthorizedException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var AccessTokenType = [0, n0, _ATT, 8, 0];
var SecretAccessKeyType = [0, n0, _SAKT, 8, 0];
var SessionTokenType = [0, n0, _STT, 8, 0];
var GetRoleCredentialsRequest$ = [3, n0, _GRCR,
    0,
    [_rN, _aI, _aT],
    [[0, { [_hQ]: _rn }], [0, { [_hQ]: _ai }], [() => AccessTokenType, { [_hH]: _xasbt }]], 3
];
var GetRoleCredentialsResponse$ = [3, n0, _GRCRe,
    0,
    [_rC],
    [[() => RoleCredentials$, 0]]
];
var RoleCredentials$ = [3, n0, _RC,
    0,
    [_aKI, _sAK, _sT, _ex],
    [0, [() => SecretAccessKeyType, 0], [() => SessionTokenType, 0], 1]
];
var GetRoleCredentials$ = [9, n0, _GRC,
    { [_h]: ["GET", "/federation/credentials", 200] }, () => GetRoleCredentialsRequest$, () => GetRoleCredentialsResponse$
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2019-06-10",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultSSOHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
            {
                schemeId: "smithy.api#noAuth",
                identityProvider: (ipc) => ipc.getIdentityProvider("smithy.api#noAuth") || (async () => ({})),
                signer: new NoAuthSigner(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsRestJsonProtocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.sso",
            errorTypeRegistries,
            version: "2019-06-10",
            serviceTarget: "SWBPortalService",
        },
        serviceId: config?.serviceId ?? "SSO",
        sha256: config?.sha256 ?? Sha256,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 300_000),
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class SSOClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultSSOHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "SWBPortalService", "SSOClient", getEndpointPlugin);
const _ep0 = {};
const _mw0 = (Command, cs, config, o) => [];

class GetRoleCredentialsCommand extends command(_ep0, _mw0, "GetRoleCredentials", GetRoleCredentials$) {
}

const commands = {
    GetRoleCredentialsCommand,
};
class SSO extends SSOClient {
}
createAggregatedClient(commands, SSO);

exports.GetRoleCredentials$ = GetRoleCredentials$;
exports.GetRoleCredentialsCommand = GetRoleCredentialsCommand;
exports.GetRoleCredentialsRequest$ = GetRoleCredentialsRequest$;
exports.GetRoleCredentialsResponse$ = GetRoleCredentialsResponse$;
exports.InvalidRequestException = InvalidRequestException;
exports.InvalidRequestException$ = InvalidRequestException$;
exports.ResourceNotFoundException = ResourceNotFoundException;
exports.ResourceNotFoundException$ = ResourceNotFoundException$;
exports.RoleCredentials$ = RoleCredentials$;
exports.SSO = SSO;
exports.SSOClient = SSOClient;
exports.SSOServiceException = SSOServiceException;
exports.SSOServiceException$ = SSOServiceException$;
exports.TooManyRequestsException = TooManyRequestsException;
exports.TooManyRequestsException$ = TooManyRequestsException$;
exports.UnauthorizedException = UnauthorizedException;
exports.UnauthorizedException$ = UnauthorizedException$;
exports.errorTypeRegistries = errorTypeRegistries;


/***/ }),

/***/ 1136:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, getDefaultSocketTimeout, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin, setCredentialFeature, stsRegionDefaultResolver } = __webpack_require__(5152);
const { NoAuthSigner, getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin } = __webpack_require__(90402);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createAggregatedClient } = __webpack_require__(92658);
const { Command: $Command } = __webpack_require__(92658);
exports.$Command = $Command;
exports.__Client = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(47291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveParams, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(62085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(93422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getRetryPlugin } = __webpack_require__(23609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(26890);
const { resolveAwsSdkSigV4Config, resolveAwsSdkSigV4AConfig, AwsSdkSigV4Signer, AwsSdkSigV4ASigner, NODE_SIGV4A_CONFIG_OPTIONS, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(97523);
const { SignatureV4MultiRegion } = __webpack_require__(5785);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(92430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(61279);
const { AwsQueryProtocol } = __webpack_require__(37288);
const { Sha256 } = __webpack_require__(99542);

const q = "ref";
const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "stringEquals", g = "getAttr", h = "us-east-1", i = "sigv4", j = "sts", k = "https://sts.{Region}.{PartitionResult#dnsSuffix}", l = { [q]: "Endpoint" }, m = { [q]: "Region" }, n = { [q]: d }, o = {}, p = [m];
const _data = {
    conditions: [
        [c, [l]],
        [c, p],
        ["aws.partition", p, d],
        [e, [{ [q]: "UseFIPS" }, b]],
        [e, [{ [q]: "UseDualStack" }, b]],
        [f, [m, "aws-global"]],
        [e, [{ [q]: "UseGlobalEndpoint" }, b]],
        [f, [m, "eu-central-1"]],
        [e, [{ fn: g, argv: [n, "supportsDualStack"] }, b]],
        [e, [{ fn: g, argv: [n, "supportsFIPS"] }, b]],
        [f, [m, "ap-south-1"]],
        [f, [m, "eu-north-1"]],
        [f, [m, "eu-west-1"]],
        [f, [m, "eu-west-2"]],
        [f, [m, "eu-west-3"]],
        [f, [m, "sa-east-1"]],
        [f, [m, h]],
        [f, [m, "us-east-2"]],
        [f, [m, "us-west-2"]],
        [f, [m, "us-west-1"]],
        [f, [m, "ca-central-1"]],
        [f, [m, "ap-southeast-1"]],
        [f, [m, "ap-northeast-1"]],
        [f, [m, "ap-southeast-2"]],
        [f, [{ fn: g, argv: [n, "name"] }, "aws-us-gov"]]
    ],
    results: [
        [a],
        ["https://sts.amazonaws.com", { authSchemes: [{ name: i, signingName: j, signingRegion: h }] }],
        [k, { authSchemes: [{ name: i, signingName: j, signingRegion: "{Region}" }] }],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [l, o],
        ["https://sts-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", o],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://sts.{Region}.amazonaws.com", o],
        ["https://sts-fips.{Region}.{PartitionResult#dnsSuffix}", o],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        ["https://sts.{Region}.{PartitionResult#dualStackDnsSuffix}", o],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        [k, o],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 30, 3,
    1, 4, r + 14,
    2, 5, r + 14,
    3, 25, 6,
    4, 24, 7,
    5, r + 1, 8,
    6, 9, r + 13,
    7, r + 1, 10,
    10, r + 1, 11,
    11, r + 1, 12,
    12, r + 1, 13,
    13, r + 1, 14,
    14, r + 1, 15,
    15, r + 1, 16,
    16, r + 1, 17,
    17, r + 1, 18,
    18, r + 1, 19,
    19, r + 1, 20,
    20, r + 1, 21,
    21, r + 1, 22,
    22, r + 1, 23,
    23, r + 1, r + 2,
    8, r + 11, r + 12,
    4, 28, 26,
    9, 27, r + 10,
    24, r + 8, r + 9,
    8, 29, r + 7,
    9, r + 6, r + 7,
    3, r + 3, 31,
    4, r + 4, r + 5,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "Region", "UseDualStack", "UseFIPS", "UseGlobalEndpoint"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

const createEndpointRuleSetHttpAuthSchemeParametersProvider = (defaultHttpAuthSchemeParametersProvider) => async (config, context, input) => {
    if (!input) {
        throw new Error("Could not find `input` for `defaultEndpointRuleSetHttpAuthSchemeParametersProvider`");
    }
    const defaultParameters = await defaultHttpAuthSchemeParametersProvider(config, context, input);
    const instructionsFn = getSmithyContext(context)?.commandInstance?.constructor
        ?.getEndpointParameterInstructions;
    if (!instructionsFn) {
        throw new Error(`getEndpointParameterInstructions() is not defined on '${context.commandName}'`);
    }
    const endpointParameters = await resolveParams(input, { getEndpointParameterInstructions: instructionsFn }, config);
    return Object.assign(defaultParameters, endpointParameters);
};
const _defaultSTSHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
const defaultSTSHttpAuthSchemeParametersProvider = createEndpointRuleSetHttpAuthSchemeParametersProvider(_defaultSTSHttpAuthSchemeParametersProvider);
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "sts",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
function createAwsAuthSigv4aHttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4a",
        signingProperties: {
            name: "sts",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
function createSmithyApiNoAuthHttpAuthOption(authParameters) {
    return {
        schemeId: "smithy.api#noAuth",
    };
}
const createEndpointRuleSetHttpAuthSchemeProvider = (defaultEndpointResolver, defaultHttpAuthSchemeResolver, createHttpAuthOptionFunctions) => {
    const endpointRuleSetHttpAuthSchemeProvider = (authParameters) => {
        const endpoint = defaultEndpointResolver(authParameters);
        const authSchemes = endpoint.properties?.authSchemes;
        if (!authSchemes) {
            return defaultHttpAuthSchemeResolver(authParameters);
        }
        const options = [];
        for (const scheme of authSchemes) {
            const { name: resolvedName, properties = {}, ...rest } = scheme;
            const name = resolvedName.toLowerCase();
            if (resolvedName !== name) {
                console.warn(`HttpAuthScheme has been normalized with lowercasing: '${resolvedName}' to '${name}'`);
            }
            let schemeId;
            if (name === "sigv4a") {
                schemeId = "aws.auth#sigv4a";
                const sigv4Present = authSchemes.find((s) => {
                    const name = s.name.toLowerCase();
                    return name !== "sigv4a" && name.startsWith("sigv4");
                });
                if (SignatureV4MultiRegion.sigv4aDependency() === "none" && sigv4Present) {
                    continue;
                }
            }
            else if (name.startsWith("sigv4")) {
                schemeId = "aws.auth#sigv4";
            }
            else {
                throw new Error(`Unknown HttpAuthScheme found in '@smithy.rules#endpointRuleSet': '${name}'`);
            }
            const createOption = createHttpAuthOptionFunctions[schemeId];
            if (!createOption) {
                throw new Error(`Could not find HttpAuthOption create function for '${schemeId}'`);
            }
            const option = createOption(authParameters);
            option.schemeId = schemeId;
            option.signingProperties = { ...(option.signingProperties || {}), ...rest, ...properties };
            options.push(option);
        }
        return options;
    };
    return endpointRuleSetHttpAuthSchemeProvider;
};
const _defaultSTSHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        case "AssumeRoleWithWebIdentity": {
            options.push(createSmithyApiNoAuthHttpAuthOption());
            options.push(createAwsAuthSigv4aHttpAuthOption(authParameters));
            break;
        }
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
            options.push(createAwsAuthSigv4aHttpAuthOption(authParameters));
        }
    }
    return options;
};
const defaultSTSHttpAuthSchemeProvider = createEndpointRuleSetHttpAuthSchemeProvider(defaultEndpointResolver, _defaultSTSHttpAuthSchemeProvider, {
    "aws.auth#sigv4": createAwsAuthSigv4HttpAuthOption,
    "aws.auth#sigv4a": createAwsAuthSigv4aHttpAuthOption,
    "smithy.api#noAuth": createSmithyApiNoAuthHttpAuthOption,
});
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    const config_1 = resolveAwsSdkSigV4AConfig(config_0);
    return Object.assign(config_1, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        useGlobalEndpoint: options.useGlobalEndpoint ?? false,
        defaultSigningName: "sts",
    });
};
const commonParams = {
    UseGlobalEndpoint: { type: "builtInParams", name: "useGlobalEndpoint" },
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.998.2";
var packageInfo = {
	version: version};

class STSServiceException extends ServiceException {
    static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.sts#STSServiceException";
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, STSServiceException.prototype);
    }
}

class ExpiredTokenException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#ExpiredTokenException";
    name = "ExpiredTokenException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ExpiredTokenException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ExpiredTokenException.prototype);
    }
}
class MalformedPolicyDocumentException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#MalformedPolicyDocumentException";
    name = "MalformedPolicyDocumentException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MalformedPolicyDocumentException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MalformedPolicyDocumentException.prototype);
    }
}
class PackedPolicyTooLargeException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#PackedPolicyTooLargeException";
    name = "PackedPolicyTooLargeException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "PackedPolicyTooLargeException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, PackedPolicyTooLargeException.prototype);
    }
}
class RegionDisabledException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#RegionDisabledException";
    name = "RegionDisabledException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "RegionDisabledException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, RegionDisabledException.prototype);
    }
}
class IDPRejectedClaimException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#IDPRejectedClaimException";
    name = "IDPRejectedClaimException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IDPRejectedClaimException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IDPRejectedClaimException.prototype);
    }
}
class InvalidIdentityTokenException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#InvalidIdentityTokenException";
    name = "InvalidIdentityTokenException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidIdentityTokenException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidIdentityTokenException.prototype);
    }
}
class IDPCommunicationErrorException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#IDPCommunicationErrorException";
    name = "IDPCommunicationErrorException";
    $fault = "client";
    $retryable = {};
    constructor(opts) {
        super({
            name: "IDPCommunicationErrorException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IDPCommunicationErrorException.prototype);
    }
}

const _A = "Arn";
const _AKI = "AccessKeyId";
const _AR = "AssumeRole";
const _ARI = "AssumedRoleId";
const _ARR = "AssumeRoleRequest";
const _ARRs = "AssumeRoleResponse";
const _ARU = "AssumedRoleUser";
const _ARWWI = "AssumeRoleWithWebIdentity";
const _ARWWIR = "AssumeRoleWithWebIdentityRequest";
const _ARWWIRs = "AssumeRoleWithWebIdentityResponse";
const _Au = "Audience";
const _C = "Credentials";
const _CA = "ContextAssertion";
const _DS = "DurationSeconds";
const _E = "Expiration";
const _EI = "ExternalId";
const _ETE = "ExpiredTokenException";
const _IDPCEE = "IDPCommunicationErrorException";
const _IDPRCE = "IDPRejectedClaimException";
const _IITE = "InvalidIdentityTokenException";
const _K = "Key";
const _MPDE = "MalformedPolicyDocumentException";
const _MSTS = "MinimumSessionTokenSize";
const _P = "Policy";
const _PA = "PolicyArns";
const _PAr = "ProviderArn";
const _PC = "ProvidedContexts";
const _PCLT = "ProvidedContextsListType";
const _PCr = "ProvidedContext";
const _PDT = "PolicyDescriptorType";
const _PI = "ProviderId";
const _PPS = "PackedPolicySize";
const _PPTLE = "PackedPolicyTooLargeException";
const _Pr = "Provider";
const _RA = "RoleArn";
const _RDE = "RegionDisabledException";
const _RSN = "RoleSessionName";
const _SAK = "SecretAccessKey";
const _SFWIT = "SubjectFromWebIdentityToken";
const _SI = "SourceIdentity";
const _SN = "SerialNumber";
const _ST = "SessionToken";
const _STS = "SessionTokenSize";
const _STU = "SessionTokenUtilization";
const _T = "Tags";
const _TC = "TokenCode";
const _TTK = "TransitiveTagKeys";
const _Ta = "Tag";
const _V = "Value";
const _WIT = "WebIdentityToken";
const _a = "arn";
const _aKST = "accessKeySecretType";
const _aQE = "awsQueryError";
const _c = "client";
const _cTT = "clientTokenType";
const _e = "error";
const _hE = "httpError";
const _m = "message";
const _pDLT = "policyDescriptorListType";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.sts";
const _tLT = "tagListType";
const n0 = "com.amazonaws.sts";
const _s_registry = new TypeRegistry(_s);
var STSServiceException$ = [-3, _s, "STSServiceException", 0, [], []];
_s_registry.registerError(STSServiceException$, STSServiceException);
const n0_registry = new TypeRegistry(n0);
var ExpiredTokenException$ = [-3, n0, _ETE,
    { [_aQE]: [`ExpiredTokenException`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ExpiredTokenException$, ExpiredTokenException);
var IDPCommunicationErrorException$ = [-3, n0, _IDPCEE,
    { [_aQE]: [`IDPCommunicationError`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(IDPCommunicationErrorException$, IDPCommunicationErrorException);
var IDPRejectedClaimException$ = [-3, n0, _IDPRCE,
    { [_aQE]: [`IDPRejectedClaim`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(IDPRejectedClaimException$, IDPRejectedClaimException);
var InvalidIdentityTokenException$ = [-3, n0, _IITE,
    { [_aQE]: [`InvalidIdentityToken`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidIdentityTokenException$, InvalidIdentityTokenException);
var MalformedPolicyDocumentException$ = [-3, n0, _MPDE,
    { [_aQE]: [`MalformedPolicyDocument`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(MalformedPolicyDocumentException$, MalformedPolicyDocumentException);
var PackedPolicyTooLargeException$ = [-3, n0, _PPTLE,
    { [_aQE]: [`PackedPolicyTooLarge`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(PackedPolicyTooLargeException$, PackedPolicyTooLargeException);
var RegionDisabledException$ = [-3, n0, _RDE,
    { [_aQE]: [`RegionDisabledException`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(RegionDisabledException$, RegionDisabledException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var accessKeySecretType = [0, n0, _aKST, 8, 0];
var clientTokenType = [0, n0, _cTT, 8, 0];
var AssumedRoleUser$ = [3, n0, _ARU,
    0,
    [_ARI, _A],
    [0, 0], 2
];
var AssumeRoleRequest$ = [3, n0, _ARR,
    0,
    [_RA, _RSN, _PA, _P, _DS, _T, _TTK, _EI, _SN, _TC, _SI, _PC, _MSTS],
    [0, 0, () => policyDescriptorListType, 0, 1, () => tagListType, 64 | 0, 0, 0, 0, 0, () => ProvidedContextsListType, 1], 2
];
var AssumeRoleResponse$ = [3, n0, _ARRs,
    0,
    [_C, _ARU, _PPS, _SI, _STU, _STS],
    [[() => Credentials$, 0], () => AssumedRoleUser$, 1, 0, 1, 1]
];
var AssumeRoleWithWebIdentityRequest$ = [3, n0, _ARWWIR,
    0,
    [_RA, _RSN, _WIT, _PI, _PA, _P, _DS, _MSTS],
    [0, 0, [() => clientTokenType, 0], 0, () => policyDescriptorListType, 0, 1, 1], 3
];
var AssumeRoleWithWebIdentityResponse$ = [3, n0, _ARWWIRs,
    0,
    [_C, _SFWIT, _ARU, _PPS, _Pr, _Au, _SI, _STU, _STS],
    [[() => Credentials$, 0], 0, () => AssumedRoleUser$, 1, 0, 0, 0, 1, 1]
];
var Credentials$ = [3, n0, _C,
    0,
    [_AKI, _SAK, _ST, _E],
    [0, [() => accessKeySecretType, 0], 0, 4], 4
];
var PolicyDescriptorType$ = [3, n0, _PDT,
    0,
    [_a],
    [0]
];
var ProvidedContext$ = [3, n0, _PCr,
    0,
    [_PAr, _CA],
    [0, 0]
];
var Tag$ = [3, n0, _Ta,
    0,
    [_K, _V],
    [0, 0], 2
];
var policyDescriptorListType = [1, n0, _pDLT,
    0, () => PolicyDescriptorType$
];
var ProvidedContextsListType = [1, n0, _PCLT,
    0, () => ProvidedContext$
];
var tagListType = [1, n0, _tLT,
    0, () => Tag$
];
var AssumeRole$ = [9, n0, _AR,
    0, () => AssumeRoleRequest$, () => AssumeRoleResponse$
];
var AssumeRoleWithWebIdentity$ = [9, n0, _ARWWI,
    0, () => AssumeRoleWithWebIdentityRequest$, () => AssumeRoleWithWebIdentityResponse$
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2011-06-15",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultSTSHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
            {
                schemeId: "aws.auth#sigv4a",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4a"),
                signer: new AwsSdkSigV4ASigner(),
            },
            {
                schemeId: "smithy.api#noAuth",
                identityProvider: (ipc) => ipc.getIdentityProvider("smithy.api#noAuth") || (async () => ({})),
                signer: new NoAuthSigner(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsQueryProtocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.sts",
            errorTypeRegistries,
            xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
            version: "2011-06-15",
            serviceTarget: "AWSSecurityTokenServiceV20110615",
        },
        serviceId: config?.serviceId ?? "STS",
        sha256: config?.sha256 ?? Sha256,
        signerConstructor: config?.signerConstructor ?? SignatureV4MultiRegion,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 300_000),
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4") || (async (idProps) => await config.credentialDefaultProvider(idProps?.__config || {})()),
                signer: new AwsSdkSigV4Signer(),
            },
            {
                schemeId: "aws.auth#sigv4a",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4a"),
                signer: new AwsSdkSigV4ASigner(),
            },
            {
                schemeId: "smithy.api#noAuth",
                identityProvider: (ipc) => ipc.getIdentityProvider("smithy.api#noAuth") || (async () => ({})),
                signer: new NoAuthSigner(),
            },
        ],
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        sigv4aSigningRegionSet: config?.sigv4aSigningRegionSet ?? loadConfig(NODE_SIGV4A_CONFIG_OPTIONS, loaderConfig),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class STSClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultSTSHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
                "aws.auth#sigv4a": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "AWSSecurityTokenServiceV20110615", "STSClient", getEndpointPlugin);
const _ep0 = {};
const _mw0 = (Command, cs, config, o) => [];

class AssumeRoleCommand extends command(_ep0, _mw0, "AssumeRole", AssumeRole$) {
}

class AssumeRoleWithWebIdentityCommand extends command(_ep0, _mw0, "AssumeRoleWithWebIdentity", AssumeRoleWithWebIdentity$) {
}

const commands = {
    AssumeRoleCommand,
    AssumeRoleWithWebIdentityCommand,
};
class STS extends STSClient {
}
createAggregatedClient(commands, STS);

const getAccountIdFromAssumedRoleUser = (assumedRoleUser) => {
    if (typeof assumedRoleUser?.Arn === "string") {
        const arnComponents = assumedRoleUser.Arn.split(":");
        if (arnComponents.length > 4 && arnComponents[4] !== "") {
            return arnComponents[4];
        }
    }
    return undefined;
};
const resolveRegion = async (_region, _parentRegion, credentialProviderLogger, loaderConfig = {}) => {
    const region = typeof _region === "function" ? await _region() : _region;
    const parentRegion = typeof _parentRegion === "function" ? await _parentRegion() : _parentRegion;
    let stsDefaultRegion = "";
    const resolvedRegion = region ?? parentRegion ?? (stsDefaultRegion = await stsRegionDefaultResolver(loaderConfig)());
    credentialProviderLogger?.debug?.("@aws-sdk/client-sts::resolveRegion", "accepting first of:", `${region} (credential provider clientConfig)`, `${parentRegion} (contextual client)`, `${stsDefaultRegion} (STS default: AWS_REGION, profile region, or us-east-1)`);
    return resolvedRegion;
};
const getDefaultRoleAssumer$1 = (stsOptions, STSClient) => {
    let stsClient;
    let closureSourceCreds;
    return async (sourceCreds, params) => {
        closureSourceCreds = sourceCreds;
        if (!stsClient) {
            const { logger = stsOptions?.parentClientConfig?.logger, profile = stsOptions?.parentClientConfig?.profile, region, requestHandler = stsOptions?.parentClientConfig?.requestHandler, credentialProviderLogger, userAgentAppId = stsOptions?.parentClientConfig?.userAgentAppId, } = stsOptions;
            const resolvedRegion = await resolveRegion(region, stsOptions?.parentClientConfig?.region, credentialProviderLogger, {
                logger,
                profile,
            });
            const isCompatibleRequestHandler = !isH2(requestHandler);
            stsClient = new STSClient({
                ...stsOptions,
                userAgentAppId,
                profile,
                credentialDefaultProvider: () => async () => closureSourceCreds,
                region: resolvedRegion,
                requestHandler: isCompatibleRequestHandler ? requestHandler : undefined,
                logger: logger,
            });
        }
        const { Credentials, AssumedRoleUser } = await stsClient.send(new AssumeRoleCommand(params));
        if (!Credentials || !Credentials.AccessKeyId || !Credentials.SecretAccessKey) {
            throw new Error(`Invalid response from STS.assumeRole call with role ${params.RoleArn}`);
        }
        const accountId = getAccountIdFromAssumedRoleUser(AssumedRoleUser);
        const credentials = {
            accessKeyId: Credentials.AccessKeyId,
            secretAccessKey: Credentials.SecretAccessKey,
            sessionToken: Credentials.SessionToken,
            expiration: Credentials.Expiration,
            ...(Credentials.CredentialScope && { credentialScope: Credentials.CredentialScope }),
            ...(accountId && { accountId }),
        };
        setCredentialFeature(credentials, "CREDENTIALS_STS_ASSUME_ROLE", "i");
        return credentials;
    };
};
const getDefaultRoleAssumerWithWebIdentity$1 = (stsOptions, STSClient) => {
    let stsClient;
    return async (params) => {
        if (!stsClient) {
            const { logger = stsOptions?.parentClientConfig?.logger, profile = stsOptions?.parentClientConfig?.profile, region, requestHandler = stsOptions?.parentClientConfig?.requestHandler, credentialProviderLogger, userAgentAppId = stsOptions?.parentClientConfig?.userAgentAppId, } = stsOptions;
            const resolvedRegion = await resolveRegion(region, stsOptions?.parentClientConfig?.region, credentialProviderLogger, {
                logger,
                profile,
            });
            const isCompatibleRequestHandler = !isH2(requestHandler);
            stsClient = new STSClient({
                ...stsOptions,
                userAgentAppId,
                profile,
                region: resolvedRegion,
                requestHandler: isCompatibleRequestHandler ? requestHandler : undefined,
                logger: logger,
            });
        }
        const { Credentials, AssumedRoleUser } = await stsClient.send(new AssumeRoleWithWebIdentityCommand(params));
        if (!Credentials || !Credentials.AccessKeyId || !Credentials.SecretAccessKey) {
            throw new Error(`Invalid response from STS.assumeRoleWithWebIdentity call with role ${params.RoleArn}`);
        }
        const accountId = getAccountIdFromAssumedRoleUser(AssumedRoleUser);
        const credentials = {
            accessKeyId: Credentials.AccessKeyId,
            secretAccessKey: Credentials.SecretAccessKey,
            sessionToken: Credentials.SessionToken,
            expiration: Credentials.Expiration,
            ...(Credentials.CredentialScope && { credentialScope: Credentials.CredentialScope }),
            ...(accountId && { accountId }),
        };
        if (accountId) {
            setCredentialFeature(credentials, "RESOLVED_ACCOUNT_ID", "T");
        }
        setCredentialFeature(credentials, "CREDENTIALS_STS_ASSUME_ROLE_WEB_ID", "k");
        return credentials;
    };
};
const isH2 = (requestHandler) => {
    return requestHandler?.metadata?.handlerProtocol === "h2";
};

const getCustomizableStsClientCtor = (baseCtor, customizations) => {
    if (!customizations)
        return baseCtor;
    else
        return class CustomizableSTSClient extends baseCtor {
            constructor(config) {
                super(config);
                for (const customization of customizations) {
                    this.middlewareStack.use(customization);
                }
            }
        };
};
const getDefaultRoleAssumer = (stsOptions = {}, stsPlugins) => getDefaultRoleAssumer$1(stsOptions, getCustomizableStsClientCtor(STSClient, stsPlugins));
const getDefaultRoleAssumerWithWebIdentity = (stsOptions = {}, stsPlugins) => getDefaultRoleAssumerWithWebIdentity$1(stsOptions, getCustomizableStsClientCtor(STSClient, stsPlugins));
const decorateDefaultCredentialProvider = (provider) => (input) => provider({
    roleAssumer: getDefaultRoleAssumer(input),
    roleAssumerWithWebIdentity: getDefaultRoleAssumerWithWebIdentity(input),
    ...input,
});

exports.AssumeRole$ = AssumeRole$;
exports.AssumeRoleCommand = AssumeRoleCommand;
exports.AssumeRoleRequest$ = AssumeRoleRequest$;
exports.AssumeRoleResponse$ = AssumeRoleResponse$;
exports.AssumeRoleWithWebIdentity$ = AssumeRoleWithWebIdentity$;
exports.AssumeRoleWithWebIdentityCommand = AssumeRoleWithWebIdentityCommand;
exports.AssumeRoleWithWebIdentityRequest$ = AssumeRoleWithWebIdentityRequest$;
exports.AssumeRoleWithWebIdentityResponse$ = AssumeRoleWithWebIdentityResponse$;
exports.AssumedRoleUser$ = AssumedRoleUser$;
exports.Credentials$ = Credentials$;
exports.ExpiredTokenException = ExpiredTokenException;
exports.ExpiredTokenException$ = ExpiredTokenException$;
exports.IDPCommunicationErrorException = IDPCommunicationErrorException;
exports.IDPCommunicationErrorException$ = IDPCommunicationErrorException$;
exports.IDPRejectedClaimException = IDPRejectedClaimException;
exports.IDPRejectedClaimException$ = IDPRejectedClaimException$;
exports.InvalidIdentityTokenException = InvalidIdentityTokenException;
exports.InvalidIdentityTokenException$ = InvalidIdentityTokenException$;
exports.MalformedPolicyDocumentException = MalformedPolicyDocumentException;
exports.MalformedPolicyDocumentException$ = MalformedPolicyDocumentException$;
exports.PackedPolicyTooLargeException = PackedPolicyTooLargeException;
exports.PackedPolicyTooLargeException$ = PackedPolicyTooLargeException$;
exports.PolicyDescriptorType$ = PolicyDescriptorType$;
exports.ProvidedContext$ = ProvidedContext$;
exports.RegionDisabledException = RegionDisabledException;
exports.RegionDisabledException$ = RegionDisabledException$;
exports.STS = STS;
exports.STSClient = STSClient;
exports.STSServiceException = STSServiceException;
exports.STSServiceException$ = STSServiceException$;
exports.Tag$ = Tag$;
exports.decorateDefaultCredentialProvider = decorateDefaultCredentialProvider;
exports.errorTypeRegistries = errorTypeRegistries;
exports.getDefaultRoleAssumer = getDefaultRoleAssumer;
exports.getDefaultRoleAssumerWithWebIdentity = getDefaultRoleAssumerWithWebIdentity;


/***/ }),

/***/ 5785:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { SignatureV4, signatureV4aContainer } = __webpack_require__(75118);

const signatureV4CrtContainer = {
    CrtSignerV4: null,
};

const SESSION_TOKEN_QUERY_PARAM = "X-Amz-S3session-Token";
const SESSION_TOKEN_HEADER = SESSION_TOKEN_QUERY_PARAM.toLowerCase();
class SignatureV4SignWithCredentials extends SignatureV4 {
    async signWithCredentials(requestToSign, credentials, options) {
        const credentialsWithoutSessionToken = getCredentialsWithoutSessionToken(credentials);
        requestToSign.headers[SESSION_TOKEN_HEADER] = credentials.sessionToken;
        const privateAccess = this;
        setSingleOverride(privateAccess, credentialsWithoutSessionToken);
        return privateAccess.signRequest(requestToSign, options ?? {});
    }
    async presignWithCredentials(requestToSign, credentials, options) {
        const credentialsWithoutSessionToken = getCredentialsWithoutSessionToken(credentials);
        delete requestToSign.headers[SESSION_TOKEN_HEADER];
        requestToSign.headers[SESSION_TOKEN_QUERY_PARAM] = credentials.sessionToken;
        requestToSign.query = requestToSign.query ?? {};
        requestToSign.query[SESSION_TOKEN_QUERY_PARAM] = credentials.sessionToken;
        const privateAccess = this;
        setSingleOverride(privateAccess, credentialsWithoutSessionToken);
        return this.presign(requestToSign, options);
    }
}
function getCredentialsWithoutSessionToken(credentials) {
    return {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        expiration: credentials.expiration,
    };
}
function setSingleOverride(privateAccess, credentialsWithoutSessionToken) {
    const currentCredentialProvider = privateAccess.credentialProvider;
    privateAccess.credentialProvider = () => {
        privateAccess.credentialProvider = currentCredentialProvider;
        return Promise.resolve(credentialsWithoutSessionToken);
    };
}

class SignatureV4MultiRegion {
    sigv4aSigner;
    sigv4Signer;
    signerOptions;
    static sigv4aDependency() {
        if (typeof signatureV4CrtContainer.CrtSignerV4 === "function") {
            return "crt";
        }
        else if (typeof signatureV4aContainer.SignatureV4a === "function") {
            return "js";
        }
        return "none";
    }
    constructor(options) {
        this.sigv4Signer = new SignatureV4SignWithCredentials(options);
        this.signerOptions = options;
    }
    async sign(requestToSign, options = {}) {
        if (options.signingRegion === "*") {
            return this.getSigv4aSigner().sign(requestToSign, options);
        }
        return this.sigv4Signer.sign(requestToSign, options);
    }
    async signWithCredentials(requestToSign, credentials, options = {}) {
        if (options.signingRegion === "*") {
            const signer = this.getSigv4aSigner();
            const CrtSignerV4 = signatureV4CrtContainer.CrtSignerV4;
            if (CrtSignerV4 && signer instanceof CrtSignerV4) {
                return signer.signWithCredentials(requestToSign, credentials, options);
            }
            else {
                throw new Error(`signWithCredentials with signingRegion '*' is only supported when using the CRT dependency @aws-sdk/signature-v4-crt. ` +
                    `Please check whether you have installed the "@aws-sdk/signature-v4-crt" package explicitly. ` +
                    `You must also register the package by calling [require("@aws-sdk/signature-v4-crt");] ` +
                    `or an ESM equivalent such as [import "@aws-sdk/signature-v4-crt";]. ` +
                    `For more information please go to https://github.com/aws/aws-sdk-js-v3#functionality-requiring-aws-common-runtime-crt`);
            }
        }
        return this.sigv4Signer.signWithCredentials(requestToSign, credentials, options);
    }
    async presign(originalRequest, options = {}) {
        if (options.signingRegion === "*") {
            const signer = this.getSigv4aSigner();
            const CrtSignerV4 = signatureV4CrtContainer.CrtSignerV4;
            if (CrtSignerV4 && signer instanceof CrtSignerV4) {
                return signer.presign(originalRequest, options);
            }
            else {
                throw new Error(`presign with signingRegion '*' is only supported when using the CRT dependency @aws-sdk/signature-v4-crt. ` +
                    `Please check whether you have installed the "@aws-sdk/signature-v4-crt" package explicitly. ` +
                    `You must also register the package by calling [require("@aws-sdk/signature-v4-crt");] ` +
                    `or an ESM equivalent such as [import "@aws-sdk/signature-v4-crt";]. ` +
                    `For more information please go to https://github.com/aws/aws-sdk-js-v3#functionality-requiring-aws-common-runtime-crt`);
            }
        }
        return this.sigv4Signer.presign(originalRequest, options);
    }
    async presignWithCredentials(originalRequest, credentials, options = {}) {
        if (options.signingRegion === "*") {
            throw new Error("Method presignWithCredentials is not supported for [signingRegion=*].");
        }
        return this.sigv4Signer.presignWithCredentials(originalRequest, credentials, options);
    }
    getSigv4aSigner() {
        if (!this.sigv4aSigner) {
            const CrtSignerV4 = signatureV4CrtContainer.CrtSignerV4;
            const JsSigV4aSigner = signatureV4aContainer.SignatureV4a;
            if (this.signerOptions.runtime === "node") {
                if (!CrtSignerV4 && !JsSigV4aSigner) {
                    throw new Error("Neither CRT nor JS SigV4a implementation is available. " +
                        "Please load either @aws-sdk/signature-v4-crt or @aws-sdk/signature-v4a. " +
                        "For more information please go to " +
                        "https://github.com/aws/aws-sdk-js-v3#functionality-requiring-aws-common-runtime-crt");
                }
                if (CrtSignerV4 && typeof CrtSignerV4 === "function") {
                    this.sigv4aSigner = new CrtSignerV4({
                        ...this.signerOptions,
                        signingAlgorithm: 1,
                    });
                }
                else if (JsSigV4aSigner && typeof JsSigV4aSigner === "function") {
                    this.sigv4aSigner = new JsSigV4aSigner({
                        ...this.signerOptions,
                    });
                }
                else {
                    throw new Error("Available SigV4a implementation is not a valid constructor. " +
                        "Please ensure you've properly imported @aws-sdk/signature-v4-crt or @aws-sdk/signature-v4a." +
                        "For more information please go to " +
                        "https://github.com/aws/aws-sdk-js-v3#functionality-requiring-aws-common-runtime-crt");
                }
            }
            else {
                if (!JsSigV4aSigner || typeof JsSigV4aSigner !== "function") {
                    throw new Error("JS SigV4a implementation is not available or not a valid constructor. " +
                        "Please check whether you have installed the @aws-sdk/signature-v4a package explicitly. The CRT implementation is not available for browsers. " +
                        "You must also register the package by calling [require('@aws-sdk/signature-v4a');] " +
                        "or an ESM equivalent such as [import '@aws-sdk/signature-v4a';]. " +
                        "For more information please go to " +
                        "https://github.com/aws/aws-sdk-js-v3#using-javascript-non-crt-implementation-of-sigv4a");
                }
                this.sigv4aSigner = new JsSigV4aSigner({
                    ...this.signerOptions,
                });
            }
        }
        return this.sigv4aSigner;
    }
}

exports.SignatureV4MultiRegion = SignatureV4MultiRegion;
exports.SignatureV4SignWithCredentials = SignatureV4SignWithCredentials;
exports.signatureV4CrtContainer = signatureV4CrtContainer;


/***/ }),

/***/ 75433:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { setTokenFeature } = __webpack_require__(5152);
const { getBearerTokenEnvKey } = __webpack_require__(97523);
const { TokenProviderError, getSSOTokenFilepath, parseKnownFiles, getProfileName, loadSsoSessionData, getSSOTokenFromFile, memoize, chain } = __webpack_require__(47291);
const { promises } = __webpack_require__(73024);

const fromEnvSigningName = ({ logger, signingName } = {}) => async () => {
    logger?.debug?.("@aws-sdk/token-providers - fromEnvSigningName");
    if (!signingName) {
        throw new TokenProviderError("Please pass 'signingName' to compute environment variable key", { logger });
    }
    const bearerTokenKey = getBearerTokenEnvKey(signingName);
    if (!(bearerTokenKey in process.env)) {
        throw new TokenProviderError(`Token not present in '${bearerTokenKey}' environment variable`, { logger });
    }
    const token = { token: process.env[bearerTokenKey] };
    setTokenFeature(token, "BEARER_SERVICE_ENV_VARS", "3");
    return token;
};

const EXPIRE_WINDOW_MS = 5 * 60 * 1000;
const REFRESH_MESSAGE = `To refresh this SSO session run 'aws sso login' with the corresponding profile.`;

const getSsoOidcClient = async (ssoRegion, init = {}, callerClientConfig) => {
    const { SSOOIDCClient } = __webpack_require__(89443);
    const coalesce = (prop) => init.clientConfig?.[prop] ?? init.parentClientConfig?.[prop] ?? callerClientConfig?.[prop];
    const ssoOidcClient = new SSOOIDCClient(Object.assign({}, init.clientConfig ?? {}, {
        region: ssoRegion ?? init.clientConfig?.region,
        logger: coalesce("logger"),
        userAgentAppId: coalesce("userAgentAppId"),
    }));
    return ssoOidcClient;
};

const getNewSsoOidcToken = async (ssoToken, ssoRegion, init = {}, callerClientConfig) => {
    const { CreateTokenCommand } = __webpack_require__(89443);
    const ssoOidcClient = await getSsoOidcClient(ssoRegion, init, callerClientConfig);
    return ssoOidcClient.send(new CreateTokenCommand({
        clientId: ssoToken.clientId,
        clientSecret: ssoToken.clientSecret,
        refreshToken: ssoToken.refreshToken,
        grantType: "refresh_token",
    }));
};

const validateTokenExpiry = (token) => {
    if (token.expiration && token.expiration.getTime() < Date.now()) {
        throw new TokenProviderError(`Token is expired. ${REFRESH_MESSAGE}`, false);
    }
};

const validateTokenKey = (key, value, forRefresh = false) => {
    if (typeof value === "undefined") {
        throw new TokenProviderError(`Value not present for '${key}' in SSO Token${forRefresh ? ". Cannot refresh" : ""}. ${REFRESH_MESSAGE}`, false);
    }
};

const { writeFile } = promises;
const writeSSOTokenToFile = (id, ssoToken) => {
    const tokenFilepath = getSSOTokenFilepath(id);
    const tokenString = JSON.stringify(ssoToken, null, 2);
    return writeFile(tokenFilepath, tokenString);
};

const lastRefreshAttemptTimes = new Map();
const inFlightRefreshes = new Map();
const fromSso = (init = {}) => async ({ callerClientConfig } = {}) => {
    init.logger?.debug("@aws-sdk/token-providers - fromSso");
    const profiles = await parseKnownFiles(init);
    const profileName = getProfileName({
        profile: init.profile ?? callerClientConfig?.profile,
    });
    const profile = profiles[profileName];
    if (!profile) {
        throw new TokenProviderError(`Profile '${profileName}' could not be found in shared credentials file.`, false);
    }
    else if (!profile["sso_session"]) {
        throw new TokenProviderError(`Profile '${profileName}' is missing required property 'sso_session'.`);
    }
    const ssoSessionName = profile["sso_session"];
    const inFlightRefresh = inFlightRefreshes.get(ssoSessionName);
    if (inFlightRefresh) {
        return await inFlightRefresh;
    }
    const ssoSessions = await loadSsoSessionData(init);
    const ssoSession = ssoSessions[ssoSessionName];
    if (!ssoSession) {
        throw new TokenProviderError(`Sso session '${ssoSessionName}' could not be found in shared credentials file.`, false);
    }
    for (const ssoSessionRequiredKey of ["sso_start_url", "sso_region"]) {
        if (!ssoSession[ssoSessionRequiredKey]) {
            throw new TokenProviderError(`Sso session '${ssoSessionName}' is missing required property '${ssoSessionRequiredKey}'.`, false);
        }
    }
    ssoSession["sso_start_url"];
    const ssoRegion = ssoSession["sso_region"];
    let ssoToken;
    try {
        ssoToken = await getSSOTokenFromFile(ssoSessionName);
    }
    catch (e) {
        throw new TokenProviderError(`The SSO session token associated with profile=${profileName} was not found or is invalid. ${REFRESH_MESSAGE}`, false);
    }
    validateTokenKey("accessToken", ssoToken.accessToken);
    validateTokenKey("expiresAt", ssoToken.expiresAt);
    const { accessToken, expiresAt } = ssoToken;
    const existingToken = {
        token: accessToken,
        expiration: new Date(expiresAt),
    };
    if (existingToken.expiration.getTime() - Date.now() > EXPIRE_WINDOW_MS) {
        return existingToken;
    }
    const inFlightRefreshAfterReadingToken = inFlightRefreshes.get(ssoSessionName);
    if (inFlightRefreshAfterReadingToken) {
        return await inFlightRefreshAfterReadingToken;
    }
    const lastRefreshAttemptTime = lastRefreshAttemptTimes.get(ssoSessionName) ?? 0;
    if (Date.now() - lastRefreshAttemptTime < 30 * 1000) {
        validateTokenExpiry(existingToken);
        return existingToken;
    }
    validateTokenKey("clientId", ssoToken.clientId, true);
    validateTokenKey("clientSecret", ssoToken.clientSecret, true);
    validateTokenKey("refreshToken", ssoToken.refreshToken, true);
    const refresh = (async () => {
        try {
            lastRefreshAttemptTimes.set(ssoSessionName, Date.now());
            const newSsoOidcToken = await getNewSsoOidcToken(ssoToken, ssoRegion, init, callerClientConfig);
            validateTokenKey("accessToken", newSsoOidcToken.accessToken);
            validateTokenKey("expiresIn", newSsoOidcToken.expiresIn);
            const newTokenExpiration = new Date(Date.now() + newSsoOidcToken.expiresIn * 1000);
            try {
                await writeSSOTokenToFile(ssoSessionName, {
                    ...ssoToken,
                    accessToken: newSsoOidcToken.accessToken,
                    expiresAt: newTokenExpiration.toISOString(),
                    refreshToken: newSsoOidcToken.refreshToken,
                });
            }
            catch (error) {
            }
            return {
                token: newSsoOidcToken.accessToken,
                expiration: newTokenExpiration,
            };
        }
        catch (error) {
            validateTokenExpiry(existingToken);
            return existingToken;
        }
    })();
    inFlightRefreshes.set(ssoSessionName, refresh);
    try {
        return await refresh;
    }
    finally {
        inFlightRefreshes.delete(ssoSessionName);
    }
};

const fromStatic = ({ token, logger }) => async () => {
    logger?.debug("@aws-sdk/token-providers - fromStatic");
    if (!token || !token.token) {
        throw new TokenProviderError(`Please pass a valid token to fromStatic`, false);
    }
    return token;
};

const nodeProvider = (init = {}) => memoize(chain(fromSso(init), async () => {
    throw new TokenProviderError("Could not load token from any providers", false);
}), (token) => token.expiration !== undefined && token.expiration.getTime() - Date.now() < 300000, (token) => token.expiration !== undefined);

exports.fromEnvSigningName = fromEnvSigningName;
exports.fromSso = fromSso;
exports.fromStatic = fromStatic;
exports.nodeProvider = nodeProvider;


/***/ }),

/***/ 94274:
/***/ ((__unused_webpack_module, exports) => {

const ATTR_ESCAPE_RE = /[&<>"]/g;
const ATTR_ESCAPE_MAP = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
};
function escapeAttribute(value) {
    return value.replace(ATTR_ESCAPE_RE, (ch) => ATTR_ESCAPE_MAP[ch]);
}

const ELEMENT_ESCAPE_RE = /[&"'<>\r\n\u0085\u2028]/g;
const ELEMENT_ESCAPE_MAP = {
    "&": "&amp;",
    '"': "&quot;",
    "'": "&apos;",
    "<": "&lt;",
    ">": "&gt;",
    "\r": "&#x0D;",
    "\n": "&#x0A;",
    "\u0085": "&#x85;",
    "\u2028": "&#x2028;",
};
function escapeElement(value) {
    return value.replace(ELEMENT_ESCAPE_RE, (ch) => ELEMENT_ESCAPE_MAP[ch]);
}

class XmlText {
    value;
    constructor(value) {
        this.value = value;
    }
    toString() {
        return escapeElement("" + this.value);
    }
}

class XmlNode {
    name;
    children;
    attributes = {};
    static of(name, childText, withName) {
        const node = new XmlNode(name);
        if (childText !== undefined) {
            node.addChildNode(new XmlText(childText));
        }
        if (withName !== undefined) {
            node.withName(withName);
        }
        return node;
    }
    constructor(name, children = []) {
        this.name = name;
        this.children = children;
    }
    withName(name) {
        this.name = name;
        return this;
    }
    addAttribute(name, value) {
        this.attributes[name] = value;
        return this;
    }
    addChildNode(child) {
        this.children.push(child);
        return this;
    }
    removeAttribute(name) {
        delete this.attributes[name];
        return this;
    }
    n(name) {
        this.name = name;
        return this;
    }
    c(child) {
        this.children.push(child);
        return this;
    }
    a(name, value) {
        if (value != null) {
            this.attributes[name] = value;
        }
        return this;
    }
    cc(input, field, withName = field) {
        if (input[field] != null) {
            const node = XmlNode.of(field, input[field]).withName(withName);
            this.c(node);
        }
    }
    l(input, listName, memberName, valueProvider) {
        if (input[listName] != null) {
            const nodes = valueProvider();
            nodes.map((node) => {
                node.withName(memberName);
                this.c(node);
            });
        }
    }
    lc(input, listName, memberName, valueProvider) {
        if (input[listName] != null) {
            const nodes = valueProvider();
            const containerNode = new XmlNode(memberName);
            nodes.map((node) => {
                containerNode.c(node);
            });
            this.c(containerNode);
        }
    }
    toString() {
        const hasChildren = Boolean(this.children.length);
        let xmlText = `<${this.name}`;
        const attributes = this.attributes;
        for (const attributeName of Object.keys(attributes)) {
            const attribute = attributes[attributeName];
            if (attribute != null) {
                xmlText += ` ${attributeName}="${escapeAttribute("" + attribute)}"`;
            }
        }
        return (xmlText += !hasChildren ? "/>" : `>${this.children.map((c) => c.toString()).join("")}</${this.name}>`);
    }
}

function writeKey(obj) {
    Object.defineProperty(obj, "__proto__", { value: undefined, writable: true, enumerable: true, configurable: true });
}
function parseXML(xml) {
    const state = new AwsXmlParser(xml);
    return state.parse();
}
class AwsXmlParser {
    x;
    i = 0;
    z;
    constructor(x) {
        this.x = x;
        this.x = x.replace(/\r\n?/g, "\n");
        this.z = this.x.length;
    }
    parse() {
        const p = this;
        const { z } = p;
        while (p.i < z) {
            p.trim();
            if (p.i >= z) {
                break;
            }
            if (p.isNext("<?")) {
                p.readTo("?>");
                p.trim();
            }
            else if (p.isNext("<!--")) {
                p.readTo("-->");
                p.trim();
            }
            else if (p.isNext("<!DOCTYPE", false)) {
                p.skipDoctype();
                p.trim();
            }
            else if (p.x[p.i] === "<") {
                const root = p.parseTag();
                return { [root.tag]: root.value };
            }
            else {
                throw new Error("@aws-sdk XML parse error: unexpected content.");
            }
        }
        throw new Error("@aws-sdk XML parse error: no root element.");
    }
    isNext(s, caseSensitive = true) {
        const p = this;
        if (caseSensitive) {
            return p.x.startsWith(s, p.i);
        }
        return p.x.toLowerCase().startsWith(s.toLowerCase(), p.i);
    }
    readTo(stop) {
        const p = this;
        const _i = p.x.indexOf(stop, p.i);
        if (_i === -1) {
            throw new Error(`@aws-sdk XML parse error: expected "${stop}" not found.`);
        }
        const result = p.x.slice(p.i, _i);
        p.i = _i + stop.length;
        return result;
    }
    trim() {
        const p = this;
        while (p.i < p.z && " \t\r\n".includes(p.x[p.i])) {
            ++p.i;
        }
    }
    readAttrValue() {
        const p = this;
        const quote = p.x[p.i];
        ++p.i;
        let value = "";
        while (p.i < p.z && p.x[p.i] !== quote) {
            value += p.x[p.i++];
        }
        ++p.i;
        return p.decodeEntities(value);
    }
    parseTag() {
        const p = this;
        ++p.i;
        let tag = "";
        while (p.i < p.z && !" \t\r\n>/".includes(p.x[p.i])) {
            tag += p.x[p.i++];
        }
        let hasAttrs = false;
        const attrs = {};
        while (p.i < p.z) {
            p.trim();
            if (">/".includes(p.x[p.i])) {
                break;
            }
            let name = "";
            while (p.i < p.z && !"= \t\r\n>/?".includes(p.x[p.i])) {
                name += p.x[p.i++];
            }
            p.trim();
            if (p.x[p.i] !== "=") {
                break;
            }
            ++p.i;
            p.trim();
            if (name === "__proto__") {
                writeKey(attrs);
            }
            attrs[name] = p.readAttrValue();
            hasAttrs = true;
        }
        if (p.i >= p.z) {
            throw new Error("@aws-sdk XML parse error: unexpected end of input.");
        }
        if (p.x[p.i] === "/") {
            ++p.i;
            if (p.i >= p.z || p.x[p.i] !== ">") {
                throw new Error("@aws-sdk XML parse error: expected > at the end of self-closing tag.");
            }
            ++p.i;
            return { tag, value: hasAttrs ? attrs : "" };
        }
        if (p.x[p.i] !== ">") {
            throw new Error("@aws-sdk XML parse error: expected > at the end of opening tag.");
        }
        ++p.i;
        const textParts = [];
        const childTags = [];
        let hasElementChild = false;
        while (p.i < p.z) {
            if (p.isNext("</")) {
                break;
            }
            if (p.x[p.i] === "<") {
                if (p.isNext("<!--")) {
                    p.readTo("-->");
                }
                else if (p.isNext("<![CDATA[")) {
                    p.i += 9;
                    textParts.push(p.readTo("]]>"));
                }
                else if (p.isNext("<?")) {
                    p.readTo("?>");
                }
                else {
                    hasElementChild = true;
                    childTags.push(p.parseTag());
                }
            }
            else {
                let text = "";
                while (p.i < p.z && p.x[p.i] !== "<") {
                    text += p.x[p.i++];
                }
                textParts.push(p.decodeEntities(text));
            }
        }
        if (!p.isNext("</")) {
            throw new Error(`@aws-sdk XML parse error: missing closing tag </${tag}>.`);
        }
        p.i += 2;
        const closeTag = p.readTo(">").trim();
        if (closeTag !== tag) {
            throw new Error(`@aws-sdk XML parse error: mismatched tags <${tag}> and </${closeTag}>.`);
        }
        if (!hasAttrs && textParts.length === 0 && !hasElementChild) {
            return { tag, value: "" };
        }
        if (!hasAttrs && !hasElementChild) {
            const text = textParts.length === 1 ? textParts[0] : textParts.join("");
            if (text.trim() === "" && text.includes("\n")) {
                return { tag, value: "" };
            }
            return { tag, value: text };
        }
        const obj = {};
        for (const text of textParts) {
            if (text.trim() === "" && text.includes("\n")) {
                continue;
            }
            obj["#text"] = "#text" in obj ? obj["#text"] + text : text;
        }
        for (const child of childTags) {
            if (child.tag === "__proto__") {
                writeKey(obj);
            }
            if (child.tag in obj) {
                if (Array.isArray(obj[child.tag])) {
                    obj[child.tag].push(child.value);
                }
                else {
                    obj[child.tag] = [obj[child.tag], child.value];
                }
            }
            else {
                obj[child.tag] = child.value;
            }
        }
        for (const [k, v] of Object.entries(attrs)) {
            if (k === "__proto__") {
                writeKey(obj);
            }
            obj[k] = v;
        }
        return { tag, value: obj };
    }
    static ENTITIES = {
        amp: "&",
        lt: "<",
        gt: ">",
        quot: '"',
        apos: "'",
    };
    skipDoctype() {
        const p = this;
        p.i += 9;
        let depth = 0;
        while (p.i < p.z) {
            const c = p.x[p.i];
            if (c === "[") {
                ++depth;
            }
            else if (c === "]") {
                --depth;
            }
            else if (c === ">" && depth === 0) {
                ++p.i;
                return;
            }
            ++p.i;
        }
        throw new Error("@aws-sdk XML parse error: unclosed DOCTYPE.");
    }
    decodeEntities(s) {
        return s.replace(/&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|([a-zA-Z][a-zA-Z0-9]{0,30}));/g, (_, hex, dec, named) => {
            if (hex) {
                return String.fromCharCode(parseInt(hex, 16));
            }
            if (dec) {
                return String.fromCharCode(parseInt(dec, 10));
            }
            return AwsXmlParser.ENTITIES[named] ?? "";
        });
    }
}

exports.XmlNode = XmlNode;
exports.XmlText = XmlText;
exports.parseXML = parseXML;


/***/ }),

/***/ 29320:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {



const PROTECTED_KEYS = {
    REQUEST_ID: Symbol.for("_AWS_LAMBDA_REQUEST_ID"),
    X_RAY_TRACE_ID: Symbol.for("_AWS_LAMBDA_X_RAY_TRACE_ID"),
    TENANT_ID: Symbol.for("_AWS_LAMBDA_TENANT_ID"),
    TRACEPARENT: Symbol.for("_AWS_LAMBDA_TRACEPARENT"),
    TRACESTATE: Symbol.for("_AWS_LAMBDA_TRACESTATE"),
    BAGGAGE: Symbol.for("_AWS_LAMBDA_BAGGAGE"),
};
const NO_GLOBAL_AWS_LAMBDA = ["true", "1"].includes(process.env?.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA ?? "");
if (!NO_GLOBAL_AWS_LAMBDA) {
    globalThis.awslambda = globalThis.awslambda || {};
}
class InvokeStoreBase {
    static PROTECTED_KEYS = PROTECTED_KEYS;
    isProtectedKey(key) {
        return Object.values(PROTECTED_KEYS).includes(key);
    }
    getRequestId() {
        return this.get(PROTECTED_KEYS.REQUEST_ID) ?? "-";
    }
    getXRayTraceId() {
        return this.get(PROTECTED_KEYS.X_RAY_TRACE_ID);
    }
    getTenantId() {
        return this.get(PROTECTED_KEYS.TENANT_ID);
    }
    getTraceparent() {
        return this.get(PROTECTED_KEYS.TRACEPARENT);
    }
    getTracestate() {
        return this.get(PROTECTED_KEYS.TRACESTATE);
    }
    getBaggage() {
        return this.get(PROTECTED_KEYS.BAGGAGE);
    }
}
class InvokeStoreSingle extends InvokeStoreBase {
    currentContext;
    getContext() {
        return this.currentContext;
    }
    hasContext() {
        return this.currentContext !== undefined;
    }
    get(key) {
        return this.currentContext?.[key];
    }
    set(key, value) {
        if (this.isProtectedKey(key)) {
            throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
        }
        this.currentContext = this.currentContext || {};
        this.currentContext[key] = value;
    }
    run(context, fn) {
        this.currentContext = context;
        return fn();
    }
}
class InvokeStoreMulti extends InvokeStoreBase {
    als;
    static async create() {
        const instance = new InvokeStoreMulti();
        const asyncHooks = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 16698, 23));
        instance.als = new asyncHooks.AsyncLocalStorage();
        return instance;
    }
    getContext() {
        return this.als.getStore();
    }
    hasContext() {
        return this.als.getStore() !== undefined;
    }
    get(key) {
        return this.als.getStore()?.[key];
    }
    set(key, value) {
        if (this.isProtectedKey(key)) {
            throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
        }
        const store = this.als.getStore();
        if (!store) {
            throw new Error("No context available");
        }
        store[key] = value;
    }
    run(context, fn) {
        return this.als.run(context, fn);
    }
}
exports.InvokeStore = void 0;
(function (InvokeStore) {
    let instance = null;
    async function getInstanceAsync(forceInvokeStoreMulti) {
        if (!instance) {
            instance = (async () => {
                const isMulti = forceInvokeStoreMulti === true || "AWS_LAMBDA_MAX_CONCURRENCY" in process.env;
                const newInstance = isMulti
                    ? await InvokeStoreMulti.create()
                    : new InvokeStoreSingle();
                if (!NO_GLOBAL_AWS_LAMBDA && globalThis.awslambda?.InvokeStore) {
                    return globalThis.awslambda.InvokeStore;
                }
                else if (!NO_GLOBAL_AWS_LAMBDA && globalThis.awslambda) {
                    globalThis.awslambda.InvokeStore = newInstance;
                    return newInstance;
                }
                else {
                    return newInstance;
                }
            })();
        }
        return instance;
    }
    InvokeStore.getInstanceAsync = getInstanceAsync;
    InvokeStore._testing = process.env.AWS_LAMBDA_BENCHMARK_MODE === "1"
        ? {
            reset: () => {
                instance = null;
                if (globalThis.awslambda?.InvokeStore) {
                    delete globalThis.awslambda.InvokeStore;
                }
                globalThis.awslambda = { InvokeStore: undefined };
            },
        }
        : undefined;
})(exports.InvokeStore || (exports.InvokeStore = {}));

exports.InvokeStoreBase = InvokeStoreBase;


/***/ }),

/***/ 90402:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { getSmithyContext, hasOwn } = __webpack_require__(34534);
exports.getSmithyContext = getSmithyContext;
const { HttpRequest } = __webpack_require__(93422);
const { requestBuilder } = __webpack_require__(93422);
exports.requestBuilder = requestBuilder;
const { HttpApiKeyAuthLocation } = __webpack_require__(90690);

const resolveAuthOptions = (candidateAuthOptions, authSchemePreference) => {
    if (!authSchemePreference || authSchemePreference.length === 0) {
        return candidateAuthOptions;
    }
    const preferredAuthOptions = [];
    for (const preferredSchemeName of authSchemePreference) {
        for (const candidateAuthOption of candidateAuthOptions) {
            const candidateAuthSchemeName = candidateAuthOption.schemeId.split("#")[1];
            if (candidateAuthSchemeName === preferredSchemeName) {
                preferredAuthOptions.push(candidateAuthOption);
            }
        }
    }
    for (const candidateAuthOption of candidateAuthOptions) {
        if (!preferredAuthOptions.find(({ schemeId }) => schemeId === candidateAuthOption.schemeId)) {
            preferredAuthOptions.push(candidateAuthOption);
        }
    }
    return preferredAuthOptions;
};

function convertHttpAuthSchemesToMap(httpAuthSchemes) {
    const map = new Map();
    for (const scheme of httpAuthSchemes) {
        map.set(scheme.schemeId, scheme);
    }
    return map;
}
const httpAuthSchemeMiddleware = (config, mwOptions) => (next, context) => async (args) => {
    const options = config.httpAuthSchemeProvider(await mwOptions.httpAuthSchemeParametersProvider(config, context, args.input));
    const authSchemePreference = config.authSchemePreference ? await config.authSchemePreference() : [];
    const resolvedOptions = resolveAuthOptions(options, authSchemePreference);
    const authSchemes = convertHttpAuthSchemesToMap(config.httpAuthSchemes);
    const smithyContext = getSmithyContext(context);
    const failureReasons = [];
    for (const option of resolvedOptions) {
        const scheme = authSchemes.get(option.schemeId);
        if (!scheme) {
            failureReasons.push(`HttpAuthScheme \`${option.schemeId}\` was not enabled for this service.`);
            continue;
        }
        const identityProvider = scheme.identityProvider(await mwOptions.identityProviderConfigProvider(config));
        if (!identityProvider) {
            failureReasons.push(`HttpAuthScheme \`${option.schemeId}\` did not have an IdentityProvider configured.`);
            continue;
        }
        const { identityProperties = {}, signingProperties = {} } = option.propertiesExtractor?.(config, context) || {};
        option.identityProperties = Object.assign(option.identityProperties || {}, identityProperties);
        option.signingProperties = Object.assign(option.signingProperties || {}, signingProperties);
        smithyContext.selectedHttpAuthScheme = {
            httpAuthOption: option,
            identity: await identityProvider(option.identityProperties),
            signer: scheme.signer,
        };
        break;
    }
    if (!smithyContext.selectedHttpAuthScheme) {
        throw new Error(failureReasons.join("\n"));
    }
    return next(args);
};

const httpAuthSchemeEndpointRuleSetMiddlewareOptions = {
    step: "serialize",
    tags: ["HTTP_AUTH_SCHEME"],
    name: "httpAuthSchemeMiddleware",
    override: true,
    relation: "before",
    toMiddleware: "endpointV2Middleware",
};
const getHttpAuthSchemeEndpointRuleSetPlugin = (config, { httpAuthSchemeParametersProvider, identityProviderConfigProvider, }) => ({
    applyToStack: (clientStack) => {
        clientStack.addRelativeTo(httpAuthSchemeMiddleware(config, {
            httpAuthSchemeParametersProvider,
            identityProviderConfigProvider,
        }), httpAuthSchemeEndpointRuleSetMiddlewareOptions);
    },
});

const httpAuthSchemeMiddlewareOptions = {
    step: "serialize",
    tags: ["HTTP_AUTH_SCHEME"],
    name: "httpAuthSchemeMiddleware",
    override: true,
    relation: "before",
    toMiddleware: "serializerMiddleware",
};
const getHttpAuthSchemePlugin = (config, { httpAuthSchemeParametersProvider, identityProviderConfigProvider, }) => ({
    applyToStack: (clientStack) => {
        clientStack.addRelativeTo(httpAuthSchemeMiddleware(config, {
            httpAuthSchemeParametersProvider,
            identityProviderConfigProvider,
        }), httpAuthSchemeMiddlewareOptions);
    },
});

const defaultErrorHandler = (signingProperties) => (error) => {
    throw error;
};
const defaultSuccessHandler = (httpResponse, signingProperties) => { };
const httpSigningMiddleware = (config) => (next, context) => async (args) => {
    if (!HttpRequest.isInstance(args.request)) {
        return next(args);
    }
    const smithyContext = getSmithyContext(context);
    const scheme = smithyContext.selectedHttpAuthScheme;
    if (!scheme) {
        throw new Error(`No HttpAuthScheme was selected: unable to sign request`);
    }
    const { httpAuthOption: { signingProperties = {} }, identity, signer, } = scheme;
    const output = await next({
        ...args,
        request: await signer.sign(args.request, identity, signingProperties),
    }).catch((signer.errorHandler || defaultErrorHandler)(signingProperties));
    (signer.successHandler || defaultSuccessHandler)(output.response, signingProperties);
    return output;
};

const httpSigningMiddlewareOptions = {
    step: "finalizeRequest",
    tags: ["HTTP_SIGNING"],
    name: "httpSigningMiddleware",
    aliases: ["apiKeyMiddleware", "tokenMiddleware", "awsAuthMiddleware"],
    override: true,
    relation: "after",
    toMiddleware: "retryMiddleware",
};
const getHttpSigningPlugin = (config) => ({
    applyToStack: (clientStack) => {
        clientStack.addRelativeTo(httpSigningMiddleware(), httpSigningMiddlewareOptions);
    },
});

const normalizeProvider = (input) => {
    if (typeof input === "function") {
        return input;
    }
    const promisified = Promise.resolve(input);
    return () => promisified;
};

const makePagedClientRequest = async (CommandCtor, client, input, withCommand = (_) => _, ...args) => {
    let command = new CommandCtor(input);
    command = withCommand(command) ?? command;
    return await client.send(command, ...args);
};
function createPaginator(ClientCtor, CommandCtor, inputTokenName, outputTokenName, pageSizeTokenName) {
    return async function* paginateOperation(config, input, ...additionalArguments) {
        const _input = input;
        let token = config.startingToken ?? _input[inputTokenName];
        let hasNext = true;
        let page;
        while (hasNext) {
            _input[inputTokenName] = token;
            if (pageSizeTokenName) {
                _input[pageSizeTokenName] = _input[pageSizeTokenName] ?? config.pageSize;
            }
            if (config.client instanceof ClientCtor) {
                page = await makePagedClientRequest(CommandCtor, config.client, input, config.withCommand, ...additionalArguments);
            }
            else {
                throw new Error(`Invalid client, expected instance of ${ClientCtor.name}`);
            }
            yield page;
            const prevToken = token;
            token = get(page, outputTokenName);
            hasNext = !!(token && (!config.stopOnSameToken || token !== prevToken));
        }
        return undefined;
    };
}
const get = (fromObject, path) => {
    let cursor = fromObject;
    const pathComponents = path.split(".");
    for (const step of pathComponents) {
        if (!cursor || typeof cursor !== "object") {
            return undefined;
        }
        cursor = cursor[step];
    }
    return cursor;
};

function setFeature(context, feature, value) {
    if (!context.__smithy_context) {
        context.__smithy_context = {
            features: {},
        };
    }
    else if (!context.__smithy_context.features) {
        context.__smithy_context.features = {};
    }
    context.__smithy_context.features[feature] = value;
}

class DefaultIdentityProviderConfig {
    authSchemes = new Map();
    constructor(config) {
        for (const key in config) {
            if (!hasOwn(config, key)) {
                continue;
            }
            const value = config[key];
            if (value !== undefined) {
                this.authSchemes.set(key, value);
            }
        }
    }
    getIdentityProvider(schemeId) {
        return this.authSchemes.get(schemeId);
    }
}

class HttpApiKeyAuthSigner {
    async sign(httpRequest, identity, signingProperties) {
        if (!signingProperties) {
            throw new Error("request could not be signed with `apiKey` since the `name` and `in` signer properties are missing");
        }
        if (!signingProperties.name) {
            throw new Error("request could not be signed with `apiKey` since the `name` signer property is missing");
        }
        if (!signingProperties.in) {
            throw new Error("request could not be signed with `apiKey` since the `in` signer property is missing");
        }
        if (!identity.apiKey) {
            throw new Error("request could not be signed with `apiKey` since the `apiKey` is not defined");
        }
        const clonedRequest = HttpRequest.clone(httpRequest);
        if (signingProperties.in === HttpApiKeyAuthLocation.QUERY) {
            clonedRequest.query[signingProperties.name] = identity.apiKey;
        }
        else if (signingProperties.in === HttpApiKeyAuthLocation.HEADER) {
            clonedRequest.headers[signingProperties.name] = signingProperties.scheme
                ? `${signingProperties.scheme} ${identity.apiKey}`
                : identity.apiKey;
        }
        else {
            throw new Error("request can only be signed with `apiKey` locations `query` or `header`, " +
                "but found: `" +
                signingProperties.in +
                "`");
        }
        return clonedRequest;
    }
}

class HttpBearerAuthSigner {
    async sign(httpRequest, identity, signingProperties) {
        const clonedRequest = HttpRequest.clone(httpRequest);
        if (!identity.token) {
            throw new Error("request could not be signed with `token` since the `token` is not defined");
        }
        clonedRequest.headers["Authorization"] = `Bearer ${identity.token}`;
        return clonedRequest;
    }
}

class NoAuthSigner {
    async sign(httpRequest, identity, signingProperties) {
        return httpRequest;
    }
}

const createIsIdentityExpiredFunction = (expirationMs) => function isIdentityExpired(identity) {
    return doesIdentityRequireRefresh(identity) && identity.expiration.getTime() - Date.now() < expirationMs;
};
const EXPIRATION_MS = 300_000;
const isIdentityExpired = createIsIdentityExpiredFunction(EXPIRATION_MS);
const doesIdentityRequireRefresh = (identity) => identity.expiration !== undefined;
const memoizeIdentityProvider = (provider, isExpired, requiresRefresh) => {
    if (provider === undefined) {
        return undefined;
    }
    const normalizedProvider = typeof provider !== "function" ? async () => Promise.resolve(provider) : provider;
    let resolved;
    let pending;
    let hasResult;
    let isConstant = false;
    const coalesceProvider = async (options) => {
        if (!pending) {
            pending = normalizedProvider(options);
        }
        try {
            resolved = await pending;
            hasResult = true;
            isConstant = false;
        }
        finally {
            pending = undefined;
        }
        return resolved;
    };
    if (isExpired === undefined) {
        return async (options) => {
            if (!hasResult || options?.forceRefresh) {
                resolved = await coalesceProvider(options);
            }
            return resolved;
        };
    }
    return async (options) => {
        if (!hasResult || options?.forceRefresh) {
            resolved = await coalesceProvider(options);
        }
        if (isConstant) {
            return resolved;
        }
        if (!requiresRefresh(resolved)) {
            isConstant = true;
            return resolved;
        }
        if (isExpired(resolved)) {
            await coalesceProvider(options);
            return resolved;
        }
        return resolved;
    };
};

exports.DefaultIdentityProviderConfig = DefaultIdentityProviderConfig;
exports.EXPIRATION_MS = EXPIRATION_MS;
exports.HttpApiKeyAuthSigner = HttpApiKeyAuthSigner;
exports.HttpBearerAuthSigner = HttpBearerAuthSigner;
exports.NoAuthSigner = NoAuthSigner;
exports.createIsIdentityExpiredFunction = createIsIdentityExpiredFunction;
exports.createPaginator = createPaginator;
exports.doesIdentityRequireRefresh = doesIdentityRequireRefresh;
exports.getHttpAuthSchemeEndpointRuleSetPlugin = getHttpAuthSchemeEndpointRuleSetPlugin;
exports.getHttpAuthSchemePlugin = getHttpAuthSchemePlugin;
exports.getHttpSigningPlugin = getHttpSigningPlugin;
exports.httpAuthSchemeEndpointRuleSetMiddlewareOptions = httpAuthSchemeEndpointRuleSetMiddlewareOptions;
exports.httpAuthSchemeMiddleware = httpAuthSchemeMiddleware;
exports.httpAuthSchemeMiddlewareOptions = httpAuthSchemeMiddlewareOptions;
exports.httpSigningMiddleware = httpSigningMiddleware;
exports.httpSigningMiddlewareOptions = httpSigningMiddlewareOptions;
exports.isIdentityExpired = isIdentityExpired;
exports.memoizeIdentityProvider = memoizeIdentityProvider;
exports.normalizeProvider = normalizeProvider;
exports.setFeature = setFeature;


/***/ }),

/***/ 64645:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { nv, NumericValue, calculateBodyLength, generateIdempotencyToken, fromBase64, _parseEpochTimestamp } = __webpack_require__(92430);
const { hasOwn } = __webpack_require__(34534);
const { HttpRequest, collectBody, SerdeContext, AbstractRpcV2Protocol } = __webpack_require__(93422);
const { NormalizedSchema, TypeRegistry } = __webpack_require__(26890);

const majorUint64 = 0;
const majorNegativeInt64 = 1;
const majorUnstructuredByteString = 2;
const majorUtf8String = 3;
const majorList = 4;
const majorMap = 5;
const majorTag = 6;
const majorSpecial = 7;
const specialFalse = 20;
const specialTrue = 21;
const specialNull = 22;
const specialUndefined = 23;
const extendedOneByte = 24;
const extendedFloat16 = 25;
const extendedFloat32 = 26;
const extendedFloat64 = 27;
const minorIndefinite = 31;
function alloc(size) {
    return typeof Buffer !== "undefined" ? Buffer.alloc(size) : new Uint8Array(size);
}
const tagSymbol = Symbol("@smithy/core/cbor::tagSymbol");
function tag(data) {
    data[tagSymbol] = true;
    return data;
}

const USE_BUFFER$3 = typeof Buffer !== "undefined";
const textDecoder$1 = new TextDecoder();
let payload$1 = alloc(0);
let isBuffer$1 = false;
let dataView$2 = new DataView(payload$1.buffer, payload$1.byteOffset, payload$1.byteLength);
let _offset = 0;
function setPayload(bytes) {
    payload$1 = bytes;
    isBuffer$1 = USE_BUFFER$3 && payload$1 instanceof Buffer;
    dataView$2 = new DataView(payload$1.buffer, payload$1.byteOffset, payload$1.byteLength);
}
function decode(at, to) {
    if (at >= to) {
        throw new Error("unexpected end of (decode) payload.");
    }
    const major = (payload$1[at] & 0b1110_0000) >> 5;
    const minor = payload$1[at] & 0b0001_1111;
    if (minor === minorIndefinite && 2 <= major && major <= 5) {
        return decodeIndefinite(at, to);
    }
    switch (major) {
        case majorUint64:
        case majorNegativeInt64:
        case majorTag: {
            let unsignedInt;
            let offset;
            if (minor < 24) {
                unsignedInt = minor;
                offset = 1;
            }
            else {
                switch (minor) {
                    case extendedOneByte:
                        if (to - at < 2) {
                            overflow$1(1);
                        }
                        unsignedInt = payload$1[at + 1];
                        offset = 2;
                        break;
                    case extendedFloat16:
                        if (to - at < 3) {
                            overflow$1(2);
                        }
                        unsignedInt = dataView$2.getUint16(at + 1);
                        offset = 3;
                        break;
                    case extendedFloat32:
                        if (to - at < 5) {
                            overflow$1(4);
                        }
                        unsignedInt = dataView$2.getUint32(at + 1);
                        offset = 5;
                        break;
                    case extendedFloat64:
                        if (to - at < 9) {
                            overflow$1(8);
                        }
                        {
                            const hi = dataView$2.getUint32(at + 1);
                            if (hi < 0x00200000) {
                                unsignedInt = hi * 4294967296 + dataView$2.getUint32(at + 5);
                            }
                            else {
                                unsignedInt = dataView$2.getBigUint64(at + 1);
                            }
                        }
                        offset = 9;
                        break;
                    default:
                        unexpectedMinor(minor);
                }
            }
            if (major === majorUint64) {
                _offset = offset;
                return castBigInt$1(unsignedInt);
            }
            else if (major === majorNegativeInt64) {
                let negativeInt;
                if (typeof unsignedInt === "bigint") {
                    negativeInt = BigInt(-1) - unsignedInt;
                }
                else {
                    negativeInt = -1 - unsignedInt;
                }
                _offset = offset;
                return castBigInt$1(negativeInt);
            }
            else {
                return decodeTagValue(at, to, minor, unsignedInt, offset);
            }
        }
        case majorUtf8String:
            return decodeUtf8String(at, to);
        case majorMap:
            return decodeMap(at, to);
        case majorList:
            return decodeList(at, to);
        case majorUnstructuredByteString:
            return decodeUnstructuredByteString(at, to);
        default:
            return decodeSpecial(at, to);
    }
}
function decodeIndefinite(at, to) {
    const major = (payload$1[at] & 0b1110_0000) >> 5;
    const minor = payload$1[at] & 0b0001_1111;
    if (minor === minorIndefinite) {
        switch (major) {
            case majorUtf8String:
                return decodeUtf8StringIndefinite(at, to);
            case majorMap:
                return decodeMapIndefinite(at, to);
            case majorList:
                return decodeListIndefinite(at, to);
            case majorUnstructuredByteString:
                return decodeUnstructuredByteStringIndefinite(at, to);
        }
    }
}
function bytesToFloat16$1(a, b) {
    const sign = a >> 7;
    const exponent = (a & 0b0111_1100) >> 2;
    const fraction = ((a & 0b0000_0011) << 8) | b;
    const scalar = sign === 0 ? 1 : -1;
    if (exponent === 0b00000) {
        if (fraction === 0) {
            return 0;
        }
        return scalar * (Math.pow(2, 1 - 15) * (fraction / 1024));
    }
    else if (exponent === 0b11111) {
        if (fraction === 0) {
            return scalar * Infinity;
        }
        return NaN;
    }
    return scalar * (Math.pow(2, exponent - 15) * (1 + fraction / 1024));
}
function decodeMap(at, to) {
    const mapDataLength = decodeCount$1(at, to);
    if (mapDataLength < 25) {
        return decodeMapSmall(at, to, mapDataLength);
    }
    return decodeMapLarge(at, to, mapDataLength);
}
function decodeMapLarge(at, to, mapDataLength) {
    const offset = _offset;
    at += offset;
    const base = at;
    const map = Object.create(null);
    for (let i = 0; i < mapDataLength; ++i) {
        const key = decodeUtf8String(at, to);
        at += _offset;
        const valMajor = (payload$1[at] & 0b1110_0000) >> 5;
        if (valMajor === majorUtf8String) {
            map[key] = decodeUtf8String(at, to);
        }
        else {
            map[key] = decode(at, to);
        }
        at += _offset;
    }
    _offset = offset + (at - base);
    Object.setPrototypeOf(map, Object.prototype);
    return map;
}
function decodeMapSmall(at, to, mapDataLength) {
    const offset = _offset;
    at += offset;
    const base = at;
    const map = {};
    for (let i = 0; i < mapDataLength; ++i) {
        const key = decodeUtf8String(at, to);
        at += _offset;
        map[key] = decode(at, to);
        at += _offset;
    }
    _offset = offset + (at - base);
    return map;
}
function decodeList(at, to) {
    const listDataLength = decodeCount$1(at, to);
    const offset = _offset;
    at += offset;
    const base = at;
    const list = Array(listDataLength);
    for (let i = 0; i < listDataLength; ++i) {
        list[i] = decode(at, to);
        at += _offset;
    }
    _offset = offset + (at - base);
    return list;
}
function decodeUtf8String(at, to) {
    const length = decodeCount$1(at, to);
    const offset = _offset;
    at += offset;
    if (to - at < length) {
        overflow$1(length);
    }
    _offset = offset + length;
    if (length < 24) {
        return decodeUtf8StringCached(at, length);
    }
    if (isBuffer$1) {
        return payload$1.toString("utf-8", at, at + length);
    }
    return textDecoder$1.decode(payload$1.subarray(at, at + length));
}
const stringCache$1 = new Array(2048);
const stringCacheEpochs$1 = new Uint16Array(2048);
let cacheEpoch$1 = 0;
function advanceDecodingEpoch() {
    cacheEpoch$1 = (cacheEpoch$1 + 1) & 0b1111_1111_1111_1111;
}
function decodeUtf8StringCached(at, length) {
    let h = length;
    for (let i = 0; i < length; ++i) {
        h = (h * 31 + payload$1[at + i]) | 0;
    }
    const slot = (h >>> 0) & 2047;
    const cached = stringCache$1[slot];
    if (cached !== undefined) {
        if (cached.length === length) {
            let match = true;
            for (let i = 0; i < length; ++i) {
                if (cached.charCodeAt(i) !== payload$1[at + i]) {
                    match = false;
                    break;
                }
            }
            if (match) {
                stringCacheEpochs$1[slot] = cacheEpoch$1;
                return cached;
            }
        }
    }
    const result = isBuffer$1
        ? payload$1.toString("utf-8", at, at + length)
        : textDecoder$1.decode(payload$1.subarray(at, at + length));
    if (stringCacheEpochs$1[slot] !== cacheEpoch$1) {
        stringCache$1[slot] = result;
        stringCacheEpochs$1[slot] = cacheEpoch$1;
    }
    return result;
}
function decodeUnstructuredByteString(at, to) {
    const length = decodeCount$1(at, to);
    const offset = _offset;
    at += offset;
    if (to - at < length) {
        overflow$1(length);
    }
    const value = payload$1.subarray(at, at + length);
    _offset = offset + length;
    return value;
}
function decodeTagValue(at, to, minor, unsignedInt, offset) {
    if (minor === 2 || minor === 3) {
        const length = decodeCount$1(at + offset, to);
        let b = BigInt(0);
        const start = at + offset + _offset;
        for (let i = start; i < start + length; ++i) {
            b = (b << BigInt(8)) | BigInt(payload$1[i]);
        }
        _offset = offset + _offset + length;
        return minor === 3 ? -b - BigInt(1) : b;
    }
    else if (minor === 4) {
        const decimalFraction = decode(at + offset, to);
        const [rawExponent, mantissa] = decimalFraction;
        const normalizer = mantissa < 0 ? -1 : 1;
        const absMantissa = BigInt(normalizer) * BigInt(mantissa);
        const mantissaDigits = String(absMantissa);
        const sign = mantissa < 0 ? "-" : "";
        let numericString;
        const isSmallExponent = typeof rawExponent === "number" && Math.abs(rawExponent) <= 2 ** 28;
        if (isSmallExponent) {
            const exponent = rawExponent;
            const mantissaStr = "0".repeat(Math.abs(exponent) + 1) + mantissaDigits;
            numericString =
                exponent === 0
                    ? mantissaStr
                    : mantissaStr.slice(0, mantissaStr.length + exponent) + "." + mantissaStr.slice(exponent);
            numericString = numericString.replace(/^0+/g, "");
            if (numericString === "") {
                numericString = "0";
            }
            if (numericString[0] === ".") {
                numericString = "0" + numericString;
            }
            numericString = sign + numericString;
        }
        else {
            const bigExponent = BigInt(rawExponent);
            if (mantissaDigits.length === 1) {
                numericString = sign + mantissaDigits + "e" + String(bigExponent);
            }
            else {
                const adjustedExp = bigExponent + BigInt(mantissaDigits.length - 1);
                numericString = sign + mantissaDigits[0] + "." + mantissaDigits.slice(1) + "e" + String(adjustedExp);
            }
        }
        _offset = offset + _offset;
        return nv(numericString);
    }
    else {
        const value = decode(at + offset, to);
        const valueOffset = _offset;
        _offset = offset + valueOffset;
        return tag({ tag: castBigInt$1(unsignedInt), value });
    }
}
function decodeSpecial(at, to) {
    const minor = payload$1[at] & 0b0001_1111;
    switch (minor) {
        case specialTrue:
        case specialFalse:
            _offset = 1;
            return minor === specialTrue;
        case specialNull:
            _offset = 1;
            return null;
        case specialUndefined:
            _offset = 1;
            return null;
        case extendedFloat16:
            if (to - at < 3) {
                throw new Error("incomplete float16 at end of buf.");
            }
            _offset = 3;
            return bytesToFloat16$1(payload$1[at + 1], payload$1[at + 2]);
        case extendedFloat32:
            if (to - at < 5) {
                throw new Error("incomplete float32 at end of buf.");
            }
            _offset = 5;
            return dataView$2.getFloat32(at + 1);
        case extendedFloat64:
            if (to - at < 9) {
                throw new Error("incomplete float64 at end of buf.");
            }
            _offset = 9;
            return dataView$2.getFloat64(at + 1);
        default:
            unexpectedMinor(minor);
    }
}
function decodeCount$1(at, to) {
    const minor = payload$1[at] & 0b0001_1111;
    if (minor < 24) {
        _offset = 1;
        return minor;
    }
    switch (minor) {
        case extendedOneByte:
            if (to - at < 2) {
                overflow$1(1);
            }
            _offset = 2;
            return payload$1[at + 1];
        case extendedFloat16:
            if (to - at < 3) {
                overflow$1(2);
            }
            _offset = 3;
            return dataView$2.getUint16(at + 1);
        case extendedFloat32:
            if (to - at < 5) {
                overflow$1(4);
            }
            _offset = 5;
            return dataView$2.getUint32(at + 1);
        case extendedFloat64:
            if (to - at < 9) {
                overflow$1(8);
            }
            _offset = 9;
            return demote(dataView$2.getBigUint64(at + 1));
        default:
            unexpectedMinor(minor);
    }
}
function decodeMapIndefinite(at, to) {
    at += 1;
    const base = at;
    const map = {};
    for (; at < to;) {
        if (payload$1[at] === 0b1111_1111) {
            _offset = at - base + 2;
            return map;
        }
        const key = decodeUtf8String(at, to);
        at += _offset;
        map[key] = decode(at, to);
        at += _offset;
    }
    throw new Error("expected break marker.");
}
function decodeListIndefinite(at, to) {
    at += 1;
    const list = [];
    for (const base = at; at < to;) {
        if (payload$1[at] === 0b1111_1111) {
            _offset = at - base + 2;
            return list;
        }
        list.push(decode(at, to));
        at += _offset;
    }
    throw new Error("expected break marker.");
}
function decodeUtf8StringIndefinite(at, to) {
    at += 1;
    const vector = [];
    for (const base = at; at < to;) {
        if (payload$1[at] === 0b1111_1111) {
            const data = alloc(vector.length);
            data.set(vector, 0);
            _offset = at - base + 2;
            if (USE_BUFFER$3) {
                return data.toString("utf-8", 0, data.length);
            }
            return textDecoder$1.decode(data);
        }
        const major = (payload$1[at] & 0b1110_0000) >> 5;
        const minor = payload$1[at] & 0b0001_1111;
        if (major !== majorUtf8String) {
            unexpectedMajorInIndefiniteString(major);
        }
        if (minor === minorIndefinite) {
            throw new Error("nested indefinite string.");
        }
        const bytes = decodeUnstructuredByteString(at, to);
        const length = _offset;
        at += length;
        for (let i = 0; i < bytes.length; ++i) {
            vector.push(bytes[i]);
        }
    }
    throw new Error("expected break marker.");
}
function decodeUnstructuredByteStringIndefinite(at, to) {
    at += 1;
    const vector = [];
    for (const base = at; at < to;) {
        if (payload$1[at] === 0b1111_1111) {
            const data = alloc(vector.length);
            data.set(vector, 0);
            _offset = at - base + 2;
            return data;
        }
        const major = (payload$1[at] & 0b1110_0000) >> 5;
        const minor = payload$1[at] & 0b0001_1111;
        if (major !== majorUnstructuredByteString) {
            unexpectedMajorInIndefiniteString(major);
        }
        if (minor === minorIndefinite) {
            throw new Error("nested indefinite string.");
        }
        const bytes = decodeUnstructuredByteString(at, to);
        const length = _offset;
        at += length;
        for (let i = 0; i < bytes.length; ++i) {
            vector.push(bytes[i]);
        }
    }
    throw new Error("expected break marker.");
}
function castBigInt$1(bigInt) {
    if (typeof bigInt === "number") {
        return bigInt;
    }
    const num = Number(bigInt);
    if (Number.MIN_SAFE_INTEGER <= num && num <= Number.MAX_SAFE_INTEGER) {
        return num;
    }
    return bigInt;
}
function demote(bigInteger) {
    const num = Number(bigInteger);
    if (num < Number.MIN_SAFE_INTEGER || Number.MAX_SAFE_INTEGER < num) {
        console.warn(new Error(`@smithy/core/cbor - truncating BigInt(${bigInteger}) to ${num} with loss of precision.`));
    }
    return num;
}
function overflow$1(n) {
    throw new Error(`length ${n} greater than remaining buf len.`);
}
function unexpectedMinor(minor) {
    throw new Error(`unexpected minor value ${minor}.`);
}
function unexpectedMajorInIndefiniteString(major) {
    throw new Error(`unexpected major type ${major} in indefinite string.`);
}

const USE_BUFFER$2 = typeof Buffer !== "undefined";
const encodeStringCache = new Map();
let encodeCacheEpoch$1 = 0;
let encodeCacheSaturated$1 = false;
const initialSize = 2048;
let data = alloc(initialSize);
let dataView$1 = new DataView(data.buffer, data.byteOffset, data.byteLength);
let cursor$1 = 0;
function encode(_input) {
    const encodeStack = [_input];
    while (encodeStack.length) {
        const input = encodeStack.pop();
        if (typeof input === "string") {
            const len = input.length;
            if (USE_BUFFER$2) {
                ensureSpace(len * 3 + 9);
                if (len > 23) {
                    encodeHeader$1(majorUtf8String, Buffer.byteLength(input));
                    cursor$1 += data.write(input, cursor$1);
                }
                else {
                    encodeStringCached(input);
                }
            }
            else {
                const maxBytes = len * 3;
                ensureSpace(maxBytes + 9);
                const headerPos = cursor$1;
                const result = new TextEncoder().encodeInto(input, data.subarray(cursor$1 + 9));
                const byteLen = result.written;
                let headerSize;
                if (byteLen < 24) {
                    headerSize = 1;
                }
                else if (byteLen < 256) {
                    headerSize = 2;
                }
                else if (byteLen < 65536) {
                    headerSize = 3;
                }
                else if (byteLen < 4294967296) {
                    headerSize = 5;
                }
                else {
                    headerSize = 9;
                }
                if (headerSize < 9) {
                    data.copyWithin(headerPos + headerSize, headerPos + 9, headerPos + 9 + byteLen);
                }
                cursor$1 = headerPos;
                encodeInteger(majorUtf8String, byteLen);
                cursor$1 += byteLen;
            }
            continue;
        }
        if (data.byteLength - cursor$1 < 9) {
            ensureSpace(64);
        }
        if (typeof input === "number") {
            if (Number.isInteger(input) && input >= -9007199254740992 && input <= 0x1fffffffffffff) {
                const nonNegative = input >= 0;
                const major = nonNegative ? majorUint64 : majorNegativeInt64;
                const value = nonNegative ? input : -input - 1;
                if (value < 24) {
                    data[cursor$1++] = (major << 5) | value;
                }
                else if (value < 256) {
                    data[cursor$1++] = (major << 5) | 24;
                    data[cursor$1++] = value;
                }
                else if (value < 65536) {
                    data[cursor$1++] = (major << 5) | extendedFloat16;
                    data[cursor$1++] = value >> 8;
                    data[cursor$1++] = value & 0xff;
                }
                else if (value < 4294967296) {
                    data[cursor$1++] = (major << 5) | extendedFloat32;
                    dataView$1.setUint32(cursor$1, value);
                    cursor$1 += 4;
                }
                else {
                    data[cursor$1++] = (major << 5) | extendedFloat64;
                    const hi = (value / 4294967296) | 0;
                    const lo = (value - hi * 4294967296) | 0;
                    dataView$1.setUint32(cursor$1, hi);
                    dataView$1.setUint32(cursor$1 + 4, lo);
                    cursor$1 += 8;
                }
                continue;
            }
            data[cursor$1++] = (majorSpecial << 5) | extendedFloat64;
            dataView$1.setFloat64(cursor$1, input);
            cursor$1 += 8;
            continue;
        }
        else if (typeof input === "bigint") {
            const nonNegative = input >= 0;
            const major = nonNegative ? majorUint64 : majorNegativeInt64;
            const value = nonNegative ? input : -input - BigInt(1);
            if (value < BigInt("18446744073709551616")) {
                const n = Number(value);
                if (n < 4294967296) {
                    encodeInteger(major, n);
                }
                else {
                    data[cursor$1++] = (major << 5) | extendedFloat64;
                    dataView$1.setBigUint64(cursor$1, value);
                    cursor$1 += 8;
                }
            }
            else {
                const binaryBigInt = value.toString(2);
                const bigIntBytes = new Uint8Array(Math.ceil(binaryBigInt.length / 8));
                let b = value;
                let i = 0;
                while (bigIntBytes.byteLength - ++i >= 0) {
                    bigIntBytes[bigIntBytes.byteLength - i] = Number(b & BigInt(255));
                    b >>= BigInt(8);
                }
                ensureSpace(bigIntBytes.byteLength * 2 + 16);
                data[cursor$1++] = nonNegative ? 0b110_00010 : 0b110_00011;
                encodeHeader$1(majorUnstructuredByteString, bigIntBytes.byteLength);
                data.set(bigIntBytes, cursor$1);
                cursor$1 += bigIntBytes.byteLength;
            }
            continue;
        }
        else if (input === null) {
            data[cursor$1++] = (majorSpecial << 5) | specialNull;
            continue;
        }
        else if (typeof input === "boolean") {
            data[cursor$1++] = (majorSpecial << 5) | (input ? specialTrue : specialFalse);
            continue;
        }
        else if (typeof input === "undefined") {
            throw new Error("@smithy/core/cbor: client may not serialize undefined value.");
        }
        else if (Array.isArray(input)) {
            encodeInteger(majorList, input.length);
            ensureSpace(input.length * 9 + 64);
            for (let i = input.length - 1; i >= 0; --i) {
                encodeStack.push(input[i]);
            }
            continue;
        }
        else if (typeof input.byteLength === "number") {
            ensureSpace(input.length * 2 + 9);
            encodeInteger(majorUnstructuredByteString, input.length);
            data.set(input, cursor$1);
            cursor$1 += input.byteLength;
            continue;
        }
        else if (typeof input === "object") {
            if (input instanceof NumericValue) {
                let str = input.string;
                let expOffset = BigInt(0);
                const eIndex = str.search(/[eE]/);
                if (eIndex !== -1) {
                    expOffset = BigInt(str.slice(eIndex + 1));
                    str = str.slice(0, eIndex);
                }
                const decimalIndex = str.indexOf(".");
                const fractionDigits = decimalIndex === -1 ? 0 : str.length - decimalIndex - 1;
                const exponent = expOffset - BigInt(fractionDigits);
                const mantissa = BigInt(str.replace(".", ""));
                data[cursor$1++] = 0b110_00100;
                encodeInteger(majorList, 2);
                encodeStack.push(mantissa);
                encodeStack.push(exponent >= -0x20000000000000n && exponent <= 0x1fffffffffffffn ? Number(exponent) : exponent);
                continue;
            }
            if (input[tagSymbol]) {
                if ("tag" in input && "value" in input) {
                    encodeStack.push(input.value);
                    encodeHeader$1(majorTag, input.tag);
                    continue;
                }
                else {
                    throw new Error("tag encountered with missing fields, need 'tag' and 'value', found: " + JSON.stringify(input));
                }
            }
            const keys = Object.keys(input);
            const len = keys.length;
            encodeInteger(majorMap, len);
            for (let i = len - 1; i >= 0; --i) {
                encodeStack.push(input[keys[i]]);
                encodeStack.push(keys[i]);
            }
            continue;
        }
        throw new Error(`data type ${input?.constructor?.name ?? typeof input} not compatible for encoding.`);
    }
}
function advanceEncodingEpoch() {
    encodeCacheEpoch$1 = (encodeCacheEpoch$1 + 1) & 0b1111_1111_1111_1111;
    encodeCacheSaturated$1 = false;
}
function toUint8Array() {
    const out = alloc(cursor$1);
    out.set(data.subarray(0, cursor$1), 0);
    cursor$1 = 0;
    return out;
}
function resize(size) {
    const old = data;
    data = alloc(size);
    if (old) {
        if (old.copy) {
            old.copy(data, 0, 0, old.byteLength);
        }
        else {
            data.set(old, 0);
        }
    }
    dataView$1 = new DataView(data.buffer, data.byteOffset, data.byteLength);
}
function encodeStringCached(input) {
    const cached = encodeStringCache.get(input);
    if (cached !== undefined) {
        data.set(cached.bytes, cursor$1);
        cursor$1 += cached.bytes.length;
        cached.epoch = encodeCacheEpoch$1;
        return;
    }
    const start = cursor$1;
    const byteLen = Buffer.byteLength(input);
    encodeInteger(majorUtf8String, byteLen);
    cursor$1 += data.write(input, cursor$1);
    const bytes = Uint8Array.prototype.slice.call(data, start, cursor$1);
    if (encodeStringCache.size >= 2048) {
        if (encodeCacheSaturated$1) {
            return;
        }
        let evicted = 0;
        for (const [key, entry] of encodeStringCache) {
            if (evicted >= 1024) {
                break;
            }
            if (entry.epoch !== encodeCacheEpoch$1) {
                encodeStringCache.delete(key);
                evicted++;
            }
        }
        if (evicted === 0) {
            encodeCacheSaturated$1 = true;
            return;
        }
    }
    if (encodeStringCache.size < 2048) {
        encodeStringCache.set(input, { epoch: encodeCacheEpoch$1, bytes });
    }
}
function ensureSpace(bytes) {
    const remaining = data.byteLength - cursor$1;
    if (remaining < bytes) {
        if (cursor$1 < 16_000_000) {
            resize(Math.max(data.byteLength * 4, data.byteLength + bytes));
        }
        else {
            resize(data.byteLength + bytes + 16_000_000);
        }
    }
}
function encodeHeader$1(major, value) {
    if (value < 24) {
        data[cursor$1++] = (major << 5) | value;
    }
    else if (value < 256) {
        data[cursor$1++] = (major << 5) | 24;
        data[cursor$1++] = value;
    }
    else if (value < 65536) {
        data[cursor$1++] = (major << 5) | extendedFloat16;
        dataView$1.setUint16(cursor$1, value);
        cursor$1 += 2;
    }
    else if (value < 4294967296) {
        data[cursor$1++] = (major << 5) | extendedFloat32;
        dataView$1.setUint32(cursor$1, value);
        cursor$1 += 4;
    }
    else {
        data[cursor$1++] = (major << 5) | extendedFloat64;
        dataView$1.setBigUint64(cursor$1, typeof value === "bigint" ? value : BigInt(value));
        cursor$1 += 8;
    }
}
function encodeInteger(major, value) {
    if (value < 24) {
        data[cursor$1++] = (major << 5) | value;
    }
    else if (value < 256) {
        data[cursor$1++] = (major << 5) | 24;
        data[cursor$1++] = value;
    }
    else if (value < 65536) {
        data[cursor$1++] = (major << 5) | extendedFloat16;
        data[cursor$1++] = value >> 8;
        data[cursor$1++] = value & 0xff;
    }
    else if (value < 4294967296) {
        data[cursor$1++] = (major << 5) | extendedFloat32;
        dataView$1.setUint32(cursor$1, value);
        cursor$1 += 4;
    }
    else {
        data[cursor$1++] = (major << 5) | extendedFloat64;
        const hi = (value / 4294967296) | 0;
        const lo = (value - hi * 4294967296) | 0;
        dataView$1.setUint32(cursor$1, hi);
        dataView$1.setUint32(cursor$1 + 4, lo);
        cursor$1 += 8;
    }
}

const cbor = {
    deserialize(payload) {
        advanceDecodingEpoch();
        setPayload(payload);
        return decode(0, payload.length);
    },
    serialize(input) {
        advanceEncodingEpoch();
        try {
            encode(input);
            return toUint8Array();
        }
        catch (e) {
            toUint8Array();
            throw e;
        }
    },
    resizeEncodingBuffer(size) {
        resize(size);
    },
};

const parseCborBody = (streamBody, context) => {
    return collectBody(streamBody, context).then(async (bytes) => {
        if (bytes.length) {
            try {
                return cbor.deserialize(bytes);
            }
            catch (e) {
                Object.defineProperty(e, "$responseBodyText", {
                    value: context.utf8Encoder(bytes),
                });
                throw e;
            }
        }
        return {};
    });
};
const dateToTag = (date) => {
    return tag({
        tag: 1,
        value: date.getTime() / 1000,
    });
};
const parseCborErrorBody = async (errorBody, context) => {
    const value = await parseCborBody(errorBody, context);
    value.message = value.message ?? value.Message;
    return value;
};
const loadSmithyRpcV2CborErrorCode = (output, data) => {
    const sanitizeErrorCode = (rawValue) => {
        let cleanValue = rawValue;
        if (typeof cleanValue === "number") {
            cleanValue = cleanValue.toString();
        }
        if (cleanValue.indexOf(",") >= 0) {
            cleanValue = cleanValue.split(",")[0];
        }
        if (cleanValue.indexOf(":") >= 0) {
            cleanValue = cleanValue.split(":")[0];
        }
        return cleanValue;
    };
    if (data["__type"] !== undefined) {
        return sanitizeErrorCode(data["__type"]);
    }
};
const checkCborResponse = (response) => {
    if (String(response.headers["smithy-protocol"]).toLowerCase() !== "rpc-v2-cbor") {
        throw new Error("Malformed RPCv2 CBOR response, status: " + response.statusCode);
    }
};
const buildHttpRpcRequest = async (context, headers, path, resolvedHostname, body) => {
    const endpoint = await context.endpoint();
    const { hostname, protocol = "https", port, path: basePath } = endpoint;
    const contents = {
        protocol,
        hostname,
        port,
        method: "POST",
        path: basePath.endsWith("/") ? basePath.slice(0, -1) + path : basePath + path,
        headers: {
            ...headers,
        },
    };
    if (resolvedHostname !== undefined) {
        contents.hostname = resolvedHostname;
    }
    if (endpoint.headers) {
        for (const name in endpoint.headers) {
            if (!hasOwn(endpoint.headers, name)) {
                continue;
            }
            contents.headers[name] = endpoint.headers[name];
        }
    }
    if (body !== undefined) {
        contents.body = body;
        try {
            contents.headers["content-length"] = String(calculateBodyLength(body));
        }
        catch (ignored) { }
    }
    return new HttpRequest(contents);
};

class CborShapeSerializer2 extends SerdeContext {
    write(schema, value) {
        cursor = 0;
        const ns = NormalizedSchema.of(schema);
        writeValue(ns, value, undefined, this.serdeContext);
    }
    flush() {
        const result = buf.subarray(0, cursor);
        cursor = 0;
        buf = allocUnsafe(INITIAL_BUFFER_SIZE);
        view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        return result;
    }
}
const CBOR_STRUCT_CACHE = Symbol.for("@smithy/cbor-struct-cache");
function loadCborStructIterator(ns) {
    const schema = ns.getSchema();
    const existing = schema[CBOR_STRUCT_CACHE];
    if (existing) {
        return existing;
    }
    const memberNames = [];
    const memberSchemas = [];
    for (const [name, memberSchema] of ns.structIterator()) {
        memberNames.push(name);
        memberSchemas.push(memberSchema);
    }
    const encodedKeys = new Array(memberNames.length);
    for (let i = 0; i < memberNames.length; ++i) {
        encodedKeys[i] = encodeCborStringKey(memberNames[i]);
    }
    const cache = { memberNames, memberSchemas, encodedKeys };
    schema[CBOR_STRUCT_CACHE] = cache;
    return cache;
}
function encodeCborStringKey(s) {
    let utf8Bytes;
    if (USE_BUFFER$1) {
        utf8Bytes = Buffer.from(s, "utf-8");
    }
    else {
        utf8Bytes = new TextEncoder().encode(s);
    }
    const byteLen = utf8Bytes.length;
    let headerSize;
    if (byteLen < 24) {
        headerSize = 1;
    }
    else if (byteLen < 256) {
        headerSize = 2;
    }
    else {
        headerSize = 3;
    }
    const result = new Uint8Array(headerSize + byteLen);
    if (headerSize === 1) {
        result[0] = (majorUtf8String << 5) | byteLen;
    }
    else if (headerSize === 2) {
        result[0] = (majorUtf8String << 5) | 24;
        result[1] = byteLen;
    }
    else {
        result[0] = (majorUtf8String << 5) | extendedFloat16;
        result[1] = byteLen >> 8;
        result[2] = byteLen & 0xff;
    }
    result.set(utf8Bytes, headerSize);
    return result;
}
const USE_BUFFER$1 = typeof Buffer !== "undefined";
const textEncoder = new TextEncoder();
const INITIAL_BUFFER_SIZE = 2048;
let buf = USE_BUFFER$1 ? Buffer.allocUnsafe(INITIAL_BUFFER_SIZE) : new Uint8Array(INITIAL_BUFFER_SIZE);
let view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
let cursor = 0;
const STRING_CACHE_MAX = 2048;
const stringEncodeCache = new Map();
let encodeCacheEpoch = 0;
let encodeCacheSaturated = false;
function allocUnsafe(size) {
    return USE_BUFFER$1 ? Buffer.allocUnsafe(size) : new Uint8Array(size);
}
function writeValue(ns, value, container, serdeContext) {
    if (value == null) {
        if (value === undefined && ns.isIdempotencyToken()) {
            writeString(generateIdempotencyToken());
            return;
        }
        ensure(1);
        buf[cursor++] = (majorSpecial << 5) | specialNull;
        return;
    }
    if (ns.isUnitSchema()) {
        ensure(1);
        encodeHeader(majorMap, 0);
        return;
    }
    const isObject = typeof value === "object";
    if (isObject) {
        if (ns.isBlobSchema()) {
            if (value instanceof Uint8Array) {
                writeBytes(value);
                return;
            }
        }
        if (ns.isTimestampSchema()) {
            if (value instanceof Date) {
                writeTimestamp(value);
                return;
            }
        }
        if (ns.isStructSchema()) {
            writeStruct(ns, value, serdeContext);
            return;
        }
        if (Array.isArray(value) && (ns.isListSchema() || ns.isDocumentSchema())) {
            writeList(ns, value, ns.isDocumentSchema(), serdeContext);
            return;
        }
        if (ns.isMapSchema()) {
            writeMap(ns, value, false, serdeContext);
            return;
        }
        if (value instanceof Date) {
            writeTimestamp(value);
            return;
        }
        if (value instanceof Uint8Array) {
            writeBytes(value);
            return;
        }
        if (value instanceof NumericValue) {
            writeNumericValue(value);
            return;
        }
        if (value[tagSymbol]) {
            const tagged = value;
            writeTag(tagged.tag, tagged.value);
            return;
        }
        if (ns.isDocumentSchema()) {
            if (Array.isArray(value)) {
                writeList(ns, value, true, serdeContext);
            }
            else {
                writeMap(ns, value, true, serdeContext);
            }
            return;
        }
        if (ns.isBigDecimalSchema()) {
            writeUntypedValue(value);
            return;
        }
        writeMap(ns, value, true, serdeContext);
        return;
    }
    if (typeof value === "string") {
        if (ns.isBlobSchema()) {
            const bytes = (serdeContext?.base64Decoder ?? fromBase64)(value);
            writeBytes(bytes);
            return;
        }
        writeString(value);
        return;
    }
    if (typeof value === "number") {
        ensure(9);
        if (Number.isInteger(value) && value >= -9007199254740992 && value <= 0x1fffffffffffff) {
            writeInteger(value);
        }
        else {
            writeFloat64(value);
        }
        return;
    }
    if (typeof value === "boolean") {
        ensure(1);
        buf[cursor++] = (majorSpecial << 5) | (value ? specialTrue : specialFalse);
        return;
    }
    if (typeof value === "bigint") {
        writeBigInt(value);
        return;
    }
    writeString(String(value));
}
function writeStruct(ns, value, serdeContext) {
    if (ns.isUnionSchema()) {
        let wrote = false;
        for (const [memberName, memberSchema] of ns.structIterator()) {
            const item = value[memberName];
            if (item != null) {
                ensure(9);
                encodeHeader(majorMap, 1);
                writeString(memberName);
                writeValue(memberSchema, item, ns, serdeContext);
                wrote = true;
                break;
            }
        }
        if (!wrote) {
            const { $unknown } = value;
            if (Array.isArray($unknown)) {
                ensure(9);
                encodeHeader(majorMap, 1);
                writeString($unknown[0]);
                writeUntypedValue($unknown[1]);
            }
            else {
                ensure(9);
                encodeHeader(majorMap, 0);
            }
        }
        return;
    }
    const cache = loadCborStructIterator(ns);
    const { memberNames, memberSchemas, encodedKeys } = cache;
    const z = memberNames.length;
    let headerSize;
    if (z < 24) {
        headerSize = 1;
    }
    else if (z < 256) {
        headerSize = 2;
    }
    else {
        headerSize = 3;
    }
    ensure(headerSize);
    const headerPos = cursor;
    cursor += headerSize;
    let count = 0;
    for (let i = 0; i < z; ++i) {
        const item = value[memberNames[i]];
        if (item == null && !memberSchemas[i].isIdempotencyToken()) {
            continue;
        }
        const key = encodedKeys[i];
        ensure(key.length);
        buf.set(key, cursor);
        cursor += key.length;
        writeValue(memberSchemas[i], item, ns, serdeContext);
        ++count;
    }
    if (typeof value.__type === "string") {
        for (const k in value) {
            if (!hasOwn(value, k)) {
                continue;
            }
            if (!memberNames.includes(k)) {
                writeString(k);
                writeUntypedValue(value[k]);
                ++count;
            }
        }
    }
    if (headerSize === 1) {
        buf[headerPos] = (majorMap << 5) | count;
    }
    else if (headerSize === 2) {
        buf[headerPos] = (majorMap << 5) | 24;
        buf[headerPos + 1] = count;
    }
    else {
        buf[headerPos] = (majorMap << 5) | extendedFloat16;
        buf[headerPos + 1] = count >> 8;
        buf[headerPos + 2] = count & 0xff;
    }
}
function writeList(ns, value, isDocument, serdeContext) {
    const sparse = !!ns.getMergedTraits().sparse;
    const valueSchema = ns.getValueSchema();
    if (isDocument || sparse) {
        const items = [];
        for (let i = 0; i < value.length; ++i) {
            const item = value[i];
            if (isDocument) {
                if (item !== undefined) {
                    items.push(item);
                }
            }
            else {
                if (item != null || sparse) {
                    items.push(item);
                }
            }
        }
        ensure(9);
        encodeHeader(majorList, items.length);
        for (let i = 0; i < items.length; ++i) {
            writeValue(valueSchema, items[i], undefined, serdeContext);
        }
    }
    else {
        let count = 0;
        for (let i = 0; i < value.length; ++i) {
            if (value[i] != null) {
                ++count;
            }
        }
        ensure(9);
        encodeHeader(majorList, count);
        for (let i = 0; i < value.length; ++i) {
            if (value[i] != null) {
                writeValue(valueSchema, value[i], undefined, serdeContext);
            }
        }
    }
}
function writeMap(ns, value, isDocument, serdeContext) {
    const sparse = !!ns.getMergedTraits().sparse;
    const valueSchema = ns.getValueSchema();
    const keys = [];
    for (const k in value) {
        if (!hasOwn(value, k)) {
            continue;
        }
        const v = value[k];
        if (isDocument ? v !== undefined : v != null || sparse) {
            keys.push(k);
        }
    }
    ensure(9);
    encodeHeader(majorMap, keys.length);
    for (let i = 0; i < keys.length; ++i) {
        const k = keys[i];
        writeString(k);
        writeValue(valueSchema, value[k], undefined, serdeContext);
    }
}
function writeUntypedValue(value) {
    if (value == null) {
        ensure(1);
        buf[cursor++] = (majorSpecial << 5) | specialNull;
        return;
    }
    if (typeof value === "string") {
        writeString(value);
        return;
    }
    if (typeof value === "number") {
        ensure(9);
        if (Number.isInteger(value) && value >= -9007199254740992 && value <= 0x1fffffffffffff) {
            writeInteger(value);
        }
        else {
            writeFloat64(value);
        }
        return;
    }
    if (typeof value === "boolean") {
        ensure(1);
        buf[cursor++] = (majorSpecial << 5) | (value ? specialTrue : specialFalse);
        return;
    }
    if (typeof value === "bigint") {
        writeBigInt(value);
        return;
    }
    if (value instanceof Uint8Array) {
        writeBytes(value);
        return;
    }
    if (value instanceof Date) {
        writeTimestamp(value);
        return;
    }
    if (value instanceof NumericValue) {
        writeNumericValue(value);
        return;
    }
    if (value[tagSymbol]) {
        const tagged = value;
        writeTag(tagged.tag, tagged.value);
        return;
    }
    if (Array.isArray(value)) {
        ensure(9);
        encodeHeader(majorList, value.length);
        for (let i = 0; i < value.length; ++i) {
            writeUntypedValue(value[i]);
        }
        return;
    }
    if (typeof value === "object") {
        const keys = Object.keys(value);
        ensure(9);
        encodeHeader(majorMap, keys.length);
        for (let i = 0; i < keys.length; ++i) {
            writeString(keys[i]);
            writeUntypedValue(value[keys[i]]);
        }
        return;
    }
    writeString(String(value));
}
function ensure(n) {
    if (cursor + n > buf.length) {
        let newSize = buf.length * 2;
        while (newSize < cursor + n) {
            newSize *= 2;
        }
        const next = allocUnsafe(newSize);
        next.set(buf.subarray(0, cursor));
        buf = next;
        view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
}
function encodeHeader(major, value) {
    if (value < 24) {
        buf[cursor++] = (major << 5) | value;
    }
    else if (value < 256) {
        buf[cursor++] = (major << 5) | 24;
        buf[cursor++] = value;
    }
    else if (value < 65536) {
        buf[cursor++] = (major << 5) | extendedFloat16;
        buf[cursor++] = value >> 8;
        buf[cursor++] = value & 0xff;
    }
    else if (value < 4294967296) {
        buf[cursor++] = (major << 5) | extendedFloat32;
        view.setUint32(cursor, value);
        cursor += 4;
    }
    else {
        buf[cursor++] = (major << 5) | extendedFloat64;
        const hi = (value / 4294967296) | 0;
        const lo = (value - hi * 4294967296) | 0;
        view.setUint32(cursor, hi);
        view.setUint32(cursor + 4, lo);
        cursor += 8;
    }
}
function encodeBigHeader(major, value) {
    const n = Number(value);
    if (n < 4294967296) {
        encodeHeader(major, n);
        return;
    }
    buf[cursor++] = (major << 5) | extendedFloat64;
    view.setBigUint64(cursor, value);
    cursor += 8;
}
function writeString(s) {
    const len = s.length;
    if (len <= 23) {
        const cached = stringEncodeCache.get(s);
        if (cached) {
            ensure(cached.bytes.length);
            buf.set(cached.bytes, cursor);
            cursor += cached.bytes.length;
            cached.epoch = encodeCacheEpoch;
            return;
        }
        const start = cursor;
        writeStringUncached(s, len);
        const end = cursor;
        const bytes = Uint8Array.prototype.slice.call(buf, start, end);
        if (stringEncodeCache.size >= STRING_CACHE_MAX) {
            if (encodeCacheSaturated) {
                return;
            }
            let evicted = 0;
            for (const [key, entry] of stringEncodeCache) {
                if (evicted >= 1024) {
                    break;
                }
                if (entry.epoch !== encodeCacheEpoch) {
                    stringEncodeCache.delete(key);
                    ++evicted;
                }
            }
            if (evicted === 0) {
                encodeCacheSaturated = true;
                return;
            }
        }
        if (stringEncodeCache.size < STRING_CACHE_MAX) {
            stringEncodeCache.set(s, { epoch: encodeCacheEpoch, bytes });
        }
        return;
    }
    writeStringUncached(s, len);
}
function writeStringUncached(s, len) {
    if (USE_BUFFER$1) {
        const maxBytes = len * 3;
        ensure(maxBytes + 9);
        const byteLen = Buffer.byteLength(s);
        encodeHeader(majorUtf8String, byteLen);
        cursor += buf.write(s, cursor);
    }
    else {
        const maxBytes = len * 3;
        ensure(maxBytes + 9);
        const headerPos = cursor;
        const result = textEncoder.encodeInto(s, buf.subarray(headerPos + 9));
        const byteLen = result.written;
        let headerSize;
        if (byteLen < 24) {
            headerSize = 1;
        }
        else if (byteLen < 256) {
            headerSize = 2;
        }
        else if (byteLen < 65536) {
            headerSize = 3;
        }
        else if (byteLen < 4294967296) {
            headerSize = 5;
        }
        else {
            headerSize = 9;
        }
        if (headerSize < 9) {
            buf.copyWithin(headerPos + headerSize, headerPos + 9, headerPos + 9 + byteLen);
        }
        cursor = headerPos;
        encodeHeader(majorUtf8String, byteLen);
        cursor += byteLen;
    }
}
function writeFloat64(value) {
    ensure(9);
    buf[cursor++] = (majorSpecial << 5) | extendedFloat64;
    view.setFloat64(cursor, value);
    cursor += 8;
}
function writeInteger(value) {
    ensure(9);
    const nonNegative = value >= 0;
    const major = nonNegative ? majorUint64 : majorNegativeInt64;
    const abs = nonNegative ? value : -value - 1;
    encodeHeader(major, abs);
}
function writeBigInt(value) {
    const nonNegative = value >= 0;
    const major = nonNegative ? majorUint64 : majorNegativeInt64;
    const abs = nonNegative ? value : -value - BigInt(1);
    if (abs < BigInt("18446744073709551616")) {
        ensure(9);
        encodeBigHeader(major, abs);
    }
    else {
        const binaryStr = abs.toString(2);
        const byteLen = Math.ceil(binaryStr.length / 8);
        const bigIntBytes = new Uint8Array(byteLen);
        let b = abs;
        for (let i = byteLen - 1; i >= 0; --i) {
            bigIntBytes[i] = Number(b & BigInt(255));
            b >>= BigInt(8);
        }
        ensure(byteLen + 16);
        buf[cursor++] = nonNegative ? 0b110_00010 : 0b110_00011;
        encodeHeader(majorUnstructuredByteString, byteLen);
        buf.set(bigIntBytes, cursor);
        cursor += byteLen;
    }
}
function writeBytes(data) {
    ensure(data.length + 9);
    encodeHeader(majorUnstructuredByteString, data.length);
    buf.set(data, cursor);
    cursor += data.length;
}
function writeTag(tagValue, innerValue) {
    ensure(9);
    if (typeof tagValue === "bigint") {
        encodeBigHeader(majorTag, tagValue);
    }
    else {
        encodeHeader(majorTag, tagValue);
    }
    writeUntypedValue(innerValue);
}
function writeNumericValue(nv) {
    let str = nv.string;
    let expOffset = BigInt(0);
    const eIndex = str.search(/[eE]/);
    if (eIndex !== -1) {
        expOffset = BigInt(str.slice(eIndex + 1));
        str = str.slice(0, eIndex);
    }
    const decimalIndex = str.indexOf(".");
    const fractionDigits = decimalIndex === -1 ? 0 : str.length - decimalIndex - 1;
    const exponent = expOffset - BigInt(fractionDigits);
    const mantissa = BigInt(str.replace(".", ""));
    ensure(9);
    buf[cursor++] = 0b110_00100;
    encodeHeader(majorList, 2);
    ensure(9);
    if (exponent >= -0x20000000000000n && exponent <= 0x1fffffffffffffn) {
        writeInteger(Number(exponent));
    }
    else {
        writeBigInt(exponent);
    }
    writeBigInt(mantissa);
}
function writeTimestamp(date) {
    ensure(18);
    encodeHeader(majorTag, 1);
    const epochSecs = date.getTime() / 1000;
    if (Number.isInteger(epochSecs)) {
        writeInteger(epochSecs);
    }
    else {
        writeFloat64(epochSecs);
    }
}

class CborShapeDeserializer2 extends SerdeContext {
    read(schema, bytes) {
        payload = bytes;
        isBuffer = USE_BUFFER && bytes instanceof Buffer;
        dataView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        pos = 0;
        end = bytes.length;
        cacheEpoch = (cacheEpoch + 1) & 0xffff;
        return readValue(NormalizedSchema.of(schema));
    }
    readValue(_schema, value) {
        return transformObject(NormalizedSchema.of(_schema), value);
    }
}
const USE_BUFFER = typeof Buffer !== "undefined";
const textDecoder = new TextDecoder();
let payload = new Uint8Array(0);
let isBuffer = false;
let dataView = new DataView(new ArrayBuffer(0));
let pos = 0;
let end = 0;
const STRING_CACHE_SIZE = 2048;
const stringCache = new Array(STRING_CACHE_SIZE);
const stringCacheEpochs = new Uint16Array(STRING_CACHE_SIZE);
let cacheEpoch = 0;
function readValue(ns) {
    if (pos >= end) {
        throw new Error("unexpected end of CBOR payload.");
    }
    const major = (payload[pos] & 0b1110_0000) >> 5;
    const minor = payload[pos] & 0b0001_1111;
    if (minor === minorIndefinite && major >= 2 && major <= 5) {
        return readIndefinite(ns, major);
    }
    switch (major) {
        case majorUint64:
            return readUnsignedInt();
        case majorNegativeInt64:
            return readNegativeInt();
        case majorUnstructuredByteString:
            return readByteString();
        case majorUtf8String:
            return readUtf8String();
        case majorList:
            return readList(ns);
        case majorMap:
            return readMap(ns);
        case majorTag:
            return readTag();
        case majorSpecial:
            return readSpecial();
        default:
            throw new Error(`unexpected CBOR major type ${major}.`);
    }
}
function readList(ns) {
    const count = decodeCount();
    const memberSchema = ns.isListSchema() ? ns.getValueSchema() : ns;
    const list = Array(count);
    for (let i = 0; i < count; ++i) {
        list[i] = readValue(memberSchema);
    }
    return list;
}
function readMap(ns) {
    const count = decodeCount();
    if (ns.isStructSchema()) {
        const startPos = pos;
        return readStruct(ns, count, startPos);
    }
    const valueSchema = ns.isMapSchema() ? ns.getValueSchema() : ns;
    const map = {};
    for (let i = 0; i < count; ++i) {
        const key = readUtf8String();
        map[key] = readValue(valueSchema);
    }
    return map;
}
function readStruct(ns, count, startPos) {
    const isUnion = ns.isUnionSchema();
    const cache = loadCborStructIterator(ns);
    const { memberSchemas, encodedKeys, memberNames } = cache;
    const z = encodedKeys.length;
    const result = {};
    let unknownKey;
    let unknownValue;
    let unknownCount = 0;
    let hasType = false;
    let hint = 0;
    for (let i = 0; i < count; ++i) {
        const matchIdx = matchStructKey(encodedKeys, z, hint);
        if (matchIdx >= 0) {
            hint = matchIdx + 1;
            if (hint >= z) {
                hint = 0;
            }
            const val = readValue(memberSchemas[matchIdx]);
            if (val != null) {
                result[memberNames[matchIdx]] = val;
            }
        }
        else {
            const key = readUtf8String();
            const val = readValue(NormalizedSchema.of(15));
            if (key === "__type" && typeof val === "string") {
                hasType = true;
            }
            else {
                unknownKey = key;
                unknownValue = val;
                ++unknownCount;
            }
        }
    }
    if (isUnion) {
        let resultEmpty = true;
        for (const _ in result) {
            if (!hasOwn(result, _)) {
                continue;
            }
            resultEmpty = false;
            break;
        }
        if (resultEmpty && unknownCount === 1) {
            result.$unknown = [unknownKey, unknownValue];
        }
    }
    else if (hasType) {
        pos = startPos;
        const docSchema = NormalizedSchema.of(15);
        for (let i = 0; i < count; ++i) {
            const key = readUtf8String();
            const val = readValue(docSchema);
            if (!(key in result)) {
                result[key] = val;
            }
        }
    }
    return result;
}
function readTag(ns) {
    const tagNum = decodeArgument();
    const tagNumber = typeof tagNum === "bigint" ? Number(tagNum) : tagNum;
    if (tagNumber === 1) {
        const docSchema = NormalizedSchema.of(15);
        const epochValue = readValue(docSchema);
        return _parseEpochTimestamp(epochValue);
    }
    if (tagNumber === 2 || tagNumber === 3) {
        const byteStr = readByteString();
        let b = BigInt(0);
        for (let i = 0; i < byteStr.length; ++i) {
            b = (b << BigInt(8)) | BigInt(byteStr[i]);
        }
        return tagNumber === 3 ? -b - BigInt(1) : b;
    }
    if (tagNumber === 4) {
        const docSchema = NormalizedSchema.of(15);
        const pair = readValue(docSchema);
        const [rawExponent, mantissa] = pair;
        const normalizer = mantissa < 0 ? -1 : 1;
        const absMantissa = BigInt(normalizer) * BigInt(mantissa);
        const mantissaDigits = String(absMantissa);
        const sign = mantissa < 0 ? "-" : "";
        let numericString;
        const isSmallExponent = typeof rawExponent === "number" && Math.abs(rawExponent) <= 2 ** 28;
        if (isSmallExponent) {
            const exponent = rawExponent;
            const mantissaStr = "0".repeat(Math.abs(exponent) + 1) + mantissaDigits;
            numericString =
                exponent === 0
                    ? mantissaStr
                    : mantissaStr.slice(0, mantissaStr.length + exponent) + "." + mantissaStr.slice(exponent);
            numericString = numericString.replace(/^0+/g, "");
            if (numericString === "") {
                numericString = "0";
            }
            if (numericString[0] === ".") {
                numericString = "0" + numericString;
            }
            numericString = sign + numericString;
        }
        else {
            const bigExponent = BigInt(rawExponent);
            if (mantissaDigits.length === 1) {
                numericString = sign + mantissaDigits + "e" + String(bigExponent);
            }
            else {
                const adjustedExp = bigExponent + BigInt(mantissaDigits.length - 1);
                numericString = sign + mantissaDigits[0] + "." + mantissaDigits.slice(1) + "e" + String(adjustedExp);
            }
        }
        return nv(numericString);
    }
    const docSchema = NormalizedSchema.of(15);
    const innerValue = readValue(docSchema);
    return { tag: castBigInt(tagNum), value: innerValue };
}
function readIndefinite(ns, major) {
    switch (major) {
        case majorUtf8String:
            return readUtf8StringIndefinite();
        case majorUnstructuredByteString:
            return readByteStringIndefinite();
        case majorList:
            return readListIndefinite(ns);
        case majorMap:
            return readMapIndefinite(ns);
        default:
            throw new Error(`unexpected indefinite length for major ${major}.`);
    }
}
function readUtf8StringIndefinite() {
    pos += 1;
    const chunks = [];
    let totalLen = 0;
    while (pos < end) {
        if (payload[pos] === 0xff) {
            pos += 1;
            const combined = new Uint8Array(totalLen);
            let offset = 0;
            for (let i = 0; i < chunks.length; ++i) {
                combined.set(chunks[i], offset);
                offset += chunks[i].length;
            }
            if (USE_BUFFER) {
                return Buffer.from(combined.buffer, combined.byteOffset, combined.byteLength).toString("utf-8");
            }
            return textDecoder.decode(combined);
        }
        const bytes = readByteString();
        chunks.push(bytes);
        totalLen += bytes.length;
    }
    throw new Error("expected break marker.");
}
function readByteStringIndefinite() {
    pos += 1;
    const chunks = [];
    let totalLen = 0;
    while (pos < end) {
        if (payload[pos] === 0xff) {
            pos += 1;
            const combined = new Uint8Array(totalLen);
            let offset = 0;
            for (let i = 0; i < chunks.length; ++i) {
                combined.set(chunks[i], offset);
                offset += chunks[i].length;
            }
            return combined;
        }
        const bytes = readByteString();
        chunks.push(bytes);
        totalLen += bytes.length;
    }
    throw new Error("expected break marker.");
}
function readListIndefinite(ns) {
    pos += 1;
    const memberSchema = ns.isListSchema() ? ns.getValueSchema() : ns;
    const list = [];
    while (pos < end) {
        if (payload[pos] === 0xff) {
            pos += 1;
            return list;
        }
        list.push(readValue(memberSchema));
    }
    throw new Error("expected break marker.");
}
function readMapIndefinite(ns) {
    pos += 1;
    if (ns.isStructSchema()) {
        const cache = loadCborStructIterator(ns);
        const { memberSchemas, encodedKeys, memberNames } = cache;
        const z = encodedKeys.length;
        const isUnion = ns.isUnionSchema();
        const result = {};
        let unknownKey;
        let unknownValue;
        let unknownCount = 0;
        let hint = 0;
        while (pos < end) {
            if (payload[pos] === 0xff) {
                pos += 1;
                if (isUnion) {
                    let resultEmpty = true;
                    for (const _ in result) {
                        if (!hasOwn(result, _)) {
                            continue;
                        }
                        resultEmpty = false;
                        break;
                    }
                    if (resultEmpty && unknownCount === 1) {
                        result.$unknown = [unknownKey, unknownValue];
                    }
                }
                return result;
            }
            const matchIdx = matchStructKey(encodedKeys, z, hint);
            if (matchIdx >= 0) {
                hint = matchIdx + 1;
                if (hint >= z) {
                    hint = 0;
                }
                const val = readValue(memberSchemas[matchIdx]);
                if (val != null) {
                    result[memberNames[matchIdx]] = val;
                }
            }
            else {
                const key = readUtf8String();
                const val = readValue(NormalizedSchema.of(15));
                if (key !== "__type") {
                    unknownKey = key;
                    unknownValue = val;
                    ++unknownCount;
                }
            }
        }
        throw new Error("expected break marker.");
    }
    const valueSchema = ns.isMapSchema() ? ns.getValueSchema() : ns;
    const map = {};
    while (pos < end) {
        if (payload[pos] === 0xff) {
            pos += 1;
            return map;
        }
        const key = readUtf8String();
        map[key] = readValue(valueSchema);
    }
    throw new Error("expected break marker.");
}
function matchStructKey(encodedKeys, z, hint) {
    const hintKey = encodedKeys[hint];
    if (pos + hintKey.length <= end && bytesMatch(pos, hintKey)) {
        pos += hintKey.length;
        return hint;
    }
    for (let i = 0; i < z; ++i) {
        if (i === hint) {
            continue;
        }
        const ek = encodedKeys[i];
        if (pos + ek.length <= end && bytesMatch(pos, ek)) {
            pos += ek.length;
            return i;
        }
    }
    return -1;
}
function bytesMatch(at, expected) {
    const len = expected.length;
    if (payload[at] !== expected[0]) {
        return false;
    }
    for (let i = 1; i < len; ++i) {
        if (payload[at + i] !== expected[i]) {
            return false;
        }
    }
    return true;
}
function decodeArgument() {
    const minor = payload[pos] & 0b0001_1111;
    if (minor < 24) {
        pos += 1;
        return minor;
    }
    switch (minor) {
        case extendedOneByte:
            if (end - pos < 2) {
                overflow(1);
            }
            pos += 2;
            return payload[pos - 1];
        case extendedFloat16:
            if (end - pos < 3) {
                overflow(2);
            }
            pos += 3;
            return dataView.getUint16(pos - 2);
        case extendedFloat32:
            if (end - pos < 5) {
                overflow(4);
            }
            pos += 5;
            return dataView.getUint32(pos - 4);
        case extendedFloat64: {
            if (end - pos < 9) {
                overflow(8);
            }
            pos += 9;
            const hi = dataView.getUint32(pos - 8);
            if (hi < 0x00200000) {
                return hi * 4294967296 + dataView.getUint32(pos - 4);
            }
            return dataView.getBigUint64(pos - 8);
        }
        default:
            throw new Error(`unexpected minor value ${minor}.`);
    }
}
function decodeCount() {
    const val = decodeArgument();
    return typeof val === "bigint" ? Number(val) : val;
}
function readUnsignedInt() {
    const val = decodeArgument();
    return castBigInt(val);
}
function readNegativeInt() {
    const val = decodeArgument();
    if (typeof val === "bigint") {
        return BigInt(-1) - val;
    }
    return -1 - val;
}
function readByteString() {
    const length = decodeCount();
    if (end - pos < length) {
        overflow(length);
    }
    const start = pos;
    pos += length;
    return payload.subarray(start, start + length);
}
function readUtf8String() {
    const length = decodeCount();
    if (end - pos < length) {
        overflow(length);
    }
    const start = pos;
    pos += length;
    if (length < 24) {
        return decodeUtf8Cached(start, length);
    }
    if (isBuffer) {
        return payload.toString("utf-8", start, start + length);
    }
    return textDecoder.decode(payload.subarray(start, start + length));
}
function decodeUtf8Cached(at, length) {
    let h = length;
    for (let i = 0; i < length; ++i) {
        h = (h * 31 + payload[at + i]) | 0;
    }
    const slot = (h >>> 0) & (STRING_CACHE_SIZE - 1);
    const cached = stringCache[slot];
    if (cached !== undefined && cached.length === length) {
        let match = true;
        for (let i = 0; i < length; ++i) {
            if (cached.charCodeAt(i) !== payload[at + i]) {
                match = false;
                break;
            }
        }
        if (match) {
            stringCacheEpochs[slot] = cacheEpoch;
            return cached;
        }
    }
    const result = isBuffer
        ? payload.toString("utf-8", at, at + length)
        : textDecoder.decode(payload.subarray(at, at + length));
    if (stringCacheEpochs[slot] !== cacheEpoch) {
        stringCache[slot] = result;
        stringCacheEpochs[slot] = cacheEpoch;
    }
    return result;
}
function readSpecial() {
    const p = pos;
    const minor = payload[p] & 0b0001_1111;
    switch (minor) {
        case specialTrue:
            pos = p + 1;
            return true;
        case specialFalse:
            pos = p + 1;
            return false;
        case specialNull:
            pos = p + 1;
            return null;
        case specialUndefined:
            pos = p + 1;
            return null;
        case extendedFloat16: {
            if (end - p < 3) {
                overflow(2);
            }
            pos = p + 3;
            return bytesToFloat16(payload[p + 1], payload[p + 2]);
        }
        case extendedFloat32: {
            if (end - p < 5) {
                overflow(4);
            }
            pos = p + 5;
            return dataView.getFloat32(p + 1);
        }
        case extendedFloat64: {
            if (end - p < 9) {
                overflow(8);
            }
            pos = p + 9;
            return dataView.getFloat64(p + 1);
        }
        default:
            throw new Error(`unexpected minor value ${minor} for major 7.`);
    }
}
function bytesToFloat16(a, b) {
    const sign = a >> 7;
    const exponent = (a & 0b0111_1100) >> 2;
    const fraction = ((a & 0b0000_0011) << 8) | b;
    const scalar = sign === 0 ? 1 : -1;
    if (exponent === 0b00000) {
        if (fraction === 0) {
            return 0;
        }
        return scalar * (Math.pow(2, 1 - 15) * (fraction / 1024));
    }
    else if (exponent === 0b11111) {
        if (fraction === 0) {
            return scalar * Infinity;
        }
        return NaN;
    }
    return scalar * (Math.pow(2, exponent - 15) * (1 + fraction / 1024));
}
function castBigInt(value) {
    if (typeof value === "number") {
        return value;
    }
    const num = Number(value);
    if (Number.MIN_SAFE_INTEGER <= num && num <= Number.MAX_SAFE_INTEGER) {
        return num;
    }
    return value;
}
function overflow(n) {
    throw new Error(`CBOR: length ${n} greater than remaining buffer length.`);
}
function transformObject(ns, value) {
    if (ns.isTimestampSchema()) {
        if (typeof value === "number") {
            return _parseEpochTimestamp(value);
        }
        if (typeof value === "object" && value !== null) {
            if (value.tag === 1 && "value" in value) {
                return _parseEpochTimestamp(value.value);
            }
        }
    }
    if (ns.isBlobSchema()) {
        return value;
    }
    if (typeof value === "undefined" ||
        typeof value === "boolean" ||
        typeof value === "number" ||
        typeof value === "string" ||
        typeof value === "bigint" ||
        typeof value === "symbol") {
        return value;
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    if ("byteLength" in value) {
        return value;
    }
    if (value instanceof Date) {
        return value;
    }
    if (value instanceof NumericValue) {
        return value;
    }
    if (ns.isDocumentSchema()) {
        return value;
    }
    if (ns.isListSchema()) {
        const memberSchema = ns.getValueSchema();
        const out = [];
        for (const item of value) {
            out.push(transformObject(memberSchema, item));
        }
        return out;
    }
    const newObject = {};
    if (ns.isMapSchema()) {
        const targetSchema = ns.getValueSchema();
        for (const key in value) {
            if (!hasOwn(value, key)) {
                continue;
            }
            newObject[key] = transformObject(targetSchema, value[key]);
        }
    }
    else if (ns.isStructSchema()) {
        const isUnion = ns.isUnionSchema();
        let keys;
        if (isUnion) {
            keys = new Set();
            for (const k in value) {
                if (!hasOwn(value, k)) {
                    continue;
                }
                if (k !== "__type") {
                    keys.add(k);
                }
            }
        }
        for (const [key, memberSchema] of ns.structIterator()) {
            if (isUnion) {
                keys.delete(key);
            }
            if (value[key] != null) {
                newObject[key] = transformObject(memberSchema, value[key]);
            }
        }
        if (isUnion && keys?.size === 1) {
            let newObjectEmpty = true;
            for (const _ in newObject) {
                if (!hasOwn(newObject, _)) {
                    continue;
                }
                newObjectEmpty = false;
                break;
            }
            if (newObjectEmpty) {
                const k = keys.values().next().value;
                newObject.$unknown = [k, value[k]];
            }
        }
        else if (typeof value.__type === "string") {
            for (const k in value) {
                if (!hasOwn(value, k)) {
                    continue;
                }
                if (!(k in newObject)) {
                    newObject[k] = value[k];
                }
            }
        }
    }
    return newObject;
}

class CborCodec extends SerdeContext {
    createSerializer() {
        const serializer = new CborShapeSerializer2();
        serializer.setSerdeContext(this.serdeContext);
        return serializer;
    }
    createDeserializer() {
        const deserializer = new CborShapeDeserializer2();
        deserializer.setSerdeContext(this.serdeContext);
        return deserializer;
    }
}

class SmithyRpcV2CborProtocol extends AbstractRpcV2Protocol {
    codec = new CborCodec();
    serializer = this.codec.createSerializer();
    deserializer = this.codec.createDeserializer();
    getShapeId() {
        return "smithy.protocols#rpcv2Cbor";
    }
    getPayloadCodec() {
        return this.codec;
    }
    getSmithyProtocolHeaderValue() {
        return "rpc-v2-cbor";
    }
    applyEmptyBody(request) {
        if (!request.body) {
            this.serializer.write(15, {});
            request.body = this.serializer.flush();
        }
        if (request.body instanceof Uint8Array) {
            request.headers["content-length"] = String(request.body.byteLength);
        }
    }
    async handleError(operationSchema, context, response, dataObject, metadata) {
        const errorIdentifier = loadSmithyRpcV2CborErrorCode(response, dataObject) ?? "Unknown";
        const preferredNamespaces = ["*"];
        const { defaultNamespace } = this.options;
        preferredNamespaces.unshift(defaultNamespace);
        const [namespace, errorShapeName] = (() => {
            if (errorIdentifier.includes("#")) {
                return errorIdentifier.split("#");
            }
            return [undefined, errorIdentifier];
        })();
        if (namespace) {
            preferredNamespaces.unshift(namespace);
        }
        const errorMetadata = {
            $metadata: metadata,
            $fault: response.statusCode < 500 ? "client" : "server",
        };
        const preferredRegistries = [this.compositeErrorRegistry];
        if (namespace) {
            preferredRegistries.push(TypeRegistry.for(namespace));
        }
        preferredRegistries.push(TypeRegistry.for(defaultNamespace));
        const [errorSchema, ErrorCtor, errorMode] = this.resolveError(errorShapeName, preferredNamespaces, preferredRegistries);
        if (errorMode === "native" || errorMode === "synthetic") {
            if (dataObject.Message) {
                dataObject.message = dataObject.Message;
            }
            const error = errorMode === "synthetic" ? new ErrorCtor({ name: errorShapeName }) : new Error(errorShapeName);
            throw Object.assign(error, errorMetadata, dataObject);
        }
        const ns = NormalizedSchema.of(errorSchema);
        const message = dataObject.message ?? dataObject.Message ?? "Unknown";
        const exception = new ErrorCtor({});
        const output = {};
        for (const [name, member] of ns.structIterator()) {
            output[name] = this.deserializer.readValue(member, dataObject[name]);
        }
        throw Object.assign(exception, errorMetadata, {
            $fault: ns.getMergedTraits().error,
            message,
        }, output);
    }
    getDefaultContentType() {
        return "application/cbor";
    }
}

class CborShapeSerializer extends SerdeContext {
    value;
    write(schema, value) {
        this.value = this.serialize(schema, value);
    }
    serialize(schema, source) {
        const ns = NormalizedSchema.of(schema);
        if (source == null) {
            if (ns.isIdempotencyToken()) {
                return generateIdempotencyToken();
            }
            return source;
        }
        if (ns.isBlobSchema()) {
            if (typeof source === "string") {
                return (this.serdeContext?.base64Decoder ?? fromBase64)(source);
            }
            return source;
        }
        if (ns.isTimestampSchema()) {
            if (typeof source === "number" || typeof source === "bigint") {
                return dateToTag(new Date((Number(source) / 1000) | 0));
            }
            return dateToTag(source);
        }
        if (typeof source === "function" || typeof source === "object") {
            const sourceObject = source;
            if (ns.isListSchema() && Array.isArray(sourceObject)) {
                const sparse = !!ns.getMergedTraits().sparse;
                const newArray = [];
                let i = 0;
                for (const item of sourceObject) {
                    const value = this.serialize(ns.getValueSchema(), item);
                    if (value != null || sparse) {
                        newArray[i++] = value;
                    }
                }
                return newArray;
            }
            if (sourceObject instanceof Date) {
                return dateToTag(sourceObject);
            }
            const newObject = {};
            if (ns.isMapSchema()) {
                const sparse = !!ns.getMergedTraits().sparse;
                for (const key in sourceObject) {
                    if (!hasOwn(sourceObject, key)) {
                        continue;
                    }
                    const value = this.serialize(ns.getValueSchema(), sourceObject[key]);
                    if (value != null || sparse) {
                        newObject[key] = value;
                    }
                }
            }
            else if (ns.isStructSchema()) {
                for (const [key, memberSchema] of ns.structIterator()) {
                    const value = this.serialize(memberSchema, sourceObject[key]);
                    if (value != null) {
                        newObject[key] = value;
                    }
                }
                const isUnion = ns.isUnionSchema();
                if (isUnion && Array.isArray(sourceObject.$unknown)) {
                    const [k, v] = sourceObject.$unknown;
                    newObject[k] = v;
                }
                else if (typeof sourceObject.__type === "string") {
                    for (const k in sourceObject) {
                        if (!hasOwn(sourceObject, k)) {
                            continue;
                        }
                        if (!(k in newObject)) {
                            newObject[k] = this.serialize(15, sourceObject[k]);
                        }
                    }
                }
            }
            else if (ns.isDocumentSchema()) {
                if (Array.isArray(sourceObject)) {
                    const newArray = [];
                    let i = 0;
                    for (const item of sourceObject) {
                        newArray[i++] = this.serialize(ns.getValueSchema(), item);
                    }
                    return newArray;
                }
                for (const key in sourceObject) {
                    if (!hasOwn(sourceObject, key)) {
                        continue;
                    }
                    newObject[key] = this.serialize(ns.getValueSchema(), sourceObject[key]);
                }
            }
            else if (ns.isBigDecimalSchema()) {
                return sourceObject;
            }
            return newObject;
        }
        return source;
    }
    flush() {
        const buffer = cbor.serialize(this.value);
        this.value = undefined;
        return buffer;
    }
}

class CborShapeDeserializer extends SerdeContext {
    read(schema, bytes) {
        const data = cbor.deserialize(bytes);
        return this.readValue(schema, data);
    }
    readValue(_schema, value) {
        const ns = NormalizedSchema.of(_schema);
        if (ns.isTimestampSchema()) {
            if (typeof value === "number") {
                return _parseEpochTimestamp(value);
            }
            if (typeof value === "object") {
                if (value.tag === 1 && "value" in value) {
                    return _parseEpochTimestamp(value.value);
                }
            }
        }
        if (ns.isBlobSchema()) {
            if (typeof value === "string") {
                return (this.serdeContext?.base64Decoder ?? fromBase64)(value);
            }
            return value;
        }
        if (typeof value === "undefined" ||
            typeof value === "boolean" ||
            typeof value === "number" ||
            typeof value === "string" ||
            typeof value === "bigint" ||
            typeof value === "symbol") {
            return value;
        }
        else if (typeof value === "object") {
            if (value === null) {
                return null;
            }
            if ("byteLength" in value) {
                return value;
            }
            if (value instanceof Date) {
                return value;
            }
            if (ns.isDocumentSchema()) {
                return value;
            }
            if (ns.isListSchema()) {
                const newArray = [];
                const memberSchema = ns.getValueSchema();
                for (const item of value) {
                    const itemValue = this.readValue(memberSchema, item);
                    newArray.push(itemValue);
                }
                return newArray;
            }
            const newObject = {};
            if (ns.isMapSchema()) {
                const targetSchema = ns.getValueSchema();
                for (const key in value) {
                    if (!hasOwn(value, key)) {
                        continue;
                    }
                    const itemValue = this.readValue(targetSchema, value[key]);
                    newObject[key] = itemValue;
                }
            }
            else if (ns.isStructSchema()) {
                const isUnion = ns.isUnionSchema();
                let keys;
                if (isUnion) {
                    keys = new Set();
                    for (const k in value) {
                        if (!hasOwn(value, k)) {
                            continue;
                        }
                        if (k !== "__type") {
                            keys.add(k);
                        }
                    }
                }
                for (const [key, memberSchema] of ns.structIterator()) {
                    if (isUnion) {
                        keys.delete(key);
                    }
                    if (value[key] != null) {
                        newObject[key] = this.readValue(memberSchema, value[key]);
                    }
                }
                if (isUnion && keys?.size === 1) {
                    let newObjectEmpty = true;
                    for (const _ in newObject) {
                        if (!hasOwn(newObject, _)) {
                            continue;
                        }
                        newObjectEmpty = false;
                        break;
                    }
                    if (newObjectEmpty) {
                        const k = keys.values().next().value;
                        newObject.$unknown = [k, value[k]];
                    }
                }
                else if (typeof value.__type === "string") {
                    for (const k in value) {
                        if (!hasOwn(value, k)) {
                            continue;
                        }
                        if (!(k in newObject)) {
                            newObject[k] = value[k];
                        }
                    }
                }
            }
            else if (value instanceof NumericValue) {
                return value;
            }
            return newObject;
        }
        else {
            return value;
        }
    }
}

exports.CborCodec = CborCodec;
exports.CborShapeDeserializer = CborShapeDeserializer;
exports.CborShapeDeserializer2 = CborShapeDeserializer2;
exports.CborShapeSerializer = CborShapeSerializer;
exports.CborShapeSerializer2 = CborShapeSerializer2;
exports.SmithyRpcV2CborProtocol = SmithyRpcV2CborProtocol;
exports.buildHttpRpcRequest = buildHttpRpcRequest;
exports.cbor = cbor;
exports.checkCborResponse = checkCborResponse;
exports.dateToTag = dateToTag;
exports.loadSmithyRpcV2CborErrorCode = loadSmithyRpcV2CborErrorCode;
exports.parseCborBody = parseCborBody;
exports.parseCborErrorBody = parseCborErrorBody;
exports.tag = tag;
exports.tagSymbol = tagSymbol;


/***/ }),

/***/ 23609:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { Readable } = __webpack_require__(57075);
const { NoOpLogger, normalizeProvider } = __webpack_require__(92658);
const { HttpResponse, HttpRequest } = __webpack_require__(93422);
const { parseRfc7231DateTime, v4 } = __webpack_require__(92430);
const { SMITHY_CONTEXT_KEY } = __webpack_require__(90690);
const { hasOwn } = __webpack_require__(34534);

const isStreamingPayload = (request) => request?.body instanceof Readable ||
    (typeof ReadableStream !== "undefined" && request?.body instanceof ReadableStream);

const CLOCK_SKEW_ERROR_CODES = [
    "AccessDeniedException",
    "AuthFailure",
    "InvalidSignatureException",
    "RequestExpired",
    "RequestInTheFuture",
    "RequestTimeTooSkewed",
    "SignatureDoesNotMatch",
];
const THROTTLING_ERROR_CODES = [
    "BandwidthLimitExceeded",
    "EC2ThrottledException",
    "LimitExceededException",
    "PriorRequestNotComplete",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "ThrottledException",
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "TransactionInProgressException",
];
const TRANSIENT_ERROR_CODES = ["TimeoutError", "RequestTimeout", "RequestTimeoutException"];
const TRANSIENT_ERROR_STATUS_CODES = [500, 502, 503, 504];
const NODEJS_TIMEOUT_ERROR_CODES = ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"];
const NODEJS_NETWORK_ERROR_CODES = ["EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"];

const isRetryableByTrait = (error) => error?.$retryable !== undefined;
const isClockSkewError = (error) => CLOCK_SKEW_ERROR_CODES.includes(error.name);
const isClockSkewCorrectedError = (error) => error.$metadata?.clockSkewCorrected;
const isBrowserNetworkError = (error) => {
    const errorMessages = new Set([
        "Failed to fetch",
        "NetworkError when attempting to fetch resource",
        "The Internet connection appears to be offline",
        "Load failed",
        "Network request failed",
    ]);
    const isValid = error && error instanceof TypeError;
    if (!isValid) {
        return false;
    }
    return errorMessages.has(error.message);
};
const isThrottlingError = (error) => error.$metadata?.httpStatusCode === 429 ||
    THROTTLING_ERROR_CODES.includes(error.name) ||
    error.$retryable?.throttling == true;
const isTransientError = (error, depth = 0) => error?.name !== "AbortError" &&
    (isRetryableByTrait(error) ||
        isClockSkewCorrectedError(error) ||
        (error.name === "InvalidSignatureException" && error.message?.includes("Signature expired")) ||
        TRANSIENT_ERROR_CODES.includes(error.name) ||
        NODEJS_TIMEOUT_ERROR_CODES.includes(error?.code || "") ||
        NODEJS_NETWORK_ERROR_CODES.includes(error?.code || "") ||
        TRANSIENT_ERROR_STATUS_CODES.includes(error.$metadata?.httpStatusCode || 0) ||
        isBrowserNetworkError(error) ||
        isNodeJsHttp2TransientError(error) ||
        (error.cause !== undefined && depth <= 10 && isTransientError(error.cause, depth + 1)));
const isServerError = (error) => {
    if (error.$metadata?.httpStatusCode !== undefined) {
        const statusCode = error.$metadata.httpStatusCode;
        if (500 <= statusCode && statusCode <= 599 && !isTransientError(error)) {
            return true;
        }
        return false;
    }
    return false;
};
function isNodeJsHttp2TransientError(error) {
    return error.code === "ERR_HTTP2_STREAM_ERROR" && error.message.includes("NGHTTP2_REFUSED_STREAM");
}

const race = (promise, signal) => {
    if (!signal) {
        return promise;
    }
    let cleanup = () => { };
    const aborted = new Promise((_, reject) => {
        const handler = () => reject(createAbortError());
        if (signal.aborted) {
            handler();
        }
        else if (typeof signal.addEventListener === "function") {
            signal.addEventListener("abort", handler, { once: true });
            cleanup = () => signal.removeEventListener("abort", handler);
        }
        else {
            signal.onabort = handler;
        }
    });
    return Promise.race([promise, aborted]).finally(cleanup);
};
const createAbortError = () => Object.assign(new Error("Request aborted"), { name: "AbortError" });
const isAbortError = (error) => typeof error === "object" && error !== null && "name" in error && error.name === "AbortError";

const DEFAULT_RETRY_DELAY_BASE = 100;
const MAXIMUM_RETRY_DELAY = 20 * 1000;
const THROTTLING_RETRY_DELAY_BASE = 500;
const INITIAL_RETRY_TOKENS = 500;
const RETRY_COST = 5;
const TIMEOUT_RETRY_COST = 10;
const NO_RETRY_INCREMENT = 1;
const INVOCATION_ID_HEADER = "amz-sdk-invocation-id";
const REQUEST_HEADER = "amz-sdk-request";

function parseRetryAfterHeader(response, logger) {
    if (!HttpResponse.isInstance(response)) {
        return;
    }
    for (const header in response.headers) {
        if (!hasOwn(response.headers, header)) {
            continue;
        }
        const h = header.toLowerCase();
        if (h === "retry-after") {
            const retryAfter = response.headers[header];
            let retryAfterSeconds = NaN;
            if (retryAfter.endsWith("GMT")) {
                try {
                    const date = parseRfc7231DateTime(retryAfter);
                    retryAfterSeconds = (date.getTime() - Date.now()) / 1000;
                }
                catch (e) {
                    logger?.trace?.("Failed to parse retry-after header");
                    logger?.trace?.(e);
                }
            }
            else if (retryAfter.match(/ GMT, ((\d+)|(\d+\.\d+))$/)) {
                retryAfterSeconds = Number(retryAfter.match(/ GMT, ([\d.]+)$/)?.[1]);
            }
            else if (retryAfter.match(/^((\d+)|(\d+\.\d+))$/)) {
                retryAfterSeconds = Number(retryAfter);
            }
            else if (Date.parse(retryAfter) >= Date.now()) {
                retryAfterSeconds = (Date.parse(retryAfter) - Date.now()) / 1000;
            }
            if (isNaN(retryAfterSeconds)) {
                return;
            }
            return new Date(Date.now() + retryAfterSeconds * 1000);
        }
        else if (h === "x-amz-retry-after") {
            const v = response.headers[header];
            const backoffMilliseconds = Number(v);
            if (isNaN(backoffMilliseconds)) {
                logger?.trace?.(`Failed to parse x-amz-retry-after=${v}`);
                return;
            }
            return new Date(Date.now() + backoffMilliseconds);
        }
    }
}
function getRetryAfterHint(response, logger) {
    return parseRetryAfterHeader(response, logger);
}

const asSdkError = (error) => {
    if (error instanceof Error) {
        return error;
    }
    if (error instanceof Object) {
        return Object.assign(new Error(), error);
    }
    if (typeof error === "string") {
        return new Error(error);
    }
    return new Error(`AWS SDK error wrapper for ${error}`);
};

function bindRetryMiddleware(isStreamingPayload) {
    return (options) => (next, context) => async (args) => {
        let retryStrategy = await options.retryStrategy();
        const maxAttempts = await options.maxAttempts();
        const abortSignal = context[SMITHY_CONTEXT_KEY]?.abortSignal;
        if (isRetryStrategyV2(retryStrategy)) {
            retryStrategy = retryStrategy;
            const retryTokenScope = (context["partition_id"] ?? "") + (context.__retryLongPoll ? ":longpoll" : "");
            let retryToken = await race(retryStrategy.acquireInitialRetryToken(retryTokenScope), abortSignal);
            let lastError = new Error();
            let attempts = 0;
            let totalRetryDelay = 0;
            const { request } = args;
            const isRequest = HttpRequest.isInstance(request);
            if (isRequest) {
                request.headers[INVOCATION_ID_HEADER] = v4();
            }
            while (true) {
                try {
                    if (isRequest) {
                        request.headers[REQUEST_HEADER] = `attempt=${attempts + 1}; max=${maxAttempts}`;
                    }
                    const { response, output } = await next(args);
                    retryStrategy.recordSuccess(retryToken);
                    output.$metadata.attempts = attempts + 1;
                    output.$metadata.totalRetryDelay = totalRetryDelay;
                    return { response, output };
                }
                catch (e) {
                    const retryErrorInfo = getRetryErrorInfo(e, options.logger);
                    lastError = asSdkError(e);
                    if (isRequest && isStreamingPayload(request)) {
                        (context.logger instanceof NoOpLogger ? console : context.logger)?.warn("An error was encountered in a non-retryable streaming request.");
                        throw lastError;
                    }
                    try {
                        retryToken = await race(retryStrategy.refreshRetryTokenForRetry(retryToken, retryErrorInfo), abortSignal);
                    }
                    catch (refreshError) {
                        if (abortSignal?.aborted && isAbortError(refreshError)) {
                            throw refreshError;
                        }
                        if (!lastError.$metadata) {
                            lastError.$metadata = {};
                        }
                        lastError.$metadata.attempts = attempts + 1;
                        lastError.$metadata.totalRetryDelay = totalRetryDelay;
                        throw lastError;
                    }
                    attempts = retryToken.getRetryCount();
                    const delay = retryToken.getRetryDelay();
                    totalRetryDelay += (retryToken?.$retryLog?.acquisitionDelay ?? 0) + delay;
                    if (delay > 0) {
                        await race(new Promise((resolve) => setTimeout(resolve, delay)), abortSignal);
                    }
                }
            }
        }
        else {
            retryStrategy = retryStrategy;
            if (retryStrategy?.mode) {
                context.userAgent = [...(context.userAgent || []), ["cfg/retry-mode", retryStrategy.mode]];
            }
            return retryStrategy.retry(next, args);
        }
    };
}
const isRetryStrategyV2 = (retryStrategy) => typeof retryStrategy.acquireInitialRetryToken !== "undefined" &&
    typeof retryStrategy.refreshRetryTokenForRetry !== "undefined" &&
    typeof retryStrategy.recordSuccess !== "undefined";
const getRetryErrorInfo = (error, logger) => {
    const errorInfo = {
        error,
        errorType: getRetryErrorType(error),
    };
    const retryAfterHint = parseRetryAfterHeader(error.$response, logger);
    if (retryAfterHint) {
        errorInfo.retryAfterHint = retryAfterHint;
    }
    return errorInfo;
};
const getRetryErrorType = (error) => {
    if (isThrottlingError(error)) {
        return "THROTTLING";
    }
    if (isTransientError(error)) {
        return "TRANSIENT";
    }
    if (isServerError(error)) {
        return "SERVER_ERROR";
    }
    return "CLIENT_ERROR";
};
const retryMiddlewareOptions = {
    name: "retryMiddleware",
    tags: ["RETRY"],
    step: "finalizeRequest",
    priority: "high",
    override: true,
};
function bindGetRetryPlugin(isStreamingPayload) {
    const retryMiddleware = bindRetryMiddleware(isStreamingPayload);
    return (options) => ({
        applyToStack: (clientStack) => {
            clientStack.add(retryMiddleware(options), retryMiddlewareOptions);
        },
    });
}

class DefaultRateLimiter {
    static setTimeoutFn = (fn, delay) => setTimeout(fn, delay);
    beta;
    minCapacity;
    minFillRate;
    scaleConstant;
    smooth;
    enabled = false;
    availableTokens = 0;
    lastMaxRate = 0;
    measuredTxRate = 0;
    requestCount = 0;
    fillRate;
    lastThrottleTime;
    lastTimestamp = 0;
    lastTxRateBucket;
    maxCapacity;
    timeWindow = 0;
    constructor(options) {
        this.beta = options?.beta ?? 0.7;
        this.minCapacity = options?.minCapacity ?? 1;
        this.minFillRate = options?.minFillRate ?? 0.5;
        this.scaleConstant = options?.scaleConstant ?? 0.4;
        this.smooth = options?.smooth ?? 0.8;
        this.lastThrottleTime = this.getCurrentTimeInSeconds();
        this.lastTxRateBucket = Math.floor(this.getCurrentTimeInSeconds());
        this.fillRate = this.minFillRate;
        this.maxCapacity = this.minCapacity;
    }
    async getSendToken() {
        return this.acquireTokenBucket(1);
    }
    updateClientSendingRate(response) {
        let calculatedRate;
        this.updateMeasuredRate();
        const retryErrorInfo = response;
        const isThrottling = retryErrorInfo?.errorType === "THROTTLING" || isThrottlingError(retryErrorInfo?.error ?? response);
        if (isThrottling) {
            const rateToUse = !this.enabled ? this.measuredTxRate : Math.min(this.measuredTxRate, this.fillRate);
            this.lastMaxRate = rateToUse;
            this.calculateTimeWindow();
            this.lastThrottleTime = this.getCurrentTimeInSeconds();
            calculatedRate = this.cubicThrottle(rateToUse);
            this.enableTokenBucket();
        }
        else {
            this.calculateTimeWindow();
            calculatedRate = this.cubicSuccess(this.getCurrentTimeInSeconds());
        }
        const newRate = Math.min(calculatedRate, 2 * this.measuredTxRate);
        this.updateTokenBucketRate(newRate);
    }
    getCurrentTimeInSeconds() {
        return Date.now() / 1000;
    }
    async acquireTokenBucket(amount) {
        if (!this.enabled) {
            return;
        }
        this.refillTokenBucket();
        while (amount > this.availableTokens) {
            const delay = ((amount - this.availableTokens) / this.fillRate) * 1000;
            await new Promise((resolve) => DefaultRateLimiter.setTimeoutFn(resolve, delay));
            this.refillTokenBucket();
        }
        this.availableTokens = this.availableTokens - amount;
    }
    refillTokenBucket() {
        const timestamp = this.getCurrentTimeInSeconds();
        if (!this.lastTimestamp) {
            this.lastTimestamp = timestamp;
            return;
        }
        const fillAmount = (timestamp - this.lastTimestamp) * this.fillRate;
        this.availableTokens = Math.min(this.maxCapacity, this.availableTokens + fillAmount);
        this.lastTimestamp = timestamp;
    }
    calculateTimeWindow() {
        this.timeWindow = this.getPrecise(Math.pow((this.lastMaxRate * (1 - this.beta)) / this.scaleConstant, 1 / 3));
    }
    cubicThrottle(rateToUse) {
        return this.getPrecise(rateToUse * this.beta);
    }
    cubicSuccess(timestamp) {
        return this.getPrecise(this.scaleConstant * Math.pow(timestamp - this.lastThrottleTime - this.timeWindow, 3) + this.lastMaxRate);
    }
    enableTokenBucket() {
        this.enabled = true;
    }
    updateTokenBucketRate(newRate) {
        this.refillTokenBucket();
        this.fillRate = Math.max(newRate, this.minFillRate);
        this.maxCapacity = Math.max(newRate, this.minCapacity);
        this.availableTokens = Math.min(this.availableTokens, this.maxCapacity);
    }
    updateMeasuredRate() {
        const t = this.getCurrentTimeInSeconds();
        const timeBucket = Math.floor(t * 2) / 2;
        this.requestCount++;
        if (timeBucket > this.lastTxRateBucket) {
            const currentRate = this.requestCount / (timeBucket - this.lastTxRateBucket);
            this.measuredTxRate = this.getPrecise(currentRate * this.smooth + this.measuredTxRate * (1 - this.smooth));
            this.requestCount = 0;
            this.lastTxRateBucket = timeBucket;
        }
    }
    getPrecise(num) {
        return parseFloat(num.toFixed(8));
    }
}

class Retry {
    static v2026 = true;
    static delay() {
        return 50;
    }
    static throttlingDelay() {
        return 1_000;
    }
    static cost() {
        return 14;
    }
    static throttlingCost() {
        return 5;
    }
    static modifiedCostType() {
        return "THROTTLING";
    }
}

class DefaultRetryBackoffStrategy {
    x = Retry.delay();
    computeNextBackoffDelay(i) {
        const b = Math.random();
        const r = 2;
        const t_i = b * Math.min(this.x * r ** i, MAXIMUM_RETRY_DELAY);
        return Math.floor(t_i);
    }
    setDelayBase(delay) {
        this.x = delay;
    }
}

class DefaultRetryToken {
    delay;
    count;
    cost;
    longPoll;
    $retryLog = {
        acquisitionDelay: 0,
    };
    constructor(delay, count, cost, longPoll) {
        this.delay = delay;
        this.count = count;
        this.cost = cost;
        this.longPoll = longPoll;
    }
    getRetryCount() {
        return this.count;
    }
    getRetryDelay() {
        return Math.min(MAXIMUM_RETRY_DELAY, this.delay);
    }
    getRetryCost() {
        return this.cost;
    }
    isLongPoll() {
        return this.longPoll;
    }
}

var RETRY_MODES;
(function (RETRY_MODES) {
    RETRY_MODES["STANDARD"] = "standard";
    RETRY_MODES["ADAPTIVE"] = "adaptive";
})(RETRY_MODES || (RETRY_MODES = {}));
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_RETRY_MODE = RETRY_MODES.STANDARD;

const refusal = {
    incompatible: 1,
    attempts: 2,
    capacity: 3,
};
let StandardRetryStrategy$1 = class StandardRetryStrategy {
    mode = RETRY_MODES.STANDARD;
    retryBackoffStrategy;
    capacity = INITIAL_RETRY_TOKENS;
    maxAttemptsProvider;
    baseDelay;
    constructor(arg1) {
        if (typeof arg1 === "number") {
            this.maxAttemptsProvider = async () => arg1;
        }
        else if (typeof arg1 === "function") {
            this.maxAttemptsProvider = arg1;
        }
        else if (arg1 && typeof arg1 === "object") {
            this.maxAttemptsProvider = async () => arg1.maxAttempts;
            this.baseDelay = arg1.baseDelay;
            this.retryBackoffStrategy = arg1.backoff;
        }
        this.maxAttemptsProvider ??= async () => DEFAULT_MAX_ATTEMPTS;
        this.baseDelay ??= Retry.delay();
        this.retryBackoffStrategy ??= new DefaultRetryBackoffStrategy();
    }
    async acquireInitialRetryToken(retryTokenScope) {
        return new DefaultRetryToken(Retry.delay(), 0, undefined, retryTokenScope.includes(":longpoll"));
    }
    async refreshRetryTokenForRetry(token, errorInfo) {
        const maxAttempts = await this.getMaxAttempts();
        const retryCode = this.retryCode(token, errorInfo, maxAttempts);
        const shouldRetry = retryCode === 0;
        const isLongPoll = token.isLongPoll?.();
        if (shouldRetry || isLongPoll) {
            const errorType = errorInfo.errorType;
            this.retryBackoffStrategy.setDelayBase(errorType === "THROTTLING" ? Retry.throttlingDelay() : this.baseDelay);
            const delayFromErrorType = this.retryBackoffStrategy.computeNextBackoffDelay(token.getRetryCount());
            let retryDelay = delayFromErrorType;
            if (errorInfo.retryAfterHint instanceof Date) {
                retryDelay = Math.max(delayFromErrorType, Math.min(errorInfo.retryAfterHint.getTime() - Date.now(), delayFromErrorType + 5_000));
            }
            if (!shouldRetry) {
                const longPollBackoff = retryCode === refusal.capacity && isLongPoll ? retryDelay : 0;
                if (longPollBackoff > 0) {
                    await new Promise((r) => setTimeout(r, longPollBackoff));
                }
            }
            else {
                const capacityCost = this.getCapacityCost(errorType);
                this.capacity -= capacityCost;
                const nextToken = new DefaultRetryToken(0, token.getRetryCount() + 1, capacityCost, token.isLongPoll?.() ?? false);
                await new Promise((r) => setTimeout(r, retryDelay));
                nextToken.$retryLog.acquisitionDelay = retryDelay;
                return nextToken;
            }
        }
        throw new Error("No retry token available");
    }
    recordSuccess(token) {
        this.capacity = Math.min(INITIAL_RETRY_TOKENS, this.capacity + (token.getRetryCost() ?? NO_RETRY_INCREMENT));
    }
    getCapacity() {
        return this.capacity;
    }
    async maxAttempts() {
        return this.maxAttemptsProvider();
    }
    async getMaxAttempts() {
        try {
            return await this.maxAttemptsProvider();
        }
        catch (ignored) {
            console.warn(`Max attempts provider could not resolve. Using default of ${DEFAULT_MAX_ATTEMPTS}`);
            return DEFAULT_MAX_ATTEMPTS;
        }
    }
    retryCode(tokenToRenew, errorInfo, maxAttempts) {
        const attempts = tokenToRenew.getRetryCount() + 1;
        const retryableStatus = this.isRetryableError(errorInfo.errorType) ? 0 : refusal.incompatible;
        const attemptStatus = attempts < maxAttempts ? 0 : refusal.attempts;
        const capacityStatus = this.capacity >= this.getCapacityCost(errorInfo.errorType) ? 0 : refusal.capacity;
        return retryableStatus || attemptStatus || capacityStatus;
    }
    getCapacityCost(errorType) {
        return errorType === Retry.modifiedCostType() ? Retry.throttlingCost() : Retry.cost();
    }
    isRetryableError(errorType) {
        return errorType === "THROTTLING" || errorType === "TRANSIENT";
    }
};

let AdaptiveRetryStrategy$1 = class AdaptiveRetryStrategy {
    mode = RETRY_MODES.ADAPTIVE;
    rateLimiter;
    standardRetryStrategy;
    constructor(maxAttemptsProvider, options) {
        const { rateLimiter } = options ?? {};
        this.rateLimiter = rateLimiter ?? new DefaultRateLimiter();
        this.standardRetryStrategy = options
            ? new StandardRetryStrategy$1({
                maxAttempts: typeof maxAttemptsProvider === "number" ? maxAttemptsProvider : 3,
                ...options,
            })
            : new StandardRetryStrategy$1(maxAttemptsProvider);
    }
    async acquireInitialRetryToken(retryTokenScope) {
        const token = await this.standardRetryStrategy.acquireInitialRetryToken(retryTokenScope);
        await this.rateLimiter.getSendToken();
        return token;
    }
    async refreshRetryTokenForRetry(tokenToRenew, errorInfo) {
        this.rateLimiter.updateClientSendingRate(errorInfo);
        const token = await this.standardRetryStrategy.refreshRetryTokenForRetry(tokenToRenew, errorInfo);
        await this.rateLimiter.getSendToken();
        return token;
    }
    recordSuccess(token) {
        this.rateLimiter.updateClientSendingRate({});
        this.standardRetryStrategy.recordSuccess(token);
    }
    async maxAttemptsProvider() {
        return this.standardRetryStrategy.maxAttempts();
    }
};

class ConfiguredRetryStrategy extends StandardRetryStrategy$1 {
    computeNextBackoffDelay;
    constructor(maxAttempts, computeNextBackoffDelay = Retry.delay()) {
        super(typeof maxAttempts === "function" ? maxAttempts : async () => maxAttempts);
        if (typeof computeNextBackoffDelay === "number") {
            this.computeNextBackoffDelay = () => computeNextBackoffDelay;
        }
        else {
            this.computeNextBackoffDelay = computeNextBackoffDelay;
        }
        this.retryBackoffStrategy.computeNextBackoffDelay = (completedAttempt) => {
            const nextAttempt = completedAttempt + 1;
            return this.computeNextBackoffDelay(nextAttempt);
        };
    }
}

const getDefaultRetryQuota = (initialRetryTokens, options) => {
    const MAX_CAPACITY = initialRetryTokens;
    const noRetryIncrement = NO_RETRY_INCREMENT;
    const retryCost = RETRY_COST;
    const timeoutRetryCost = TIMEOUT_RETRY_COST;
    let availableCapacity = initialRetryTokens;
    const getCapacityAmount = (error) => (error.name === "TimeoutError" ? timeoutRetryCost : retryCost);
    const hasRetryTokens = (error) => getCapacityAmount(error) <= availableCapacity;
    const retrieveRetryTokens = (error) => {
        if (!hasRetryTokens(error)) {
            throw new Error("No retry token available");
        }
        const capacityAmount = getCapacityAmount(error);
        availableCapacity -= capacityAmount;
        return capacityAmount;
    };
    const releaseRetryTokens = (capacityReleaseAmount) => {
        availableCapacity += capacityReleaseAmount ?? noRetryIncrement;
        availableCapacity = Math.min(availableCapacity, MAX_CAPACITY);
    };
    return Object.freeze({
        hasRetryTokens,
        retrieveRetryTokens,
        releaseRetryTokens,
    });
};

const defaultDelayDecider = (delayBase, attempts) => Math.floor(Math.min(MAXIMUM_RETRY_DELAY, Math.random() * 2 ** attempts * delayBase));

const defaultRetryDecider = (error) => {
    if (!error) {
        return false;
    }
    return isRetryableByTrait(error) || isClockSkewError(error) || isThrottlingError(error) || isTransientError(error);
};

class StandardRetryStrategy {
    maxAttemptsProvider;
    retryDecider;
    delayDecider;
    retryQuota;
    mode = RETRY_MODES.STANDARD;
    constructor(maxAttemptsProvider, options) {
        this.maxAttemptsProvider = maxAttemptsProvider;
        this.retryDecider = options?.retryDecider ?? defaultRetryDecider;
        this.delayDecider = options?.delayDecider ?? defaultDelayDecider;
        this.retryQuota = options?.retryQuota ?? getDefaultRetryQuota(INITIAL_RETRY_TOKENS);
    }
    shouldRetry(error, attempts, maxAttempts) {
        return attempts < maxAttempts && this.retryDecider(error) && this.retryQuota.hasRetryTokens(error);
    }
    async getMaxAttempts() {
        let maxAttempts;
        try {
            maxAttempts = await this.maxAttemptsProvider();
        }
        catch (ignored) {
            maxAttempts = DEFAULT_MAX_ATTEMPTS;
        }
        return maxAttempts;
    }
    async retry(next, args, options) {
        let retryTokenAmount;
        let attempts = 0;
        let totalDelay = 0;
        const maxAttempts = await this.getMaxAttempts();
        const { request } = args;
        if (HttpRequest.isInstance(request)) {
            request.headers[INVOCATION_ID_HEADER] = v4();
        }
        while (true) {
            try {
                if (HttpRequest.isInstance(request)) {
                    request.headers[REQUEST_HEADER] = `attempt=${attempts + 1}; max=${maxAttempts}`;
                }
                if (options?.beforeRequest) {
                    await options.beforeRequest();
                }
                const { response, output } = await next(args);
                if (options?.afterRequest) {
                    options.afterRequest(response);
                }
                this.retryQuota.releaseRetryTokens(retryTokenAmount);
                output.$metadata.attempts = attempts + 1;
                output.$metadata.totalRetryDelay = totalDelay;
                return { response, output };
            }
            catch (e) {
                const err = asSdkError(e);
                attempts++;
                if (this.shouldRetry(err, attempts, maxAttempts)) {
                    retryTokenAmount = this.retryQuota.retrieveRetryTokens(err);
                    const delayFromDecider = this.delayDecider(isThrottlingError(err) ? THROTTLING_RETRY_DELAY_BASE : DEFAULT_RETRY_DELAY_BASE, attempts);
                    const delayFromResponse = getDelayFromRetryAfterHeader(err.$response);
                    const delay = Math.max(delayFromResponse || 0, delayFromDecider);
                    totalDelay += delay;
                    await new Promise((resolve) => setTimeout(resolve, delay));
                    continue;
                }
                if (!err.$metadata) {
                    err.$metadata = {};
                }
                err.$metadata.attempts = attempts;
                err.$metadata.totalRetryDelay = totalDelay;
                throw err;
            }
        }
    }
}
const getDelayFromRetryAfterHeader = (response) => {
    if (!HttpResponse.isInstance(response)) {
        return;
    }
    const retryAfterHeaderName = Object.keys(response.headers).find((key) => key.toLowerCase() === "retry-after");
    if (!retryAfterHeaderName) {
        return;
    }
    const retryAfter = response.headers[retryAfterHeaderName];
    const retryAfterSeconds = Number(retryAfter);
    if (!Number.isNaN(retryAfterSeconds)) {
        return Math.min(retryAfterSeconds * 1000, 20_000);
    }
    const retryAfterDate = new Date(retryAfter);
    return Math.min(retryAfterDate.getTime() - Date.now(), 20_000);
};

class AdaptiveRetryStrategy extends StandardRetryStrategy {
    rateLimiter;
    constructor(maxAttemptsProvider, options) {
        const { rateLimiter, ...superOptions } = options ?? {};
        super(maxAttemptsProvider, superOptions);
        this.rateLimiter = rateLimiter ?? new DefaultRateLimiter();
        this.mode = RETRY_MODES.ADAPTIVE;
    }
    async retry(next, args) {
        return super.retry(next, args, {
            beforeRequest: async () => {
                return this.rateLimiter.getSendToken();
            },
            afterRequest: (response) => {
                this.rateLimiter.updateClientSendingRate(response);
            },
        });
    }
}

const ENV_MAX_ATTEMPTS = "AWS_MAX_ATTEMPTS";
const CONFIG_MAX_ATTEMPTS = "max_attempts";
const NODE_MAX_ATTEMPT_CONFIG_OPTIONS = {
    environmentVariableSelector: (env) => {
        const value = env[ENV_MAX_ATTEMPTS];
        if (!value) {
            return undefined;
        }
        const maxAttempt = parseInt(value);
        if (Number.isNaN(maxAttempt)) {
            throw new Error(`Environment variable ${ENV_MAX_ATTEMPTS} mast be a number, got "${value}"`);
        }
        return maxAttempt;
    },
    configFileSelector: (profile) => {
        const value = profile[CONFIG_MAX_ATTEMPTS];
        if (!value) {
            return undefined;
        }
        const maxAttempt = parseInt(value);
        if (Number.isNaN(maxAttempt)) {
            throw new Error(`Shared config file entry ${CONFIG_MAX_ATTEMPTS} mast be a number, got "${value}"`);
        }
        return maxAttempt;
    },
    default: DEFAULT_MAX_ATTEMPTS,
};
const resolveRetryConfig = (input, defaults) => {
    const { retryStrategy, retryMode } = input;
    const { defaultMaxAttempts = DEFAULT_MAX_ATTEMPTS, defaultBaseDelay = Retry.delay() } = defaults ?? {};
    const maxAttemptsProvider = normalizeProvider(input.maxAttempts ?? defaultMaxAttempts);
    let controller = retryStrategy
        ? Promise.resolve(retryStrategy)
        : undefined;
    const getDefault = async () => {
        const maxAttempts = await maxAttemptsProvider();
        const adaptive = (await normalizeProvider(retryMode)()) === RETRY_MODES.ADAPTIVE;
        if (adaptive) {
            return new AdaptiveRetryStrategy$1(maxAttemptsProvider, {
                maxAttempts,
                baseDelay: defaultBaseDelay,
            });
        }
        return new StandardRetryStrategy$1({
            maxAttempts,
            baseDelay: defaultBaseDelay,
        });
    };
    return Object.assign(input, {
        maxAttempts: maxAttemptsProvider,
        retryStrategy: () => (controller ??= getDefault()),
    });
};
const ENV_RETRY_MODE = "AWS_RETRY_MODE";
const CONFIG_RETRY_MODE = "retry_mode";
const NODE_RETRY_MODE_CONFIG_OPTIONS = {
    environmentVariableSelector: (env) => env[ENV_RETRY_MODE],
    configFileSelector: (profile) => profile[CONFIG_RETRY_MODE],
    default: DEFAULT_RETRY_MODE,
};

const omitRetryHeadersMiddleware = () => (next) => async (args) => {
    const { request } = args;
    if (HttpRequest.isInstance(request)) {
        delete request.headers[INVOCATION_ID_HEADER];
        delete request.headers[REQUEST_HEADER];
    }
    return next(args);
};
const omitRetryHeadersMiddlewareOptions = {
    name: "omitRetryHeadersMiddleware",
    tags: ["RETRY", "HEADERS", "OMIT_RETRY_HEADERS"],
    relation: "before",
    toMiddleware: "awsAuthMiddleware",
    override: true,
};
const getOmitRetryHeadersPlugin = (options) => ({
    applyToStack: (clientStack) => {
        clientStack.addRelativeTo(omitRetryHeadersMiddleware(), omitRetryHeadersMiddlewareOptions);
    },
});

const retryMiddleware = bindRetryMiddleware(isStreamingPayload);
const getRetryPlugin = bindGetRetryPlugin(isStreamingPayload);

exports.AdaptiveRetryStrategy = AdaptiveRetryStrategy$1;
exports.CONFIG_MAX_ATTEMPTS = CONFIG_MAX_ATTEMPTS;
exports.CONFIG_RETRY_MODE = CONFIG_RETRY_MODE;
exports.ConfiguredRetryStrategy = ConfiguredRetryStrategy;
exports.DEFAULT_MAX_ATTEMPTS = DEFAULT_MAX_ATTEMPTS;
exports.DEFAULT_RETRY_DELAY_BASE = DEFAULT_RETRY_DELAY_BASE;
exports.DEFAULT_RETRY_MODE = DEFAULT_RETRY_MODE;
exports.DefaultRateLimiter = DefaultRateLimiter;
exports.DeprecatedAdaptiveRetryStrategy = AdaptiveRetryStrategy;
exports.DeprecatedStandardRetryStrategy = StandardRetryStrategy;
exports.ENV_MAX_ATTEMPTS = ENV_MAX_ATTEMPTS;
exports.ENV_RETRY_MODE = ENV_RETRY_MODE;
exports.INITIAL_RETRY_TOKENS = INITIAL_RETRY_TOKENS;
exports.INVOCATION_ID_HEADER = INVOCATION_ID_HEADER;
exports.MAXIMUM_RETRY_DELAY = MAXIMUM_RETRY_DELAY;
exports.NODE_MAX_ATTEMPT_CONFIG_OPTIONS = NODE_MAX_ATTEMPT_CONFIG_OPTIONS;
exports.NODE_RETRY_MODE_CONFIG_OPTIONS = NODE_RETRY_MODE_CONFIG_OPTIONS;
exports.NO_RETRY_INCREMENT = NO_RETRY_INCREMENT;
exports.REQUEST_HEADER = REQUEST_HEADER;
exports.RETRY_COST = RETRY_COST;
exports.RETRY_MODES = RETRY_MODES;
exports.Retry = Retry;
exports.StandardRetryStrategy = StandardRetryStrategy$1;
exports.THROTTLING_RETRY_DELAY_BASE = THROTTLING_RETRY_DELAY_BASE;
exports.TIMEOUT_RETRY_COST = TIMEOUT_RETRY_COST;
exports.defaultDelayDecider = defaultDelayDecider;
exports.defaultRetryDecider = defaultRetryDecider;
exports.getOmitRetryHeadersPlugin = getOmitRetryHeadersPlugin;
exports.getRetryAfterHint = getRetryAfterHint;
exports.getRetryPlugin = getRetryPlugin;
exports.isBrowserNetworkError = isBrowserNetworkError;
exports.isClockSkewCorrectedError = isClockSkewCorrectedError;
exports.isClockSkewError = isClockSkewError;
exports.isNodeJsHttp2TransientError = isNodeJsHttp2TransientError;
exports.isRetryableByTrait = isRetryableByTrait;
exports.isServerError = isServerError;
exports.isThrottlingError = isThrottlingError;
exports.isTransientError = isTransientError;
exports.omitRetryHeadersMiddleware = omitRetryHeadersMiddleware;
exports.omitRetryHeadersMiddlewareOptions = omitRetryHeadersMiddlewareOptions;
exports.resolveRetryConfig = resolveRetryConfig;
exports.retryMiddleware = retryMiddleware;
exports.retryMiddlewareOptions = retryMiddlewareOptions;


/***/ }),

/***/ 40566:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { ProviderError, CredentialsProviderError, loadConfig } = __webpack_require__(47291);
const node_http = __webpack_require__(37067);
const { parseUrl } = __webpack_require__(93422);

const isImdsCredentials = (arg) => Boolean(arg) &&
    typeof arg === "object" &&
    typeof arg.AccessKeyId === "string" &&
    typeof arg.SecretAccessKey === "string" &&
    typeof arg.Token === "string" &&
    typeof arg.Expiration === "string";
const fromImdsCredentials = (creds) => ({
    accessKeyId: creds.AccessKeyId,
    secretAccessKey: creds.SecretAccessKey,
    sessionToken: creds.Token,
    expiration: new Date(creds.Expiration),
    ...(creds.AccountId && { accountId: creds.AccountId }),
});

const DEFAULT_TIMEOUT = 1000;
const DEFAULT_MAX_RETRIES = 0;
const providerConfigFromInit = ({ maxRetries = DEFAULT_MAX_RETRIES, timeout = DEFAULT_TIMEOUT, }) => ({ maxRetries, timeout });

function httpRequest(options) {
    return new Promise((resolve, reject) => {
        const req = node_http.request({
            method: "GET",
            ...options,
            hostname: options.hostname?.replace(/^\[(.+)\]$/, "$1"),
        });
        req.on("error", (err) => {
            reject(Object.assign(new ProviderError("Unable to connect to instance metadata service"), err));
            req.destroy();
        });
        req.on("timeout", () => {
            reject(new ProviderError("TimeoutError from instance metadata service"));
            req.destroy();
        });
        req.on("response", (res) => {
            const { statusCode = 400 } = res;
            if (statusCode < 200 || 300 <= statusCode) {
                reject(Object.assign(new ProviderError("Error response received from instance metadata service"), { statusCode }));
                req.destroy();
            }
            const chunks = [];
            res.on("data", (chunk) => {
                chunks.push(chunk);
            });
            res.on("end", () => {
                resolve(Buffer.concat(chunks));
                req.destroy();
            });
        });
        req.end();
    });
}

const retry = (toRetry, maxRetries) => {
    let promise = toRetry();
    for (let i = 0; i < maxRetries; i++) {
        promise = promise.catch(toRetry);
    }
    return promise;
};

const ENV_CMDS_FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const ENV_CMDS_RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const ENV_CMDS_AUTH_TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const fromContainerMetadata = (init = {}) => {
    const { timeout, maxRetries } = providerConfigFromInit(init);
    return () => retry(async () => {
        const requestOptions = await getCmdsUri({ logger: init.logger });
        const credsResponse = JSON.parse(await requestFromEcsImds(timeout, requestOptions));
        if (!isImdsCredentials(credsResponse)) {
            throw new CredentialsProviderError("Invalid response received from instance metadata service.", {
                logger: init.logger,
            });
        }
        return fromImdsCredentials(credsResponse);
    }, maxRetries);
};
const requestFromEcsImds = async (timeout, options) => {
    if (process.env[ENV_CMDS_AUTH_TOKEN]) {
        options.headers = {
            ...options.headers,
            Authorization: process.env[ENV_CMDS_AUTH_TOKEN],
        };
    }
    const buffer = await httpRequest({
        ...options,
        timeout,
    });
    return buffer.toString();
};
const CMDS_IP = "169.254.170.2";
const GREENGRASS_HOSTS = new Set(["localhost", "127.0.0.1"]);
const GREENGRASS_PROTOCOLS = new Set(["http:", "https:"]);
const getCmdsUri = async ({ logger }) => {
    if (process.env[ENV_CMDS_RELATIVE_URI]) {
        return {
            hostname: CMDS_IP,
            path: process.env[ENV_CMDS_RELATIVE_URI],
        };
    }
    if (process.env[ENV_CMDS_FULL_URI]) {
        let parsed;
        try {
            parsed = new URL(process.env[ENV_CMDS_FULL_URI]);
        }
        catch {
            throw new CredentialsProviderError(`${process.env[ENV_CMDS_FULL_URI]} is not a valid container metadata service URL`, { tryNextLink: false, logger });
        }
        if (!parsed.hostname || !GREENGRASS_HOSTS.has(parsed.hostname)) {
            throw new CredentialsProviderError(`${parsed.hostname} is not a valid container metadata service hostname`, {
                tryNextLink: false,
                logger,
            });
        }
        if (!parsed.protocol || !GREENGRASS_PROTOCOLS.has(parsed.protocol)) {
            throw new CredentialsProviderError(`${parsed.protocol} is not a valid container metadata service protocol`, {
                tryNextLink: false,
                logger,
            });
        }
        return {
            protocol: parsed.protocol,
            hostname: parsed.hostname,
            path: parsed.pathname + parsed.search,
            port: parsed.port ? parseInt(parsed.port, 10) : undefined,
        };
    }
    throw new CredentialsProviderError("The container metadata credential provider cannot be used unless" +
        ` the ${ENV_CMDS_RELATIVE_URI} or ${ENV_CMDS_FULL_URI} environment` +
        " variable is set", {
        tryNextLink: false,
        logger,
    });
};

class InstanceMetadataV1FallbackError extends CredentialsProviderError {
    tryNextLink;
    name = "InstanceMetadataV1FallbackError";
    constructor(message, tryNextLink = true) {
        super(message, tryNextLink);
        this.tryNextLink = tryNextLink;
        Object.setPrototypeOf(this, InstanceMetadataV1FallbackError.prototype);
    }
}

var Endpoint;
(function (Endpoint) {
    Endpoint["IPv4"] = "http://169.254.169.254";
    Endpoint["IPv6"] = "http://[fd00:ec2::254]";
})(Endpoint || (Endpoint = {}));

const ENV_ENDPOINT_NAME = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const CONFIG_ENDPOINT_NAME = "ec2_metadata_service_endpoint";
const ENDPOINT_CONFIG_OPTIONS = {
    environmentVariableSelector: (env) => env[ENV_ENDPOINT_NAME],
    configFileSelector: (profile) => profile[CONFIG_ENDPOINT_NAME],
    default: undefined,
};

var EndpointMode;
(function (EndpointMode) {
    EndpointMode["IPv4"] = "IPv4";
    EndpointMode["IPv6"] = "IPv6";
})(EndpointMode || (EndpointMode = {}));

const ENV_ENDPOINT_MODE_NAME = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
const CONFIG_ENDPOINT_MODE_NAME = "ec2_metadata_service_endpoint_mode";
const ENDPOINT_MODE_CONFIG_OPTIONS = {
    environmentVariableSelector: (env) => env[ENV_ENDPOINT_MODE_NAME],
    configFileSelector: (profile) => profile[CONFIG_ENDPOINT_MODE_NAME],
    default: EndpointMode.IPv4,
};

const getInstanceMetadataEndpoint = async () => parseUrl((await getFromEndpointConfig()) || (await getFromEndpointModeConfig()));
const getFromEndpointConfig = async () => loadConfig(ENDPOINT_CONFIG_OPTIONS)();
const getFromEndpointModeConfig = async () => {
    const endpointMode = await loadConfig(ENDPOINT_MODE_CONFIG_OPTIONS)();
    switch (endpointMode) {
        case EndpointMode.IPv4:
            return Endpoint.IPv4;
        case EndpointMode.IPv6:
            return Endpoint.IPv6;
        default:
            throw new Error(`Unsupported endpoint mode: ${endpointMode}.` + ` Select from ${Object.values(EndpointMode)}`);
    }
};

const STATIC_STABILITY_REFRESH_INTERVAL_SECONDS = 5 * 60;
const STATIC_STABILITY_REFRESH_INTERVAL_JITTER_WINDOW_SECONDS = 5 * 60;
const STATIC_STABILITY_DOC_URL = "https://docs.aws.amazon.com/sdkref/latest/guide/feature-static-credentials.html";
const getExtendedInstanceMetadataCredentials = (credentials, logger) => {
    const refreshInterval = STATIC_STABILITY_REFRESH_INTERVAL_SECONDS +
        Math.floor(Math.random() * STATIC_STABILITY_REFRESH_INTERVAL_JITTER_WINDOW_SECONDS);
    const newExpiration = new Date(Date.now() + refreshInterval * 1000);
    logger.warn("Attempting credential expiration extension due to a credential service availability issue. A refresh of these " +
        `credentials will be attempted after ${new Date(newExpiration)}.\nFor more information, please visit: ` +
        STATIC_STABILITY_DOC_URL);
    const originalExpiration = credentials.originalExpiration ?? credentials.expiration;
    return {
        ...credentials,
        ...(originalExpiration ? { originalExpiration } : {}),
        expiration: newExpiration,
    };
};

const staticStabilityProvider = (provider, options = {}) => {
    const logger = options?.logger || console;
    let pastCredentials;
    return async () => {
        let credentials;
        try {
            credentials = await provider();
            if (credentials.expiration && credentials.expiration.getTime() < Date.now()) {
                credentials = getExtendedInstanceMetadataCredentials(credentials, logger);
            }
        }
        catch (e) {
            if (pastCredentials) {
                logger.warn("Credential renew failed: ", e);
                credentials = getExtendedInstanceMetadataCredentials(pastCredentials, logger);
            }
            else {
                throw e;
            }
        }
        pastCredentials = credentials;
        return credentials;
    };
};

const IMDS_PATH = "/latest/meta-data/iam/security-credentials/";
const IMDS_TOKEN_PATH = "/latest/api/token";
const AWS_EC2_METADATA_V1_DISABLED = "AWS_EC2_METADATA_V1_DISABLED";
const PROFILE_AWS_EC2_METADATA_V1_DISABLED = "ec2_metadata_v1_disabled";
const X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token";
const fromInstanceMetadata = (init = {}) => staticStabilityProvider(getInstanceMetadataProvider(init), { logger: init.logger });
const getInstanceMetadataProvider = (init = {}) => {
    let disableFetchToken = false;
    const { logger, profile } = init;
    const { timeout, maxRetries } = providerConfigFromInit(init);
    const getCredentials = async (maxRetries, options) => {
        const isImdsV1Fallback = disableFetchToken || options.headers?.[X_AWS_EC2_METADATA_TOKEN] == null;
        if (isImdsV1Fallback) {
            let fallbackBlockedFromProfile = false;
            let fallbackBlockedFromProcessEnv = false;
            const configValue = await loadConfig({
                environmentVariableSelector: (env) => {
                    const envValue = env[AWS_EC2_METADATA_V1_DISABLED];
                    fallbackBlockedFromProcessEnv = !!envValue && envValue !== "false";
                    if (envValue === undefined) {
                        throw new CredentialsProviderError(`${AWS_EC2_METADATA_V1_DISABLED} not set in env, checking config file next.`, { logger: init.logger });
                    }
                    return fallbackBlockedFromProcessEnv;
                },
                configFileSelector: (profile) => {
                    const profileValue = profile[PROFILE_AWS_EC2_METADATA_V1_DISABLED];
                    fallbackBlockedFromProfile = !!profileValue && profileValue !== "false";
                    return fallbackBlockedFromProfile;
                },
                default: false,
            }, {
                profile,
            })();
            if (init.ec2MetadataV1Disabled || configValue) {
                const causes = [];
                if (init.ec2MetadataV1Disabled)
                    causes.push("credential provider initialization (runtime option ec2MetadataV1Disabled)");
                if (fallbackBlockedFromProfile)
                    causes.push(`config file profile (${PROFILE_AWS_EC2_METADATA_V1_DISABLED})`);
                if (fallbackBlockedFromProcessEnv)
                    causes.push(`process environment variable (${AWS_EC2_METADATA_V1_DISABLED})`);
                throw new InstanceMetadataV1FallbackError(`AWS EC2 Metadata v1 fallback has been blocked by AWS SDK configuration in the following: [${causes.join(", ")}].`);
            }
        }
        const imdsProfile = (await retry(async () => {
            let profile;
            try {
                profile = await getProfile(options);
            }
            catch (err) {
                if (err.statusCode === 401) {
                    disableFetchToken = false;
                }
                throw err;
            }
            return profile;
        }, maxRetries)).trim();
        return retry(async () => {
            let creds;
            try {
                creds = await getCredentialsFromProfile(imdsProfile, options, init);
            }
            catch (err) {
                if (err.statusCode === 401) {
                    disableFetchToken = false;
                }
                throw err;
            }
            return creds;
        }, maxRetries);
    };
    return async () => {
        const endpoint = await getInstanceMetadataEndpoint();
        if (disableFetchToken) {
            logger?.debug("AWS SDK Instance Metadata", "using v1 fallback (no token fetch)");
            return getCredentials(maxRetries, { ...endpoint, timeout });
        }
        else {
            let token;
            try {
                token = (await getMetadataToken({ ...endpoint, timeout })).toString();
            }
            catch (error) {
                if (error?.statusCode === 400) {
                    throw Object.assign(error, {
                        message: "EC2 Metadata token request returned error",
                    });
                }
                else if (error.message === "TimeoutError" || [403, 404, 405].includes(error.statusCode)) {
                    disableFetchToken = true;
                }
                logger?.debug("AWS SDK Instance Metadata", "using v1 fallback (initial)");
                return getCredentials(maxRetries, { ...endpoint, timeout });
            }
            return getCredentials(maxRetries, {
                ...endpoint,
                headers: {
                    [X_AWS_EC2_METADATA_TOKEN]: token,
                },
                timeout,
            });
        }
    };
};
const getMetadataToken = async (options) => httpRequest({
    ...options,
    path: IMDS_TOKEN_PATH,
    method: "PUT",
    headers: {
        "x-aws-ec2-metadata-token-ttl-seconds": "21600",
    },
});
const getProfile = async (options) => (await httpRequest({ ...options, path: IMDS_PATH })).toString();
const getCredentialsFromProfile = async (profile, options, init) => {
    const credentialsResponse = JSON.parse((await httpRequest({
        ...options,
        path: IMDS_PATH + profile,
    })).toString());
    if (!isImdsCredentials(credentialsResponse)) {
        throw new CredentialsProviderError("Invalid response received from instance metadata service.", {
            logger: init.logger,
        });
    }
    return fromImdsCredentials(credentialsResponse);
};

exports.DEFAULT_MAX_RETRIES = DEFAULT_MAX_RETRIES;
exports.DEFAULT_TIMEOUT = DEFAULT_TIMEOUT;
exports.ENV_CMDS_AUTH_TOKEN = ENV_CMDS_AUTH_TOKEN;
exports.ENV_CMDS_FULL_URI = ENV_CMDS_FULL_URI;
exports.ENV_CMDS_RELATIVE_URI = ENV_CMDS_RELATIVE_URI;
exports.Endpoint = Endpoint;
exports.fromContainerMetadata = fromContainerMetadata;
exports.fromInstanceMetadata = fromInstanceMetadata;
exports.getInstanceMetadataEndpoint = getInstanceMetadataEndpoint;
exports.httpRequest = httpRequest;
exports.providerConfigFromInit = providerConfigFromInit;


/***/ }),

/***/ 75118:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

const { hasOwn, fromUtf8, fromHex, toHex, toUint8Array, writeKey, isArrayBuffer } = __webpack_require__(92430);
const { normalizeProvider } = __webpack_require__(92658);
const { escapeUri, HttpRequest } = __webpack_require__(93422);

class HeaderFormatter {
    format(headers) {
        const chunks = [];
        for (const headerName in headers) {
            if (!hasOwn(headers, headerName)) {
                continue;
            }
            const bytes = fromUtf8(headerName);
            chunks.push(Uint8Array.from([bytes.byteLength]), bytes, this.formatHeaderValue(headers[headerName]));
        }
        const out = new Uint8Array(chunks.reduce((carry, bytes) => carry + bytes.byteLength, 0));
        let position = 0;
        for (const chunk of chunks) {
            out.set(chunk, position);
            position += chunk.byteLength;
        }
        return out;
    }
    formatHeaderValue(header) {
        switch (header.type) {
            case "boolean":
                return Uint8Array.from([header.value ? 0 : 1]);
            case "byte":
                return Uint8Array.from([2, header.value]);
            case "short":
                const shortView = new DataView(new ArrayBuffer(3));
                shortView.setUint8(0, 3);
                shortView.setInt16(1, header.value, false);
                return new Uint8Array(shortView.buffer);
            case "integer":
                const intView = new DataView(new ArrayBuffer(5));
                intView.setUint8(0, 4);
                intView.setInt32(1, header.value, false);
                return new Uint8Array(intView.buffer);
            case "long":
                const longBytes = new Uint8Array(9);
                longBytes[0] = 5;
                longBytes.set(header.value.bytes, 1);
                return longBytes;
            case "binary":
                const binView = new DataView(new ArrayBuffer(3 + header.value.byteLength));
                binView.setUint8(0, 6);
                binView.setUint16(1, header.value.byteLength, false);
                const binBytes = new Uint8Array(binView.buffer);
                binBytes.set(header.value, 3);
                return binBytes;
            case "string":
                const utf8Bytes = fromUtf8(header.value);
                const strView = new DataView(new ArrayBuffer(3 + utf8Bytes.byteLength));
                strView.setUint8(0, 7);
                strView.setUint16(1, utf8Bytes.byteLength, false);
                const strBytes = new Uint8Array(strView.buffer);
                strBytes.set(utf8Bytes, 3);
                return strBytes;
            case "timestamp":
                const tsBytes = new Uint8Array(9);
                tsBytes[0] = 8;
                tsBytes.set(Int64.fromNumber(header.value.valueOf()).bytes, 1);
                return tsBytes;
            case "uuid":
                if (!UUID_PATTERN.test(header.value)) {
                    throw new Error(`Invalid UUID received: ${header.value}`);
                }
                const uuidBytes = new Uint8Array(17);
                uuidBytes[0] = 9;
                uuidBytes.set(fromHex(header.value.replace(/-/g, "")), 1);
                return uuidBytes;
        }
    }
}
var HEADER_VALUE_TYPE;
(function (HEADER_VALUE_TYPE) {
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["boolTrue"] = 0] = "boolTrue";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["boolFalse"] = 1] = "boolFalse";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["byte"] = 2] = "byte";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["short"] = 3] = "short";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["integer"] = 4] = "integer";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["long"] = 5] = "long";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["byteArray"] = 6] = "byteArray";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["string"] = 7] = "string";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["timestamp"] = 8] = "timestamp";
    HEADER_VALUE_TYPE[HEADER_VALUE_TYPE["uuid"] = 9] = "uuid";
})(HEADER_VALUE_TYPE || (HEADER_VALUE_TYPE = {}));
const UUID_PATTERN = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;
class Int64 {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
        if (bytes.byteLength !== 8) {
            throw new Error("Int64 buffers must be exactly 8 bytes");
        }
    }
    static fromNumber(number) {
        if (number > 9_223_372_036_854_775_807 || number < -9223372036854776e3) {
            throw new Error(`${number} is too large (or, if negative, too small) to represent as an Int64`);
        }
        const bytes = new Uint8Array(8);
        for (let i = 7, remaining = Math.abs(Math.round(number)); i > -1 && remaining > 0; i--, remaining /= 256) {
            bytes[i] = remaining;
        }
        if (number < 0) {
            negate(bytes);
        }
        return new Int64(bytes);
    }
    valueOf() {
        const bytes = this.bytes.slice(0);
        const negative = bytes[0] & 0b10000000;
        if (negative) {
            negate(bytes);
        }
        return parseInt(toHex(bytes), 16) * (negative ? -1 : 1);
    }
    toString() {
        return String(this.valueOf());
    }
}
function negate(bytes) {
    for (let i = 0; i < 8; i++) {
        bytes[i] ^= 0xff;
    }
    for (let i = 7; i > -1; i--) {
        bytes[i]++;
        if (bytes[i] !== 0) {
            break;
        }
    }
}

const ALGORITHM_QUERY_PARAM = "X-Amz-Algorithm";
const CREDENTIAL_QUERY_PARAM = "X-Amz-Credential";
const AMZ_DATE_QUERY_PARAM = "X-Amz-Date";
const SIGNED_HEADERS_QUERY_PARAM = "X-Amz-SignedHeaders";
const EXPIRES_QUERY_PARAM = "X-Amz-Expires";
const SIGNATURE_QUERY_PARAM = "X-Amz-Signature";
const TOKEN_QUERY_PARAM = "X-Amz-Security-Token";
const REGION_SET_PARAM = "X-Amz-Region-Set";
const AUTH_HEADER = "authorization";
const AMZ_DATE_HEADER = AMZ_DATE_QUERY_PARAM.toLowerCase();
const DATE_HEADER = "date";
const GENERATED_HEADERS = [AUTH_HEADER, AMZ_DATE_HEADER, DATE_HEADER];
const SIGNATURE_HEADER = SIGNATURE_QUERY_PARAM.toLowerCase();
const SHA256_HEADER = "x-amz-content-sha256";
const TOKEN_HEADER = TOKEN_QUERY_PARAM.toLowerCase();
const HOST_HEADER = "host";
const ALWAYS_UNSIGNABLE_HEADERS = {
    authorization: true,
    "cache-control": true,
    connection: true,
    expect: true,
    from: true,
    "keep-alive": true,
    "max-forwards": true,
    pragma: true,
    referer: true,
    te: true,
    trailer: true,
    "transfer-encoding": true,
    upgrade: true,
    "user-agent": true,
    "x-amzn-trace-id": true,
};
const PROXY_HEADER_PATTERN = /^proxy-/;
const SEC_HEADER_PATTERN = /^sec-/;
const UNSIGNABLE_PATTERNS = [/^proxy-/i, /^sec-/i];
const ALGORITHM_IDENTIFIER = "AWS4-HMAC-SHA256";
const ALGORITHM_IDENTIFIER_V4A = "AWS4-ECDSA-P256-SHA256";
const EVENT_ALGORITHM_IDENTIFIER = "AWS4-HMAC-SHA256-PAYLOAD";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const MAX_CACHE_SIZE = 50;
const KEY_TYPE_IDENTIFIER = "aws4_request";
const MAX_PRESIGNED_TTL = 60 * 60 * 24 * 7;

const getCanonicalQuery = ({ query = {} }) => {
    const keys = [];
    const serialized = {};
    for (const key in query) {
        if (!hasOwn(query, key)) {
            continue;
        }
        if (key.toLowerCase() === SIGNATURE_HEADER) {
            continue;
        }
        const encodedKey = escapeUri(key);
        keys.push(encodedKey);
        const value = query[key];
        if (typeof value === "string") {
            serialized[encodedKey] = `${encodedKey}=${escapeUri(value)}`;
        }
        else if (Array.isArray(value)) {
            serialized[encodedKey] = value
                .slice(0)
                .reduce((encoded, value) => encoded.concat([`${encodedKey}=${escapeUri(value)}`]), [])
                .sort()
                .join("&");
        }
    }
    return keys
        .sort()
        .map((key) => serialized[key])
        .filter((serialized) => serialized)
        .join("&");
};

const iso8601 = (time) => toDate(time)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
const toDate = (time) => {
    if (typeof time === "number") {
        return new Date(time * 1000);
    }
    if (typeof time === "string") {
        if (Number(time)) {
            return new Date(Number(time) * 1000);
        }
        return new Date(time);
    }
    return time;
};

class SignatureV4Base {
    service;
    regionProvider;
    credentialProvider;
    sha256;
    uriEscapePath;
    applyChecksum;
    constructor({ applyChecksum, credentials, region, service, sha256, uriEscapePath = true, }) {
        this.service = service;
        this.sha256 = sha256;
        this.uriEscapePath = uriEscapePath;
        this.applyChecksum = typeof applyChecksum === "boolean" ? applyChecksum : true;
        this.regionProvider = normalizeProvider(region);
        this.credentialProvider = normalizeProvider(credentials);
    }
    createCanonicalRequest(request, canonicalHeaders, payloadHash) {
        const sortedHeaders = Object.keys(canonicalHeaders).sort();
        return `${request.method}
${this.getCanonicalPath(request)}
${getCanonicalQuery(request)}
${sortedHeaders.map((name) => `${name}:${canonicalHeaders[name]}`).join("\n")}

${sortedHeaders.join(";")}
${payloadHash}`;
    }
    async createStringToSign(longDate, credentialScope, canonicalRequest, algorithmIdentifier) {
        const hash = new this.sha256();
        hash.update(toUint8Array(canonicalRequest));
        const hashedRequest = await hash.digest();
        return `${algorithmIdentifier}
${longDate}
${credentialScope}
${toHex(hashedRequest)}`;
    }
    getCanonicalPath({ path }) {
        if (this.uriEscapePath) {
            const normalizedPathSegments = [];
            for (const pathSegment of path.split("/")) {
                if (pathSegment?.length === 0) {
                    continue;
                }
                if (pathSegment === ".") {
                    continue;
                }
                if (pathSegment === "..") {
                    normalizedPathSegments.pop();
                }
                else {
                    normalizedPathSegments.push(pathSegment);
                }
            }
            const normalizedPath = `${path?.startsWith("/") ? "/" : ""}${normalizedPathSegments.join("/")}${normalizedPathSegments.length > 0 && path?.endsWith("/") ? "/" : ""}`;
            const doubleEncoded = escapeUri(normalizedPath);
            return doubleEncoded.replace(/%2F/g, "/");
        }
        return path;
    }
    validateResolvedCredentials(credentials) {
        if (typeof credentials !== "object" ||
            typeof credentials.accessKeyId !== "string" ||
            typeof credentials.secretAccessKey !== "string") {
            throw new Error("Resolved credential object is not valid");
        }
    }
    formatDate(now) {
        const longDate = iso8601(now).replace(/[-:]/g, "");
        return {
            longDate,
            shortDate: longDate.slice(0, 8),
        };
    }
    getCanonicalHeaderList(headers) {
        return Object.keys(headers).sort().join(";");
    }
}

const signingKeyCache = {};
const cacheQueue = [];
const createScope = (shortDate, region, service) => `${shortDate}/${region}/${service}/${KEY_TYPE_IDENTIFIER}`;
const getSigningKey = async (sha256Constructor, credentials, shortDate, region, service) => {
    const credsHash = await hmac(sha256Constructor, credentials.secretAccessKey, credentials.accessKeyId);
    const cacheKey = `${shortDate}:${region}:${service}:${toHex(credsHash)}:${credentials.sessionToken}`;
    if (cacheKey in signingKeyCache) {
        return signingKeyCache[cacheKey];
    }
    cacheQueue.push(cacheKey);
    while (cacheQueue.length > MAX_CACHE_SIZE) {
        delete signingKeyCache[cacheQueue.shift()];
    }
    let key = `AWS4${credentials.secretAccessKey}`;
    for (const signable of [shortDate, region, service, KEY_TYPE_IDENTIFIER]) {
        key = await hmac(sha256Constructor, key, signable);
    }
    return (signingKeyCache[cacheKey] = key);
};
const clearCredentialCache = () => {
    cacheQueue.length = 0;
    Object.keys(signingKeyCache).forEach((cacheKey) => {
        delete signingKeyCache[cacheKey];
    });
};
const hmac = (ctor, secret, data) => {
    const hash = new ctor(secret);
    hash.update(toUint8Array(data));
    return hash.digest();
};

const getCanonicalHeaders = ({ headers }, unsignableHeaders, signableHeaders) => {
    const canonical = {};
    for (const headerName of Object.keys(headers).sort()) {
        if (headers[headerName] == undefined) {
            continue;
        }
        const canonicalHeaderName = headerName.toLowerCase();
        if (hasOwn(ALWAYS_UNSIGNABLE_HEADERS, canonicalHeaderName) ||
            unsignableHeaders?.has(canonicalHeaderName) ||
            PROXY_HEADER_PATTERN.test(canonicalHeaderName) ||
            SEC_HEADER_PATTERN.test(canonicalHeaderName)) {
            if (!signableHeaders || (signableHeaders && !signableHeaders.has(canonicalHeaderName))) {
                continue;
            }
        }
        if (canonicalHeaderName === "__proto__") {
            writeKey(canonical);
        }
        canonical[canonicalHeaderName] = headers[headerName]
            .replace(/[\r\n]/g, " ")
            .replace(/[ \t]+/g, " ")
            .replace(/^ | $/g, "");
    }
    return canonical;
};

const getPayloadHash = async ({ headers, body }, hashConstructor) => {
    for (const headerName in headers) {
        if (!hasOwn(headers, headerName)) {
            continue;
        }
        if (headerName.toLowerCase() === SHA256_HEADER) {
            return headers[headerName];
        }
    }
    if (body == undefined) {
        return "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    }
    else if (typeof body === "string" || ArrayBuffer.isView(body) || isArrayBuffer(body)) {
        const hashCtor = new hashConstructor();
        hashCtor.update(toUint8Array(body));
        return toHex(await hashCtor.digest());
    }
    return UNSIGNED_PAYLOAD;
};

const hasHeader = (soughtHeader, headers) => {
    soughtHeader = soughtHeader.toLowerCase();
    for (const headerName in headers) {
        if (!hasOwn(headers, headerName)) {
            continue;
        }
        if (soughtHeader === headerName.toLowerCase()) {
            return true;
        }
    }
    return false;
};

const moveHeadersToQuery = (request, options = {}) => {
    const { headers, query = {} } = HttpRequest.clone(request);
    for (const name in headers) {
        if (!hasOwn(headers, name)) {
            continue;
        }
        const lname = name.toLowerCase();
        if ((lname.slice(0, 6) === "x-amz-" && !options.unhoistableHeaders?.has(lname)) ||
            options.hoistableHeaders?.has(lname)) {
            query[name] = headers[name];
            delete headers[name];
        }
    }
    return {
        ...request,
        headers,
        query,
    };
};

const prepareRequest = (request) => {
    request = HttpRequest.clone(request);
    for (const headerName in request.headers) {
        if (!hasOwn(request.headers, headerName)) {
            continue;
        }
        if (GENERATED_HEADERS.indexOf(headerName.toLowerCase()) > -1) {
            delete request.headers[headerName];
        }
    }
    return request;
};

class SignatureV4 extends SignatureV4Base {
    headerFormatter = new HeaderFormatter();
    constructor({ applyChecksum, credentials, region, service, sha256, uriEscapePath = true, }) {
        super({
            applyChecksum,
            credentials,
            region,
            service,
            sha256,
            uriEscapePath,
        });
    }
    async presign(originalRequest, options = {}) {
        const { signingDate = new Date(), expiresIn = 3600, unsignableHeaders, unhoistableHeaders, signableHeaders, hoistableHeaders, signingRegion, signingService, } = options;
        const credentials = await this.credentialProvider();
        this.validateResolvedCredentials(credentials);
        const region = signingRegion ?? (await this.regionProvider());
        const { longDate, shortDate } = this.formatDate(signingDate);
        if (expiresIn > MAX_PRESIGNED_TTL) {
            return Promise.reject("Signature version 4 presigned URLs" + " must have an expiration date less than one week in" + " the future");
        }
        const scope = createScope(shortDate, region, signingService ?? this.service);
        const request = moveHeadersToQuery(prepareRequest(originalRequest), { unhoistableHeaders, hoistableHeaders });
        if (credentials.sessionToken) {
            request.query[TOKEN_QUERY_PARAM] = credentials.sessionToken;
        }
        request.query[ALGORITHM_QUERY_PARAM] = ALGORITHM_IDENTIFIER;
        request.query[CREDENTIAL_QUERY_PARAM] = `${credentials.accessKeyId}/${scope}`;
        request.query[AMZ_DATE_QUERY_PARAM] = longDate;
        request.query[EXPIRES_QUERY_PARAM] = expiresIn.toString(10);
        const canonicalHeaders = getCanonicalHeaders(request, unsignableHeaders, signableHeaders);
        request.query[SIGNED_HEADERS_QUERY_PARAM] = this.getCanonicalHeaderList(canonicalHeaders);
        request.query[SIGNATURE_QUERY_PARAM] = await this.getSignature(longDate, scope, this.getSigningKey(credentials, region, shortDate, signingService), this.createCanonicalRequest(request, canonicalHeaders, await getPayloadHash(originalRequest, this.sha256)));
        return request;
    }
    async sign(toSign, options) {
        if (typeof toSign === "string") {
            return this.signString(toSign, options);
        }
        else if (toSign.headers && toSign.payload) {
            return this.signEvent(toSign, options);
        }
        else if (toSign.message) {
            return this.signMessage(toSign, options);
        }
        else {
            return this.signRequest(toSign, options);
        }
    }
    async signEvent({ headers, payload }, { signingDate = new Date(), priorSignature, signingRegion, signingService, eventStreamCredentials, }) {
        const region = signingRegion ?? (await this.regionProvider());
        const { shortDate, longDate } = this.formatDate(signingDate);
        const scope = createScope(shortDate, region, signingService ?? this.service);
        const hashedPayload = await getPayloadHash({ headers: {}, body: payload }, this.sha256);
        const hash = new this.sha256();
        hash.update(headers);
        const hashedHeaders = toHex(await hash.digest());
        const stringToSign = [
            EVENT_ALGORITHM_IDENTIFIER,
            longDate,
            scope,
            priorSignature,
            hashedHeaders,
            hashedPayload,
        ].join("\n");
        return this.signString(stringToSign, {
            signingDate,
            signingRegion: region,
            signingService,
            eventStreamCredentials,
        });
    }
    async signMessage(signableMessage, { signingDate = new Date(), signingRegion, signingService, eventStreamCredentials }) {
        const promise = this.signEvent({
            headers: this.headerFormatter.format(signableMessage.message.headers),
            payload: signableMessage.message.body,
        }, {
            signingDate,
            signingRegion,
            signingService,
            priorSignature: signableMessage.priorSignature,
            eventStreamCredentials,
        });
        return promise.then((signature) => {
            return { message: signableMessage.message, signature };
        });
    }
    async signString(stringToSign, { signingDate = new Date(), signingRegion, signingService, eventStreamCredentials, } = {}) {
        const credentials = eventStreamCredentials ?? (await this.credentialProvider());
        this.validateResolvedCredentials(credentials);
        const region = signingRegion ?? (await this.regionProvider());
        const { shortDate } = this.formatDate(signingDate);
        const hash = new this.sha256(await this.getSigningKey(credentials, region, shortDate, signingService));
        hash.update(toUint8Array(stringToSign));
        return toHex(await hash.digest());
    }
    async signRequest(requestToSign, { signingDate = new Date(), signableHeaders, unsignableHeaders, signingRegion, signingService, } = {}) {
        const credentials = await this.credentialProvider();
        this.validateResolvedCredentials(credentials);
        const region = signingRegion ?? (await this.regionProvider());
        const request = prepareRequest(requestToSign);
        const { longDate, shortDate } = this.formatDate(signingDate);
        const scope = createScope(shortDate, region, signingService ?? this.service);
        request.headers[AMZ_DATE_HEADER] = longDate;
        if (credentials.sessionToken) {
            request.headers[TOKEN_HEADER] = credentials.sessionToken;
        }
        const payloadHash = await getPayloadHash(request, this.sha256);
        if (!hasHeader(SHA256_HEADER, request.headers) && this.applyChecksum) {
            request.headers[SHA256_HEADER] = payloadHash;
        }
        const canonicalHeaders = getCanonicalHeaders(request, unsignableHeaders, signableHeaders);
        const signature = await this.getSignature(longDate, scope, this.getSigningKey(credentials, region, shortDate, signingService), this.createCanonicalRequest(request, canonicalHeaders, payloadHash));
        request.headers[AUTH_HEADER] =
            `${ALGORITHM_IDENTIFIER} ` +
                `Credential=${credentials.accessKeyId}/${scope}, ` +
                `SignedHeaders=${this.getCanonicalHeaderList(canonicalHeaders)}, ` +
                `Signature=${signature}`;
        return request;
    }
    async getSignature(longDate, credentialScope, keyPromise, canonicalRequest) {
        const stringToSign = await this.createStringToSign(longDate, credentialScope, canonicalRequest, ALGORITHM_IDENTIFIER);
        const hash = new this.sha256(await keyPromise);
        hash.update(toUint8Array(stringToSign));
        return toHex(await hash.digest());
    }
    getSigningKey(credentials, region, shortDate, service) {
        return getSigningKey(this.sha256, credentials, shortDate, region, service || this.service);
    }
}

const signatureV4aContainer = {
    SignatureV4a: null,
};

exports.ALGORITHM_IDENTIFIER = ALGORITHM_IDENTIFIER;
exports.ALGORITHM_IDENTIFIER_V4A = ALGORITHM_IDENTIFIER_V4A;
exports.ALGORITHM_QUERY_PARAM = ALGORITHM_QUERY_PARAM;
exports.ALWAYS_UNSIGNABLE_HEADERS = ALWAYS_UNSIGNABLE_HEADERS;
exports.AMZ_DATE_HEADER = AMZ_DATE_HEADER;
exports.AMZ_DATE_QUERY_PARAM = AMZ_DATE_QUERY_PARAM;
exports.AUTH_HEADER = AUTH_HEADER;
exports.CREDENTIAL_QUERY_PARAM = CREDENTIAL_QUERY_PARAM;
exports.DATE_HEADER = DATE_HEADER;
exports.EVENT_ALGORITHM_IDENTIFIER = EVENT_ALGORITHM_IDENTIFIER;
exports.EXPIRES_QUERY_PARAM = EXPIRES_QUERY_PARAM;
exports.GENERATED_HEADERS = GENERATED_HEADERS;
exports.HOST_HEADER = HOST_HEADER;
exports.KEY_TYPE_IDENTIFIER = KEY_TYPE_IDENTIFIER;
exports.MAX_CACHE_SIZE = MAX_CACHE_SIZE;
exports.MAX_PRESIGNED_TTL = MAX_PRESIGNED_TTL;
exports.PROXY_HEADER_PATTERN = PROXY_HEADER_PATTERN;
exports.REGION_SET_PARAM = REGION_SET_PARAM;
exports.SEC_HEADER_PATTERN = SEC_HEADER_PATTERN;
exports.SHA256_HEADER = SHA256_HEADER;
exports.SIGNATURE_HEADER = SIGNATURE_HEADER;
exports.SIGNATURE_QUERY_PARAM = SIGNATURE_QUERY_PARAM;
exports.SIGNED_HEADERS_QUERY_PARAM = SIGNED_HEADERS_QUERY_PARAM;
exports.SignatureV4 = SignatureV4;
exports.SignatureV4Base = SignatureV4Base;
exports.TOKEN_HEADER = TOKEN_HEADER;
exports.TOKEN_QUERY_PARAM = TOKEN_QUERY_PARAM;
exports.UNSIGNABLE_PATTERNS = UNSIGNABLE_PATTERNS;
exports.UNSIGNED_PAYLOAD = UNSIGNED_PAYLOAD;
exports.clearCredentialCache = clearCredentialCache;
exports.createScope = createScope;
exports.getCanonicalHeaders = getCanonicalHeaders;
exports.getCanonicalQuery = getCanonicalQuery;
exports.getPayloadHash = getPayloadHash;
exports.getSigningKey = getSigningKey;
exports.hasHeader = hasHeader;
exports.moveHeadersToQuery = moveHeadersToQuery;
exports.prepareRequest = prepareRequest;
exports.signatureV4aContainer = signatureV4aContainer;


/***/ }),

/***/ 9449:
/***/ (function(module) {

/*!
 * Bowser - a browser detector
 * https://github.com/lancedikson/bowser
 * MIT License | (c) Dustin Diaz 2012-2015
 * MIT License | (c) Denis Demchenko 2015-2026
 */
!function(e,t){ true?module.exports=t():0}(this,function(){var e={AmazonBot:"amazonbot","Amazon Silk":"amazon_silk","Android Browser":"android",BaiduSpider:"baiduspider",Bada:"bada",BingCrawler:"bingcrawler",Brave:"brave",BlackBerry:"blackberry","ChatGPT-User":"chatgpt_user",Chrome:"chrome",ClaudeBot:"claudebot",Chromium:"chromium",Diffbot:"diffbot",DuckDuckBot:"duckduckbot",DuckDuckGo:"duckduckgo",Electron:"electron",Epiphany:"epiphany",FacebookExternalHit:"facebookexternalhit",Firefox:"firefox",Focus:"focus",Generic:"generic","Google Search":"google_search",Googlebot:"googlebot",GPTBot:"gptbot","HeyTap Browser":"heytap","Internet Explorer":"ie",InternetArchiveCrawler:"internetarchivecrawler","K-Meleon":"k_meleon",Ladybird:"ladybird",LibreWolf:"librewolf",Linespider:"linespider",Maxthon:"maxthon","Meta-ExternalAds":"meta_externalads","Meta-ExternalAgent":"meta_externalagent","Meta-ExternalFetcher":"meta_externalfetcher","Meta-WebIndexer":"meta_webindexer","Microsoft Edge":"edge","MZ Browser":"mz","NAVER Whale Browser":"naver","OAI-SearchBot":"oai_searchbot",Omgilibot:"omgilibot",Opera:"opera","Opera Coast":"opera_coast","Pale Moon":"pale_moon",PerplexityBot:"perplexitybot","Perplexity-User":"perplexity_user",PhantomJS:"phantomjs",PingdomBot:"pingdombot",Puffin:"puffin",QQ:"qq",QQLite:"qqlite",QupZilla:"qupzilla",Roku:"roku",Safari:"safari",Sailfish:"sailfish","Samsung Internet for Android":"samsung_internet",SlackBot:"slackbot",SeaMonkey:"seamonkey",Sleipnir:"sleipnir","Sogou Browser":"sogou",Swing:"swing",Tizen:"tizen","UC Browser":"uc","Vivo Browser":"vivo",Vivaldi:"vivaldi","WebOS Browser":"webos",WeChat:"wechat",YahooSlurp:"yahooslurp","Yandex Browser":"yandex",YandexBot:"yandexbot",YouBot:"youbot"},t={amazonbot:"AmazonBot",amazon_silk:"Amazon Silk",android:"Android Browser",baiduspider:"BaiduSpider",bada:"Bada",bingcrawler:"BingCrawler",blackberry:"BlackBerry",brave:"Brave",chatgpt_user:"ChatGPT-User",chrome:"Chrome",claudebot:"ClaudeBot",chromium:"Chromium",diffbot:"Diffbot",duckduckbot:"DuckDuckBot",duckduckgo:"DuckDuckGo",edge:"Microsoft Edge",electron:"Electron",epiphany:"Epiphany",facebookexternalhit:"FacebookExternalHit",firefox:"Firefox",focus:"Focus",generic:"Generic",google_search:"Google Search",googlebot:"Googlebot",gptbot:"GPTBot",heytap:"HeyTap Browser",ie:"Internet Explorer",internetarchivecrawler:"InternetArchiveCrawler",k_meleon:"K-Meleon",ladybird:"Ladybird",librewolf:"LibreWolf",linespider:"Linespider",maxthon:"Maxthon",meta_externalads:"Meta-ExternalAds",meta_externalagent:"Meta-ExternalAgent",meta_externalfetcher:"Meta-ExternalFetcher",meta_webindexer:"Meta-WebIndexer",mz:"MZ Browser",naver:"NAVER Whale Browser",oai_searchbot:"OAI-SearchBot",omgilibot:"Omgilibot",opera:"Opera",opera_coast:"Opera Coast",pale_moon:"Pale Moon",perplexitybot:"PerplexityBot",perplexity_user:"Perplexity-User",phantomjs:"PhantomJS",pingdombot:"PingdomBot",puffin:"Puffin",qq:"QQ Browser",qqlite:"QQ Browser Lite",qupzilla:"QupZilla",roku:"Roku",safari:"Safari",sailfish:"Sailfish",samsung_internet:"Samsung Internet for Android",seamonkey:"SeaMonkey",slackbot:"SlackBot",sleipnir:"Sleipnir",sogou:"Sogou Browser",swing:"Swing",tizen:"Tizen",uc:"UC Browser",vivo:"Vivo Browser",vivaldi:"Vivaldi",webos:"WebOS Browser",wechat:"WeChat",yahooslurp:"YahooSlurp",yandex:"Yandex Browser",yandexbot:"YandexBot",youbot:"YouBot"},r={bot:"bot",desktop:"desktop",mobile:"mobile",tablet:"tablet",tv:"tv"},i={Android:"Android",Bada:"Bada",BlackBerry:"BlackBerry",ChromeOS:"Chrome OS",HarmonyOS:"HarmonyOS",iOS:"iOS",Linux:"Linux",MacOS:"macOS",PlayStation4:"PlayStation 4",Roku:"Roku",Tizen:"Tizen",WebOS:"WebOS",Windows:"Windows",WindowsPhone:"Windows Phone"},n={Blink:"Blink",EdgeHTML:"EdgeHTML",Gecko:"Gecko",LibWeb:"LibWeb",Presto:"Presto",Trident:"Trident",WebKit:"WebKit"},s=function(){function r(){}return r.getFirstMatch=function(e,t){var r=t.match(e);return r&&r.length>0&&r[1]||""},r.getSecondMatch=function(e,t){var r=t.match(e);return r&&r.length>1&&r[2]||""},r.matchAndReturnConst=function(e,t,r){if(e.test(t))return r},r.isFirefoxOnIpad=function(e){var t=e.indexOf("Macintosh");if(-1===t)return!1;var r=e.indexOf(" FxiOS",t+9);return-1!==r&&-1!==e.indexOf("/",r+6)},r.getWindowsVersionName=function(e){switch(e){case"NT":return"NT";case"XP":case"NT 5.1":return"XP";case"NT 5.0":return"2000";case"NT 5.2":return"2003";case"NT 6.0":return"Vista";case"NT 6.1":return"7";case"NT 6.2":return"8";case"NT 6.3":return"8.1";case"NT 10.0":return"10";default:return}},r.getMacOSVersionName=function(e){var t=e.split(".").splice(0,2).map(function(e){return parseInt(e,10)||0});t.push(0);var r=t[0],i=t[1];if(10===r)switch(i){case 5:return"Leopard";case 6:return"Snow Leopard";case 7:return"Lion";case 8:return"Mountain Lion";case 9:return"Mavericks";case 10:return"Yosemite";case 11:return"El Capitan";case 12:return"Sierra";case 13:return"High Sierra";case 14:return"Mojave";case 15:return"Catalina";default:return}switch(r){case 11:return"Big Sur";case 12:return"Monterey";case 13:return"Ventura";case 14:return"Sonoma";case 15:return"Sequoia";default:return}},r.getAndroidVersionName=function(e){var t=e.split(".").splice(0,2).map(function(e){return parseInt(e,10)||0});if(t.push(0),!(1===t[0]&&t[1]<5))return 1===t[0]&&t[1]<6?"Cupcake":1===t[0]&&t[1]>=6?"Donut":2===t[0]&&t[1]<2?"Eclair":2===t[0]&&2===t[1]?"Froyo":2===t[0]&&t[1]>2?"Gingerbread":3===t[0]?"Honeycomb":4===t[0]&&t[1]<1?"Ice Cream Sandwich":4===t[0]&&t[1]<4?"Jelly Bean":4===t[0]&&t[1]>=4?"KitKat":5===t[0]?"Lollipop":6===t[0]?"Marshmallow":7===t[0]?"Nougat":8===t[0]?"Oreo":9===t[0]?"Pie":void 0},r.getVersionPrecision=function(e){return e.split(".").length},r.compareVersions=function(e,t,i){void 0===i&&(i=!1);var n=r.getVersionPrecision(e),s=r.getVersionPrecision(t),o=Math.max(n,s),a=0,c=r.map([e,t],function(e){var t=o-r.getVersionPrecision(e),i=e+new Array(t+1).join(".0");return r.map(i.split("."),function(e){return new Array(20-e.length).join("0")+e}).reverse()});for(i&&(a=o-Math.min(n,s)),o-=1;o>=a;){if(c[0][o]>c[1][o])return 1;if(c[0][o]===c[1][o]){if(o===a)return 0;o-=1}else if(c[0][o]<c[1][o])return-1}},r.map=function(e,t){var r,i=[];if(Array.prototype.map)return Array.prototype.map.call(e,t);for(r=0;r<e.length;r+=1)i.push(t(e[r]));return i},r.find=function(e,t){var r,i;if(Array.prototype.find)return Array.prototype.find.call(e,t);for(r=0,i=e.length;r<i;r+=1){var n=e[r];if(t(n,r))return n}},r.assign=function(e){for(var t,r,i=e,n=arguments.length,s=new Array(n>1?n-1:0),o=1;o<n;o++)s[o-1]=arguments[o];if(Object.assign)return Object.assign.apply(Object,[e].concat(s));var a=function(){var e=s[t];"object"==typeof e&&null!==e&&Object.keys(e).forEach(function(t){i[t]=e[t]})};for(t=0,r=s.length;t<r;t+=1)a();return e},r.getBrowserAlias=function(t){return e[t]},r.getBrowserTypeByAlias=function(e){return t[e]||""},r}(),o=/version\/(\d+(\.?_?\d+)+)/i,a=[{test:[/gptbot/i],describe:function(e){var t={name:"GPTBot"},r=s.getFirstMatch(/gptbot\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/chatgpt-user/i],describe:function(e){var t={name:"ChatGPT-User"},r=s.getFirstMatch(/chatgpt-user\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/oai-searchbot/i],describe:function(e){var t={name:"OAI-SearchBot"},r=s.getFirstMatch(/oai-searchbot\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/claudebot/i,/claude-web/i,/claude-user/i,/claude-searchbot/i],describe:function(e){var t={name:"ClaudeBot"},r=s.getFirstMatch(/(?:claudebot|claude-web|claude-user|claude-searchbot)\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/omgilibot/i,/webzio-extended/i],describe:function(e){var t={name:"Omgilibot"},r=s.getFirstMatch(/(?:omgilibot|webzio-extended)\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/diffbot/i],describe:function(e){var t={name:"Diffbot"},r=s.getFirstMatch(/diffbot\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/perplexitybot/i],describe:function(e){var t={name:"PerplexityBot"},r=s.getFirstMatch(/perplexitybot\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/perplexity-user/i],describe:function(e){var t={name:"Perplexity-User"},r=s.getFirstMatch(/perplexity-user\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/youbot/i],describe:function(e){var t={name:"YouBot"},r=s.getFirstMatch(/youbot\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/meta-webindexer/i],describe:function(e){var t={name:"Meta-WebIndexer"},r=s.getFirstMatch(/meta-webindexer\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/meta-externalads/i],describe:function(e){var t={name:"Meta-ExternalAds"},r=s.getFirstMatch(/meta-externalads\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/meta-externalagent/i],describe:function(e){var t={name:"Meta-ExternalAgent"},r=s.getFirstMatch(/meta-externalagent\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/meta-externalfetcher/i],describe:function(e){var t={name:"Meta-ExternalFetcher"},r=s.getFirstMatch(/meta-externalfetcher\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/googlebot/i],describe:function(e){var t={name:"Googlebot"},r=s.getFirstMatch(/googlebot\/(\d+(\.\d+))/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/linespider/i],describe:function(e){var t={name:"Linespider"},r=s.getFirstMatch(/(?:linespider)(?:-[-\w]{1,64})?[\s/](\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/amazonbot/i],describe:function(e){var t={name:"AmazonBot"},r=s.getFirstMatch(/amazonbot\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/bingbot/i],describe:function(e){var t={name:"BingCrawler"},r=s.getFirstMatch(/bingbot\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/baiduspider/i],describe:function(e){var t={name:"BaiduSpider"},r=s.getFirstMatch(/baiduspider\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/duckduckbot/i],describe:function(e){var t={name:"DuckDuckBot"},r=s.getFirstMatch(/duckduckbot\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/ia_archiver/i],describe:function(e){var t={name:"InternetArchiveCrawler"},r=s.getFirstMatch(/ia_archiver\/(\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/facebookexternalhit/i,/facebookcatalog/i],describe:function(){return{name:"FacebookExternalHit"}}},{test:[/slackbot/i,/slack-imgProxy/i],describe:function(e){var t={name:"SlackBot"},r=s.getFirstMatch(/(?:slackbot|slack-imgproxy)(?:-[-\w]{1,64})?[\s/](\d+(\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/yahoo!?[\s/]*slurp/i],describe:function(){return{name:"YahooSlurp"}}},{test:[/yandexbot/i,/yandexmobilebot/i],describe:function(){return{name:"YandexBot"}}},{test:[/pingdom/i],describe:function(){return{name:"PingdomBot"}}},{test:[/opera/i],describe:function(e){var t={name:"Opera"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:opera)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/opr\/|opios/i],describe:function(e){var t={name:"Opera"},r=s.getFirstMatch(/(?:opr|opios)[\s/](\S+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/SamsungBrowser/i],describe:function(e){var t={name:"Samsung Internet for Android"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:SamsungBrowser)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/Whale/i],describe:function(e){var t={name:"NAVER Whale Browser"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:whale)[\s/](\d+(?:\.\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/PaleMoon/i],describe:function(e){var t={name:"Pale Moon"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:PaleMoon)[\s/](\d+(?:\.\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/HeyTapBrowser/i],describe:function(e){var t={name:"HeyTap Browser"},r=s.getFirstMatch(/(?:HeyTapBrowser)[\s/](\d+(?:\.\d+)*)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/VivoBrowser/i],describe:function(e){var t={name:"Vivo Browser"},r=s.getFirstMatch(/(?:VivoBrowser)[\s/](\d+(?:\.\d+)*)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/MZBrowser/i],describe:function(e){var t={name:"MZ Browser"},r=s.getFirstMatch(/(?:MZBrowser)[\s/](\d+(?:\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/focus/i],describe:function(e){var t={name:"Focus"},r=s.getFirstMatch(/(?:focus)[\s/](\d+(?:\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/swing/i],describe:function(e){var t={name:"Swing"},r=s.getFirstMatch(/(?:swing)[\s/](\d+(?:\.\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/coast/i],describe:function(e){var t={name:"Opera Coast"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:coast)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/opt\/\d+(?:.?_?\d+)+/i],describe:function(e){var t={name:"Opera Touch"},r=s.getFirstMatch(/(?:opt)[\s/](\d+(\.?_?\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/yabrowser/i],describe:function(e){var t={name:"Yandex Browser"},r=s.getFirstMatch(/(?:yabrowser)[\s/](\d+(\.?_?\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/ucbrowser/i],describe:function(e){var t={name:"UC Browser"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:ucbrowser)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/Maxthon|mxios/i],describe:function(e){var t={name:"Maxthon"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:Maxthon|mxios)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/epiphany/i],describe:function(e){var t={name:"Epiphany"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:epiphany)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/puffin/i],describe:function(e){var t={name:"Puffin"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:puffin)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/sleipnir/i],describe:function(e){var t={name:"Sleipnir"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:sleipnir)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/k-meleon/i],describe:function(e){var t={name:"K-Meleon"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/(?:k-meleon)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/micromessenger/i],describe:function(e){var t={name:"WeChat"},r=s.getFirstMatch(/(?:micromessenger)[\s/](\d+(\.?_?\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/qqbrowser/i],describe:function(e){var t={name:/qqbrowserlite/i.test(e)?"QQ Browser Lite":"QQ Browser"},r=s.getFirstMatch(/(?:qqbrowserlite|qqbrowser)[/](\d+(\.?_?\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/msie|trident/i],describe:function(e){var t={name:"Internet Explorer"},r=s.getFirstMatch(/(?:msie |rv:)(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/\sedg\//i],describe:function(e){var t={name:"Microsoft Edge"},r=s.getFirstMatch(/\sedg\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/edg([ea]|ios)\//i],describe:function(e){var t={name:"Microsoft Edge"},r=s.getSecondMatch(/edg([ea]|ios)\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:function(e){return!!e.hasBrand("Vivaldi")||e.test(/vivaldi/i)},describe:function(e,t){var r={name:"Vivaldi"};if(t){var i=t.getBrandVersion("Vivaldi");if(i)return r.version=i,r}var n=s.getFirstMatch(/vivaldi\/(\d+(\.?_?\d+)+)/i,e);return n&&(r.version=n),r}},{test:[/seamonkey/i],describe:function(e){var t={name:"SeaMonkey"},r=s.getFirstMatch(/seamonkey\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/sailfish/i],describe:function(e){var t={name:"Sailfish"},r=s.getFirstMatch(/sailfish\s?browser\/(\d+(\.\d+)?)/i,e);return r&&(t.version=r),t}},{test:[/silk/i],describe:function(e){var t={name:"Amazon Silk"},r=s.getFirstMatch(/silk\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/phantom/i],describe:function(e){var t={name:"PhantomJS"},r=s.getFirstMatch(/phantomjs\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/slimerjs/i],describe:function(e){var t={name:"SlimerJS"},r=s.getFirstMatch(/slimerjs\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/blackberry|\bbb\d+/i,/rim\stablet/i],describe:function(e){var t={name:"BlackBerry"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/blackberry[\d]+\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/(web|hpw)[o0]s/i],describe:function(e){var t={name:"WebOS Browser"},r=s.getFirstMatch(o,e)||s.getFirstMatch(/w(?:eb)?[o0]sbrowser\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/bada/i],describe:function(e){var t={name:"Bada"},r=s.getFirstMatch(/dolfin\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/tizen/i],describe:function(e){var t={name:"Tizen"},r=s.getFirstMatch(/(?:tizen\s?)?browser\/(\d+(\.?_?\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/qupzilla/i],describe:function(e){var t={name:"QupZilla"},r=s.getFirstMatch(/(?:qupzilla)[\s/](\d+(\.?_?\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/librewolf/i],describe:function(e){var t={name:"LibreWolf"},r=s.getFirstMatch(/(?:librewolf)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/firefox|iceweasel|fxios/i],describe:function(e){var t={name:"Firefox"},r=s.getFirstMatch(/(?:firefox|iceweasel|fxios)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/electron/i],describe:function(e){var t={name:"Electron"},r=s.getFirstMatch(/(?:electron)\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/sogoumobilebrowser/i,/metasr/i,/se 2\.[x]/i],describe:function(e){var t={name:"Sogou Browser"},r=s.getFirstMatch(/(?:sogoumobilebrowser)[\s/](\d+(\.?_?\d+)+)/i,e),i=s.getFirstMatch(/(?:chrome|crios|crmo)\/(\d+(\.?_?\d+)+)/i,e),n=s.getFirstMatch(/se ([\d.]+)x/i,e),o=r||i||n;return o&&(t.version=o),t}},{test:[/MiuiBrowser/i],describe:function(e){var t={name:"Miui"},r=s.getFirstMatch(/(?:MiuiBrowser)[\s/](\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:function(e){return!!e.hasBrand("DuckDuckGo")||e.test(/\sDdg\/[\d.]+$/i)},describe:function(e,t){var r={name:"DuckDuckGo"};if(t){var i=t.getBrandVersion("DuckDuckGo");if(i)return r.version=i,r}var n=s.getFirstMatch(/\sDdg\/([\d.]+)$/i,e);return n&&(r.version=n),r}},{test:function(e){return e.hasBrand("Brave")},describe:function(e,t){var r={name:"Brave"};if(t){var i=t.getBrandVersion("Brave");if(i)return r.version=i,r}return r}},{test:[/chromium/i],describe:function(e){var t={name:"Chromium"},r=s.getFirstMatch(/(?:chromium)[\s/](\d+(\.?_?\d+)+)/i,e)||s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/ladybird/i],describe:function(e){var t={name:"Ladybird"},r=s.getFirstMatch(/ladybird\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/chrome|crios|crmo/i],describe:function(e){var t={name:"Chrome"},r=s.getFirstMatch(/(?:chrome|crios|crmo)\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/GSA/i],describe:function(e){var t={name:"Google Search"},r=s.getFirstMatch(/(?:GSA)\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:function(e){var t=!e.test(/like android/i),r=e.test(/android/i);return t&&r},describe:function(e){var t={name:"Android Browser"},r=s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/playstation 4/i],describe:function(e){var t={name:"PlayStation 4"},r=s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/safari|applewebkit/i],describe:function(e){var t={name:"Safari"},r=s.getFirstMatch(o,e);return r&&(t.version=r),t}},{test:[/.*/i],describe:function(e){var t=-1!==e.search("\\(")?/^(.*)\/([^/]*)[ \t]\((.*)/:/^(.*)\/([^/]*) /;return{name:s.getFirstMatch(t,e),version:s.getSecondMatch(t,e)}}}],c=[{test:[/Roku\/DVP/],describe:function(e){var t=s.getFirstMatch(/Roku\/DVP-(\d+\.\d+)/i,e);return{name:i.Roku,version:t}}},{test:[/windows phone/i],describe:function(e){var t=s.getFirstMatch(/windows phone (?:os)?\s?(\d+(\.\d+)*)/i,e);return{name:i.WindowsPhone,version:t}}},{test:[/windows /i],describe:function(e){var t=s.getFirstMatch(/Windows ((NT|XP)( \d\d?.\d)?)/i,e),r=s.getWindowsVersionName(t);return{name:i.Windows,version:t,versionName:r}}},{test:function(e){return s.isFirefoxOnIpad(e.getUA())},describe:function(e){var t={name:i.iOS},r=s.getSecondMatch(/(Version\/)(\d[\d.]+)/,e);return r&&(t.version=r),t}},{test:[/macintosh/i],describe:function(e){var t=s.getFirstMatch(/mac os x (\d+(\.?_?\d+)+)/i,e).replace(/[_\s]/g,"."),r=s.getMacOSVersionName(t),n={name:i.MacOS,version:t};return r&&(n.versionName=r),n}},{test:[/(ipod|iphone|ipad)/i],describe:function(e){var t=s.getFirstMatch(/os (\d+([_\s]\d+)*) like mac os x/i,e).replace(/[_\s]/g,".");return{name:i.iOS,version:t}}},{test:[/OpenHarmony/i],describe:function(e){var t=s.getFirstMatch(/OpenHarmony\s+(\d+(\.\d+)*)/i,e);return{name:i.HarmonyOS,version:t}}},{test:function(e){var t=!e.test(/like android/i),r=e.test(/android/i);return t&&r},describe:function(e){var t=s.getFirstMatch(/android[\s/-](\d+(\.\d+)*)/i,e),r=s.getAndroidVersionName(t),n={name:i.Android,version:t};return r&&(n.versionName=r),n}},{test:[/(web|hpw)[o0]s/i],describe:function(e){var t=s.getFirstMatch(/(?:web|hpw)[o0]s\/(\d+(\.\d+)*)/i,e),r={name:i.WebOS};return t&&t.length&&(r.version=t),r}},{test:[/blackberry|\bbb\d+/i,/rim\stablet/i],describe:function(e){var t=s.getFirstMatch(/rim\stablet\sos\s(\d+(\.\d+)*)/i,e)||s.getFirstMatch(/blackberry\d+\/(\d+([_\s]\d+)*)/i,e)||s.getFirstMatch(/\bbb(\d+)/i,e);return{name:i.BlackBerry,version:t}}},{test:[/bada/i],describe:function(e){var t=s.getFirstMatch(/bada\/(\d+(\.\d+)*)/i,e);return{name:i.Bada,version:t}}},{test:[/tizen/i],describe:function(e){var t=s.getFirstMatch(/tizen[/\s](\d+(\.\d+)*)/i,e);return{name:i.Tizen,version:t}}},{test:[/linux/i],describe:function(){return{name:i.Linux}}},{test:[/CrOS/],describe:function(){return{name:i.ChromeOS}}},{test:[/PlayStation 4/],describe:function(e){var t=s.getFirstMatch(/PlayStation 4[/\s](\d+(\.\d+)*)/i,e);return{name:i.PlayStation4,version:t}}}],u=[{test:[/googlebot/i],describe:function(){return{type:r.bot,vendor:"Google"}}},{test:[/linespider/i],describe:function(){return{type:r.bot,vendor:"Line"}}},{test:[/amazonbot/i],describe:function(){return{type:r.bot,vendor:"Amazon"}}},{test:[/gptbot/i],describe:function(){return{type:r.bot,vendor:"OpenAI"}}},{test:[/chatgpt-user/i],describe:function(){return{type:r.bot,vendor:"OpenAI"}}},{test:[/oai-searchbot/i],describe:function(){return{type:r.bot,vendor:"OpenAI"}}},{test:[/baiduspider/i],describe:function(){return{type:r.bot,vendor:"Baidu"}}},{test:[/bingbot/i],describe:function(){return{type:r.bot,vendor:"Bing"}}},{test:[/duckduckbot/i],describe:function(){return{type:r.bot,vendor:"DuckDuckGo"}}},{test:[/claudebot/i,/claude-web/i,/claude-user/i,/claude-searchbot/i],describe:function(){return{type:r.bot,vendor:"Anthropic"}}},{test:[/omgilibot/i,/webzio-extended/i],describe:function(){return{type:r.bot,vendor:"Webz.io"}}},{test:[/diffbot/i],describe:function(){return{type:r.bot,vendor:"Diffbot"}}},{test:[/perplexitybot/i],describe:function(){return{type:r.bot,vendor:"Perplexity AI"}}},{test:[/perplexity-user/i],describe:function(){return{type:r.bot,vendor:"Perplexity AI"}}},{test:[/youbot/i],describe:function(){return{type:r.bot,vendor:"You.com"}}},{test:[/ia_archiver/i],describe:function(){return{type:r.bot,vendor:"Internet Archive"}}},{test:[/meta-webindexer/i],describe:function(){return{type:r.bot,vendor:"Meta"}}},{test:[/meta-externalads/i],describe:function(){return{type:r.bot,vendor:"Meta"}}},{test:[/meta-externalagent/i],describe:function(){return{type:r.bot,vendor:"Meta"}}},{test:[/meta-externalfetcher/i],describe:function(){return{type:r.bot,vendor:"Meta"}}},{test:[/facebookexternalhit/i,/facebookcatalog/i],describe:function(){return{type:r.bot,vendor:"Meta"}}},{test:[/slackbot/i,/slack-imgProxy/i],describe:function(){return{type:r.bot,vendor:"Slack"}}},{test:[/yahoo/i],describe:function(){return{type:r.bot,vendor:"Yahoo"}}},{test:[/yandexbot/i,/yandexmobilebot/i],describe:function(){return{type:r.bot,vendor:"Yandex"}}},{test:[/pingdom/i],describe:function(){return{type:r.bot,vendor:"Pingdom"}}},{test:[/huawei/i],describe:function(e){var t=s.getFirstMatch(/(can-l01)/i,e)&&"Nova",i={type:r.mobile,vendor:"Huawei"};return t&&(i.model=t),i}},{test:[/nexus\s*(?:7|8|9|10).*/i],describe:function(){return{type:r.tablet,vendor:"Nexus"}}},{test:[/ipad/i],describe:function(){return{type:r.tablet,vendor:"Apple",model:"iPad"}}},{test:function(e){return s.isFirefoxOnIpad(e.getUA())},describe:function(){return{type:r.tablet,vendor:"Apple",model:"iPad"}}},{test:[/kftt build/i],describe:function(){return{type:r.tablet,vendor:"Amazon",model:"Kindle Fire HD 7"}}},{test:[/silk/i],describe:function(){return{type:r.tablet,vendor:"Amazon"}}},{test:[/tablet(?! pc)/i],describe:function(){return{type:r.tablet}}},{test:function(e){var t=e.test(/ipod|iphone/i),r=e.test(/like (ipod|iphone)/i);return t&&!r},describe:function(e){var t=s.getFirstMatch(/(ipod|iphone)/i,e);return{type:r.mobile,vendor:"Apple",model:t}}},{test:[/nexus\s*[0-6].*/i,/galaxy nexus/i],describe:function(){return{type:r.mobile,vendor:"Nexus"}}},{test:[/Nokia/i],describe:function(e){var t=s.getFirstMatch(/Nokia\s+([0-9]+(\.[0-9]+)?)/i,e),i={type:r.mobile,vendor:"Nokia"};return t&&(i.model=t),i}},{test:[/[^-]mobi/i],describe:function(){return{type:r.mobile}}},{test:function(e){return"blackberry"===e.getBrowserName(!0)},describe:function(){return{type:r.mobile,vendor:"BlackBerry"}}},{test:function(e){return"bada"===e.getBrowserName(!0)},describe:function(){return{type:r.mobile}}},{test:function(e){return"windows phone"===e.getBrowserName()},describe:function(){return{type:r.mobile,vendor:"Microsoft"}}},{test:function(e){var t=Number(String(e.getOSVersion()).split(".")[0]);return"android"===e.getOSName(!0)&&t>=3},describe:function(){return{type:r.tablet}}},{test:function(e){return"android"===e.getOSName(!0)},describe:function(){return{type:r.mobile}}},{test:[/smart-?tv|smarttv/i],describe:function(){return{type:r.tv}}},{test:[/netcast/i],describe:function(){return{type:r.tv}}},{test:function(e){return"macos"===e.getOSName(!0)},describe:function(){return{type:r.desktop,vendor:"Apple"}}},{test:function(e){return"windows"===e.getOSName(!0)},describe:function(){return{type:r.desktop}}},{test:function(e){return"linux"===e.getOSName(!0)},describe:function(){return{type:r.desktop}}},{test:function(e){return"playstation 4"===e.getOSName(!0)},describe:function(){return{type:r.tv}}},{test:function(e){return"roku"===e.getOSName(!0)},describe:function(){return{type:r.tv}}}],d=[{test:function(e){return"microsoft edge"===e.getBrowserName(!0)},describe:function(e){if(/\sedg\//i.test(e))return{name:n.Blink};var t=s.getFirstMatch(/edge\/(\d+(\.?_?\d+)+)/i,e);return{name:n.EdgeHTML,version:t}}},{test:function(e){return"ladybird"===e.getBrowserName(!0)},describe:function(){return{name:n.LibWeb}}},{test:[/trident/i],describe:function(e){var t={name:n.Trident},r=s.getFirstMatch(/trident\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:function(e){return e.test(/presto/i)},describe:function(e){var t={name:n.Presto},r=s.getFirstMatch(/presto\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:function(e){var t=e.test(/gecko/i),r=e.test(/like gecko/i);return t&&!r},describe:function(e){var t={name:n.Gecko},r=s.getFirstMatch(/gecko\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}},{test:[/(apple)?webkit\/537\.36/i],describe:function(){return{name:n.Blink}}},{test:[/(apple)?webkit/i],describe:function(e){var t={name:n.WebKit},r=s.getFirstMatch(/webkit\/(\d+(\.?_?\d+)+)/i,e);return r&&(t.version=r),t}}],f=function(){function e(e,t,r){if(void 0===t&&(t=!1),void 0===r&&(r=null),null==e||""===e)throw new Error("UserAgent parameter can't be empty");this._ua=e;var i=!1;"boolean"==typeof t?(i=t,this._hints=r):this._hints=null!=t&&"object"==typeof t?t:null,this.parsedResult={},!0!==i&&this.parse()}var t=e.prototype;return t.getHints=function(){return this._hints},t.hasBrand=function(e){if(!this._hints||!Array.isArray(this._hints.brands))return!1;var t=e.toLowerCase();return this._hints.brands.some(function(e){return e.brand&&e.brand.toLowerCase()===t})},t.getBrandVersion=function(e){if(this._hints&&Array.isArray(this._hints.brands)){var t=e.toLowerCase(),r=s.find(this._hints.brands,function(e){return e.brand&&e.brand.toLowerCase()===t});return r?r.version:void 0}},t.getUA=function(){return this._ua},t.test=function(e){return e.test(this._ua)},t.parseBrowser=function(){var e=this;this.parsedResult.browser={};var t=s.find(a,function(t){if("function"==typeof t.test)return t.test(e);if(Array.isArray(t.test))return t.test.some(function(t){return e.test(t)});throw new Error("Browser's test function is not valid")});return t&&(this.parsedResult.browser=t.describe(this.getUA(),this)),this.parsedResult.browser},t.getBrowser=function(){return this.parsedResult.browser?this.parsedResult.browser:this.parseBrowser()},t.getBrowserName=function(e){return e?String(this.getBrowser().name).toLowerCase()||"":this.getBrowser().name||""},t.getBrowserVersion=function(){return this.getBrowser().version},t.getOS=function(){return this.parsedResult.os?this.parsedResult.os:this.parseOS()},t.parseOS=function(){var e=this;this.parsedResult.os={};var t=s.find(c,function(t){if("function"==typeof t.test)return t.test(e);if(Array.isArray(t.test))return t.test.some(function(t){return e.test(t)});throw new Error("Browser's test function is not valid")});return t&&(this.parsedResult.os=t.describe(this.getUA())),this.parsedResult.os},t.getOSName=function(e){var t=this.getOS().name;return e?String(t).toLowerCase()||"":t||""},t.getOSVersion=function(){return this.getOS().version},t.getPlatform=function(){return this.parsedResult.platform?this.parsedResult.platform:this.parsePlatform()},t.getPlatformType=function(e){void 0===e&&(e=!1);var t=this.getPlatform().type;return e?String(t).toLowerCase()||"":t||""},t.parsePlatform=function(){var e=this;this.parsedResult.platform={};var t=s.find(u,function(t){if("function"==typeof t.test)return t.test(e);if(Array.isArray(t.test))return t.test.some(function(t){return e.test(t)});throw new Error("Browser's test function is not valid")});return t&&(this.parsedResult.platform=t.describe(this.getUA())),this.parsedResult.platform},t.getEngine=function(){return this.parsedResult.engine?this.parsedResult.engine:this.parseEngine()},t.getEngineName=function(e){return e?String(this.getEngine().name).toLowerCase()||"":this.getEngine().name||""},t.parseEngine=function(){var e=this;this.parsedResult.engine={};var t=s.find(d,function(t){if("function"==typeof t.test)return t.test(e);if(Array.isArray(t.test))return t.test.some(function(t){return e.test(t)});throw new Error("Browser's test function is not valid")});return t&&(this.parsedResult.engine=t.describe(this.getUA())),this.parsedResult.engine},t.parse=function(){return this.parseBrowser(),this.parseOS(),this.parsePlatform(),this.parseEngine(),this},t.getResult=function(){return s.assign({},this.parsedResult)},t.satisfies=function(e){var t=this,r={},i=0,n={},o=0;if(Object.keys(e).forEach(function(t){var s=e[t];"string"==typeof s||Array.isArray(s)?(n[t]=s,o+=1):"object"==typeof s&&(r[t]=s,i+=1)}),i>0){var a=Object.keys(r),c=s.find(a,function(e){return t.isOS(e)});if(c){var u=this.satisfies(r[c]);if(void 0!==u)return u}var d=s.find(a,function(e){return t.isPlatform(e)});if(d){var f=this.satisfies(r[d]);if(void 0!==f)return f}}if(o>0){var b=Object.keys(n),l=s.find(b,function(e){return t.isBrowser(e,!0)});if(void 0!==l)return this.compareVersions(n[l])}},t.isBrowser=function(e,t){void 0===t&&(t=!1);var r=this.getBrowserName().toLowerCase(),i=e.toLowerCase(),n=s.getBrowserTypeByAlias(i);return t&&n&&(i=n.toLowerCase()),i===r},t.compareVersions=function(e){var t=this;return"string"==typeof e?this.compareVersion(e):e.some(function(e){return t.compareVersion(e)})},t.compareVersion=function(e){var t=[0],r=e,i=!1,n=this.getBrowserVersion();if("string"==typeof n)return">"===e[0]||"<"===e[0]?(r=e.substr(1),"="===e[1]?(i=!0,r=e.substr(2)):t=[],">"===e[0]?t.push(1):t.push(-1)):"="===e[0]?r=e.substr(1):"~"===e[0]&&(i=!0,r=e.substr(1)),t.indexOf(s.compareVersions(n,r,i))>-1},t.isOS=function(e){return this.getOSName(!0)===String(e).toLowerCase()},t.isPlatform=function(e){return this.getPlatformType(!0)===String(e).toLowerCase()},t.isEngine=function(e){return this.getEngineName(!0)===String(e).toLowerCase()},t.is=function(e,t){return void 0===t&&(t=!1),this.isBrowser(e,t)||this.isOS(e)||this.isPlatform(e)},t.some=function(e){var t=this;return void 0===e&&(e=[]),e.some(function(e){return t.is(e)})},e}();function b(e){var t=function(e){if("object"!=typeof e||!e)return e;var t=e[Symbol.toPrimitive];if(void 0!==t){var r=t.call(e,"string");if("object"!=typeof r)return r;throw new TypeError("@@toPrimitive must return a primitive value.")}return String(e)}(e);return"symbol"==typeof t?t:t+""}var l=function(){function e(){}return e.getParser=function(e,t,r){if(void 0===t&&(t=!1),void 0===r&&(r=null),"string"!=typeof e)throw new Error("UserAgent should be a string");return new f(e,t,r)},e.parse=function(e,t){return void 0===t&&(t=null),new f(e,t).getResult()},s=e,(o=[{key:"BROWSER_MAP",get:function(){return t}},{key:"ENGINE_MAP",get:function(){return n}},{key:"OS_MAP",get:function(){return i}},{key:"PLATFORMS_MAP",get:function(){return r}}])&&
/*!
  	* Bowser - a browser detector
  	* https://github.com/bowser-js/bowser
  	* MIT License | (c) Dustin Diaz 2012-2015
  	* MIT License | (c) Denis Demchenko 2015-2026
  	*/
function(e,t){for(var r=0;r<t.length;r++){var i=t[r];i.enumerable=i.enumerable||!1,i.configurable=!0,"value"in i&&(i.writable=!0),Object.defineProperty(e,b(i.key),i)}}(s,o),Object.defineProperty(s,"prototype",{writable:!1}),s;var s,o}();return l.parse,l.getParser,l});

/***/ })

};
