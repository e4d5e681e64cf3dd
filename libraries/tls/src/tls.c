/* Alder TLS: the TLS 1.2 client over mbedTLS 2.28 (setup, handshake, records, the error mapping).
 * It must never leave mbedTLS memory behind: every failure path ends in free_all(). */
#include <string.h>

#include "FreeRTOS.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/error.h"
#include "mbedtls/net_sockets.h"
#include "task.h"
#include "tls.h"
#if TLS_CONFIG_PKCS11
#include "tls_pkcs11.h"
#endif

/* One random generator for every connection, seeded at the first tls_connect. */
static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static uint8_t drbg_seeded;

/* ---- the transport, as mbedTLS sees it ------------------------------------------------------- */

/* mbedTLS holds no lock while it calls these, so they may block the task on the transport. */
static int bio_send(void *arg, const unsigned char *data, size_t length)
{
    tls_context_t *context = arg;
    int32_t n = context->transport.send(context->transport.context, data, length, context->timeout);
    if (n > 0) {
        return (int)n;
    }
    return n == 0 ? MBEDTLS_ERR_SSL_WANT_WRITE : MBEDTLS_ERR_NET_CONN_RESET;
}

static int bio_recv(void *arg, unsigned char *buffer, size_t length)
{
    tls_context_t *context = arg;
    int32_t n = context->transport.recv(context->transport.context, buffer, length, context->timeout);
    if (n > 0) {
        return (int)n;
    }
    /* 0 from mbedTLS's receive callback means end of stream: that is what a closed transport is. */
    return n == 0 ? MBEDTLS_ERR_SSL_WANT_READ : 0;
}

/* Called by mbedtls_entropy_func with the entropy context's lock held: no blocking in here (tls.h). */
static int entropy_source(void *unused, unsigned char *out, size_t length, size_t *produced)
{
    (void)unused;
    if (tls_pal_entropy(out, length) != 0) {
        *produced = 0;
        return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
    }
    *produced = length;
    return 0;
}

/* ---- setup ---------------------------------------------------------------------------------- */

static void init_all(tls_context_t *context)
{
    mbedtls_ssl_init(&context->ssl);
    mbedtls_ssl_config_init(&context->config);
    mbedtls_x509_crt_init(&context->root);
#if TLS_CONFIG_PKCS11
    mbedtls_x509_crt_init(&context->client_certificate);
    mbedtls_pk_init(&context->client_key);
#endif
}

static void free_all(tls_context_t *context)
{
    mbedtls_ssl_free(&context->ssl);
    mbedtls_ssl_config_free(&context->config);
    mbedtls_x509_crt_free(&context->root);
#if TLS_CONFIG_PKCS11
    mbedtls_pk_free(&context->client_key);
    mbedtls_x509_crt_free(&context->client_certificate);
#endif
    context->open = 0;
}

/* The shared generator is used by one task at a time: seeding and drawing run with the scheduler suspended
 * (both are short, and the board's entropy hook never blocks). A failed seed is tried again next time. */
static int seed_random(void)
{
    static const char personalization[] = TLS_CONFIG_DRBG_PERSONALIZATION;
    int rc = 0;
    vTaskSuspendAll();
    if (!drbg_seeded) {
        mbedtls_entropy_init(&entropy);
        mbedtls_ctr_drbg_init(&drbg);
        rc = mbedtls_entropy_add_source(&entropy, entropy_source, NULL, TLS_CONFIG_ENTROPY_CHUNK,
                                        MBEDTLS_ENTROPY_SOURCE_STRONG);
        if (rc == 0) {
            rc = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)personalization,
                                       sizeof personalization - 1);
        }
        if (rc == 0) {
            drbg_seeded = 1;
        } else {
            mbedtls_ctr_drbg_free(&drbg);
            mbedtls_entropy_free(&entropy);
        }
    }
    (void)xTaskResumeAll();
    return rc;
}

static int draw_random(void *unused, unsigned char *out, size_t length)
{
    (void)unused;
    vTaskSuspendAll();
    int rc = mbedtls_ctr_drbg_random(&drbg, out, length);
    (void)xTaskResumeAll();
    return rc;
}

/* Copies the NULL-terminated ALPN list into the context (mbedTLS keeps the array, not a copy). */
static int set_alpn(tls_context_t *context, const char *const *alpn)
{
    if (alpn == NULL || alpn[0] == NULL) {
        return 0;
    }
    size_t count = 0;
    while (alpn[count] != NULL) {
        if (count == TLS_CONFIG_MAX_ALPN_PROTOCOLS) {
            return MBEDTLS_ERR_SSL_BAD_INPUT_DATA;
        }
        context->alpn[count] = alpn[count];
        count++;
    }
    context->alpn[count] = NULL;
    return mbedtls_ssl_conf_alpn_protocols(&context->config, context->alpn);
}

#if TLS_CONFIG_PKCS11
/* The token's root when the caller gave none, and the client credentials when the token holds them. */
static int use_token(tls_context_t *context, const tls_config_t *config, tls_token_t *token)
{
    int found = 0;
    if (config->root == NULL && tls_token_load_root(token, &context->root, &found) != TLS_OK) {
        return MBEDTLS_ERR_X509_BAD_INPUT_DATA;
    }
    if (tls_token_load_client(token, &context->client_certificate, &context->client_key, &found) != TLS_OK) {
        return MBEDTLS_ERR_X509_BAD_INPUT_DATA;
    }
    return found ? mbedtls_ssl_conf_own_cert(&context->config, &context->client_certificate, &context->client_key) : 0;
}
#endif

