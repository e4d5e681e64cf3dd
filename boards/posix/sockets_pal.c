/* Alder posix board: the Secure Sockets TCP transport (sockets_pal.h) over host sockets, modelled as a NIC: the host
 * kernel signals the simulated CPU when a socket has news (posix_attach_fd_interrupt), and the ISR reads the news
 * from an edge-triggered epoll set without waiting, then wakes the tasks waiting on those sockets.
 * It must never block the simulated CPU: tasks and the ISR make only non-blocking host calls, and every wait is on a
 * semaphore. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "FreeRTOS.h"
#include "iot_secure_sockets.h"
#include "posix_port.h"
#include "semphr.h"
#include "sockets_pal.h"
#include "task.h"

#if !configSUPPORT_STATIC_ALLOCATION
#error "the posix sockets transport keeps its semaphores and its callback task in static memory"
#endif

/* Line 1 is the test framework's; the tick is line 0. */
#define NET_INTERRUPT_LINE 2u
#define PAL_SOCKETS SOCKETS_CONFIG_MAX_SOCKETS
#define CALLBACK_TASK_WORDS (configMINIMAL_STACK_SIZE * 2)

/* Events epoll reported, for the ISR: a reader or a writer may now get on. */
#define EVENT_READ 1u
#define EVENT_WRITE 2u

struct pal_socket {
    int fd; /* -1: free */
    bool read_shut, write_shut;
    uint32_t events;    /* EVENT_*, set from epoll (or by the name lookup's thread), taken by the ISR */
    uint32_t ready_due; /* the ready callback should run (set by the ISR) */
    void (*ready)(int32_t handle);
    uint32_t listeners;  /* tasks waiting to receive, send or connect */
    bool interrupt_on;   /* O_ASYNC is set (see set_interrupt) */
    uint32_t generation; /* counts opens of this slot, so a late unlisten cannot touch a new socket */
    SemaphoreHandle_t readable, writable;
    StaticSemaphore_t readable_buffer, writable_buffer;
};

static struct pal_socket sockets[PAL_SOCKETS];
static int epoll_fd = -1;

/* Callbacks for SOCKETS_SO_WAKEUP_CALLBACK run in this task, never in the ISR. */
static TaskHandle_t callback_task;
static StaticTask_t callback_tcb;
static StackType_t callback_stack[CALLBACK_TASK_WORDS];

/* One name lookup at a time is enough for a device; its host thread may outlive a timed-out wait, so
 * it reports under the generation it was started with, and a stale answer is dropped. */
static struct {
    SemaphoreHandle_t done;
    StaticSemaphore_t done_buffer;
    SemaphoreHandle_t lock;
    StaticSemaphore_t lock_buffer;
    uint32_t generation;
    uint32_t answered; /* the generation the last answer belongs to */
    uint32_t address;
} lookup;

static bool valid(int32_t handle)
{
    return handle >= 0 && handle < PAL_SOCKETS && sockets[handle].fd >= 0;
}

/* ---- the simulated NIC ------------------------------------------------------------------------- */

/*
 * The socket's interrupt (O_ASYNC, posix_port.h) is a NIC's interrupt-enable bit. It is on only
 * while a wake is wanted: a task waiting to receive, send or connect (listeners), or a ready
 * callback. The ISR turns it off when it takes an event, as a NIC driver masks its receive
 * interrupt until the ring is drained, so segments that arrive before the woken task runs cost no
 * more signals; each signal is a host interrupt, which on a virtual machine costs more than the
 * bytes it announces. A waiter that finds it off turns it on and looks once more before it waits
 * (arm), so nothing that arrived in between is missed. Changes happen on the CPU thread, in the
 * ISR or inside a host-call bracket, which no ISR or task switch splits.
 */
static void set_interrupt(struct pal_socket *s, bool enabled)
{
    if (s->interrupt_on != enabled) {
        (void)fcntl(s->fd, F_SETFL, O_NONBLOCK | (enabled ? O_ASYNC : 0));
        s->interrupt_on = enabled;
    }
}

