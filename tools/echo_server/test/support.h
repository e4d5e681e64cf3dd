/* Echo server test support: starts a server and reads its ready line, stops it, and opens plain and TLS client
 * connections (blocking, with timeouts) that check echoed bytes. It must never leave a started server running. */
#ifndef ECHO_TEST_SUPPORT_H
#define ECHO_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

/* Seconds a client waits for one read or write before it calls the server stuck. */
#define TEST_IO_TIMEOUT_S 20

struct server_proc {
    pid_t pid;
    int out_fd; /* the server's stdout, after its ready line */
    unsigned tls_port;
    unsigned plain_port;
};

/* Runs command (NULL-terminated) followed by extra (NULL-terminated, may be NULL) and waits up to timeout_s
 * for "echo_server ready tls=N plain=M". On failure the process is gone and the reason was printed. */
bool server_start(struct server_proc *server, char *const *command, const char *const *extra, unsigned timeout_s);

/* SIGTERM, then waits up to timeout_s (then SIGKILL). Returns the exit status, 128+N if signal N ended it. */
int server_stop(struct server_proc *server, unsigned timeout_s);

/* Runs command + extra to its end (at most timeout_s) with stdout discarded; returns its exit status. */
int run_to_end(char *const *command, const char *const *extra, unsigned timeout_s);

/* A line of /proc/<pid>/status ("VmRSS", "VmHWM") in KiB, or -1. */
long process_status_kb(pid_t pid, const char *field);

/* How many file descriptors the process has open, or -1. */
long process_fd_count(pid_t pid);

double seconds_now(void);

/* A blocking TCP connection to 127.0.0.1:port whose reads and writes time out after timeout_s; -1 on error. */
int tcp_connect(unsigned port, unsigned timeout_s);

/* A client configuration: trusts <certs>/ca.crt, checks the server's name is "localhost", and presents
 * <certs>/<client>.crt/.key (client NULL: no certificate). */
struct identity {
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    mbedtls_x509_crt cert;
    mbedtls_pk_context key;
};

bool identity_load(struct identity *identity, const char *certs, const char *client);
void identity_free(struct identity *identity);

/* One connection: TLS when ssl is set up, plain otherwise. */
struct stream {
    mbedtls_net_context net;
    mbedtls_ssl_context ssl;
    bool tls;
};

/* An unopened stream that stream_close accepts; the open functions start with it. */
void stream_init(struct stream *stream);

/* Connects and completes the handshake. Returns 0, or the mbedTLS error; *flags (may be NULL) gets the
 * server certificate's verification flags. The stream must be closed with stream_close in any case. */
int stream_open_tls(struct stream *stream, struct identity *identity, unsigned port, uint32_t *flags);
bool stream_open_plain(struct stream *stream, unsigned port);
/* notify: send close_notify first (TLS). */
void stream_close(struct stream *stream, bool notify);

/* Writes data, reads the same length back and compares. false with a reason in error on any difference. */
bool stream_echo(struct stream *stream, const uint8_t *data, size_t length, char *error, size_t error_size);

/* Waits until the server ends the connection: true if it did within timeout_s (bytes read meanwhile are
 * ignored). */
bool stream_wait_closed(struct stream *stream, unsigned timeout_s);

/* A small fast generator for test data and chunk sizes. */
uint64_t test_random(uint64_t *state);
void test_fill(uint64_t *state, uint8_t *data, size_t length);

/* mbedTLS's text for an error code. */
const char *tls_error_text(int ret, char *text, size_t size);

#endif
