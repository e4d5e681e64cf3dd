/* Alder TLS benchmark: what the RTOS image (tls_bench) and the plain mbedTLS program (tls_bench_host) share:
 * their options, the test data, the clocks and the result lines. It must never hold a client: each program has its own. */
#ifndef TLS_BENCH_COMMON_H
#define TLS_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* One write: the most a TLS record carries, so that both programs write one full record per call. */
#define TLS_BENCH_CHUNK 16384u
/* A megabyte in the options and the MB/s figures. */
#define TLS_BENCH_MEGABYTE (1024u * 1024u)
/* The name both programs verify the server's certificate against, and send as SNI. */
#define TLS_BENCH_SERVER_NAME "localhost"

/* The embedded test CA (tls_bench_certs.c, generated from tools/certs/make_certs.sh by embed_certs.cmake). */
extern const unsigned char test_ca_pem[];
extern const size_t test_ca_pem_length;

struct tls_bench_options {
    uint16_t tls_port;   /* the echo server's TLS port on 127.0.0.1 */
    uint16_t plain_port; /* its plain TCP port */
    unsigned handshakes; /* full TLS connect + handshake + close, in a row */
    unsigned connects;   /* plain TCP connect + close, in a row */
    unsigned megabytes;  /* echoed through one connection, each way */
};

/* Reads the options; on a bad or missing one prints why and the usage to stderr and returns false. */
bool tls_bench_parse_options(int argc, char **argv, struct tls_bench_options *options);

/* A point in time: the wall clock and the CPU time of the whole process (all its threads), in seconds. */
struct tls_bench_mark {
    double wall;
    double cpu;
};
void tls_bench_mark_now(struct tls_bench_mark *mark);
/* A clock (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID) in seconds. */
double tls_bench_seconds(clockid_t clock);

/* One measured row. `count` operations, or `bytes` echoed (payload, one way), between two marks. */
struct tls_bench_result {
    const char *test;      /* "handshake", "connect" or "throughput" */
    const char *transport; /* "tls" or "plain" */
    uint64_t count;
    uint64_t bytes;
    struct tls_bench_mark start, end;
};

/* The result line: "tls_bench impl=<impl> test=... transport=... count=|bytes=... wall_s=... cpu_s=... rate=...
 * unit=per_s|MB_per_s". Both programs print exactly this form (tools/bench/tls_bench.sh reads it). */
void tls_bench_print_result(const char *impl, const struct tls_bench_result *result);

/* The payload: one deterministic 16 KB block, repeated; byte i of the stream is block[i % TLS_BENCH_CHUNK]. */
void tls_bench_fill_block(uint8_t *block);
/* True when `data` is the stream's bytes from `offset` on. */
bool tls_bench_matches(const uint8_t *block, uint64_t offset, const uint8_t *data, size_t length);

#endif /* TLS_BENCH_COMMON_H */
