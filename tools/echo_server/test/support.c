/* Echo server test support: child process control for the server, and blocking plain and TLS clients that
 * time out instead of hanging. It must never trust the server: every read is bounded by a timeout. */
#define _GNU_SOURCE
#include "support.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>

#define MAX_ARGS 64

/* One generator for every client in the process: mbedTLS 2.28 built with MBEDTLS_THREADING_C locks it. */
static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static pthread_once_t drbg_once = PTHREAD_ONCE_INIT;
static int drbg_status;

static void drbg_seed(void)
{
    static const unsigned char personal[] = "alder echo tests";
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    drbg_status = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, personal, sizeof personal);
}

double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

const char *tls_error_text(int ret, char *text, size_t size)
{
    char detail[160];
    mbedtls_strerror(ret, detail, sizeof detail);
    snprintf(text, size, "%s (-0x%04x)", detail, (unsigned)-ret);
    return text;
}

uint64_t test_random(uint64_t *state)
{
    /* xorshift64*: plenty for test data, and the same sequence on every run of a given seed. */
    uint64_t x = *state != 0 ? *state : 0x9e3779b97f4a7c15u;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1du;
}

void test_fill(uint64_t *state, uint8_t *data, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        data[i] = (uint8_t)(test_random(state) >> 56);
    }
}

/* ---- processes ---- */

static bool build_argv(char **argv, char *const *command, const char *const *extra)
{
    size_t n = 0;
    for (size_t i = 0; command[i] != NULL && n < MAX_ARGS; i++) {
        argv[n++] = command[i];
    }
    for (size_t i = 0; extra != NULL && extra[i] != NULL && n < MAX_ARGS; i++) {
        argv[n++] = (char *)extra[i];
    }
    if (n == 0 || n >= MAX_ARGS) {
        fprintf(stderr, "test: bad server command\n");
        return false;
    }
    argv[n] = NULL;
    return true;
}

static pid_t spawn(char *const *command, const char *const *extra, int stdout_fd)
{
    char *argv[MAX_ARGS + 1];
    if (!build_argv(argv, command, extra)) {
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(stdout_fd, STDOUT_FILENO);
        execvp(argv[0], argv);
        fprintf(stderr, "test: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (pid < 0) {
        fprintf(stderr, "test: fork: %s\n", strerror(errno));
    }
    return pid;
}

static int wait_status(pid_t pid, unsigned timeout_s)
{
    int status = 0;
    double deadline = seconds_now() + timeout_s;
    pid_t done;
    while ((done = waitpid(pid, &status, WNOHANG)) == 0 && seconds_now() < deadline) {
        usleep(10000);
    }
    if (done == 0) {
        fprintf(stderr, "test: process %d did not end within %u s; killing it\n", (int)pid, timeout_s);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return 128 + SIGKILL;
    }
    if (done < 0) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Reads the first line of fd within timeout_s. */
static bool read_line(int fd, char *line, size_t size, unsigned timeout_s)
{
    size_t used = 0;
    double deadline = seconds_now() + timeout_s;
    while (used + 1 < size) {
        int left_ms = (int)((deadline - seconds_now()) * 1000);
        struct pollfd poll_fd = {.fd = fd, .events = POLLIN};
        if (left_ms <= 0 || poll(&poll_fd, 1, left_ms) <= 0) {
            return false;
        }
        ssize_t n = read(fd, line + used, 1);
        if (n <= 0) {
            return false;
        }
        if (line[used] == '\n') {
            break;
        }
        used++;
    }
    line[used] = '\0';
    return true;
}

bool server_start(struct server_proc *server, char *const *command, const char *const *extra, unsigned timeout_s)
{
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return false;
    }
    server->pid = spawn(command, extra, pipe_fds[1]);
    close(pipe_fds[1]);
    server->out_fd = pipe_fds[0];
    char line[128] = "";
    if (server->pid > 0 && read_line(server->out_fd, line, sizeof line, timeout_s) &&
        sscanf(line, "echo_server ready tls=%u plain=%u", &server->tls_port, &server->plain_port) == 2) {
        return true;
    }
    fprintf(stderr, "test: no ready line from the server within %u s (got \"%s\")\n", timeout_s, line);
    if (server->pid > 0) {
        fprintf(stderr, "test: the server ended with status %d\n", server_stop(server, 5));
    } else {
        close(server->out_fd);
    }
    return false;
}

int server_stop(struct server_proc *server, unsigned timeout_s)
{
    if (server->pid <= 0) {
        return -1; /* never kill(-1) or kill(0): that would signal far more than the server */
    }
    kill(server->pid, SIGTERM);
    int status = wait_status(server->pid, timeout_s);
    close(server->out_fd);
    server->pid = -1;
    return status;
}

int run_to_end(char *const *command, const char *const *extra, unsigned timeout_s)
{
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    pid_t pid = spawn(command, extra, null_fd);
    close(null_fd);
    return pid > 0 ? wait_status(pid, timeout_s) : -1;
}

long process_status_kb(pid_t pid, const char *field)
{
    char path[64];
    char line[256];
    long value = -1;
    size_t length = strlen(field);
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, file) != NULL) {
        if (strncmp(line, field, length) == 0 && line[length] == ':') {
            value = strtol(line + length + 1, NULL, 10);
            break;
        }
    }
    fclose(file);
    return value;
}