static void set_interrupt_from_task(struct pal_socket *s, bool enabled)
{
    posix_host_call_begin();
    set_interrupt(s, enabled);
    posix_host_call_end();
}

/* Before a wait: true when the interrupt was off and is now on: the caller must look again first.
 * When the ISR turns it off after this said false, it also gives the semaphores, so the wait ends. */
static bool arm(struct pal_socket *s)
{
    if (s->interrupt_on) {
        return false;
    }
    set_interrupt_from_task(s, true);
    return true;
}

/* Returns the slot's generation, for unlisten. */
static uint32_t listen_to(struct pal_socket *s)
{
    s->listeners++;
    return s->generation;
}

static void unlisten(struct pal_socket *s, uint32_t generation)
{
    if (s->generation == generation && s->fd >= 0 && s->listeners > 0 && --s->listeners == 0 && s->ready == NULL) {
        set_interrupt_from_task(s, false);
    }
}

/* What epoll has seen since the last look, as EVENT_* bits on each socket. Edge-triggered, so every
 * report is news; a look that finds nothing is fine (the interrupt is shared, posix_port.h). */
static void collect_events(void)
{
    struct epoll_event events[16];
    int n;
    do {
        n = epoll_wait(epoll_fd, events, 16, 0);
        for (int i = 0; i < n; i++) {
            uint32_t index = events[i].data.u32, flags = events[i].events, bits = 0;
            if ((flags & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
                bits |= EVENT_READ;
            }
            if ((flags & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) {
                bits |= EVENT_WRITE;
            }
            if (index < PAL_SOCKETS) {
                __atomic_fetch_or(&sockets[index].events, bits, __ATOMIC_SEQ_CST);
            }
        }
    } while (n == 16);
}

static void network_isr(void)
{
    BaseType_t woken = pdFALSE;
    bool callbacks = false;
    collect_events();
    for (int32_t i = 0; i < PAL_SOCKETS; i++) {
        struct pal_socket *s = &sockets[i];
        uint32_t events = __atomic_exchange_n(&s->events, 0, __ATOMIC_SEQ_CST);
        if (events != 0 && s->interrupt_on && s->ready == NULL) {
            set_interrupt(s, false);
            events |= EVENT_READ | EVENT_WRITE; /* every waiter looks again, and re-arms if it must wait */
        }
        if ((events & EVENT_READ) != 0) {
            (void)xSemaphoreGiveFromISR(s->readable, &woken);
            if (s->ready != NULL) {
                s->ready_due = 1;
                callbacks = true;
            }
        }
        if ((events & EVENT_WRITE) != 0) {
            (void)xSemaphoreGiveFromISR(s->writable, &woken);
        }
    }
    if (__atomic_load_n(&lookup.answered, __ATOMIC_SEQ_CST) == lookup.generation && lookup.generation != 0) {
        (void)xSemaphoreGiveFromISR(lookup.done, &woken);
    }
    if (callbacks) {
        vTaskNotifyGiveFromISR(callback_task, &woken);
    }
    portYIELD_FROM_ISR(woken);
}

static void block_signals(void)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* the simulator's interrupt signals are for the CPU thread only */
}

static void callback_main(void *unused)
{
    (void)unused;
    for (;;) {
        (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
        for (int32_t i = 0; i < PAL_SOCKETS; i++) {
            void (*ready)(int32_t) = sockets[i].ready;
            if (__atomic_exchange_n(&sockets[i].ready_due, 0, __ATOMIC_SEQ_CST) != 0 && ready != NULL) {
                ready(i);
            }
        }
    }
}

int32_t sockets_pal_init(void)
{
    if (epoll_fd >= 0) {
        return 0;
    }
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0) {
        return SOCKETS_SOCKET_ERROR;
    }
    for (int32_t i = 0; i < PAL_SOCKETS; i++) {
        sockets[i].fd = -1;
        sockets[i].readable = xSemaphoreCreateBinaryStatic(&sockets[i].readable_buffer);
        sockets[i].writable = xSemaphoreCreateBinaryStatic(&sockets[i].writable_buffer);
    }
    lookup.done = xSemaphoreCreateBinaryStatic(&lookup.done_buffer);
    lookup.lock = xSemaphoreCreateMutexStatic(&lookup.lock_buffer);
    callback_task = xTaskCreateStatic(callback_main, "net-cb", CALLBACK_TASK_WORDS, NULL, configMAX_PRIORITIES - 2,
                                      callback_stack, &callback_tcb);
    (void)posix_install_interrupt(NET_INTERRUPT_LINE, network_isr);
    return 0;
}

/* ---- sockets ------------------------------------------------------------------------------------ */

int32_t sockets_pal_open(void)
{
    for (int32_t i = 0; i < PAL_SOCKETS; i++) {
        int fd = -1;
        taskENTER_CRITICAL();
        if (sockets[i].fd < 0) {
            sockets[i].fd = INT_MAX; /* taken; the real descriptor follows */
            fd = 0;
        }
        taskEXIT_CRITICAL();
        if (fd < 0) {
            continue;
        }
        fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
        if (fd < 0) {
            sockets[i].fd = -1;
            return SOCKETS_ENOMEM;
        }
        int one = 1;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (posix_attach_fd_interrupt(fd, NET_INTERRUPT_LINE) != 0) {
            (void)close(fd);
            sockets[i].fd = -1;
            return SOCKETS_SOCKET_ERROR;
        }
        struct pal_socket *s = &sockets[i];
        s->read_shut = s->write_shut = false;
        s->ready = NULL;
        s->events = s->ready_due = 0;
        s->listeners = 0;
        s->interrupt_on = false; /* O_ASYNC is clear until someone waits */
        s->generation++;
        (void)xSemaphoreTake(s->readable, 0);
        (void)xSemaphoreTake(s->writable, 0);
        s->fd = fd;
        /* While a socket is open its peer may answer at any time: virtual time must not jump past it. */
        posix_peripheral_begin();
        return i;
    }
    return SOCKETS_ENOMEM;
}

/* Waits for the ISR to signal `sem`, within what is left of the caller's timeout. */
static bool wait_for(SemaphoreHandle_t sem, TimeOut_t *started, TickType_t *left)
{
    if (*left != portMAX_DELAY && xTaskCheckForTimeOut(started, left) != pdFALSE) {
        return false;
    }
    return xSemaphoreTake(sem, *left) == pdTRUE;
}

/* Connect in progress, the interrupt enabled: done, failed, or out of time. */
static int32_t wait_connected(struct pal_socket *s, TickType_t timeout)
{
    TimeOut_t started;
    TickType_t left = timeout;
    vTaskSetTimeOutState(&started);
    for (;;) {
        int error = 0;
        socklen_t length = sizeof error;
        struct sockaddr_in name;
        socklen_t name_length = sizeof name;
        if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
            return SOCKETS_SOCKET_ERROR;
        }
        if (getpeername(s->fd, (struct sockaddr *)&name, &name_length) == 0) {
            return 0;
        }
        if (!arm(s) && !wait_for(s->writable, &started, &left)) {
            return SOCKETS_EWOULDBLOCK;
        }
    }
}

