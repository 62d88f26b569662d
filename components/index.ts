// The public surface of the component library, one export line per component.
// The standards the components apply (tag keys, TLS policies, ports, Fargate sizes, Cloudflare's ranges, ...).
export * from "../standards";
export { ComponentTags, withTags } from "./tags";
export { Defaulted, withDefaults } from "./defaults";
export { serviceTrustPolicy, TrustCondition } from "./security/service-trust";
// The defaults the larger components apply to the arguments a caller leaves out (each is also on its Args field).
export { FARGATE_SERVICE_DEFAULTS } from "./compute/fargate-service";
export { ORIGIN_LOAD_BALANCER_DEFAULTS } from "./ingress/origin-load-balancer";
export { POSTGRES_DEFAULTS } from "./data/postgres";
export { REDIS_DEFAULTS } from "./data/redis";
export { BACKUP_PROTECTION_DEFAULTS } from "./audit/backup-protection";
export { KeyRing, KeyRingArgs, KeyClass, KEY_CLASSES, ManagedKey } from "./security/key-ring";
export { keyPolicy, serviceGrants, ServiceGrant, GrantContext } from "./security/key-policy";
export { TenantKey, TenantKeyArgs, TenantKeyOrigin, TENANT_TAG, tenantKeyPolicy } from "./security/tenant-key";
export { OriginTrust, OriginTrustArgs, AopMode } from "./edge/origin-trust";
export { Edge, EdgeArgs, EdgeAop, EmailDnsArgs } from "./edge/edge";
export * as edgeRules from "./edge/rules";
export { SpaOrigin, SpaOriginArgs, SPA_WORKER_SOURCE } from "./edge/spa-origin";
export { ApiKeyLimiter, ApiKeyLimiterArgs } from "./edge/api-key-limiter";
export { EdgeAlerts, EdgeAlertsArgs, EDGE_ALERT_TYPES } from "./edge/edge-alerts";
export { EDGE_FEATURES, EdgeEntitlements, EdgeFeature, EdgeFeatureId, CloudflareAddons, CLOUDFLARE_PLANS, CloudflarePlan, entitlementsOf, featureReport }
    from "./edge/features";
