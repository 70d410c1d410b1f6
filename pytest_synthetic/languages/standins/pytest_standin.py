"""Stand-in for pytest (the real one is not installed here): the parts tests use at run time."""
import inspect
import math
import re


class Mark:
    def __init__(self, name, args, kwargs):
        self.name, self.args, self.kwargs = name, args, kwargs


class MarkDecorator:
    def __init__(self, name, args=(), kwargs=None):
        self.name, self.args, self.kwargs = name, args, kwargs or {}

    def __call__(self, *args, **kwargs):
        # as in pytest: a lone class or named function is decorated (with or without the mark's
        # arguments), anything else gives the mark arguments
        target = args[0] if len(args) == 1 and not kwargs else None
        if isinstance(target, type) or (inspect.isfunction(target) and target.__name__ != "<lambda>"):
            target.pytestmark = [*getattr(target, "pytestmark", []), Mark(self.name, self.args, self.kwargs)]
            return target
        return MarkDecorator(self.name, args, kwargs)


class MarkGenerator:
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return MarkDecorator(name)


mark = MarkGenerator()


class ParameterSet:
    def __init__(self, values, id=None, marks=()):
        self.values, self.id, self.marks = values, id, marks


def param(*values, id=None, marks=()):
    return ParameterSet(values, id, marks)


class FixtureFunctionMarker:
    def __init__(self, scope, params, autouse, ids, name):
        self.scope, self.params, self.autouse, self.ids, self.name = scope, params, autouse, ids, name


def fixture(fixture_function=None, *, scope="function", params=None, autouse=False, ids=None, name=None):
    # the function stays callable; the harness finds its arguments where pytest >= 8.4 keeps them
    marker = FixtureFunctionMarker(scope, params, autouse, ids, name)

    def mark(function):
        function._fixture_function_marker = marker
        return function

    return mark(fixture_function) if callable(fixture_function) else mark


class Skipped(BaseException):
    pass


class Failed(AssertionError):
    pass


def skip(reason="", **kwargs):
    raise Skipped(reason)


def fail(reason="", pytrace=True):
    raise Failed(reason)


class ExceptionInfo:
    def __init__(self):
        self.value = self.type = self.tb = None

    def match(self, pattern):
        assert re.search(pattern, str(self.value)), f"Regex pattern {pattern!r} does not match {str(self.value)!r}"
        return True


class RaisesContext:
    def __init__(self, expected, match):
        self.expected, self.pattern, self.info = expected, match, ExceptionInfo()

    def __enter__(self):
        return self.info

    def __exit__(self, kind, value, traceback):
        if kind is None:
            raise Failed(f"DID NOT RAISE {self.expected}")
        if not issubclass(kind, self.expected):
            return False
        self.info.value, self.info.type, self.info.tb = value, kind, traceback
        if self.pattern is not None:
            self.info.match(self.pattern)
        return True


def raises(expected, *args, match=None, **kwargs):
    context = RaisesContext(expected, match)
    if not args:
        return context
    with context:
        args[0](*args[1:], **kwargs)
    return context.info


class ApproxValue:
    def __init__(self, expected, rel=None, abs=None, nan_ok=False):
        self.expected, self.rel, self.abs, self.nan_ok = expected, rel, abs, nan_ok

    def _close(self, actual, expected):
        if isinstance(expected, dict):
            return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
                self._close(actual[k], expected[k]) for k in expected
            )
        if isinstance(expected, (list, tuple)):
            return (
                isinstance(actual, (list, tuple))
                and len(actual) == len(expected)
                and all(self._close(a, e) for a, e in zip(actual, expected))
            )
        if not isinstance(expected, (int, float, complex)) or isinstance(expected, bool):
            return actual == expected
        if isinstance(actual, bool) or not isinstance(actual, (int, float, complex)):
            return False
        if math.isnan(abs(expected)) or math.isnan(abs(actual)):
            return self.nan_ok and math.isnan(abs(expected)) and math.isnan(abs(actual))
        if actual == expected:
            return True
        absolute = 1e-12 if self.abs is None else self.abs
        relative = (1e-6 if self.abs is None else 0) if self.rel is None else self.rel
        return abs(actual - expected) <= max(relative * abs(expected), absolute)

    def __eq__(self, actual):
        return self._close(actual, self.expected)

    def __ne__(self, actual):
        return not self == actual

    __hash__ = None

    def __repr__(self):
        return f"approx({self.expected!r})"


def approx(expected, rel=None, abs=None, nan_ok=False):
    return ApproxValue(expected, rel, abs, nan_ok)


def main(*args, **kwargs):
    return 0
