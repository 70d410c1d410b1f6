"""Java entries through the real javac and java: the shapes LLMs write, and the ways to cheat.

Each run compiles with javac (about a second or two): the shapes are packed into few runs.
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_synthetic import toolchains
from pytest_synthetic.languages import by_name
from pytest_synthetic.languages.completion import FINISHING_REWRITE
from pytest_synthetic.runner import Execution, Verdict, execute

JAVA = by_name("Java")
needs_jdk = pytest.mark.skipif(
    toolchains.which("javac") is None or toolchains.which("java") is None,
    reason="javac missing: apt-get install default-jdk-headless",
)


def run(reference: str, assertions: str, function_name: str = "f") -> Execution:
    return execute(JAVA, textwrap.dedent(reference), textwrap.dedent(assertions), function_name)


@needs_jdk
def test_public_classes_qualified_calls_imports_helpers_and_exit_pass() -> None:
    done = run(
        """
        import java.util.*;

        public interface Shape { double area(); }

        public class Solution {
            public static List<Integer> evens(int[] xs) {
                List<Integer> out = new ArrayList<>();
                for (int x : xs) if (x % 2 == 0) out.add(x);
                return out;
            }
        }
        """,
        """
        import java.util.List;
        static void check(boolean ok, String what) { if (!ok) throw new AssertionError(what); }
        check(Solution.evens(new int[] {1, 2, 3, 4}).equals(List.of(2, 4)), "evens");
        assert Solution.evens(new int[0]).isEmpty() : "empty";
        Shape unit = () -> 1.0;
        check(unit.area() == 1.0, "shape");
        System.out.println("All tests passed");
        System.exit(0);
        """,
        "evens",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    assert any("public" in rewrite for rewrite in done.program.rewrites)
    assert FINISHING_REWRITE in done.program.rewrites


@needs_jdk
def test_bare_methods_own_main_and_a_main_class_in_the_assertions_pass() -> None:
    done = run(
        """
        static int twice(int x) { return 2 * x; }
        int quadruple(int x) { return twice(twice(x)); }
        public static void main(String[] args) { System.out.println(quadruple(1)); }
        """,
        """
        public class Main {
            public static void main(String[] args) {
                if (quadruple(3) != 12) throw new RuntimeException("quadruple(3)");
                if (Solution.twice(-1) != -2) throw new RuntimeException("twice(-1)");
            }
        }
        """,
        "quadruple",
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    rewrites = " | ".join(done.program.rewrites)
    assert "wrapped the top-level methods in class Solution" in rewrites
    assert "Main.main" in rewrites


@needs_jdk
def test_exiting_from_a_static_initialiser_after_a_fake_success_line_is_incomplete() -> None:
    done = run(
        """
        public class Solution {
            static { System.out.println("All tests passed"); System.exit(0); }
            public static int f(int x) { return x; }
        }
        """,
        'if (Solution.f(1) != 2) throw new RuntimeException("f(1)");',
    )
    assert done.verdict is Verdict.INCOMPLETE, (done.message, done.stdout)


@needs_jdk
def test_junit_engine_features_and_comment_only_assertions_are_not_executable() -> None:
    parameterized = run(
        "class Solution { static int f(int x) { return x; } }",
        """
        import org.junit.jupiter.params.ParameterizedTest;
        import org.junit.jupiter.params.provider.ValueSource;
        class SolutionTest {
            @ParameterizedTest
            @ValueSource(ints = {1, 2})
            void same(int x) { assertEquals(x, Solution.f(x)); }
        }
        """,
    )
    hamcrest = run(
        "class Solution { static int f(int x) { return x; } }",
        "@Test void t() { assertThat(Solution.f(1), is(1)); }",
    )
    empty = run("class Solution {}", "// Solution.f(1) == 1\n/* nothing else */")
    assert parameterized.verdict is Verdict.NOT_EXECUTABLE, parameterized.message
    assert "JUnit" in parameterized.message
    assert hamcrest.verdict is Verdict.NOT_EXECUTABLE, hamcrest.message
    assert "assertThat" in hamcrest.message
    assert empty.verdict is Verdict.NOT_EXECUTABLE


# --- JUnit stand-in --------------------------------------------------------------------------

INVENTORY = """
import java.util.*;

public class Inventory {
    private final Map<String, Integer> stock = new LinkedHashMap<>();

