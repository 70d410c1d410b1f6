// The stand-in for org.junit.Assert (JUnit 4) and org.junit.jupiter.api.Assertions (JUnit 5):
// java.py fills in the message format of the version and generates the overloads of each assertion
// (every message form of each); JUnit 5's extras follow them. END closes the class for javac.
// SYNTHETIC_PART_CLASS
final class SyntheticAssertions {
    private SyntheticAssertions() {}
    interface Executable { void execute() throws Throwable; }
    interface ThrowingSupplier<T> { T get() throws Throwable; }
    interface ThrowingRunnable { void run() throws Throwable; }

    static AssertionError syntheticFailure(Object message, String text) {
        Object given = message instanceof java.util.function.Supplier
            ? ((java.util.function.Supplier<?>) message).get() : message;
        String said = given == null ? "" : given.toString();
        return new AssertionError(said.isEmpty() ? text : text.isEmpty() ? said : said + SEPARATOR + text);
    }
    static void syntheticCheck(boolean ok, Object message, String text) {
        if (!ok) throw syntheticFailure(message, text);
    }
    static boolean syntheticClose(double e, double a, double delta) {
        return Double.compare(e, a) == 0 || Math.abs(e - a) <= delta;
    }
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException syntheticRethrow(Throwable thrown) throws E {
        throw (E) thrown;
    }
    static <T extends Throwable> T syntheticThrown(Class<T> type, boolean exactly, Executable run, Object message) {
        try {
            run.execute();
        } catch (Throwable e) {
            if (exactly ? e.getClass() == type : type.isInstance(e)) return type.cast(e);
            AssertionError wrong = syntheticFailure(message,
                "Unexpected exception type thrown, " + syntheticDiffer(type.getName(), e.getClass().getName()));
            wrong.initCause(e);
            throw wrong;
        }
        throw syntheticFailure(message, "Expected " + type.getName() + " to be thrown, but nothing was thrown.");
    }
    // JUnit 4's @Test(expected = X.class): another exception is an error of the test, as in JUnit.
    static void syntheticExpect(Class<? extends Throwable> type, Executable test) throws Throwable {
        try {
            test.execute();
        } catch (Throwable e) {
            if (type.isInstance(e)) return;
            throw e;
        }
        throw new AssertionError("Expected exception: " + type.getName());
    }
    private static final String SEPARATOR = "SYNTHETIC_FILL_SEPARATOR";
    static String syntheticDiffer(Object e, Object a) { return "SYNTHETIC_FILL_EXPECTED" + e + "SYNTHETIC_FILL_BUT_WAS" + a + ">"; }
    // SYNTHETIC_FILL_OVERLOADS
// SYNTHETIC_PART_JUNIT5

    static <V> V fail() { throw new AssertionError(); }
    static <V> V fail(String message) { throw syntheticFailure(message, ""); }
    static <V> V fail(java.util.function.Supplier<String> message) { throw syntheticFailure(message, ""); }
    static <V> V fail(Throwable cause) { throw (AssertionError) new AssertionError().initCause(cause); }
    static <V> V fail(String message, Throwable cause) {
        throw (AssertionError) new AssertionError(message).initCause(cause);
    }
    // Every check runs and all failures are reported together; an error that is not a failed
    // assertion (the code under test crashed) is rethrown as it is, to be told apart.
    static void assertAll(String heading, java.util.stream.Stream<Executable> executables) {
        java.util.List<Throwable> failures = new java.util.ArrayList<>();
        executables.forEach(run -> { try { run.execute(); } catch (Throwable e) { failures.add(e); } });
        for (Throwable e : failures) if (!(e instanceof AssertionError)) throw syntheticRethrow(e);
        if (failures.isEmpty()) return;
        StringBuilder text = new StringBuilder(heading == null ? "Multiple Failures" : heading);
        text.append(" (").append(failures.size()).append(" failures)");
        for (Throwable e : failures) text.append("\n\t").append(e.getMessage());
        AssertionError error = new AssertionError(text.toString());
        failures.forEach(error::addSuppressed);
        throw error;
    }
    static void assertAll(java.util.stream.Stream<Executable> executables) { assertAll(null, executables); }
    static void assertAll(Executable... executables) { assertAll(null, java.util.Arrays.stream(executables)); }
    static void assertAll(String heading, Executable... executables) {
        assertAll(heading, java.util.Arrays.stream(executables));
    }
    static void assertAll(java.util.Collection<Executable> executables) { assertAll(null, executables.stream()); }
    static void assertAll(String heading, java.util.Collection<Executable> executables) {
        assertAll(heading, executables.stream());
    }
// SYNTHETIC_PART_END
}
