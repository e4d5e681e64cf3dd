/* Alder qualification runner: test images as child processes (simulator, QEMU, or a board's flash-and-read
 * command), several at once, each in its own process group so that a stop reaches QEMU and a flasher's children.
 * It must never wait without a deadline: a silent, hung or never-exiting device is stopped and said to be so. */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* After its verdict, a run command that ends by itself gets this long to do so. */
#define EXIT_GRACE_SECONDS 10.0
/* A run command that never ends (it reads a serial port) is stopped this soon after the verdict. */
#define STOP_GRACE_SECONDS 0.5
/* Between SIGTERM and SIGKILL. */
#define KILL_GRACE_SECONDS 2.0
/* Output still in the pipe when the process has exited is read for this long. */
#define DRAIN_SECONDS 1.0

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t list_length(char *const *list)
{
    size_t n = 0;
    while (list != NULL && list[n] != NULL) {
        n++;
    }
    return n;
}

/* In the child: the console is stdout and stderr together, as on a device's UART. */
static void __attribute__((noreturn)) exec_child(const struct image_run *run, const struct run_limits *limits,
                                                 int output_fd, int error_fd)
{
    setpgid(0, 0);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
    }
    dup2(output_fd, STDOUT_FILENO);
    dup2(output_fd, STDERR_FILENO);
    for (char **setting = run->spec->env; setting != NULL && *setting != NULL; setting++) {
        putenv(*setting);
    }
    size_t prefix = list_length(limits->run_prefix);
    char **argv = calloc(prefix + 2, sizeof *argv);
    if (argv != NULL) {
        for (size_t i = 0; i < prefix; i++) {
            argv[i] = limits->run_prefix[i];
        }
        argv[prefix] = run->spec->path;
        execvp(argv[0], argv);
    }
    int error = errno;
    ssize_t ignored = write(error_fd, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

/* The exec error pipe is close-on-exec: reading EOF means the command started. */
static bool start(struct image_run *run, const struct run_limits *limits)
{
    int output[2], exec_error[2];
    run->started = run->last_output = now_seconds();
    run->fd = -1;
    run->pid = -1;
    if (pipe2(output, O_CLOEXEC) != 0 || pipe2(exec_error, O_CLOEXEC) != 0) {
        snprintf(run->error, sizeof run->error, "pipe: %s", strerror(errno));
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(run->error, sizeof run->error, "fork: %s", strerror(errno));
        close(output[0]), close(output[1]), close(exec_error[0]), close(exec_error[1]);
        return false;
    }
    if (pid == 0) {
        exec_child(run, limits, output[1], exec_error[1]);
    }
    setpgid(pid, pid); /* also here: whichever runs first, the group exists before any kill */
    close(output[1]);
    close(exec_error[1]);
    int error = 0;
    ssize_t got;
    do {
        got = read(exec_error[0], &error, sizeof error);
    } while (got < 0 && errno == EINTR);
    close(exec_error[0]);
    run->pid = pid;
    if (got == (ssize_t)sizeof error) {
        char *const *prefix = limits->run_prefix;
        snprintf(run->error, sizeof run->error, "cannot run %s: %s",
                 prefix != NULL && prefix[0] != NULL ? prefix[0] : run->spec->path, strerror(error));
        close(output[0]);
        waitpid(pid, NULL, 0);
        run->pid = -1;
        return false;
    }
    fcntl(output[0], F_SETFL, fcntl(output[0], F_GETFL) | O_NONBLOCK);
    run->fd = output[0];
    return true;
}

static void keep_log(struct image_run *run, const char *data, size_t length, size_t max)
{
    if (run->log_length + length > max) {
        run->log_cut = true;
        length = run->log_length < max ? max - run->log_length : 0;
    }
    if (length == 0) {
        return;
    }
    if (run->log_length + length > run->log_capacity) {
        size_t capacity = (run->log_length + length) * 2;
        char *bigger = realloc(run->log, capacity);
        if (bigger == NULL) {
            run->log_cut = true;
            return;
        }
        run->log = bigger;
        run->log_capacity = capacity;
    }
    memcpy(run->log + run->log_length, data, length);
    run->log_length += length;
}

/* Reads what the pipe holds; closes it at end of file. */
static void read_output(struct image_run *run, const struct run_limits *limits)
{
    char buffer[65536];
    for (;;) {
        ssize_t got = read(run->fd, buffer, sizeof buffer);
        if (got > 0) {
            double now = now_seconds();
            run->last_output = now;
            keep_log(run, buffer, (size_t)got, limits->max_log_bytes);
            /* Once stopped, what comes is the run command's own farewell ("terminating on signal"). */
            if (!run->killed) {
                output_feed(&run->output, buffer, (size_t)got, now - run->started);
            }
            continue;
        }
        if (got < 0 && (errno == EINTR)) {
            continue;
        }
        if (got == 0 || (got < 0 && errno != EAGAIN)) {
            close(run->fd);
            run->fd = -1;
        }
        return;
    }
}

/* Stops the run's whole process group: SIGTERM now, SIGKILL later (see tick()). */
static void stop(struct image_run *run, enum run_end why, double limit, double now)
{
    if (!run->killed) {
        run->end = why;
        run->limit = limit;
        run->killed = true;
        run->stop_at = now + KILL_GRACE_SECONDS;
        kill(-run->pid, SIGTERM);
    }
}

static void reap(struct image_run *run, double now)
{
    int status;
    if (run->exited || waitpid(run->pid, &status, WNOHANG) != run->pid) {
        return;
    }
    run->exited = true;
    run->seconds = now - run->started;
    kill(-run->pid, SIGKILL); /* anything the command left behind in its group */
    if (run->killed) {
        return; /* the end was decided when we stopped it */
    }
    if (WIFSIGNALED(status)) {
        run->end = RUN_SIGNALED;
        run->code = WTERMSIG(status);
    } else {
        run->end = RUN_EXITED;
        run->code = WEXITSTATUS(status);
    }
    run->stop_at = now + DRAIN_SECONDS;
}

/* One look at a running image: its timeouts, its end, its stop. */
static void tick(struct image_run *run, const struct run_limits *limits, double now)
{
    reap(run, now);
    if (run->exited) {
        if (run->fd >= 0 && now >= run->stop_at) {
            close(run->fd); /* a grandchild kept the pipe open: what it says no longer counts */
            run->fd = -1;
        }
        return;
    }
    if (run->killed) {
        if (now >= run->stop_at) {
            kill(-run->pid, SIGKILL);
        }
        return;
    }
    const struct image_output *out = &run->output;
    double image_limit = run->spec->timeout * limits->multiplier;
    if (output_run_is_over(out)) {
        if (!run->stopping) {
            /* A restarted device will not end by itself: it runs its tests again. */
            bool ends_itself = limits->run_exits && !out->reset_seen;
            run->stopping = true;
            run->stop_at = now + (ends_itself ? EXIT_GRACE_SECONDS : STOP_GRACE_SECONDS);
        } else if (now >= run->stop_at) {
            stop(run, RUN_STOPPED, EXIT_GRACE_SECONDS, now);
        }
    } else if (out->bytes == 0 && now - run->started > limits->start_timeout) {
        stop(run, RUN_SILENT, limits->start_timeout, now);
    } else if (out->bytes > 0 && now - run->last_output > limits->idle_timeout) {
        stop(run, RUN_IDLE, limits->idle_timeout, now);
    } else if (now - run->started > image_limit) {
        stop(run, RUN_TOO_LONG, image_limit, now);
    }
}

static bool finished(const struct image_run *run)
{
    return run->pid < 0 || (run->exited && run->fd < 0);
}

static void finish(struct image_run *run, double now)
{
    output_finish(&run->output, now - run->started);
    if (run->end == RUN_NOT_STARTED || run->end == RUN_NOT_RUN) {
        run->seconds = 0;
    }
}

static void *zeroed(size_t count, size_t size)
{
    void *memory = calloc(count + 1, size);
    if (memory == NULL) {
        perror("alder_qualify");
        exit(2);
    }
    return memory;
}

void run_order_init(struct run_order *order, const struct image_run *runs, size_t count, unsigned jobs)
{
    order->count = count;
    order->running = 0;
    order->jobs = jobs;
    order->slots = zeroed(count, sizeof *order->slots);
    order->predecessor = zeroed(count, sizeof *order->predecessor);
    order->passed = zeroed(count, sizeof *order->passed);
    for (size_t i = 0; i < count; i++) {
        order->slots[i] = RUN_SLOT_WAITING;
        order->predecessor[i] = RUN_NO_PREDECESSOR;
        for (size_t k = 0; k < i && runs[i].spec->after != NULL; k++) {
            if (strcmp(runs[k].spec->name, runs[i].spec->after) == 0) {
                order->predecessor[i] = k;
            }
        }
    }
}

enum run_step run_order_next(struct run_order *order, size_t *index)
{
    for (size_t i = 0; i < order->count; i++) {
        if (order->slots[i] != RUN_SLOT_WAITING) {
            continue;
        }
        size_t before = order->predecessor[i];
        if (before != RUN_NO_PREDECESSOR && order->slots[before] != RUN_SLOT_DONE) {
            continue; /* not yet: never beside the run it comes after */
        }
        if (before != RUN_NO_PREDECESSOR && !order->passed[before]) {
            order->slots[i] = RUN_SLOT_NOT_RUN;
            *index = i;
            return RUN_STEP_NOT_RUN;
        }
        if (order->running < order->jobs) {
            order->slots[i] = RUN_SLOT_RUNNING;
            order->running++;
            *index = i;
            return RUN_STEP_START;
        }
    }
    return RUN_STEP_NONE;
}

void run_order_done(struct run_order *order, size_t index, bool passed)
{
    if (order->slots[index] == RUN_SLOT_RUNNING) {
        order->running--;
    }
    order->slots[index] = RUN_SLOT_DONE;
    order->passed[index] = passed;
}

void run_order_free(struct run_order *order)
{
    free(order->slots);
    free(order->predecessor);
    free(order->passed);
    memset(order, 0, sizeof *order);
}

/* Starts what the order allows now; a run whose predecessor failed ends at once, without a process. */
static void start_ready(struct image_run *runs, struct run_order *order, const struct run_limits *limits)
{
    size_t i;
    enum run_step step;
    while ((step = run_order_next(order, &i)) != RUN_STEP_NONE) {
        struct image_run *run = &runs[i];
        output_init(&run->output);
        if (step == RUN_STEP_NOT_RUN) {
            run->end = RUN_NOT_RUN;
            snprintf(run->error, sizeof run->error, "not run: %.200s failed", run->spec->after);
        } else if (!start(run, limits)) {
            run->end = RUN_NOT_STARTED;
        }
    }
}

void run_images(struct image_run *runs, size_t count, unsigned jobs, const struct run_limits *limits,
                run_done_fn done, void *context)
{
    struct pollfd *fds = zeroed(count, sizeof *fds);
    size_t *owners = zeroed(count, sizeof *owners);
    struct run_order order;
    run_order_init(&order, runs, count, jobs);
    size_t left = count;
    signal(SIGPIPE, SIG_IGN);
    while (left > 0) {
        start_ready(runs, &order, limits);
        size_t n = 0;
        for (size_t i = 0; i < count; i++) {
            if (runs[i].fd >= 0) {
                fds[n] = (struct pollfd){.fd = runs[i].fd, .events = POLLIN};
                owners[n++] = i;
            }
        }
        poll(fds, n, 100);
        for (size_t k = 0; k < n; k++) {
            if (fds[k].revents != 0) {
                read_output(&runs[owners[k]], limits);
            }
        }
        double now = now_seconds();
        for (size_t i = 0; i < count; i++) {
            struct image_run *run = &runs[i];
            if (order.slots[i] != RUN_SLOT_RUNNING && order.slots[i] != RUN_SLOT_NOT_RUN) {
                continue;
            }
            if (run->pid >= 0) {
                tick(run, limits, now);
            }
            if (finished(run)) {
                finish(run, now);
                left--;
                run_order_done(&order, i, done(run, context));
            }
        }
    }
    run_order_free(&order);
    free(fds);
    free(owners);
}

void run_free(struct image_run *run)
{
    output_free(&run->output);
    free(run->log);
    free(run->earlier_log);
    run->log = NULL;
    run->earlier_log = NULL;
}
