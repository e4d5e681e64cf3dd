/* Alder TLS: the library's own semantic version (docs/releases.md).
 * It must never hold mbedTLS's version: that is MBEDTLS_VERSION_STRING, from the mbedTLS the board links. */
#ifndef TLS_VERSION_H
#define TLS_VERSION_H

/* cmake/alder_version.cmake reads these four lines and checks that they agree: keep each a plain #define. */
#define TLS_VERSION_MAJOR 0
#define TLS_VERSION_MINOR 1
#define TLS_VERSION_PATCH 0
#define TLS_VERSION "0.1.0"

#endif /* TLS_VERSION_H */
