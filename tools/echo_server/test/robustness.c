/* echo_robustness: runs the echo server against hostile and broken clients (vanishing, garbage, silent, flooding,
 * too many, wrong certificates) and checks it stays bounded, keeps serving, and exits 0 on SIGTERM.
 * It must never call a check passed on a timeout it did not measure: every wait has a limit and a reason. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support.h"

#define IDLE_TIMEOUT_S 2
#define MAIN_MAX_CONNECTIONS "16"
#define VANISHERS_PER_KIND 20
#define FLOODERS_PER_KIND 2
#define FLOOD_SECONDS 1.5
#define FLOOD_CHUNK 65536
/* The server's RSS may grow this much while flooded: its fixed buffers are 4 KB per connection, plus
 * mbedTLS's record buffers (about 33 KB per TLS connection). Unbounded buffering would pass it in milliseconds. */
#define FLOOD_RSS_GROWTH_LIMIT_KB 4096L
#define PATH_SIZE 4096

struct context {
    char **command;
    const char *certs;
    struct identity ec, rsa, untrusted, expired, none, tls11;
    struct server_proc main;
    struct server_proc any;
    unsigned checks;
    unsigned failures;
};

typedef bool (*check_fn)(struct context *ctx, char *why, size_t size);

static bool fail(char *why, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));

static bool fail(char *why, size_t size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(why, size, format, args);
    va_end(args);
    return false;
}

static const char *cert_path(const struct context *ctx, const char *file, char *path)
{
    snprintf(path, PATH_SIZE, "%s/%s", ctx->certs, file);
    return path;
}

/* A server with ports 0, the CA, DIR/<cert>.crt/.key, a short idle timeout, and more flags (NULL-terminated). */
static bool start_server(struct context *ctx, struct server_proc *server, const char *cert, const char *const *more)
{
    char ca[PATH_SIZE], crt[PATH_SIZE], key[PATH_SIZE], file[256];
    const char *extra[32] = {"--tls-port",     "0", "--plain-port", "0",
                             "--idle-timeout", "2", "--ca",         cert_path(ctx, "ca.crt", ca)};
    size_t n = 8;
    snprintf(file, sizeof file, "%s.crt", cert);
    extra[n++] = "--cert";
    extra[n++] = cert_path(ctx, file, crt);
    snprintf(file, sizeof file, "%s.key", cert);
    extra[n++] = "--key";
    extra[n++] = cert_path(ctx, file, key);
    for (size_t i = 0; more != NULL && more[i] != NULL && n + 1 < 32; i++) {
        extra[n++] = more[i];
    }
    extra[n] = NULL;
    return server_start(server, ctx->command, extra, 30);
}

static bool stop_server(struct server_proc *server, const char *name, char *why, size_t size)
{
    int status = server_stop(server, 10);
    return status == 0 || fail(why, size, "%s server: exit status %d after SIGTERM, not 0", name, status);
}

/* A TLS client that must complete the handshake and echo 4 KB. */
static bool tls_echo(struct identity *identity, unsigned port, const char *who, char *why, size_t size)
{
    uint8_t data[4096];
    uint64_t seed = port;
    char text[200];
    struct stream stream;
    test_fill(&seed, data, sizeof data);
    int ret = stream_open_tls(&stream, identity, port, NULL);
    bool ok = ret == 0 && stream_echo(&stream, data, sizeof data, text, sizeof text);
    if (!ok) {
        fail(why, size, "%s: %s", who, ret != 0 ? tls_error_text(ret, text, sizeof text) : text);
    }
    stream_close(&stream, ok);
    return ok;
}

static bool plain_echo(unsigned port, size_t length, char *why, size_t size)
{
    uint64_t seed = length;
    uint8_t *data = malloc(length);
    char text[200] = "out of memory";
    struct stream stream;
    bool ok = data != NULL && stream_open_plain(&stream, port);
    if (ok) {
        test_fill(&seed, data, length);
        ok = stream_echo(&stream, data, length, text, sizeof text);
        stream_close(&stream, false);
    } else if (data != NULL) {
        snprintf(text, sizeof text, "connect failed: %s", strerror(errno));
    }
    free(data);
    return ok || fail(why, size, "plain client: %s", text);
}

