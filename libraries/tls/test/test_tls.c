/* Alder qualification group TLS: the Secure Sockets API with TLS (libraries/tls over mbedTLS) against echo servers
 * that use the test CA's certificates. It must never pass without real peers: every socket case talks to a server. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "alder_test.h"
#include "iot_secure_sockets.h"
#include "sockets_test_util.h"
#include "task.h"
#include "tls.h"
#include "tls_test_env.h"
#include "tls_test_heap.h"
#if TLS_CONFIG_PKCS11
#include "tls_test_token.h"
#endif

/* Failed handshakes in the leak case: enough that one lost allocation each would stand out. */
#ifndef TEST_TLS_FAILED_HANDSHAKES
#define TEST_TLS_FAILED_HANDSHAKES 1000
#endif

#define BIG 65536u
static uint8_t out_buffer[BIG];
static uint8_t in_buffer[BIG];

/* What a case connects with; NULL fields are not set. */
struct tls_setup {
    uint16_t port;
    const unsigned char *root;
    size_t root_length;
    const char *server_name;
    const char *const *alpn;
    size_t alpn_count;
};

static void set_tls_options(Socket_t socket, const struct tls_setup *setup)
{
    if (setup->root != NULL) {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_TRUSTED_SERVER_CERTIFICATE,
                                                              setup->root, setup->root_length));
    }
    if (setup->server_name != NULL) {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_SERVER_NAME_INDICATION,
                                                              setup->server_name, strlen(setup->server_name)));
    }
    if (setup->alpn != NULL) {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE,
                       SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_ALPN_PROTOCOLS, setup->alpn, setup->alpn_count));
    }
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_REQUIRE_TLS, NULL, 0));
}

/* Opens a socket, sets the options and connects; returns the socket and what SOCKETS_Connect said. */
static Socket_t tls_try_connect(const struct tls_setup *setup, int32_t *result)
{
#if TLS_CONFIG_PKCS11
    tls_test_token_ready();
#endif
    Socket_t socket = sockets_test_open();
    set_tls_options(socket, setup);
    SocketsSockaddr_t server = {.ucLength = sizeof server,
                                .ucSocketDomain = SOCKETS_AF_INET,
                                .usPort = SOCKETS_htons(setup->port),
                                .ulAddress = TEST_ECHO_ADDRESS};
    *result = SOCKETS_Connect(socket, &server, sizeof server);
    return socket;
}

static Socket_t tls_connect_ok(const struct tls_setup *setup)
{
    int32_t result;
    Socket_t socket = tls_try_connect(setup, &result);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, result);
    return socket;
}

