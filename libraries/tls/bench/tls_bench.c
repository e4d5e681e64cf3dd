/* Alder TLS benchmark image (posix board): TLS handshakes per second, echo throughput and heap through the Secure
 * Sockets API with TLS, as result lines (tls_bench_common.h). It must never assert a speed: it measures and reports. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "FreeRTOS.h"
#include "iot_secure_sockets.h"
#include "mbedtls/version.h"
#include "posix_port.h"
#include "task.h"
#include "tls.h"
#include "tls_bench_common.h"
#include "tls_test_heap.h"

#define IMPL "alder"
/* mbedTLS's handshake runs on the calling task's stack: generous, the kernel heap is 8 MB. */
#define BENCH_STACK_WORDS (configMINIMAL_STACK_SIZE * 4)
#define READER_STACK_WORDS (configMINIMAL_STACK_SIZE * 2)
#define BENCH_PRIORITY 2
#define IO_TIMEOUT_MS 10000u
#define MAX_RESULTS 4
/* The heap measurement echoes this much in write-then-read steps, so the session's peak is seen under traffic. */
#define HEAP_ECHO_BYTES (1024u * 1024u)

static struct tls_bench_options options;
static uint8_t block[TLS_BENCH_CHUNK];
static char failure[256]; /* why the run stopped; empty when it did not */

static struct tls_bench_result results[MAX_RESULTS];
/* What the simulator did during each measured row: where the time of "our layers" goes. The rows run on the
 * simulated CPU's host thread, so its CPU time is the kernel, the libraries and mbedTLS; the rest of the process's
 * CPU time is any other host thread's (the port has none; the sockets transport starts one for a name lookup). */
static struct posix_port_stats stats_before[MAX_RESULTS], stats_after[MAX_RESULTS];
static double cpu_thread_seconds[MAX_RESULTS];
static size_t result_count;

static struct {
    long handshake_peak, session, session_peak;
    size_t socket_state; /* the kernel heap an open TLS socket holds (SOCKETS_CONFIG_MALLOC) */
} heap;
static char version[32], suite[96];

static bool fail(const char *format, ...)
{
    if (failure[0] == '\0') {
        va_list args;
        va_start(args, format);
        vsnprintf(failure, sizeof failure, format, args);
        va_end(args);
    }
    return false;
}

/* ---- connections ---------------------------------------------------------------------------- */

static bool set_options(Socket_t socket, bool tls)
{
    const TickType_t timeout = IO_TIMEOUT_MS;
    bool ok = SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_RCVTIMEO, &timeout, sizeof timeout) == SOCKETS_ERROR_NONE &&
              SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_SNDTIMEO, &timeout, sizeof timeout) == SOCKETS_ERROR_NONE;
    if (ok && tls) {
        ok = SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_TRUSTED_SERVER_CERTIFICATE, test_ca_pem, test_ca_pem_length) ==
                 SOCKETS_ERROR_NONE &&
             SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_SERVER_NAME_INDICATION, TLS_BENCH_SERVER_NAME,
                                strlen(TLS_BENCH_SERVER_NAME)) == SOCKETS_ERROR_NONE &&
             SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_REQUIRE_TLS, NULL, 0) == SOCKETS_ERROR_NONE;
    }
    return ok;
}

/* A connected socket (after the handshake, with `tls`), or SOCKETS_INVALID_SOCKET with the failure recorded. */
static Socket_t connect_to(uint16_t port, bool tls)
{
    Socket_t socket = SOCKETS_Socket(SOCKETS_AF_INET, SOCKETS_SOCK_STREAM, SOCKETS_IPPROTO_TCP);
    if (socket == SOCKETS_INVALID_SOCKET) {
        fail("SOCKETS_Socket found no free socket");
        return SOCKETS_INVALID_SOCKET;
    }
    if (!set_options(socket, tls)) {
        (void)SOCKETS_Close(socket);
        fail("SOCKETS_SetSockOpt refused an option");
        return SOCKETS_INVALID_SOCKET;
    }
    SocketsSockaddr_t server = {.ucLength = sizeof server,
                                .ucSocketDomain = SOCKETS_AF_INET,
                                .usPort = SOCKETS_htons(port),
                                .ulAddress = SOCKETS_inet_addr_quick(127, 0, 0, 1)};
    int32_t result = SOCKETS_Connect(socket, &server, sizeof server);
    if (result != SOCKETS_ERROR_NONE) {
        (void)SOCKETS_Close(socket);
        fail("SOCKETS_Connect to port %u (%s) returned %ld", (unsigned)port, tls ? "TLS" : "plain", (long)result);
        return SOCKETS_INVALID_SOCKET;
    }
    return socket;
}

