/* Echo server TLS setup: loads the PEM files and configures mbedTLS 2.28 as a TLS 1.2 server.
 * It must never accept a key that does not match the certificate, nor a protocol older than TLS 1.2. */
#include "tls.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>

#include "log.h"

void echo_tls_error_text(int ret, char *text, size_t size)
{
    char detail[160];
    mbedtls_strerror(ret, detail, sizeof detail);
    snprintf(text, size, "%s (-0x%04x)", detail, (unsigned)-ret);
}

/* mbedTLS says only "file I/O error" for a missing file: errno says which. */
static bool readable(const char *what, const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        echo_log(ECHO_LOG_ERROR, "cannot read %s %s: %s", what, path, strerror(errno));
        return false;
    }
    fclose(file);
    return true;
}

static bool file_error(const char *what, const char *path, int ret)
{
    char text[200];
    echo_tls_error_text(ret, text, sizeof text);
    echo_log(ECHO_LOG_ERROR, "cannot use %s %s: %s", what, path, text);
    return false;
}

static bool load_files(struct echo_tls *tls, const struct echo_options *opts)
{
    if (!readable("certificate", opts->cert) || !readable("key", opts->key) ||
        (opts->ca != NULL && !readable("CA certificate", opts->ca))) {
        return false;
    }
    int ret = mbedtls_x509_crt_parse_file(&tls->cert, opts->cert);
    if (ret != 0) {
        return file_error("certificate", opts->cert, ret);
    }
    ret = mbedtls_pk_parse_keyfile(&tls->key, opts->key, NULL);
    if (ret != 0) {
        return file_error("key", opts->key, ret);
    }
    ret = mbedtls_pk_check_pair(&tls->cert.pk, &tls->key);
    if (ret != 0) {
        echo_log(ECHO_LOG_ERROR, "key %s does not belong to certificate %s", opts->key, opts->cert);
        return false;
    }
    if (opts->ca != NULL) {
        ret = mbedtls_x509_crt_parse_file(&tls->ca, opts->ca);
        if (ret != 0) {
            return file_error("CA certificate", opts->ca, ret);
        }
    }
    return true;
}

static bool configure(struct echo_tls *tls, const struct echo_options *opts)
{
    static const unsigned char personal[] = "alder echo_server";
    char text[200];
    int ret = mbedtls_ctr_drbg_seed(&tls->drbg, mbedtls_entropy_func, &tls->entropy, personal, sizeof personal);
    if (ret == 0) {
        ret = mbedtls_ssl_config_defaults(&tls->conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    }
    if (ret == 0) {
        ret = mbedtls_ssl_conf_own_cert(&tls->conf, &tls->cert, &tls->key);
    }
    if (ret != 0) {
        echo_tls_error_text(ret, text, sizeof text);
        echo_log(ECHO_LOG_ERROR, "TLS setup failed: %s", text);
        return false;
    }
    mbedtls_ssl_conf_rng(&tls->conf, mbedtls_ctr_drbg_random, &tls->drbg);
    /* Debian's mbedTLS 2.28 still builds TLS 1.0 and 1.1 in; the groups must see them refused. */
    mbedtls_ssl_conf_min_version(&tls->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    /* OPTIONAL still sends a CertificateRequest, and lets the handshake go on whatever the client sends. */
    mbedtls_ssl_conf_authmode(&tls->conf,
                              opts->verify_client ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_OPTIONAL);
    if (opts->ca != NULL) {
        mbedtls_ssl_conf_ca_chain(&tls->conf, &tls->ca, NULL);
    }
    return true;
}

bool echo_tls_init(struct echo_tls *tls, const struct echo_options *opts)
{
    mbedtls_entropy_init(&tls->entropy);
    mbedtls_ctr_drbg_init(&tls->drbg);
    mbedtls_x509_crt_init(&tls->ca);
    mbedtls_x509_crt_init(&tls->cert);
    mbedtls_pk_init(&tls->key);
    mbedtls_ssl_config_init(&tls->conf);
    if (!load_files(tls, opts) || !configure(tls, opts)) {
        return false;
    }
    char subject[256];
    if (mbedtls_x509_dn_gets(subject, sizeof subject, &tls->cert.subject) < 0) {
        snprintf(subject, sizeof subject, "?");
    }
    echo_log(ECHO_LOG_INFO, "TLS 1.2: certificate \"%s\" (%s key); client certificates %s", subject,
             mbedtls_pk_get_name(&tls->key), opts->verify_client ? "required" : "requested, any accepted");
    return true;
}

void echo_tls_free(struct echo_tls *tls)
{
    mbedtls_ssl_config_free(&tls->conf);
    mbedtls_pk_free(&tls->key);
    mbedtls_x509_crt_free(&tls->cert);
    mbedtls_x509_crt_free(&tls->ca);
    mbedtls_ctr_drbg_free(&tls->drbg);
    mbedtls_entropy_free(&tls->entropy);
}
