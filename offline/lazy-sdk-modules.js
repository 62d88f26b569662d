// @pulumi/pulumi loads two large libraries when it loads, for features the offline loop never calls: the TypeScript
// compiler (to serialize a JavaScript function into a Lambda's code, `pulumi.runtime.serializeFunction`) and npm's
// Arborist (to find the packages such a function needs, `computeCodePaths`). Together they are about half of the
// SDK's load time, paid by every plan, test run and policy pack process. Here each is loaded on first use instead: the
// module the SDK receives is a stand-in that loads the real one the first time any of its members is read, so a
// program that does serialize a function gets exactly the real module, only later.
const Module = require("module");

/** `request` as the SDK's file `from` (a path ending) asks for it. */
const DEFERRED = [
    // typescript-shim.js: `module.exports = require("typescript")`; every user reads `ts.<member>` inside a function.
    { request: "typescript", from: "/@pulumi/pulumi/typescript-shim.js", esModule: false },
    // codePaths.js: `arborist = __importStar(require("@npmcli/arborist"))`, then `new arborist.Arborist(...)` inside
    // computeCodePaths. That old `__importStar` copies every member at once unless `__esModule` is set, so the
    // stand-in says it is one: the file then keeps the stand-in itself and reads `Arborist` when it needs it.
    { request: "@npmcli/arborist", from: "/@pulumi/pulumi/runtime/closure/codePaths.js", esModule: true },
];

/** A stand-in for the module `load()` returns, loaded the first time it is used. */
function deferredModule(load, esModule) {
    let real;
    const target = () => (real ??= load());
    return new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" && esModule ? true : Reflect.get(target(), key)),
            has: (_, key) => Reflect.has(target(), key),
            ownKeys: () => Reflect.ownKeys(target()),
            getOwnPropertyDescriptor: (_, key) => {
                const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
                return descriptor && { ...descriptor, configurable: true };
            },
            set: (_, key, value) => Reflect.set(target(), key, value),
        },
    );
}

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
    const deferred = parent?.filename && DEFERRED.find((d) => d.request === request && parent.filename.endsWith(d.from));
    if (!deferred) return originalLoad.call(this, request, parent, isMain);
    return deferredModule(() => originalLoad.call(this, request, parent, isMain), deferred.esModule);
};

module.exports = { DEFERRED };
