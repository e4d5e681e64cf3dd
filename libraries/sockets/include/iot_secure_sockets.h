/* Alder Secure Sockets: the published Secure Sockets API (names, option numbers and error codes as published),
 * TCP with optional TLS. It must never expose the board's transport: that is sockets_pal.h, below this API. */
#ifndef IOT_SECURE_SOCKETS_H
#define IOT_SECURE_SOCKETS_H

#include <stddef.h>
#include <stdint.h>

#include "FreeRTOS.h"
#include "sockets_config_defaults.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A socket. SOCKETS_INVALID_SOCKET is what SOCKETS_Socket returns when it cannot make one. */
typedef struct sockets_socket *Socket_t;
#define SOCKETS_INVALID_SOCKET ((Socket_t)~0U)

/* An IPv4 address and port, both in network byte order. ucLength is sizeof(SocketsSockaddr_t). */
typedef struct SocketsSockaddr {
    uint8_t ucLength;
    uint8_t ucSocketDomain; /* SOCKETS_AF_INET */
    uint16_t usPort;
    uint32_t ulAddress;
} SocketsSockaddr_t;

/* Domains, types and protocols: only IPv4 TCP exists here. */
#define SOCKETS_AF_INET 2
#define SOCKETS_PF_INET SOCKETS_AF_INET
#define SOCKETS_AF_INET6 10
#define SOCKETS_SOCK_DGRAM 2
#define SOCKETS_SOCK_STREAM 1
#define SOCKETS_IPPROTO_UDP 17
#define SOCKETS_IPPROTO_TCP 6

/* Return codes. Every function returns SOCKETS_ERROR_NONE or one of the negative values. */
#define SOCKETS_ERROR_NONE 0
#define SOCKETS_SOCKET_ERROR (-1)
#define SOCKETS_EWOULDBLOCK (-11)
#define SOCKETS_ENOMEM (-12)
#define SOCKETS_EINVAL (-22)
#define SOCKETS_ENOPROTOOPT (-109)
#define SOCKETS_ENOTCONN (-126)
#define SOCKETS_EISCONN (-127)
#define SOCKETS_ECLOSED (-128)
#define SOCKETS_TLS_INIT_ERROR (-1001)
#define SOCKETS_TLS_HANDSHAKE_ERROR (-1002)
#define SOCKETS_TLS_SERVER_UNVERIFIED (-1003)
#define SOCKETS_TLS_RECV_ERROR (-1004)
#define SOCKETS_TLS_SEND_ERROR (-1005)
#define SOCKETS_PERIPHERAL_RESET (-1006)

/* Options for SOCKETS_SetSockOpt (level 0). */
#define SOCKETS_SO_RCVTIMEO 0                    /* TickType_t milliseconds; 0 waits for ever */
#define SOCKETS_SO_SNDTIMEO 1                    /* TickType_t milliseconds; 0 waits for ever */
#define SOCKETS_SO_SNDBUF 4                      /* uint32_t bytes, before connect */
#define SOCKETS_SO_RCVBUF 5                      /* uint32_t bytes, before connect */
#define SOCKETS_SO_SERVER_NAME_INDICATION 6      /* host name, before connect */
#define SOCKETS_SO_TRUSTED_SERVER_CERTIFICATE 7  /* PEM or DER root certificate, before connect */
#define SOCKETS_SO_REQUIRE_TLS 8                 /* no value, before connect */
#define SOCKETS_SO_NONBLOCK 9                    /* no value, after connect */
#define SOCKETS_SO_ALPN_PROTOCOLS 10             /* char *[] of names; the length is their count; before connect */
#define SOCKETS_SO_WAKEUP_CALLBACK 17            /* void (*)(Socket_t), after connect */

/* SOCKETS_Shutdown's `how`. */
#define SOCKETS_SHUT_RD 0
#define SOCKETS_SHUT_WR 1
#define SOCKETS_SHUT_RDWR 2

#define securesocketsMAX_DNS_NAME_LENGTH 253
#define securesocketsDEFAULT_TLS_DESTINATION_PORT 443