export { Network, NetworkArgs } from "./network/network";
export { planSubnets, AzSubnets, Tier, TIERS, parseCidr, formatCidr, cidrContains } from "./network/subnet-plan";
export { naclRules, naclDecides, NaclRuleSpec, NaclContext, NaclProtocol } from "./network/nacl-plan";
export { AlertTopic, AlertTopicArgs, alertTopicPolicy, emailSlug, ON_CALL_DELIVERY_POLICY } from "./notifications/alert-topic";
export { EmailSending, EmailSendingArgs, DELIVERY_PROBLEM_EVENTS } from "./notifications/email-sending";
export { SEVERITIES, Severity, SEVERITY_ROUTES, SeverityRoute, ALARM_SEVERITY, severityOf } from "./notifications/severity";
export {
    SecuritySignals, SecuritySignalsArgs, SignalMessage, ECR_SEVERITIES, EcrSeverity, CONFIG_NONCOMPLIANT_PATTERN, ecrScanPattern, guardDutyFindingMessage,
    signalMessage,
} from "./notifications/security-signals";
export { ChatChannel, ChatChannelArgs, CHATBOT_API_REGIONS, CHATBOT_TOPIC_REGIONS, CHATBOT_GUARDRAIL_POLICY_ARN } from "./notifications/chat-channel";
export { validateFargateSize } from "./compute/fargate-size";
export { ContainerRegistry, ContainerRegistryArgs, Repository, pullPolicy } from "./compute/container-registry";
export { EcsCluster, EcsClusterArgs } from "./compute/ecs-cluster";
export { FargateService, FargateServiceArgs, ContainerSecret, PolicyStatement, WritablePath, CONTAINER_USER, tmpfsMounts } from "./compute/fargate-service";
export { ServiceClient } from "./compute/fargate-service";
export { ServiceDiscovery, ServiceDiscoveryArgs } from "./compute/service-discovery";
export { GUARDDUTY_FARGATE_AGENT_ACCOUNTS, GUARDDUTY_FARGATE_AGENT_REPOSITORY, guardDutyAgentRepositoryArn } from "./compute/guardduty-agent";
export { ServiceAutoscaling, ServiceAutoscalingArgs, RequestScaling, QueueDepthScaling, CpuScaling } from "./compute/service-autoscaling";
export { SessionManagerBastion, SessionManagerBastionArgs, AL2023_ARM64_AMI_PARAMETER, SESSION_PREFERENCES_DOCUMENT } from "./compute/session-manager-bastion";
export { OriginLoadBalancer, OriginLoadBalancerArgs, OriginRoute, RoutedTarget, checkedLbName } from "./ingress/origin-load-balancer";
export { BULLMQ_METRIC, bullmqQueueDimensions } from "./compute/bullmq-metric";
export {
    SecureBucket, SecureBucketArgs, SseS3Reason, LifecycleTransition, RETENTION_CLASS_TAG, BUCKET_PURPOSE_TAG, validateSecureBucketArgs,
} from "./storage/secure-bucket";
export { BucketReplication, BucketReplicationArgs } from "./storage/bucket-replication";
export { validateBucketName } from "./storage/bucket-name";
export {
    PolicyStatement as BucketPolicyStatement, bucketArns, tlsOnlyStatements, readFromSourceIpsStatement, restrictObjectAccessStatement,
    serverAccessLogDeliveryStatement, albLogDeliveryStatements,
} from "./storage/bucket-policy-statements";
export { GeneratedValue, ManagedSecret, ManagedSecretArgs, SecretRotationMode, ROTATION_TAG } from "./secrets/managed-secret";
export { RuntimeParameters, RuntimeParametersArgs, RuntimeParameter } from "./secrets/runtime-parameters";
export { TokenAgeCheck, TokenAgeCheckArgs, SECRET_AGE_METRIC } from "./secrets/token-age-check";
export { RotationFunction, RotationFunctionArgs, RotationKind, ROTATION_FUNCTIONS, secretArnPattern } from "./secrets/rotation-function";
export { VpcFunction, VpcFunctionArgs, FunctionStatement, FUNCTION_RUNTIME, VPC_ENI_ACTIONS } from "./functions/vpc-function";
export { RUNBOOKS, RunbookId, AlarmWiring, AlarmSpec, runbookAlarm, runbookLink } from "./observability/runbooks";
export { AlarmThresholds, alarmThresholds, rdsMaxConnections } from "./observability/thresholds";
export { PlatformAlarms, PlatformAlarmsArgs, WatchedResources, BULLMQ_NAMESPACE, redisMembers } from "./observability/platform-alarms";
export { SecurityAlarms, SecurityAlarmsArgs, CLOUDTRAIL_PATTERNS, SECURITY_NAMESPACE, breakGlassPattern } from "./observability/security-alarms";
export { LogShipper, LogShipperArgs } from "./observability/log-shipper";
export { FetchedLogBucket, S3LogFetcher, S3LogFetcherArgs } from "./observability/s3-log-fetcher";
export { DESTINATION_REGION_TAG, LOGZIO_LISTENER_REGIONS, listenerRegionOf } from "./observability/log-destinations";
export { PlatformDashboard, PlatformDashboardArgs } from "./observability/dashboard";
export { Tracing, TracingArgs, traceQueryLink } from "./observability/tracing";
export { MasterCredentials, MasterCredentialsArgs, PASSWORD_EXCLUDED_CHARACTERS } from "./data/master-credentials";
export {
    Postgres, PostgresArgs, PostgresProxyArgs, PostgresCrossRegionBackupsArgs, PostgresRestoreArgs, postgresParameters, POSTGRES_PRELOAD, POSTGRES_LOG_EXPORTS,
    ENHANCED_MONITORING_POLICY_ARN,
} from "./data/postgres";
export { Redis, RedisArgs, redisParameters, REDIS_LOG_TYPES } from "./data/redis";
export { physicalName as dataPhysicalName, DATA_NAME_RULES, DataNameKind, NameRule, PhysicalNameError } from "./data/names";
export { AuditTrail, AuditTrailArgs } from "./audit/audit-trail";
export { cloudTrailBucketStatements, configBucketStatements, trailArnOf, CLOUDTRAIL_PREFIX, CONFIG_PREFIX,
    PolicyStatement as AuditBucketStatement } from "./audit/bucket-statements";
export {
    ConfigRecorder, ConfigRecorderArgs, MANAGED_CONFIG_RULES, ManagedConfigRule, SkippedConfigRule, configRuleName, configRulesFor,
} from "./audit/config-recorder";
export { CONFIG_RULE_AVAILABILITY, RuleAvailability } from "./audit/config-rule-availability";
export { ThreatDetection, ThreatDetectionArgs, GUARDDUTY_FEATURES } from "./audit/threat-detection";
export { RestoreTesting, RestoreTestingArgs, RESTORE_TESTING_NAMESPACE, RESTORE_ROLE_POLICIES, restoreTestingName } from "./backup/restore-testing";
export {
    BackupProtection, BackupProtectionArgs, BackupCopyTarget, VaultLock, BACKUP_ROLE_POLICIES, BACKUP_VAULT_EVENTS, MAX_CONTINUOUS_BACKUP_DAYS, backupRoleName,
} from "./audit/backup-protection";
export { HumanAccess, HumanAccessArgs, HUMAN_GROUPS, HumanGroup } from "./identity/human-access";
export { BreakGlassRole, BreakGlassRoleArgs, BREAK_GLASS_TAG } from "./identity/break-glass-role";
export { GithubDeployRoles, GithubDeployRolesArgs, GithubRoleTrust } from "./identity/github-deploy-roles";
export { GithubHubRoles, GithubHubRolesArgs, HubEnvironment } from "./identity/github-hub-roles";
export { IAM_WRITE_ACTIONS, RoleBoundary, RoleBoundaryArgs, roleBoundaryPolicy } from "./identity/role-boundary";
export {
    mfaRequiredPolicy, developerPolicy, breakGlassTrustPolicy, githubTrustPolicy, hubTrustPolicy, deployIamPolicy, MFA_SELF_SERVICE_ACTIONS, GITHUB_OIDC_HOST,
    DeployIamBounds,
} from "./identity/policy-documents";
export { StackBudget, StackBudgetArgs, BUDGET_LIMITS, BUDGET_NAME, budgetArgProblems } from "./cost/budget";
