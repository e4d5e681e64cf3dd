/* Alder qualification runner: the two reports of a run, report.xml (JUnit) and report.md (for a person).
 * It must never drop what went wrong: every failed case and every problem with a run appears in both. */
#ifndef QUALIFY_REPORT_H
#define QUALIFY_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"
#include "run.h"
#include "verdict.h"

struct group_summary {
    const struct group_spec *spec;
    bool selected;   /* false: left out of this run with --group */
    size_t images, images_failed;
    size_t cases, failed, ignored;
    double seconds;  /* wall time of the group */
    bool passed;
    char log[256];   /* the group's log, relative to the report */
    char setup_error[640]; /* non-empty: the group could not run (a server it needs did not start) */
};

struct report {
    const struct manifest *manifest;
    struct image_run *runs;         /* one per manifest image, same order */
    struct run_problems *problems;  /* one per run */
    struct group_summary *groups;   /* one per manifest group, same order */
    char date[64];
    char host[128];
    double multiplier;
    unsigned jobs;
    bool partial;    /* only some groups ran (--group) */
    bool qualified;  /* at least one group ran, and every applicable group that ran passed */
};

/* Fills each group's counts and the verdict from the runs. */
void report_summarize(struct report *r);
/* A piece of porting that some image said was missing, deduplicated over the whole run. */
size_t report_missing(const struct report *r, const struct missing_piece **out, size_t max);

bool report_write_xml(const struct report *r, const char *path);
bool report_write_markdown(const struct report *r, const char *path);

#endif /* QUALIFY_REPORT_H */
