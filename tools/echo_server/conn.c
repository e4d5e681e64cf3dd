/* Echo server connection: the non-blocking echo state machine for one plain or TLS socket, and the mbedTLS BIO
 * callbacks over it. It must never log payload bytes (lengths only, with --verbose), nor wait on a socket. */
#define _GNU_SOURCE
#include "conn.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mbedtls/net_sockets.h>
#include <mbedtls/x509_crt.h>

#include "log.h"
#include "tls.h"

/* Results of one read or write, besides a positive byte count. */
enum {
    IO_EOF = 0,
    IO_WANT_READ = -1,
    IO_WANT_WRITE = -2,
    IO_FAILED = -3,
};

static long socket_result(struct conn *conn, ssize_t n, const char *what)
{
    if (n > 0) {
        conn->progress = true;
        return (long)n;
    }
    if (n == 0) {
        return IO_EOF;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return what[0] == 'r' ? IO_WANT_READ : IO_WANT_WRITE;
    }
    echo_log(ECHO_LOG_DEBUG, "conn %lu: %s failed: %s", conn->id, what, strerror(errno));
    return IO_FAILED;
}

static long raw_recv(struct conn *conn, unsigned char *data, size_t length)
{
    ssize_t n;
    do {
        n = recv(conn->fd, data, length, 0);
    } while (n < 0 && errno == EINTR);
    return socket_result(conn, n, "read");
}

