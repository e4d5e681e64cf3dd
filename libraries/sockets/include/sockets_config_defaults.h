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

#endif /* SOCKETS_CONFIG_DEFAULTS_H */
