"""What a Python program gets around an entry's code: each part is added when the entry needs it.

Every name starts with _synthetic_, clear of user code. Parts, in the order a program holds them:

- PROLOGUE: reads the per-run secret before any reference code runs.
- PYTEST: pytest-style tests that nothing calls are called as pytest would, one item per
  parameter set (@pytest.mark.parametrize expanded), each with its own fixture values
  (requested by parameter, autouse ones from the module and the class), generator fixtures
  finished after the test, and xunit-style setup/teardown (module, class, function, method)
  whose argument is optional.
- PYTEST_STANDIN: the folder of the pytest stand-in goes last on sys.path (a real pytest wins).
- UNITTEST: every TestResult is recorded so that failures count whoever ran the tests
  (unittest.main, a TextTestRunner, ...); unittest.main() no longer exits before the epilogue,
  however the assertions reach it (`unittest.main`, `ut.main`, `from unittest import main`).
- EXIT: the exit that ends the assertions (languages/completion.py decides which) completes
  the run when successful.
- DOCTEST: doctest.testmod() failures become an AssertionError.
- FINISH: buffered prints reach the pipe before the secret, which is the last line; STEPS are
  what the parts above need done once the assertions ran.
"""

# SYNTHETIC_PART_PROLOGUE
import os as _synthetic_os
import sys as _synthetic_sys
_synthetic_done = _synthetic_os.read(_synthetic_os.open('SYNTHETIC_FILL_COMPLETION_PATH', _synthetic_os.O_RDONLY), 256)
# SYNTHETIC_PART_PYTEST
def _synthetic_parameter_sets(function):
    import itertools
    axes = []
    for mark in getattr(function, "pytestmark", []):
        if getattr(mark, "name", "") != "parametrize":
            continue
        names = mark.args[0] if mark.args else mark.kwargs["argnames"]
        values = mark.args[1] if len(mark.args) > 1 else mark.kwargs["argvalues"]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        rows = []
        for value in values:
            if type(value).__name__ == "ParameterSet":  # pytest.param(...)
                value = value.values
            elif len(names) == 1:
                value = (value,)
            rows.append(dict(zip(names, value)))
        axes.append(rows)
    for combination in itertools.product(*axes):
        yield {name: value for row in combination for name, value in row.items()}
def _synthetic_skipped(function):
    for mark in getattr(function, "pytestmark", []):
        name = getattr(mark, "name", "")
        if name in ("skip", "xfail") or (name == "skipif" and mark.args and mark.args[0]):
            return True
    return False
def _synthetic_fixture_marker(value):
    # pytest >= 8.4 wraps a fixture in an object holding _fixture_function_marker (the stand-in sets it
    # on the function), older pytest in a function holding _pytestfixturefunction
    import inspect
    if not (inspect.isroutine(value) or type(value).__name__ == "FixtureFunctionDefinition"):
        return None
    return getattr(value, "_fixture_function_marker", None) or getattr(value, "_pytestfixturefunction", None)
def _synthetic_unwrap(fixture):
    # real pytest refuses direct calls of a fixture: call the function it wraps (bound for a method)
    inner = getattr(fixture, "_fixture_function", None)
    if inner is not None:
        return inner
    wrapped = getattr(getattr(fixture, "__pytest_wrapped__", None), "obj", None)
    if wrapped is None:
        return fixture
    owner = getattr(fixture, "__self__", None)
    return wrapped if owner is None else wrapped.__get__(owner)
def _synthetic_fixture_value(name, instance, values, finalizers):
    import inspect
    if name not in values:
        fixture = getattr(instance, name, None)  # a fixture method of the test's class
        if _synthetic_fixture_marker(fixture) is None:
            fixture = globals()[name]
        function = _synthetic_unwrap(fixture)
        value = function(**_synthetic_fixtures(function, {}, instance, values, finalizers))
        if inspect.isgenerator(value):
            finalizers.append(value)
            value = next(value)
        values[name] = value
    return values[name]
def _synthetic_fixtures(function, given, instance, values, finalizers):
    import inspect
    names = [
        p.name for p in inspect.signature(function).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in given
    ]
    return {**{name: _synthetic_fixture_value(name, instance, values, finalizers) for name in names}, **given}
def _synthetic_autouse(namespaces):
    found = []
    for namespace in namespaces:
        for name, value in namespace.items():
            if getattr(_synthetic_fixture_marker(value), "autouse", False) is True and name not in found:
                found.append(name)
    return found