static long raw_send(struct conn *conn, const unsigned char *data, size_t length)
{
    ssize_t n;
    do {
        n = send(conn->fd, data, length, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return socket_result(conn, n, "write");
}

/* mbedTLS BIO callbacks: its own error codes for "would block", so that it returns WANT_READ/WANT_WRITE. */
static int bio_send(void *context, const unsigned char *data, size_t length)
{
    long n = raw_send(context, data, length);
    if (n > 0) {
        return (int)n;
    }
    return n == IO_WANT_WRITE ? MBEDTLS_ERR_SSL_WANT_WRITE : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *context, unsigned char *data, size_t length)
{
    long n = raw_recv(context, data, length);
    if (n >= 0) {
        return (int)n;
    }
    return n == IO_WANT_READ ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_NET_RECV_FAILED;
}

struct conn *conn_create(int fd, const mbedtls_ssl_config *conf, unsigned long id, const char *peer)
{
    struct conn *conn = calloc(1, sizeof *conn);
    if (conn == NULL) {
        return NULL;
    }
    conn->kind = ECHO_HANDLE_CONN;
    conn->fd = fd;
    conn->tls = conf != NULL;
    conn->id = id;
    snprintf(conn->peer, sizeof conn->peer, "%s", peer);
    /* Echo traffic is request/response: Nagle's algorithm would hold back small replies for an ACK. */
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (conn->tls) {
        mbedtls_ssl_init(&conn->ssl);
        if (mbedtls_ssl_setup(&conn->ssl, conf) != 0) {
            mbedtls_ssl_free(&conn->ssl);
            free(conn);
            return NULL;
        }
        mbedtls_ssl_set_bio(&conn->ssl, conn, bio_send, bio_recv, NULL);
    }
    return conn;
}

static long tls_result(struct conn *conn, int ret, const char *what)
{
    if (ret > 0) {
        return ret;
    }
    switch (ret) {
    case 0:
    case MBEDTLS_ERR_SSL_CONN_EOF:
        return IO_EOF;
    case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
        echo_log(ECHO_LOG_DEBUG, "conn %lu: client sent close_notify", conn->id);
        return IO_EOF;
    case MBEDTLS_ERR_SSL_WANT_READ:
        return IO_WANT_READ;
    case MBEDTLS_ERR_SSL_WANT_WRITE:
        return IO_WANT_WRITE;
    default: {
        char text[200];
        echo_tls_error_text(ret, text, sizeof text);
        echo_log(ECHO_LOG_DEBUG, "conn %lu: TLS %s failed: %s", conn->id, what, text);
        return IO_FAILED;
    }
    }
}

static long conn_read(struct conn *conn)
{
    if (!conn->tls) {
        return raw_recv(conn, conn->buffer, sizeof conn->buffer);
    }
    return tls_result(conn, mbedtls_ssl_read(&conn->ssl, conn->buffer, sizeof conn->buffer), "read");
}

static long conn_write(struct conn *conn)
{
    const unsigned char *data = conn->buffer + conn->sent;
    size_t length = conn->length - conn->sent;
    if (!conn->tls) {
        return raw_send(conn, data, length);
    }
    /* After WANT_WRITE mbedTLS wants the same call again: the buffer stays as it was until then. */
    return tls_result(conn, mbedtls_ssl_write(&conn->ssl, data, length), "write");
}

static enum conn_wait wait_for(struct conn *conn, long result)
{
    switch (result) {
    case IO_WANT_READ:
        return CONN_WAIT_READ;
    case IO_WANT_WRITE:
        return CONN_WAIT_WRITE;
    case IO_EOF:
        return CONN_DONE;
    default:
        conn->failed = true;
        return CONN_DONE;
    }
}

/* Writes back what the buffer holds; CONN_MORE once it is empty. */
static enum conn_wait flush(struct conn *conn)
{
    while (conn->sent < conn->length) {
        long n = conn_write(conn);
        if (n <= 0) {
            return wait_for(conn, n == IO_EOF ? IO_FAILED : n);
        }
        conn->sent += (size_t)n;
        conn->echoed += (uint64_t)n;
    }
    conn->sent = 0;
    conn->length = 0;
    return CONN_MORE;
}

/* Reads into the empty buffer; CONN_MORE when it got bytes. */
static enum conn_wait fill(struct conn *conn)
{
    long n = conn_read(conn);
    if (n <= 0) {
        return wait_for(conn, n);
    }
    conn->length = (size_t)n;
    echo_log(ECHO_LOG_DEBUG, "conn %lu: %ld bytes", conn->id, n);
    return CONN_MORE;
}

/* The reason a handshake failed, for the log: mbedTLS's error and, if a certificate was refused, why. */
static void handshake_failure(struct conn *conn, int ret)
{
    char text[200];
    char why[256] = "";
    echo_tls_error_text(ret, text, sizeof text);
    uint32_t flags = mbedtls_ssl_get_verify_result(&conn->ssl);
    if (flags != 0 && flags != (uint32_t)-1 && mbedtls_x509_crt_verify_info(why, sizeof why, "", flags) > 0) {
        for (char *c = why; *c != '\0'; c++) {
            *c = *c == '\n' ? ';' : *c;
        }
    }
    echo_log(ECHO_LOG_INFO, "conn %lu (%s): TLS handshake failed: %s%s%s", conn->id, conn->peer, text,
             why[0] != '\0' ? "; client certificate: " : "", why);
}

static void handshake_done(struct conn *conn)
{
    conn->handshake_done = true;
    if (!echo_log_enabled(ECHO_LOG_DEBUG)) {
        return;
    }
    char subject[256] = "none";
    const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(&conn->ssl);
    if (peer != NULL && mbedtls_x509_dn_gets(subject, sizeof subject, &peer->subject) < 0) {
        snprintf(subject, sizeof subject, "?");
    }
    uint32_t flags = mbedtls_ssl_get_verify_result(&conn->ssl);
    echo_log(ECHO_LOG_DEBUG, "conn %lu: %s %s, client certificate \"%s\"%s", conn->id,
             mbedtls_ssl_get_version(&conn->ssl), mbedtls_ssl_get_ciphersuite(&conn->ssl), subject,
             peer != NULL && flags != 0 ? " (not verified)" : "");
}

static enum conn_wait handshake(struct conn *conn)
{
    int ret = mbedtls_ssl_handshake(&conn->ssl);
    switch (ret) {
    case 0:
        handshake_done(conn);
        return CONN_MORE;
    case MBEDTLS_ERR_SSL_WANT_READ:
        return CONN_WAIT_READ;
    case MBEDTLS_ERR_SSL_WANT_WRITE:
        return CONN_WAIT_WRITE;
    default:
        handshake_failure(conn, ret);
        conn->handshake_failed = true;
        conn->failed = true;
        return CONN_DONE;
    }
}

enum conn_wait conn_pump(struct conn *conn)
{
    if (conn->tls && !conn->handshake_done) {
        enum conn_wait wait = handshake(conn);
        if (wait != CONN_MORE) {
            return wait;
        }
    }
    for (unsigned round = 0; round < ECHO_ROUNDS_PER_TURN; round++) {
        enum conn_wait wait = flush(conn);
        if (wait == CONN_MORE) {
            wait = fill(conn);
        }
        if (wait != CONN_MORE) {
            return wait;
        }
    }
    return CONN_MORE;
}

void conn_destroy(struct conn *conn)
{
    if (conn->tls) {
        if (conn->handshake_done && !conn->failed) {
            (void)mbedtls_ssl_close_notify(&conn->ssl);
        }
        mbedtls_ssl_free(&conn->ssl);
    }
    close(conn->fd);
    free(conn);
}