/* A TLS client whose handshake must fail. */
static bool tls_refused(struct identity *identity, unsigned port, const char *who, char *why, size_t size)
{
    struct stream stream;
    int ret = stream_open_tls(&stream, identity, port, NULL);
    stream_close(&stream, false);
    return ret != 0 || fail(why, size, "%s: the handshake succeeded; it must fail", who);
}

static void send_all(int fd, const uint8_t *data, size_t length)
{
    for (size_t done = 0; done < length;) {
        ssize_t n = send(fd, data + done, length - done, MSG_NOSIGNAL);
        if (n <= 0) {
            return;
        }
        done += (size_t)n;
    }
}

/* Closes with a reset, the way a client that crashes or loses its network looks to the server. */
static void vanish(int fd)
{
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    close(fd);
}

/* ---- the checks ---- */

static bool check_basic_echo(struct context *ctx, char *why, size_t size)
{
    return plain_echo(ctx->main.plain_port, 10000, why, size) &&
           tls_echo(&ctx->ec, ctx->main.tls_port, "EC client", why, size) &&
           tls_echo(&ctx->rsa, ctx->main.tls_port, "RSA client", why, size);
}

static bool check_client_certificates(struct context *ctx, char *why, size_t size)
{
    struct identity *bad[] = {&ctx->untrusted, &ctx->expired, &ctx->none};
    const char *names[] = {"untrusted client certificate", "expired client certificate", "no client certificate"};
    for (size_t i = 0; i < 3; i++) {
        char who[128];
        snprintf(who, sizeof who, "%s, --verify-client", names[i]);
        if (!tls_refused(bad[i], ctx->main.tls_port, who, why, size)) {
            return false;
        }
        snprintf(who, sizeof who, "%s, --any-client-cert", names[i]);
        if (!tls_echo(bad[i], ctx->any.tls_port, who, why, size)) {
            return false;
        }
    }
    return true;
}

static bool check_tls11_refused(struct context *ctx, char *why, size_t size)
{
    return tls_refused(&ctx->tls11, ctx->main.tls_port, "a client limited to TLS 1.1", why, size);
}

static bool server_cert_case(struct context *ctx, const char *cert, uint32_t expect_flag, char *why, size_t size)
{
    struct server_proc server;
    if (!start_server(ctx, &server, cert, NULL)) {
        return fail(why, size, "the %s server did not start", cert);
    }
    struct stream stream;
    uint32_t flags = 0;
    int ret = stream_open_tls(&stream, &ctx->ec, server.tls_port, &flags);
    bool ok = expect_flag == 0 ? ret == 0 : ret != 0 && (flags & expect_flag) != 0;
    if (ok && expect_flag == 0 && strstr(mbedtls_ssl_get_ciphersuite(&stream.ssl), "RSA") == NULL) {
        ok = fail(why, size, "%s: ciphersuite %s does not use the RSA key", cert,
                  mbedtls_ssl_get_ciphersuite(&stream.ssl));
    } else if (!ok) {
        fail(why, size, "%s: handshake returned -0x%04x with verify flags 0x%08x", cert, (unsigned)-ret,
             (unsigned)flags);
    }
    stream_close(&stream, ok && expect_flag == 0);
    return stop_server(&server, cert, why, size) && ok;
}

static bool check_server_certificates(struct context *ctx, char *why, size_t size)
{
    return server_cert_case(ctx, "server_rsa", 0, why, size) &&
           server_cert_case(ctx, "server_expired", MBEDTLS_X509_BADCERT_EXPIRED, why, size) &&
           server_cert_case(ctx, "server_wronghost", MBEDTLS_X509_BADCERT_CN_MISMATCH, why, size);
}

