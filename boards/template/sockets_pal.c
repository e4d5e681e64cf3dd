/* Alder template board: the TCP transport behind the Secure Sockets API (sockets_pal.h; docs/porting/sockets.md).
 * It must never block the CPU in a wait: a task waits on a semaphore or notification that the network ISR gives. */
#include "FreeRTOS.h"
#include "iot_secure_sockets.h"
#include "not_implemented.h"
#include "sockets_pal.h"

#define GUIDE "docs/porting/sockets.md"

/* Bring the network interface up (PHY, MAC, IP stack, DHCP or a static address) and return 0, or
 * SOCKETS_SOCKET_ERROR when it cannot. Called once, from a task, by SOCKETS_Init. */
int32_t sockets_pal_init(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return SOCKETS_SOCKET_ERROR;
}

/* Allocate a TCP socket of your stack: return a handle >= 0 (an index into your own table), or
 * SOCKETS_ENOMEM when none is free. */
int32_t sockets_pal_open(void)
{
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return SOCKETS_ENOMEM;
}

/* Connect to address:port (network byte order) within `timeout` ticks: 0; SOCKETS_SOCKET_ERROR when
 * refused or unreachable; SOCKETS_EWOULDBLOCK when the timeout passed. */
int32_t sockets_pal_connect(int32_t handle, uint32_t address, uint16_t port, TickType_t timeout)
{
    (void)handle, (void)address, (void)port, (void)timeout;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return SOCKETS_SOCKET_ERROR;
}

/* Hand up to `length` bytes to the stack: return how many it took (> 0) as soon as it takes any; 0 when
 * `timeout` ticks passed with none taken; SOCKETS_ECLOSED when the connection is gone or shut for writing. */
int32_t sockets_pal_send(int32_t handle, const void *data, size_t length, TickType_t timeout)
{
    (void)handle, (void)data, (void)length, (void)timeout;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return SOCKETS_ECLOSED;
}

/* Receive up to `length` bytes: the count (> 0) as soon as there is any; 0 after `timeout` ticks with
 * none; SOCKETS_ECLOSED when the peer closed or reset, or the socket was shut for reading. */
int32_t sockets_pal_recv(int32_t handle, void *buffer, size_t length, TickType_t timeout)
{
    (void)handle, (void)buffer, (void)length, (void)timeout;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return SOCKETS_ECLOSED;
}

/* Shut reading, writing or both (SOCKETS_SHUT_*) and wake a task blocked in recv or send on the handle
 * (it must return SOCKETS_ECLOSED). 0, or SOCKETS_ENOTCONN. */
int32_t sockets_pal_shutdown(int32_t handle, uint32_t how)
{
    (void)handle, (void)how;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return SOCKETS_ENOTCONN;
}

/* Free the handle; no task is inside a call on it any more. */
void sockets_pal_close(int32_t handle)
{
    (void)handle;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
}

/* Set the send or receive buffer (SOCKETS_SO_SNDBUF / SOCKETS_SO_RCVBUF) before connect: 0,
 * SOCKETS_ENOPROTOOPT when your stack has no such setting, SOCKETS_EINVAL for a size it refuses. */
int32_t sockets_pal_set_buffer(int32_t handle, int32_t option, uint32_t bytes)
{
    (void)handle, (void)option, (void)bytes;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return SOCKETS_ENOPROTOOPT;
}

/* Call ready(handle) from a task (never an ISR) whenever data arrives, until set to NULL: 0, or
 * SOCKETS_ENOPROTOOPT when you cannot. */
int32_t sockets_pal_set_ready_callback(int32_t handle, void (*ready)(int32_t handle))
{
    (void)handle, (void)ready;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return SOCKETS_ENOPROTOOPT;
}

/* The IPv4 address (network order) of host_name, by DNS or a hosts table, within `timeout`; 0 if none. */
uint32_t sockets_pal_resolve(const char *host_name, TickType_t timeout)
{
    (void)host_name, (void)timeout;
    template_not_implemented(__func__, __FILE__, __LINE__, GUIDE);
    return 0;
}
