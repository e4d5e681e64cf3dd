/* Alder template port: prints "ALDER NOT IMPLEMENTED" once per unported function; the ONE place the template touches the host.
 * It must never stay in a finished port: delete this file (and not_implemented.h) when the last piece is ported. */

/*
 * Why this file exists: a copied template must be able to name what is missing before its console
 * works, and the console is one of the missing things. On the host build it therefore writes to
 * the host's standard error with write(2) and ends the process with _exit(2); nothing else in
 * kernel/port/template or boards/template calls the host. On a target build it prints through
 * the board's console (configPRINT_STRING) as soon as that works, and stops the CPU instead of
 * exiting.
 */
#include <stddef.h>
#include <string.h>

#include "not_implemented.h"

#if TEMPLATE_HOST_BUILD
#include <unistd.h>
#else
#include "FreeRTOS.h"
#endif

/* More than the template has functions that report (about twenty): when the table is full a name
 * is reported on every call, which is noisy but never hides a missing function. */
#define REPORTED_MAX 48
/* The longest line: the prefix, a function name, a path, a number, a doc path. Longer is cut. */
#define LINE_MAX_CHARS 320

static const char *reported[REPORTED_MAX];
static size_t reported_count;

/* True the first time a name is seen. The name is recorded before anything is printed, so a
 * console that itself reports (board_console_print, before it is ported) cannot recurse. */
static int first_report(const char *function)
{
    for (size_t i = 0; i < reported_count; i++) {
        if (strcmp(reported[i], function) == 0) {
            return 0;
        }
    }
    if (reported_count < REPORTED_MAX) {
        reported[reported_count++] = function;
    }
    return 1;
}

/* __FILE__ is usually absolute (/home/me/alder/boards/x/console.c): keep it from the last
 * "/kernel/" or "/boards/" on, so the line names the file as the repository does. */
static const char *repository_path(const char *file)
{
    static const char *const roots[] = {"/kernel/", "/boards/"};
    const char *best = file;
    for (size_t r = 0; r < sizeof roots / sizeof roots[0]; r++) {
        for (const char *hit = strstr(file, roots[r]); hit != NULL; hit = strstr(hit + 1, roots[r])) {
            if (hit + 1 > best) {
                best = hit + 1;
            }
        }
    }
    return best;
}

struct line_buffer {
    char text[LINE_MAX_CHARS];
    size_t used;
};

/* Appends as much of text as fits, always leaving room for the final newline and NUL. */
static void append_text(struct line_buffer *line, const char *text)
{
    while (*text != '\0' && line->used < sizeof line->text - 2) {
        line->text[line->used++] = *text++;
    }
}

static void append_number(struct line_buffer *line, int value)
{
    char digits[12];
    size_t count = 0;
    unsigned int magnitude = value < 0 ? 0u - (unsigned int)value : (unsigned int)value;
    do {
        digits[count++] = (char)('0' + magnitude % 10u);
        magnitude /= 10u;
    } while (magnitude != 0);
    if (value < 0) {
        append_text(line, "-");
    }
    while (count > 0) {
        char digit[2] = {digits[--count], '\0'};
        append_text(line, digit);
    }
}

static void emit(const struct line_buffer *line)
{
#if TEMPLATE_HOST_BUILD
    /* One write per line, so a line is never split by other output. Nothing useful can be done
     * when standard error is closed, so the result is ignored on purpose. */
    ssize_t written = write(STDERR_FILENO, line->text, line->used);
    (void)written;
#else
#ifdef configPRINT_STRING
    configPRINT_STRING(line->text);
#else
    (void)line;
#endif
#endif
}

void template_not_implemented(const char *function, const char *file, int line_number, const char *doc)
{
    if (!first_report(function)) {
        return;
    }
    struct line_buffer line = {.used = 0};
    append_text(&line, "ALDER NOT IMPLEMENTED: ");
    append_text(&line, function);
    append_text(&line, " (");
    append_text(&line, repository_path(file));
    append_text(&line, ":");
    append_number(&line, line_number);
    append_text(&line, "): see ");
    append_text(&line, doc);
    line.text[line.used++] = '\n';
    line.text[line.used] = '\0';
    emit(&line);
}

void template_host_exit(int exit_code)
{
#if TEMPLATE_HOST_BUILD
    /* _exit, not exit: the process may be in any state (an assert, the end of a test run), and
     * the template has no stdio buffers or atexit handlers worth running. */
    _exit(exit_code);
#else
    (void)exit_code;
    for (;;) {
    }
#endif
}
