/* Echo server TLS setup: the random generator, the server certificate and key, the client CA, and the one
 * mbedtls_ssl_config that every TLS connection shares. It must never log or copy key material. */
#ifndef ECHO_TLS_H
#define ECHO_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "options.h"

struct echo_tls {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_x509_crt ca;
    mbedtls_x509_crt cert;
    mbedtls_pk_context key;
    mbedtls_ssl_config conf;
};

/* Reads opts->cert, opts->key and opts->ca and builds tls->conf (TLS 1.2, client certificate required or
 * only requested). On failure it has logged which file and why. Call echo_tls_free afterwards in any case. */
bool echo_tls_init(struct echo_tls *tls, const struct echo_options *opts);
void echo_tls_free(struct echo_tls *tls);

/* mbedTLS's text for an error code, for logs. */
void echo_tls_error_text(int ret, char *text, size_t size);

#endif
