/* Alder Secure Sockets: the portable layer over the board's TCP transport (sockets_pal.h): a static socket table,
 * timeouts, shutdown and close while other tasks are blocked, and TLS through libraries/tls when it is linked.
 * It must never allocate but through SOCKETS_CONFIG_MALLOC, and only a TLS socket's state (freed at close). */
#include <stdbool.h>
#include <string.h>

#include "FreeRTOS.h"
#include "iot_secure_sockets.h"
#include "sockets_pal.h"
#include "task.h"

#if SOCKETS_CONFIG_TLS
#include "tls.h"

/* tls.h promises its codes equal ours; the layer passes them on, so a drift must not compile. */
typedef char
    sockets_tls_codes_agree[(TLS_CLOSED == SOCKETS_ECLOSED && TLS_INIT_ERROR == SOCKETS_TLS_INIT_ERROR &&
                             TLS_HANDSHAKE_ERROR == SOCKETS_TLS_HANDSHAKE_ERROR &&
                             TLS_SERVER_UNVERIFIED == SOCKETS_TLS_SERVER_UNVERIFIED &&
                             TLS_RECV_ERROR == SOCKETS_TLS_RECV_ERROR && TLS_SEND_ERROR == SOCKETS_TLS_SEND_ERROR)
                                ? 1
                                : -1];

/* The options are copied here before connect: the caller's buffers may be gone by then. */
struct sockets_tls {
    tls_context_t context;
    bool required;
    bool open; /* the handshake succeeded and tls_close has not run */
    char server_name[securesocketsMAX_DNS_NAME_LENGTH + 1];
    size_t root_length;
    uint8_t root[SOCKETS_CONFIG_TLS_MAX_ROOT_BYTES + 1]; /* + 1: a NUL after a PEM root, as mbedTLS wants */
    char alpn_names[SOCKETS_CONFIG_TLS_ALPN_BYTES];
    const char *alpn[TLS_CONFIG_MAX_ALPN_PROTOCOLS + 1];
};
#endif

enum socket_state { SOCKET_FREE = 0, SOCKET_CREATED, SOCKET_CONNECTED, SOCKET_FAILED };

struct sockets_socket {
    uint8_t state;
    bool closing; /* SOCKETS_Close has begun: no new caller may enter */
    bool read_shut;
    bool write_shut;
    bool nonblocking;
    uint8_t users;  /* tasks inside a call on the socket (a reader and a writer at most, plus setters) */
    int32_t handle; /* the transport's */
    TickType_t send_timeout, recv_timeout;
    void (*wakeup)(Socket_t socket);
#if SOCKETS_CONFIG_TLS
    struct sockets_tls *tls; /* NULL until a TLS option is set */
#endif
};

static struct sockets_socket table[SOCKETS_CONFIG_MAX_SOCKETS];
static bool initialized;

/* ---- the table ------------------------------------------------------------------------------ */

/* A handle from the caller is trusted only once it is found to point at a slot of the table. */
static bool is_slot(Socket_t socket)
{
    uintptr_t p = (uintptr_t)socket, first = (uintptr_t)&table[0];
    return p >= first && p < (uintptr_t)&table[SOCKETS_CONFIG_MAX_SOCKETS] && (p - first) % sizeof table[0] == 0;
}

/* Enters a call on the socket: it stays allocated until leave(). False for a bad or closing socket. */
static bool enter(Socket_t socket)
{
    if (!is_slot(socket)) {
        return false;
    }
    bool ok;
    taskENTER_CRITICAL();
    ok = socket->state != SOCKET_FREE && !socket->closing;
    if (ok) {
        socket->users++;
    }
    taskEXIT_CRITICAL();
    return ok;
}

static void leave(Socket_t socket)
{
    taskENTER_CRITICAL();
    socket->users--;
    taskEXIT_CRITICAL();
}

static Socket_t allocate(void)
{
    Socket_t found = SOCKETS_INVALID_SOCKET;
    taskENTER_CRITICAL();
    for (size_t i = 0; i < SOCKETS_CONFIG_MAX_SOCKETS; i++) {
        if (table[i].state == SOCKET_FREE) {
            memset(&table[i], 0, sizeof table[i]);
            table[i].state = SOCKET_CREATED;
            table[i].handle = -1;
            found = &table[i];
            break;
        }
    }
    taskEXIT_CRITICAL();
    return found;
}

static void release(Socket_t socket)
{
    taskENTER_CRITICAL();
    socket->state = SOCKET_FREE;
    socket->closing = false;
    taskEXIT_CRITICAL();
}

