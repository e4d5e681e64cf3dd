/* Alder template board: the entropy source behind TLS (tls.h: tls_pal_entropy; docs/porting/tls.md).
 * It must never block or switch tasks: mbedTLS calls it while holding its entropy lock. */
#include <stddef.h>
#include <stdint.h>

#include "not_implemented.h"
#include "tls.h"

/*
 * Fill out[0..length) with bytes from a true random number generator (a TRNG peripheral), or, on a
 * part without one, from a generator seeded at the factory and saved in non-volatile memory (read
 * the seed, update it and write it back before returning, so that no two boots give the same
 * bytes). Return 0, or -1 when the source fails (TLS then refuses to connect: never return
 * predictable bytes instead).
 * Called from a task, possibly many times per handshake, with mbedTLS's entropy lock held: poll
 * the TRNG's ready flag, never wait on the kernel.
 *
 * Template: reports that it is missing and fails, so no TLS connection is ever made with weak keys.
 */
int tls_pal_entropy(uint8_t *out, size_t length)
{
    (void)out;
    (void)length;
    template_not_implemented(__func__, __FILE__, __LINE__, "docs/porting/tls.md");
    return -1;
}
