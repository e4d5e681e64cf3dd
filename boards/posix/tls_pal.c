/* Alder posix board: the TLS entropy hook (tls.h) from the host kernel's random source.
 * It must never block or switch tasks: mbedTLS calls it holding its entropy lock (hence the host-call bracket). */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/types.h>

#include "posix_port.h"
#include "tls.h"

int tls_pal_entropy(uint8_t *out, size_t length)
{
    int result = 0;
    posix_host_call_begin();
    size_t got = 0;
    while (got < length) {
        /* GRND_NONBLOCK: the pool is long initialised on any host that runs tests; never wait for it. */
        ssize_t n = getrandom(out + got, length - got, GRND_NONBLOCK);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            result = -1;
            break;
        }
        got += (size_t)n;
    }
    posix_host_call_end();
    return result;
}
