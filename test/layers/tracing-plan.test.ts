import { strict as assert } from "assert";
import { Recorded, stackRecord } from "../../offline/testing";

const T = {
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    samplingRule: "aws:xray/samplingRule:SamplingRule",
};
const XRAY_ACTIONS = [
    "xray:GetSamplingRules",
    "xray:GetSamplingStatisticSummaries",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
];
const TRACED: Record<string, string[]> = {
    dev: ["api", "api-workers", "scanner-workers"],
    "prod-eu": ["api", "api-workers", "scanner-workers"],
    "prod-il": ["api", "api-workers", "scanner-workers", "ai-workers"],
};

for (const [stack, families] of Object.entries(TRACED)) {
    describe(`X-Ray tracing in the ${stack} plan`, () => {
        let rec: Recorded;
        before(async () => {
            rec = await stackRecord(stack);
        });
        const containers = (family: string) => JSON.parse(rec.inputsOf(rec.one(T.taskDefinition, family)).containerDefinitions);

        it("runs a hardened, non-essential X-Ray daemon beside each api and worker container, and points the app at it", () => {
            for (const family of families) {
                const [app, daemon, ...rest] = containers(family);
                assert.equal(rest.length, 0);
                assert.equal(daemon.name, "xray-daemon");
                assert.match(daemon.image, /^public\.ecr\.aws\/xray\/aws-xray-daemon:\d+\.\d+\.\d+$/, "a pinned release");
                assert.equal(daemon.essential, false, "the app keeps serving if the daemon stops");
                assert.deepEqual(daemon.portMappings, [{ containerPort: 2000, protocol: "udp" }]);
                assert.equal(daemon.user, "1000:1000");
                assert.equal(daemon.readonlyRootFilesystem, true);
                assert.deepEqual(daemon.linuxParameters.capabilities.drop, ["ALL"]);
                assert.equal(daemon.logConfiguration.options["awslogs-group"], app.logConfiguration.options["awslogs-group"]);
                const env = Object.fromEntries(app.environment.map((e: any) => [e.name, e.value]));
                assert.equal(env.AWS_XRAY_DAEMON_ADDRESS, "127.0.0.1:2000");
                assert.equal(env.AWS_XRAY_TRACING_NAME, `platform-${stack}-${family}`);
            }
        });

        it("lets each traced task role write traces (AWSXRayDaemonWriteAccess actions, no more)", () => {
            for (const family of families) {
                const doc = JSON.parse(rec.inputsOf(rec.one(T.rolePolicy, `${family}-task`)).policy);
                const xray = doc.Statement.filter((s: any) => [].concat(s.Action).some((a: string) => a.startsWith("xray:")));
                assert.equal(xray.length, 1);
                assert.deepEqual([...xray[0].Action].sort(), XRAY_ACTIONS);
            }
        });

        it("samples each traced service (never its health checks) with a rule whose name fits X-Ray's 32 characters", () => {
            const rules = rec.ofType(T.samplingRule).map((r) => rec.inputsOf(r));
            for (const family of families) {
                const service = `platform-${stack}-${family}`;
                const mine = rules.filter((r) => r.serviceName === service);
                assert.equal(mine.length, 2, service);
                const health = mine.find((r) => r.urlPath === "/health")!;
                const rest = mine.find((r) => r.urlPath === "*")!;
                assert.deepEqual([health.fixedRate, health.reservoirSize], [0, 0]);
                assert.ok(health.priority < rest.priority, "the health-check rule is evaluated first");
                assert.equal(rest.fixedRate, 0.05);
                assert.equal(rest.reservoirSize, 1);
            }
            for (const r of rules) assert.ok(r.ruleName.length <= 32, r.ruleName);
            assert.equal(new Set(rules.map((r) => r.ruleName)).size, rules.length, "rule names are unique in the account and region");
        });

        it("leaves Keycloak untraced", () => {
            if (!rec.ofType(T.taskDefinition).some((t) => t.name === "keycloak")) return;
            assert.equal(containers("keycloak").length, 1);
        });
    });
}
