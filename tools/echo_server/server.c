/* Echo server: binds the TLS and plain listeners, announces them, and runs one level-triggered epoll loop over
 * every connection until SIGTERM or SIGINT. It must never hold more than --max-connections connections, nor
 * exit on a signal without closing and freeing every connection first. */
#define _GNU_SOURCE
#include "server.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"
#include "tls.h"

#define MAX_EVENTS 64
#define ACCEPTS_PER_TURN 64u
/* Descriptors besides the connections: stdio, epoll, signalfd, two listeners, and one being refused. */
#define SPARE_FDS 16u
/* After accept() fails for want of descriptors or memory, the listeners rest this long. */
#define ACCEPT_PAUSE_MS 1000

struct listener {
    enum echo_handle_kind kind; /* first member: ECHO_HANDLE_LISTENER */
    int fd;
    bool tls;
    unsigned port;
};

struct signals {
    enum echo_handle_kind kind; /* first member: ECHO_HANDLE_SIGNALS */
    int fd;
};

struct server {
    const struct echo_options *opts;
    struct echo_tls tls;
    int epoll_fd;
    struct signals signals;
    struct listener listeners[2]; /* TLS, plain */
    struct conn *oldest;          /* idle order: the front is the next to time out */
    struct conn *newest;
    struct conn *ready; /* connections with work left after their turn */
    unsigned count;
    unsigned long next_id;
    int64_t now_ms;
    bool accept_paused;
    int64_t accept_resume_ms;
    bool stopping;
    int status;
    unsigned long accepted, refused, failed_handshakes, timed_out;
    uint64_t echoed;
};

static int64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* ---- idle order and ready queue ---- */

static void idle_unlink(struct server *s, struct conn *c)
{
    *(c->older != NULL ? &c->older->newer : &s->oldest) = c->newer;
    *(c->newer != NULL ? &c->newer->older : &s->newest) = c->older;
    c->older = c->newer = NULL;
}

static void idle_append(struct server *s, struct conn *c)
{
    c->older = s->newest;
    c->newer = NULL;
    *(s->newest != NULL ? &s->newest->newer : &s->oldest) = c;
    s->newest = c;
}

static void touch(struct server *s, struct conn *c)
{
    c->last_active_ms = s->now_ms;
    idle_unlink(s, c);
    idle_append(s, c);
}

static void ready_push(struct server *s, struct conn *c)
{
    if (!c->ready) {
        c->ready = true;
        c->next_ready = s->ready;
        s->ready = c;
    }
}

static void ready_remove(struct server *s, struct conn *c)
{
    for (struct conn **link = &s->ready; *link != NULL; link = &(*link)->next_ready) {
        if (*link == c) {
            *link = c->next_ready;
            break;
        }
    }
    c->ready = false;
}

/* ---- listeners ---- */

static void set_listening(struct server *s, bool on)
{
    for (int i = 0; i < 2; i++) {
        struct epoll_event event = {.events = on ? EPOLLIN : 0, .data.ptr = &s->listeners[i]};
        (void)epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, s->listeners[i].fd, &event);
    }
    s->accept_paused = !on;
}

static void pause_accepting(struct server *s, int error)
{
    echo_log(ECHO_LOG_ERROR, "accept failed: %s; not accepting for %d ms", strerror(error), ACCEPT_PAUSE_MS);
    set_listening(s, false);
    s->accept_resume_ms = s->now_ms + ACCEPT_PAUSE_MS;
}

static void drop(struct server *s, struct conn *c)
{
    idle_unlink(s, c);
    if (c->ready) {
        ready_remove(s, c);
    }
    s->count--;
    s->echoed += c->echoed;
    s->failed_handshakes += c->handshake_failed;
    echo_log(ECHO_LOG_DEBUG, "conn %lu: closed after %llu bytes echoed (%u open)", c->id, (unsigned long long)c->echoed,
             s->count);
    conn_destroy(c);
    if (s->accept_paused) {
        set_listening(s, true);
    }
}

