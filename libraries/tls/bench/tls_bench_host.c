/* Alder TLS benchmark, the reference: a plain C11 mbedTLS 2.28 client on the host (mbedtls_net_*, mbedtls_ssl_*, no
 * RTOS) doing what tls_bench does through Secure Sockets. It must never configure TLS differently from libraries/tls. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "tls_bench_common.h"
#include "tls_test_heap.h"

#define IMPL "mbedtls"
#define IO_TIMEOUT_MS 10000
#define MAX_RESULTS 4
#define HEAP_ECHO_BYTES (1024u * 1024u) /* as tls_bench.c */

static struct tls_bench_options options;
static uint8_t block[TLS_BENCH_CHUNK];
static struct tls_bench_result results[MAX_RESULTS];
static size_t result_count;
static struct {
    long handshake_peak, session, session_peak;
} heap;
static char version[32], suite[96];

static bool fail(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "tls_bench_host: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    return false;
}

static bool fail_mbedtls(const char *what, int rc)
{
    char text[160];
    mbedtls_strerror(rc, text, sizeof text);
    return fail("%s: %s (-0x%04x)", what, text, (unsigned)-rc);
}

/* ---- the client: set up once, as a program on the host would ---------------------------------- */

static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static mbedtls_x509_crt root;
static mbedtls_ssl_config config;

/* The settings of libraries/tls/src/tls.c: TLS 1.2 only, the default suites, the server verified against the root. */
static bool client_setup(void)
{
    static const char personalization[] = "alder-tls-bench-host";
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_x509_crt_init(&root);
    mbedtls_ssl_config_init(&config);
    int rc = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)personalization,
                                   sizeof personalization - 1);
    if (rc == 0) {
        rc = mbedtls_x509_crt_parse(&root, test_ca_pem, test_ca_pem_length);
    }
    if (rc == 0) {
        rc = mbedtls_ssl_config_defaults(&config, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                         MBEDTLS_SSL_PRESET_DEFAULT);
    }
    if (rc != 0) {
        return fail_mbedtls("setup", rc);
    }
    mbedtls_ssl_conf_min_version(&config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_authmode(&config, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&config, &root, NULL);
    mbedtls_ssl_conf_rng(&config, mbedtls_ctr_drbg_random, &drbg);
    return true;
}

static void client_free(void)
{
    mbedtls_ssl_config_free(&config);
    mbedtls_x509_crt_free(&root);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
}

/* ---- connections ---------------------------------------------------------------------------- */

struct connection {
    mbedtls_net_context net;
    mbedtls_ssl_context ssl;
    bool tls;
};

static bool start_tls(struct connection *connection)
{
    int rc = mbedtls_ssl_setup(&connection->ssl, &config);
    if (rc == 0) {
        rc = mbedtls_ssl_set_hostname(&connection->ssl, TLS_BENCH_SERVER_NAME);
    }
    if (rc != 0) {
        return fail_mbedtls("TLS setup", rc);
    }
    mbedtls_ssl_set_bio(&connection->ssl, &connection->net, mbedtls_net_send, mbedtls_net_recv, NULL);
    rc = mbedtls_ssl_handshake(&connection->ssl);
    return rc == 0 || fail_mbedtls("handshake", rc);
}

