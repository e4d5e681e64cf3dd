/* Alder TLS: a TLS 1.2 client over mbedTLS 2.28 on a caller-owned context and a caller-given transport.
 * It must never know the board's transport (sockets_pal.h): bytes move only through tls_transport_t. */
#ifndef TLS_H
#define TLS_H

#include <stddef.h>
#include <stdint.h>

#include "FreeRTOS.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include "tls_config_defaults.h"
#include "tls_version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status. The negative values equal the Secure Sockets codes of the same meaning (iot_secure_sockets.h),
 * so the sockets layer passes them on unchanged. */
typedef enum tls_status {
    TLS_OK = 0,
    TLS_CLOSED = -128,             /* the peer closed (close_notify or end of stream), or the transport went away */
    TLS_INIT_ERROR = -1001,        /* setup failed: bad arguments, a root that does not parse, no memory, no entropy */
    TLS_HANDSHAKE_ERROR = -1002,   /* the handshake failed for any reason but verification, or timed out */
    TLS_SERVER_UNVERIFIED = -1003, /* the server's certificate did not verify (chain, dates, or name) */
    TLS_RECV_ERROR = -1004,        /* a record could not be read (bad MAC, alert, protocol error) */
    TLS_SEND_ERROR = -1005,        /* a record could not be written */
} tls_status_t;

/*
 * The transport: two functions over the caller's connection. Both follow sockets_pal.h: return the
 * count (> 0) as soon as any bytes moved; 0 when `timeout` ticks passed with none (0 = do not wait,
 * portMAX_DELAY = for ever); a negative value when the connection is gone. They may block the calling task.
 */
typedef struct tls_transport {
    void *context; /* passed back as the first argument */
    int32_t (*send)(void *context, const uint8_t *data, size_t length, TickType_t timeout);
    int32_t (*recv)(void *context, uint8_t *buffer, size_t length, TickType_t timeout);
} tls_transport_t;

/* What to connect with. The library reads these during tls_connect only; nothing is kept after.
 * With TLS_CONFIG_PKCS11 (an image that has the PKCS#11 module), the device's credentials come from the token:
 * its "Root Cert" when `root` is NULL, and, when both are stored, "Device Cert" with "Device Priv TLS Key" for
 * client authentication (the key signs inside the token). */
typedef struct tls_config {
    const uint8_t *root; /* the trusted root: DER, or PEM including its terminating NUL in root_length */
    size_t root_length;
    const char *server_name; /* NUL-terminated: sent as SNI and checked against the certificate; NULL: neither */
    const char *const *alpn; /* NULL-terminated list of protocol names to offer, or NULL */
} tls_config_t;

/* One connection. The caller owns the memory (under 2 KB; mbedTLS allocates its record buffers and
 * handshake state with calloc). Only tls_* functions touch the fields. The random generator is one
 * for all connections, inside tls.c: its entropy pool alone is 38 KB with Debian's mbedTLS (HAVEGE). */
typedef struct tls_context {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config config;
    mbedtls_x509_crt root;
    const char *alpn[TLS_CONFIG_MAX_ALPN_PROTOCOLS + 1]; /* mbedTLS keeps this pointer: it must outlive the session */
#if TLS_CONFIG_PKCS11
    mbedtls_x509_crt client_certificate; /* "Device Cert" from the token, when stored */
    mbedtls_pk_context client_key;       /* signs through C_Sign on "Device Priv TLS Key" */
#endif
    tls_transport_t transport;
    TickType_t timeout; /* of the transport call in progress */
    uint8_t open;       /* tls_connect succeeded and tls_close has not run */
} tls_context_t;

/*
 * Board hook: fill `out` with `length` bytes from a true random source (a TRNG, or the host's).
 * Returns 0, or -1 when the source has nothing to give. mbedTLS calls it while holding a lock, so it
 * must never block or yield. The ALPN names and server name it never sees.
 */
int tls_pal_entropy(uint8_t *out, size_t length);

/*
 * Sets up `context`, then runs the handshake over `transport`, each transport call waiting at most
 * `timeout`. The server's certificate must chain to config->root; with a server name, it must also
 * name that host. Returns TLS_OK (the context is open: tls_send, tls_recv, then tls_close), or
 * TLS_INIT_ERROR (also: the token cannot be opened, or holds only one of the device certificate and key, or a
 * certificate that is not the key's), TLS_HANDSHAKE_ERROR (also: the server refused the client certificate),
 * TLS_SERVER_UNVERIFIED: then everything is already freed and the
 * context needs no tls_close. The config's strings are copied or used during the call only, except
 * the ALPN names themselves, which must live until tls_close.
 */
tls_status_t tls_connect(tls_context_t *context, const tls_config_t *config, const tls_transport_t *transport,
                         TickType_t timeout);

/*
 * Sends up to `length` bytes (at most one record's worth per call, 16 KB). Returns the count taken
 * (> 0); 0 when the timeout passed first; TLS_CLOSED; TLS_SEND_ERROR. After a 0, call again with the
 * same data: mbedTLS may already hold part of it.
 */
int32_t tls_send(tls_context_t *context, const uint8_t *data, size_t length, TickType_t timeout);

/* Receives up to `length` bytes of plaintext. Returns the count (> 0); 0 when the timeout passed with
 * none; TLS_CLOSED; TLS_RECV_ERROR. */
int32_t tls_recv(tls_context_t *context, uint8_t *buffer, size_t length, TickType_t timeout);

/* The protocol the server chose among the ALPN names offered, or NULL. */
const char *tls_alpn_chosen(const tls_context_t *context);

/* Sends close_notify if the transport takes it at once, then frees everything. Safe on a closed context. */
void tls_close(tls_context_t *context);

#ifdef __cplusplus
}
#endif

#endif /* TLS_H */