long process_fd_count(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *dir = opendir(path);
    if (dir == NULL) {
        return -1;
    }
    long count = 0;
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
        count += entry->d_name[0] != '.';
    }
    closedir(dir);
    return count;
}

/* ---- clients ---- */

int tcp_connect(unsigned port, unsigned timeout_s)
{
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct timeval timeout = {.tv_sec = (time_t)timeout_s};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout) != 0 ||
        connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool load_client_files(struct identity *identity, const char *certs, const char *client)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/ca.crt", certs);
    if (mbedtls_x509_crt_parse_file(&identity->ca, path) != 0) {
        fprintf(stderr, "test: cannot load %s\n", path);
        return false;
    }
    if (client == NULL) {
        return true;
    }
    snprintf(path, sizeof path, "%s/%s.crt", certs, client);
    if (mbedtls_x509_crt_parse_file(&identity->cert, path) != 0) {
        fprintf(stderr, "test: cannot load %s\n", path);
        return false;
    }
    snprintf(path, sizeof path, "%s/%s.key", certs, client);
    if (mbedtls_pk_parse_keyfile(&identity->key, path, NULL) != 0) {
        fprintf(stderr, "test: cannot load %s\n", path);
        return false;
    }
    return mbedtls_ssl_conf_own_cert(&identity->conf, &identity->cert, &identity->key) == 0;
}

