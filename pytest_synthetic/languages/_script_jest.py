"""A small stand-in for Jest's globals, for JS/TS assertions written as a Jest test file.

Used only when the assertions call describe / it / test / expect without declaring or
importing them (or import them from "@jest/globals" / "vitest"). Tests are registered while
the assertions run and executed one after another when they end (hooks, async tests and
`done` callbacks included); the run fails with every failing test's message, and fails
when `describe` / `it` / `test` registered no test at all. An unsupported matcher is a
TypeError naming it, which the run reports as it is.
"""

from __future__ import annotations

# Names the stand-in provides; the program binds only those the entry uses and lacks.
JEST_NAMES = ("describe", "it", "test", "expect", "beforeEach", "afterEach", "beforeAll", "afterAll", "jest")
JEST_MODULES = ("@jest/globals", "vitest", "jest")
JEST_API = "__synthetic_jest"

JEST_STANDIN = """const __synthetic_jest = (() => {
  const util = require("util");
  const tests = [];
  const frames = [{ name: "", beforeEach: [], afterEach: [], beforeAll: [], afterAll: [] }];
  const started = new Set();
  const fail = (message) => {
    const error = new Error(message);
    error.name = "AssertionError";
    return error;
  };
  const show = (value) => util.inspect(value, { depth: 6, breakLength: Infinity });
  const equals = (a, b, strict) => {
    if (Object.is(a, b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (strict) return util.isDeepStrictEqual(a, b);
    if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && +a === +b;
    if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a) && a.length !== b.length) return false;
    if (a instanceof Map || b instanceof Map) {
      return a instanceof Map && b instanceof Map && a.size === b.size
        && [...a].every(([k, v]) => b.has(k) && equals(v, b.get(k), false));
    }
    if (a instanceof Set || b instanceof Set) {
      return a instanceof Set && b instanceof Set && a.size === b.size
        && [...a].every((v) => b.has(v) || [...b].some((w) => equals(v, w, false)));
    }
    const keys = (o) => Object.keys(o).filter((k) => o[k] !== undefined);
    const ka = keys(a);
    const kb = keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k)
      && equals(a[k], b[k], false));
  };
  const subset = (actual, pattern) => {
    if (typeof pattern !== "object" || pattern === null) return equals(actual, pattern, false);
    if (typeof actual !== "object" || actual === null) return false;
    if (Array.isArray(pattern)) {
      return Array.isArray(actual) && actual.length === pattern.length && pattern.every((p, i) => subset(actual[i], p));
    }
    return Object.keys(pattern).every((k) => k in actual && subset(actual[k], pattern[k]));
  };
  const thrown = (fn) => {
    try { fn(); } catch (error) { return { error }; }
    return null;
  };
  const throwMatches = (error, expected) => {
    if (expected === undefined) return true;
    const message = error && error.message !== undefined ? error.message : String(error);
    if (typeof expected === "string") return message.includes(expected);
    if (expected instanceof RegExp) return expected.test(message);
    if (typeof expected === "function") return error instanceof expected;
    if (expected instanceof Error) return message === expected.message;
    return equals(error, expected, false);
  };
  const property = (object, path) => {
    const parts = Array.isArray(path) ? path : String(path).split(".");
    let value = object;
    for (const part of parts) {
      if (value === null || value === undefined || !(Object(value) instanceof Object) || !(part in Object(value))) {
        return { found: false };
      }
      value = value[part];
    }
    return { found: true, value };
  };
  const checks = {
    toBe: (a, e) => [Object.is(a, e), `expected ${show(a)} to be ${show(e)}`],
    toEqual: (a, e) => [equals(a, e, false), `expected ${show(a)} to equal ${show(e)}`],
    toStrictEqual: (a, e) => [equals(a, e, true), `expected ${show(a)} to strictly equal ${show(e)}`],
    toBeCloseTo: (a, e, digits = 2) => [Math.abs(a - e) < Math.pow(10, -digits) / 2,
      `expected ${show(a)} to be close to ${show(e)} (${digits} digits)`],
    toBeTruthy: (a) => [Boolean(a), `expected ${show(a)} to be truthy`],
    toBeFalsy: (a) => [!a, `expected ${show(a)} to be falsy`],
    toBeNull: (a) => [a === null, `expected ${show(a)} to be null`],
    toBeUndefined: (a) => [a === undefined, `expected ${show(a)} to be undefined`],
    toBeDefined: (a) => [a !== undefined, `expected ${show(a)} to be defined`],
    toBeNaN: (a) => [Number.isNaN(a), `expected ${show(a)} to be NaN`],
    toBeGreaterThan: (a, e) => [a > e, `expected ${show(a)} > ${show(e)}`],
    toBeGreaterThanOrEqual: (a, e) => [a >= e, `expected ${show(a)} >= ${show(e)}`],
    toBeLessThan: (a, e) => [a < e, `expected ${show(a)} < ${show(e)}`],
    toBeLessThanOrEqual: (a, e) => [a <= e, `expected ${show(a)} <= ${show(e)}`],
    toBeInstanceOf: (a, e) => [a instanceof e, `expected ${show(a)} to be an instance of ${e && e.name}`],
    toContain: (a, e) => [a != null && typeof a.includes === "function" ? a.includes(e) : [...a].includes(e),
      `expected ${show(a)} to contain ${show(e)}`],
    toContainEqual: (a, e) => [[...a].some((v) => equals(v, e, false)), `expected ${show(a)} to contain ${show(e)}`],
    toHaveLength: (a, e) => [a != null && a.length === e, `expected ${show(a)} to have length ${e}`],
    toHaveProperty: (a, path, ...value) => {
      const found = property(a, path);
      const pass = found.found && (value.length === 0 || equals(found.value, value[0], false));
      return [pass, `expected ${show(a)} to have property ${show(path)}${value.length ? " = " + show(value[0]) : ""}`];
    },
    toMatch: (a, e) => [typeof a === "string" && (e instanceof RegExp ? e.test(a) : a.includes(e)),
      `expected ${show(a)} to match ${show(e)}`],
    toMatchObject: (a, e) => [subset(a, e), `expected ${show(a)} to match ${show(e)}`],
    toThrow: (fn, e) => {
      const outcome = thrown(fn);
      const wanted = e === undefined ? "" : " " + show(e);
      return [outcome !== null && throwMatches(outcome.error, e), `expected the function to throw${wanted}`];
    },
    toHaveBeenCalled: (m) => [m.mock.calls.length > 0, "expected the mock to have been called"],
    toHaveBeenCalledTimes: (m, n) => [m.mock.calls.length === n, `expected ${n} calls, got ${m.mock.calls.length}`],
    toHaveBeenCalledWith: (m, ...args) => [m.mock.calls.some((call) => equals(call, args, false)),
      `expected a call with ${show(args)}, got ${show(m.mock.calls)}`],
  };
  checks.toThrowError = checks.toThrow;
  checks.toBeCalled = checks.toHaveBeenCalled;
  checks.toBeCalledTimes = checks.toHaveBeenCalledTimes;
  checks.toBeCalledWith = checks.toHaveBeenCalledWith;
  const matchers = (actual, negate, settle) => {
    const object = {};
    for (const [name, check] of Object.entries(checks)) {
      object[name] = (...expected) => {
        const verdict = (value) => {
          const [pass, message] = check(value, ...expected);
          if (pass === negate) throw fail((negate ? "not: " : "") + message);
        };
        if (!settle) return verdict(actual);
        return settle(actual).then((value) => verdict(name.startsWith("toThrow") ? () => { throw value; } : value));
      };
    }
    return object;
  };
  const resolves = (p) => Promise.resolve(p);
  const rejects = (p) => Promise.resolve(p).then(
    (value) => { throw fail(`expected a rejection, the promise resolved to ${show(value)}`); },
    (error) => error,
  );
  const expect = (actual) => {
    const object = matchers(actual, false, null);
    object.not = matchers(actual, true, null);
    object.resolves = matchers(actual, false, resolves);
    object.resolves.not = matchers(actual, true, resolves);
    object.rejects = matchers(actual, false, rejects);
    object.rejects.not = matchers(actual, true, rejects);
    return object;
  };
  const describe = (name, body) => {
    frames.push({ name, beforeEach: [], afterEach: [], beforeAll: [], afterAll: [] });
    try { body(); } finally { frames.pop(); }
  };
  const test = (name, body) => {
    tests.push({ name: [...frames.slice(1).map((f) => f.name), name].join(" > "), body, frames: [...frames] });
  };
  const each = (register) => (table) => (name, body) => {
    table.forEach((row, index) => {
      const args = Array.isArray(row) ? row : [row];
      const label = name.includes("%") ? util.format(name, ...args) : `${name} [${index}]`;
      register(label, () => body(...args));
    });
  };
  const skip = () => {};
  test.each = each(test);
  test.skip = skip;
  test.todo = skip;
  test.only = test;
  test.skip.each = () => skip;
  describe.each = each(describe);
  describe.skip = skip;
  describe.only = describe;
  const hook = (kind) => (body) => { frames[frames.length - 1][kind].push(body); };
  const call = (body) => body.length > 0
    ? new Promise((resolve, reject) => body((error) => (error ? reject(error) : resolve())))
    : body();
  const fn = (implementation = () => undefined) => {
    const mock = function (...args) {
      mock.mock.calls.push(args);
      const result = implementation.apply(this, args);
      mock.mock.results.push({ type: "return", value: result });
      return result;
    };
    mock.mock = { calls: [], results: [] };
    mock.mockImplementation = (next) => { implementation = next; return mock; };
    mock.mockReturnValue = (value) => { implementation = () => value; return mock; };
    return mock;
  };
  let registered = false;
  const run = async () => {
    const failures = [];
    for (const entry of tests) {
      try {
        for (const frame of entry.frames) {
          if (!started.has(frame)) {
            started.add(frame);
            for (const body of frame.beforeAll) await call(body);
          }
        }
        for (const frame of entry.frames) for (const body of frame.beforeEach) await call(body);
        try {
          await call(entry.body);
        } finally {
          for (const frame of [...entry.frames].reverse()) for (const body of frame.afterEach) await call(body);
        }
      } catch (error) {
        failures.push({ name: entry.name, error });
      }
    }
    for (const frame of [...started].reverse()) for (const body of frame.afterAll) await call(body);
    if (failures.length) {
      // A crash (TypeError, ...) keeps its name and stack; a failed expectation shows its message.
      const crash = failures.find(({ error }) => !(error instanceof Error && error.name === "AssertionError"));
      const lines = failures.map(({ name, error }) => `${name}: ${
        error instanceof Error ? (error.name === "AssertionError" ? error.message : error.stack) : show(error)}`);
      const summary = new Error(`${failures.length} of ${tests.length} tests failed\\n${lines.join("\\n")}`);
      summary.name = crash ? (crash.error instanceof Error ? crash.error.name : "Error") : "AssertionError";
      summary.stack = `${summary.name}: ${summary.message}`;
      throw summary;
    }
    if (registered && tests.length === 0) throw fail("no tests were registered");
  };
  return {
    describe, it: test, test, expect,
    beforeEach: hook("beforeEach"), afterEach: hook("afterEach"),
    beforeAll: hook("beforeAll"), afterAll: hook("afterAll"),
    jest: { fn },
    run,
    expectTests() { registered = true; },
  };
})();
"""
