/* Alder posix port: console output and the assert handler of the simulator.
 * It must never buffer: output from tasks, ISRs and host threads has to interleave as it happens. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "posix_port.h"

void posix_console_print(const char *text)
{
    size_t left = strlen(text);
    posix_host_call_begin();
    while (left > 0) {
        const ssize_t written = write(STDOUT_FILENO, text, left);
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            break;
        }
        text += written;
        left -= (size_t)written;
    }
    posix_host_call_end();
}

void posix_assert_failed(const char *file, int line)
{
    char message[512];
    posix_host_call_begin(); /* never resumes: nothing else runs on this CPU again */
    (void)snprintf(message, sizeof(message), "ASSERT FAILED %s:%d\n", file, line);
    posix_console_print(message);
    abort();
}
