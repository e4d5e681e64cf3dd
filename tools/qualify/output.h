/* Alder qualification runner: reads one test image's console output, a byte stream, into cases and anomalies.
 * It must never trust the stream: every line is bounded, every number checked, and garbage is counted, not parsed. */
#ifndef QUALIFY_OUTPUT_H
#define QUALIFY_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

/* The lines this parser reads are printed by tests/framework (alder_test.c). */
#define OUTPUT_BANNER "ALDER TEST START"
#define OUTPUT_NOT_IMPLEMENTED "ALDER NOT IMPLEMENTED: "
/* Longer lines are cut here (and the cut is counted as garbled output). */
#define OUTPUT_LINE_MAX 1024
#define OUTPUT_TEXT_MAX 512

enum case_status { CASE_PASS, CASE_FAIL, CASE_IGNORE };

struct case_result {
    char group[64];
    char name[128];
    enum case_status status;
    char message[OUTPUT_TEXT_MAX]; /* FAIL: "file:line: what"; IGNORE: the reason */
    char file[256];                /* from the message, when it starts with file:line: */
    unsigned line;
    double seconds; /* from the previous case line (or the banner) to this one */
};

/* A porting function that says it has not been written (boards/template prints these). */
struct missing_piece {
    char function[96];
    char where[256];
    char guide[160];
};

struct image_output {
    /* What was read. */
    size_t bytes;
    unsigned banners;
    struct case_result *cases;
    size_t case_count, case_capacity;
    struct missing_piece *missing;
    size_t missing_count, missing_capacity;
    bool summary_seen;
    unsigned summary_tests, summary_failures, summary_ignored;
    bool verdict_seen, verdict_ok;
    bool fatal_seen;
    char fatal[OUTPUT_TEXT_MAX];
    size_t garbled_bytes;  /* bytes after the banner that are not printable text */
    size_t malformed_lines; /* lines starting "TEST(" that do not parse, and cut lines */
    bool reset_seen;        /* a second banner: the device restarted */
    char last_line[OUTPUT_TEXT_MAX]; /* the last line that said where the run was */
    char line_before_reset[OUTPUT_TEXT_MAX];
    bool out_of_memory;

    /* Line assembly. */
    char line[OUTPUT_LINE_MAX];
    size_t line_length;
    bool line_cut;
    double now, last_case_time; /* seconds, supplied by the caller */
};

void output_init(struct image_output *out);
void output_free(struct image_output *out);
/* Feeds bytes as they arrive; `now` is the caller's clock in seconds (for per-case times). */
void output_feed(struct image_output *out, const char *data, size_t length, double now);
/* The stream has ended: a last line without a newline still counts. */
void output_finish(struct image_output *out, double now);
/* True once the run has said all it will: a verdict, a fatal error, or a reset. */
bool output_run_is_over(const struct image_output *out);

size_t output_count(const struct image_output *out, enum case_status status);

#endif /* QUALIFY_OUTPUT_H */
