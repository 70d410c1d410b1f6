// What a Kotlin program gets around an entry's code: kotlin.py writes PROLOGUE, the reference,
// KOTLIN_TEST when the assertions use kotlin.test, the assertions as syntheticTests, then EPILOGUE.
// TESTS stands in for the assertions here, so that the file compiles alone.
// A strength check's mutant schema adds SCHEMA_SWITCH, which reads which variant runs.
// SYNTHETIC_PART_PROLOGUE

// First top-level property of the file: initialised before main() and any reference code.
private val syntheticDone: String =
    String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("SYNTHETIC_FILL_COMPLETION_PATH")))

private fun syntheticFinish() {
    println()
    println(syntheticDone)
    System.out.flush()
}

// The assertions' own exitProcess: exitProcess(0) from the assertions means they all ran.
private fun syntheticExit(status: Int): Nothing {
    if (status == 0) syntheticFinish()
    kotlin.system.exitProcess(status)
}
// SYNTHETIC_PART_KOTLIN_TEST

private fun syntheticWhy(message: String?, text: String): String = if (message == null) text else "$message. $text"
private fun <T> assertEquals(expected: T, actual: T, message: String? = null) {
    if (expected != actual) throw AssertionError(syntheticWhy(message, "Expected <$expected>, actual <$actual>."))
}
private fun assertEquals(expected: Double, actual: Double, absoluteTolerance: Double, message: String? = null) {
    if (Math.abs(expected - actual) > absoluteTolerance)
        throw AssertionError(syntheticWhy(message, "Expected <$expected> within $absoluteTolerance, actual <$actual>."))
}
private fun assertEquals(expected: Float, actual: Float, absoluteTolerance: Float, message: String? = null) =
    assertEquals(expected.toDouble(), actual.toDouble(), absoluteTolerance.toDouble(), message)
private fun <T> expect(expected: T, block: () -> T) = assertEquals(expected, block())
private fun <T> expect(expected: T, message: String?, block: () -> T) = assertEquals(expected, block(), message)
private fun <T> assertSame(expected: T, actual: T, message: String? = null) {
    if (expected !== actual)
        throw AssertionError(syntheticWhy(message, "Expected <$expected>, actual <$actual> is not same."))
}
private fun <T> assertNotSame(illegal: T, actual: T, message: String? = null) {
    if (illegal === actual) throw AssertionError(syntheticWhy(message, "Expected not same as <$actual>."))
}
private fun <T> assertNotEquals(illegal: T, actual: T, message: String? = null) {
    if (illegal == actual) throw AssertionError(syntheticWhy(message, "Illegal value: <$actual>."))
}
private fun assertTrue(actual: Boolean, message: String? = null) {
    if (!actual) throw AssertionError(message ?: "Expected value to be true.")
}
private fun assertTrue(message: String? = null, block: () -> Boolean) = assertTrue(block(), message)
private fun assertFalse(actual: Boolean, message: String? = null) {
    if (actual) throw AssertionError(message ?: "Expected value to be false.")
}
private fun assertFalse(message: String? = null, block: () -> Boolean) = assertFalse(block(), message)
private fun assertNull(actual: Any?, message: String? = null) {
    if (actual != null) throw AssertionError(syntheticWhy(message, "Expected value to be null, actual <$actual>."))
}
private fun <T : Any> assertNotNull(actual: T?, message: String? = null): T =
    actual ?: throw AssertionError(message ?: "Expected value to be not null.")
private fun fail(message: String? = null): Nothing = throw AssertionError(message)
private fun assertFails(block: () -> Unit): Throwable {
    try { block() } catch (e: Throwable) { return e }
    throw AssertionError("Expected an exception to be thrown, but was completed successfully.")
}
private fun <T : Throwable> assertFailsWith(type: kotlin.reflect.KClass<T>, message: String?, block: () -> Unit): T {
    try {
        block()
    } catch (e: Throwable) {
        @Suppress("UNCHECKED_CAST")
        if (type.java.isInstance(e)) return e as T
        throw AssertionError(syntheticWhy(message, "Expected an exception of ${type.java} to be thrown, but was $e"))
    }
    throw AssertionError(syntheticWhy(message, "Expected an exception of ${type.java}, but none was thrown."))
}
private fun <T : Throwable> assertFailsWith(type: kotlin.reflect.KClass<T>, block: () -> Unit): T =
    assertFailsWith(type, null, block)
private inline fun <reified T : Throwable> assertFailsWith(message: String? = null, noinline block: () -> Unit): T =
    assertFailsWith(T::class, message, block)
