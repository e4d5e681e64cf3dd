/* Alder qualification group TCP: the Secure Sockets API over the board's TCP transport, against the project's echo
 * server (tools/echo_server, plain port). It must never pass without a real peer: every case talks to the server. */
#include <stdbool.h>
#include <string.h>

#include "alder_test.h"
#include "iot_secure_sockets.h"
#include "sockets_test_util.h"
#include "task.h"

/* Where the echo server is, as the board sees the host (a board under QEMU: 10.0.2.2). */
#ifndef TEST_ECHO_ADDRESS
#define TEST_ECHO_ADDRESS SOCKETS_inet_addr_quick(127, 0, 0, 1)
#endif
#ifndef TEST_ECHO_PLAIN_PORT
#define TEST_ECHO_PLAIN_PORT 9001
#endif
/* A port nothing listens on, for the refused connection. */
#ifndef TEST_CLOSED_PORT
#define TEST_CLOSED_PORT 9
#endif
/* How late a timeout may end on this board (ports differ; the simulator follows a loaded host). */
#ifndef TEST_TCP_TIMEOUT_TOLERANCE_MS
#define TEST_TCP_TIMEOUT_TOLERANCE_MS 1000u
#endif

#define BIG 65536u
static uint8_t out_buffer[BIG];
static uint8_t in_buffer[BIG];

/* A connected socket; with buffer_bytes, its send and receive buffers are set that small first. */
static Socket_t echo_connect_with_buffers(uint32_t buffer_bytes)
{
    Socket_t socket = sockets_test_open();
    if (buffer_bytes != 0) {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE,
                       SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes));
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE,
                       SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes));
    }
    SocketsSockaddr_t server = {.ucLength = sizeof server,
                                .ucSocketDomain = SOCKETS_AF_INET,
                                .usPort = SOCKETS_htons(TEST_ECHO_PLAIN_PORT),
                                .ulAddress = TEST_ECHO_ADDRESS};
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Connect(socket, &server, sizeof server));
    return socket;
}

static Socket_t echo_connect(void)
{
    return echo_connect_with_buffers(0);
}

static void send_all(Socket_t socket, const uint8_t *data, size_t length)
{
    TEST_ASSERT_EQ((int32_t)length, SOCKETS_Send(socket, data, length, 0));
}

static void echo_round_trip(Socket_t socket, size_t length, size_t piece, uint32_t seed)
{
    sockets_test_fill_pattern(out_buffer, length, seed);
    memset(in_buffer, 0, length);
    send_all(socket, out_buffer, length);
    sockets_test_receive_all(socket, in_buffer, length, piece);
    TEST_ASSERT_MEM_EQ(out_buffer, in_buffer, length);
}

static void set_ms(Socket_t socket, int32_t option, TickType_t ms)
{
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_SetSockOpt(socket, 0, option, &ms, sizeof ms));
}

static uint32_t elapsed_ms(TickType_t start)
{
    return (uint32_t)((xTaskGetTickCount() - start) * portTICK_PERIOD_MS);
}

SOCKETS_TEST(TCP, EchoesOneByte)
{
    Socket_t socket = echo_connect();
    echo_round_trip(socket, 1, 1, 1);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TCP, EchoesEverySizeUpTo64K)
{
    static const size_t sizes[] = {2, 3, 100, 1459, 1460, 1461, 4095, 4096, 4097, 10000, 32768, BIG};
    Socket_t socket = echo_connect();
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        echo_round_trip(socket, sizes[i], BIG, (uint32_t)i + 7u);
    }
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TCP, PartialReadsGiveEveryByteInOrder)
{
    Socket_t socket = echo_connect();
    echo_round_trip(socket, 20000, 7, 99);
    echo_round_trip(socket, 5000, 1, 98);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TCP, ReceiveTimesOutWithZero)
{
    Socket_t socket = echo_connect();
    set_ms(socket, SOCKETS_SO_RCVTIMEO, 300);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0, SOCKETS_Recv(socket, in_buffer, 16, 0));
    uint32_t took = elapsed_ms(start);
    TEST_ASSERT_RANGE(300, 300 + TEST_TCP_TIMEOUT_TOLERANCE_MS, took);
    /* Still usable. The default timeout again: on a loaded host the echo itself may take longer than 300 ms. */
    set_ms(socket, SOCKETS_SO_RCVTIMEO, 10000);
    echo_round_trip(socket, 10, 10, 3);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

