// What a Go program gets around an entry's code. go.py writes the package clause and the imports
// (every package under a synthetic_ name, so none clashes with the entry's), then PRELUDE, the
// reference, the assertions as func synthetic_checks, MAIN (or TEST_MAIN when the assertions are
// Go tests), HELPERS, and FINISHING_EXIT when the assertions end with os.Exit. CHECKS stands in for the assertions here, so that the file builds alone.
// A strength check's mutant schema adds SCHEMA_SWITCH, which reads which variant runs.
package main

import (
	synthetic_fmt "fmt"
	synthetic_os "os"
	synthetic_runtime "runtime"
	synthetic_testing "testing"
)
// SYNTHETIC_PART_PRELUDE

// Added by pytest-synthetic: the per-run completion secret, read before any reference code runs
// (package-level variables are initialised before every init function).
var synthetic_done = synthetic_read_done()

func synthetic_read_done() string {
	data, _ := synthetic_os.ReadFile("SYNTHETIC_FILL_COMPLETION_PATH")
	return string(data)
}
// SYNTHETIC_PART_CHECKS

func synthetic_checks() {}
// SYNTHETIC_PART_MAIN

func main() {
	synthetic_check(synthetic_checks)
	synthetic_complete()
}
// SYNTHETIC_PART_TEST_MAIN

func TestMain(m *synthetic_testing.M) {
	synthetic_check(synthetic_checks)
	if code := m.Run(); code != 0 {
		synthetic_fmt.Fprintln(synthetic_os.Stderr, "assertion failed: a Go test of the assertions failed")
		synthetic_os.Exit(code)
	}
	synthetic_complete()
}
// SYNTHETIC_PART_HELPERS

// Added by pytest-synthetic: a panic raised on a line of the assertions is an assertion failure;
// any other panic (runtime errors, panics inside the reference) propagates unchanged.
func synthetic_check(run func()) {
	defer func() {
		recovered := recover()
		if recovered == nil {
			return
		}
		if _, crash := recovered.(synthetic_runtime.Error); !crash && synthetic_raised_by_checks() {
			synthetic_fmt.Fprintf(synthetic_os.Stderr, "assertion failed: %v\n", recovered)
			synthetic_os.Exit(1)
		}
		panic(recovered)
	}()
	run()
}

func synthetic_raised_by_checks() bool {
	pcs := make([]uintptr, 64)
	frames := synthetic_runtime.CallersFrames(pcs[:synthetic_runtime.Callers(0, pcs)])
	afterPanic := false
	for {
		frame, more := frames.Next()
		if afterPanic {
			suffix := "/" + "SYNTHETIC_FILL_FILE"
			if len(frame.File) < len(suffix) || frame.File[len(frame.File)-len(suffix):] != suffix {
				return false
			}
			for _, lines := range [][2]int{/*SYNTHETIC_FILL_RANGES*/} {
				if frame.Line >= lines[0] && frame.Line <= lines[1] {
					return true
				}
			}
			return false
		}
		afterPanic = frame.Function == "runtime.gopanic"
		if !more {
			return false
		}
	}
}

func synthetic_complete() {
	synthetic_os.Stdout.WriteString("\n" + synthetic_done + "\n")
}
// SYNTHETIC_PART_FINISHING_EXIT

// Added by pytest-synthetic: the exit that ends the assertions; a successful one completes the run.
func synthetic_finishing(exit func(int)) func(int) {
	return func(code int) {
		if code == 0 {
			synthetic_complete()
		}
		exit(code)
	}
}
// SYNTHETIC_PART_SCHEMA_SWITCH
var syntheticMutant = func() int {
	n := 0
	for _, c := range synthetic_os.Getenv("SYNTHETIC_FILL_VARIABLE") {
		n = n*10 + int(c-'0')
	}
	return n
}()