/* Published semantics: a timeout of 0 ms waits for ever. */
static TickType_t ms_to_wait(TickType_t ms)
{
    if (ms == 0) {
        return portMAX_DELAY;
    }
    TickType_t ticks = pdMS_TO_TICKS(ms);
    return ticks == 0 ? 1 : ticks;
}

/* ---- TLS ------------------------------------------------------------------------------------ */

#if SOCKETS_CONFIG_TLS
static int32_t tls_transport_send(void *context, const uint8_t *data, size_t length, TickType_t timeout)
{
    return sockets_pal_send(((Socket_t)context)->handle, data, length, timeout);
}

static int32_t tls_transport_recv(void *context, uint8_t *buffer, size_t length, TickType_t timeout)
{
    return sockets_pal_recv(((Socket_t)context)->handle, buffer, length, timeout);
}

/* The handshake after the TCP connect, when REQUIRE_TLS was set. */
static int32_t tls_start(Socket_t socket)
{
    struct sockets_tls *tls = socket->tls;
    if (tls == NULL || !tls->required) {
        return SOCKETS_ERROR_NONE;
    }
    tls_config_t config = {.root = tls->root_length != 0 ? tls->root : NULL,
                           .root_length = tls->root_length,
                           .server_name = tls->server_name[0] != '\0' ? tls->server_name : NULL,
                           .alpn = tls->alpn[0] != NULL ? tls->alpn : NULL};
    tls_transport_t transport = {.context = socket, .send = tls_transport_send, .recv = tls_transport_recv};
    tls_status_t status = tls_connect(&tls->context, &config, &transport, socket->recv_timeout);
    tls->open = status == TLS_OK;
    return (int32_t)status;
}

static bool tls_active(Socket_t socket)
{
    return socket->tls != NULL && socket->tls->open;
}

/* Ends the session (close_notify when it can go at once) and frees the socket's TLS state. */
static void tls_release(Socket_t socket)
{
    if (socket->tls != NULL) {
        if (socket->tls->open) {
            tls_close(&socket->tls->context);
        }
        SOCKETS_CONFIG_FREE(socket->tls);
        socket->tls = NULL;
    }
}

/* The socket's TLS state, allocated by the first TLS option. */
static struct sockets_tls *tls_state(Socket_t socket)
{
    if (socket->tls == NULL) {
        socket->tls = SOCKETS_CONFIG_MALLOC(sizeof *socket->tls);
        if (socket->tls != NULL) {
            memset(socket->tls, 0, sizeof *socket->tls);
        }
    }
    return socket->tls;
}

static int32_t set_server_name(struct sockets_tls *tls, const char *name, size_t length)
{
    if (name == NULL || length == 0) {
        return SOCKETS_EINVAL;
    }
    if (length > securesocketsMAX_DNS_NAME_LENGTH) {
        return SOCKETS_ENOMEM;
    }
    memcpy(tls->server_name, name, length);
    tls->server_name[length] = '\0';
    return SOCKETS_ERROR_NONE;
}

static int32_t set_root(struct sockets_tls *tls, const uint8_t *root, size_t length)
{
    if (root == NULL || length == 0) {
        return SOCKETS_EINVAL;
    }
    if (length > SOCKETS_CONFIG_TLS_MAX_ROOT_BYTES) {
        return SOCKETS_ENOMEM;
    }
    memcpy(tls->root, root, length);
    /* mbedTLS reads PEM only with its NUL counted; callers usually pass strlen(). */
    static const char pem[] = "-----BEGIN";
    if (length >= sizeof pem - 1 && memcmp(root, pem, sizeof pem - 1) == 0 && root[length - 1] != '\0') {
        tls->root[length++] = '\0';
    }
    tls->root_length = length;
    return SOCKETS_ERROR_NONE;
}

/* value: an array of `count` names (published form); a NULL entry ends it early. */
static int32_t set_alpn(struct sockets_tls *tls, const char *const *names, size_t count)
{
    if (names == NULL || count == 0) {
        return SOCKETS_EINVAL;
    }
    size_t used = 0, n = 0;
    for (; n < count && names[n] != NULL; n++) {
        size_t length = strlen(names[n]);
        if (length == 0 || length > 255) {
            return SOCKETS_EINVAL;
        }
        if (n == TLS_CONFIG_MAX_ALPN_PROTOCOLS || length + 1 > SOCKETS_CONFIG_TLS_ALPN_BYTES - used) {
            return SOCKETS_ENOMEM;
        }
        memcpy(&tls->alpn_names[used], names[n], length + 1);
        tls->alpn[n] = &tls->alpn_names[used];
        used += length + 1;
    }
    tls->alpn[n] = NULL;
    return SOCKETS_ERROR_NONE;
}

