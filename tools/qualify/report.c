/* Alder qualification runner: the two reports of a run, report.xml (JUnit) and report.md (for a person).
 * It must never drop what went wrong: every failed case and every problem with a run appears in both. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static bool image_in_group(const struct image_run *run, const struct group_summary *g)
{
    return strcmp(run->spec->group, g->spec->name) == 0;
}

void report_summarize(struct report *r)
{
    const struct manifest *m = r->manifest;
    bool all_passed = true, any_ran = false;
    for (size_t gi = 0; gi < m->group_count; gi++) {
        struct group_summary *g = &r->groups[gi];
        g->images = g->images_failed = g->cases = g->failed = g->ignored = 0;
        for (size_t i = 0; i < m->image_count; i++) {
            const struct image_run *run = &r->runs[i];
            if (!image_in_group(run, g)) {
                continue;
            }
            g->images++;
            g->cases += run->output.case_count;
            g->failed += output_count(&run->output, CASE_FAIL);
            g->ignored += output_count(&run->output, CASE_IGNORE);
            g->images_failed += !verdict_image_passed(run, &r->problems[i]);
        }
        g->passed = g->spec->na_reason == NULL && g->selected && g->images > 0 && g->images_failed == 0 &&
                    g->failed == 0 && g->cases > 0 && g->setup_error[0] == '\0';
        if (g->spec->na_reason == NULL && g->selected) {
            any_ran = true;
            all_passed = all_passed && g->passed;
        }
    }
    r->qualified = all_passed && any_ran;
}

size_t report_missing(const struct report *r, const struct missing_piece **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->manifest->image_count; i++) {
        const struct image_output *o = &r->runs[i].output;
        for (size_t k = 0; k < o->missing_count; k++) {
            bool known = false;
            for (size_t j = 0; j < n && !known; j++) {
                known = strcmp(out[j]->function, o->missing[k].function) == 0;
            }
            if (!known && n < max) {
                out[n++] = &o->missing[k];
            }
        }
    }
    return n;
}

/* ---- JUnit XML ---------------------------------------------------------------------------- */

/* Text from a device may hold anything: XML gets it escaped, and bytes XML 1.0 forbids as '?'. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc((c < 0x20 && c != '\t' && c != '\n') || c >= 0x7f ? '?' : c, f); break;
        }
    }
}

static void xml_case(FILE *f, const char *board, const struct image_run *run, const struct case_result *c)
{
    fprintf(f, "    <testcase classname=\"%s.", board);
    xml_text(f, c->group);
    fputs("\" name=\"", f);
    xml_text(f, c->name);
    fputs(" [", f);
    xml_text(f, run->spec->name);
    fprintf(f, "]\" time=\"%.3f\"", c->seconds);
    if (c->file[0] != '\0') {
        fputs(" file=\"", f);
        xml_text(f, c->file);
        fprintf(f, "\" line=\"%u\"", c->line);
    }
    if (c->status == CASE_PASS) {
        fputs("/>\n", f);
        return;
    }
    fputs(">\n", f);
    fputs(c->status == CASE_FAIL ? "      <failure type=\"assertion\" message=\"" : "      <skipped message=\"", f);
    xml_text(f, c->message);
    fputs("\"/>\n    </testcase>\n", f);
}

/* A run's own problems (hang, crash, reset...) are a test case of their own: "<image> (run)". */
static void xml_run_problems(FILE *f, const struct report *r, const struct group_summary *g, size_t i)
{
    const struct run_problems *p = &r->problems[i];
    fprintf(f, "    <testcase classname=\"%s.", r->manifest->board);
    xml_text(f, g->spec->name);
    fputs("\" name=\"", f);
    xml_text(f, r->runs[i].spec->name);
    fprintf(f, " (run)\" time=\"%.3f\"", r->runs[i].seconds);
    if (p->count == 0 && r->runs[i].first_failure[0] == '\0') {
        fputs("/>\n", f);
        return;
    }
    fputs(">\n", f);
    if (r->runs[i].first_failure[0] != '\0') {
        fputs("      <system-out>retried; first attempt: ", f);
        xml_text(f, r->runs[i].first_failure);
        fputs("</system-out>\n", f);
    }
    if (p->count == 0) {
        fputs("    </testcase>\n", f);
        return;
    }
    fputs("      <error type=\"run\" message=\"", f);
    xml_text(f, p->text[0]);
    fputs("\">", f);
    for (size_t k = 0; k < p->count; k++) {
        xml_text(f, p->text[k]);
        fputs("\n", f);
    }
    fputs("</error>\n    </testcase>\n", f);
}

