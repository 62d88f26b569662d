/**
 * The standards the program applies and the policy pack checks, in one place: tag keys and values, TLS policies,
 * ports, log retention values, Fargate sizes, instance classes per region, ALB log delivery, Cloudflare's ranges and
 * origin-pull CA. components/, stacks/ and policy/ all import from here; nothing here imports from them.
 */
export * from "./tags";
export * from "./tls";
export * from "./logs";
export * from "./backups";
export * from "./ports";
export * from "./fargate";
export * from "./instance-classes";
export * from "./elb-log-delivery";
export * from "./cloudflare";
export * from "./notifications";
