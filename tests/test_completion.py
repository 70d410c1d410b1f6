"""The completion rule in every language with a toolchain here, through real builds and runs.

An exit with a success status counts as the assertions' verdict only when it is the last thing
their top level does; anywhere else (the reference, midway, a loop body) the run is incomplete.
A failing status fails the run. Each case is written the way LLMs write that language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.languages.completion import FINISHING_REWRITE
from pytest_synthetic.runner import Verdict, execute


@dataclass(frozen=True)
class Shapes:
    """One language's pieces: `{body}` in `wrap` is where the assertion statements go."""

    reference: str  # `f` adds one
    exiting_reference: str  # `f` exits with status 0 when called
    check: str  # passes: f(1) is 2
    wrong: str  # fails on the reference: only an early exit can hide it
    success: str  # an exit with status 0
    failure: str  # an exit with status 1
    loop: str  # checks f(1) then f(2) against 2, exiting with 0 at the end of the loop body
    wrap: str = "{body}"
    separator: str = "\n"

    def assertions(self, *statements: str) -> str:
        return self.wrap.replace("{body}", self.separator.join(statements))


SHAPES: dict[str, Shapes] = {
    "Python": Shapes(
        "def f(x):\n    return x + 1\n",
        "import sys\n\ndef f(x):\n    sys.exit(0)\n",
        "assert f(1) == 2",
        "assert f(2) == 99, 'wrong'",
        "sys.exit(0)",
        "sys.exit(1)",
        "for c in [1, 2]:\n    assert f(c) == 2, c\n    sys.exit(0)",
        wrap="import sys\n{body}\n",
    ),
    "JavaScript": Shapes(
        "function f(x) { return x + 1; }\n",
        "function f(x) { process.exit(0); }\n",
        "if (f(1) !== 2) throw new Error('f(1)');",
        "if (f(2) !== 99) throw new Error('wrong');",
        "process.exit(0);",
        "process.exit(1);",
        "for (const c of [1, 2]) {\n  if (f(c) !== 2) throw new Error('c=' + c);\n  process.exit(0);\n}",
    ),
    "TypeScript": Shapes(
        "function f(x: number): number { return x + 1; }\n",
        "function f(x: number): number { process.exit(0); }\n",
        "if (f(1) !== 2) throw new Error('f(1)');",
        "if (f(2) !== 99) throw new Error('wrong');",
        "process.exit(0);",
        "process.exit(1);",
        "[1, 2].forEach((c) => {\n  if (f(c) !== 2) throw new Error('c=' + c);\n  process.exit(0);\n});",
    ),
    "Ruby": Shapes(
        "def f(x)\n  x + 1\nend\n",
        "def f(x)\n  exit(0)\nend\n",
        "raise 'f(1)' unless f(1) == 2",
        "raise 'wrong' unless f(2) == 99",
        "exit(0)",
        "exit(1)",
        '[1, 2].each do |c|\n  raise "c=#{c}" unless f(c) == 2\n  exit(0)\nend',
    ),
    "PHP": Shapes(
        "<?php\nfunction f($x) { return $x + 1; }\n",
        "<?php\nfunction f($x) { exit(0); }\n",
        "if (f(1) !== 2) { throw new Exception('f(1)'); }",
        "if (f(2) !== 99) { throw new Exception('wrong'); }",
        "exit(0);",
        "exit(1);",
        'foreach ([1, 2] as $c) {\n  if (f($c) !== 2) { throw new Exception("c=$c"); }\n  exit(0);\n}',
        wrap="<?php\n{body}\n",
    ),
    "Java": Shapes(
        "public class Solution {\n  public static int f(int x) { return x + 1; }\n}\n",
        "public class Solution {\n  public static int f(int x) { System.exit(0); return 0; }\n}\n",
        'if (Solution.f(1) != 2) throw new AssertionError("f(1)");',
        'if (Solution.f(2) != 99) throw new AssertionError("wrong");',
        "System.exit(0);",
        "System.exit(1);",
        'for (int c : new int[] {1, 2}) {\n  if (Solution.f(c) != 2) throw new AssertionError("c=" + c);\n'
        "  System.exit(0);\n}",
    ),
    "Kotlin": Shapes(
        "fun f(x: Int): Int = x + 1\n",
        "import kotlin.system.exitProcess\n\nfun f(x: Int): Int { exitProcess(0) }\n",
        'check(f(1) == 2) { "f(1)" }',
        'check(f(2) == 99) { "wrong" }',
        "exitProcess(0)",
        "exitProcess(1)",
        'for (c in listOf(1, 2)) {\n    check(f(c) == 2) { "c=$c" }\n    exitProcess(0)\n}',
        wrap="import kotlin.system.exitProcess\n\nfun main() {\n{body}\n}\n",
    ),
    "Scala": Shapes(
        "object Solution {\n  def f(x: Int): Int = x + 1\n}\n",
        "object Solution {\n  def f(x: Int): Int = sys.exit(0)\n}\n",
        'assert(Solution.f(1) == 2, "f(1)")',
        'assert(Solution.f(2) == 99, "wrong")',
        "sys.exit(0)",
        "sys.exit(1)",
        'for (c <- List(1, 2)) {\n  assert(Solution.f(c) == 2, s"c=$c")\n  sys.exit(0)\n}',
        wrap="object Main extends App {\n{body}\n}\n",
    ),
    "C++": Shapes(
        "int f(int x) { return x + 1; }\n",
        "#include <cstdlib>\nint f(int x) { std::exit(0); }\n",
        "assert(f(1) == 2);",
        "assert(f(2) == 99);",
        "exit(0);",
        "exit(1);",
        "int cases[] = {1, 2};\nfor (int c : cases) {\n    assert(f(c) == 2);\n    exit(0);\n}",
        wrap="#include <cassert>\n#include <cstdlib>\n\nint main() {\n{body}\n}\n",
    ),
    "Rust": Shapes(
        "fn f(x: i32) -> i32 {\n    x + 1\n}\n",
        "fn f(_x: i32) -> i32 {\n    std::process::exit(0)\n}\n",
        "assert_eq!(f(1), 2);",
        'assert_eq!(f(2), 99, "wrong");',
        "std::process::exit(0);",
        "std::process::exit(1);",
        "for c in [1, 2] {\n    assert_eq!(f(c), 2);\n    std::process::exit(0);\n}",
        wrap="fn main() {\n{body}\n}\n",
    ),
    "Go": Shapes(
        "package main\n\nfunc f(x int) int { return x + 1 }\n",
        'package main\n\nimport "os"\n\nfunc f(x int) int { os.Exit(0); return 0 }\n',
        'if f(1) != 2 {\n\t\tpanic("f(1)")\n\t}',
        'if f(2) != 99 {\n\t\tpanic("wrong")\n\t}',
        "os.Exit(0)",
        "os.Exit(1)",
        'for _, c := range []int{1, 2} {\n\t\tif f(c) != 2 {\n\t\t\tpanic("c")\n\t\t}\n\t\tos.Exit(0)\n\t}',
        wrap='package main\n\nimport "os"\n\nfunc main() {\n\t{body}\n}\n',
        separator="\n\t",
    ),
    "C#": Shapes(
        "public static class Solution\n{\n    public static int F(int x) => x + 1;\n}\n",
        "public static class Solution\n{\n"
        "    public static int F(int x) { System.Environment.Exit(0); return 0; }\n}\n",
        'if (Solution.F(1) != 2) throw new Exception("F(1)");',
        'if (Solution.F(2) != 99) throw new Exception("wrong");',
        "Environment.Exit(0);",
        "Environment.Exit(1);",
        'foreach (var c in new[] { 1, 2 })\n{\n    if (Solution.F(c) != 2) throw new Exception($"c={c}");\n'
        "    Environment.Exit(0);\n}",
        wrap="using System;\n\n{body}\n",
    ),
    "Haskell": Shapes(
        "f :: Int -> Int\nf x = x + 1\n",
        "import System.Exit\nimport System.IO.Unsafe (unsafePerformIO)\n\n"
        "f :: Int -> Int\nf _ = unsafePerformIO exitSuccess\n",
        'when (f 1 /= 2) $ error "f 1"',
        'when (f 2 /= 99) $ error "wrong"',
        "exitSuccess",
        "exitFailure",
        'forM_ [1, 2] $ \\c -> do\n    when (f c /= 2) $ error ("c=" ++ show c)\n    exitSuccess',
        wrap="import Control.Monad\nimport System.Exit\n\nmain :: IO ()\nmain = do\n    {body}\n",
        separator="\n    ",
    ),
    "Bash": Shapes(
        # the function sets a global: a call in `$( ... )` would run it in a subshell, whose
        # exit ends only that subshell
        "f() {\n  result=$(( $1 + 1 ))\n}\n",
        "f() {\n  exit 0\n}\n",
        'f 1\n[[ "$result" == "2" ]] || { echo "FAIL: f 1"; exit 1; }',
        'f 2\nif [ "$result" != "99" ]; then\n  echo "FAIL: wrong"\n  exit 1\nfi',
        "exit 0",
        "exit 1",
        'for c in 1 2; do\n  f "$c"\n  [[ "$result" == "2" ]] || { echo "FAIL: c=$c"; exit 1; }\n  exit 0\ndone',
        wrap="#!/bin/bash\nset -e\n{body}\n",
    ),
    "Lua": Shapes(
        "local function f(x)\n  return x + 1\nend\n",
        "local function f(x)\n  os.exit(0)\nend\n",
        'assert(f(1) == 2, "f(1)")',
        'assert(f(2) == 99, "wrong")',
        "os.exit(0)",
        "os.exit(1)",
        'for _, c in ipairs({1, 2}) do\n  assert(f(c) == 2, "c=" .. c)\n  os.exit(0)\nend',
    ),
    "Perl": Shapes(
        "use strict;\nuse warnings;\n\nsub f {\n    my ($x) = @_;\n    return $x + 1;\n}\n",
        "use strict;\nuse warnings;\n\nsub f {\n    my ($x) = @_;\n    exit 0;\n}\n",
        'die "f(1)" unless f(1) == 2;',
        'die "wrong" unless f(2) == 99;',
        "exit 0;",
        "exit 1;",
        'for my $c (1, 2) {\n    die "c=$c" unless f($c) == 2;\n    exit 0;\n}',
        wrap="use strict;\nuse warnings;\n\n{body}\n",
    ),
}