/* Connects (and with `tls` runs the handshake); on failure everything is freed already. */
static bool open_connection(struct connection *connection, uint16_t port, bool tls)
{
    char port_text[8];
    snprintf(port_text, sizeof port_text, "%u", (unsigned)port);
    connection->tls = tls;
    mbedtls_net_init(&connection->net);
    mbedtls_ssl_init(&connection->ssl);
    int rc = mbedtls_net_connect(&connection->net, "127.0.0.1", port_text, MBEDTLS_NET_PROTO_TCP);
    bool ok = rc == 0 || fail_mbedtls("connect", rc);
    if (ok) {
        /* The posix board's transport sets TCP_NODELAY on every socket: the same here. */
        int one = 1;
        (void)setsockopt(connection->net.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    if (ok && tls) {
        ok = start_tls(connection);
    }
    if (!ok) {
        mbedtls_ssl_free(&connection->ssl);
        mbedtls_net_free(&connection->net);
    }
    return ok;
}

/* close_notify (as tls_close sends it), then everything freed. */
static void close_connection(struct connection *connection)
{
    if (connection->tls) {
        (void)mbedtls_ssl_close_notify(&connection->ssl);
    }
    mbedtls_ssl_free(&connection->ssl);
    mbedtls_net_free(&connection->net);
}

/* Both return mbedTLS's conventions: a count, MBEDTLS_ERR_SSL_WANT_*, another negative code, or 0 for end of stream. */
static int connection_write(struct connection *connection, const uint8_t *data, size_t length)
{
    return connection->tls ? mbedtls_ssl_write(&connection->ssl, data, length)
                           : mbedtls_net_send(&connection->net, data, length);
}

static int connection_read(struct connection *connection, uint8_t *buffer, size_t length)
{
    return connection->tls ? mbedtls_ssl_read(&connection->ssl, buffer, length)
                           : mbedtls_net_recv(&connection->net, buffer, length);
}

static bool would_block(int rc)
{
    return rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE;
}

/* ---- rows ----------------------------------------------------------------------------------- */

static struct tls_bench_result *begin_row(const char *test, const char *transport)
{
    struct tls_bench_result *row = &results[result_count];
    row->test = test;
    row->transport = transport;
    tls_bench_mark_now(&row->start);
    return row;
}

static void end_row(struct tls_bench_result *row)
{
    tls_bench_mark_now(&row->end);
    result_count++;
}

static bool measure_connects(uint16_t port, bool tls, unsigned count)
{
    struct tls_bench_result *row = begin_row(tls ? "handshake" : "connect", tls ? "tls" : "plain");
    for (unsigned i = 0; i < count; i++) {
        struct connection connection;
        if (!open_connection(&connection, port, tls)) {
            return false;
        }
        close_connection(&connection);
    }
    row->count = count;
    end_row(row);
    return true;
}

/* Waits until the socket can be read, or written when `writing`; false after the I/O timeout. */
static bool wait_ready(const struct connection *connection, bool writing)
{
    struct pollfd watch = {.fd = connection->net.fd, .events = (short)(POLLIN | (writing ? POLLOUT : 0))};
    int n = poll(&watch, 1, IO_TIMEOUT_MS);
    return n > 0 || fail("no progress for %d ms", IO_TIMEOUT_MS);
}

/* Reads all that is there without waiting; false on an error, a wrong byte or the end of the stream. */
static bool drain(struct connection *connection, uint64_t *received, bool *moved)
{
    static uint8_t buffer[TLS_BENCH_CHUNK];
    for (;;) {
        int n = connection_read(connection, buffer, sizeof buffer);
        if (would_block(n)) {
            return true;
        }
        if (n <= 0) {
            return n == 0 ? fail("the server closed after %llu bytes", (unsigned long long)*received)
                          : fail_mbedtls("read", n);
        }
        if (!tls_bench_matches(block, *received, buffer, (size_t)n)) {
            return fail("the echo came back wrong at byte %llu", (unsigned long long)*received);
        }
        *received += (uint64_t)n;
        *moved = true;
    }
}

/* One thread, non-blocking: 16 KB writes interleaved with reading whatever has come back. A second thread reading
 * would need the context locked around every call (mbedTLS contexts are not shared between threads). */
static bool echo_stream(struct connection *connection, uint64_t total, uint64_t *received)
{
    uint64_t sent = 0;
    while (*received < total) {
        bool moved = false;
        if (sent < total) {
            size_t at = (size_t)(sent % TLS_BENCH_CHUNK);
            size_t piece = (size_t)(total - sent < TLS_BENCH_CHUNK - at ? total - sent : TLS_BENCH_CHUNK - at);
            int n = connection_write(connection, block + at, piece);
            if (n > 0) {
                sent += (uint64_t)n;
                moved = true;
            } else if (!would_block(n)) {
                return fail_mbedtls("write", n);
            }
        }
        if (!drain(connection, received, &moved)) {
            return false;
        }
        if (!moved && !wait_ready(connection, sent < total)) {
            return false;
        }
    }
    return true;
}

static bool measure_throughput(uint16_t port, bool tls)
{
    struct connection connection;
    if (!open_connection(&connection, port, tls)) {
        return false;
    }
    int rc = mbedtls_net_set_nonblock(&connection.net);
    if (rc != 0) {
        close_connection(&connection);
        return fail_mbedtls("non-blocking mode", rc);
    }
    uint64_t received = 0;
    struct tls_bench_result *row = begin_row("throughput", tls ? "tls" : "plain");
    bool ok = echo_stream(&connection, (uint64_t)options.megabytes * TLS_BENCH_MEGABYTE, &received);
    row->bytes = received;
    end_row(row);
    (void)mbedtls_net_set_block(&connection.net);
    close_connection(&connection);
    return ok;
}

/* ---- heap and session ----------------------------------------------------------------------- */

static bool echo_in_steps(struct connection *connection, uint32_t total)
{
    static uint8_t buffer[TLS_BENCH_CHUNK];
    for (uint32_t done = 0; done < total; done += TLS_BENCH_CHUNK) {
        if (mbedtls_ssl_write(&connection->ssl, block, TLS_BENCH_CHUNK) != (int)TLS_BENCH_CHUNK) {
            return fail("write failed in the heap echo");
        }
        for (uint32_t got = 0; got < TLS_BENCH_CHUNK;) {
            int n = mbedtls_ssl_read(&connection->ssl, buffer + got, TLS_BENCH_CHUNK - got);
            if (n <= 0) {
                return fail_mbedtls("read in the heap echo", n);
            }
            got += (uint32_t)n;
        }
        if (memcmp(buffer, block, TLS_BENCH_CHUNK) != 0) {
            return fail("the heap echo came back wrong");
        }
    }
    return true;
}

/* The same method and moments as tls_bench.c; the session's names come from the same connection. */
static bool measure_heap_and_session(void)
{
    if (tls_test_heap_in_use() < 0) {
        return fail("this C library's heap cannot be counted");
    }
    struct connection connection;
    const long base = tls_test_heap_in_use();
    tls_test_heap_reset_peak();
    if (!open_connection(&connection, options.tls_port, true)) {
        return false;
    }
    heap.handshake_peak = tls_test_heap_peak() - base;
    heap.session = tls_test_heap_in_use() - base;
    snprintf(version, sizeof version, "%s", mbedtls_ssl_get_version(&connection.ssl));
    snprintf(suite, sizeof suite, "%s", mbedtls_ssl_get_ciphersuite(&connection.ssl));
    tls_test_heap_reset_peak();
    bool echoed = echo_in_steps(&connection, HEAP_ECHO_BYTES);
    heap.session_peak = tls_test_heap_peak() - base;
    close_connection(&connection);
    return echoed;
}

/* ---- the run -------------------------------------------------------------------------------- */

static bool run_all(void)
{
    tls_bench_fill_block(block);
    struct connection warm_up; /* as tls_bench.c: a first handshake outside every row */
    if (!open_connection(&warm_up, options.tls_port, true)) {
        return false;
    }
    close_connection(&warm_up);
    return measure_heap_and_session() && measure_connects(options.tls_port, true, options.handshakes) &&
           measure_throughput(options.tls_port, true) &&
           measure_connects(options.plain_port, false, options.connects) &&
           measure_throughput(options.plain_port, false);
}

static void print_results(void)
{
    char mbedtls[32] = MBEDTLS_VERSION_STRING;
#ifdef MBEDTLS_VERSION_C
    mbedtls_version_get_string(mbedtls);
#endif
    printf("tls_bench impl=%s test=session version=%s suite=%s mbedtls=%s\n", IMPL, version, suite, mbedtls);
    printf("tls_bench impl=%s test=heap handshake_peak=%ld session=%ld session_peak=%ld\n", IMPL, heap.handshake_peak,
           heap.session, heap.session_peak);
    for (size_t i = 0; i < result_count; i++) {
        tls_bench_print_result(IMPL, &results[i]);
    }
}

int main(int argc, char **argv)
{
    if (!tls_bench_parse_options(argc, argv, &options)) {
        return 2;
    }
    if (!client_setup()) {
        client_free();
        return 1;
    }
    bool ok = run_all();
    client_free();
    if (!ok) {
        return 1;
    }
    print_results();
    return 0;
}
