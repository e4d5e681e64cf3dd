/* Alder qualification runner: the parser of a test image's console output (the lines tests/framework prints).
 * It must never trust the stream: every line is bounded, every number checked, and garbage is counted, not parsed. */
#include "output.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void output_init(struct image_output *out)
{
    memset(out, 0, sizeof *out);
}

void output_free(struct image_output *out)
{
    free(out->cases);
    free(out->missing);
    output_init(out);
}

/* Copies at most size-1 bytes and always terminates: lines from a device have no length promise. */
static void copy_text(char *dst, size_t size, const char *src, size_t length)
{
    if (length >= size) {
        length = size - 1;
    }
    memcpy(dst, src, length);
    dst[length] = '\0';
}

static bool grow(void **items, size_t *capacity, size_t count, size_t item_size)
{
    if (count < *capacity) {
        return true;
    }
    size_t wanted = *capacity == 0 ? 64 : *capacity * 2;
    void *bigger = realloc(*items, wanted * item_size);
    if (bigger == NULL) {
        return false;
    }
    *items = bigger;
    *capacity = wanted;
    return true;
}

static bool is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Reads an identifier at *p (the group or case name) and moves *p past it. */
static bool read_word(const char **p, char *dst, size_t size)
{
    const char *start = *p;
    while (is_word_char(**p)) {
        (*p)++;
    }
    size_t length = (size_t)(*p - start);
    if (length == 0 || length >= size) {
        return false;
    }
    copy_text(dst, size, start, length);
    return true;
}

static bool skip(const char **p, const char *expected)
{
    size_t n = strlen(expected);
    if (strncmp(*p, expected, n) != 0) {
        return false;
    }
    *p += n;
    return true;
}

/* "path/file.c:123: what happened" -> file and line, when the message starts that way. */
static void split_location(struct case_result *c)
{
    const char *colon = strchr(c->message, ':');
    if (colon == NULL || colon == c->message || !isdigit((unsigned char)colon[1])) {
        return;
    }
    char *end = NULL;
    errno = 0;
    unsigned long line = strtoul(colon + 1, &end, 10);
    if (errno != 0 || line == 0 || line > 10000000ul || *end != ':') {
        return;
    }
    copy_text(c->file, sizeof c->file, c->message, (size_t)(colon - c->message));
    c->line = (unsigned)line;
}

static bool parse_status(const char **p, enum case_status *status)
{
    if (skip(p, "PASS")) {
        *status = CASE_PASS;
    } else if (skip(p, "FAIL")) {
        *status = CASE_FAIL;
    } else if (skip(p, "IGNORE")) {
        *status = CASE_IGNORE;
    } else {
        return false;
    }
    return **p == '\0' || **p == ' ';
}

/* TEST(Group, Name) PASS | FAIL message | IGNORE reason */
static bool parse_case(struct image_output *out, const char *text)
{
    struct case_result c;
    memset(&c, 0, sizeof c);
    const char *p = text;
    if (!skip(&p, "TEST(") || !read_word(&p, c.group, sizeof c.group) || !skip(&p, ", ") ||
        !read_word(&p, c.name, sizeof c.name) || !skip(&p, ") ") || !parse_status(&p, &c.status)) {
        return false;
    }
    if (*p == ' ') {
        p++;
    }
    copy_text(c.message, sizeof c.message, p, strlen(p));
    split_location(&c);
    c.seconds = out->now - out->last_case_time;
    out->last_case_time = out->now;
    if (!grow((void **)&out->cases, &out->case_capacity, out->case_count, sizeof c)) {
        out->out_of_memory = true;
        return true;
    }
    out->cases[out->case_count++] = c;
    return true;
}

/* "N Tests M Failures K Ignored", each number in range. */
static bool parse_summary(struct image_output *out, const char *text)
{
    unsigned long values[3];
    const char *words[3] = {" Tests ", " Failures ", " Ignored"};
    const char *p = text;
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)*p)) {
            return false;
        }
        char *end = NULL;
        errno = 0;
        values[i] = strtoul(p, &end, 10);
        if (errno != 0 || values[i] > 10000000ul) {
            return false;
        }
        p = end;
        if (!skip(&p, words[i])) {
            return false;
        }
    }
    if (*p != '\0') {
        return false;
    }
    out->summary_seen = true;
    out->summary_tests = (unsigned)values[0];
    out->summary_failures = (unsigned)values[1];
    out->summary_ignored = (unsigned)values[2];
    return true;
}