static void format_peer(const struct sockaddr_storage *address, socklen_t length, char *text, size_t size)
{
    char host[NI_MAXHOST];
    char port[NI_MAXSERV];
    if (getnameinfo((const struct sockaddr *)address, length, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(text, size, "?");
        return;
    }
    snprintf(text, size, address->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
}

static void add_conn(struct server *s, int fd, const struct listener *l, const char *peer)
{
    struct conn *c = conn_create(fd, l->tls ? &s->tls.conf : NULL, ++s->next_id, peer);
    if (c == NULL) {
        echo_log(ECHO_LOG_ERROR, "out of memory: connection from %s closed", peer);
        close(fd);
        return;
    }
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
        echo_log(ECHO_LOG_ERROR, "epoll_ctl: %s: connection from %s closed", strerror(errno), peer);
        conn_destroy(c);
        return;
    }
    c->events = EPOLLIN;
    c->last_active_ms = s->now_ms;
    idle_append(s, c);
    s->count++;
    s->accepted++;
    echo_log(ECHO_LOG_DEBUG, "conn %lu: %s connection from %s (%u open)", c->id, l->tls ? "TLS" : "plain", peer,
             s->count);
}

/* true: accept() may succeed if tried again now. */
static bool accept_failed(struct server *s, int error)
{
    switch (error) {
    case EINTR:
    case ECONNABORTED:
    case EPROTO:
        return true;
    case EAGAIN:
        return false;
    default:
        /* EMFILE, ENFILE, ENOBUFS, ENOMEM: the socket stays readable, so pausing is what avoids a busy loop. */
        pause_accepting(s, error);
        return false;
    }
}

static void accept_clients(struct server *s, struct listener *l)
{
    for (unsigned i = 0; i < ACCEPTS_PER_TURN; i++) {
        struct sockaddr_storage address;
        socklen_t length = sizeof address;
        int fd = accept4(l->fd, (struct sockaddr *)&address, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (accept_failed(s, errno)) {
                continue;
            }
            return;
        }
        char peer[64];
        format_peer(&address, length, peer, sizeof peer);
        if (s->count >= s->opts->max_connections) {
            /* Accepted and closed at once: the client sees end of stream, not a connection left hanging. */
            close(fd);
            s->refused++;
            echo_log(ECHO_LOG_INFO, "refused %s: %u connections open (--max-connections)", peer, s->count);
            continue;
        }
        add_conn(s, fd, l, peer);
    }
}

/* ---- connections ---- */

static void set_events(struct server *s, struct conn *c, uint32_t events)
{
    if (c->events != events) {
        struct epoll_event event = {.events = events, .data.ptr = c};
        (void)epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
        c->events = events;
    }
}

static void serve(struct server *s, struct conn *c)
{
    enum conn_wait wait = conn_pump(c);
    if (wait == CONN_DONE) {
        drop(s, c);
        return;
    }
    if (c->progress) {
        c->progress = false;
        touch(s, c);
    }
    if (wait == CONN_MORE) {
        ready_push(s, c);
    } else {
        set_events(s, c, wait == CONN_WAIT_READ ? EPOLLIN : EPOLLOUT);
    }
}

/* Connections that used up their turn: one more turn each, in no particular order. */
static void serve_ready(struct server *s)
{
    struct conn *queue = s->ready;
    s->ready = NULL;
    while (queue != NULL) {
        struct conn *c = queue;
        queue = c->next_ready;
        c->ready = false;
        serve(s, c);
    }
}

static void expire_idle(struct server *s)
{
    int64_t limit_ms = (int64_t)s->opts->idle_timeout * 1000;
    while (s->opts->idle_timeout != 0 && s->oldest != NULL && s->now_ms - s->oldest->last_active_ms >= limit_ms) {
        struct conn *c = s->oldest;
        echo_log(ECHO_LOG_INFO, "conn %lu (%s): closed after %u s without traffic", c->id, c->peer,
                 s->opts->idle_timeout);
        s->timed_out++;
        drop(s, c);
    }
}

/* ---- the loop ---- */

static int next_timeout_ms(const struct server *s)
{
    if (s->ready != NULL) {
        return 0;
    }
    int64_t deadline = INT64_MAX;
    if (s->opts->idle_timeout != 0 && s->oldest != NULL) {
        deadline = s->oldest->last_active_ms + (int64_t)s->opts->idle_timeout * 1000;
    }
    if (s->accept_paused && s->accept_resume_ms < deadline) {
        deadline = s->accept_resume_ms;
    }
    if (deadline == INT64_MAX) {
        return -1;
    }
    int64_t wait = deadline - monotonic_ms();
    return wait < 0 ? 0 : wait > INT_MAX ? INT_MAX : (int)wait;
}

static void take_signal(struct server *s)
{
    struct signalfd_siginfo info;
    if (read(s->signals.fd, &info, sizeof info) == (ssize_t)sizeof info) {
        echo_log(ECHO_LOG_INFO, "%s: shutting down", info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
        s->stopping = true;
    }
}

static void dispatch(struct server *s, void *tag)
{
    switch (*(enum echo_handle_kind *)tag) {
    case ECHO_HANDLE_LISTENER:
        accept_clients(s, tag);
        break;
    case ECHO_HANDLE_SIGNALS:
        take_signal(s);
        break;
    default:
        serve(s, tag);
        break;
    }
}

static void run_loop(struct server *s)
{
    struct epoll_event events[MAX_EVENTS];
    while (!s->stopping) {
        int n = epoll_wait(s->epoll_fd, events, MAX_EVENTS, next_timeout_ms(s));
        if (n < 0 && errno != EINTR) {
            echo_log(ECHO_LOG_ERROR, "epoll_wait: %s", strerror(errno));
            s->status = ECHO_EXIT_FAILURE;
            return;
        }
        s->now_ms = monotonic_ms();
        for (int i = 0; i < n && !s->stopping; i++) {
            dispatch(s, events[i].data.ptr);
        }
        serve_ready(s);
        expire_idle(s);
        if (s->accept_paused && s->now_ms >= s->accept_resume_ms) {
            set_listening(s, true);
        }
    }
}

/* ---- start and stop ---- */

static int open_listener(struct server *s, struct listener *l, unsigned port)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *found = NULL;
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    if (getaddrinfo(s->opts->bind, service, &hints, &found) != 0) {
        echo_log(ECHO_LOG_ERROR, "--bind %s: not a numeric IPv4 or IPv6 address", s->opts->bind);
        return ECHO_EXIT_USAGE;
    }
    int one = 1;
    l->fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (l->fd < 0 || setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(l->fd, found->ai_addr, found->ai_addrlen) != 0 || listen(l->fd, SOMAXCONN) != 0) {
        echo_log(ECHO_LOG_ERROR, "cannot listen on %s port %u: %s", s->opts->bind, port, strerror(errno));
        freeaddrinfo(found);
        return ECHO_EXIT_FAILURE;
    }
    freeaddrinfo(found);
    struct sockaddr_storage bound;
    socklen_t length = sizeof bound;
    if (getsockname(l->fd, (struct sockaddr *)&bound, &length) != 0) {
        echo_log(ECHO_LOG_ERROR, "getsockname: %s", strerror(errno));
        return ECHO_EXIT_FAILURE;
    }
    l->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                : ((struct sockaddr_in *)&bound)->sin_port);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = l};
    return epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, l->fd, &event) == 0 ? ECHO_EXIT_OK : ECHO_EXIT_FAILURE;
}

