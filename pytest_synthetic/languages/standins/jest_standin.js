const __synthetic_jest = (() => {
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
  // An asymmetric matcher (expect.any(Number), ...) stands for any value it accepts.
  const ASYMMETRIC = Symbol("asymmetric matcher");
  const asymmetric = (label, accepts) => ({ [ASYMMETRIC]: accepts, [util.inspect.custom]: () => label });
  const isAsymmetric = (value) => value !== null && typeof value === "object" && ASYMMETRIC in value;
  const equals = (a, b, strict) => {
    if (isAsymmetric(b)) return b[ASYMMETRIC](a);
    if (isAsymmetric(a)) return a[ASYMMETRIC](b);
    if (Object.is(a, b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    // toStrictEqual: same types, and an undefined property is not a missing one.
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && +a === +b;
    if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
    if (a instanceof Error && b instanceof Error && a.message !== b.message) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a) && a.length !== b.length) return false;
    if (a instanceof Map || b instanceof Map) {
      return a instanceof Map && b instanceof Map && a.size === b.size
        && [...a].every(([k, v]) => b.has(k) && equals(v, b.get(k), strict));
    }
    if (a instanceof Set || b instanceof Set) {
      return a instanceof Set && b instanceof Set && a.size === b.size
        && [...a].every((v) => b.has(v) || [...b].some((w) => equals(v, w, strict)));
    }
    const keys = (o) => Object.keys(o).filter((k) => strict || o[k] !== undefined);
    const ka = keys(a);
    const kb = keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k)
      && equals(a[k], b[k], strict));
  };
  const subset = (actual, pattern) => {
    if (isAsymmetric(pattern)) return pattern[ASYMMETRIC](actual);
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
  const returned = (m) => m.mock.results.filter((r) => r.type === "return").map((r) => r.value);
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
    toHaveBeenLastCalledWith: (m, ...args) => [m.mock.calls.length > 0 && equals(m.mock.calls.at(-1), args, false),
      `expected the last call with ${show(args)}, got ${show(m.mock.calls)}`],
    toHaveBeenNthCalledWith: (m, n, ...args) => [n - 1 in m.mock.calls && equals(m.mock.calls[n - 1], args, false),
      `expected call ${n} with ${show(args)}, got ${show(m.mock.calls)}`],
    toHaveReturned: (m) => [returned(m).length > 0, "expected the mock to have returned"],
    toHaveReturnedTimes: (m, n) => [returned(m).length === n, `expected ${n} returns, got ${returned(m).length}`],
    toHaveReturnedWith: (m, e) => [returned(m).some((v) => equals(v, e, false)),
      `expected a return of ${show(e)}, got ${show(returned(m))}`],
  };
  checks.toThrowError = checks.toThrow;
  checks.toBeCalled = checks.toHaveBeenCalled;
  checks.toBeCalledTimes = checks.toHaveBeenCalledTimes;
  checks.toBeCalledWith = checks.toHaveBeenCalledWith;
  checks.lastCalledWith = checks.toHaveBeenLastCalledWith;
  checks.nthCalledWith = checks.toHaveBeenNthCalledWith;
  checks.toReturn = checks.toHaveReturned;
  checks.toReturnWith = checks.toHaveReturnedWith;
  // expect.assertions(n) / expect.hasAssertions(): counted per test, like Jest.
  const count = { calls: 0, planned: null, needed: false };
  const matchers = (actual, negate, settle) => {
    const object = {};
    for (const [name, check] of Object.entries(checks)) {
      object[name] = (...expected) => {
        count.calls += 1;
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
  const primitives = new Map([[String, "string"], [Number, "number"], [Boolean, "boolean"], [BigInt, "bigint"],
    [Symbol, "symbol"], [Function, "function"], [Object, "object"]]);
  expect.any = (type) => asymmetric(`Any<${type && type.name}>`,
    (v) => (primitives.has(type) && typeof v === primitives.get(type) && v !== null) || v instanceof type);
  expect.anything = () => asymmetric("Anything", (v) => v !== null && v !== undefined);
  const containing = {
    objectContaining: (o) => asymmetric(`ObjectContaining ${show(o)}`, (v) => v !== null && v !== undefined
      && Object.keys(o).every((k) => k in Object(v) && equals(v[k], o[k], false))),
    arrayContaining: (items) => asymmetric(`ArrayContaining ${show(items)}`,
      (v) => Array.isArray(v) && items.every((item) => v.some((w) => equals(w, item, false)))),
    stringContaining: (s) => asymmetric(`StringContaining ${show(s)}`, (v) => typeof v === "string" && v.includes(s)),
    stringMatching: (p) => asymmetric(`StringMatching ${show(p)}`,
      (v) => typeof v === "string" && new RegExp(p).test(v)),
  };
  Object.assign(expect, containing);
  expect.not = Object.fromEntries(Object.entries(containing).map(([name, make]) => [name, (x) => {
    const inner = make(x);
    return asymmetric(`not.${show(inner)}`, (v) => !inner[ASYMMETRIC](v));
  }]));
  expect.closeTo = (n, digits = 2) => asymmetric(`CloseTo ${n}`,
    (v) => typeof v === "number" && Math.abs(v - n) < Math.pow(10, -digits) / 2);
  expect.assertions = (n) => { count.planned = n; };
  expect.hasAssertions = () => { count.needed = true; };
  const checkCount = () => {
    if (count.planned !== null && count.calls !== count.planned) {
      throw fail(`expect.assertions(${count.planned}): ${count.calls} assertions were called`);
    }
    if (count.needed && count.calls === 0) throw fail("expect.hasAssertions(): no assertion was called");
  };
  const describe = (name, body) => {
    frames.push({ name, beforeEach: [], afterEach: [], beforeAll: [], afterAll: [] });
    try { body(); } finally { frames.pop(); }
  };
  const test = (name, body) => {
    tests.push({ name: [...frames.slice(1).map((f) => f.name), name].join(" > "), body, frames: [...frames] });
  };
  // test.each(table) or test.each`a | b ${1} | ${2}` (a header row of names, then values): one
  // registration per row, its title filled in from the row (printf-style, or $name for objects).
  const each = (register) => (table, ...values) => (name, body) => {
    let rows = table.map((row) => (Array.isArray(row) ? row : [row]));
    if (Array.isArray(table.raw)) {
      const keys = table[0].replace(/\s/g, "").split("|");
      if (values.length % keys.length) throw new Error(`each: ${values.length} values for ${keys.length} columns`);
      rows = [];
      for (let i = 0; i < values.length; i += keys.length) {
        rows.push([Object.fromEntries(keys.map((key, k) => [key, values[i + k]]))]);
      }
    }
    rows.forEach((args, index) => {
      let label = name.replace(/%#/g, String(index));
      if (args.length === 1 && args[0] !== null && typeof args[0] === "object" && label.includes("$")) {
        label = label.replace(/\$([\w.]+)/g, (_, path) => show(property(args[0], path).value));
      } else if (label.includes("%")) {
        label = util.format(label, ...args);
      } else {
        label = `${label} [${index}]`;
      }
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
  const mocks = [];
  const spies = [];
  // fallback: what the mock does when nothing was set (or after mockReset): a spy calls through.
  const mockFunction = (implementation, fallback, restore) => {
    let current = implementation;
    let once = [];
    const mock = function (...args) {
      state.calls.push(args);
      state.instances.push(this);
      const next = once.length ? once.shift() : current;
      try {
        const value = next === undefined ? undefined : next.apply(this, args);
        state.results.push({ type: "return", value });
        return value;
      } catch (error) {
        state.results.push({ type: "throw", value: error });
        throw error;
      }
    };
    let state;
    const clear = () => {
      state = { calls: [], results: [], instances: [], get lastCall() { return this.calls.at(-1); } };
      mock.mock = state;
    };
    clear();
    const set = (next) => { current = next; return mock; };
    const setOnce = (next) => { once.push(next); return mock; };
    Object.assign(mock, {
      _isMockFunction: true,
      getMockImplementation: () => current,
      mockImplementation: set,
      mockImplementationOnce: setOnce,
      mockReturnValue: (value) => set(() => value),
      mockReturnValueOnce: (value) => setOnce(() => value),
      mockResolvedValue: (value) => set(() => Promise.resolve(value)),
      mockResolvedValueOnce: (value) => setOnce(() => Promise.resolve(value)),
      mockRejectedValue: (error) => set(() => Promise.reject(error)),
      mockRejectedValueOnce: (error) => setOnce(() => Promise.reject(error)),
      mockReturnThis: () => set(function () { return this; }),
      mockName: () => mock,
      mockClear: () => { clear(); return mock; },
      mockReset: () => { clear(); once = []; current = fallback; return mock; },
      mockRestore: () => { mock.mockReset(); if (restore) restore(); },
    });
    mocks.push(mock);
    return mock;
  };
  const fn = (implementation) => mockFunction(implementation, undefined, null);
  const spyOn = (object, method) => {
    const original = object[method];
    if (original && original._isMockFunction) return original;
    if (typeof original !== "function") throw new TypeError(`cannot spy on ${String(method)}: not a function`);
    const own = Object.prototype.hasOwnProperty.call(object, method);
    const through = function (...args) { return original.apply(this, args); };
    const spy = mockFunction(through, through, () => {
      if (own) object[method] = original; else delete object[method];
    });
    spies.push(spy);
    object[method] = spy;
    return spy;
  };
  // Fake timers: setTimeout & co. and Date run on a clock that moves only when the test moves it.
  const real = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, Date };
  const clock = { fake: false, now: 0, nextId: 1, timers: new Map() };
  const LOOP_LIMIT = 100000;
  class FakeTimer {
    constructor(id) { this.id = id; }
    ref() { return this; }
    unref() { return this; }
    hasRef() { return true; }
    refresh() { const t = clock.timers.get(this.id); if (t) t.at = clock.now + t.delay; return this; }
    [Symbol.toPrimitive]() { return this.id; }
  }
  const schedule = (repeat) => (callback, delay, ...args) => {
    const id = clock.nextId++;
    const ms = Math.max(repeat ? 1 : 0, Number(delay) || 0);
    clock.timers.set(id, { id, callback, args, delay: ms, repeat, at: clock.now + ms });
    return new FakeTimer(id);
  };
  const unschedule = (name) => (handle) => {
    const id = handle instanceof FakeTimer ? handle.id : handle;
    if (clock.timers.has(id)) clock.timers.delete(id);
    else real[name](handle);
  };
  const fakeDate = function Date(...args) {
    if (!new.target) return new real.Date(clock.now).toString();
    return args.length ? new real.Date(...args) : new real.Date(clock.now);
  };
  Object.assign(fakeDate, { now: () => clock.now, parse: real.Date.parse, UTC: real.Date.UTC });
  fakeDate.prototype = real.Date.prototype;
  const fakes = {
    setTimeout: schedule(false), setInterval: schedule(true),
    setImmediate: (callback, ...args) => schedule(false)(callback, 0, ...args),
    clearTimeout: unschedule("clearTimeout"), clearInterval: unschedule("clearInterval"),
    clearImmediate: unschedule("clearImmediate"), Date: fakeDate,
  };
  const useRealTimers = () => {
    if (clock.fake) Object.assign(globalThis, real);
    clock.fake = false;
    clock.timers.clear();
    return jest;
  };
  const useFakeTimers = (config) => {
    useRealTimers();
    clock.now = config && config.now !== undefined ? Number(config.now) : real.Date.now();
    clock.fake = true;
    Object.assign(globalThis, fakes);
    return jest;
  };
  const due = (limit) => {
    let first = null;
    for (const t of clock.timers.values()) if (t.at <= limit && (first === null || t.at < first.at)) first = t;
    return first;
  };
  const fire = (t) => {
    clock.now = Math.max(clock.now, t.at);
    if (t.repeat) t.at += t.delay; else clock.timers.delete(t.id);
    t.callback(...t.args);
  };
  const tooMany = () => new Error(`ran ${LOOP_LIMIT} timers and there are still more: an endless timer loop?`);
  const runUntil = (limit) => {
    for (let i = 0; i < LOOP_LIMIT; i++) {
      const t = due(limit);
      if (t === null) return;
      fire(t);
    }
    throw tooMany();
  };
  // The async forms let promise callbacks run between timers (a timer set after an await fires too).
  const settle = () => new Promise((resolve) => real.setImmediate(resolve));
  const runUntilAsync = async (limit) => {
    for (let i = 0; i < LOOP_LIMIT; i++) {
      await settle();
      const t = due(limit);
      if (t === null) return;
      fire(t);
    }
    throw tooMany();
  };
  const lastDue = () => Math.max(clock.now, ...[...clock.timers.values()].map((t) => t.at));
  const jest = {
    fn, spyOn,
    isMockFunction: (f) => typeof f === "function" && f._isMockFunction === true,
    mocked: (f) => f,
    clearAllMocks: () => { mocks.forEach((m) => m.mockClear()); return jest; },
    resetAllMocks: () => { mocks.forEach((m) => m.mockReset()); return jest; },
    // As Jest 30: puts back what spyOn replaced; a jest.fn keeps its implementation.
    restoreAllMocks: () => { spies.splice(0).reverse().forEach((m) => m.mockRestore()); return jest; },
    useFakeTimers, useRealTimers,
    advanceTimersByTime: (ms) => { const end = clock.now + (Number(ms) || 0); runUntil(end); clock.now = end; },
    advanceTimersByTimeAsync: async (ms) => {
      const end = clock.now + (Number(ms) || 0);
      await runUntilAsync(end);
      clock.now = end;
    },
    runAllTimers: () => runUntil(Infinity),
    runAllTimersAsync: () => runUntilAsync(Infinity),
    runOnlyPendingTimers: () => runUntil(lastDue()),
    runOnlyPendingTimersAsync: () => runUntilAsync(lastDue()),
    clearAllTimers: () => clock.timers.clear(),
    getTimerCount: () => clock.timers.size,
    setSystemTime: (now) => { clock.now = Number(now === undefined ? real.Date.now() : now); },
    now: () => (clock.fake ? clock.now : real.Date.now()),
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
        Object.assign(count, { calls: 0, planned: null, needed: false });
        for (const frame of entry.frames) for (const body of frame.beforeEach) await call(body);
        try {
          await call(entry.body);
          checkCount();
        } finally {
          for (const frame of [...entry.frames].reverse()) for (const body of frame.afterEach) await call(body);
        }
      } catch (error) {
        failures.push({ name: entry.name, error });
      }
    }
    for (const frame of [...started].reverse()) for (const body of frame.afterAll) await call(body);
    useRealTimers();
    if (failures.length) {
      // A crash (TypeError, ...) keeps its name and stack; a failed expectation shows its message.
      const crash = failures.find(({ error }) => !(error instanceof Error && error.name === "AssertionError"));
      const lines = failures.map(({ name, error }) => `${name}: ${
        error instanceof Error ? (error.name === "AssertionError" ? error.message : error.stack) : show(error)}`);
      const summary = new Error(`${failures.length} of ${tests.length} tests failed\n${lines.join("\n")}`);
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
    jest, vi: jest,
    run,
    expectTests() { registered = true; },
  };
})();
