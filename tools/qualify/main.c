/* Alder qualification runner (alder_qualify): runs a board's qualification groups from the manifest its build
 * wrote, prints a progress line per image and per group, and writes report.xml, report.md and a log per group.
 * It must never exit 0 unless the board qualified: every applicable group ran, and every one passed. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "manifest.h"
#include "report.h"
#include "run.h"
#include "servers.h"
#include "verdict.h"

#define EXIT_QUALIFIED 0
#define EXIT_NOT_QUALIFIED 1
#define EXIT_USAGE 2
/* The raw console output kept per image for the logs; a flooding device is cut there. */
#define MAX_LOG_BYTES (8u << 20)

struct options {
    const char *manifest;
    const char *out_dir;
    unsigned jobs;
    double multiplier;
    const char *groups[32];
    size_t group_count;
};

static void usage(FILE *to)
{
    fputs("usage: alder_qualify --manifest FILE --out DIR [--jobs N] [--timeout-multiplier X] [--group NAME]...\n"
          "  Runs every qualification group of the board described by FILE (build/<board>/qualify/manifest)\n"
          "  and writes DIR/report.md, DIR/report.xml and DIR/logs/<group>.log.\n"
          "  --jobs N                 images run at once (default: the board's setting, else one per CPU)\n"
          "  --timeout-multiplier X   scale every timeout (slow boards, loaded hosts); also\n"
          "                           $ALDER_QUALIFY_TIMEOUT_MULTIPLIER\n"
          "  --group NAME             run only this group (repeatable); the run is then partial\n"
          "exit status: 0 qualified, 1 not qualified, 2 usage or manifest error\n",
          to);
}

static bool parse_multiplier(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(value >= 0.1 && value <= 100)) {
        fprintf(stderr, "alder_qualify: timeout multiplier '%s' is not a number from 0.1 to 100\n", text);
        return false;
    }
    *out = value;
    return true;
}

static bool parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {{"manifest", required_argument, NULL, 'm'},
                                          {"out", required_argument, NULL, 'o'},
                                          {"jobs", required_argument, NULL, 'j'},
                                          {"timeout-multiplier", required_argument, NULL, 't'},
                                          {"group", required_argument, NULL, 'g'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->multiplier = 1;
    const char *env = getenv("ALDER_QUALIFY_TIMEOUT_MULTIPLIER");
    if (env != NULL && env[0] != '\0' && !parse_multiplier(env, &o->multiplier)) {
        return false;
    }
    int c;
    while ((c = getopt_long(argc, argv, "m:o:j:t:g:h", longs, NULL)) != -1) {
        switch (c) {
        case 'm': o->manifest = optarg; break;
        case 'o': o->out_dir = optarg; break;
        case 'j': {
            char *end = NULL;
            long jobs = strtol(optarg, &end, 10);
            if (*end != '\0' || jobs < 1 || jobs > 256) {
                fprintf(stderr, "alder_qualify: --jobs wants 1 to 256, not '%s'\n", optarg);
                return false;
            }
            o->jobs = (unsigned)jobs;
            break;
        }
        case 't':
            if (!parse_multiplier(optarg, &o->multiplier)) {
                return false;
            }
            break;
        case 'g':
            if (o->group_count == sizeof o->groups / sizeof o->groups[0]) {
                fputs("alder_qualify: too many --group options\n", stderr);
                return false;
            }
            o->groups[o->group_count++] = optarg;
            break;
        case 'h': usage(stdout); exit(EXIT_QUALIFIED);
        default: usage(stderr); return false;
        }
    }
    if (o->manifest == NULL || o->out_dir == NULL || optind != argc) {
        usage(stderr);
        return false;
    }
    return true;
}

/* mkdir -p */
static bool make_dirs(const char *path)
{
    char buffer[4096];
    if (snprintf(buffer, sizeof buffer, "%s", path) >= (int)sizeof buffer) {
        return false;
    }
    for (char *p = buffer + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(buffer, 0755) != 0 && errno != EEXIST) {
                fprintf(stderr, "alder_qualify: cannot create %s: %s\n", buffer, strerror(errno));
                return false;
            }
            *p = saved;
            if (saved == '\0') {
                return true;
            }
        }
    }
}

static double wall_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- one group ------------------------------------------------------------------------------ */

