/* Alder qualification runner: runs test images as child processes, several at once, with their timeouts.
 * It must never wait without a deadline: a silent, hung or never-exiting device is stopped and said to be so. */
#ifndef QUALIFY_RUN_H
#define QUALIFY_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"
#include "output.h"

/* How a run ended, as far as the process is concerned. */
enum run_end {
    RUN_EXITED,        /* the process exited by itself; code is its status */
    RUN_SIGNALED,      /* killed by a signal it did not get from us; code is the signal */
    RUN_STOPPED,       /* the output said the run was over and we stopped the run command */
    RUN_SILENT,        /* nothing at all within the start timeout */
    RUN_IDLE,          /* output stopped for the idle timeout */
    RUN_TOO_LONG,      /* the image's whole-run timeout passed */
    RUN_NOT_STARTED    /* the command could not be started; error says why */
};

struct run_limits {
    double start_timeout, idle_timeout; /* already multiplied */
    double multiplier;                  /* for each image's own timeout */
    bool run_exits;                     /* the command ends with the image's status */
    char *const *run_prefix;
    size_t max_log_bytes;               /* output kept for the log; the parser sees all of it */
};

struct image_run {
    const struct image_spec *spec;
    struct image_output output;
    enum run_end end;
    int code;
    double seconds, limit; /* limit: the timeout that fired, for the message */
    char error[256];
    char *log; /* the raw console output, up to max_log_bytes */
    size_t log_length;
    bool log_cut;
    /* Set when this is a retry: why the first attempt failed, and what it printed. */
    char first_failure[640];
    char *earlier_log;
    size_t earlier_log_length;
    /* Internal. */
    int pid, fd;
    double started, last_output, stop_at;
    bool stopping, killed, exited;
    size_t log_capacity;
};

/* Called as each run ends, in the order they end (for progress lines). */
typedef void (*run_done_fn)(const struct image_run *run, void *context);

/* Runs runs[0..count) with at most `jobs` at once; every run's spec must be set. */
void run_images(struct image_run *runs, size_t count, unsigned jobs, const struct run_limits *limits,
                run_done_fn done, void *context);
void run_free(struct image_run *run);

#endif /* QUALIFY_RUN_H */
