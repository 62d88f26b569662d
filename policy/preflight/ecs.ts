import { asList } from "../lib/kit";
import { PreflightPolicy, eachOf, num, ofTypes, parsed } from "./kit";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";

export const preflightEcsLoadBalancerContainer: PreflightPolicy = {
    name: "preflight-ecs-lb-container",
    description: "An ECS service's load balancer names a container and containerPort that exist in its task definition (CreateService fails otherwise).",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html",
    remediationSteps: "Use the container name and a containerPort from the task definition's portMappings.",
    validateStack: eachOf(["aws:ecs/service:Service"], (svc, args) => {
        const lbs = asList<any>(svc.props.loadBalancers);
        if (!lbs.length) return [];
        const byDep = (svc.propertyDependencies.taskDefinition ?? []).filter((d) => d.type === TASK);
        const ref = svc.props.taskDefinition;
        const family = typeof ref === "string" ? ref.replace(/^.*task-definition\//, "").replace(/:\d+$/, "") : undefined;
        const task = byDep[0] ?? ofTypes(args.resources, [TASK]).find((t) => t.props.family === family);
        const containers = asList<any>(parsed(task?.props.containerDefinitions));
        if (!task || !containers.length) return [];
        return lbs.map((lb) => {
            const container = containers.find((c) => c?.name === lb.containerName);
            if (!container) return `loadBalancers names container ${lb.containerName}, which task definition ${task.name} does not have ` +
                `(${containers.map((c) => c?.name).join(", ")})`;
            const ports = asList<any>(container.portMappings).map((p) => num(p?.containerPort));
            return ports.includes(num(lb.containerPort)) ? undefined
                : `loadBalancers sends to ${lb.containerName}:${lb.containerPort}, but the container maps ports ${ports.join(", ") || "none"}`;
        });
    }),
};