int32_t sockets_pal_connect(int32_t handle, uint32_t address, uint16_t port, TickType_t timeout)
{
    if (!valid(handle)) {
        return SOCKETS_EINVAL;
    }
    struct pal_socket *s = &sockets[handle];
    struct epoll_event event = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u32 = (uint32_t)handle};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, s->fd, &event) != 0) {
        return SOCKETS_SOCKET_ERROR;
    }
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = port, .sin_addr.s_addr = address};
    if (connect(s->fd, (struct sockaddr *)&peer, sizeof peer) == 0) {
        return 0;
    }
    if (errno != EINPROGRESS) {
        return SOCKETS_SOCKET_ERROR;
    }
    const uint32_t generation = listen_to(s);
    const int32_t result = wait_connected(s, timeout);
    unlisten(s, generation);
    return result;
}

/* One non-blocking send or recv: bytes moved, 0 for "would block", or a Secure Sockets error. */
static int32_t transfer_once(struct pal_socket *s, void *buffer, size_t length, bool reading)
{
    for (;;) {
        /* Bracketed, so that an interrupt arriving inside the host call is taken as it returns. The
         * bracket's end may run ISRs and switch tasks, which may change errno: keep ours. */
        posix_host_call_begin();
        ssize_t n = reading ? recv(s->fd, buffer, length, MSG_DONTWAIT)
                            : send(s->fd, buffer, length, MSG_DONTWAIT | MSG_NOSIGNAL);
        const int error = n < 0 ? errno : 0;
        posix_host_call_end();
        if (n > 0) {
            return (int32_t)n;
        }
        if (n == 0 && reading) {
            return SOCKETS_ECLOSED; /* the peer closed */
        }
        if (error == EAGAIN || error == EWOULDBLOCK) {
            return 0;
        }
        if (error != EINTR) {
            return SOCKETS_ECLOSED; /* reset, or the connection is otherwise gone */
        }
    }
}