/* The connect must fail with `expected`; the socket is then closed. */
static void tls_connect_fails(const struct tls_setup *setup, int32_t expected)
{
    int32_t result;
    Socket_t socket = tls_try_connect(setup, &result);
    TEST_ASSERT_EQ(expected, result);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

static const struct tls_setup good = {.port = TEST_TLS_GOOD_PORT,
                                      .root = test_ca_pem,
                                      .root_length = 0, /* set in good_setup(): the length is not a constant */
                                      .server_name = "localhost"};

static struct tls_setup good_setup(void)
{
    struct tls_setup setup = good;
    setup.root_length = test_ca_pem_length;
    return setup;
}

static void echo_round_trip(Socket_t socket, size_t length, uint32_t seed)
{
    sockets_test_fill_pattern(out_buffer, length, seed);
    memset(in_buffer, 0, length);
    TEST_ASSERT_EQ((int32_t)length, SOCKETS_Send(socket, out_buffer, length, 0));
    sockets_test_receive_all(socket, in_buffer, length, length);
    TEST_ASSERT_MEM_EQ(out_buffer, in_buffer, length);
}

/* ---- connections that work ------------------------------------------------------------------ */

SOCKETS_TEST(TLS, EchoesThroughTls)
{
    static const size_t sizes[] = {1, 2, 100, 16383, 16384, 16385, 40000, BIG};
    struct tls_setup setup = good_setup();
    Socket_t socket = tls_connect_ok(&setup);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        echo_round_trip(socket, sizes[i], (uint32_t)i + 3u);
    }
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TLS, DerRootAndNoServerNameWork)
{
    struct tls_setup setup = {.port = TEST_TLS_GOOD_PORT, .root = test_ca_der, .root_length = test_ca_der_length};
    Socket_t socket = tls_connect_ok(&setup);
    echo_round_trip(socket, 1000, 11);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TLS, OneMegabyteEchoesIntact)
{
    struct tls_setup setup = good_setup();
    Socket_t socket = tls_connect_ok(&setup);
    for (uint32_t block = 0; block < (1024u * 1024u) / BIG; block++) {
        echo_round_trip(socket, BIG, block + 100u);
    }
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

/* The echo server offers no ALPN, so the session goes on without one: offering must not break it. */
SOCKETS_TEST(TLS, AlpnOfferedToAServerWithoutAlpn)
{
    static const char *const names[] = {"x-alder-echo", "mqtt"};
    struct tls_setup setup = good_setup();
    setup.alpn = names;
    setup.alpn_count = 2;
    Socket_t socket = tls_connect_ok(&setup);
    echo_round_trip(socket, 100, 5);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

/* ---- servers that must be refused ----------------------------------------------------------- */

SOCKETS_TEST(TLS, UntrustedServerIsUnverified)
{
    struct tls_setup setup = good_setup();
    setup.root = test_untrusted_ca_pem;
    setup.root_length = test_untrusted_ca_pem_length;
    tls_connect_fails(&setup, SOCKETS_TLS_SERVER_UNVERIFIED);
}

SOCKETS_TEST(TLS, ExpiredServerIsUnverified)
{
    struct tls_setup setup = good_setup();
    setup.port = TEST_TLS_EXPIRED_PORT;
    tls_connect_fails(&setup, SOCKETS_TLS_SERVER_UNVERIFIED);
}

SOCKETS_TEST(TLS, WrongHostIsUnverified)
{
    struct tls_setup setup = good_setup();
    setup.port = TEST_TLS_WRONGHOST_PORT;
    tls_connect_fails(&setup, SOCKETS_TLS_SERVER_UNVERIFIED);
}

/* The good server's certificate names localhost: any other server name must be refused. */
SOCKETS_TEST(TLS, ServerNameIsChecked)
{
    struct tls_setup setup = good_setup();
    setup.server_name = "other.example";
    tls_connect_fails(&setup, SOCKETS_TLS_SERVER_UNVERIFIED);
}

/* The plain port echoes the ClientHello back: not a ServerHello, so the handshake fails (not verification). */
SOCKETS_TEST(TLS, NonTlsPeerIsAHandshakeError)
{
    struct tls_setup setup = good_setup();
    setup.port = TEST_TLS_GOOD_PLAIN_PORT;
    tls_connect_fails(&setup, SOCKETS_TLS_HANDSHAKE_ERROR);
}

SOCKETS_TEST(TLS, BadRootIsAnInitError)
{
    static const unsigned char junk[] = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
    struct tls_setup setup = good_setup();
    setup.root = junk;
    setup.root_length = sizeof junk;
    tls_connect_fails(&setup, SOCKETS_TLS_INIT_ERROR);
}

/* ---- options -------------------------------------------------------------------------------- */

SOCKETS_TEST(TLS, OptionsLongerThanTheirRoomAreEnomem)
{
    static char name[securesocketsMAX_DNS_NAME_LENGTH + 2];
    memset(name, 'a', sizeof name - 1);
    static const char *const too_many[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    Socket_t socket = sockets_test_open();
    TEST_ASSERT_EQ(SOCKETS_ENOMEM,
                   SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_SERVER_NAME_INDICATION, name, strlen(name)));
    TEST_ASSERT_EQ(SOCKETS_ENOMEM,
                   SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_TRUSTED_SERVER_CERTIFICATE, out_buffer, BIG));
    TEST_ASSERT_EQ(SOCKETS_ENOMEM, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_ALPN_PROTOCOLS, too_many,
                                                      sizeof too_many / sizeof too_many[0]));
    TEST_ASSERT_EQ(SOCKETS_EINVAL, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_SERVER_NAME_INDICATION, NULL, 5));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

SOCKETS_TEST(TLS, OptionsAfterConnectAreRefused)
{
    struct tls_setup setup = good_setup();
    Socket_t socket = tls_connect_ok(&setup);
    TEST_ASSERT_EQ(SOCKETS_ENOPROTOOPT, SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_REQUIRE_TLS, NULL, 0));
    TEST_ASSERT_EQ(SOCKETS_ENOPROTOOPT,
                   SOCKETS_SetSockOpt(socket, 0, SOCKETS_SO_SERVER_NAME_INDICATION, "localhost", 9));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

/* ---- what goes on the wire: the ClientHello, caught by a transport that keeps it --------------- */

