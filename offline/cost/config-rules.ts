/**
 * What drives the evaluations of each AWS managed Config rule the program creates: its trigger type and the
 * resource types in its scope, as the rule's page in the AWS Config developer guide states them
 * (https://docs.aws.amazon.com/config/latest/developerguide/<rule-name>.html, "Trigger type" and "Resource Types";
 * read 2026-12-03). Config bills every evaluation it records ($0.001 each for the first 100,000 in a region;
 * https://aws.amazon.com/config/pricing/), so a change-triggered rule costs in proportion to the changes of the
 * resources in its scope, and a periodic rule in proportion to its runs times the resources it checks.
 */

export type ConfigTrigger = "change" | "periodic" | "change+periodic";

export interface ConfigRuleDriver {
    trigger: ConfigTrigger;
    /** Pulumi types of the resources in the rule's scope; empty = an account-level rule (one evaluation per run). */
    scope: string[];
    /** The Config resource type named on the rule's page (for the basis text). */
    configType: string;
}

const BUCKET = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const DB = ["aws:rds/instance:Instance"];
const SG = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];

export const CONFIG_RULE_DRIVERS: Readonly<Record<string, ConfigRuleDriver>> = {
    S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED: { trigger: "change", scope: BUCKET, configType: "AWS::S3::Bucket" },
    S3_BUCKET_PUBLIC_READ_PROHIBITED: { trigger: "change+periodic", scope: BUCKET, configType: "AWS::S3::Bucket" },
    S3_BUCKET_SSL_REQUESTS_ONLY: { trigger: "change", scope: BUCKET, configType: "AWS::S3::Bucket" },
    S3_BUCKET_VERSIONING_ENABLED: { trigger: "change", scope: BUCKET, configType: "AWS::S3::Bucket" },
    RDS_STORAGE_ENCRYPTED: { trigger: "change", scope: DB, configType: "AWS::RDS::DBInstance" },
    RDS_INSTANCE_PUBLIC_ACCESS_CHECK: { trigger: "change", scope: DB, configType: "AWS::RDS::DBInstance" },
    RDS_MULTI_AZ_SUPPORT: { trigger: "change", scope: DB, configType: "AWS::RDS::DBInstance" },
    DB_INSTANCE_BACKUP_ENABLED: { trigger: "change", scope: DB, configType: "AWS::RDS::DBInstance" },
    CMK_BACKING_KEY_ROTATION_ENABLED: { trigger: "periodic", scope: ["aws:kms/key:Key"], configType: "AWS::KMS::Key" },
    CLOUD_TRAIL_ENCRYPTION_ENABLED: { trigger: "periodic", scope: [], configType: "AWS::::Account" },
    CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED: { trigger: "periodic", scope: [], configType: "AWS::::Account" },
    VPC_FLOW_LOGS_ENABLED: { trigger: "periodic", scope: ["aws:ec2/vpc:Vpc"], configType: "AWS::EC2::VPC" },
    VPC_DEFAULT_SECURITY_GROUP_CLOSED: { trigger: "change", scope: SG, configType: "AWS::EC2::SecurityGroup" },
    ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST: {
        trigger: "change", scope: ["aws:elasticache/replicationGroup:ReplicationGroup"], configType: "AWS::ElastiCache::ReplicationGroup",
    },
    ECR_PRIVATE_IMAGE_SCANNING_ENABLED: { trigger: "periodic", scope: ["aws:ecr/repository:Repository"], configType: "AWS::ECR::Repository" },
    IAM_USER_MFA_ENABLED: { trigger: "periodic", scope: ["aws:iam/user:User"], configType: "AWS::IAM::User" },
    ROOT_ACCOUNT_MFA_ENABLED: { trigger: "periodic", scope: [], configType: "AWS::::Account" },
    GUARDDUTY_ENABLED_CENTRALIZED: { trigger: "periodic", scope: [], configType: "AWS::::Account" },
};

/** Runs per month of a periodic rule at its maximum execution frequency (managed rules default to 24 h). */
export const PERIODIC_RUNS_PER_MONTH: Readonly<Record<string, number>> = {
    One_Hour: 730, Three_Hours: 730 / 3, Six_Hours: 730 / 6, Twelve_Hours: 730 / 12, TwentyFour_Hours: 730 / 24,
};

/**
 * Pulumi types whose resources AWS Config records as configuration items (its supported resource types,
 * https://docs.aws.amazon.com/config/latest/developerguide/resource-config-reference.html, read 2026-12-03).
 * Sub-resources (bucket versioning, policy, encryption; rule attachments) are not listed: a change to them is
 * recorded as a change of their parent's item. IAM types are global: recorded only where global types are.
 */
export const CONFIG_RECORDED_TYPES: readonly string[] = [
    "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable", "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip", "aws:ec2/networkAcl:NetworkAcl", "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/flowLog:FlowLog", "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener",
    "aws:acm/certificate:Certificate", "aws:rds/instance:Instance", "aws:rds/subnetGroup:SubnetGroup",
    "aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/subnetGroup:SubnetGroup", "aws:elasticache/parameterGroup:ParameterGroup",
    "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:kms/key:Key", "aws:kms/alias:Alias", "aws:secretsmanager/secret:Secret",
    "aws:ecs/cluster:Cluster", "aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition", "aws:ecr/repository:Repository",
    "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/logGroup:LogGroup", "aws:cloudwatch/eventRule:EventRule",
    "aws:sns/topic:Topic", "aws:cloudtrail/trail:Trail", "aws:guardduty/detector:Detector",
    "aws:backup/vault:Vault", "aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    "aws:sesv2/configurationSet:ConfigurationSet",
    "aws:iam/role:Role", "aws:iam/policy:Policy", "aws:iam/user:User", "aws:iam/group:Group",
];

export const GLOBAL_RECORDED_TYPES: readonly string[] = ["aws:iam/role:Role", "aws:iam/policy:Policy", "aws:iam/user:User", "aws:iam/group:Group"];
