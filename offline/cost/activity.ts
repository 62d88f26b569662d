import { RecordedResource } from "../engine";
import { CONFIG_RECORDED_TYPES, CONFIG_RULE_DRIVERS, GLOBAL_RECORDED_TYPES, PERIODIC_RUNS_PER_MONTH } from "./config-rules";
import { Ctx, H, NoPrice, Priced, money, num, plain } from "./context";

/**
 * The activity a stack generates, derived from its plan (resource counts, running tasks, schedules) and the few
 * usage assumptions a plan cannot know (deploys a month, drift, task replacements). AWS Config, GuardDuty and
 * CloudTrail bill this activity, not the resources, so these lines follow the plan instead of a flat guess.
 * Method: docs/cost.md "Activity-driven lines".
 */

/**
 * Configuration items one Fargate task start or stop records: its elastic network interface, plus the relationship
 * change this records on the subnet and the security group the interface sits in ("a configuration item is recorded
 * for ... relationship changes", https://docs.aws.amazon.com/config/latest/developerguide/config-concepts.html#config-items).
 */
export const CONFIG_ITEMS_PER_TASK_EVENT = 3;
/**
 * CloudTrail management events one task launch causes: ENI create/attach/detach/delete, ECR GetAuthorizationToken,
 * the execution role's AssumeRole, one GetSecretValue per injected secret (about 3) and the SSM parameter reads.
 */
export const MANAGEMENT_EVENTS_PER_TASK_LAUNCH = 12;
/** Resources a deploy changes per ECS service: a new task definition revision and the service update. */
export const CHANGES_PER_SERVICE_DEPLOY = 2;

export interface TaskFleet {
    /** Services, with their minimum task count and vCPUs per task. */
    services: { name: string; tasks: number; vcpu: number }[];
    /** Task-hours a month at the minimum count. */
    taskHours: number;
    /** Task launches a month: every deploy replaces each task; plus replacements (Spot, scale-out, health). */
    launches: number;
}

const minTasks = (all: RecordedResource[], service: RecordedResource): number => {
    const i = plain(service);
    const target = all.find((x) => x.type === "aws:appautoscaling/target:Target"
        && ((x.propertyDependencies.resourceId ?? []).includes(service.urn)
            || (typeof plain(x).resourceId === "string" && i.name !== undefined && plain(x).resourceId.endsWith(`/${i.name}`))));
    return target ? Number(plain(target).minCapacity) : Number(i.desiredCount ?? 1);
};

/** The ECS services of the plan at their minimum size, and the task launches a month that follow from them. */
export function taskFleet(c: Ctx): TaskFleet {
    const byUrn = new Map(c.all.map((r) => [r.urn, r]));
    const services = c.all.filter((r) => r.type === "aws:ecs/service:Service").map((s) => {
        const td = (s.propertyDependencies.taskDefinition ?? []).map((u) => byUrn.get(u)).find((x) => x?.type === "aws:ecs/taskDefinition:TaskDefinition");
        return { name: s.name, tasks: minTasks(c.all, s), vcpu: td ? Number(plain(td).cpu) / 1024 : 0 };
    });
    const tasks = services.reduce((n, s) => n + s.tasks, 0);
    return { services, taskHours: tasks * H, launches: c.usage.deploysPerMonth * tasks + c.usage.taskReplacementsPerMonth };
}

/** Resources of the plan in `region` whose types are in `types`. */
function inRegion(c: Ctx, region: string, types: readonly string[]): RecordedResource[] {
    return c.all.filter((r) => r.custom && types.includes(r.type) && c.regionOf(r) === region);
}

/** The AWS Config recorder: configuration items = drift of every recorded resource + deploy changes + task churn. */
export function configRecorderCost(c: Ctx): Priced {
    const global = c.inputs.recordingGroup?.includeGlobalResourceTypes === true;
    const types = CONFIG_RECORDED_TYPES.filter((t) => global || !GLOBAL_RECORDED_TYPES.includes(t));
    const recorded = inRegion(c, c.region, types).length;
    const fleet = taskFleet(c);
    const drift = recorded * c.usage.configChangesPerResource;
    const deploys = c.usage.deploysPerMonth * fleet.services.length * CHANGES_PER_SERVICE_DEPLOY;
    const churn = fleet.launches * 2 * CONFIG_ITEMS_PER_TASK_EVENT;
    const items = drift + deploys + churn;
    const rate = c.p("config.item");
    return {
        monthly: items * rate,
        basis: `${num(items)} items (${recorded} recorded resources x ${c.usage.configChangesPerResource} changes`
            + ` + ${c.usage.deploysPerMonth} deploys x ${fleet.services.length} services x ${CHANGES_PER_SERVICE_DEPLOY}`
            + ` + ${num(fleet.launches)} task launches x 2 x ${CONFIG_ITEMS_PER_TASK_EVENT}) x ${money(rate)}`,
    };
}

