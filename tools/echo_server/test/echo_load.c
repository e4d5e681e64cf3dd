/* echo_load: many concurrent TLS and plain clients, each echoing a pseudo-random stream in random-sized chunks
 * through the echo server and checking every byte; prints the times. It must never pass if a single byte differs,
 * a single client fails, or the server it started does not exit 0 on SIGTERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define MAX_CHUNK 8192u
#define MAX_CLIENTS 4096u
#define MAX_REPORTED_ERRORS 10
#define THREAD_STACK (256u * 1024u)

struct settings {
    unsigned tls_clients;
    unsigned plain_clients;
    size_t bytes;
    const char *certs;
    const char *client_cert;
    unsigned tls_port;
    unsigned plain_port;
    char **command; /* the server to start, or NULL to use tls_port/plain_port */
};

struct client {
    pthread_t thread;
    unsigned index;
    bool tls;
    bool ok;
    const struct settings *settings;
    struct identity identity; /* its own: mbedTLS 2.28 fills an EC key's tables on first use, unlocked */
    pthread_barrier_t *barrier;
    char error[256];
};

static void usage(void)
{
    fputs("usage: echo_load [--clients N] [--plain-clients N] [--bytes N] --certs DIR [--client-cert NAME]\n"
          "                 (-- SERVER_COMMAND... | --tls-port P --plain-port Q)\n"
          "  N TLS clients (default 100, certificate DIR/NAME.crt, default client_ec) and N plain clients\n"
          "  (default 100) connect at once; then each echoes --bytes (default 65536) in chunks of 1 to 8192\n"
          "  bytes and checks every byte. After --, the server command: echo_load starts it with ports 0,\n"
          "  the server_ec certificate from DIR and enough --max-connections, and stops it with SIGTERM.\n"
          "exit status: 0 all bytes echoed and the server exited 0; 1 otherwise; 2 usage\n",
          stderr);
}

static bool parse_count(const char *text, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value > max) {
        fprintf(stderr, "echo_load: '%s' is not a number from 0 to %lu\n", text, max);
        return false;
    }
    *out = value;
    return true;
}

static bool parse_one(struct settings *s, const char *flag, const char *value)
{
    unsigned long number = 0;
    if (strcmp(flag, "--certs") == 0) {
        s->certs = value;
        return true;
    }
    if (strcmp(flag, "--client-cert") == 0) {
        s->client_cert = value;
        return true;
    }
    if (strcmp(flag, "--bytes") == 0) {
        bool ok = parse_count(value, 1ul << 30, &number);
        s->bytes = number;
        return ok;
    }
    unsigned *field = strcmp(flag, "--clients") == 0         ? &s->tls_clients
                      : strcmp(flag, "--plain-clients") == 0 ? &s->plain_clients
                      : strcmp(flag, "--tls-port") == 0      ? &s->tls_port
                      : strcmp(flag, "--plain-port") == 0    ? &s->plain_port
                                                             : NULL;
    if (field == NULL) {
        fprintf(stderr, "echo_load: unknown flag %s\n", flag);
        return false;
    }
    bool ok = parse_count(value, field == &s->tls_clients || field == &s->plain_clients ? MAX_CLIENTS : 65535, &number);
    *field = (unsigned)number;
    return ok;
}

static bool parse_args(int argc, char **argv, struct settings *s)
{
    *s = (struct settings){.tls_clients = 100, .plain_clients = 100, .bytes = 65536, .client_cert = "client_ec"};
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
        if (i + 1 >= argc || !parse_one(s, argv[i], argv[i + 1])) {
            return false;
        }
    }
    s->command = i + 1 < argc ? &argv[i + 1] : NULL;
    if (s->command == NULL && (s->tls_port == 0 || s->plain_port == 0)) {
        fprintf(stderr, "echo_load: give a server command after --, or --tls-port and --plain-port\n");
        return false;
    }
    if (s->certs == NULL) {
        fprintf(stderr, "echo_load: --certs DIR is required\n");
        return false;
    }
    return s->tls_clients + s->plain_clients > 0;
}

static bool echo_stream(struct client *c, struct stream *stream)
{
    uint64_t data_state = 0x5eed0000u + c->index * 2u + c->tls;
    uint64_t size_state = data_state ^ 0xa5a5a5a5a5a5a5a5u;
    uint8_t chunk[MAX_CHUNK];
    char why[200];
    for (size_t done = 0; done < c->settings->bytes;) {
        size_t size = 1 + (size_t)(test_random(&size_state) % MAX_CHUNK);
        size = size < c->settings->bytes - done ? size : c->settings->bytes - done;
        test_fill(&data_state, chunk, size);
        if (!stream_echo(stream, chunk, size, why, sizeof why)) {
            snprintf(c->error, sizeof c->error, "after %zu bytes: %s", done, why);
            return false;
        }
        done += size;
    }
    return true;
}

static bool open_client(struct client *c, struct stream *stream)
{
    char text[200];
    if (!c->tls) {
        if (!stream_open_plain(stream, c->settings->plain_port)) {
            snprintf(c->error, sizeof c->error, "connect failed: %s", strerror(errno));
            return false;
        }
        return true;
    }
    if (!identity_load(&c->identity, c->settings->certs, c->settings->client_cert)) {
        snprintf(c->error, sizeof c->error, "cannot load the client certificate %s", c->settings->client_cert);
        return false;
    }
    int ret = stream_open_tls(stream, &c->identity, c->settings->tls_port, NULL);
    if (ret != 0) {
        snprintf(c->error, sizeof c->error, "TLS handshake failed: %s", tls_error_text(ret, text, sizeof text));
        return false;
    }
    return true;
}