def _synthetic_xunit(owner, name, argument):
    import inspect
    function = owner.get(name) if isinstance(owner, dict) else getattr(owner, name, None)
    if not callable(function) or _synthetic_fixture_marker(function) is not None:
        return
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters):
        function(argument)
    else:
        function()
def _synthetic_call(function, kwargs, instance, autouse):
    import asyncio
    import inspect
    values, finalizers = {}, []
    try:
        for name in autouse:
            _synthetic_fixture_value(name, instance, values, finalizers)
        result = function(**_synthetic_fixtures(function, kwargs, instance, values, finalizers))
        if inspect.iscoroutine(result):
            asyncio.run(result)
        for generator in reversed(finalizers):
            next(generator, None)
    except BaseException as error:
        if type(error).__name__ != "Skipped":  # pytest.skip() inside the test or a fixture
            raise
def _synthetic_run_tests(names):
    module = _synthetic_sys.modules[__name__]
    autouse = _synthetic_autouse([globals()])
    _synthetic_xunit(globals(), "setup_module", module)
    for name in names:
        target = globals()[name]
        if _synthetic_skipped(target):
            continue
        if not isinstance(target, type):
            for kwargs in _synthetic_parameter_sets(target):
                _synthetic_xunit(globals(), "setup_function", target)
                _synthetic_call(target, kwargs, None, autouse)
                _synthetic_xunit(globals(), "teardown_function", target)
            continue
        if issubclass(target, getattr(_synthetic_sys.modules.get("unittest"), "TestCase", ())):
            continue  # unittest runs these
        methods = [
            attribute for attribute in dir(target)  # inherited tests too
            if attribute.startswith("test") and callable(getattr(target, attribute))
            and not _synthetic_skipped(getattr(target, attribute))
        ]
        if not methods:
            continue
        class_autouse = _synthetic_autouse([globals(), *(vars(k) for k in reversed(target.__mro__))])
        _synthetic_xunit(target, "setup_class", target)
        for attribute in methods:
            for kwargs in _synthetic_parameter_sets(getattr(target, attribute)):
                instance = target()
                method = getattr(instance, attribute)
                _synthetic_xunit(instance, "setup_method", method)
                _synthetic_call(method, kwargs, instance, class_autouse)
                _synthetic_xunit(instance, "teardown_method", method)
        _synthetic_xunit(target, "teardown_class", target)
    _synthetic_xunit(globals(), "teardown_module", module)
# SYNTHETIC_PART_PYTEST_STANDIN
_synthetic_sys.path.append(
    _synthetic_os.path.join(_synthetic_os.path.dirname(_synthetic_os.path.abspath(__file__)), 'SYNTHETIC_FILL_STANDIN_FOLDER')
)
# SYNTHETIC_PART_UNITTEST
import unittest as _synthetic_unittest
_synthetic_results = []
_synthetic_result_init = _synthetic_unittest.TestResult.__init__
def _synthetic_track_result(self, *args, **kwargs):
    _synthetic_result_init(self, *args, **kwargs)
    _synthetic_results.append(self)
_synthetic_unittest.TestResult.__init__ = _synthetic_track_result
_synthetic_unittest_program = _synthetic_unittest.main
def _synthetic_unittest_main(*args, **kwargs):
    kwargs["exit"] = False
    kwargs.setdefault("argv", [_synthetic_sys.argv[0]])
    return _synthetic_unittest_program(*args, **kwargs)
_synthetic_unittest.main = _synthetic_unittest_main
def _synthetic_unittest_finish():
    if not _synthetic_results:  # TestCase classes that nothing ran
        _synthetic_unittest_main(module="__main__")
    if not all(result.wasSuccessful() for result in _synthetic_results):
        raise AssertionError("unittest reported failures or errors")
    if sum(result.testsRun for result in _synthetic_results) == 0:
        raise AssertionError("unittest ran no tests")
# SYNTHETIC_PART_EXIT
def _synthetic_exit(code=None):
    if code is None or code == 0:
        _synthetic_finish()
        _synthetic_os._exit(0)
    raise SystemExit(code)
# SYNTHETIC_PART_DOCTEST
def _synthetic_doctest(*args, **kwargs):
    import doctest
    failed, attempted = doctest.testmod(*args, **kwargs)
    if failed or not attempted:
        raise AssertionError(f"doctest: {failed} of {attempted} examples failed")
    return doctest.TestResults(failed, attempted)
# SYNTHETIC_PART_FINISH
def _synthetic_finish():
    # SYNTHETIC_FILL_STEPS
    _synthetic_sys.stdout.flush()
    _synthetic_sys.stderr.flush()
    _synthetic_os.write(1, b"\n" + _synthetic_done + b"\n")