def _needs(language: str) -> pytest.MarkDecorator:
    missing = [t.command for t in by_name(language).toolchains if toolchains.which(t.command) is None]
    return pytest.mark.skipif(bool(missing), reason=f"{language} toolchain missing: {', '.join(missing)}")


CASES = {
    "exit in the reference's function": (lambda s: (s.exiting_reference, s.assertions(s.check)), Verdict.INCOMPLETE),
    "exit midway": (lambda s: (s.reference, s.assertions(s.check, s.success, s.wrong)), Verdict.INCOMPLETE),
    "last exit with success": (lambda s: (s.reference, s.assertions(s.check, s.success)), Verdict.PASSED),
    "last exit with failure": (lambda s: (s.reference, s.assertions(s.check, s.failure)), Verdict.ASSERTION_FAILED),
    "exit in a loop body": (lambda s: (s.reference, s.assertions(s.loop)), Verdict.INCOMPLETE),
}


@pytest.mark.parametrize(
    ("language", "case"),
    [pytest.param(lang, case, marks=_needs(lang), id=f"{lang}-{case}") for lang in SHAPES for case in CASES],
)
def test_the_completion_rule(language: str, case: str) -> None:
    make, expected = CASES[case]
    reference, assertions = make(SHAPES[language])
    done = execute(by_name(language), reference, assertions, "f")
    shown = done.program.files[done.program.main_file] if done.program else ""
    assert done.verdict is expected, (done.message, done.stderr, shown)
    if expected is Verdict.INCOMPLETE:  # the message tells the author where an exit may stand
        assert "last statement" in done.message