static void *client_main(void *argument)
{
    struct client *c = argument;
    struct stream stream;
    bool opened = open_client(c, &stream);
    /* Every client is connected before any echoes: the server really holds all of them at once. */
    pthread_barrier_wait(c->barrier);
    c->ok = opened && echo_stream(c, &stream);
    stream_close(&stream, c->ok);
    if (c->tls) {
        identity_free(&c->identity);
    }
    return NULL;
}

static bool start_server(struct settings *s, struct server_proc *server)
{
    static char paths[3][4096];
    static char max_connections[16];
    snprintf(paths[0], sizeof paths[0], "%s/ca.crt", s->certs);
    snprintf(paths[1], sizeof paths[1], "%s/server_ec.crt", s->certs);
    snprintf(paths[2], sizeof paths[2], "%s/server_ec.key", s->certs);
    snprintf(max_connections, sizeof max_connections, "%u", s->tls_clients + s->plain_clients + 16);
    const char *extra[] = {"--tls-port",
                           "0",
                           "--plain-port",
                           "0",
                           "--ca",
                           paths[0],
                           "--cert",
                           paths[1],
                           "--key",
                           paths[2],
                           "--max-connections",
                           max_connections,
                           NULL};
    if (!server_start(server, s->command, extra, 60)) {
        return false;
    }
    s->tls_port = server->tls_port;
    s->plain_port = server->plain_port;
    return true;
}

static unsigned run_clients(const struct settings *s, struct client *clients, double *handshake_s, double *echo_s)
{
    unsigned total = s->tls_clients + s->plain_clients;
    unsigned started = 0;
    pthread_barrier_t barrier;
    pthread_attr_t attr;
    pthread_barrier_init(&barrier, NULL, total + 1);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK);
    double t0 = seconds_now();
    for (; started < total; started++) {
        clients[started] =
            (struct client){.index = started, .tls = started < s->tls_clients, .settings = s, .barrier = &barrier};
        if (pthread_create(&clients[started].thread, &attr, client_main, &clients[started]) != 0) {
            fprintf(stderr, "echo_load: cannot start client thread %u\n", started);
            abort(); /* the barrier would wait for it forever */
        }
    }
    pthread_barrier_wait(&barrier);
    double t1 = seconds_now();
    for (unsigned i = 0; i < total; i++) {
        pthread_join(clients[i].thread, NULL);
    }
    *handshake_s = t1 - t0;
    *echo_s = seconds_now() - t1;
    pthread_attr_destroy(&attr);
    pthread_barrier_destroy(&barrier);
    unsigned failed = 0;
    for (unsigned i = 0; i < total; i++) {
        if (!clients[i].ok && failed++ < MAX_REPORTED_ERRORS) {
            fprintf(stderr, "echo_load: %s client %u: %s\n", clients[i].tls ? "TLS" : "plain", i, clients[i].error);
        }
    }
    return failed;
}

static void report(const struct settings *s, double handshake_s, double echo_s)
{
    double megabytes = (double)s->bytes * (s->tls_clients + s->plain_clients) / 1e6;
    printf("echo_load: %u TLS clients (%s) + %u plain clients, %zu bytes each, chunks of 1 to %u bytes\n",
           s->tls_clients, s->client_cert, s->plain_clients, s->bytes, MAX_CHUNK);
    printf("echo_load: connect + handshake %.3f s, echo %.3f s (%.1f MB each way, %.1f MB/s), total %.3f s\n",
           handshake_s, echo_s, megabytes, echo_s > 0 ? megabytes / echo_s : 0.0, handshake_s + echo_s);
}

int main(int argc, char **argv)
{
    struct settings s;
    struct server_proc server = {.pid = -1};
    struct identity identity;
    if (!parse_args(argc, argv, &s)) {
        usage();
        return 2;
    }
    /* Once here, so that unusable certificates stop the run before a server starts. */
    bool usable = identity_load(&identity, s.certs, s.client_cert);
    identity_free(&identity);
    if (!usable || (s.command != NULL && !start_server(&s, &server))) {
        return 1;
    }
    struct client *clients = calloc(s.tls_clients + s.plain_clients, sizeof *clients);
    double handshake_s = 0;
    double echo_s = 0;
    unsigned failed = clients != NULL ? run_clients(&s, clients, &handshake_s, &echo_s) : 1;
    report(&s, handshake_s, echo_s);
    int status = 0;
    if (server.pid > 0) {
        printf("echo_load: server peak RSS %ld KiB, now %ld KiB\n", process_status_kb(server.pid, "VmHWM"),
               process_status_kb(server.pid, "VmRSS"));
        status = server_stop(&server, 60);
        printf("echo_load: server exit status %d\n", status);
    }
    printf("echo_load: %s (%u of %u clients failed)\n", failed == 0 && status == 0 ? "OK" : "FAIL", failed,
           s.tls_clients + s.plain_clients);
    free(clients);
    return failed == 0 && status == 0 ? 0 : 1;
}