static bool check_garbage(struct context *ctx, char *why, size_t size)
{
    static const char http[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    uint8_t noise[300];
    uint64_t seed = 7;
    test_fill(&seed, noise, sizeof noise);
    noise[0] = 0xff;
    uint8_t record[5 + 64] = {0x16, 0x03, 0x01, 0x00, 64}; /* a handshake record with a nonsense message */
    test_fill(&seed, record + 5, 64);
    const uint8_t *cases[] = {(const uint8_t *)http, noise, record};
    const size_t lengths[] = {sizeof http - 1, sizeof noise, sizeof record};
    for (size_t i = 0; i < 3; i++) {
        struct stream stream;
        if (!stream_open_plain(&stream, ctx->main.tls_port)) {
            return fail(why, size, "connect failed: %s", strerror(errno));
        }
        send_all(stream.net.fd, cases[i], lengths[i]);
        /* Well inside the idle timeout: the server must drop it for the garbage, not for the silence after. */
        bool closed = stream_wait_closed(&stream, 1);
        stream_close(&stream, false);
        if (!closed) {
            return fail(why, size, "garbage case %zu: the connection was still open after 1 s", i + 1);
        }
    }
    return plain_echo(ctx->main.plain_port, 1000, why, size);
}

/* The client's first flight, as mbedTLS would send it, captured without a network. */
struct capture {
    uint8_t data[2048];
    size_t length;
};

static int capture_send(void *context, const unsigned char *data, size_t length)
{
    struct capture *capture = context;
    length = length < sizeof capture->data - capture->length ? length : sizeof capture->data - capture->length;
    memcpy(capture->data + capture->length, data, length);
    capture->length += length;
    return (int)length;
}

static int capture_recv(void *context, unsigned char *data, size_t length)
{
    (void)context;
    (void)data;
    (void)length;
    return MBEDTLS_ERR_SSL_WANT_READ;
}

static bool capture_client_hello(struct context *ctx, struct capture *capture)
{
    mbedtls_ssl_context ssl;
    mbedtls_ssl_init(&ssl);
    capture->length = 0;
    bool ok = mbedtls_ssl_setup(&ssl, &ctx->ec.conf) == 0 && mbedtls_ssl_set_hostname(&ssl, "localhost") == 0;
    if (ok) {
        mbedtls_ssl_set_bio(&ssl, capture, capture_send, capture_recv, NULL);
        ok = mbedtls_ssl_handshake(&ssl) == MBEDTLS_ERR_SSL_WANT_READ && capture->length > 10;
    }
    mbedtls_ssl_free(&ssl);
    return ok;
}

static bool vanish_once(unsigned port, int i, const struct capture *hello, char *why, size_t size)
{
    int fd = tcp_connect(port, 5);
    if (fd < 0) {
        return fail(why, size, "vanisher %d: connect failed: %s", i, strerror(errno));
    }
    int kind = i / VANISHERS_PER_KIND;
    if (kind == 0) { /* half a ClientHello, then gone */
        send_all(fd, hello->data, hello->length / 2);
        vanish(fd);
    } else if (kind == 1) { /* a whole ClientHello, the start of the server's answer, then gone */
        uint8_t answer[1];
        send_all(fd, hello->data, hello->length);
        bool answered = recv(fd, answer, sizeof answer, 0) == 1;
        vanish(fd);
        if (!answered) {
            return fail(why, size, "vanisher %d: the server did not answer a ClientHello", i);
        }
    } else { /* connected, then an orderly close before saying anything */
        close(fd);
    }
    return true;
}

/* The server's descriptors come back to what they were once it has dropped every vanished client. Its idle
 * timeout here is long, so only noticing the vanishing can explain it. */
static bool wait_fds_back(pid_t pid, long baseline, char *why, size_t size)
{
    long now = -1;
    for (double end = seconds_now() + 5; seconds_now() < end; usleep(20000)) {
        now = process_fd_count(pid);
        if (now == baseline) {
            return true;
        }
    }
    return fail(why, size, "the server still has %ld descriptors open after 5 s, not %ld: vanished clients kept", now,
                baseline);
}

static bool check_vanish_mid_handshake(struct context *ctx, char *why, size_t size)
{
    const char *more[] = {"--idle-timeout", "60", NULL};
    struct capture hello;
    struct server_proc server;
    if (!capture_client_hello(ctx, &hello)) {
        return fail(why, size, "could not make a ClientHello");
    }
    if (!start_server(ctx, &server, "server_ec", more)) {
        return fail(why, size, "the --idle-timeout 60 server did not start");
    }
    long baseline = process_fd_count(server.pid);
    bool ok = baseline > 0 || fail(why, size, "cannot count the server's descriptors");
    for (int i = 0; ok && i < 3 * VANISHERS_PER_KIND; i++) {
        ok = vanish_once(server.tls_port, i, &hello, why, size);
    }
    ok = ok && wait_fds_back(server.pid, baseline, why, size) &&
         tls_echo(&ctx->ec, server.tls_port, "a normal client after the vanishers", why, size);
    return stop_server(&server, "--idle-timeout 60", why, size) && ok;
}

static bool check_max_connections(struct context *ctx, char *why, size_t size)
{
    const char *more[] = {"--max-connections", "3", NULL};
    struct server_proc server;
    struct stream held[3];
    for (int i = 0; i < 3; i++) {
        stream_init(&held[i]);
    }
    uint8_t data[100] = {1, 2, 3};
    char text[200] = "";
    if (!start_server(ctx, &server, "server_ec", more)) {
        return fail(why, size, "the --max-connections 3 server did not start");
    }
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) {
        ok = stream_open_plain(&held[i], server.plain_port) &&
             stream_echo(&held[i], data, sizeof data, text, sizeof text);
        ok = ok || fail(why, size, "connection %d of 3: %s", i + 1, text);
    }
    if (ok) {
        struct stream extra;
        ok = stream_open_plain(&extra, server.plain_port) && stream_wait_closed(&extra, 1);
        stream_close(&extra, false);
        ok = (ok || fail(why, size, "a 4th plain connection was not closed within 1 s")) &&
             tls_refused(&ctx->ec, server.tls_port, "a 4th connection, TLS", why, size);
    }
    for (int i = 0; i < 3; i++) {
        stream_close(&held[i], false);
    }
    usleep(200000);
    ok = ok && plain_echo(server.plain_port, 1000, why, size);
    return stop_server(&server, "--max-connections 3", why, size) && ok;
}

