// What a Swift program gets around an entry's code: swift/__init__.py writes PROLOGUE first
// (the completion secret is read before any reference code runs; syntheticExit replaces an
// exit that ends the assertions), then the reference and the assertions, then EPILOGUE.
import Foundation
// SYNTHETIC_PART_PROLOGUE

// First top-level statement of main.swift: runs before any reference code.
let syntheticDone = String(decoding: FileHandle(fileDescriptor: SYNTHETIC_FILL_COMPLETION_FD).readDataToEndOfFile(), as: UTF8.self)

func syntheticFinish() {
    print("")
    print(syntheticDone)
    fflush(stdout)
}

// The assertions' own exit: exit(0) from the assertions means they all ran.
func syntheticExit(_ status: Int32) -> Never {
    if status == 0 { syntheticFinish() }
    exit(status)
}
// SYNTHETIC_PART_EPILOGUE

syntheticFinish()