static void xml_group(FILE *f, const struct report *r, const struct group_summary *g)
{
    const struct manifest *m = r->manifest;
    size_t errors = 0;
    for (size_t i = 0; i < m->image_count; i++) {
        errors += image_in_group(&r->runs[i], g) && r->problems[i].count > 0;
    }
    bool skipped_group = g->spec->na_reason != NULL || !g->selected;
    fprintf(f, "  <testsuite name=\"%s.", m->board);
    xml_text(f, g->spec->name);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\" timestamp=\"%s\">\n",
            skipped_group ? 1 : g->cases + g->images, g->failed, errors, skipped_group ? 1 : g->ignored, g->seconds,
            r->date);
    if (skipped_group) {
        fprintf(f, "    <testcase classname=\"%s.", m->board);
        xml_text(f, g->spec->name);
        fputs("\" name=\"(group)\">\n      <skipped message=\"", f);
        xml_text(f, g->spec->na_reason != NULL ? g->spec->na_reason : "not selected in this run (--group)");
        fputs("\"/>\n    </testcase>\n  </testsuite>\n", f);
        return;
    }
    if (g->setup_error[0] != '\0') {
        fprintf(f, "    <testcase classname=\"%s.", m->board);
        xml_text(f, g->spec->name);
        fputs("\" name=\"(setup)\">\n      <error type=\"setup\" message=\"", f);
        xml_text(f, g->setup_error);
        fputs("\"/>\n    </testcase>\n", f);
    }
    for (size_t i = 0; i < m->image_count; i++) {
        const struct image_run *run = &r->runs[i];
        if (!image_in_group(run, g)) {
            continue;
        }
        for (size_t k = 0; k < run->output.case_count; k++) {
            xml_case(f, m->board, run, &run->output.cases[k]);
        }
        xml_run_problems(f, r, g, i);
    }
    fputs("  </testsuite>\n", f);
}

bool report_write_xml(const struct report *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "alder_qualify: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"Alder qualification of ", f);
    xml_text(f, r->manifest->board);
    fputs("\">\n", f);
    for (size_t gi = 0; gi < r->manifest->group_count; gi++) {
        xml_group(f, r, &r->groups[gi]);
    }
    fputs("</testsuites>\n", f);
    return fclose(f) == 0;
}

/* ---- Markdown ----------------------------------------------------------------------------- */

/* Device text inside a table cell or a code span: no pipes, no backticks, no line breaks. */
static void md_text(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '|') {
            fputs("\\|", f);
        } else if (c == '`') {
            fputc('\'', f);
        } else {
            fputc(c < 0x20 || c >= 0x7f ? '?' : c, f);
        }
    }
}

static const char *group_result(const struct group_summary *g)
{
    if (g->spec->na_reason != NULL) {
        return "not applicable";
    }
    if (!g->selected) {
        return "not run (--group)";
    }
    return g->passed ? "PASS" : "FAIL";
}

static void md_header(FILE *f, const struct report *r)
{
    const struct manifest *m = r->manifest;
    fprintf(f, "# Alder qualification report: %s\n\n", m->board);
    fprintf(f, "## Verdict: %s\n\n",
            r->partial ? (r->qualified ? "PASSED (partial run: not a qualification)" : "NOT QUALIFIED (partial run)")
                       : (r->qualified ? "QUALIFIED" : "NOT QUALIFIED"));
    fputs("| | |\n|---|---|\n", f);
    fprintf(f, "| Board | %s |\n| Alder release | %s |\n", m->board, m->release != NULL ? m->release : "(unknown)");
    fputs("| Components |", f);
    for (size_t i = 0; m->components != NULL && m->components[i] != NULL; i++) {
        fprintf(f, "%s%s", i == 0 ? " " : ", ", m->components[i]);
    }
    fprintf(f, " |\n| Date | %s |\n| Toolchain | ", r->date);
    md_text(f, m->toolchain != NULL ? m->toolchain : "(unknown)");
    fprintf(f,
            " |\n| Host | %s |\n| Runner | %u image(s) at once, timeouts x%g (start %.0f s, idle %.0f s), %u retry(ies) "
            "of a failed image |\n\n",
            r->host, r->jobs, r->multiplier, m->start_timeout * r->multiplier, m->idle_timeout * r->multiplier,
            m->retries);
}

static void md_groups(FILE *f, const struct report *r)
{
    fputs("## Groups\n\nPorting guides are in the Alder source tree.\n\n| Group | Result | Cases | Passed | Failed | Ignored | Images (failed) | Time | Log | Porting "
          "guide |\n|---|---|---|---|---|---|---|---|---|---|\n",
          f);
    for (size_t gi = 0; gi < r->manifest->group_count; gi++) {
        const struct group_summary *g = &r->groups[gi];
        fprintf(f, "| %s | %s", g->spec->name, group_result(g));
        if (g->spec->na_reason != NULL) {
            fputs(": ", f);
            md_text(f, g->spec->na_reason);
            fprintf(f, " | | | | | | | | `%s` |\n", g->spec->guide);
            continue;
        }
        fprintf(f, " | %zu | %zu | %zu | %zu | %zu (%zu) | %.1f s | [%s](%s) | `%s` |\n", g->cases,
                g->cases - g->failed - g->ignored, g->failed, g->ignored, g->images, g->images_failed, g->seconds,
                g->log, g->log, g->spec->guide);
    }
    fputs("\n", f);
}

