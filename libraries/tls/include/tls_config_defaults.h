/* Alder TLS: the defaults of every TLS_CONFIG_* macro; an application overrides one by defining it first.
 * It must never hold a board's choice: boards provide entropy (tls_pal_entropy), nothing here. */
#ifndef TLS_CONFIG_DEFAULTS_H
#define TLS_CONFIG_DEFAULTS_H

/* Most ALPN names a client offers (the list in tls_config_t is cut to this many). */
#ifndef TLS_CONFIG_MAX_ALPN_PROTOCOLS
#define TLS_CONFIG_MAX_ALPN_PROTOCOLS 4
#endif

/* Bytes tls_pal_entropy is asked for at a time; mbedTLS gathers until it has enough. */
#ifndef TLS_CONFIG_ENTROPY_CHUNK
#define TLS_CONFIG_ENTROPY_CHUNK 32
#endif

/* The personalisation string of each context's random generator: any constant does; a device id is better. */
#ifndef TLS_CONFIG_DRBG_PERSONALIZATION
#define TLS_CONFIG_DRBG_PERSONALIZATION "alder-tls"
#endif

/* 1: the device's root, certificate and key come from the PKCS#11 module (tls.h, tls_config_t). The build sets it
 * when the image has the module (libraries/tls/CMakeLists.txt). */
#ifndef TLS_CONFIG_PKCS11
#define TLS_CONFIG_PKCS11 0
#endif

/* The PIN the TLS layer logs in to the token with (TLS_CONFIG_PKCS11). Default: the module's own user PIN. */
#ifndef TLS_CONFIG_PKCS11_PIN
#define TLS_CONFIG_PKCS11_PIN PKCS11_CONFIG_USER_PIN
#endif

#endif /* TLS_CONFIG_DEFAULTS_H */