static uint8_t hello[4096];
static size_t hello_length;

static int32_t keep_send(void *context, const uint8_t *data, size_t length, TickType_t timeout)
{
    (void)context, (void)timeout;
    size_t room = sizeof hello - hello_length;
    size_t n = length < room ? length : room;
    memcpy(hello + hello_length, data, n);
    hello_length += n;
    return (int32_t)length;
}

static int32_t closed_recv(void *context, uint8_t *buffer, size_t length, TickType_t timeout)
{
    (void)context, (void)buffer, (void)length, (void)timeout;
    return SOCKETS_ECLOSED;
}

static bool hello_contains(const uint8_t *bytes, size_t length)
{
    for (size_t i = 0; i + length <= hello_length; i++) {
        if (memcmp(hello + i, bytes, length) == 0) {
            return true;
        }
    }
    return false;
}

SOCKETS_TEST(TLS, ClientHelloCarriesSniAndAlpn)
{
    static tls_context_t context;
    static const char *const alpn[] = {"x-alder", "mqtt", NULL};
    tls_config_t config = {
        .root = test_ca_pem, .root_length = test_ca_pem_length, .server_name = "localhost", .alpn = alpn};
    tls_transport_t transport = {.context = NULL, .send = keep_send, .recv = closed_recv};
    hello_length = 0;
    TEST_ASSERT_EQ(TLS_HANDSHAKE_ERROR, tls_connect(&context, &config, &transport, pdMS_TO_TICKS(1000)));
    /* server_name: type 0 (host_name), length 9, "localhost" (RFC 6066). */
    static const uint8_t sni[] = {0x00, 0x00, 0x09, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'};
    /* ALPN extension 0x0010: extension length 15, list length 13, then length-prefixed names (RFC 7301). */
    static const uint8_t names[] = {0x00, 0x10, 0x00, 0x0f, 0x00, 0x0d, 7,   'x', '-', 'a',
                                    'l',  'd',  'e',  'r',  4,    'm',  'q', 't', 't'};
    TEST_ASSERT(hello_length > 5);
    TEST_ASSERT_EQ(0x16, hello[0]); /* a handshake record */
    TEST_ASSERT(hello_contains(sni, sizeof sni));
    TEST_ASSERT(hello_contains(names, sizeof names));
}

/* ---- memory --------------------------------------------------------------------------------- */

SOCKETS_TEST(TLS, FailedHandshakesFreeEverything)
{
    if (tls_test_heap_in_use() < 0) {
        TEST_IGNORE("this C library's heap cannot be counted here");
    }
    struct tls_setup setup = good_setup();
    setup.root = test_untrusted_ca_pem;
    setup.root_length = test_untrusted_ca_pem_length;
    tls_connect_fails(&setup, SOCKETS_TLS_SERVER_UNVERIFIED); /* first-use allocations of the C library */
    long before = tls_test_heap_in_use();
    for (int i = 0; i < TEST_TLS_FAILED_HANDSHAKES; i++) {
        tls_connect_fails(&setup, SOCKETS_TLS_SERVER_UNVERIFIED);
    }
    long after = tls_test_heap_in_use();
    /* One lost allocation per handshake would be at least 16 KB here; the slack is other host threads. */
    TEST_ASSERT_RANGE(-4096, 4096, after - before);
}

SOCKETS_TEST(TLS, MeasuresHandshakeAndSessionHeap)
{
    if (tls_test_heap_in_use() < 0) {
        TEST_IGNORE("this C library's heap cannot be counted here");
    }
    struct tls_setup setup = good_setup();
    long base = tls_test_heap_in_use();
    tls_test_heap_reset_peak();
    Socket_t socket = tls_connect_ok(&setup);
    long handshake_peak = tls_test_heap_peak() - base;
    long session = tls_test_heap_in_use() - base;
    tls_test_heap_reset_peak();
    echo_round_trip(socket, BIG, 77);
    long session_peak = tls_test_heap_peak() - base;
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
    char line[200];
    /* Not a result line: the runner ignores it; the numbers go into libraries/tls/README.md. */
    snprintf(line, sizeof line,
             "TLS heap (C library): handshake peak %ld, established %ld, peak in a 64 KB echo %ld; "
             "tls_context_t %lu\n",
             handshake_peak, session, session_peak, (unsigned long)sizeof(tls_context_t));
    alder_test_print(line);
    TEST_ASSERT(handshake_peak > 0 && session > 0);
}