/* A plain connection, a TLS connection that never sends its ClientHello, and an established TLS session
 * that goes quiet: all three must be closed after the idle timeout, not before. */
static bool check_idle_timeout(struct context *ctx, char *why, size_t size)
{
    struct stream streams[3];
    for (int i = 0; i < 3; i++) {
        stream_init(&streams[i]);
    }
    const char *names[] = {"silent plain client", "silent client on the TLS port", "quiet TLS session"};
    double started = seconds_now();
    bool ok = stream_open_plain(&streams[0], ctx->main.plain_port) &&
              stream_open_plain(&streams[1], ctx->main.tls_port) &&
              stream_open_tls(&streams[2], &ctx->ec, ctx->main.tls_port, NULL) == 0;
    for (int i = 0; i < 3 && ok; i++) {
        bool closed = stream_wait_closed(&streams[i], IDLE_TIMEOUT_S + 3);
        double after = seconds_now() - started;
        if (!closed || after < IDLE_TIMEOUT_S - 0.3) {
            ok = fail(why, size, "%s: %s after %.2f s (idle timeout %d s)", names[i],
                      closed ? "closed too early" : "still open", after, IDLE_TIMEOUT_S);
        } else {
            printf("  %s closed after %.2f s\n", names[i], after);
        }
    }
    for (int i = 0; i < 3; i++) {
        stream_close(&streams[i], false);
    }
    return ok || why[0] != '\0' || fail(why, size, "could not open the three connections");
}

struct flooder {
    struct stream stream;
    uint64_t sent;
};

/* Writes until the socket is full; the flooder never reads. Returns whether anything went out. */
static bool flood_push(struct flooder *f, const uint8_t *data)
{
    bool moved = false;
    for (int i = 0; i < 64; i++) {
        int n = f->stream.tls ? mbedtls_ssl_write(&f->stream.ssl, data, FLOOD_CHUNK)
                              : (int)send(f->stream.net.fd, data, FLOOD_CHUNK, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0) {
            break;
        }
        f->sent += (uint64_t)n;
        moved = true;
    }
    return moved;
}

