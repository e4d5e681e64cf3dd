/* Echo server connection: one accepted socket, plain or TLS, its 4 KB buffer and its echo state machine.
 * It must never block, and never read more while its buffer still holds bytes not written back (backpressure). */
#ifndef ECHO_CONN_H
#define ECHO_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ssl.h>

#define ECHO_BUFFER_SIZE 4096u
/* Buffers moved per turn before the server serves others: a fast client must not starve the rest. */
#define ECHO_ROUNDS_PER_TURN 16u

/* What an epoll tag points at: each tagged object starts with one of these. */
enum echo_handle_kind {
    ECHO_HANDLE_LISTENER,
    ECHO_HANDLE_SIGNALS,
    ECHO_HANDLE_CONN,
};

/* What a connection needs next. */
enum conn_wait {
    CONN_WAIT_READ,  /* the socket to become readable */
    CONN_WAIT_WRITE, /* the socket to become writable */
    CONN_MORE,       /* nothing: it has work left, serve it again soon */
    CONN_DONE,       /* it is finished: destroy it */
};

struct conn {
    enum echo_handle_kind kind; /* first member: ECHO_HANDLE_CONN */
    int fd;
    bool tls;
    bool handshake_done;
    bool handshake_failed;
    bool failed;   /* an error ended it: no close_notify */
    bool progress; /* bytes moved since the server last cleared this */
    unsigned long id;
    char peer[64];
    uint64_t echoed; /* bytes written back */
    size_t length;   /* bytes in buffer */
    size_t sent;     /* of those, already written back */

    /* Owned by the server: its epoll interest, idle order (oldest first) and ready queue. */
    uint32_t events;
    int64_t last_active_ms;
    struct conn *older;
    struct conn *newer;
    struct conn *next_ready;
    bool ready;

    mbedtls_ssl_context ssl; /* set up only when tls */
    unsigned char buffer[ECHO_BUFFER_SIZE];
};

/* Takes over fd (non-blocking). conf: the shared TLS configuration, NULL for plain. NULL if out of memory
 * (fd is then still the caller's). */
struct conn *conn_create(int fd, const mbedtls_ssl_config *conf, unsigned long id, const char *peer);

/* Moves bytes until the socket would block, the connection ends, or ECHO_ROUNDS_PER_TURN buffers went by. */
enum conn_wait conn_pump(struct conn *conn);

/* Closes and frees it. A TLS connection that ended without error first sends close_notify, if the socket
 * takes it at once: it never waits. */
void conn_destroy(struct conn *conn);

#endif
