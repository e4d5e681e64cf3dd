/* Echo server log: writes a prefixed line to stderr when its level is enabled.
 * It must never write to stdout: stdout carries the ready line alone, which the tests and the runner read. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static enum echo_verbosity current = ECHO_NORMAL;

void echo_log_set_verbosity(enum echo_verbosity verbosity)
{
    current = verbosity;
}

bool echo_log_enabled(enum echo_log_level level)
{
    switch (level) {
    case ECHO_LOG_ERROR:
        return true;
    case ECHO_LOG_INFO:
        return current != ECHO_QUIET;
    default:
        return current == ECHO_VERBOSE;
    }
}

void echo_log(enum echo_log_level level, const char *format, ...)
{
    if (!echo_log_enabled(level)) {
        return;
    }
    char line[512];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    /* One fprintf per line: stderr is unbuffered, and a line in pieces could interleave with valgrind's. */
    fprintf(stderr, "echo_server: %s\n", line);
}
