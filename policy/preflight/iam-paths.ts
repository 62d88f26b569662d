import { asList, statements } from "../lib/kit";
import { PreflightPolicy, ofTypes, prop, whenKnown } from "./kit";
import { glob } from "./statements";

const DOCS = ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/groupPolicy:GroupPolicy", "aws:iam/userPolicy:UserPolicy"];
const ENTITIES: Record<string, string> = { "aws:iam/group:Group": "group", "aws:iam/user:User": "user", "aws:iam/role:Role": "role" };

/** The problem when `pattern` (the part after `<kind>/`) is meant for `entity` by name but misses it because of its path. */
export function pathMiss(pattern: string, name: string, path: string): string | undefined {
    if (!path || path === "/") return undefined;
    const byName = glob(pattern.replace(/\$\{[^}]+\}/g, "*"));
    const withPath = glob(pattern.replace(/\$\{[^}]+\}/g, name));
    const full = `${path.replace(/^\//, "")}${name}`;
    return byName.test(name) && !withPath.test(full) ? `matches the name ${name} but not its path ${path} (the ARN is .../${full})` : undefined;
}

/** True when `pattern` (the part after `<kind>/`) matches the entity's full ARN tail `<path><name>`. */
function reaches(pattern: string, name: string, path: string): boolean {
    return glob(pattern.replace(/\$\{[^}]+\}/g, name)).test(`${(path || "/").replace(/^\//, "")}${name}`);
}

export const preflightIamPathArns: PreflightPolicy = {
    name: "preflight-iam-path-arns",
    description: "IAM policy resources that name groups, users or roles of this stack include their path: an entity created with path /humans/ has " +
        "the ARN group/humans/<name>, so group/<prefix>-* never matches it and the grant silently does nothing.",
    enforcementLevel: "mandatory", severity: "medium",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns",
    remediationSteps: "Write the resource as <kind>/<path><name> (e.g. group/humans/platform-prod-eu-*) or <kind>/*<name>.",
    validateStack: (args, reportViolation) => {
        const entities = Object.keys(ENTITIES).flatMap((t) => ofTypes(args.resources, [t]))
            .filter((e) => typeof prop(e, "name") === "string" && typeof prop(e, "path") === "string");
        for (const doc of ofTypes(args.resources, DOCS)) {
            for (const s of whenKnown(() => statements(doc.props.policy), []).filter((x) => x.Effect === "Allow")) {
                const patterns = whenKnown(() => asList<string>(s.Resource).map(String), [])
                    .map((resource) => ({ resource, m: /^arn:aws[a-z-]*:iam::[^:]*:(group|user|role)\/(.+)$/.exec(resource) }))
                    .filter((x): x is { resource: string; m: RegExpExecArray } => !!x.m);
                for (const e of entities) {
                    const own = patterns.filter((x) => ENTITIES[e.type] === x.m[1]);
                    // A statement reaches the entity when any of its resources matches the full ARN (a sibling
                    // resource such as group/humans/<prefix>-* covers it); flag only a statement that names it by
                    // name and never by path.
                    if (own.some((x) => reaches(x.m[2], e.props.name, e.props.path))) continue;
                    const misses = own.map((x) => ({ ...x, miss: pathMiss(x.m[2], e.props.name, e.props.path) })).filter((x) => x.miss);
                    for (const x of misses) reportViolation(`${doc.name}: statement ${s.Sid ?? "(no Sid)"} resource ${x.resource} ${x.miss}`, doc.urn);
                }
            }
        }
    },
};
