/* Alder qualification group TLS, client authentication: the device's certificate and key in the PKCS#11 store, the key
 * signing inside the token, against an echo server that demands a client certificate from the test CA.
 * It must never hand TLS a key: the cases store credentials in the token, as a factory would, and only connect. */
#include <stdbool.h>
#include <string.h>

#include "alder_test.h"
#include "iot_secure_sockets.h"
#include "pkcs11.h"
#include "pkcs11_pal.h"
#include "pkcs11_provision.h"
#include "sockets_test_util.h"
#include "tls_test_env.h"
#include "tls_test_heap.h"
#include "tls_test_token.h"

/* Failed client-authenticated handshakes in the leak case. */
#ifndef TEST_TLS_FAILED_CLIENT_HANDSHAKES
#define TEST_TLS_FAILED_CLIENT_HANDSHAKES 50
#endif

/* ---- the token ------------------------------------------------------------------------------ */

static CK_FUNCTION_LIST_PTR token;
static CK_SESSION_HANDLE session = CK_INVALID_HANDLE;

static void token_store_client(const unsigned char *key, size_t key_length, const unsigned char *certificate,
                               size_t certificate_length)
{
    pkcs11_provision_t provision;
    TEST_ASSERT_EQ(PKCS11_PROVISION_OK, pkcs11_provision_attach(&provision, token, session));
    if (key != NULL) {
        TEST_ASSERT_EQ(PKCS11_PROVISION_OK, pkcs11_provision_import_key(&provision, key, key_length));
    }
    if (certificate != NULL) {
        TEST_ASSERT_EQ(PKCS11_PROVISION_OK,
                       pkcs11_provision_import_certificate(&provision, certificate, certificate_length, NULL));
    }
    pkcs11_provision_close(&provision);
}

static void token_store_root(const unsigned char *root, size_t root_length)
{
    pkcs11_provision_t provision;
    TEST_ASSERT_EQ(PKCS11_PROVISION_OK, pkcs11_provision_attach(&provision, token, session));
    TEST_ASSERT_EQ(PKCS11_PROVISION_OK,
                   pkcs11_provision_import_certificate(&provision, root, root_length, PKCS11_LABEL_ROOT_CERTIFICATE));
    pkcs11_provision_close(&provision);
}

/* Every case starts and ends with an empty store, so the other TLS cases connect without client credentials. */
#define CLIENT_AUTH_TEST(name)                                                                                         \
    static void name##_case(void);                                                                                     \
    SOCKETS_TEST(TLS, name)                                                                                            \
    {                                                                                                                  \
        token = tls_test_token_open(&session);                                                                         \
        tls_test_token_clear(token, session);                                                                          \
        name##_case();                                                                                                 \
        tls_test_token_clear(token, session);                                                                          \
        TEST_ASSERT_EQ(CKR_OK, token->C_CloseSession(session));                                                        \
    }                                                                                                                  \
    static void name##_case(void)

/* ---- connections ---------------------------------------------------------------------------- */

/* Connects to `port` with the test CA as the root (or the token's root when `socket_root` is false). */
static int32_t connect_to(uint16_t port, bool socket_root, Socket_t *socket)
{
    *socket = sockets_test_open();
    if (socket_root) {
        TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_SetSockOpt(*socket, 0, SOCKETS_SO_TRUSTED_SERVER_CERTIFICATE,
                                                              test_ca_pem, test_ca_pem_length));
    }
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE,
                   SOCKETS_SetSockOpt(*socket, 0, SOCKETS_SO_SERVER_NAME_INDICATION, "localhost", strlen("localhost")));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_SetSockOpt(*socket, 0, SOCKETS_SO_REQUIRE_TLS, NULL, 0));
    SocketsSockaddr_t server = {.ucLength = sizeof server,
                                .ucSocketDomain = SOCKETS_AF_INET,
                                .usPort = SOCKETS_htons(port),
                                .ulAddress = TEST_ECHO_ADDRESS};
    return SOCKETS_Connect(*socket, &server, sizeof server);
}

/* A connection that must work, proven by 4 KB echoed through it. */
static void connect_and_echo(uint16_t port, bool socket_root)
{
    static uint8_t out[4096], in[4096];
    Socket_t socket;
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, connect_to(port, socket_root, &socket));
    sockets_test_fill_pattern(out, sizeof out, 42);
    TEST_ASSERT_EQ((int32_t)sizeof out, SOCKETS_Send(socket, out, sizeof out, 0));
    sockets_test_receive_all(socket, in, sizeof in, sizeof in);
    TEST_ASSERT_MEM_EQ(out, in, sizeof out);
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

static void connect_fails(uint16_t port, bool socket_root, int32_t expected)
{
    Socket_t socket;
    TEST_ASSERT_EQ(expected, connect_to(port, socket_root, &socket));
    TEST_ASSERT_EQ(SOCKETS_ERROR_NONE, SOCKETS_Close(socket));
}

/* ---- the cases ------------------------------------------------------------------------------ */

