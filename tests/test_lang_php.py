"""PHP entries through php-cli: tags in either part, assert() switched on, namespaces, final
exits, the extensions LLM-written PHP calls, cheats."""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.languages.completion import FINISHING_REWRITE
from pytest_synthetic.runner import Execution, Verdict, execute
from pytest_synthetic.treesitter import defined_names

PHP = by_name("PHP")
pytestmark = pytest.mark.skipif(toolchains.which("php") is None, reason="php missing: apt-get install php-cli")

REFERENCE = """<?php
declare(strict_types=1);
function add(int $a, int $b): int {
    return $a + $b;
}
?>
"""


WRONG = "<?php\nfunction add(int $a, int $b): int { return $a - $b; }\n"
FINAL_EXIT = FINISHING_REWRITE
BRACED = "made every part a braced namespace block (a namespace declaration must come first)"
IMPORTED = "imported the reference's namespaced names into the assertions"


def run(reference: str, assertions: str) -> Execution:
    return execute(PHP, textwrap.dedent(reference), textwrap.dedent(assertions), "add")


def test_tags_in_both_parts_and_a_local_include_pass() -> None:
    assertions = "<?php\nrequire_once 'solution.php';\nassert(add(1, 2) === 3);\n"
    assertions += "if (add(2, 2) !== 4) { throw new Exception('Failed'); }\necho \"ok\\n\";\n?>\n"
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


@pytest.mark.parametrize(
    "assertions",
    ["assert(add(1, 2) === 4);\n", "if (add(1, 2) !== 4) { throw new Exception('Failed'); }\n"],
    ids=["assert() is not a no-op", "throw"],
)
def test_wrong_answers_fail(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)


def test_syntax_error_is_a_compile_error() -> None:
    done = run("<?php\nfunction add($a, $b) { return $a + ; }\n", "assert(add(1, 2) === 3);\n")
    assert done.verdict is Verdict.COMPILE_ERROR


def test_crash_in_the_reference_is_a_runtime_error() -> None:
    done = run("<?php\nfunction add($a, $b) { return intdiv($a + $b, 0); }\n", "$total = add(1, 2);\n")
    assert done.verdict is Verdict.RUNTIME_ERROR, (done.message, done.stderr)


@pytest.mark.parametrize(
    "reference",
    [REFERENCE + "<?php exit(0);", "<?php\nfunction add($a, $b) { die(); }\n"],
    ids=["exit while loading", "die in the call"],
)
def test_early_exit_is_incomplete(reference: str) -> None:
    done = run(reference, "assert(add(1, 2) === 3);\n")
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)


def test_fake_success_marker_does_not_pass() -> None:
    reference = REFERENCE + '<?php echo "All tests passed\\n", bin2hex(random_bytes(16)), "\\n"; exit(0);'
    done = run(reference, "assert(add(1, 2) === 3);\n")
    assert done.verdict is not Verdict.PASSED


def test_phpunit_case_is_not_executable() -> None:
    assertions = "use PHPUnit\\Framework\\TestCase;\nclass AddTest extends TestCase {}\n"
    assert run(REFERENCE, assertions).verdict is Verdict.NOT_EXECUTABLE


# --- namespaces ------------------------------------------------------------------------------

NAMESPACED = """<?php
declare(strict_types=1);
namespace App;

const LIMIT = 3;

interface Container { public function size(): int; }

enum Order { case Lifo; case Fifo; }

trait Counts { public function size(): int { return count($this->items); } }

class Stack implements Container {
    use Counts;
    private array $items = [];
    public function push(int $x): void {
        if (count($this->items) >= LIMIT) { throw new \\OverflowException("full"); }
        $this->items[] = $x;
    }
    public function pop(): int { return array_pop($this->items); }
    public function order(): Order { return Order::Lifo; }
}

function stack_of(int ...$xs): Stack {
    $stack = new Stack();
    foreach ($xs as $x) { $stack->push($x); }
    return $stack;
}
"""


def namespaced_assertions(top: int) -> str:
    return f"""<?php
        $s = stack_of(1, 2);
        assert($s instanceof Container && $s->size() === 2);
        assert($s->order() === Order::Lifo);
        assert($s->pop() === {top});
        try {{
            stack_of(...range(1, LIMIT + 1));
            throw new Exception('no overflow');
        }} catch (\\OverflowException $e) {{
            assert($e->getMessage() === 'full');
        }}
        """


def test_a_namespaced_reference_is_imported_into_global_assertions() -> None:
    done = run(NAMESPACED, namespaced_assertions(2))
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    assert {BRACED, IMPORTED} <= set(done.program.rewrites)
    source = done.program.files["main.php"]
    for line in ("namespace App {", "use App\\Stack;", "use function App\\stack_of;", "use const App\\LIMIT;"):
        assert line in source
    wrong = run(NAMESPACED, namespaced_assertions(1))
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stderr)


