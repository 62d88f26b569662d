import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { REGION_FACTS, SERVICES_UNAVAILABLE, preflightRegionAvailability } from "./regions";

const rule = (id: string) => fake("aws:cfg/rule:Rule", `config-${id.toLowerCase()}`, { source: { owner: "AWS", sourceIdentifier: id } });

describe("preflight-region-availability", () => {
    it("flags ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST in il-central-1 and passes it in eu-central-1", async () => {
        const il = fake("pulumi:providers:aws", "aws", { region: "il-central-1" });
        const eu = fake("pulumi:providers:aws", "aws", { region: "eu-central-1" });
        assert.deepEqual(await violationsOf(preflightRegionAvailability, [il, rule("ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST"), rule("RDS_MULTI_AZ_SUPPORT")]),
            ["config-elasticache_repl_grp_encrypted_at_rest: managed rule ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST is documented as unavailable in " +
                "il-central-1; PutConfigRule fails"]);
        assert.deepEqual(await violationsOf(preflightRegionAvailability, [eu, rule("ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST")]), []);
    });
    it("flags a service listed as unavailable for the region through the pack config", async () => {
        const il = fake("pulumi:providers:aws", "aws", { region: "il-central-1" });
        const proxy = fake("aws:rds/proxy:Proxy", "postgres-proxy", {});
        assert.deepEqual(await violationsOf(preflightRegionAvailability, [il, proxy], { servicesUnavailable: { "il-central-1": ["aws:rds/proxy"] } }),
            ["postgres-proxy: aws:rds/proxy:Proxy is not offered in il-central-1"]);
    });
    it("fails a Chatbot channel created in il-central-1 by default (no Chatbot API there), and passes restore testing and X-Ray there", async () => {
        const il = fake("pulumi:providers:aws", "aws", { region: "il-central-1" });
        const channel = fake("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "alerts-chat", {});
        assert.deepEqual(await violationsOf(preflightRegionAvailability, [il, channel]),
            ["alerts-chat: aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration is not offered in il-central-1"]);
        const plan = fake("aws:backup/restoreTestingPlan:RestoreTestingPlan", "restore-testing", {});
        const rule = fake("aws:xray/samplingRule:SamplingRule", "tracing-sampling", {});
        assert.deepEqual(await violationsOf(preflightRegionAvailability, [il, plan, rule]), []);
    });
    it("keeps every il-central-1 fact dated and sourced from AWS's documentation, and derives the unavailable list from them", () => {
        for (const fact of REGION_FACTS["il-central-1"]) {
            assert.match(fact.source, /^https:\/\/docs\.aws\.amazon\.com\//, fact.service);
            assert.match(fact.read, /^\d{4}-\d{2}-\d{2}$/, fact.service);
        }
        assert.deepEqual(SERVICES_UNAVAILABLE["il-central-1"], ["aws:chatbot/"]);
    });
});