/* send or recv, whichever `reading` says, until bytes move or the time is out, arming the
 * interrupt before each wait. */
static int32_t transfer(int32_t handle, void *buffer, size_t length, TickType_t timeout, bool reading)
{
    if (!valid(handle)) {
        return SOCKETS_EINVAL;
    }
    struct pal_socket *s = &sockets[handle];
    SemaphoreHandle_t wake = reading ? s->readable : s->writable;
    TimeOut_t started;
    TickType_t left = timeout;
    bool listening = false;
    uint32_t generation = 0;
    int32_t result;
    vTaskSetTimeOutState(&started);
    for (;;) {
        if (reading ? s->read_shut : s->write_shut) {
            result = SOCKETS_ECLOSED;
            break;
        }
        (void)xSemaphoreTake(wake, 0); /* a wake from now on means: try again */
        result = transfer_once(s, buffer, length, reading);
        if (result != 0 || timeout == 0) {
            break;
        }
        if (!listening) {
            generation = listen_to(s);
            listening = true;
        }
        if (!arm(s) && !wait_for(wake, &started, &left)) {
            break;
        }
    }
    if (listening) {
        unlisten(s, generation);
    }
    return result;
}

int32_t sockets_pal_send(int32_t handle, const void *data, size_t length, TickType_t timeout)
{
    return transfer(handle, (void *)(uintptr_t)data, length, timeout, false);
}

int32_t sockets_pal_recv(int32_t handle, void *buffer, size_t length, TickType_t timeout)
{
    return transfer(handle, buffer, length, timeout, true);
}

int32_t sockets_pal_shutdown(int32_t handle, uint32_t how)
{
    if (!valid(handle)) {
        return SOCKETS_EINVAL;
    }
    struct pal_socket *s = &sockets[handle];
    s->read_shut = s->read_shut || how != SOCKETS_SHUT_WR;
    s->write_shut = s->write_shut || how != SOCKETS_SHUT_RD;
    int host_how = how == SOCKETS_SHUT_RD ? SHUT_RD : how == SOCKETS_SHUT_WR ? SHUT_WR : SHUT_RDWR;
    /* ENOTCONN here means the connection is already down both ways: shut is what the caller wants. */
    (void)shutdown(s->fd, host_how);
    /* Wake whoever is blocked on the socket now: they find it shut. */
    (void)xSemaphoreGive(s->readable);
    (void)xSemaphoreGive(s->writable);
    return 0;
}