bool identity_load(struct identity *identity, const char *certs, const char *client)
{
    mbedtls_ssl_config_init(&identity->conf);
    mbedtls_x509_crt_init(&identity->ca);
    mbedtls_x509_crt_init(&identity->cert);
    mbedtls_pk_init(&identity->key);
    pthread_once(&drbg_once, drbg_seed);
    if (drbg_status != 0 ||
        mbedtls_ssl_config_defaults(&identity->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0 ||
        !load_client_files(identity, certs, client)) {
        return false;
    }
    mbedtls_ssl_conf_rng(&identity->conf, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_authmode(&identity->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&identity->conf, &identity->ca, NULL);
    mbedtls_ssl_conf_read_timeout(&identity->conf, TEST_IO_TIMEOUT_S * 1000u);
    return true;
}

void identity_free(struct identity *identity)
{
    mbedtls_ssl_config_free(&identity->conf);
    mbedtls_x509_crt_free(&identity->ca);
    mbedtls_x509_crt_free(&identity->cert);
    mbedtls_pk_free(&identity->key);
}

void stream_init(struct stream *stream)
{
    mbedtls_net_init(&stream->net);
    mbedtls_ssl_init(&stream->ssl);
    stream->tls = false;
}

int stream_open_tls(struct stream *stream, struct identity *identity, unsigned port, uint32_t *flags)
{
    stream_init(stream);
    stream->tls = true;
    stream->net.fd = tcp_connect(port, TEST_IO_TIMEOUT_S);
    if (stream->net.fd < 0) {
        return MBEDTLS_ERR_NET_CONNECT_FAILED;
    }
    int ret = mbedtls_ssl_setup(&stream->ssl, &identity->conf);
    if (ret == 0) {
        ret = mbedtls_ssl_set_hostname(&stream->ssl, "localhost");
    }
    if (ret == 0) {
        mbedtls_ssl_set_bio(&stream->ssl, &stream->net, mbedtls_net_send, NULL, mbedtls_net_recv_timeout);
        /* Blocking: WANT_READ or WANT_WRITE here only means a socket timeout, so it is a failure too. */
        ret = mbedtls_ssl_handshake(&stream->ssl);
    }
    if (flags != NULL) {
        *flags = mbedtls_ssl_get_verify_result(&stream->ssl);
    }
    return ret;
}

bool stream_open_plain(struct stream *stream, unsigned port)
{
    stream_init(stream);
    stream->net.fd = tcp_connect(port, TEST_IO_TIMEOUT_S);
    return stream->net.fd >= 0;
}

void stream_close(struct stream *stream, bool notify)
{
    if (stream->tls && notify) {
        (void)mbedtls_ssl_close_notify(&stream->ssl);
    }
    mbedtls_ssl_free(&stream->ssl);
    mbedtls_net_free(&stream->net);
    stream_init(stream);
}

/* One read or write: a byte count, 0 for end of stream, or a negative error. */
static int stream_io(struct stream *stream, uint8_t *data, size_t length, bool write)
{
    if (stream->tls) {
        int ret = write ? mbedtls_ssl_write(&stream->ssl, data, length) : mbedtls_ssl_read(&stream->ssl, data, length);
        return ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ? 0 : ret;
    }
    ssize_t n = write ? send(stream->net.fd, data, length, MSG_NOSIGNAL) : recv(stream->net.fd, data, length, 0);
    return n >= 0 ? (int)n : -errno;
}

static bool stream_transfer(struct stream *stream, uint8_t *data, size_t length, bool write, char *error,
                            size_t error_size)
{
    for (size_t done = 0; done < length;) {
        int n = stream_io(stream, data + done, length - done, write);
        if (n <= 0) {
            char text[200];
            snprintf(error, error_size, "%s failed after %zu of %zu bytes: %s", write ? "write" : "read", done, length,
                     n == 0        ? "the server closed the connection"
                     : stream->tls ? tls_error_text(n, text, sizeof text)
                                   : strerror(-n));
            return false;
        }
        done += (size_t)n;
    }
    return true;
}

bool stream_echo(struct stream *stream, const uint8_t *data, size_t length, char *error, size_t error_size)
{
    uint8_t *back = malloc(length);
    bool ok = back != NULL && stream_transfer(stream, (uint8_t *)data, length, true, error, error_size) &&
              stream_transfer(stream, back, length, false, error, error_size);
    if (ok && memcmp(back, data, length) != 0) {
        size_t at = 0;
        while (back[at] == data[at]) {
            at++;
        }
        snprintf(error, error_size, "echoed byte %zu of %zu differs (0x%02x, sent 0x%02x)", at, length, back[at],
                 data[at]);
        ok = false;
    }
    free(back);
    return ok;
}

bool stream_wait_closed(struct stream *stream, unsigned timeout_s)
{
    uint8_t sink[4096];
    double deadline = seconds_now() + timeout_s;
    for (;;) {
        int left_ms = (int)((deadline - seconds_now()) * 1000);
        struct pollfd poll_fd = {.fd = stream->net.fd, .events = POLLIN};
        bool buffered = stream->tls && mbedtls_ssl_get_bytes_avail(&stream->ssl) > 0;
        if (!buffered && (left_ms <= 0 || poll(&poll_fd, 1, left_ms) <= 0)) {
            return false;
        }
        int n = stream_io(stream, sink, sizeof sink, false);
        if (n <= 0 && n != MBEDTLS_ERR_SSL_WANT_READ && n != -EAGAIN) {
            return true;
        }
    }
}