static bool flood_run(struct context *ctx, struct flooder *floods, int count, long *baseline, long *peak)
{
    static uint8_t data[FLOOD_CHUNK];
    uint64_t seed = 99;
    test_fill(&seed, data, sizeof data);
    *baseline = *peak = process_status_kb(ctx->main.pid, "VmRSS");
    double end = seconds_now() + FLOOD_SECONDS;
    while (seconds_now() < end) {
        bool moved = false;
        for (int i = 0; i < count; i++) {
            moved |= flood_push(&floods[i], data);
        }
        long rss = process_status_kb(ctx->main.pid, "VmRSS");
        *peak = rss > *peak ? rss : *peak;
        if (!moved) {
            usleep(5000);
        }
    }
    return *baseline > 0;
}

/* The server can only end a stuck flooder by the idle timeout: nothing moves once its buffers are full. */
static bool flood_wait_closed(struct flooder *floods, int count, char *why, size_t size)
{
    double deadline = seconds_now() + IDLE_TIMEOUT_S + 3;
    for (int i = 0; i < count; i++) {
        struct pollfd poll_fd = {.fd = floods[i].stream.net.fd, .events = POLLRDHUP};
        int left_ms = (int)((deadline - seconds_now()) * 1000);
        if (left_ms < 0 || poll(&poll_fd, 1, left_ms) != 1) {
            return fail(why, size, "flooder %d was not closed within the idle timeout + 3 s", i);
        }
    }
    return true;
}

static bool check_flood(struct context *ctx, char *why, size_t size)
{
    struct flooder floods[2 * FLOODERS_PER_KIND];
    for (int i = 0; i < 2 * FLOODERS_PER_KIND; i++) {
        stream_init(&floods[i].stream);
        floods[i].sent = 0;
    }
    int count = 0;
    long baseline = 0;
    long peak = 0;
    for (; count < 2 * FLOODERS_PER_KIND; count++) {
        struct stream *s = &floods[count].stream;
        bool tls = count >= FLOODERS_PER_KIND;
        if (tls ? stream_open_tls(s, &ctx->ec, ctx->main.tls_port, NULL) != 0
                : !stream_open_plain(s, ctx->main.plain_port)) {
            stream_close(s, false);
            break;
        }
        mbedtls_net_set_nonblock(&s->net);
    }
    bool ok = count == 2 * FLOODERS_PER_KIND || fail(why, size, "flooder %d could not connect", count);
    ok = ok && (flood_run(ctx, floods, count, &baseline, &peak) || fail(why, size, "cannot read VmRSS"));
    uint64_t sent = 0;
    for (int i = 0; i < count; i++) {
        sent += floods[i].sent;
    }
    printf("  %d flooders sent %.1f MB in %.1f s, never reading; server VmRSS %ld KiB before, peak %ld KiB\n", count,
           (double)sent / 1e6, FLOOD_SECONDS, baseline, peak);
    ok =
        ok && (peak - baseline <= FLOOD_RSS_GROWTH_LIMIT_KB ||
               fail(why, size, "server VmRSS grew by %ld KiB (limit %ld)", peak - baseline, FLOOD_RSS_GROWTH_LIMIT_KB));
    ok = ok && (sent > 4u * 1000000u || fail(why, size, "only %llu bytes flooded", (unsigned long long)sent));
    ok = ok && flood_wait_closed(floods, count, why, size);
    for (int i = 0; i < count; i++) {
        stream_close(&floods[i].stream, false);
    }
    return ok;
}