/* The server echoes only what it can write back; reading nothing here makes both sides' buffers
 * fill, and then a send must stop at its timeout having sent part of the data. */
SOCKETS_TEST(TCP, SendTimesOutWhenThePeerStopsReading)
{
    Socket_t socket = echo_connect_with_buffers(16384);
    set_ms(socket, SOCKETS_SO_SNDTIMEO, 300);
    TickType_t start = xTaskGetTickCount();
    int32_t total = 0;
    for (int round = 0; round < 400; round++) {
        int32_t n = SOCKETS_Send(socket, out_buffer, BIG, 0);
        TEST_ASSERT(n >= 0);
        total += n;
        if (n < (int32_t)BIG) {
            break;
        }
        start = xTaskGetTickCount();
    }
    uint32_t took = elapsed_ms(start);
    TEST_ASSERT(total < 400 * (int32_t)BIG);
    TEST_ASSERT_RANGE(300, 300 + TEST_TCP_TIMEOUT_TOLERANCE_MS, took);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TCP, NonBlockingReturnsAtOnce)
{
    Socket_t socket = echo_connect();
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_NONBLOCK, NULL, 0));
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0, SOCKETS_Recv(socket, in_buffer, 16, 0));
    TEST_ASSERT(elapsed_ms(start) < TEST_TCP_TIMEOUT_TOLERANCE_MS);
    sockets_test_fill_pattern(out_buffer, 64, 5);
    send_all(socket, out_buffer, 64);
    size_t got = 0;
    for (int tries = 0; got < 64 && tries < 1000; tries++) {
        int32_t n = SOCKETS_Recv(socket, in_buffer + got, 64 - got, 0);
        TEST_ASSERT(n >= 0);
        got += (size_t)n;
        if (n == 0) {
            vTaskDelay(1);
        }
    }
    TEST_ASSERT_EQ(64, got);
    TEST_ASSERT_MEM_EQ(out_buffer, in_buffer, 64);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TCP, ShutdownEndsEachDirection)
{
    Socket_t socket = echo_connect();
    echo_round_trip(socket, 100, 100, 11);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Shutdown(socket, SOCKETS_SHUT_WR));
    TEST_ASSERT_EQ(SOCKETS_ECLOSED, SOCKETS_Send(socket, out_buffer, 10, 0));
    /* The server sees the end of our data and closes its side. */
    TEST_ASSERT_EQ(SOCKETS_ECLOSED, SOCKETS_Recv(socket, in_buffer, 10, 0));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Shutdown(socket, SOCKETS_SHUT_RD));
    TEST_ASSERT_EQ(SOCKETS_ECLOSED, SOCKETS_Recv(socket, in_buffer, 10, 0));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Shutdown(socket, 3));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

static Socket_t blocked_socket;
static volatile int32_t blocked_result;
static volatile int blocked_done;

static void blocked_reader(void *unused)
{
    (void)unused;
    blocked_result = SOCKETS_Recv(blocked_socket, in_buffer, 16, 0);
    blocked_done = 1;
    vTaskSuspend(NULL);
}

