/* Alder Secure Sockets: the configuration macros and their defaults; an application overrides them in
 * FreeRTOSConfig.h (or a header it includes). It must never hold board facts: the transport's are the board's. */
#ifndef SOCKETS_CONFIG_DEFAULTS_H
#define SOCKETS_CONFIG_DEFAULTS_H

/* Sockets open at once. Each takes one slot of a static table (about 40 bytes without TLS). */
#ifndef SOCKETS_CONFIG_MAX_SOCKETS
#define SOCKETS_CONFIG_MAX_SOCKETS 8
#endif

/* Timeouts a new socket starts with, in milliseconds (the published defaults: 10 s). */
#ifndef SOCKETS_CONFIG_DEFAULT_SEND_TIMEOUT_MS
#define SOCKETS_CONFIG_DEFAULT_SEND_TIMEOUT_MS 10000u
#endif
#ifndef SOCKETS_CONFIG_DEFAULT_RECV_TIMEOUT_MS
#define SOCKETS_CONFIG_DEFAULT_RECV_TIMEOUT_MS 10000u
#endif

/* The published names of the two defaults, for code written against them. */
#ifndef socketsconfigDEFAULT_SEND_TIMEOUT
#define socketsconfigDEFAULT_SEND_TIMEOUT SOCKETS_CONFIG_DEFAULT_SEND_TIMEOUT_MS
#endif
#ifndef socketsconfigDEFAULT_RECV_TIMEOUT
#define socketsconfigDEFAULT_RECV_TIMEOUT SOCKETS_CONFIG_DEFAULT_RECV_TIMEOUT_MS
#endif

/* 1 when the image links libraries/tls (CMake target alder_sockets_tls sets it); with 0 the TLS
 * options answer SOCKETS_ENOPROTOOPT. */
#ifndef SOCKETS_CONFIG_TLS
#define SOCKETS_CONFIG_TLS 0
#endif

/* The allocator of a TLS socket's state: one block per socket that uses a TLS option, freed at close. */
#ifndef SOCKETS_CONFIG_MALLOC
#define SOCKETS_CONFIG_MALLOC pvPortMalloc
#endif
#ifndef SOCKETS_CONFIG_FREE
#define SOCKETS_CONFIG_FREE vPortFree
#endif

/* Room for the trusted root (PEM or DER); a longer one is SOCKETS_ENOMEM. */
#ifndef SOCKETS_CONFIG_TLS_MAX_ROOT_BYTES
#define SOCKETS_CONFIG_TLS_MAX_ROOT_BYTES 2048u
#endif

/* Room for the ALPN names, each with its NUL; more (or more names than TLS_CONFIG_MAX_ALPN_PROTOCOLS)
 * is SOCKETS_ENOMEM. */
#ifndef SOCKETS_CONFIG_TLS_ALPN_BYTES
#define SOCKETS_CONFIG_TLS_ALPN_BYTES 64u
#endif

#endif /* SOCKETS_CONFIG_DEFAULTS_H */