@pytest.mark.parametrize(
    ("assertions", "not_imported"),
    [
        # their own namespace and imports, and an exit that ends them
        (
            "namespace Tests;\nuse App\\Stack;\n$s = new Stack();\n$s->push(7);\nexit($s->pop() === 7 ? 0 : 1);\n",
            "use const App\\LIMIT;",
        ),
        # a helper of the reference's name, and a group import
        (
            "use App\\{Stack, Container};\nfunction stack_of() { return new Stack(); }\n$s = stack_of();\n"
            "$s->push(7);\nassert($s->pop() === 7 && $s instanceof Container);\n",
            "use function App\\stack_of;",
        ),
    ],
    ids=["own namespace", "own helper and group import"],
)
def test_assertions_that_declare_or_import_names_themselves_keep_them(assertions: str, not_imported: str) -> None:
    done = run(NAMESPACED, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    assert BRACED in done.program.rewrites
    source = done.program.files["main.php"]
    assert not_imported not in source
    assert source.count("use App\\Stack;") + source.count("use App\\{Stack") == 1
    wrong = run(NAMESPACED, assertions.replace("7)", "8)", 1))
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stderr)


def test_a_name_two_namespaces_declare_is_not_imported() -> None:
    reference = """<?php
        namespace A;
        function same($x) { return $x; }
        namespace B;
        function same($x) { return -$x; }
        function add($a, $b) { return $a + $b; }
        """
    done = run(reference, "assert(add(1, 2) === 3);\nassert(\\A\\same(1) === -\\B\\same(1));\n")
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    assert "use function B\\add;" in done.program.files["main.php"]
    assert "same;" not in done.program.files["main.php"]
    guessed = run(reference, "assert(same(1) === 1);\n")
    assert guessed.verdict is Verdict.RUNTIME_ERROR, (guessed.message, guessed.stderr)
    assert "undefined function same()" in guessed.stderr


def test_interfaces_traits_and_enums_are_definitions() -> None:
    assert {"Container", "Order", "Counts", "Stack", "stack_of", "pop"} <= defined_names(PHP, NAMESPACED)


# --- an exit that ends the assertions ------------------------------------------------------------

FINAL_EXITS = {
    "last statement": """<?php
        $failures = 0;
        if (add(1, 2) !== 3) { $failures++; }
        echo "$failures failures\\n";
        exit($failures === 0 ? 0 : 1);
        // nothing but comments after it
        ?>
        """,
    "last branch": """<?php
        if (add(2, 2) === 4) {
            echo "ok\\n";
            exit;
        } else {
            echo "add(2, 2) is wrong\\n";
            exit(1);
        }
        """,
    "function called last": """<?php
        function runTests(): void {
            $failures = (add(1, 2) === 3 ? 0 : 1) + (add(0, 0) === 0 ? 0 : 1);
            exit($failures > 0 ? 1 : 0);
        }
        runTests();
        """,
    "static method called last": """<?php
        final class Runner {
            public static function main(): void {
                add(1, 2) === 3 ? exit(0) : exit(1);
            }
        }
        Runner::main();
        """,
    "loop over cases": """<?php
        foreach ([[1, 2, 3], [2, 2, 4]] as [$a, $b, $want]) {
            if (add($a, $b) !== $want) {
                echo "add($a, $b) failed\\n";
                exit(1);
            }
        }
        """,
}


@pytest.mark.parametrize("assertions", FINAL_EXITS.values(), ids=FINAL_EXITS.keys())
def test_an_exit_that_ends_the_assertions_finishes_them(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert FINAL_EXIT in done.program.rewrites
    wrong = run(WRONG, assertions)
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)
    assert "the assertions exited with status 1" in wrong.stderr


def test_a_message_exit_at_the_end_passes_and_prints_its_message() -> None:
    done = run(REFERENCE, 'assert(add(1, 2) === 3);\ndie("All tests passed");\n')
    assert done.verdict is Verdict.PASSED, (done.message, done.stdout, done.stderr)
    assert "All tests passed" in done.stdout
    wrong = run(WRONG, 'assert(add(1, 2) === 3);\ndie("All tests passed");\n')
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)


EARLY_EXITS = {
    "more assertions follow": "assert(add(1, 2) === 3);\nexit(0);\nassert(add(2, 2) === 5);\n",
    "a function called before more assertions": "function finish() { exit(0); }\nfinish();\nassert(add(2, 2) === 5);\n",
    "mid-way through a function called last": "function runTests() { die; assert(add(2, 2) === 5); }\nrunTests();\n",
}


@pytest.mark.parametrize("assertions", EARLY_EXITS.values(), ids=EARLY_EXITS.keys())
def test_a_successful_exit_before_the_assertions_end_is_incomplete(assertions: str) -> None:
    done = run(REFERENCE, assertions)
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert FINAL_EXIT not in done.program.rewrites