static int raise_fd_limit(unsigned max_connections)
{
    rlim_t need = (rlim_t)max_connections + SPARE_FDS;
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= need) {
        return ECHO_EXIT_OK;
    }
    if (limit.rlim_max < need) {
        echo_log(ECHO_LOG_ERROR, "--max-connections %u needs %llu file descriptors; the hard limit is %llu",
                 max_connections, (unsigned long long)need, (unsigned long long)limit.rlim_max);
        return ECHO_EXIT_USAGE;
    }
    limit.rlim_cur = need;
    return setrlimit(RLIMIT_NOFILE, &limit) == 0 ? ECHO_EXIT_OK : ECHO_EXIT_FAILURE;
}

static int open_signals(struct server *s)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    /* Blocked, so that they arrive only through the signalfd, at a point where the loop can stop cleanly. */
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
        return ECHO_EXIT_FAILURE;
    }
    signal(SIGPIPE, SIG_IGN);
    s->signals.kind = ECHO_HANDLE_SIGNALS;
    s->signals.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = &s->signals};
    if (s->signals.fd < 0 || epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->signals.fd, &event) != 0) {
        echo_log(ECHO_LOG_ERROR, "signalfd: %s", strerror(errno));
        return ECHO_EXIT_FAILURE;
    }
    return ECHO_EXIT_OK;
}