void sockets_pal_close(int32_t handle)
{
    if (!valid(handle)) {
        return;
    }
    struct pal_socket *s = &sockets[handle];
    s->ready = NULL;
    (void)epoll_ctl(epoll_fd, EPOLL_CTL_DEL, s->fd, NULL);
    (void)close(s->fd);
    __atomic_store_n(&s->events, 0, __ATOMIC_SEQ_CST);
    s->fd = -1;
    posix_peripheral_end();
}

int32_t sockets_pal_set_buffer(int32_t handle, int32_t option, uint32_t bytes)
{
    if (!valid(handle)) {
        return SOCKETS_EINVAL;
    }
    if (bytes == 0 || bytes > INT_MAX / 2) {
        return SOCKETS_EINVAL;
    }
    int value = (int)bytes;
    int name = option == SOCKETS_SO_SNDBUF ? SO_SNDBUF : SO_RCVBUF;
    return setsockopt(sockets[handle].fd, SOL_SOCKET, name, &value, sizeof value) == 0 ? 0 : SOCKETS_EINVAL;
}

int32_t sockets_pal_set_ready_callback(int32_t handle, void (*ready)(int32_t handle))
{
    if (!valid(handle)) {
        return SOCKETS_EINVAL;
    }
    struct pal_socket *s = &sockets[handle];
    void (*before)(int32_t) = s->ready;
    s->ready = ready;
    if (ready != NULL) {
        set_interrupt_from_task(s, true);
    } else if (before != NULL && s->listeners == 0) {
        set_interrupt_from_task(s, false);
    }
    return 0;
}

/* ---- names -------------------------------------------------------------------------------------- */

/* A host thread per lookup: getaddrinfo blocks, and the simulated CPU must not. */
struct lookup_request {
    uint32_t generation;
    char name[securesocketsMAX_DNS_NAME_LENGTH + 1];
};

static void *lookup_main(void *argument)
{
    struct lookup_request *request = argument;
    uint32_t generation = request->generation;
    block_signals();
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *found = NULL;
    uint32_t address = 0;
    if (getaddrinfo(request->name, NULL, &hints, &found) == 0 && found != NULL) {
        address = ((struct sockaddr_in *)found->ai_addr)->sin_addr.s_addr;
        freeaddrinfo(found);
    }
    free(request);
    if (__atomic_load_n(&lookup.generation, __ATOMIC_SEQ_CST) == generation) {
        lookup.address = address;
        __atomic_store_n(&lookup.answered, generation, __ATOMIC_SEQ_CST);
        posix_raise_interrupt(NET_INTERRUPT_LINE);
    }
    posix_peripheral_end();
    return NULL;
}

uint32_t sockets_pal_resolve(const char *host_name, TickType_t timeout)
{
    /* The request is the thread's own (it may outlive this call); the library checked the length. */
    struct lookup_request *request = malloc(sizeof *request);
    if (request == NULL) {
        return 0;
    }
    (void)xSemaphoreTake(lookup.lock, portMAX_DELAY);
    strncpy(request->name, host_name, sizeof request->name - 1);
    request->name[sizeof request->name - 1] = '\0';
    uint32_t generation = __atomic_add_fetch(&lookup.generation, 1, __ATOMIC_SEQ_CST);
    request->generation = generation;
    (void)xSemaphoreTake(lookup.done, 0);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    posix_peripheral_begin();
    uint32_t address = 0;
    if (pthread_create(&thread, &attributes, lookup_main, request) != 0) {
        free(request);
        posix_peripheral_end();
    } else if (xSemaphoreTake(lookup.done, timeout) == pdTRUE) {
        address = lookup.address;
    }
    pthread_attr_destroy(&attributes);
    (void)__atomic_add_fetch(&lookup.generation, 1, __ATOMIC_SEQ_CST); /* a late answer is stale */
    (void)xSemaphoreGive(lookup.lock);
    return address;
}
