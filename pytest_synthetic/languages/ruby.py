"""Ruby: names, grammar, and how an entry becomes a runnable program.

`main.rb` is prologue, reference, assertions, epilogue. The prologue reads the secret and
registers an `at_exit` hook before anything else: hooks run in reverse order, so it runs last,
after minitest / test-unit (which run their tests from their own `at_exit` hooks and then
exit with their result). It prints the secret only if the assertions reached their end and
the program is exiting normally or through a successful `exit`.
"""

from __future__ import annotations

import re

import tree_sitter_ruby

from pytest_synthetic.languages._script_common import Edit, apply_edits, parse_root, require_code, text
from pytest_synthetic.languages.base import COMPLETION_PATH, FailurePattern, Language, Program, Step, Toolchain
from pytest_synthetic.sandbox import Limits

# In a BEGIN block: it runs before any BEGIN block of the reference, and shares the top-level
# local variables with the epilogue.
PROLOGUE = f"""BEGIN {{
  __synthetic_secret = File.binread({COMPLETION_PATH!r}).strip
  __synthetic_finished = false
  at_exit do
    status = $!
    if __synthetic_finished && (status.nil? || (status.is_a?(SystemExit) && status.success?))
      $stdout.flush
      STDOUT.flush
      STDOUT.syswrite("\\n#{{__synthetic_secret}}\\n")
    end
  end
}}
"""
EPILOGUE = "\n__synthetic_finished = true\n"

_MAIN_GUARD = re.compile(r"^(__FILE__==\$0|\$0==__FILE__|__FILE__==\$PROGRAM_NAME|\$PROGRAM_NAME==__FILE__)$")
_END_MARKER = re.compile(r"^__END__\s*$", re.MULTILINE)
_RELATIVE_REQUIRE = re.compile(r"""^[ \t]*require(_relative)?[ \t(]+['"](\./)?[\w./-]*['"][ \t)]*$""")

# `ruby -c` only parses: a syntax error is a compile error, not a crash of the reference.
CHECK = Step("compile", ("ruby", "-c", "main.rb"), Limits(wall_seconds=20, cpu_seconds=20), after_failed_run=True)
RUN = Step("run", ("ruby", "main.rb"), Limits(wall_seconds=10, cpu_seconds=10))


def _strip_data_section(code: str, rewrites: list[str], part: str) -> str:
    """`__END__` ends a Ruby program; everything after it would silently never run."""
    match = _END_MARKER.search(code)
    if match is None:
        return code
    rewrites.append(f"removed the {part}'s `__END__` data section")
    return code[: match.start()]


def _disable_main_guard(reference: str, rewrites: list[str]) -> str:
    """`if __FILE__ == $0` demo code would not run when the tests load the reference."""
    edits = []
    for child in parse_root(LANGUAGE, reference).named_children:
        condition = child.child_by_field_name("condition") if child.type == "if" else None
        if condition is not None and _MAIN_GUARD.match(re.sub(r"\s+", "", text(condition))):
            edits.append(Edit(condition.start_byte, condition.end_byte, "false"))
    if edits:
        rewrites.append("skipped the reference's `if __FILE__ == $0` block")
    return apply_edits(reference, edits)


def _drop_reference_requires(assertions: str, rewrites: list[str]) -> str:
    """`require_relative 'solution'`: the reference is already in this file."""
    kept = []
    for line in assertions.splitlines():
        if _RELATIVE_REQUIRE.match(line) and ("require_relative" in line or "./" in line):
            rewrites.append(f"dropped `{line.strip()}` (the reference is in the same file)")
            kept.append("")
        else:
            kept.append(line)
    return "\n".join(kept)


def assemble(reference: str, assertions: str, function_name: str) -> Program:
    rewrites: list[str] = []
    reference = _strip_data_section(reference, rewrites, "reference")
    assertions = _strip_data_section(assertions, rewrites, "assertions")
    require_code(LANGUAGE, assertions)
    reference = _disable_main_guard(reference, rewrites)
    assertions = _drop_reference_requires(assertions, rewrites)
    source = "\n".join([PROLOGUE, reference, "", assertions, EPILOGUE])
    return Program({"main.rb": source}, "main.rb", (CHECK, RUN), tuple(rewrites))


LANGUAGE = Language(
    name="Ruby",
    key="ruby",
    aliases=("rb",),
    grammar=tree_sitter_ruby.language,
    line_comment="#",
    definitions_query="""
(method name: (identifier) @name)
(singleton_method name: (identifier) @name)
(class name: (constant) @name)
(module name: (constant) @name)
""",
    toolchains=(Toolchain("ruby", ("--version",), "apt-get install ruby"),),
    assemble=assemble,
    failure=FailurePattern(
        r":in [`'][^']*': (?P<message>.*) \((?P<name>[\w:]+)\)$",
        ("Assertion", "AssertionFailedError", "ExpectationNotMetError"),
    ),
)