# Final exits as LLMs write them in the scripting languages: each passes on the reference and
# fails, with the exit's own status, on a wrong one.
PERL_HEADER = "use strict;\nuse warnings;\n\n"
WRONG_REFERENCES = {
    "Bash": "f() {\n  result=$(( $1 + 2 ))\n}\n",
    "Lua": "local function f(x)\n  return x + 2\nend\n",
    "Perl": PERL_HEADER + "sub f {\n    my ($x) = @_;\n    return $x + 2;\n}\n",
}
FINAL_EXITS: dict[str, dict[str, str]] = {
    "Bash": {
        "exit with a counter": 'failures=0\nf 1\n[[ "$result" == "2" ]] || failures=$((failures + 1))\n'
        "exit $failures\n",
        "last branch": 'f 2\nif [[ "$result" == "3" ]]; then\n  echo "All tests passed"\n  exit 0\n'
        "else\n  exit 1\nfi\n",
        "status of the last check": 'f 1\n[[ "$result" == "2" ]]\nexit\n',
        "main called last": 'main() {\n  f 1\n  [[ "$result" == "2" ]] || exit 1\n  exit 0\n}\n\nmain "$@"\n',
    },
    "Lua": {
        "computed status": "local failures = 0\nif f(1) ~= 2 then failures = failures + 1 end\n"
        "os.exit(failures == 0 and 0 or 1)\n",
        "last branch": 'if f(2) == 3 then\n  print("ok")\n  os.exit(true)\nelse\n  os.exit(false)\nend\n',
        "pcall runner": 'local ok, err = pcall(function()\n  assert(f(1) == 2, "f(1)")\nend)\n'
        'if not ok then\n  print("FAIL: " .. err)\n  os.exit(1)\nend\nos.exit(0)\n',
    },
    "Perl": {
        "exit with main's status": PERL_HEADER + "sub main {\n    return f(1) == 2 ? 0 : 1;\n}\n\nexit(main());\n",
        "exit unless failures": PERL_HEADER + "my $failures = 0;\n$failures++ unless f(2) == 3;\n"
        'exit 0 unless $failures;\nprint "$failures failed\\n";\nexit 1;\n',
        "bare exit": PERL_HEADER + 'die "f(1)" unless f(1) == 2;\nexit;\n',
    },
}


@pytest.mark.parametrize(
    ("language", "assertions"),
    [
        pytest.param(language, assertions, marks=_needs(language), id=f"{language}-{name}")
        for language, cases in FINAL_EXITS.items()
        for name, assertions in cases.items()
    ],
)
def test_an_exit_that_ends_the_assertions_finishes_them(language: str, assertions: str) -> None:
    done = execute(by_name(language), SHAPES[language].reference, assertions, "f")
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert FINISHING_REWRITE in done.program.rewrites
    wrong = execute(by_name(language), WRONG_REFERENCES[language], assertions, "f")
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)
