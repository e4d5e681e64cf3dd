/* Alder qualification runner: what one image's run proves, from its output and how its process ended.
 * It must never call a run good that did not show it: no banner, no summary, zero cases or a bad exit all fail. */
#define _POSIX_C_SOURCE 200809L
#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void add(struct run_problems *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct run_problems *p, const char *fmt, ...)
{
    if (p->count == VERDICT_MAX_PROBLEMS) {
        return;
    }
    va_list args;
    va_start(args, fmt);
    vsnprintf(p->text[p->count++], VERDICT_PROBLEM_MAX, fmt, args);
    va_end(args);
}

static const char *where(const struct image_output *out)
{
    return out->last_line[0] != '\0' ? out->last_line : "the start banner";
}

/* The process ended before the run said it was over. */
static void judge_early_end(const struct image_run *run, struct run_problems *p)
{
    const struct image_output *out = &run->output;
    const char *fatal = out->fatal_seen ? out->fatal : NULL;
    switch (run->end) {
    case RUN_SIGNALED:
        add(p, "crashed: killed by signal %d (%s) after \"%s\"", run->code, strsignal(run->code), where(out));
        break;
    case RUN_EXITED:
        add(p, "crashed or stopped: exited with status %d before its summary, after \"%s\"%s%s", run->code,
            where(out), fatal ? "; fatal: " : "", fatal ? fatal : "");
        break;
    case RUN_IDLE:
        add(p, "hung: no output for %.0f s after \"%s\"", run->limit, where(out));
        break;
    case RUN_TOO_LONG:
        add(p, "did not finish within %.0f s; the last line was \"%s\"", run->limit, where(out));
        break;
    default:
        add(p, "ended before its summary, after \"%s\"", where(out));
        break;
    }
}

/* The summary must agree with the case lines: a difference means output was lost or mangled. */
static void judge_counts(const struct image_output *out, struct run_problems *p)
{
    size_t failed = output_count(out, CASE_FAIL), ignored = output_count(out, CASE_IGNORE);
    if (out->summary_tests != out->case_count || out->summary_failures != failed || out->summary_ignored != ignored) {
        add(p,
            "lost or mangled output: the summary says %u cases, %u failures, %u ignored; the case lines say %zu, "
            "%zu, %zu",
            out->summary_tests, out->summary_failures, out->summary_ignored, out->case_count, failed, ignored);
    }
    if (out->summary_tests == 0) {
        add(p, "no case ran: a run that tests nothing proves nothing");
    }
}

static void judge_exit(const struct image_run *run, struct run_problems *p)
{
    const struct image_output *out = &run->output;
    if (run->end == RUN_STOPPED) {
        add(p, "did not end within %.0f s of its verdict: board_test_finish() must end the run", run->limit);
    } else if (run->end == RUN_SIGNALED) {
        add(p, "killed by signal %d (%s) after its verdict", run->code, strsignal(run->code));
    } else if (out->verdict_ok && run->code != 0) {
        add(p, "said OK but exited with status %d", run->code);
    } else if (!out->verdict_ok && run->code == 0) {
        add(p, "said FAIL but exited with status 0: board_test_finish() must pass the status on");
    }
}

/* Before the first case: nothing, or not our output. */
static bool judge_start(const struct image_run *run, struct run_problems *p)
{
    const struct image_output *out = &run->output;
    if (run->end == RUN_NOT_STARTED) {
        add(p, "could not start: %s", run->error);
        return false;
    }
    if (run->end == RUN_NOT_RUN) {
        add(p, "%s (it needs what that image leaves on the device: fix that one first)", run->error);
        return false;
    }
    if (out->bytes == 0) {
        if (run->end == RUN_SILENT) {
            add(p, "printed nothing in %.0f s: is the console (configPRINT_STRING) working? See docs/porting/logging.md",
                run->limit);
        } else {
            judge_early_end(run, p);
            add(p, "printed nothing before it ended");
        }
        return false;
    }
    if (out->banners == 0) {
        if (out->missing_count > 0) {
            add(p, "never started its tests: %zu porting function(s) are not implemented (see What to implement)",
                out->missing_count);
        } else {
            add(p, "printed %zu bytes but never \"ALDER TEST START\": not an Alder test image, or the console is "
                   "garbled (baud rate, clock)",
                out->bytes);
        }
        if (run->end != RUN_EXITED && run->end != RUN_STOPPED) {
            judge_early_end(run, p);
        }
        return false;
    }
    return true;
}

void verdict_judge(const struct image_run *run, bool run_exits, struct run_problems *p)
{
    const struct image_output *out = &run->output;
    memset(p, 0, sizeof *p);
    if (judge_start(run, p)) {
        if (out->reset_seen) {
            add(p, "the device restarted during the run, after \"%s\"", out->line_before_reset);
        } else if (!out->verdict_seen && !out->fatal_seen) {
            judge_early_end(run, p);
        } else if (out->fatal_seen) {
            add(p, "fatal error: %s; after \"%s\"", out->fatal, where(out));
        } else if (!out->summary_seen) {
            add(p, "the run ended early (a fatal failure) after \"%s\"", where(out));
        } else {
            judge_counts(out, p);
            if (run_exits || run->end == RUN_SIGNALED) {
                judge_exit(run, p);
            }
        }
    }
    if (out->garbled_bytes > 0 || out->malformed_lines > 0) {
        add(p, "garbled output: %zu byte(s) that are not text, %zu malformed line(s) (baud rate, clock, or two "
               "writers at once?)",
            out->garbled_bytes, out->malformed_lines);
    }
    if (out->missing_count > 0 && out->banners > 0) {
        add(p, "%zu porting function(s) say they are not implemented (see What to implement)", out->missing_count);
    }
    if (out->out_of_memory) {
        add(p, "the runner ran out of memory reading the output");
    }
}

bool verdict_image_passed(const struct image_run *run, const struct run_problems *problems)
{
    return problems->count == 0 && output_count(&run->output, CASE_FAIL) == 0 && run->output.case_count > 0;
}