static bool close_socket(Socket_t socket)
{
    int32_t result = SOCKETS_Close(socket);
    return result == SOCKETS_ERROR_NONE || fail("SOCKETS_Close returned %ld", (long)result);
}

static struct tls_bench_result *begin_row(const char *test, const char *transport)
{
    struct tls_bench_result *row = &results[result_count];
    row->test = test;
    row->transport = transport;
    posix_get_stats(&stats_before[result_count]);
    /* The thread's interval inside the process's, so that the helpers' share never comes out negative. */
    tls_bench_mark_now(&row->start);
    cpu_thread_seconds[result_count] = tls_bench_seconds(CLOCK_THREAD_CPUTIME_ID);
    return row;
}

static void end_row(struct tls_bench_result *row)
{
    cpu_thread_seconds[result_count] = tls_bench_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu_thread_seconds[result_count];
    tls_bench_mark_now(&row->end);
    posix_get_stats(&stats_after[result_count]);
    result_count++;
}

/* ---- rows ----------------------------------------------------------------------------------- */

/* `count` connections in a row: socket, options, connect (and handshake), close. */
static bool measure_connects(uint16_t port, bool tls, unsigned count)
{
    struct tls_bench_result *row = begin_row(tls ? "handshake" : "connect", tls ? "tls" : "plain");
    for (unsigned i = 0; i < count; i++) {
        Socket_t socket = connect_to(port, tls);
        if (socket == SOCKETS_INVALID_SOCKET || !close_socket(socket)) {
            return false;
        }
    }
    row->count = count;
    end_row(row);
    return true;
}

/* The reader side of an echo: receives `expected` bytes and checks them against the stream. */
struct echo_reader {
    Socket_t socket;
    uint64_t expected, received;
    int32_t error; /* what SOCKETS_Recv returned when it stopped early; 1 for wrong bytes */
    TaskHandle_t waiter;
};

static void reader_task(void *argument)
{
    static uint8_t buffer[TLS_BENCH_CHUNK];
    struct echo_reader *reader = argument;
    while (reader->received < reader->expected) {
        int32_t n = SOCKETS_Recv(reader->socket, buffer, sizeof buffer, 0);
        if (n <= 0) {
            reader->error = n;
            break;
        }
        if (!tls_bench_matches(block, reader->received, buffer, (size_t)n)) {
            reader->error = 1;
            break;
        }
        reader->received += (uint64_t)n;
    }
    xTaskNotifyGive(reader->waiter);
    vTaskDelete(NULL);
}

/* Writes `total` bytes in 16 KB calls while the reader task takes the echo back. */
static bool write_stream(Socket_t socket, uint64_t total)
{
    uint64_t sent = 0;
    while (sent < total) {
        size_t at = (size_t)(sent % TLS_BENCH_CHUNK);
        size_t piece = (size_t)(total - sent < TLS_BENCH_CHUNK - at ? total - sent : TLS_BENCH_CHUNK - at);
        int32_t n = SOCKETS_Send(socket, block + at, piece, 0);
        if (n <= 0) {
            return fail("SOCKETS_Send returned %ld after %llu bytes", (long)n, (unsigned long long)sent);
        }
        sent += (uint64_t)n;
    }
    return true;
}