static bool write_config(struct context *ctx, char *path)
{
    char ca[PATH_SIZE], crt[PATH_SIZE], key[PATH_SIZE];
    snprintf(path, PATH_SIZE, "%s/echo_robustness_XXXXXX", getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    FILE *file = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (file == NULL) {
        return false;
    }
    fprintf(file,
            "# echo_robustness: a config file; the command line overrides max-connections\n"
            "tls-port = 0\nplain-port = 0\n  bind = 127.0.0.1  \nca = %s\ncert = %s\nkey = %s\n"
            "verify-client = yes\nidle-timeout = 5\nmax-connections = 1\nverbose = yes\n",
            cert_path(ctx, "ca.crt", ca), cert_path(ctx, "server_ec.crt", crt), cert_path(ctx, "server_ec.key", key));
    return fclose(file) == 0;
}

static bool check_config_file(struct context *ctx, char *why, size_t size)
{
    char path[PATH_SIZE];
    if (!write_config(ctx, path)) {
        return fail(why, size, "cannot write a config file: %s", strerror(errno));
    }
    const char *extra[] = {"--config", path, "--max-connections", "4", NULL};
    struct server_proc server;
    bool ok = server_start(&server, ctx->command, extra, 30);
    unlink(path);
    if (!ok) {
        return fail(why, size, "the server did not start from the config file");
    }
    struct stream first;
    ok = stream_open_plain(&first, server.plain_port);
    /* A second connection at once: max-connections 1 in the file must have lost to --max-connections 4. */
    ok = ok && plain_echo(server.plain_port, 500, why, size) &&
         tls_echo(&ctx->ec, server.tls_port, "TLS client", why, size);
    stream_close(&first, false);
    return stop_server(&server, "config file", why, size) && ok;
}

static bool check_bad_options(struct context *ctx, char *why, size_t size)
{
    char ca[PATH_SIZE], crt[PATH_SIZE], key[PATH_SIZE], rsa_key[PATH_SIZE];
    cert_path(ctx, "ca.crt", ca);
    cert_path(ctx, "server_ec.crt", crt);
    cert_path(ctx, "server_ec.key", key);
    cert_path(ctx, "server_rsa.key", rsa_key);
    const char *cases[][10] = {
        {"--bogus", NULL},
        {"--tls-port", "70000", "--ca", ca, "--cert", crt, "--key", key, NULL},
        {"--idle-timeout", "soon", "--ca", ca, "--cert", crt, "--key", key, NULL},
        {"--bind", "localhost", "--ca", ca, "--cert", crt, "--key", key, NULL},
        {"--cert", "/nonexistent/server.crt", "--key", key, "--ca", ca, NULL},
        {"--cert", crt, "--key", rsa_key, "--ca", ca, NULL},
        {"--cert", crt, "--key", key, NULL},
        {"--cert", crt, "--key", key, "--ca", key, NULL},
        {"--config", "/nonexistent/echo.conf", NULL},
        {"--verbose=yes", "--ca", ca, "--cert", crt, "--key", key, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = run_to_end(ctx->command, cases[i], 30);
        if (status != 2) {
            return fail(why, size, "case %zu (%s %s): exit status %d, not 2", i + 1, cases[i][0],
                        cases[i][1] != NULL ? cases[i][1] : "", status);
        }
    }
    return true;
}

static bool check_still_serving(struct context *ctx, char *why, size_t size)
{
    uint8_t data[65536];
    uint64_t seed = 1234;
    char text[200];
    struct stream stream;
    test_fill(&seed, data, sizeof data);
    int ret = stream_open_tls(&stream, &ctx->ec, ctx->main.tls_port, NULL);
    bool ok = ret == 0 && stream_echo(&stream, data, sizeof data, text, sizeof text);
    stream_close(&stream, ok);
    if (!ok) {
        return fail(why, size, "TLS client, 64 KB: %s", ret != 0 ? tls_error_text(ret, text, sizeof text) : text);
    }
    return plain_echo(ctx->main.plain_port, sizeof data, why, size);
}

/* SIGTERM with a plain and a TLS connection open: exit 0, and the TLS client gets a close_notify. */
static bool check_sigterm(struct context *ctx, char *why, size_t size)
{
    struct stream plain;
    struct stream tls;
    stream_init(&plain);
    stream_init(&tls);
    uint8_t byte = 42;
    char text[200] = "";
    bool ok = stream_open_plain(&plain, ctx->main.plain_port) &&
              stream_open_tls(&tls, &ctx->ec, ctx->main.tls_port, NULL) == 0 &&
              stream_echo(&tls, &byte, 1, text, sizeof text);
    ok = ok || fail(why, size, "could not open the two connections: %s", text);
    ok = stop_server(&ctx->main, "main", why, size) && ok;
    int ret = ok ? mbedtls_ssl_read(&tls.ssl, &byte, 1) : 0;
    ok = ok && (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
                fail(why, size, "the TLS client read -0x%04x, not close_notify", (unsigned)-ret));
    stream_close(&plain, false);
    stream_close(&tls, false);
    return stop_server(&ctx->any, "--any-client-cert", why, size) && ok;
}

/* ---- the run ---- */

static void run_check(struct context *ctx, const char *name, check_fn check)
{
    char why[512] = "";
    double started = seconds_now();
    bool ok = check(ctx, why, sizeof why);
    printf("%s %s (%.2f s)%s%s\n", ok ? "PASS" : "FAIL", name, seconds_now() - started, ok ? "" : ": ", ok ? "" : why);
    fflush(stdout);
    ctx->checks++;
    ctx->failures += !ok;
}

static bool load_identities(struct context *ctx)
{
    /* Every identity is loaded (each one reports its own failure), then the results are combined. */
    bool ok = identity_load(&ctx->ec, ctx->certs, "client_ec");
    ok = identity_load(&ctx->rsa, ctx->certs, "client_rsa") && ok;
    ok = identity_load(&ctx->untrusted, ctx->certs, "client_untrusted") && ok;
    ok = identity_load(&ctx->expired, ctx->certs, "server_expired") && ok;
    ok = identity_load(&ctx->none, ctx->certs, NULL) && ok;
    ok = identity_load(&ctx->tls11, ctx->certs, "client_ec") && ok;
    mbedtls_ssl_conf_max_version(&ctx->tls11.conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_2);
    return ok;
}

static void free_identities(struct context *ctx)
{
    struct identity *all[] = {&ctx->ec, &ctx->rsa, &ctx->untrusted, &ctx->expired, &ctx->none, &ctx->tls11};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        identity_free(all[i]);
    }
}

static bool start_servers(struct context *ctx)
{
    const char *main_more[] = {"--max-connections", MAIN_MAX_CONNECTIONS, NULL};
    const char *any_more[] = {"--any-client-cert", NULL};
    if (!start_server(ctx, &ctx->main, "server_ec", main_more)) {
        return false;
    }
    if (!start_server(ctx, &ctx->any, "server_ec", any_more)) {
        server_stop(&ctx->main, 10);
        return false;
    }
    return true;
}

static void run_checks(struct context *ctx)
{
    run_check(ctx, "plain and TLS (EC, RSA client) echo", check_basic_echo);
    run_check(ctx, "untrusted/expired/no client certificate: refused, accepted with --any-client-cert",
              check_client_certificates);
    run_check(ctx, "TLS 1.1 client refused", check_tls11_refused);
    run_check(ctx, "server certificates: RSA works, expired and wrong host rejected by the client",
              check_server_certificates);
    run_check(ctx, "garbage on the TLS port closed at once", check_garbage);
    run_check(ctx, "clients vanishing mid-handshake cleaned up", check_vanish_mid_handshake);
    run_check(ctx, "connections beyond --max-connections refused cleanly", check_max_connections);
    run_check(ctx, "silent connections closed after the idle timeout", check_idle_timeout);
    run_check(ctx, "flood without reading: memory bounded, flooders timed out", check_flood);
    run_check(ctx, "config file, overridden by flags", check_config_file);
    run_check(ctx, "bad flags and unusable files: exit status 2", check_bad_options);
    run_check(ctx, "a normal client still works after all that", check_still_serving);
    run_check(ctx, "SIGTERM with open connections: close_notify, exit 0", check_sigterm);
}

int main(int argc, char **argv)
{
    struct context ctx = {0};
    if (argc < 5 || strcmp(argv[1], "--certs") != 0 || strcmp(argv[3], "--") != 0) {
        fputs("usage: echo_robustness --certs DIR -- SERVER_COMMAND...\n", stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    ctx.certs = argv[2];
    ctx.command = &argv[4];
    if (!load_identities(&ctx) || !start_servers(&ctx)) {
        fputs("echo_robustness: FAIL (could not set up)\n", stdout);
        free_identities(&ctx);
        return 1;
    }
    run_checks(&ctx);
    if (ctx.main.pid > 0) {
        server_stop(&ctx.main, 10);
    }
    if (ctx.any.pid > 0) {
        server_stop(&ctx.any, 10);
    }
    free_identities(&ctx);
    printf("echo_robustness: %s (%u checks, %u failed)\n", ctx.failures == 0 ? "OK" : "FAIL", ctx.checks, ctx.failures);
    return ctx.failures == 0 ? 0 : 1;
}
