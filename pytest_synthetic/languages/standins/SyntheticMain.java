// What a Java program gets around an entry's code: java.py writes PROLOGUE, the members the
// assertions declare, their statements as syntheticTests, then EPILOGUE. TESTS stands in for the
// assertions here, so that the file compiles alone (under its public class's name).
// A strength check's mutant schema adds SCHEMA_SWITCH, which reads which variant runs.
// SYNTHETIC_PART_PROLOGUE
public class SyntheticMain {
    // Static initialiser of the main class: runs before main() and before any reference class.
    private static final String SYNTHETIC_DONE = syntheticReadDone();

    private static String syntheticReadDone() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("SYNTHETIC_FILL_COMPLETION_PATH")),
                java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void syntheticFinish() {
        System.out.println();
        System.out.println(SYNTHETIC_DONE);
        System.out.flush();
    }

    // The assertions' own System.exit: exit(0) from the assertions means they all ran.
    static void syntheticExit(int status) {
        if (status == 0) {
            syntheticFinish();
        }
        System.exit(status);
    }
// SYNTHETIC_PART_TESTS
    static void syntheticTests(String[] syntheticArgs) throws Throwable {
    }
// SYNTHETIC_PART_EPILOGUE

    public static void main(String[] args) throws Throwable {
        syntheticTests(args);
        syntheticFinish();
    }
}
// SYNTHETIC_PART_SCHEMA_SWITCH
final class SyntheticMutantSwitch {
    static final int ID = read();

    static int read() {
        String value = System.getenv("SYNTHETIC_FILL_VARIABLE");
        return value == null ? 0 : Integer.parseInt(value.trim());
    }
}
