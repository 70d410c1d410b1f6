"""A processor-time limit finer than a second for a command started from a shell script.

`ulimit -t` counts whole seconds, so a looping mutant of a program that needs a few
milliseconds would burn a second. The helper starts the command, reads the processor time
of all its threads from /proc every 10 ms, and kills it once over budget, exiting 124 as
`timeout` does. It watches from outside because a timer signal inside is not universal: PHP
turns SIGPROF into a fatal error, GHC's runtime takes SIGVTALRM as its tick, Go ignores both.
Otherwise it ends as the command ended (its exit status, or the same signal). Built once per
machine with the system's C compiler into the toolchain cache; without one, a batch keeps
`ulimit -t` alone, which costs time and never a verdict.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from pytest_synthetic import toolchains

# argv: processor seconds (a decimal), then the command and its arguments.
SOURCE = r"""
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Processor seconds used so far by every thread of `pid`; -1 once it cannot be read. */
static double used(pid_t pid) {
    char path[64], buffer[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *file = fopen(path, "r");
    if (!file) return -1;
    size_t length = fread(buffer, 1, sizeof buffer - 1, file);
    fclose(file);
    buffer[length] = 0;
    char *field = strrchr(buffer, ')');  /* the name before it may hold anything */
    unsigned long user = 0, system = 0;
    if (!field || sscanf(field + 2, "%*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %lu %lu", &user, &system) != 2)
        return -1;
    return (double) (user + system) / sysconf(_SC_CLK_TCK);
}

int main(int argc, char **argv) {
    if (argc < 3) return 125;
    signal(SIGCHLD, SIG_DFL);  /* else children are reaped unseen */
    double budget = strtod(argv[1], 0);
    sigset_t child_ended, previous;
    sigemptyset(&child_ended);
    sigaddset(&child_ended, SIGCHLD);
    sigprocmask(SIG_BLOCK, &child_ended, &previous);
    pid_t pid = fork();
    if (pid < 0) return 125;
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &previous, 0);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    struct timespec tick = {0, 10 * 1000 * 1000};
    int status;
    for (;;) {
        sigtimedwait(&child_ended, 0, &tick);
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0) return 125;
        if (used(pid) > budget) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return 124;  /* as `timeout` says its deadline came */
        }
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    signal(WTERMSIG(status), SIG_DFL);  /* end as the command ended, for the shell to see */
    sigprocmask(SIG_SETMASK, &previous, 0);
    raise(WTERMSIG(status));
    return 128 + WTERMSIG(status);
}
"""
_PLAIN = re.compile(r"[\w./+-]+")


@cache
def helper() -> Path | None:
    """The built helper, built now if missing; None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    digest = hashlib.sha256(SOURCE.encode()).hexdigest()[:16]
    target = toolchains.known_versions_dir() / "cpu-limit" / digest
    if not _PLAIN.fullmatch(str(target)):  # the batch script names it unquoted
        return None
    return toolchains.built_once(target, functools.partial(_build, compiler), _executable)


def _build(compiler: str, scratch: Path) -> Path | None:
    source, built = scratch / "cpu_limit.c", scratch / "cpu-limit"
    source.write_text(SOURCE, encoding="utf-8")
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run([compiler, "-O2", "-o", str(built), str(source)], capture_output=True, timeout=60, check=True)
    return built if built.is_file() else None


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)