/* Closing (and shutting down) a socket wakes the task blocked on it, which then sees it gone. */
static void check_wakes_blocked_reader(bool by_close)
{
    blocked_socket = echo_connect();
    set_ms(blocked_socket, SOCKETS_SO_RCVTIMEO, 0); /* 0: for ever */
    blocked_done = 0;
    (void)test_task_create(blocked_reader, "reader", configMINIMAL_STACK_SIZE * 4, NULL, tskIDLE_PRIORITY + 2);
    vTaskDelay(pdMS_TO_TICKS(100));
    TEST_ASSERT_EQ(0, blocked_done);
    if (by_close) {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(blocked_socket));
    } else {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Shutdown(blocked_socket, SOCKETS_SHUT_RDWR));
    }
    for (int i = 0; i < 100 && !blocked_done; i++) {
        vTaskDelay(pdMS_TO_TICKS(10));
    }
    TEST_ASSERT_EQ(1, blocked_done);
    TEST_ASSERT_EQ(SOCKETS_ECLOSED, blocked_result);
    if (!by_close) {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(blocked_socket));
    }
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Recv(blocked_socket, in_buffer, 16, 0)); /* closed: no longer a socket */
}

SOCKETS_TEST(TCP, CloseWakesATaskBlockedInReceive)
{
    check_wakes_blocked_reader(true);
}

SOCKETS_TEST(TCP, ShutdownWakesATaskBlockedInReceive)
{
    check_wakes_blocked_reader(false);
}

SOCKETS_TEST(TCP, AsManySocketsAsConfiguredAndNoMore)
{
    Socket_t open[SOCKETS_CONFIG_MAX_SOCKETS];
    for (size_t i = 0; i < SOCKETS_CONFIG_MAX_SOCKETS; i++) {
        open[i] = echo_connect();
    }
    TEST_ASSERT(SOCKETS_Socket(SOCKETS_AF_INET, SOCKETS_SOCK_STREAM, SOCKETS_IPPROTO_TCP) == SOCKETS_INVALID_SOCKET);
    for (size_t i = 0; i < SOCKETS_CONFIG_MAX_SOCKETS; i++) {
        echo_round_trip(open[i], 32, 32, (uint32_t)i + 40u);
    }
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(open[0]));
    open[0] = echo_connect(); /* a freed slot is usable again */
    for (size_t i = 0; i < SOCKETS_CONFIG_MAX_SOCKETS; i++) {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(open[i]));
    }
}

static Socket_t shared_socket;
static volatile int writer_result;

static void writer_task(void *unused)
{
    (void)unused;
    /* 64 KB in uneven pieces, while the case's task reads the echo. */
    size_t sent = 0, piece = 1;
    int result = 0;
    while (sent < BIG && result == 0) {
        size_t n = BIG - sent < piece ? BIG - sent : piece;
        result = SOCKETS_Send(shared_socket, out_buffer + sent, n, 0) == (int32_t)n ? 0 : -1;
        sent += n;
        piece = piece * 3 % 4093 + 1;
    }
    writer_result = result == 0 ? 1 : -1;
    vTaskSuspend(NULL);
}

SOCKETS_TEST(TCP, OneReaderAndOneWriterTaskShareASocket)
{
    shared_socket = echo_connect();
    sockets_test_fill_pattern(out_buffer, BIG, 1234);
    writer_result = 0;
    (void)test_task_create(writer_task, "writer", configMINIMAL_STACK_SIZE * 4, NULL, tskIDLE_PRIORITY + 2);
    sockets_test_receive_all(shared_socket, in_buffer, BIG, 1000);
    TEST_ASSERT_MEM_EQ(out_buffer, in_buffer, BIG);
    /* The writer is of lower priority: its last send has returned, but it may not have said so yet. */
    for (int i = 0; i < 100 && writer_result == 0; i++) {
        vTaskDelay(pdMS_TO_TICKS(10));
    }
    TEST_ASSERT_EQ(1, writer_result);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(shared_socket));
}