static int server_open(struct server *s)
{
    if (!echo_tls_init(&s->tls, s->opts)) {
        return ECHO_EXIT_USAGE;
    }
    int status = raise_fd_limit(s->opts->max_connections);
    if (status != ECHO_EXIT_OK) {
        return status;
    }
    s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (s->epoll_fd < 0) {
        echo_log(ECHO_LOG_ERROR, "epoll_create1: %s", strerror(errno));
        return ECHO_EXIT_FAILURE;
    }
    status = open_signals(s);
    if (status == ECHO_EXIT_OK) {
        status = open_listener(s, &s->listeners[0], s->opts->tls_port);
    }
    if (status == ECHO_EXIT_OK) {
        status = open_listener(s, &s->listeners[1], s->opts->plain_port);
    }
    return status;
}

static void server_close(struct server *s, bool started)
{
    for (int i = 0; i < 2; i++) {
        if (s->listeners[i].fd >= 0) {
            close(s->listeners[i].fd);
        }
    }
    unsigned open = s->count;
    while (s->oldest != NULL) {
        drop(s, s->oldest);
    }
    if (s->signals.fd >= 0) {
        close(s->signals.fd);
    }
    if (s->epoll_fd >= 0) {
        close(s->epoll_fd);
    }
    echo_tls_free(&s->tls);
    if (!started) {
        return;
    }
    echo_log(ECHO_LOG_INFO,
             "stopped: %lu connections (%u open at the end), %lu refused, %lu failed handshakes, "
             "%lu timed out, %llu bytes echoed",
             s->accepted, open, s->refused, s->failed_handshakes, s->timed_out, (unsigned long long)s->echoed);
}

int echo_server_run(const struct echo_options *opts)
{
    struct server s = {.opts = opts, .epoll_fd = -1, .signals.fd = -1, .status = ECHO_EXIT_OK};
    s.listeners[0] = (struct listener){.kind = ECHO_HANDLE_LISTENER, .fd = -1, .tls = true};
    s.listeners[1] = (struct listener){.kind = ECHO_HANDLE_LISTENER, .fd = -1, .tls = false};
    s.now_ms = monotonic_ms();
    int status = server_open(&s);
    bool started = status == ECHO_EXIT_OK;
    if (started) {
        echo_log(ECHO_LOG_INFO,
                 "listening on %s: TLS port %u, plain port %u, at most %u connections, "
                 "idle timeout %u s",
                 opts->bind, s.listeners[0].port, s.listeners[1].port, opts->max_connections, opts->idle_timeout);
        printf("echo_server ready tls=%u plain=%u\n", s.listeners[0].port, s.listeners[1].port);
        fflush(stdout);
        run_loop(&s);
        status = s.status;
    }
    server_close(&s, started);
    return status;
}
