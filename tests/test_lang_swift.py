"""Swift entries: how they are assembled, and the verdict where swiftc is not installed.

Debian 12 has no Swift toolchain, so these tests check the assembled program itself (the
secret read before any reference code, imports first, the rewrites) and that a missing
swiftc gives "toolchain missing" with an install hint, never a pass.
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.languages.base import COMPLETION_FD, NotRunnable
from pytest_synthetic.runner import Verdict, execute

SWIFT = by_name("Swift")
REFERENCE = textwrap.dedent(
    """
    import Foundation

    let table = [1, 1, 2, 3, 5]

    func fibonacci(_ n: Int) -> Int {
        if n <= 1 { return n }
        return fibonacci(n - 1) + fibonacci(n - 2)
    }

    @main
    struct Demo {
        static func main() { print(fibonacci(10)) }
    }
    """
)
ASSERTIONS = textwrap.dedent(
    """
    import Dispatch
    precondition(fibonacci(10) == 55, "fibonacci(10)")
    assert(fibonacci(1) == table[0])
    print("All tests passed")
    exit(0)
    """
)


def assembled() -> tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]]:
    assert SWIFT.assemble is not None
    program = SWIFT.assemble(REFERENCE, ASSERTIONS, "fibonacci")
    return program.files[program.main_file], program.rewrites, tuple(step.argv for step in program.steps)


def test_the_secret_is_read_by_the_first_statement_and_printed_last() -> None:
    source, _, _ = assembled()
    lines = [line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("//")]
    imports = [line for line in lines if line.startswith("import ")]
    assert imports == ["import Foundation", "import Dispatch"]
    first_statement = lines[len(imports)]
    assert f"FileHandle(fileDescriptor: {COMPLETION_FD}).readDataToEndOfFile()" in first_statement
    assert source.index(first_statement) < source.index("let table")  # before the reference's globals
    assert lines[-1] == "syntheticFinish()"
    assert source.index('precondition(fibonacci(10) == 55, "fibonacci(10)")') < source.rindex("syntheticFinish()")


def test_rewrites_drop_main_and_count_the_assertions_exit_zero() -> None:
    source, rewrites, _ = assembled()
    assert "@main" not in source
    assert "syntheticExit(0)" in source
    assert "\nexit(0)" not in source
    assert any("@main" in rewrite for rewrite in rewrites)
    assert any("exit" in rewrite for rewrite in rewrites)


def test_it_builds_unoptimised_so_assert_is_checked() -> None:
    _, _, steps = assembled()
    assert steps[0][0] == "swiftc"
    assert "-Onone" in steps[0]
    assert "-O" not in steps[0]
    assert steps[1] == ("env", "./main")


def test_xctest_cases_and_comment_only_assertions_are_not_runnable() -> None:
    assert SWIFT.assemble is not None
    with pytest.raises(NotRunnable):
        SWIFT.assemble(REFERENCE, "class T: XCTestCase { func testA() { XCTAssertEqual(1, 1) } }", "f")
    with pytest.raises(NotRunnable):
        SWIFT.assemble(REFERENCE, "// precondition(fibonacci(1) == 1)\n", "f")


@pytest.mark.skipif(toolchains.which("swiftc") is not None, reason="swiftc is installed here")
def test_without_swiftc_the_verdict_is_toolchain_missing_with_a_hint() -> None:
    done = execute(SWIFT, REFERENCE, ASSERTIONS, "fibonacci")
    assert done.verdict is Verdict.TOOLCHAIN_MISSING
    assert "swiftc" in done.message
    assert "swift.org" in done.message