struct progress {
    size_t done, total;
    bool run_exits;
    struct image_run *runs; /* the array being run, and its problems at the same indexes */
    struct run_problems *problems;
};

static const char *run_word(const struct image_run *run, const struct run_problems *p)
{
    if (p->count > 0) {
        return "ERROR";
    }
    return output_count(&run->output, CASE_FAIL) > 0 ? "FAIL" : "PASS";
}

static bool image_done(const struct image_run *run, void *context)
{
    struct progress *progress = context;
    struct run_problems *p = &progress->problems[run - progress->runs];
    verdict_judge(run, progress->run_exits, p);
    progress->done++;
    printf("  [%3zu/%zu] %-40s %-5s %4zu cases %3zu failed %6.1f s%s%s\n", progress->done, progress->total,
           run->spec->name, run_word(run, p), run->output.case_count, output_count(&run->output, CASE_FAIL),
           run->seconds, p->count > 0 ? "  " : "", p->count > 0 ? p->text[0] : "");
    fflush(stdout);
    return verdict_image_passed(run, p);
}

static void write_group_log(const struct report *r, const struct group_summary *g, const char *out_dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", out_dir, g->log);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "alder_qualify: cannot write %s: %s\n", path, strerror(errno));
        return;
    }
    for (size_t i = 0; i < r->manifest->image_count; i++) {
        const struct image_run *run = &r->runs[i];
        if (strcmp(run->spec->group, g->spec->name) != 0) {
            continue;
        }
        if (run->earlier_log != NULL) {
            fprintf(f, "==== image %s, first attempt (%s) ====\n", run->spec->name, run->first_failure);
            fwrite(run->earlier_log, 1, run->earlier_log_length, f);
            fputc('\n', f);
        }
        fprintf(f, "==== image %s (%s) %.1f s ====\n", run->spec->name, run->spec->path, run->seconds);
        if (run->log_length > 0) {
            fwrite(run->log, 1, run->log_length, f);
            if (run->log[run->log_length - 1] != '\n') {
                fputc('\n', f);
            }
        }
        if (run->log_cut) {
            fprintf(f, "==== output cut at %u bytes ====\n", MAX_LOG_BYTES);
        }
        for (size_t k = 0; k < r->problems[i].count; k++) {
            fprintf(f, "==== problem: %s ====\n", r->problems[i].text[k]);
        }
    }
    fclose(f);
}

/* How an attempt ended, for the report of an image that ran again: its first failure, or that it passed and ran
 * again only because an image that runs after it was retried (which needs what it leaves behind). */
static void describe_failure(const struct image_run *run, const struct run_problems *p, char *out, size_t size)
{
    if (verdict_image_passed(run, p)) {
        snprintf(out, size, "passed; run again before the retry of an image that runs after it");
        return;
    }
    if (p->count > 0) {
        snprintf(out, size, "failed: %.600s", p->text[0]);
        return;
    }
    for (size_t k = 0; k < run->output.case_count; k++) {
        const struct case_result *c = &run->output.cases[k];
        if (c->status == CASE_FAIL) {
            snprintf(out, size, "failed: TEST(%s, %s) FAIL %.400s", c->group, c->name, c->message);
            return;
        }
    }
    snprintf(out, size, "failed: no case ran");
}

/* Marks the images to run again: each that failed, and the images it runs after, since it needs what they leave
 * on the device (a predecessor is always listed before the image that runs after it). Returns how many. */
static size_t mark_retries(const struct image_run *runs, const struct run_problems *problems, size_t count, bool *again)
{
    size_t marked = 0;
    for (size_t i = count; i-- > 0;) {
        again[i] = again[i] || !verdict_image_passed(&runs[i], &problems[i]);
        for (size_t k = 0; k < i && again[i] && runs[i].spec->after != NULL; k++) {
            again[k] = again[k] || strcmp(runs[k].spec->name, runs[i].spec->after) == 0;
        }
        marked += again[i];
    }
    return marked;
}

/* Runs the failed images of runs[0..count) once more (boards whose clock follows a loaded host's,
 * see ALDER_BOARD_QUALIFY_RETRIES), with the images they run after. The first attempt's failure and log stay
 * in the report. */