static int32_t set_tls_option(Socket_t socket, int32_t option, const void *value, size_t length)
{
    if (socket->state != SOCKET_CREATED) {
        return SOCKETS_ENOPROTOOPT; /* published rule: before connect */
    }
    struct sockets_tls *tls = tls_state(socket);
    if (tls == NULL) {
        return SOCKETS_ENOMEM;
    }
    switch (option) {
    case SOCKETS_SO_SERVER_NAME_INDICATION:
        return set_server_name(tls, value, length);
    case SOCKETS_SO_TRUSTED_SERVER_CERTIFICATE:
        return set_root(tls, value, length);
    case SOCKETS_SO_ALPN_PROTOCOLS:
        return set_alpn(tls, value, length);
    default: /* SOCKETS_SO_REQUIRE_TLS */
        tls->required = true;
        return SOCKETS_ERROR_NONE;
    }
}
#else
/* Without libraries/tls the socket never speaks TLS: these keep the calls below free of #if. */
static int32_t tls_start(Socket_t socket)
{
    (void)socket;
    return SOCKETS_ERROR_NONE;
}

static bool tls_active(Socket_t socket)
{
    (void)socket;
    return false;
}

static void tls_release(Socket_t socket)
{
    (void)socket;
}

static int32_t set_tls_option(Socket_t socket, int32_t option, const void *value, size_t length)
{
    (void)socket, (void)option, (void)value, (void)length;
    return SOCKETS_ENOPROTOOPT;
}
#endif

/* ---- API ------------------------------------------------------------------------------------ */

BaseType_t SOCKETS_Init(void)
{
    if (initialized) {
        return pdPASS;
    }
    if (sockets_pal_init() != 0) {
        return pdFAIL;
    }
    initialized = true;
    return pdPASS;
}

Socket_t SOCKETS_Socket(int32_t domain, int32_t type, int32_t protocol)
{
    if (!initialized || domain != SOCKETS_AF_INET || type != SOCKETS_SOCK_STREAM || protocol != SOCKETS_IPPROTO_TCP) {
        return SOCKETS_INVALID_SOCKET;
    }
    Socket_t socket = allocate();
    if (socket == SOCKETS_INVALID_SOCKET) {
        return SOCKETS_INVALID_SOCKET;
    }
    int32_t handle = sockets_pal_open();
    if (handle < 0) {
        release(socket);
        return SOCKETS_INVALID_SOCKET;
    }
    socket->handle = handle;
    socket->send_timeout = ms_to_wait(SOCKETS_CONFIG_DEFAULT_SEND_TIMEOUT_MS);
    socket->recv_timeout = ms_to_wait(SOCKETS_CONFIG_DEFAULT_RECV_TIMEOUT_MS);
    return socket;
}

int32_t SOCKETS_Connect(Socket_t socket, SocketsSockaddr_t *address, uint32_t address_length)
{
    if (!enter(socket)) {
        return SOCKETS_EINVAL;
    }
    int32_t result;
    if (address == NULL || address_length < sizeof *address || address->ucSocketDomain != SOCKETS_AF_INET) {
        result = SOCKETS_EINVAL;
    } else if (socket->state != SOCKET_CREATED) {
        result = socket->state == SOCKET_CONNECTED ? SOCKETS_EISCONN : SOCKETS_EINVAL;
    } else {
        result = sockets_pal_connect(socket->handle, address->ulAddress, address->usPort, socket->recv_timeout);
        if (result == 0) {
            result = tls_start(socket);
        }
        socket->state = result == 0 ? SOCKET_CONNECTED : SOCKET_FAILED;
    }
    leave(socket);
    return result;
}

/* The checks Send and Recv share; SOCKETS_ERROR_NONE when the call may go on. */
static int32_t check_transfer(Socket_t socket, const void *buffer, size_t length, bool shut)
{
    if (buffer == NULL || length == 0 || length > INT32_MAX) {
        return SOCKETS_EINVAL;
    }
    if (socket->state != SOCKET_CONNECTED) {
        return SOCKETS_ENOTCONN;
    }
    return shut ? SOCKETS_ECLOSED : SOCKETS_ERROR_NONE;
}

