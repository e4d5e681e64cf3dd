/* Alder qualification runner: the servers a group needs (the echo server, later the MQTT broker), started before
 * the first group that names them and stopped at the end. It must never run a group against a server that is not up. */
#define _GNU_SOURCE
#include "servers.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SERVERS 8

struct running_server {
    const struct server_spec *spec;
    pid_t pid;
};

static struct running_server running[MAX_SERVERS];
static size_t running_count;

static bool is_running(const struct server_spec *spec)
{
    for (size_t i = 0; i < running_count; i++) {
        if (running[i].spec == spec) {
            return true;
        }
    }
    return false;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* The log's text so far (up to 64 KB), to look for the ready text and to quote on failure. */
static size_t read_log(const char *path, char *buffer, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        buffer[0] = '\0';
        return 0;
    }
    size_t n = fread(buffer, 1, size - 1, f);
    fclose(f);
    buffer[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (buffer[i] == '\0') {
            buffer[i] = '?';
        }
    }
    return n;
}

static pid_t spawn(const struct server_spec *spec, const char *log_path)
{
    pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    setpgid(0, 0);
    int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int null_fd = open("/dev/null", O_RDONLY);
    if (log < 0 || null_fd < 0) {
        _exit(127);
    }
    dup2(null_fd, STDIN_FILENO);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    execvp(spec->command[0], spec->command);
    fprintf(stderr, "cannot run %s: %s\n", spec->command[0], strerror(errno));
    _exit(127);
}

static void stop(pid_t pid)
{
    kill(-pid, SIGTERM);
    for (int i = 0; i < 50; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            return;
        }
        sleep_ms(100);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* The last line of the log, for the error message. */
static const char *last_line(char *text)
{
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) {
        text[--n] = '\0';
    }
    char *line = strrchr(text, '\n');
    return line != NULL ? line + 1 : text;
}

static bool start(const struct server_spec *spec, const char *log_dir, double timeout, char *error, size_t size)
{
    char path[4200];
    static char text[65536];
    snprintf(path, sizeof path, "%s/server-%s.log", log_dir, spec->name);
    printf("server %s: starting\n", spec->name);
    fflush(stdout);
    pid_t pid = spawn(spec, path);
    if (pid < 0) {
        snprintf(error, size, "server %s: fork: %s", spec->name, strerror(errno));
        return false;
    }
    setpgid(pid, pid);
    for (long waited = 0; waited < (long)(timeout * 1000); waited += 100) {
        read_log(path, text, sizeof text);
        if (strstr(text, spec->ready) != NULL) {
            running[running_count++] = (struct running_server){spec, pid};
            printf("server %s: ready\n", spec->name);
            return true;
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            read_log(path, text, sizeof text);
            snprintf(error, size, "server %s exited before it was ready (status %d): %.300s", spec->name,
                     WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), last_line(text));
            return false;
        }
        sleep_ms(100);
    }
    stop(pid);
    read_log(path, text, sizeof text);
    snprintf(error, size, "server %s printed no \"%s\" within %.0f s: %.300s", spec->name, spec->ready, timeout,
             last_line(text));
    return false;
}

bool servers_start_for(const struct manifest *m, const struct group_spec *group, const char *log_dir,
                       double timeout, char *error, size_t error_size)
{
    for (size_t i = 0; group->servers != NULL && group->servers[i] != NULL; i++) {
        const struct server_spec *spec = manifest_server(m, group->servers[i]);
        if (spec == NULL || is_running(spec)) {
            continue; /* the manifest parser checked every name */
        }
        if (running_count == MAX_SERVERS) {
            snprintf(error, error_size, "more than %d servers", MAX_SERVERS);
            return false;
        }
        if (!start(spec, log_dir, timeout, error, error_size)) {
            return false;
        }
    }
    return true;
}

void servers_stop_all(void)
{
    while (running_count > 0) {
        struct running_server *s = &running[--running_count];
        stop(s->pid);
        printf("server %s: stopped\n", s->spec->name);
    }
}
