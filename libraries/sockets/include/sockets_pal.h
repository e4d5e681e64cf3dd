/* Alder Secure Sockets: the TCP transport a board implements (its network stack, host sockets on the simulator,
 * or a network coprocessor). It must never see TLS or the Secure Sockets handles: the library maps those. */
#ifndef SOCKETS_PAL_H
#define SOCKETS_PAL_H

#include <stddef.h>
#include <stdint.h>

#include "FreeRTOS.h"

/*
 * Contract, for every function below:
 * - A transport socket is a small integer handle >= 0 that sockets_pal_open chose.
 * - Addresses and ports are in network byte order.
 * - Errors are the SOCKETS_* codes of iot_secure_sockets.h (negative).
 * - Timeouts are in ticks; portMAX_DELAY waits for ever, 0 does not wait at all. A function that
 *   waits blocks only the calling task (never the CPU), and wakes as soon as it can proceed.
 * - The library calls send and recv on one handle from at most one task each, at the same time;
 *   open, connect, shutdown and close never overlap with anything else on that handle, except
 *   that shutdown may come while a send or recv is blocked (it must wake it).
 * docs/porting/sockets.md explains each function, and the TCP group proves them.
 */

/* Starts the transport (the network interface is up when it returns). 0, or SOCKETS_SOCKET_ERROR. */
int32_t sockets_pal_init(void);

/* A new TCP socket: its handle (>= 0), or SOCKETS_ENOMEM when none is free. */
int32_t sockets_pal_open(void);

/* Connects. 0; SOCKETS_SOCKET_ERROR when refused or unreachable; SOCKETS_EWOULDBLOCK when the timeout
 * passed first (the handle is then only good for close). */
int32_t sockets_pal_connect(int32_t handle, uint32_t address, uint16_t port, TickType_t timeout);

/* Hands up to `length` (> 0) bytes to the transport. Returns how many it took (> 0) as soon as it
 * takes any; 0 when the timeout passed with none taken; SOCKETS_ECLOSED when the connection is
 * gone (reset, or shut down for writing). */
int32_t sockets_pal_send(int32_t handle, const void *data, size_t length, TickType_t timeout);

/* Receives up to `length` (> 0) bytes: returns the count (> 0) as soon as there is any; 0 when
 * the timeout passed with none; SOCKETS_ECLOSED when the peer closed or reset the connection, or
 * it was shut down for reading. */
int32_t sockets_pal_recv(int32_t handle, void *buffer, size_t length, TickType_t timeout);

/* Shuts down reading (SOCKETS_SHUT_RD), writing (SOCKETS_SHUT_WR) or both, and wakes a task blocked
 * in recv (for RD) or send (for WR) on the handle: it returns SOCKETS_ECLOSED. 0, or SOCKETS_ENOTCONN. */
int32_t sockets_pal_shutdown(int32_t handle, uint32_t how);

/* Releases the handle (no task is inside a call on it by then). */
void sockets_pal_close(int32_t handle);

/* Sets the send (SOCKETS_SO_SNDBUF) or receive (SOCKETS_SO_RCVBUF) buffer size before connect.
 * 0; SOCKETS_ENOPROTOOPT when the transport has no such setting; SOCKETS_EINVAL for a size it refuses. */
int32_t sockets_pal_set_buffer(int32_t handle, int32_t option, uint32_t bytes);

/* Calls `ready(handle)` from a task context (never an ISR) each time data arrives on the handle,
 * until set to NULL. 0, or SOCKETS_ENOPROTOOPT when the transport cannot. */
int32_t sockets_pal_set_ready_callback(int32_t handle, void (*ready)(int32_t handle));

/* The IPv4 address (network order) of a host name, or 0 when it has none. Waits up to `timeout`. */
uint32_t sockets_pal_resolve(const char *host_name, TickType_t timeout);

#endif /* SOCKETS_PAL_H */
