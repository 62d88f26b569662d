import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { preflightEcsLoadBalancerContainer } from "./ecs";

describe("preflight-ecs-lb-container", () => {
    const task = fake("aws:ecs/taskDefinition:TaskDefinition", "api", { family: "api",
        containerDefinitions: JSON.stringify([{ name: "api", portMappings: [{ containerPort: 3000 }] }]) });
    const service = (containerName: string, containerPort: number) => fake("aws:ecs/service:Service", "api-svc",
        { loadBalancers: [{ containerName, containerPort, targetGroupArn: "tg" }] }, { taskDefinition: [task] });
    it("passes a load balancer on the container's mapped port", async () => {
        assert.deepEqual(await violationsOf(preflightEcsLoadBalancerContainer, [task, service("api", 3000)]), []);
    });
    it("flags an unknown container and an unmapped port", async () => {
        assert.match((await violationsOf(preflightEcsLoadBalancerContainer, [task, service("web", 3000)])).join(),
            /names container web, which task definition api does not have/);
        assert.match((await violationsOf(preflightEcsLoadBalancerContainer, [task, service("api", 8080)])).join(),
            /sends to api:8080, but the container maps ports 3000/);
    });
});