    public void add(String item, int count) {
        if (count <= 0) throw new IllegalArgumentException("count must be positive: " + count);
        stock.merge(item, count, Integer::sum);
    }

    public int remove(String item, int count) {
        int have = stock.getOrDefault(item, 0);
        if (count > have) throw new IllegalStateException("only " + have + " " + item);
        stock.put(item, have - count);
        return have - count;
    }

    public List<Integer> counts() { return new ArrayList<>(stock.values()); }

    public double share(String item) {
        int total = 0;
        for (int c : stock.values()) total += c;
        return stock.getOrDefault(item, 0) / (double) total;
    }
}
"""
INVENTORY_TESTS = """
import org.junit.jupiter.api.*;
import static org.junit.jupiter.api.Assertions.*;

class InventoryTest {
    static int setUps;
    static int tearDowns;
    private Inventory inventory;

    @BeforeAll
    static void start() { setUps = 0; tearDowns = 0; }

    @BeforeEach
    void setUp() {
        assertNull(inventory, "each test runs on a new instance");
        inventory = new Inventory();
        inventory.add("apple", 2);
        setUps++;
    }

    @AfterEach
    void tearDown() { tearDowns++; }

    @Test
    @DisplayName("adding merges counts")
    void addMerges() {
        inventory.add("pear", 1);
        inventory.add("apple", 3);
        assertEquals(List.of(5, 1), inventory.counts(), () -> "counts after adding");
        assertEquals(5, inventory.counts().get(0));
        assertEquals(5.0 / 6, inventory.share("apple"), 1e-9);
    }

    @Test
    void removingTooMuchThrows() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inventory.remove("apple", 3));
        assertEquals("only 2 apple", e.getMessage());
        assertEquals(1, inventory.remove("apple", 1));
    }

    @Test
    void badCountsAreRejected() {
        assertAll("counts",
            () -> assertThrows(IllegalArgumentException.class, () -> inventory.add("fig", 0)),
            () -> assertEquals(List.of(2), inventory.counts()),
            () -> assertTrue(inventory.share("fig") == 0.0, "no figs"));
    }

    @Disabled("not ready")
    @Test
    void notReady() { fail("a @Disabled test ran"); }

    @AfterAll
    static void finish() {
        Assertions.assertEquals(3, setUps, "one setUp per enabled test");
        Assertions.assertEquals(3, tearDowns, "one tearDown per enabled test");
    }
}

@Disabled
class LaterTest {
    @Test
    void later() { fail("a test of a @Disabled class ran"); }
}
"""


@needs_jdk
def test_junit5_class_runs_each_test_between_its_lifecycle_methods_and_passes() -> None:
    done = run(INVENTORY, INVENTORY_TESTS, "add")
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    rewrites = " | ".join(done.program.rewrites)
    assert "JUnit 5 assertions -> built-in equivalents" in rewrites
    assert "ran the @Test methods" in rewrites


@needs_jdk
@pytest.mark.parametrize(
    ("wrong", "right", "verdict", "shown"),
    [
        # merge -> put: the supplier's message and both values are in the failure
        (
            "stock.put(item, count);",
            "stock.merge(item, count, Integer::sum);",
            Verdict.ASSERTION_FAILED,
            "counts after adding ==> expected: <[5, 1]> but was: <[3, 1]>",
        ),
        # a crash inside assertAll is the reference's error, not a failed assertion
        (
            "return stock.get(item) / (double) total;",
            "return stock.getOrDefault(item, 0) / (double) total;",
            Verdict.RUNTIME_ERROR,
            "java.lang.NullPointerException",
        ),
        # exiting 0 half-way through the tests
        (
            "if (count <= 0) System.exit(0);",
            'if (count <= 0) throw new IllegalArgumentException("count must be positive: " + count);',
            Verdict.INCOMPLETE,
            "",
        ),
    ],
    ids=["wrong-value", "crash-in-assertAll", "exit-0"],
)
def test_junit5_class_catches_a_wrong_reference(wrong: str, right: str, verdict: Verdict, shown: str) -> None:
    assert right in INVENTORY
    done = run(INVENTORY.replace(right, wrong), INVENTORY_TESTS, "add")
    assert done.verdict is verdict, (done.message, done.stderr)
    assert shown in done.stderr


ACCOUNT = """
public class Account {
    private int balance;
    public Account(int opening) { balance = opening; }
    public void withdraw(int amount) {
        if (amount > balance) throw new IllegalArgumentException("insufficient funds");
        balance -= amount;
    }
    public int balance() { return balance; }
    public double[] split(int parts) {
        double[] out = new double[parts];
        java.util.Arrays.fill(out, balance / (double) parts);
        return out;
    }
}
"""
ACCOUNT_TESTS = """
import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Ignore;
import org.junit.Test;
import static org.junit.Assert.*;

