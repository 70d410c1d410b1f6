// Added by pytest-synthetic: the completion secret, read before any static initialiser of
// the reference (priority constructors run first), printed after every assertion ran.
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <iostream>
#include <unistd.h>

static char synthetic_secret[256];

__attribute__((constructor(101))) static void synthetic_read_done() {
    int fd = open("SYNTHETIC_FILL_COMPLETION_PATH", O_RDONLY);
    if (fd >= 0) {
        ssize_t size = read(fd, synthetic_secret, sizeof synthetic_secret - 1);
        synthetic_secret[size > 0 ? size : 0] = '\0';
        close(fd);
    }
}

extern "C" void synthetic_complete(void) {
    std::cout.flush();
    std::fflush(stdout);
    std::printf("\n%s\n", synthetic_secret);
    std::fflush(stdout);
}

// A non-zero status from the assertions (`return 1;`, a final `exit(EXIT_FAILURE)`) is how they
// report a failure, silent or not.
extern "C" void synthetic_failed(int status) {
    std::cout.flush();
    std::fflush(stdout);
    std::fprintf(stderr, "assertion failed: the assertions returned status %d\n", status);
}

// The exit that ends the assertions: with status 0 every assertion ran.
extern "C" [[noreturn]] void synthetic_exit(int status) {
    if (status == 0) {
        synthetic_complete();
    } else {
        synthetic_failed(status);
    }
    std::exit(status);
}
