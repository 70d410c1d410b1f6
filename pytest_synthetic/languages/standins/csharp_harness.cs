// What a C# program gets around an entry's code: csharp.py writes PROLOGUE, the members the
// assertions declare, EPILOGUE (which opens SyntheticTests), the assertions' statements, then
// CLOSING.
// A strength check's mutant schema adds SCHEMA_SWITCH, which reads which variant runs.
// SYNTHETIC_PART_PROLOGUE
public static class SyntheticMain
{
    private static string syntheticDone;

    // Reads the secret first; touches nothing of the reference (see SyntheticTests).
    public static void Main(string[] args)
    {
        syntheticDone = global::System.IO.File.ReadAllText("SYNTHETIC_FILL_COMPLETION_PATH");
        SyntheticReturn(SyntheticTests(args));
        SyntheticFinish();
    }

    internal static void SyntheticFinish()
    {
        global::System.Console.WriteLine();
        global::System.Console.WriteLine(syntheticDone);
        global::System.Console.Out.Flush();
    }

    // The assertions' last Environment.Exit: Exit(0) there means they all ran.
    internal static void SyntheticExit(int status)
    {
        if (status == 0) SyntheticFinish();
        global::System.Environment.Exit(status);
    }

    // What an entry point of the assertions returned, as the exit code it is: non-zero fails.
    internal static void SyntheticReturn(int status)
    {
        if (status != 0)
            throw new global::System.Exception("Assertion failed: the assertions returned exit code " + status);
    }

    // A return before the end of an entry point: with status 0 the assertions stop unfinished.
    internal static int SyntheticReturnEarly(int status)
    {
        if (status == 0)
        {
            global::System.Console.Out.Flush();
            global::System.Environment.Exit(0);
        }
        return status;
    }

    // What Debug.Assert in the assertions becomes: a check that really fails.
    internal static void SyntheticAssert(bool condition, string message = null, string detail = null)
    {
        if (!condition)
            throw new global::System.Exception("Assertion failed" + (message == null ? "" : ": " + message)
                + (detail == null ? "" : " " + detail));
    }
// SYNTHETIC_PART_EPILOGUE

    // Never inlined into Main: compiling it may initialise reference types, after the secret is read.
    // Returns the exit code of top-level statements (C# allows `return 1;` there).
    [global::System.Runtime.CompilerServices.MethodImpl(
        global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int SyntheticTests(string[] args)
    {
// SYNTHETIC_PART_CLOSING
        return 0;
    }
}
// SYNTHETIC_PART_SCHEMA_SWITCH
static class SyntheticMutantSwitch
{
    internal static readonly int Id = Read();

    static int Read()
    {
        int id;
        return int.TryParse(System.Environment.GetEnvironmentVariable("SYNTHETIC_FILL_VARIABLE"), out id) ? id : 0;
    }
}
