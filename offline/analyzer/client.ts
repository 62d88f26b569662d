import * as path from "path";
import { analyzerProcess, forgetAnalyzerProcess } from "./process";

// The engine's side of the analyzer protocol (proto/pulumi/analyzer.proto): the same generated client the Pulumi CLI's
// plugin host uses, over the @grpc/grpc-js that @pulumi/pulumi's generated code loads.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc: typeof import("@grpc/grpc-js") = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
export const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb");

/** What GetAnalyzerInfo says about one policy. */
export interface AnalyzerPolicyInfo {
    name: string;
    description: string;
    enforcementLevel: string;
    severity: string;
    configSchema?: { properties: Record<string, any>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: AnalyzerPolicyInfo[];
}

export const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
const SEVERITIES = ["", "low", "medium", "high", "critical"];

interface Connection { client: any; info: AnalyzerInfo }

let connection: Promise<Connection> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Starts the policy pack's process (once per Node.js process) and connects to it. Call it early: the pack loads in
 * parallel with the program run. The child does not keep this process alive and ends with it.
 */
export function startAnalyzer(): Promise<Connection> {
    connection ??= connect();
    return connection;
}

async function connect(): Promise<Connection> {
    const port = await analyzerProcess().port;
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024, "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const info = toInfo(await call(client, "getAnalyzerInfo", new emptyProto.Empty()));
    return { client, info };
}

/** Stops the analyzer process (the plan CLI, once its document is written). */
export async function stopAnalyzer(): Promise<void> {
    const current = connection;
    connection = undefined;
    const spawned = forgetAnalyzerProcess();
    (await current?.catch(() => undefined))?.client.close();
    spawned?.child.stdin?.end();
    spawned?.child.kill();
}

/** GetAnalyzerInfo: the pack's name, version and policies with their levels and config schemas. */
export async function analyzerInfo(): Promise<AnalyzerInfo> {
    return (await startAnalyzer()).info;
}

/** Runs `session` with exclusive use of the analyzer: `Configure` sets pack-wide state in the server. */
export function withAnalyzer<T>(session: (rpc: <R>(method: string, req: unknown) => Promise<R>, info: AnalyzerInfo) => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
        const { client, info } = await startAnalyzer();
        return session((method, req) => call(client, method, req), info);
    });
    queue = run.catch(() => undefined);
    return run;
}

function call<R>(client: any, method: string, req: unknown): Promise<R> {
    return new Promise((resolve, reject) => client[method](req, (err: Error | null, res: R) => (err ? reject(err) : resolve(res))));
}

function toInfo(res: any): AnalyzerInfo {
    return {
        name: res.getName(), version: res.getVersion(), supportsConfig: res.getSupportsconfig(),
        policies: res.getPoliciesList().map((p: any) => {
            const schema = p.getConfigschema();
            return {
                name: p.getName(), description: p.getDescription(),
                enforcementLevel: LEVELS[p.getEnforcementlevel()], severity: SEVERITIES[p.getSeverity()] ?? "",
                configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
            };
        }),
    };
}
