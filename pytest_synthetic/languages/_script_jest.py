"""A small stand-in for Jest's globals, for JS/TS assertions written as a Jest test file.

The stand-in is standins/jest_standin.js, used only when the assertions call describe / it /
test / expect / jest / vi without declaring or importing them (or import them from
"@jest/globals" / "vitest"). Tests are registered while the assertions run and executed one
after another when they end (hooks, async tests and `done` callbacks included); the run fails
with every failing test's message, and fails when `describe` / `it` / `test` registered no test
at all. Also there: asymmetric matchers (`expect.any`, `expect.objectContaining`, ...),
`expect.assertions(n)`, mock functions and spies, and fake timers (a clock that moves only when
the test advances it, as Jest's modern timers; `vi` is the same object, as vitest's API has the
same names). An unsupported matcher is a TypeError naming it, which the run reports as it is.
"""

from __future__ import annotations

from pytest_synthetic.languages import templates

# Names the stand-in provides; the program binds only those the entry uses and lacks.
JEST_NAMES = ("describe", "it", "test", "expect", "beforeEach", "afterEach", "beforeAll", "afterAll", "jest", "vi")
JEST_MODULES = ("@jest/globals", "vitest", "jest")
JEST_API = "__synthetic_jest"

JEST_STANDIN = templates.source("jest_standin.js")
