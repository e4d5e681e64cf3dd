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
    RUN_NOT_STARTED,   /* the command could not be started; error says why */
    RUN_NOT_RUN        /* never started: the image it runs after failed; error says which */
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
    /* Set when this is a retry: how the first attempt ended ("failed: why", or "passed; ..." for an image run
     * again before a later one that needs it), and what it printed. */
    char first_failure[640];
    char *earlier_log;
    size_t earlier_log_length;
    /* Internal. */
    int pid, fd;
    double started, last_output, stop_at;
    bool stopping, killed, exited;
    size_t log_capacity;
};

/* Called as each run ends, in the order they end (for progress lines). Returns whether the run passed: a run
 * that comes after it (its spec's `after`) starts only if it did. */
typedef bool (*run_done_fn)(const struct image_run *run, void *context);

/* Runs runs[0..count) in their order, with at most `jobs` at once; every run's spec must be set, and its pid and
 * fd -1. A run whose spec names another run of the array as `after` starts once that one has passed, and ends
 * RUN_NOT_RUN when it did not. */
void run_images(struct image_run *runs, size_t count, unsigned jobs, const struct run_limits *limits,
                run_done_fn done, void *context);
void run_free(struct image_run *run);

/* The order run_images starts runs in, apart from the processes so that it can be tested alone. */
enum run_slot { RUN_SLOT_WAITING, RUN_SLOT_RUNNING, RUN_SLOT_NOT_RUN, RUN_SLOT_DONE };
enum run_step { RUN_STEP_NONE, RUN_STEP_START, RUN_STEP_NOT_RUN };
#define RUN_NO_PREDECESSOR ((size_t)-1)

struct run_order {
    size_t count, running;
    unsigned jobs;
    enum run_slot *slots;
    size_t *predecessor; /* index of the run each run comes after, or RUN_NO_PREDECESSOR */
    bool *passed;
};

/* A predecessor counts only when it is earlier in runs (the manifest lists it first); a run whose predecessor is
 * not in the array at all starts like one without. */
void run_order_init(struct run_order *order, const struct image_run *runs, size_t count, unsigned jobs);
/* What to do next: START runs[*index] (a job is free, its predecessor passed or it has none), mark it NOT_RUN
 * (its predecessor failed), or NONE for now. Each index is given once. */
enum run_step run_order_next(struct run_order *order, size_t *index);
/* runs[index], given by run_order_next, has ended. */
void run_order_done(struct run_order *order, size_t index, bool passed);
void run_order_free(struct run_order *order);

#endif /* QUALIFY_RUN_H */
