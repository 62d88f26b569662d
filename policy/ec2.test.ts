import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { ec2InstanceHardening } from "./ec2";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";
const INSTANCE = "aws:ec2/instance:Instance";
const bastion = (extra: Record<string, any> = {}) =>
    fake(INSTANCE, "bastion", {
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
        rootBlockDevice: { encrypted: true, kmsKeyId: KEY },
        associatePublicIpAddress: false,
        ...extra,
    });

describe("ec2-instance-hardening", () => {
    it("passes the Session Manager bastion shape", async () => assert.deepEqual(await violationsOf(ec2InstanceHardening, [bastion()]), []));
    it("flags IMDSv1", async () => {
        assert.deepEqual(await violationsOf(ec2InstanceHardening, [bastion({ metadataOptions: { httpTokens: "optional" } })]),
            ["bastion: instance metadata does not require IMDSv2 (metadataOptions.httpTokens must be \"required\")"]);
    });
    it("flags an unencrypted, an AWS-managed-key and a keyless root volume, and unencrypted extra volumes", async () => {
        assert.deepEqual(await violationsOf(ec2InstanceHardening, [bastion({ rootBlockDevice: { encrypted: false } })]), [
            "bastion: root volume is not encrypted",
        ]);
        assert.match(
            (await violationsOf(ec2InstanceHardening, [bastion({ rootBlockDevice: { encrypted: true, kmsKeyId: "alias/aws/ebs" } })])).join(),
            /AWS-managed key alias\/aws\/ebs/,
        );
        assert.match((await violationsOf(ec2InstanceHardening, [bastion({ rootBlockDevice: { encrypted: true } })])).join(), /kmsKeyId missing/);
        assert.deepEqual(await violationsOf(ec2InstanceHardening, [bastion({ ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] })]), [
            "bastion: EBS volume 1 is not encrypted",
        ]);
    });
    it("flags a public IP and an SSH key pair", async () => {
        assert.deepEqual(await violationsOf(ec2InstanceHardening, [bastion({ associatePublicIpAddress: true, keyName: "ops" })]), [
            "bastion: gets a public IP address (associatePublicIpAddress)", "bastion: has an SSH key pair (keyName); use Session Manager",
        ]);
    });
});