static void md_missing(FILE *f, const struct report *r)
{
    const struct missing_piece *missing[256];
    size_t n = report_missing(r, missing, 256);
    if (n == 0) {
        return;
    }
    fputs("## What to implement\n\nThese porting functions said they are not implemented yet:\n\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("- `", f);
        md_text(f, missing[i]->function);
        fputs("`", f);
        if (missing[i]->where[0] != '\0') {
            fputs(" in ", f);
            md_text(f, missing[i]->where);
        }
        if (missing[i]->guide[0] != '\0') {
            fputs(": see ", f);
            md_text(f, missing[i]->guide);
        }
        fputs("\n", f);
    }
    fputs("\n", f);
}

static void md_group_failures(FILE *f, const struct report *r, const struct group_summary *g)
{
    fprintf(f, "### %s\n\n", g->spec->name);
    if (g->setup_error[0] != '\0') {
        fputs("- the group did not run: ", f);
        md_text(f, g->setup_error);
        fputs("\n", f);
    }
    if (g->images == 0) {
        fputs("- no test image was built for this group\n", f);
    }
    for (size_t i = 0; i < r->manifest->image_count; i++) {
        const struct image_run *run = &r->runs[i];
        if (!image_in_group(run, g)) {
            continue;
        }
        for (size_t k = 0; k < r->problems[i].count; k++) {
            fprintf(f, "- image `%s`: ", run->spec->name);
            md_text(f, r->problems[i].text[k]);
            fputs("\n", f);
        }
        for (size_t k = 0; k < run->output.case_count; k++) {
            const struct case_result *c = &run->output.cases[k];
            if (c->status == CASE_FAIL) {
                fprintf(f, "- `TEST(%s, %s)` in `%s`: ", c->group, c->name, run->spec->name);
                md_text(f, c->message);
                fputs("\n", f);
            }
        }
    }
    fprintf(f, "\nLog: [%s](%s)\n\n", g->log, g->log);
}

static void md_failures(FILE *f, const struct report *r)
{
    bool any = false;
    for (size_t gi = 0; gi < r->manifest->group_count; gi++) {
        const struct group_summary *g = &r->groups[gi];
        if (g->spec->na_reason != NULL || !g->selected || g->passed) {
            continue;
        }
        if (!any) {
            fputs("## Failures\n\n", f);
            any = true;
        }
        md_group_failures(f, r, g);
    }
}

/* Nothing a retry hid stays hidden: each image that ran again is listed with how its first attempt ended. */
static void md_retried(FILE *f, const struct report *r)
{
    bool any = false;
    for (size_t i = 0; i < r->manifest->image_count; i++) {
        const struct image_run *run = &r->runs[i];
        if (run->first_failure[0] == '\0') {
            continue;
        }
        if (!any) {
            fputs("## Retried images\n\nThese images failed once, or ran before one that did, and were run again (the "
                  "board allows a retry, see docs/porting/qualification.md). The log holds both attempts.\n\n",
                  f);
            any = true;
        }
        fprintf(f, "- `%s` %s on its retry; first attempt: ", run->spec->name,
                verdict_image_passed(run, &r->problems[i]) ? "passed" : "failed");
        md_text(f, run->first_failure);
        fputs("\n", f);
    }
    if (any) {
        fputs("\n", f);
    }
}

static void md_ignored(FILE *f, const struct report *r)
{
    bool any = false;
    for (size_t i = 0; i < r->manifest->image_count; i++) {
        const struct image_run *run = &r->runs[i];
        for (size_t k = 0; k < run->output.case_count; k++) {
            const struct case_result *c = &run->output.cases[k];
            if (c->status != CASE_IGNORE) {
                continue;
            }
            if (!any) {
                fputs("## Ignored cases\n\n", f);
                any = true;
            }
            fprintf(f, "- `TEST(%s, %s)` in `%s`: ", c->group, c->name, run->spec->name);
            md_text(f, c->message);
            fputs("\n", f);
        }
    }
    if (any) {
        fputs("\n", f);
    }
}

bool report_write_markdown(const struct report *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "alder_qualify: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    md_header(f, r);
    md_groups(f, r);
    md_missing(f, r);
    md_failures(f, r);
    md_retried(f, r);
    md_ignored(f, r);
    fputs("A group passes when every one of its images ran to its summary, every case passed or was ignored with a "
          "reason, at least one case ran, and the output was clean. How to read this report: "
          "docs/porting/qualification.md.\n",
          f);
    return fclose(f) == 0;
}