private inline fun <reified T> assertIs(value: Any?, message: String? = null): T {
    if (value !is T) throw AssertionError(syntheticWhy(message, "Expected a ${T::class.java}, actual <$value>."))
    return value
}
private fun <T> assertContentEquals(expected: Iterable<T>?, actual: Iterable<T>?, message: String? = null) =
    assertEquals(expected?.toList(), actual?.toList(), message)
private fun <T> assertContentEquals(expected: Sequence<T>?, actual: Sequence<T>?, message: String? = null) =
    assertEquals(expected?.toList(), actual?.toList(), message)
private fun <T> assertContentEquals(expected: Array<T>?, actual: Array<T>?, message: String? = null) =
    assertEquals(expected?.toList(), actual?.toList(), message)
private fun assertContentEquals(expected: IntArray?, actual: IntArray?, message: String? = null) =
    assertEquals(expected?.toList(), actual?.toList(), message)
private fun assertContentEquals(expected: LongArray?, actual: LongArray?, message: String? = null) =
    assertEquals(expected?.toList(), actual?.toList(), message)
private fun assertContentEquals(expected: DoubleArray?, actual: DoubleArray?, message: String? = null) =
    assertEquals(expected?.toList(), actual?.toList(), message)
private fun assertContentEquals(expected: CharArray?, actual: CharArray?, message: String? = null) =
    assertEquals(expected?.toList(), actual?.toList(), message)
private fun assertContentEquals(expected: BooleanArray?, actual: BooleanArray?, message: String? = null) =
    assertEquals(expected?.toList(), actual?.toList(), message)
private fun syntheticContains(found: Boolean, container: Any?, element: Any?, message: String?) {
    if (!found) throw AssertionError(syntheticWhy(message, "Expected <$container> to contain <$element>."))
}
private fun <T> assertContains(iterable: Iterable<T>, element: T, message: String? = null) =
    syntheticContains(element in iterable, iterable, element, message)
private fun <T> assertContains(sequence: Sequence<T>, element: T, message: String? = null) =
    syntheticContains(element in sequence, sequence.toList(), element, message)
private fun <T> assertContains(array: Array<T>, element: T, message: String? = null) =
    syntheticContains(element in array, array.contentToString(), element, message)
private fun assertContains(array: IntArray, element: Int, message: String? = null) =
    syntheticContains(element in array, array.contentToString(), element, message)
private fun assertContains(array: LongArray, element: Long, message: String? = null) =
    syntheticContains(element in array, array.contentToString(), element, message)
private fun assertContains(array: CharArray, element: Char, message: String? = null) =
    syntheticContains(element in array, array.contentToString(), element, message)
private fun assertContains(array: BooleanArray, element: Boolean, message: String? = null) =
    syntheticContains(element in array, array.contentToString(), element, message)
private fun <K, V> assertContains(map: Map<out K, V>, key: K, message: String? = null) =
    syntheticContains(map.containsKey(key), map, key, message)
// An IntRange is Iterable too: the specific range overloads win over both generic ones.
private fun <T : Comparable<T>> assertContains(range: ClosedRange<T>, value: T, message: String? = null) =
    syntheticContains(value in range, range, value, message)
private fun assertContains(range: IntRange, value: Int, message: String? = null) =
    syntheticContains(value in range, range, value, message)
private fun assertContains(range: LongRange, value: Long, message: String? = null) =
    syntheticContains(value in range, range, value, message)
private fun assertContains(range: CharRange, value: Char, message: String? = null) =
    syntheticContains(value in range, range, value, message)
private fun assertContains(text: CharSequence, other: CharSequence, ignoreCase: Boolean = false,
                           message: String? = null) =
    syntheticContains(text.contains(other, ignoreCase), text, other, message)
private fun assertContains(text: CharSequence, char: Char, ignoreCase: Boolean = false, message: String? = null) =
    syntheticContains(text.contains(char, ignoreCase), text, char, message)
private fun assertContains(text: CharSequence, regex: Regex, message: String? = null) =
    syntheticContains(regex.containsMatchIn(text), text, regex, message)
// SYNTHETIC_PART_TESTS
private fun syntheticTests(args: Array<String>) {
}
// SYNTHETIC_PART_EPILOGUE

fun main(args: Array<String>) {
    syntheticTests(args)
    syntheticFinish()
}
// SYNTHETIC_PART_SCHEMA_SWITCH
val syntheticMutant: Int = (System.getenv("SYNTHETIC_FILL_VARIABLE") ?: "0").trim().toInt()
