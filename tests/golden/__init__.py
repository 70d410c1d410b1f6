"""Golden files of assembled programs: an assembly change shows as a diff on any machine, with or
without the language's toolchain. `python -m tests.golden --update` rewrites them."""
