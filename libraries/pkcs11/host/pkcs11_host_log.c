/* Alder PKCS#11: the log hook of the host builds: a line to stderr, or to a sink a test installs.
 * It must never buffer a line: a report must be out before the caller goes on (or crashes). */
#include "pkcs11_host_log.h"

#include <stdio.h>

static void (*log_sink)(const char *message);

void pkcs11_host_log_set_sink(void (*sink)(const char *message))
{
    log_sink = sink;
}

void pkcs11_host_log(const char *message)
{
    if (log_sink != NULL) {
        log_sink(message);
        return;
    }
    fprintf(stderr, "%s\n", message);
    fflush(stderr);
}