#if SOCKETS_CONFIG_TLS
static int32_t send_piece_tls(Socket_t socket, const uint8_t *data, size_t length, TickType_t timeout)
{
    return tls_send(&socket->tls->context, data, length, timeout);
}

static int32_t recv_tls(Socket_t socket, uint8_t *buffer, size_t length, TickType_t timeout)
{
    return tls_recv(&socket->tls->context, buffer, length, timeout);
}
#else
static int32_t send_piece_tls(Socket_t socket, const uint8_t *data, size_t length, TickType_t timeout)
{
    (void)socket, (void)data, (void)length, (void)timeout;
    return SOCKETS_TLS_SEND_ERROR;
}

static int32_t recv_tls(Socket_t socket, uint8_t *buffer, size_t length, TickType_t timeout)
{
    (void)socket, (void)buffer, (void)length, (void)timeout;
    return SOCKETS_TLS_RECV_ERROR;
}
#endif

/* Sends until all is taken or the send timeout has passed in all (not per piece). */
static int32_t send_all(Socket_t socket, const uint8_t *data, size_t length)
{
    TimeOut_t started;
    TickType_t left = socket->nonblocking ? 0 : socket->send_timeout;
    size_t sent = 0;
    vTaskSetTimeOutState(&started);
    while (sent < length) {
        int32_t n = tls_active(socket) ? send_piece_tls(socket, data + sent, length - sent, left)
                                       : sockets_pal_send(socket->handle, data + sent, length - sent, left);
        if (n < 0) {
            return sent > 0 ? (int32_t)sent : n;
        }
        sent += (size_t)n;
        if (n == 0 || (sent < length && left != portMAX_DELAY && xTaskCheckForTimeOut(&started, &left) != pdFALSE)) {
            break;
        }
    }
    return (int32_t)sent;
}

int32_t SOCKETS_Send(Socket_t socket, const void *data, size_t length, uint32_t flags)
{
    (void)flags;
    if (!enter(socket)) {
        return SOCKETS_EINVAL;
    }
    int32_t result = check_transfer(socket, data, length, socket->write_shut);
    if (result == SOCKETS_ERROR_NONE) {
        result = send_all(socket, data, length);
    }
    leave(socket);
    return result;
}

int32_t SOCKETS_Recv(Socket_t socket, void *buffer, size_t length, uint32_t flags)
{
    (void)flags;
    if (!enter(socket)) {
        return SOCKETS_EINVAL;
    }
    int32_t result = check_transfer(socket, buffer, length, socket->read_shut);
    if (result == SOCKETS_ERROR_NONE) {
        TickType_t timeout = socket->nonblocking ? 0 : socket->recv_timeout;
        result = tls_active(socket) ? recv_tls(socket, buffer, length, timeout)
                                    : sockets_pal_recv(socket->handle, buffer, length, timeout);
    }
    leave(socket);
    return result;
}

int32_t SOCKETS_Shutdown(Socket_t socket, uint32_t how)
{
    if (!enter(socket)) {
        return SOCKETS_EINVAL;
    }
    int32_t result;
    if (how > SOCKETS_SHUT_RDWR) {
        result = SOCKETS_EINVAL;
    } else if (socket->state != SOCKET_CONNECTED) {
        result = SOCKETS_ENOTCONN;
    } else {
        /* The flags first: a task the transport wakes must find the socket shut. */
        socket->read_shut = socket->read_shut || how != SOCKETS_SHUT_WR;
        socket->write_shut = socket->write_shut || how != SOCKETS_SHUT_RD;
        result = sockets_pal_shutdown(socket->handle, how);
    }
    leave(socket);
    return result;
}

int32_t SOCKETS_Close(Socket_t socket)
{
    if (!is_slot(socket)) {
        return SOCKETS_EINVAL;
    }
    bool ok;
    taskENTER_CRITICAL();
    ok = socket->state != SOCKET_FREE && !socket->closing;
    socket->closing = ok || socket->closing;
    taskEXIT_CRITICAL();
    if (!ok) {
        return SOCKETS_EINVAL;
    }
    /* close_notify only while no other task is inside mbedTLS on this session (none can enter now). */
    if (socket->users == 0) {
        tls_release(socket);
    }
    socket->read_shut = socket->write_shut = true;
    if (socket->state == SOCKET_CONNECTED) {
        (void)sockets_pal_shutdown(socket->handle, SOCKETS_SHUT_RDWR);
    }
    (void)sockets_pal_set_ready_callback(socket->handle, NULL);
    /* Tasks blocked on the socket have been woken; the slot is reused only once they have left. */
    while (socket->users != 0) {
        vTaskDelay(1);
    }
    tls_release(socket);
    sockets_pal_close(socket->handle);
    release(socket);
    return SOCKETS_ERROR_NONE;
}

