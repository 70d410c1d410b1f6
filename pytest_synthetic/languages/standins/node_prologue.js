const __synthetic = (() => {
  const fs = require("fs");
  const util = require("util");
  const secret = fs.readFileSync("SYNTHETIC_FILL_COMPLETION_PATH", "utf8").trim();
  const pending = [];
  let finished = false;
  let printed = false;
  let meta = null;
  const complete = () => {
    if (!printed) {
      printed = true;
      fs.writeSync(1, "\n" + secret + "\n");
    }
  };
  // beforeExit: the event loop drained by itself (never on process.exit or a crash); the
  // secret waits for "exit" so that output of other beforeExit hooks (node:test) comes first.
  let drained = false;
  process.on("beforeExit", () => {
    if (finished) drained = true;
  });
  process.on("exit", (code) => {
    if (drained && code === 0) complete();
  });
  return {
    exit(code) {
      // An exit written in the assertions ends them: a successful one completes the run.
      if ((code === undefined ? process.exitCode || 0 : code) == 0) complete();
      process.exit(code);
    },
    track(value) {
      if (value !== null && (typeof value === "object" || typeof value === "function")
          && typeof value.then === "function") pending.push(value);
      return value;
    },
    assert(condition, ...data) {
      if (!condition) throw new Error("Assertion failed" + (data.length ? ": " + util.format(...data) : ""));
    },
    meta() {
      // import.meta of the reference as a module the tests import, not the entry script: a
      // guard like `process.argv[1] === fileURLToPath(import.meta.url)` is false, as under a
      // test runner. Same directory, so URLs relative to it still resolve.
      if (meta === null) {
        const filename = require("path").join(__dirname, "reference.mjs");
        meta = { url: require("url").pathToFileURL(filename).href, filename, dirname: __dirname };
      }
      return meta;
    },
    importDefault(module) {
      return module && module.__esModule ? module.default : module;
    },
    run(body) {
      // Print a failure as its stack only: node's own report quotes the failing source line.
      body().then(() => Promise.all(pending)).then(
        () => { finished = true; },
        (error) => { process.exitCode = 1; console.error(error instanceof Error ? error.stack : error); },
      );
    },
  };
})();
