// What a Scala program gets around an entry's code: scala.py writes PROLOGUE, the assertions'
// statements (the body of syntheticTests, which PROLOGUE opens), then EPILOGUE.
// A strength check's mutant schema adds SCHEMA_SWITCH, which reads which variant runs.
// SYNTHETIC_PART_PROLOGUE
object SyntheticMain {
  // The object's first field: initialised when main() is called, before any reference code.
  private val syntheticDone: String =
    new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("SYNTHETIC_FILL_COMPLETION_PATH")), "UTF-8")

  def syntheticFinish(): Unit = {
    Console.out.println()
    Console.out.println(syntheticDone)
    Console.out.flush()
    System.out.flush()
  }

  // The assertions' own sys.exit: sys.exit(0) from the assertions means they all ran.
  def syntheticExit(status: Int): Nothing = {
    if (status == 0) syntheticFinish()
    sys.exit(status)
  }

  private def syntheticTests(args: Array[String]): Unit = {
// SYNTHETIC_PART_EPILOGUE
    ()
  }

  def main(args: Array[String]): Unit = {
    syntheticTests(args)
    syntheticFinish()
  }
}
// SYNTHETIC_PART_SCHEMA_SWITCH
object SyntheticMutantSwitch {
  val id: Int = Option(System.getenv("SYNTHETIC_FILL_VARIABLE")).map(_.trim.toInt).getOrElse(0)
}