/* ---- options ------------------------------------------------------------------------------- */

/* Runs the wakeup callback of the socket whose transport handle has data (a task context). */
static void on_ready(int32_t handle)
{
    for (size_t i = 0; i < SOCKETS_CONFIG_MAX_SOCKETS; i++) {
        Socket_t socket = &table[i];
        void (*wakeup)(Socket_t) = socket->wakeup;
        if (socket->state == SOCKET_CONNECTED && socket->handle == handle && wakeup != NULL && !socket->closing) {
            wakeup(socket);
        }
    }
}

static int32_t set_timeout(TickType_t *field, const void *value, size_t length)
{
    if (value == NULL || length != sizeof(TickType_t)) {
        return SOCKETS_EINVAL;
    }
    TickType_t ms;
    memcpy(&ms, value, sizeof ms);
    *field = ms_to_wait(ms);
    return SOCKETS_ERROR_NONE;
}

static int32_t set_option(Socket_t socket, int32_t option, const void *value, size_t length)
{
    switch (option) {
    case SOCKETS_SO_RCVTIMEO:
        return set_timeout(&socket->recv_timeout, value, length);
    case SOCKETS_SO_SNDTIMEO:
        return set_timeout(&socket->send_timeout, value, length);
    case SOCKETS_SO_SNDBUF:
    case SOCKETS_SO_RCVBUF: {
        uint32_t bytes;
        if (value == NULL || length != sizeof bytes) {
            return SOCKETS_EINVAL;
        }
        if (socket->state != SOCKET_CREATED) {
            return SOCKETS_ENOPROTOOPT;
        }
        memcpy(&bytes, value, sizeof bytes);
        return sockets_pal_set_buffer(socket->handle, option, bytes);
    }
    case SOCKETS_SO_NONBLOCK:
        if (socket->state != SOCKET_CONNECTED) {
            return SOCKETS_ENOPROTOOPT; /* published rule: only after connect */
        }
        socket->nonblocking = true;
        return SOCKETS_ERROR_NONE;
    case SOCKETS_SO_WAKEUP_CALLBACK: {
        if (socket->state != SOCKET_CONNECTED) {
            return SOCKETS_ENOPROTOOPT;
        }
        void (*wakeup)(Socket_t) = (void (*)(Socket_t))(uintptr_t)value;
        socket->wakeup = wakeup;
        return sockets_pal_set_ready_callback(socket->handle, wakeup != NULL ? on_ready : NULL);
    }
    case SOCKETS_SO_SERVER_NAME_INDICATION:
    case SOCKETS_SO_TRUSTED_SERVER_CERTIFICATE:
    case SOCKETS_SO_REQUIRE_TLS:
    case SOCKETS_SO_ALPN_PROTOCOLS:
        return set_tls_option(socket, option, value, length);
    default:
        return SOCKETS_ENOPROTOOPT;
    }
}

int32_t SOCKETS_SetSockOpt(Socket_t socket, int32_t level, int32_t option, const void *value, size_t length)
{
    (void)level;
    if (!enter(socket)) {
        return SOCKETS_EINVAL;
    }
    int32_t result = set_option(socket, option, value, length);
    leave(socket);
    return result;
}

uint32_t SOCKETS_GetHostByName(const char *host_name)
{
    if (!initialized || host_name == NULL) {
        return 0;
    }
    size_t length = 0;
    while (length <= securesocketsMAX_DNS_NAME_LENGTH && host_name[length] != '\0') {
        length++;
    }
    if (length == 0 || length > securesocketsMAX_DNS_NAME_LENGTH) {
        return 0;
    }
    return sockets_pal_resolve(host_name, ms_to_wait(SOCKETS_CONFIG_DEFAULT_RECV_TIMEOUT_MS));
}

void SOCKETS_inet_ntoa(uint32_t address, char *text)
{
    uint32_t host = SOCKETS_ntohl(address);
    char *p = text;
    for (int shift = 24; shift >= 0; shift -= 8) {
        unsigned byte = (host >> shift) & 0xFFu;
        if (byte >= 100) {
            *p++ = (char)('0' + byte / 100);
        }
        if (byte >= 10) {
            *p++ = (char)('0' + (byte / 10) % 10);
        }
        *p++ = (char)('0' + byte % 10);
        *p++ = shift > 0 ? '.' : '\0';
    }
}