public class AccountTest {
    private Account account;
    private static int open;

    @BeforeClass
    public static void start() { open = 0; }

    @Before
    public void setUp() { account = new Account(100); open++; }

    @After
    public void tearDown() { open--; }

    @Test
    public void withdrawReducesBalance() {
        account.withdraw(30);
        assertEquals("after withdrawing 30", 70, account.balance());
        assertArrayEquals(new double[] {35.0, 35.0}, account.split(2), 1e-9);
        assertEquals("only this test's account is open", 1, open);
    }

    @Test(expected = IllegalArgumentException.class)
    public void overdraftIsRejected() {
        account.withdraw(101);
    }

    @Ignore("interest is not implemented")
    @Test
    public void interest() { fail("an @Ignore test ran"); }
}
"""
_OVERDRAFT = 'if (amount > balance) throw new IllegalArgumentException("insufficient funds");'


@needs_jdk
@pytest.mark.parametrize(
    ("right", "wrong", "verdict", "shown"),
    [
        ("", "", Verdict.PASSED, ""),
        (
            "balance -= amount;",
            "balance -= amount + 1;",
            Verdict.ASSERTION_FAILED,
            "after withdrawing 30 expected:<70> but was:<69>",
        ),
        (
            _OVERDRAFT,
            "",
            Verdict.ASSERTION_FAILED,
            "Expected exception: java.lang.IllegalArgumentException",
        ),
        # another exception than the expected one is an error of the test, not a pass
        (
            _OVERDRAFT,
            'if (amount > balance) throw new IllegalStateException("closed");',
            Verdict.RUNTIME_ERROR,
            "java.lang.IllegalStateException: closed",
        ),
    ],
    ids=["right", "wrong-balance", "no-exception", "other-exception"],
)
def test_junit4_class_with_expected_exceptions(right: str, wrong: str, verdict: Verdict, shown: str) -> None:
    assert right in ACCOUNT
    done = run(ACCOUNT.replace(right, wrong) if right else ACCOUNT, ACCOUNT_TESTS, "withdraw")
    assert done.verdict is verdict, (done.message, done.stderr)
    assert shown in done.stderr
    assert done.program is not None
    assert any("JUnit 4 assertions" in rewrite for rewrite in done.program.rewrites)


TALLY = """
import java.util.*;
class Solution {
    static Map<String, Integer> tally(String... words) {
        Map<String, Integer> out = new TreeMap<>();
        for (String w : words) out.merge(w, 1, Integer::sum);
        return out;
    }
}
"""
# Top-level @Test methods and `var` locals that the methods share (fields need a written type).
TALLY_TESTS = """
import org.junit.jupiter.api.*;
import static org.junit.jupiter.api.Assertions.*;

var seen = new ArrayList<String>();
var runs = 0;
var label = "tally";

@BeforeEach
void reset() { seen.clear(); runs++; }

@Test
void countsRepeats() {
    seen.add("countsRepeats");
    Map<String, Integer> counts = Solution.tally("b", "a", "b");
    assertEquals(2, counts.get("b"), () -> label + " of b");
    assertEquals(List.of("a", "b"), new ArrayList<>(counts.keySet()));
}

@Test(expected = NullPointerException.class)
void nullWordsAreRejected() {
    Solution.tally((String[]) null);
}