CLIENT_AUTH_TEST(ClientEcKeyAuthenticates)
{
    token_store_client(test_client_ec_key_der, test_client_ec_key_der_length, test_client_ec_crt_der,
                       test_client_ec_crt_der_length);
    connect_and_echo(TEST_TLS_MUTUAL_PORT, true);
}

CLIENT_AUTH_TEST(ClientRsaKeyAuthenticates)
{
    token_store_client(test_client_rsa_key_der, test_client_rsa_key_der_length, test_client_rsa_crt_der,
                       test_client_rsa_crt_der_length);
    connect_and_echo(TEST_TLS_MUTUAL_PORT, true);
}

/* The key is in the token for good: reading it back is refused, and the connection still works after. */
CLIENT_AUTH_TEST(ClientKeyStaysInTheToken)
{
    token_store_client(test_client_ec_key_der, test_client_ec_key_der_length, test_client_ec_crt_der,
                       test_client_ec_crt_der_length);
    CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE template[] = {{CKA_CLASS, &private_class, sizeof private_class}};
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    CK_ULONG count = 0;
    TEST_ASSERT_EQ(CKR_OK, token->C_FindObjectsInit(session, template, 1));
    TEST_ASSERT_EQ(CKR_OK, token->C_FindObjects(session, &key, 1, &count));
    TEST_ASSERT_EQ(CKR_OK, token->C_FindObjectsFinal(session));
    TEST_ASSERT_EQ(1, (int)count);
    uint8_t value[64];
    CK_ATTRIBUTE secret = {CKA_VALUE, value, sizeof value};
    TEST_ASSERT_EQ(CKR_ATTRIBUTE_SENSITIVE, token->C_GetAttributeValue(session, key, &secret, 1));
    TEST_ASSERT(secret.ulValueLen == CK_UNAVAILABLE_INFORMATION);
    connect_and_echo(TEST_TLS_MUTUAL_PORT, true);
}

/* Without credentials the server that demands them ends the handshake. */
CLIENT_AUTH_TEST(NoClientCertificateIsAHandshakeError)
{
    connect_fails(TEST_TLS_MUTUAL_PORT, true, SOCKETS_TLS_HANDSHAKE_ERROR);
}

/* Bad credentials: a certificate the server's CA did not sign. Failures free everything, like the others. */
CLIENT_AUTH_TEST(UntrustedClientCertificateIsAHandshakeError)
{
    token_store_client(test_client_untrusted_key_der, test_client_untrusted_key_der_length,
                       test_client_untrusted_crt_der, test_client_untrusted_crt_der_length);
    connect_fails(TEST_TLS_MUTUAL_PORT, true, SOCKETS_TLS_HANDSHAKE_ERROR);
    long before = tls_test_heap_in_use();
    for (int i = 0; i < TEST_TLS_FAILED_CLIENT_HANDSHAKES; i++) {
        connect_fails(TEST_TLS_MUTUAL_PORT, true, SOCKETS_TLS_HANDSHAKE_ERROR);
    }
    if (before >= 0) {
        TEST_ASSERT_RANGE(-4096, 4096, tls_test_heap_in_use() - before);
    }
}

/* Bad credentials found before any byte is sent: a certificate that is not the stored key's. */
CLIENT_AUTH_TEST(CertificateOfAnotherKeyIsAnInitError)
{
    token_store_client(test_client_ec_key_der, test_client_ec_key_der_length, test_client_rsa_crt_der,
                       test_client_rsa_crt_der_length);
    connect_fails(TEST_TLS_MUTUAL_PORT, true, SOCKETS_TLS_INIT_ERROR);
}

/* Half provisioned (a key without its certificate, or the reverse) is reported, not silently ignored. */
CLIENT_AUTH_TEST(HalfProvisionedTokenIsAnInitError)
{
    token_store_client(test_client_ec_key_der, test_client_ec_key_der_length, NULL, 0);
    connect_fails(TEST_TLS_MUTUAL_PORT, true, SOCKETS_TLS_INIT_ERROR);
    tls_test_token_clear(token, session);
    token_store_client(NULL, 0, test_client_ec_crt_der, test_client_ec_crt_der_length);
    connect_fails(TEST_TLS_MUTUAL_PORT, true, SOCKETS_TLS_INIT_ERROR);
}

/* With no root set on the socket, the token's "Root Cert" is the trusted root. */
CLIENT_AUTH_TEST(RootComesFromTheTokenWhenTheSocketHasNone)
{
    connect_fails(TEST_TLS_GOOD_PORT, false, SOCKETS_TLS_SERVER_UNVERIFIED); /* no root anywhere */
    token_store_root(test_untrusted_ca_pem, test_untrusted_ca_pem_length);
    connect_fails(TEST_TLS_GOOD_PORT, false, SOCKETS_TLS_SERVER_UNVERIFIED);
    token_store_root(test_ca_der, test_ca_der_length);
    connect_and_echo(TEST_TLS_GOOD_PORT, false);
    token_store_client(test_client_ec_key_der, test_client_ec_key_der_length, test_client_ec_crt_der,
                       test_client_ec_crt_der_length);
    connect_and_echo(TEST_TLS_MUTUAL_PORT, false);
}
