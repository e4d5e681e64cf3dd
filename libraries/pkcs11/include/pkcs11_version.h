/* Alder PKCS#11 module: its own semantic version (docs/releases.md), reported in C_GetInfo and C_GetTokenInfo.
 * It must never hold the Cryptoki version: that is the standard's 2.40, fixed in pkcs11_module.c. */
#ifndef PKCS11_VERSION_H
#define PKCS11_VERSION_H

/* cmake/alder_version.cmake reads these four lines and checks that they agree: keep each a plain #define. */
#define PKCS11_VERSION_MAJOR 0
#define PKCS11_VERSION_MINOR 1
#define PKCS11_VERSION_PATCH 0
#define PKCS11_VERSION "0.1.0"

#endif /* PKCS11_VERSION_H */