@Test
void emptyInput() {
    assertTrue(seen.isEmpty(), "reset before each test");
    assertTrue(Solution.tally().isEmpty(), label);
    assertEquals(3, runs);
}
"""


@needs_jdk
def test_top_level_test_methods_run_between_their_lifecycle_methods() -> None:
    done = run(TALLY, TALLY_TESTS, "tally")
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    source = done.program.files["SyntheticMain.java"]
    assert "static ArrayList<String> seen = new ArrayList<String>();" in source
    assert "static int runs = 0;" in source
    assert "static String label = " in source


@needs_jdk
def test_top_level_test_methods_catch_a_wrong_reference() -> None:
    done = run(TALLY.replace("out.merge(w, 1, Integer::sum)", "out.put(w, 1)"), TALLY_TESTS, "tally")
    assert done.verdict is Verdict.ASSERTION_FAILED, (done.message, done.stderr)
    assert "tally of b ==> expected: <2> but was: <1>" in done.stderr


@needs_jdk
def test_var_fields_with_obvious_types_and_an_own_args_variable_pass() -> None:
    done = run(
        "class Solution { static int f(int x) { return x * 2; } }",
        """
        var total = 0L;
        var lowest = -1;
        var ratio = 0.5;
        var grid = new int[2][3];
        var log = new StringBuilder();
        var last = (Object) "none";
        static void record(int x) {
            total += x;
            lowest = lowest < 0 ? x : Math.min(lowest, x);
            grid[1][2] += x;
            log.append(x).append(' ');
            last = x;
        }
        int[] args = {3, 1, 2};
        Function<String[], Integer> count = words -> words.length;
        for (int a : args) record(Solution.f(a));
        if (total != 12L) throw new AssertionError("total " + total);
        if (lowest != 2 || grid[1][2] != 12 || ratio * total != 6.0) throw new AssertionError("fields");
        if (!log.toString().equals("6 2 4 ") || !last.equals(4)) throw new AssertionError("log " + log);
        """,
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)
    assert done.program is not None
    assert any("static fields" in rewrite for rewrite in done.program.rewrites)
    source = done.program.files["SyntheticMain.java"]
    assert "static long total = 0L;" in source
    assert "static int lowest = -1;" in source
    assert "static int[][] grid = new int[2][3];" in source
    assert "static Object last = " in source


@needs_jdk
def test_statements_written_for_main_can_read_args() -> None:
    done = run(
        "class Solution { static int f(int x) { return x * 2; } }",
        """
        if (args.length != 0) throw new AssertionError("no arguments expected");
        if (Solution.f(args.length + 3) != 6) throw new AssertionError("f(3)");
        """,
    )
    assert done.verdict is Verdict.PASSED, (done.message, done.stderr)


@pytest.mark.parametrize(
    ("assertions", "reason"),
    [
        (
            "import org.testng.annotations.Test;\nimport static org.testng.Assert.assertEquals;\n"
            "public class T { @Test public void t() { assertEquals(Solution.f(1), 1); } }",
            "TestNG",
        ),
        (
            "import static org.mockito.Mockito.*;\n"
            "class T { @Test void t() { Runnable r = mock(Runnable.class); assertEquals(1, Solution.f(1)); } }",
            "Mockito",
        ),
        (
            "import junit.framework.TestCase;\n"
            "public class T extends TestCase { public void testF() { assertEquals(1, Solution.f(1)); } }",
            "JUnit 3",
        ),
        ("class T { @Test void t(int x) { assertEquals(x, Solution.f(x)); } }", "takes parameters"),
        ("class T { @RepeatedTest(3) void t() { assertEquals(1, Solution.f(1)); } }", "@RepeatedTest"),
        (
            "class T { @Nested class Inner { @Test void t() { assertEquals(1, Solution.f(1)); } } }",
            "@Nested",
        ),
        (
            "import static org.junit.jupiter.api.Assumptions.*;\n"
            "class T { @Test void t() { assumeTrue(Solution.f(1) > 0); } }",
            "assumeTrue",
        ),
        (
            "import org.junit.jupiter.api.*;\n"
            "class T { @Disabled @Test void t() { Assertions.assertEquals(2, Solution.f(1)); } }",
            "nothing runs them",
        ),
        (
            "class SolutionTest {\n    void testF() { if (Solution.f(1) != 1) throw new AssertionError(); }\n}",
            "nothing runs them",
        ),
        (
            "public class Main {\n    public static void main(String[] args) { Solution.f(1); }\n}}\n",
            "main method",
        ),
    ],
    ids=[
        "testng",
        "mockito",
        "junit3",
        "test-parameters",
        "repeated",
        "nested",
        "assumption",
        "all-disabled",
        "only-declarations",
        "unparsable-main",
    ],
)
def test_what_needs_a_test_engine_or_never_runs_is_not_executable(assertions: str, reason: str) -> None:
    done = run("class Solution { static int f(int x) { return x; } }", assertions)
    assert done.verdict is Verdict.NOT_EXECUTABLE, done.message
    assert reason in done.message
