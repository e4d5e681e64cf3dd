/* Alder TLS benchmark: the options, clocks, result lines and test data both benchmark programs share.
 * It must never print anything but to stderr on error and the documented result line: the driver parses stdout. */
#define _GNU_SOURCE
#include "tls_bench_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- options -------------------------------------------------------------------------------- */

struct option_field {
    const char *name;
    unsigned long low, high;
    unsigned *value;
};

static void usage(const char *program)
{
    fprintf(stderr,
            "usage: %s [--tls-port N] [--plain-port N] [--handshakes N] [--connects N] [--megabytes N]\n"
            "  against an echo server on 127.0.0.1 (tools/echo_server --any-client-cert); defaults 9010, 9011,\n"
            "  200 TLS handshakes, 2000 plain connects, 32 MB echoed through one connection of each kind\n",
            program);
}

/* A decimal number in [low, high], the whole argument. */
static bool parse_number(const char *text, unsigned long low, unsigned long high, unsigned long *out)
{
    char *end = NULL;
    if (text == NULL || text[0] < '0' || text[0] > '9') {
        return false;
    }
    unsigned long value = strtoul(text, &end, 10);
    if (*end != '\0' || value < low || value > high) {
        return false;
    }
    *out = value;
    return true;
}

bool tls_bench_parse_options(int argc, char **argv, struct tls_bench_options *options)
{
    unsigned tls_port = 9010, plain_port = 9011;
    options->handshakes = 200;
    options->connects = 2000;
    options->megabytes = 32;
    const struct option_field fields[] = {
        {"--tls-port", 1, 65535, &tls_port},
        {"--plain-port", 1, 65535, &plain_port},
        {"--handshakes", 1, 1000000, &options->handshakes},
        {"--connects", 1, 1000000, &options->connects},
        {"--megabytes", 1, 4096, &options->megabytes},
    };
    for (int i = 1; i < argc; i += 2) {
        size_t f = 0;
        while (f < sizeof fields / sizeof fields[0] && strcmp(argv[i], fields[f].name) != 0) {
            f++;
        }
        unsigned long value = 0;
        if (f == sizeof fields / sizeof fields[0]) {
            fprintf(stderr, "%s: unknown option %s\n", argv[0], argv[i]);
            usage(argv[0]);
            return false;
        }
        if (!parse_number(i + 1 < argc ? argv[i + 1] : NULL, fields[f].low, fields[f].high, &value)) {
            fprintf(stderr, "%s: %s needs a number from %lu to %lu\n", argv[0], fields[f].name, fields[f].low,
                    fields[f].high);
            usage(argv[0]);
            return false;
        }
        *fields[f].value = (unsigned)value;
    }
    options->tls_port = (uint16_t)tls_port;
    options->plain_port = (uint16_t)plain_port;
    return true;
}

/* ---- clocks and results --------------------------------------------------------------------- */

double tls_bench_seconds(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

void tls_bench_mark_now(struct tls_bench_mark *mark)
{
    mark->wall = tls_bench_seconds(CLOCK_MONOTONIC);
    mark->cpu = tls_bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

void tls_bench_print_result(const char *impl, const struct tls_bench_result *result)
{
    const double wall = result->end.wall - result->start.wall;
    const double cpu = result->end.cpu - result->start.cpu;
    if (result->bytes != 0) {
        printf("tls_bench impl=%s test=%s transport=%s bytes=%llu wall_s=%.6f cpu_s=%.6f rate=%.2f unit=MB_per_s\n",
               impl, result->test, result->transport, (unsigned long long)result->bytes, wall, cpu,
               (double)result->bytes / TLS_BENCH_MEGABYTE / wall);
    } else {
        printf("tls_bench impl=%s test=%s transport=%s count=%llu wall_s=%.6f cpu_s=%.6f rate=%.2f unit=per_s\n", impl,
               result->test, result->transport, (unsigned long long)result->count, wall, cpu,
               (double)result->count / wall);
    }
}

/* ---- test data ------------------------------------------------------------------------------ */

void tls_bench_fill_block(uint8_t *block)
{
    /* A small LCG: bytes that do not repeat within a record, identical in both programs. */
    uint32_t state = 0x2545F491u;
    for (size_t i = 0; i < TLS_BENCH_CHUNK; i++) {
        state = state * 1664525u + 1013904223u;
        block[i] = (uint8_t)(state >> 24);
    }
}

bool tls_bench_matches(const uint8_t *block, uint64_t offset, const uint8_t *data, size_t length)
{
    while (length > 0) {
        size_t at = (size_t)(offset % TLS_BENCH_CHUNK);
        size_t piece = TLS_BENCH_CHUNK - at < length ? TLS_BENCH_CHUNK - at : length;
        if (memcmp(block + at, data, piece) != 0) {
            return false;
        }
        data += piece;
        offset += piece;
        length -= piece;
    }
    return true;
}