static int configure(tls_context_t *context, const tls_config_t *config, void *token)
{
    int rc = seed_random();
    if (rc == 0 && config->root != NULL) {
        rc = mbedtls_x509_crt_parse(&context->root, config->root, config->root_length);
    }
    if (rc == 0) {
        rc = mbedtls_ssl_config_defaults(&context->config, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                         MBEDTLS_SSL_PRESET_DEFAULT);
    }
    if (rc != 0) {
        return rc;
    }
    /* TLS 1.2 only: the older versions this mbedTLS still speaks are not safe to offer. */
    mbedtls_ssl_conf_min_version(&context->config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&context->config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_authmode(&context->config, MBEDTLS_SSL_VERIFY_REQUIRED);
    /* Off, as mbedTLS's default, said here because the token session that signs is gone after the handshake. */
    mbedtls_ssl_conf_renegotiation(&context->config, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
    mbedtls_ssl_conf_ca_chain(&context->config, &context->root, NULL);
    mbedtls_ssl_conf_rng(&context->config, draw_random, NULL);
#if TLS_CONFIG_PKCS11
    rc = use_token(context, config, token);
#else
    (void)token;
#endif
    if (rc == 0) {
        rc = set_alpn(context, config->alpn);
    }
    if (rc == 0) {
        rc = mbedtls_ssl_setup(&context->ssl, &context->config);
    }
    if (rc == 0 && config->server_name != NULL) {
        rc = mbedtls_ssl_set_hostname(&context->ssl, config->server_name);
    }
    return rc;
}

/* ---- the handshake -------------------------------------------------------------------------- */

static tls_status_t handshake(tls_context_t *context)
{
    int rc = mbedtls_ssl_handshake(&context->ssl);
    if (rc == 0) {
        return TLS_OK;
    }
    /* A verification failure shows as this code, or (when sending the alert is what failed) as flags left set;
     * all ones means verification never ran. */
    uint32_t flags = mbedtls_ssl_get_verify_result(&context->ssl);
    if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || (flags != 0 && flags != UINT32_MAX)) {
        return TLS_SERVER_UNVERIFIED;
    }
    return TLS_HANDSHAKE_ERROR;
}

tls_status_t tls_connect(tls_context_t *context, const tls_config_t *config, const tls_transport_t *transport,
                         TickType_t timeout)
{
    if (context == NULL || config == NULL || transport == NULL || transport->send == NULL || transport->recv == NULL) {
        return TLS_INIT_ERROR;
    }
    memset(context, 0, sizeof *context);
    context->transport = *transport;
    context->timeout = timeout;
    init_all(context);
    void *token = NULL;
#if TLS_CONFIG_PKCS11
    /* The session lives through the handshake only: the key signs once, in CertificateVerify (renegotiation,
     * which would sign again, stays off). */
    tls_token_t session;
    if (tls_token_open(&session) != TLS_OK) {
        free_all(context);
        return TLS_INIT_ERROR;
    }
    token = &session;
#endif
    tls_status_t status = TLS_INIT_ERROR;
    if (configure(context, config, token) == 0) {
        mbedtls_ssl_set_bio(&context->ssl, context, bio_send, bio_recv, NULL);
        status = handshake(context);
    }
#if TLS_CONFIG_PKCS11
    tls_token_close(&session);
#endif
    if (status != TLS_OK) {
        free_all(context);
        return status;
    }
    context->open = 1;
    return TLS_OK;
}

/* ---- records -------------------------------------------------------------------------------- */

int32_t tls_send(tls_context_t *context, const uint8_t *data, size_t length, TickType_t timeout)
{
    if (context == NULL || !context->open || data == NULL || length == 0) {
        return TLS_SEND_ERROR;
    }
    context->timeout = timeout;
    int rc = mbedtls_ssl_write(&context->ssl, data, length);
    if (rc > 0) {
        return rc;
    }
    if (rc == MBEDTLS_ERR_SSL_WANT_WRITE || rc == MBEDTLS_ERR_SSL_WANT_READ) {
        return 0;
    }
    return rc == MBEDTLS_ERR_NET_CONN_RESET ? TLS_CLOSED : TLS_SEND_ERROR;
}

int32_t tls_recv(tls_context_t *context, uint8_t *buffer, size_t length, TickType_t timeout)
{
    if (context == NULL || !context->open || buffer == NULL || length == 0) {
        return TLS_RECV_ERROR;
    }
    context->timeout = timeout;
    int rc = mbedtls_ssl_read(&context->ssl, buffer, length);
    if (rc > 0) {
        return rc;
    }
    switch (rc) {
    case MBEDTLS_ERR_SSL_WANT_READ:
    case MBEDTLS_ERR_SSL_WANT_WRITE:
        return 0;
    case 0: /* mbedTLS: end of stream */
    case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
    case MBEDTLS_ERR_SSL_CONN_EOF:
    case MBEDTLS_ERR_NET_CONN_RESET:
        return TLS_CLOSED;
    default:
        return TLS_RECV_ERROR;
    }
}

const char *tls_alpn_chosen(const tls_context_t *context)
{
    return context != NULL && context->open ? mbedtls_ssl_get_alpn_protocol(&context->ssl) : NULL;
}

void tls_close(tls_context_t *context)
{
    if (context == NULL || !context->open) {
        return;
    }
    /* Best effort and never blocking: a peer that is gone must not hold up the close. */
    context->timeout = 0;
    (void)mbedtls_ssl_close_notify(&context->ssl);
    free_all(context);
}