SOCKETS_TEST(TCP, ConnectToAClosedPortFails)
{
    Socket_t socket = sockets_test_open();
    SocketsSockaddr_t closed = {sizeof closed, SOCKETS_AF_INET, SOCKETS_htons(TEST_CLOSED_PORT), TEST_ECHO_ADDRESS};
    int32_t result = SOCKETS_Connect(socket, &closed, sizeof closed);
    TEST_ASSERT(result < 0);
    TEST_ASSERT_EQ(SOCKETS_ENOTCONN, SOCKETS_Send(socket, out_buffer, 1, 0));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TCP, BadArgumentsGetTheirErrors)
{
    TEST_ASSERT_EQ(pdPASS, SOCKETS_Init());
    TEST_ASSERT(SOCKETS_Socket(SOCKETS_AF_INET, SOCKETS_SOCK_DGRAM, SOCKETS_IPPROTO_UDP) == SOCKETS_INVALID_SOCKET);
    TEST_ASSERT(SOCKETS_Socket(SOCKETS_AF_INET6, SOCKETS_SOCK_STREAM, SOCKETS_IPPROTO_TCP) == SOCKETS_INVALID_SOCKET);
    Socket_t socket = sockets_test_open();
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Connect(socket, NULL, 0));
    TEST_ASSERT_EQ(SOCKETS_ENOTCONN, SOCKETS_Recv(socket, in_buffer, 1, 0));
    TEST_ASSERT_EQ(SOCKETS_ENOTCONN, SOCKETS_Shutdown(socket, SOCKETS_SHUT_RDWR));
    TEST_ASSERT_EQ(SOCKETS_ENOPROTOOPT, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_NONBLOCK, NULL, 0));
    TEST_ASSERT_EQ(SOCKETS_ENOPROTOOPT, SOCKETS_SetSockOpt(socket, 0, 12345, NULL, 0));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_RCVTIMEO, NULL, 0));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Close(socket));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Send(socket, out_buffer, 1, 0));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Close(SOCKETS_INVALID_SOCKET));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Recv((Socket_t)(uintptr_t)&out_buffer[3], in_buffer, 1, 0));

    socket = echo_connect();
    SocketsSockaddr_t server = {sizeof server, SOCKETS_AF_INET, SOCKETS_htons(TEST_ECHO_PLAIN_PORT), TEST_ECHO_ADDRESS};
    TEST_ASSERT_EQ(SOCKETS_EISCONN, SOCKETS_Connect(socket, &server, sizeof server));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Send(socket, NULL, 1, 0));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_Recv(socket, in_buffer, 0, 0));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TCP, HostNamesResolve)
{
    static char long_name[securesocketsMAX_DNS_NAME_LENGTH + 2];
    TEST_ASSERT_EQ(pdPASS, SOCKETS_Init());
    TEST_ASSERT_EQ(SOCKETS_inet_addr_quick(127, 0, 0, 1), SOCKETS_GetHostByName("localhost"));
    TEST_ASSERT_EQ(0, SOCKETS_GetHostByName("no-such-host.invalid"));
    TEST_ASSERT_EQ(0, SOCKETS_GetHostByName(""));
    TEST_ASSERT_EQ(0, SOCKETS_GetHostByName(NULL));
    memset(long_name, 'a', sizeof long_name - 1);
    TEST_ASSERT_EQ(0, SOCKETS_GetHostByName(long_name));
    char text[16];
    SOCKETS_inet_ntoa(SOCKETS_inet_addr_quick(192, 168, 10, 254), text);
    TEST_ASSERT_STR_EQ("192.168.10.254", text);
}

static volatile Socket_t woken_socket;

static void on_wakeup(Socket_t socket)
{
    woken_socket = socket;
}

SOCKETS_TEST(TCP, WakeupCallbackRunsWhenDataArrives)
{
    Socket_t socket = echo_connect();
    woken_socket = NULL;
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE,
                   SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_WAKEUP_CALLBACK, (const void *)(uintptr_t)on_wakeup, 0));
    send_all(socket, (const uint8_t *)"wake", 4);
    for (int i = 0; i < 200 && woken_socket == NULL; i++) {
        vTaskDelay(pdMS_TO_TICKS(5));
    }
    TEST_ASSERT(woken_socket == socket);
    sockets_test_receive_all(socket, in_buffer, 4, 4);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_WAKEUP_CALLBACK, NULL, 0));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}