static bool measure_throughput(uint16_t port, bool tls)
{
    Socket_t socket = connect_to(port, tls);
    if (socket == SOCKETS_INVALID_SOCKET) {
        return false;
    }
    static struct echo_reader reader;
    reader = (struct echo_reader){.socket = socket,
                                  .expected = (uint64_t)options.megabytes * TLS_BENCH_MEGABYTE,
                                  .waiter = xTaskGetCurrentTaskHandle()};
    struct tls_bench_result *row = begin_row("throughput", tls ? "tls" : "plain");
    if (xTaskCreate(reader_task, "reader", READER_STACK_WORDS, &reader, BENCH_PRIORITY, NULL) != pdPASS) {
        (void)SOCKETS_Close(socket);
        return fail("cannot create the reader task");
    }
    bool written = write_stream(socket, reader.expected);
    if (!written) {
        (void)SOCKETS_Shutdown(socket, SOCKETS_SHUT_RDWR); /* wakes the reader */
    }
    (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    row->bytes = reader.received;
    end_row(row);
    bool closed = close_socket(socket);
    if (written && reader.error == 1) {
        return fail("the echo came back wrong at byte %llu", (unsigned long long)reader.received);
    }
    if (written && reader.received != reader.expected) {
        return fail("SOCKETS_Recv returned %ld after %llu of %llu bytes", (long)reader.error,
                    (unsigned long long)reader.received, (unsigned long long)reader.expected);
    }
    return written && closed;
}

/* ---- heap and session ----------------------------------------------------------------------- */

/* Writes then reads back `total` bytes, one 16 KB step at a time. */
static bool echo_in_steps(Socket_t socket, uint32_t total)
{
    static uint8_t buffer[TLS_BENCH_CHUNK];
    for (uint32_t done = 0; done < total; done += TLS_BENCH_CHUNK) {
        if (SOCKETS_Send(socket, block, TLS_BENCH_CHUNK, 0) != (int32_t)TLS_BENCH_CHUNK) {
            return fail("SOCKETS_Send failed in the heap echo");
        }
        for (uint32_t got = 0; got < TLS_BENCH_CHUNK;) {
            int32_t n = SOCKETS_Recv(socket, buffer + got, TLS_BENCH_CHUNK - got, 0);
            if (n <= 0) {
                return fail("SOCKETS_Recv returned %ld in the heap echo", (long)n);
            }
            got += (uint32_t)n;
        }
        if (memcmp(buffer, block, TLS_BENCH_CHUNK) != 0) {
            return fail("the heap echo came back wrong");
        }
    }
    return true;
}

/* tls_test_heap.c's method: the C library's bytes (mbedTLS allocates with calloc), from a settled base. */
static bool measure_heap(void)
{
    if (tls_test_heap_in_use() < 0) {
        return fail("this C library's heap cannot be counted");
    }
    const size_t kernel_free = xPortGetFreeHeapSize();
    const long base = tls_test_heap_in_use();
    tls_test_heap_reset_peak();
    Socket_t socket = connect_to(options.tls_port, true);
    if (socket == SOCKETS_INVALID_SOCKET) {
        return false;
    }
    heap.handshake_peak = tls_test_heap_peak() - base;
    heap.session = tls_test_heap_in_use() - base;
    heap.socket_state = kernel_free - xPortGetFreeHeapSize();
    tls_test_heap_reset_peak();
    bool echoed = echo_in_steps(socket, HEAP_ECHO_BYTES);
    heap.session_peak = tls_test_heap_peak() - base;
    return close_socket(socket) && echoed;
}

/* Secure Sockets does not say which suite it negotiated: one session through libraries/tls directly over a plain
 * Secure Sockets connection does, with the same settings as the TLS sockets. */
static int32_t plain_send(void *context, const uint8_t *data, size_t length, TickType_t timeout)
{
    (void)timeout; /* the socket's own timeout applies */
    return SOCKETS_Send((Socket_t)context, data, length, 0);
}

static int32_t plain_recv(void *context, uint8_t *buffer, size_t length, TickType_t timeout)
{
    (void)timeout;
    return SOCKETS_Recv((Socket_t)context, buffer, length, 0);
}

static bool record_session(void)
{
    static tls_context_t context;
    Socket_t socket = connect_to(options.tls_port, false);
    if (socket == SOCKETS_INVALID_SOCKET) {
        return false;
    }
    tls_config_t config = {
        .root = test_ca_pem, .root_length = test_ca_pem_length, .server_name = TLS_BENCH_SERVER_NAME};
    tls_transport_t transport = {.context = socket, .send = plain_send, .recv = plain_recv};
    tls_status_t status = tls_connect(&context, &config, &transport, pdMS_TO_TICKS(IO_TIMEOUT_MS));
    if (status == TLS_OK) {
        /* Reading the session's names only: no tls.h accessor gives them. */
        snprintf(version, sizeof version, "%s", mbedtls_ssl_get_version(&context.ssl));
        snprintf(suite, sizeof suite, "%s", mbedtls_ssl_get_ciphersuite(&context.ssl));
        tls_close(&context);
    }
    return close_socket(socket) && (status == TLS_OK || fail("tls_connect returned %d", (int)status));
}

/* ---- the run -------------------------------------------------------------------------------- */

static bool run_all(void)
{
    if (SOCKETS_Init() != pdPASS) {
        return fail("SOCKETS_Init failed");
    }
    tls_bench_fill_block(block);
    /* A first handshake seeds the random generator and faults in the libraries: not part of any row. */
    Socket_t warm_up = connect_to(options.tls_port, true);
    return warm_up != SOCKETS_INVALID_SOCKET && close_socket(warm_up) && record_session() && measure_heap() &&
           measure_connects(options.tls_port, true, options.handshakes) && measure_throughput(options.tls_port, true) &&
           measure_connects(options.plain_port, false, options.connects) &&
           measure_throughput(options.plain_port, false);
}

static void bench_task(void *unused)
{
    (void)unused;
    (void)run_all();
    vTaskEndScheduler();
}

static void print_results(void)
{
    char mbedtls[32] = MBEDTLS_VERSION_STRING;
#ifdef MBEDTLS_VERSION_C
    mbedtls_version_get_string(mbedtls); /* the shared library's, not the header's */
#endif
    printf("tls_bench impl=%s test=session version=%s suite=%s mbedtls=%s\n", IMPL, version, suite, mbedtls);
    printf("tls_bench impl=%s test=heap handshake_peak=%ld session=%ld session_peak=%ld socket_state=%lu\n", IMPL,
           heap.handshake_peak, heap.session, heap.session_peak, (unsigned long)heap.socket_state);
    for (size_t i = 0; i < result_count; i++) {
        tls_bench_print_result(IMPL, &results[i]);
    }
    /* Not a result: the simulator's counters per row, for finding where our time goes. */
    for (size_t i = 0; i < result_count; i++) {
        const struct posix_port_stats *a = &stats_before[i], *b = &stats_after[i];
        const double process = results[i].end.cpu - results[i].start.cpu;
        printf("tls_bench impl=%s test=port_stats row=%s/%s cpu_thread_s=%.6f cpu_helpers_s=%.6f signals=%llu "
               "preemptions=%llu host_deferred=%llu retries=%llu switches=%llu ticks=%llu\n",
               IMPL, results[i].test, results[i].transport, cpu_thread_seconds[i], process - cpu_thread_seconds[i],
               (unsigned long long)(b->signals - a->signals), (unsigned long long)(b->preemptions - a->preemptions),
               (unsigned long long)(b->host_deferred - a->host_deferred), (unsigned long long)(b->retries - a->retries),
               (unsigned long long)(b->switches - a->switches), (unsigned long long)(b->ticks - a->ticks));
    }
}

int main(int argc, char **argv)
{
    if (!tls_bench_parse_options(argc, argv, &options)) {
        return 2;
    }
    if (xTaskCreate(bench_task, "bench", BENCH_STACK_WORDS, NULL, BENCH_PRIORITY, NULL) != pdPASS) {
        fprintf(stderr, "tls_bench: cannot create the benchmark task\n");
        return 1;
    }
    vTaskStartScheduler();
    if (failure[0] != '\0') {
        fprintf(stderr, "tls_bench: %s\n", failure);
        return 1;
    }
    print_results();
    return 0;
}