FAILURE_PATH_EXITS = {
    "catch": """<?php
        try {
            assert(add(1, 2) === 3);
            echo "All tests passed\\n";
        } catch (Throwable $e) {
            die("Test failed: " . $e->getMessage() . "\\n");
        }
        """,
    "or die": 'add(1, 2) === 3 or die("add(1, 2) is wrong");\n',
    "or a helper that dies": """<?php
        function fail(string $why): void { echo $why, "\\n"; exit; }
        add(1, 2) === 3 || fail("add(1, 2) is wrong");
        """,
    "a message in a branch": 'if (add(1, 2) !== 3) {\n    die("add(1, 2) is wrong");\n}\n',
}


@pytest.mark.parametrize("assertions", FAILURE_PATH_EXITS.values(), ids=FAILURE_PATH_EXITS.keys())
def test_a_successful_exit_where_a_check_failed_does_not_pass(assertions: str) -> None:
    # PHP exits 0 after printing a message: `or die("...")` and a die in a catch clause report a
    # failure. They stay plain exits, which leave the run incomplete.
    done = run(WRONG, assertions)
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)
    assert done.program is not None
    assert FINAL_EXIT not in done.program.rewrites
    assert run(REFERENCE, assertions).verdict is Verdict.PASSED


LOOP_EXITS = {
    "foreach": """<?php
        foreach ([[1, 0, 1], [1, 2, 3]] as [$a, $b, $want]) {
            assert(add($a, $b) === $want);
            exit(0);
        }
        """,
    "for": 'for ($i = 0; $i < 2; $i++) {\n    assert(add(1, $i) === 1 + $i);\n    exit;\n}\n',
}


@pytest.mark.parametrize("assertions", LOOP_EXITS.values(), ids=LOOP_EXITS.keys())
def test_a_successful_exit_in_a_loop_ends_its_first_pass_and_is_incomplete(assertions: str) -> None:
    # add(1, 0) === 1 holds for the wrong reference too: only the cases after the first catch it.
    for reference in (REFERENCE, WRONG):
        done = run(reference, assertions)
        assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout, done.stderr)
        assert done.program is not None
        assert FINAL_EXIT not in done.program.rewrites


def test_a_failing_exit_in_a_final_loop_still_ends_the_assertions() -> None:
    assertions = """<?php
        foreach ([[1, 0, 1], [1, 2, 3]] as [$a, $b, $want]) {
            if (add($a, $b) !== $want) {
                echo "FAIL: add($a, $b)\n";
                exit(1);
            }
        }
        """
    assert run(REFERENCE, assertions).verdict is Verdict.PASSED
    wrong = run(WRONG, assertions)
    assert wrong.verdict is Verdict.ASSERTION_FAILED, (wrong.message, wrong.stdout, wrong.stderr)
    assert wrong.program is not None
    assert FINAL_EXIT in wrong.program.rewrites


# --- extensions --------------------------------------------------------------------------------

EXTENSIONS = """<?php
function summary(string $word, string $xml): array {
    $db = new PDO('sqlite::memory:');
    $db->exec('CREATE TABLE t (n INTEGER)');
    $db->exec('INSERT INTO t VALUES (2), (3)');
    $dom = new DOMDocument();
    $dom->loadXML($xml);
    $words = ['b', 'a'];
    (new Collator('en_US'))->sort($words);
    return [
        'chars' => mb_strlen($word),
        'upper' => mb_strtoupper($word),
        'sum' => bcadd('0.1', '0.2', 1),
        'big' => gmp_strval(gmp_add('18446744073709551615', 1)),
        'number' => (new NumberFormatter('en_US', NumberFormatter::DECIMAL))->format(1234567.891),
        'sorted' => $words,
        'items' => $dom->getElementsByTagName('item')->length,
        'first' => (string) simplexml_load_string($xml)->item[0],
        'total' => (int) $db->query('SELECT SUM(n) FROM t')->fetchColumn(),
    ];
}
"""


@pytest.mark.parametrize("total", [5, 6], ids=["right", "wrong"])
def test_mbstring_bcmath_intl_xml_gmp_and_sqlite_work(total: int) -> None:
    assertions = f"""
        $s = summary('naïve', '<list><item>x</item><item>y</item></list>');
        assert($s['chars'] === 5 && $s['upper'] === 'NAÏVE');
        assert($s['sum'] === '0.3');
        assert($s['big'] === '18446744073709551616');
        assert($s['number'] === '1,234,567.891' && $s['sorted'] === ['a', 'b']);
        assert($s['items'] === 2 && $s['first'] === 'x');
        assert($s['total'] === {total});
        """
    done = run(EXTENSIONS, assertions)
    expected = Verdict.PASSED if total == 5 else Verdict.ASSERTION_FAILED
    assert done.verdict is expected, (done.message, done.stderr)
    if expected is Verdict.ASSERTION_FAILED:
        assert "assert($s['total'] === 6)" in done.stderr
