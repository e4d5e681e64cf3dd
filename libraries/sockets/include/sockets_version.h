/* Alder Secure Sockets: the library's semantic version (docs/releases.md says when each part changes).
 * It must never hold anything else: tests/version reads it. */
#ifndef SOCKETS_VERSION_H
#define SOCKETS_VERSION_H

#define SOCKETS_VERSION_MAJOR 0
#define SOCKETS_VERSION_MINOR 1
#define SOCKETS_VERSION_PATCH 0
#define SOCKETS_VERSION "0.1.0"

#endif /* SOCKETS_VERSION_H */