/* "ALDER NOT IMPLEMENTED: function (file:line): see guide"; each function is listed once. */
static void parse_missing(struct image_output *out, const char *text)
{
    struct missing_piece piece;
    memset(&piece, 0, sizeof piece);
    const char *p = text + strlen(OUTPUT_NOT_IMPLEMENTED);
    const char *open = strstr(p, " (");
    const char *close = open != NULL ? strstr(open, "): see ") : NULL;
    if (open == NULL || close == NULL) {
        copy_text(piece.function, sizeof piece.function, p, strlen(p));
    } else {
        copy_text(piece.function, sizeof piece.function, p, (size_t)(open - p));
        copy_text(piece.where, sizeof piece.where, open + 2, (size_t)(close - open - 2));
        copy_text(piece.guide, sizeof piece.guide, close + 7, strlen(close + 7));
    }
    for (size_t i = 0; i < out->missing_count; i++) {
        if (strcmp(out->missing[i].function, piece.function) == 0) {
            return;
        }
    }
    if (!grow((void **)&out->missing, &out->missing_capacity, out->missing_count, sizeof piece)) {
        out->out_of_memory = true;
        return;
    }
    out->missing[out->missing_count++] = piece;
}

static void remember(char *dst, const char *text)
{
    copy_text(dst, OUTPUT_TEXT_MAX, text, strlen(text));
}

static void parse_line(struct image_output *out, const char *text)
{
    if (strncmp(text, OUTPUT_NOT_IMPLEMENTED, strlen(OUTPUT_NOT_IMPLEMENTED)) == 0) {
        parse_missing(out, text);
        return;
    }
    if (strncmp(text, OUTPUT_BANNER, strlen(OUTPUT_BANNER)) == 0) {
        if (++out->banners > 1) {
            out->reset_seen = true;
            remember(out->line_before_reset, out->last_line);
        }
        out->last_case_time = out->now;
        remember(out->last_line, text);
        return;
    }
    if (out->banners == 0) {
        return; /* boot noise before the image starts: a bootloader's, say */
    }
    if (strncmp(text, "TEST(", 5) == 0) {
        if (parse_case(out, text)) {
            remember(out->last_line, text);
        } else {
            out->malformed_lines++;
        }
    } else if (strncmp(text, "FATAL ", 6) == 0) {
        /* last_line keeps the line before: "fatal error: X after <last case>" says where. */
        out->fatal_seen = true;
        remember(out->fatal, text + 6);
    } else if (parse_summary(out, text)) {
        remember(out->last_line, text);
    } else if (strcmp(text, "OK") == 0 && out->summary_seen) {
        out->verdict_seen = true;
        out->verdict_ok = true;
    } else if (strcmp(text, "FAIL") == 0) {
        /* After a summary it is the verdict; without one, the framework ended the run early. */
        out->verdict_seen = true;
        out->verdict_ok = false;
    }
}

static void end_line(struct image_output *out)
{
    out->line[out->line_length] = '\0';
    if (out->line_cut) {
        out->malformed_lines++;
    } else {
        parse_line(out, out->line);
    }
    out->line_length = 0;
    out->line_cut = false;
}

/* Text is printable ASCII and tab; a carriage return is dropped (consoles send CR LF). */
static bool is_garbage(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c >= 0x7f;
}

void output_feed(struct image_output *out, const char *data, size_t length, double now)
{
    out->now = now;
    out->bytes += length;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)data[i];
        if (out->reset_seen) {
            return; /* the run that matters is over; the rest is the restarted device's */
        }
        if (c == '\n') {
            end_line(out);
            continue;
        }
        if (c == '\r') {
            continue;
        }
        if (is_garbage(c)) {
            if (out->banners > 0) {
                out->garbled_bytes++;
            }
            c = '?';
        }
        if (out->line_length + 1 < sizeof out->line) {
            out->line[out->line_length++] = (char)c;
        } else {
            out->line_cut = true;
        }
    }
}

void output_finish(struct image_output *out, double now)
{
    out->now = now;
    if (out->line_length > 0 && !out->reset_seen) {
        end_line(out);
    }
}

bool output_run_is_over(const struct image_output *out)
{
    return out->verdict_seen || out->reset_seen || out->fatal_seen;
}

size_t output_count(const struct image_output *out, enum case_status status)
{
    size_t n = 0;
    for (size_t i = 0; i < out->case_count; i++) {
        n += out->cases[i].status == status;
    }
    return n;
}