/* Byte order. The target is little-endian unless the config says otherwise. */
#if defined(socketsconfigBYTE_ORDER) && (socketsconfigBYTE_ORDER == pdBIG_ENDIAN)
#define SOCKETS_htonl(x) ((uint32_t)(x))
#define SOCKETS_htons(x) ((uint16_t)(x))
#else
#define SOCKETS_htonl(x) __builtin_bswap32((uint32_t)(x))
#define SOCKETS_htons(x) __builtin_bswap16((uint16_t)(x))
#endif
#define SOCKETS_ntohl(x) SOCKETS_htonl(x)
#define SOCKETS_ntohs(x) SOCKETS_htons(x)

/* a.b.c.d as a network-order address. */
#define SOCKETS_inet_addr_quick(a, b, c, d)                                                                            \
    SOCKETS_htonl(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* Writes "a.b.c.d" (at most 16 bytes with the terminator) for a network-order address. */
void SOCKETS_inet_ntoa(uint32_t address, char *text);

/* Starts the library and the board's transport. Returns pdPASS, or pdFAIL when the transport
 * cannot start. Idempotent; every other function needs it first. */
BaseType_t SOCKETS_Init(void);

/* A new TCP socket (domain SOCKETS_AF_INET, type SOCKETS_SOCK_STREAM, protocol SOCKETS_IPPROTO_TCP).
 * Returns SOCKETS_INVALID_SOCKET for any other kind, before SOCKETS_Init, or when all
 * SOCKETS_CONFIG_MAX_SOCKETS are in use. */
Socket_t SOCKETS_Socket(int32_t domain, int32_t type, int32_t protocol);

/* Connects, then performs the TLS handshake when SOCKETS_SO_REQUIRE_TLS was set. Waits at most the
 * receive timeout for each step. Returns SOCKETS_ERROR_NONE; SOCKETS_EINVAL (bad socket or address);
 * SOCKETS_EISCONN; SOCKETS_SOCKET_ERROR (refused, unreachable); SOCKETS_EWOULDBLOCK (timed out);
 * SOCKETS_TLS_* (the handshake failed; the socket is then unusable: close it). */
int32_t SOCKETS_Connect(Socket_t socket, SocketsSockaddr_t *address, uint32_t address_length);

/* Sends `length` bytes, waiting up to the send timeout for the transport to take them. Returns the
 * number of bytes sent (less than `length`, or 0, only when the timeout passed first), or
 * SOCKETS_EINVAL, SOCKETS_ENOTCONN, SOCKETS_ECLOSED (shut down, or the peer went away),
 * SOCKETS_TLS_SEND_ERROR. */
int32_t SOCKETS_Send(Socket_t socket, const void *data, size_t length, uint32_t flags);

/* Receives up to `length` bytes: returns as soon as there is at least one. Returns the count; 0 when
 * the receive timeout passed with nothing; SOCKETS_ECLOSED when the peer closed (or the socket was
 * shut down or closed meanwhile); SOCKETS_EINVAL, SOCKETS_ENOTCONN, SOCKETS_TLS_RECV_ERROR. */
int32_t SOCKETS_Recv(Socket_t socket, void *buffer, size_t length, uint32_t flags);

/* Shuts down reading, writing or both. A task blocked in SOCKETS_Recv on the socket returns
 * SOCKETS_ECLOSED. Returns SOCKETS_ERROR_NONE, SOCKETS_EINVAL, SOCKETS_ENOTCONN. */
int32_t SOCKETS_Shutdown(Socket_t socket, uint32_t how);

/* Closes the socket and frees it. A task blocked in SOCKETS_Recv or SOCKETS_Send on it returns
 * SOCKETS_ECLOSED first. Returns SOCKETS_ERROR_NONE, or SOCKETS_EINVAL for a bad socket. */
int32_t SOCKETS_Close(Socket_t socket);

/* Sets an option (the list above). Returns SOCKETS_ERROR_NONE; SOCKETS_EINVAL (bad socket or value);
 * SOCKETS_ENOPROTOOPT (unknown option, or not in this state: a TLS option after connect);
 * SOCKETS_ENOMEM (a value larger than its configured room). */
int32_t SOCKETS_SetSockOpt(Socket_t socket, int32_t level, int32_t option, const void *value, size_t length);

/* The IPv4 address of a host name, in network byte order, or 0 when it cannot be resolved (or the
 * name is NULL, empty or longer than securesocketsMAX_DNS_NAME_LENGTH). */
uint32_t SOCKETS_GetHostByName(const char *host_name);

#ifdef __cplusplus
}
#endif

#endif /* IOT_SECURE_SOCKETS_H */