/** A managed Config rule: evaluations from its trigger type, the resources in its scope and their changes. */
export function configRuleCost(c: Ctx): Priced {
    const id = String(c.inputs.source?.sourceIdentifier ?? "");
    const driver = CONFIG_RULE_DRIVERS[id];
    if (!driver) throw new NoPrice(`no trigger type for Config rule ${id || "(custom)"} (offline/cost/config-rules.ts)`);
    const inScope = driver.scope.length ? inRegion(c, c.region, driver.scope).length : 1;
    const parts: string[] = [];
    let evaluations = 0;
    if (driver.trigger !== "periodic") {
        // Security groups also change whenever a task's ENI joins or leaves them (relationship change).
        const churn = driver.configType === "AWS::EC2::SecurityGroup" ? taskFleet(c).launches * 2 : 0;
        const n = inScope * c.usage.configChangesPerResource + churn;
        evaluations += n;
        parts.push(`${num(n)} changes (${inScope} ${driver.configType} x ${c.usage.configChangesPerResource}${churn ? ` + ${num(churn)} ENI events` : ""})`);
    }
    if (driver.trigger !== "change") {
        const frequency = String(c.inputs.maximumExecutionFrequency ?? "TwentyFour_Hours");
        const runs = PERIODIC_RUNS_PER_MONTH[frequency];
        if (!runs) throw new NoPrice(`unknown Config rule frequency ${frequency}`);
        evaluations += runs * inScope;
        parts.push(`${num(runs)} runs x ${inScope} ${driver.configType}`);
    }
    const rate = c.p("config.evaluation");
    return { monthly: evaluations * rate, basis: `${driver.trigger}: ${parts.join(" + ")} = ${num(evaluations)} evaluations x ${money(rate)}` };
}

/** CloudTrail management events a month, millions: task activity, deploys and the services' own calls. */
export function managementEventsMillions(c: Ctx): { millions: number; basis: string } {
    const fleet = taskFleet(c);
    const u = c.usage;
    const events = fleet.taskHours * u.managementEventsPerTaskHour + fleet.launches * MANAGEMENT_EVENTS_PER_TASK_LAUNCH;
    const millions = events / 1e6 + u.backgroundManagementEventsMillions;
    return {
        millions,
        basis: `${num(millions)} M management events (${num(fleet.taskHours)} task-h x ${u.managementEventsPerTaskHour} + ${num(fleet.launches)} launches`
            + ` x ${MANAGEMENT_EVENTS_PER_TASK_LAUNCH} + ${u.backgroundManagementEventsMillions} M background)`,
    };
}

/**
 * GuardDuty bills what it analyses: the account's CloudTrail management events, the VPC flow logs and DNS queries
 * (the same flow records the flow logs in the plan deliver), and with S3 Protection the S3 data events of every
 * bucket (https://aws.amazon.com/guardduty/pricing/).
 */
export function detectorCost(c: Ctx): Priced {
    const u = c.usage;
    const s3 = c.pointingAt("aws:guardduty/detectorFeature:DetectorFeature", "detectorId", c.r)
        .some((f) => plain(f).name === "S3_DATA_EVENTS" && plain(f).status === "ENABLED");
    const events = managementEventsMillions(c);
    const flowLogs = inRegion(c, c.region, ["aws:ec2/flowLog:FlowLog"]).length;
    const flowDnsGb = flowLogs * u.flowLogGb + u.guardDutyDnsGb;
    const ct = c.p("guardduty.cloudtrailMillion");
    const fd = c.p("guardduty.flowDnsGb");
    let monthly = events.millions * ct + flowDnsGb * fd;
    let basis = `${events.basis} x ${money(ct)} + ${num(flowDnsGb)} GB (${flowLogs} flow logs x ${u.flowLogGb} GB + ${u.guardDutyDnsGb} GB DNS) x ${money(fd)}`;
    if (s3) {
        const buckets = inRegion(c, c.region, ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]).length;
        const millions = buckets * (u.s3PutRequestsThousands + u.s3GetRequestsThousands) / 1000;
        const s = c.p("guardduty.s3Million");
        monthly += millions * s;
        basis += ` + ${num(millions)} M S3 events (${buckets} buckets x ${u.s3PutRequestsThousands + u.s3GetRequestsThousands}k requests) x ${money(s)}`;
    }
    return { monthly, basis };
}
