import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { preflightRegionAvailability } from "./regions";

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
});
