/* Alder Secure Sockets tests: helpers the TCP and TLS groups share (sockets a case opened, test data, receiving).
 * It must never hide a failure: every helper fails the case through the framework when something is wrong. */
#include "sockets_test_util.h"

static Socket_t opened[SOCKETS_CONFIG_MAX_SOCKETS + 1];

void sockets_test_fill_pattern(uint8_t *buffer, size_t length, uint32_t seed)
{
    uint32_t state = seed | 1u;
    for (size_t i = 0; i < length; i++) {
        buffer[i] = (uint8_t)test_random(&state);
    }
}

Socket_t sockets_test_open(void)
{
    TEST_ASSERT_EQ(pdPASS, SOCKETS_Init());
    Socket_t socket = SOCKETS_Socket(SOCKETS_AF_INET, SOCKETS_SOCK_STREAM, SOCKETS_IPPROTO_TCP);
    TEST_ASSERT(socket != SOCKETS_INVALID_SOCKET);
    for (size_t i = 0; i < sizeof opened / sizeof opened[0]; i++) {
        if (opened[i] == NULL || opened[i] == socket) {
            opened[i] = socket;
            break;
        }
    }
    return socket;
}

void sockets_test_close_leftovers(void)
{
    for (size_t i = 0; i < sizeof opened / sizeof opened[0]; i++) {
        if (opened[i] != NULL) {
            (void)SOCKETS_Close(opened[i]);
            opened[i] = NULL;
        }
    }
}

void sockets_test_receive_all(Socket_t socket, uint8_t *buffer, size_t length, size_t piece)
{
    size_t got = 0;
    while (got < length) {
        size_t want = length - got < piece ? length - got : piece;
        int32_t n = SOCKETS_Recv(socket, buffer + got, want, 0);
        if (n <= 0) {
            TEST_FAIL("receive returned %ld after %lu of %lu bytes", (long)n, (unsigned long)got,
                      (unsigned long)length);
        }
        TEST_ASSERT_RANGE(1, (long)want, (long)n);
        got += (size_t)n;
    }
}
