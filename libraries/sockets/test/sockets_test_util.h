/* Alder Secure Sockets tests: helpers the TCP and TLS groups share (sockets a case opened, test data, receiving).
 * It must never hide a failure: every helper fails the case through the framework when something is wrong. */
#ifndef SOCKETS_TEST_UTIL_H
#define SOCKETS_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "alder_test.h"
#include "iot_secure_sockets.h"

/* Fills buffer with pseudo-random bytes that depend only on seed. */
void sockets_test_fill_pattern(uint8_t *buffer, size_t length, uint32_t seed);

/* SOCKETS_Init, then a new TCP socket (the case fails if there is none), remembered so that the next
 * case can close it if this one fails first. */
Socket_t sockets_test_open(void);

/* Closes every socket sockets_test_open gave since the last call (an already closed one is a
 * harmless SOCKETS_EINVAL): a slot leaked by a failed case would otherwise fail every case after it. */
void sockets_test_close_leftovers(void);

/* Receives exactly `length` bytes, asking for at most `piece` at a time; the case fails on a
 * timeout, an error, or a count outside what was asked. */
void sockets_test_receive_all(Socket_t socket, uint8_t *buffer, size_t length, size_t piece);

/* TEST(group, name) whose body runs after sockets_test_close_leftovers(). */
#define SOCKETS_TEST(group, name)                                                                                      \
    static void name##_body(void);                                                                                     \
    TEST(group, name)                                                                                                  \
    {                                                                                                                  \
        sockets_test_close_leftovers();                                                                                \
        name##_body();                                                                                                 \
    }                                                                                                                  \
    static void name##_body(void)

#endif /* SOCKETS_TEST_UTIL_H */