static void retry_failed(struct report *r, struct image_run *runs, struct run_problems *problems, size_t count,
                         const struct run_limits *limits)
{
    bool *marked = calloc(count + 1, sizeof *marked);
    if (marked == NULL) {
        perror("alder_qualify");
        exit(EXIT_USAGE);
    }
    size_t n = mark_retries(runs, problems, count, marked);
    if (n == 0) {
        free(marked);
        return;
    }
    struct image_run *again = calloc(n, sizeof *again);
    struct run_problems *again_problems = calloc(n, sizeof *again_problems);
    size_t *index = calloc(n, sizeof *index);
    if (again == NULL || again_problems == NULL || index == NULL) {
        perror("alder_qualify");
        exit(EXIT_USAGE);
    }
    n = 0;
    for (size_t i = 0; i < count; i++) {
        if (marked[i]) {
            index[n] = i;
            again[n].spec = runs[i].spec;
            again[n].pid = again[n].fd = -1;
            n++;
        }
    }
    printf("  retrying %zu image(s) once: those that failed, and those they run after\n", n);
    struct progress progress = {0, n, r->manifest->run_exits, again, again_problems};
    run_images(again, n, r->jobs, limits, image_done, &progress);
    for (size_t k = 0; k < n; k++) {
        struct image_run *first = &runs[index[k]];
        describe_failure(first, &problems[index[k]], again[k].first_failure, sizeof again[k].first_failure);
        again[k].earlier_log = first->log;
        again[k].earlier_log_length = first->log_length;
        first->log = NULL;
        run_free(first);
        *first = again[k];
        problems[index[k]] = again_problems[k];
    }
    free(marked);
    free(again);
    free(again_problems);
    free(index);
}

/* Runs the group's images (a group's images are neighbours in the manifest: see run_all). */
static void run_group(struct report *r, struct group_summary *g, const struct run_limits *limits, unsigned retries)
{
    const struct manifest *m = r->manifest;
    size_t first = m->image_count, count = 0;
    for (size_t i = 0; i < m->image_count; i++) {
        if (strcmp(m->images[i].group, g->spec->name) == 0) {
            first = count == 0 ? i : first;
            count++;
        }
    }
    printf("%s: %zu image(s)\n", g->spec->name, count);
    fflush(stdout);
    double start = wall_seconds();
    struct progress progress = {0, count, m->run_exits, &r->runs[first], &r->problems[first]};
    if (count > 0) {
        run_images(&r->runs[first], count, r->jobs, limits, image_done, &progress);
        for (unsigned attempt = 0; attempt < retries; attempt++) {
            retry_failed(r, &r->runs[first], &r->problems[first], count, limits);
        }
    }
    g->seconds = wall_seconds() - start;
}

static bool selected(const struct options *o, const char *group)
{
    if (o->group_count == 0) {
        return true;
    }
    for (size_t i = 0; i < o->group_count; i++) {
        if (strcmp(o->groups[i], group) == 0) {
            return true;
        }
    }
    return false;
}

/* Images of one group must be neighbours for run_group: a stable sort by group order. */
static bool images_grouped(const struct manifest *m)
{
    for (size_t i = 1; i < m->image_count; i++) {
        if (strcmp(m->images[i].group, m->images[i - 1].group) != 0) {
            for (size_t k = 0; k + 1 < i; k++) {
                if (strcmp(m->images[k].group, m->images[i].group) == 0) {
                    return false;
                }
            }
        }
    }
    return true;
}

static void print_group_line(const struct group_summary *g)
{
    if (g->spec->na_reason != NULL) {
        printf("%s: not applicable on this board: %s\n", g->spec->name, g->spec->na_reason);
    } else if (!g->selected) {
        printf("%s: not run (--group)\n", g->spec->name);
    } else {
        printf("%s: %s  %zu cases, %zu failed, %zu ignored, %zu of %zu images failed, %.1f s\n", g->spec->name,
               g->passed ? "PASS" : "FAIL", g->cases, g->failed, g->ignored, g->images_failed, g->images, g->seconds);
    }
    fflush(stdout);
}

static void describe_host(struct report *r)
{
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(r->date, sizeof r->date, "%Y-%m-%dT%H:%M:%SZ", &utc);
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(r->host, sizeof r->host, "%.40s %.30s %.20s", u.sysname, u.release, u.machine);
    }
}

