// The generated tables live in standards/ (the program validates config against them too).
import { CACHE_NODE_TYPES, RDS_INSTANCE_CLASSES, TABLE_SOURCES } from "../../standards/instance-classes";

export { RDS_INSTANCE_CLASSES, TABLE_SOURCES };

/** Why `instanceClass` is not offered for `engine` in `region`, or undefined when it is (or the table does not know the region). */
export function rdsClassProblem(region: string, engine: string, instanceClass: string): string | undefined {
    const allowed = RDS_INSTANCE_CLASSES[region]?.[engine];
    if (!allowed) return undefined;
    return allowed.includes(instanceClass) ? undefined : `${instanceClass} is not offered for ${engine} in ${region}`;
}

/** Why `nodeType` is not offered in `region`, or undefined when it is (or the table does not know the region). */
export function cacheNodeProblem(region: string, nodeType: string): string | undefined {
    const allowed = CACHE_NODE_TYPES[region];
    if (!allowed) return undefined;
    return allowed.includes(nodeType) ? undefined : `${nodeType} is not offered in ${region}`;
}