static int run_all(const struct options *o, struct manifest *m)
{
    if (!images_grouped(m)) {
        fputs("alder_qualify: the manifest lists a group's images apart; CMake writes them together\n", stderr);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < o->group_count; i++) {
        bool known = false;
        for (size_t g = 0; g < m->group_count; g++) {
            known = known || strcmp(m->groups[g].name, o->groups[i]) == 0;
        }
        if (!known) {
            fprintf(stderr, "alder_qualify: board %s has no group '%s'\n", m->board, o->groups[i]);
            return EXIT_USAGE;
        }
    }
    char logs[4200];
    snprintf(logs, sizeof logs, "%s/logs", o->out_dir);
    if (!make_dirs(logs)) {
        return EXIT_USAGE;
    }
    struct report r = {.manifest = m, .multiplier = o->multiplier, .partial = o->group_count > 0};
    r.runs = calloc(m->image_count + 1, sizeof *r.runs);
    r.problems = calloc(m->image_count + 1, sizeof *r.problems);
    r.groups = calloc(m->group_count, sizeof *r.groups);
    if (r.runs == NULL || r.problems == NULL || r.groups == NULL) {
        perror("alder_qualify");
        return EXIT_USAGE;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    r.jobs = o->jobs != 0 ? o->jobs : m->jobs != 0 ? m->jobs : (unsigned)(cpus > 0 ? cpus : 1);
    describe_host(&r);
    for (size_t i = 0; i < m->image_count; i++) {
        r.runs[i].spec = &m->images[i];
        r.runs[i].pid = -1;
        r.runs[i].fd = -1;
    }
    struct run_limits limits = {.start_timeout = m->start_timeout * o->multiplier,
                                .idle_timeout = m->idle_timeout * o->multiplier,
                                .multiplier = o->multiplier,
                                .run_exits = m->run_exits,
                                .run_prefix = m->run_prefix,
                                .max_log_bytes = MAX_LOG_BYTES};
    printf("Alder qualification: board %s, release %s, %zu group(s), %u image(s) at once\n", m->board,
           m->release != NULL ? m->release : "(unknown)", m->group_count, r.jobs);
    for (size_t gi = 0; gi < m->group_count; gi++) {
        struct group_summary *g = &r.groups[gi];
        g->spec = &m->groups[gi];
        g->selected = selected(o, g->spec->name);
        snprintf(g->log, sizeof g->log, "logs/%s.log", g->spec->name);
    }
    for (size_t gi = 0; gi < m->group_count; gi++) {
        struct group_summary *g = &r.groups[gi];
        if (g->spec->na_reason == NULL && g->selected) {
            if (servers_start_for(m, g->spec, logs, limits.start_timeout, g->setup_error, sizeof g->setup_error)) {
                run_group(&r, g, &limits, m->retries);
                write_group_log(&r, g, o->out_dir);
            } else {
                printf("%s: %s\n", g->spec->name, g->setup_error);
            }
        }
        report_summarize(&r);
        print_group_line(g);
    }
    servers_stop_all();
    report_summarize(&r);
    char path[4200];
    snprintf(path, sizeof path, "%s/report.xml", o->out_dir);
    bool written = report_write_xml(&r, path);
    snprintf(path, sizeof path, "%s/report.md", o->out_dir);
    written = report_write_markdown(&r, path) && written;
    printf("%s: %s (report: %s)\n", m->board,
           r.partial ? (r.qualified ? "PASSED (partial run)" : "NOT QUALIFIED (partial run)")
                     : (r.qualified ? "QUALIFIED" : "NOT QUALIFIED"),
           path);
    for (size_t i = 0; i < m->image_count; i++) {
        run_free(&r.runs[i]);
    }
    bool passed = r.qualified;
    free(r.runs);
    free(r.problems);
    free(r.groups);
    if (!written) {
        return EXIT_USAGE;
    }
    return passed ? EXIT_QUALIFIED : EXIT_NOT_QUALIFIED;
}

int main(int argc, char **argv)
{
    struct options o;
    if (!parse_options(argc, argv, &o)) {
        return EXIT_USAGE;
    }
    struct manifest m;
    char error[512];
    if (!manifest_load(&m, o.manifest, error, sizeof error)) {
        fprintf(stderr, "alder_qualify: %s: %s\n", o.manifest, error);
        manifest_free(&m);
        return EXIT_USAGE;
    }
    int status = run_all(&o, &m);
    manifest_free(&m);
    return status;
}
