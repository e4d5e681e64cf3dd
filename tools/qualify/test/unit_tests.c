/* Alder qualification runner: unit tests of the output parser, the manifest parser, the verdict rules and the order
 * in which images start.
 * It must never start a process: the end-to-end behaviour is tested with real broken images (tests/qualify). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "output.h"
#include "run.h"
#include "verdict.h"

static int failures;
static int checks;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        checks++;                                                                                                      \
        if (!(cond)) {                                                                                                 \
            failures++;                                                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                                   \
        }                                                                                                              \
    } while (0)

static void feed(struct image_output *out, const char *text)
{
    output_init(out);
    output_feed(out, text, strlen(text), 1.0);
    output_finish(out, 2.0);
}

/* Feeding one byte at a time must give the same result as feeding it all at once. */
static void feed_bytewise(struct image_output *out, const char *text)
{
    output_init(out);
    for (size_t i = 0; text[i] != '\0'; i++) {
        output_feed(out, &text[i], 1, (double)i);
    }
    output_finish(out, 0);
}

static bool has_problem(const struct run_problems *p, const char *part)
{
    for (size_t i = 0; i < p->count; i++) {
        if (strstr(p->text[i], part) != NULL) {
            return true;
        }
    }
    return false;
}

static void judge(const char *text, enum run_end end, int code, struct run_problems *p, struct image_run *run)
{
    static struct image_spec spec = {.name = "image", .path = "image", .timeout = 10};
    memset(run, 0, sizeof *run);
    run->spec = &spec;
    feed(&run->output, text);
    run->end = end;
    run->code = code;
    run->limit = 5;
    verdict_judge(run, true, p);
}

static const char good_run[] = "noise before\r\nALDER TEST START\r\n"
                               "TEST(Kernel, First) PASS\n"
                               "TEST(Kernel, Second) FAIL kernel/test/test_queue.c:42: expected 1, got 2\n"
                               "TEST(Kernel, Third) IGNORE no interrupt on this board\n"
                               "3 Tests 1 Failures 1 Ignored\nFAIL\n";

static void test_cases_are_read(void)
{
    struct image_output out;
    feed(&out, good_run);
    CHECK(out.banners == 1);
    CHECK(out.case_count == 3);
    CHECK(out.cases[0].status == CASE_PASS && strcmp(out.cases[0].group, "Kernel") == 0);
    CHECK(strcmp(out.cases[1].name, "Second") == 0 && out.cases[1].status == CASE_FAIL);
    CHECK(strcmp(out.cases[1].file, "kernel/test/test_queue.c") == 0 && out.cases[1].line == 42);
    CHECK(strcmp(out.cases[1].message, "kernel/test/test_queue.c:42: expected 1, got 2") == 0);
    CHECK(strcmp(out.cases[2].message, "no interrupt on this board") == 0);
    CHECK(out.summary_seen && out.summary_tests == 3 && out.summary_failures == 1 && out.summary_ignored == 1);
    CHECK(out.verdict_seen && !out.verdict_ok);
    CHECK(out.garbled_bytes == 0 && out.malformed_lines == 0);
    struct image_output bytewise;
    feed_bytewise(&bytewise, good_run);
    CHECK(bytewise.case_count == 3 && bytewise.summary_tests == 3 && bytewise.verdict_seen);
    output_free(&bytewise);
    output_free(&out);
}

static void test_noise_and_garbage(void)
{
    struct image_output out;
    /* Before the banner anything goes (a bootloader's noise); after it, non-text is garbage. */
    feed(&out, "\xff\xfe boot\nALDER TEST START\nTEST(Kernel, A) PASS\n\x01\x80zz\nTEST(Kernel A) PASS\nOK\n");
    CHECK(out.garbled_bytes == 2);
    CHECK(out.malformed_lines == 1);
    CHECK(out.case_count == 1);
    CHECK(!out.verdict_seen); /* "OK" without a summary is not a verdict */
    output_free(&out);

    char long_line[3000];
    memset(long_line, 'x', sizeof long_line);
    memcpy(long_line, "ALDER TEST START\nTEST(", 22);
    long_line[sizeof long_line - 2] = '\n';
    long_line[sizeof long_line - 1] = '\0';
    feed(&out, long_line);
    CHECK(out.malformed_lines == 1 && out.case_count == 0);
    output_free(&out);
}

static void test_bad_numbers_are_not_a_summary(void)
{
    struct image_output out;
    feed(&out, "ALDER TEST START\n99999999999999999999 Tests 0 Failures 0 Ignored\n-1 Tests 0 Failures 0 Ignored\n"
               "1 Tests 0 Failures 0 Ignored trailing\n");
    CHECK(!out.summary_seen);
    output_free(&out);
}

static void test_reset_and_missing(void)
{
    struct image_output out;
    feed(&out, "ALDER TEST START\nTEST(Kernel, A) PASS\nALDER TEST START\nTEST(Kernel, B) PASS\n");
    CHECK(out.reset_seen && out.case_count == 1);
    CHECK(strcmp(out.line_before_reset, "TEST(Kernel, A) PASS") == 0);
    CHECK(output_run_is_over(&out));
    output_free(&out);

    feed(&out, "ALDER NOT IMPLEMENTED: xPortStartScheduler (kernel/port/template/port.c:80): see docs/porting/kernel.md\n"
               "ALDER NOT IMPLEMENTED: xPortStartScheduler (kernel/port/template/port.c:80): see docs/porting/kernel.md\n"
               "ALDER NOT IMPLEMENTED: odd line without location\n");
    CHECK(out.missing_count == 2);
    CHECK(strcmp(out.missing[0].function, "xPortStartScheduler") == 0);
    CHECK(strcmp(out.missing[0].where, "kernel/port/template/port.c:80") == 0);
    CHECK(strcmp(out.missing[0].guide, "docs/porting/kernel.md") == 0);
    output_free(&out);
}

static void test_verdicts(void)
{
    struct run_problems p;
    struct image_run run;
    const char *ok = "ALDER TEST START\nTEST(Kernel, A) PASS\n1 Tests 0 Failures 0 Ignored\nOK\n";

    judge(ok, RUN_EXITED, 0, &p, &run);
    CHECK(p.count == 0 && verdict_image_passed(&run, &p));
    output_free(&run.output);

    judge(ok, RUN_EXITED, 1, &p, &run);
    CHECK(has_problem(&p, "said OK but exited with status 1"));
    output_free(&run.output);

    judge("ALDER TEST START\nTEST(Kernel, A) FAIL x.c:1: no\n1 Tests 1 Failures 0 Ignored\nFAIL\n", RUN_EXITED, 0, &p,
          &run);
    CHECK(has_problem(&p, "said FAIL but exited with status 0"));
    CHECK(!verdict_image_passed(&run, &p));
    output_free(&run.output);

    judge("ALDER TEST START\n0 Tests 0 Failures 0 Ignored\nOK\n", RUN_EXITED, 0, &p, &run);
    CHECK(has_problem(&p, "no case ran"));
    CHECK(!verdict_image_passed(&run, &p));
    output_free(&run.output);

    judge("ALDER TEST START\nTEST(Kernel, A) PASS\n2 Tests 0 Failures 0 Ignored\nOK\n", RUN_EXITED, 0, &p, &run);
    CHECK(has_problem(&p, "lost or mangled output"));
    output_free(&run.output);

    judge("", RUN_SILENT, 0, &p, &run);
    CHECK(has_problem(&p, "printed nothing in 5 s"));
    output_free(&run.output);

    judge("hello\n", RUN_EXITED, 0, &p, &run);
    CHECK(has_problem(&p, "never \"ALDER TEST START\""));
    output_free(&run.output);

    judge("ALDER TEST START\nTEST(Kernel, A) PASS\n", RUN_IDLE, 0, &p, &run);
    CHECK(has_problem(&p, "hung: no output for 5 s after \"TEST(Kernel, A) PASS\""));
    output_free(&run.output);

    judge("ALDER TEST START\nTEST(Kernel, A) PASS\n", RUN_SIGNALED, 11, &p, &run);
    CHECK(has_problem(&p, "crashed: killed by signal 11"));
    output_free(&run.output);

    judge("ALDER TEST START\nFATAL the scheduler did not start\n", RUN_EXITED, 1, &p, &run);
    CHECK(has_problem(&p, "fatal error: the scheduler did not start"));
    output_free(&run.output);

    judge(ok, RUN_STOPPED, 0, &p, &run);
    run.killed = true;
    verdict_judge(&run, true, &p);
    CHECK(has_problem(&p, "did not end within"));
    verdict_judge(&run, false, &p); /* a flash-and-read command never ends: stopping it is normal */
    CHECK(p.count == 0);
    output_free(&run.output);
}

static bool parses(const char *text, struct manifest *m, char *error, size_t size)
{
    bool ok = manifest_parse(m, text, strlen(text), error, size);
    return ok;
}

static void test_manifest(void)
{
    struct manifest m;
    char error[256];
    const char *good = "format\t1\nboard\tposix\nrelease\t202611.00\ncomponent\tkernel 0.1.0\n"
                       "run\tqemu-system-arm\t-M\tmps2-an385\t-kernel\n# a comment\n\n"
                       "jobs\t2\nstart_timeout\t30\nidle_timeout\t60\nrun_exits\t1\n"
                       "group\tKernel\tdocs/porting/kernel.md\nna\tOTA_PAL\tdocs/porting/ota.md\tno second slot\n"
                       "image\tKernel\tkernel_full.real\t/b/kernel_full\t600\tALDER_TIME=real\n";
    CHECK(parses(good, &m, error, sizeof error));
    CHECK(strcmp(m.board, "posix") == 0 && m.jobs == 2 && m.run_exits);
    CHECK(m.run_prefix != NULL && strcmp(m.run_prefix[3], "-kernel") == 0 && m.run_prefix[4] == NULL);
    CHECK(m.group_count == 2 && m.groups[1].na_reason != NULL && strcmp(m.groups[1].na_reason, "no second slot") == 0);
    CHECK(m.image_count == 1 && m.images[0].timeout == 600 && strcmp(m.images[0].env[0], "ALDER_TIME=real") == 0);
    CHECK(manifest_group_images(&m, "Kernel") == 1);
    manifest_free(&m);

    const char *with_server = "format\t1\nboard\tposix\nserver\techo\techo_server ready\t/bin/echo_fixture.sh\trun\n"
                              "group\tTCP\tdocs/porting/sockets.md\techo\n";
    CHECK(parses(with_server, &m, error, sizeof error));
    CHECK(m.server_count == 1 && strcmp(m.servers[0].ready, "echo_server ready") == 0);
    CHECK(strcmp(m.servers[0].command[1], "run") == 0 && m.servers[0].command[2] == NULL);
    CHECK(m.groups[0].servers != NULL && strcmp(m.groups[0].servers[0], "echo") == 0);
    CHECK(manifest_server(&m, "echo") == &m.servers[0] && manifest_server(&m, "mqtt") == NULL);
    manifest_free(&m);

    static const struct {
        const char *text;
        const char *error;
    } bad[] = {
        {"board\tx\n", "line 1: not an Alder qualification manifest"},
        {"format\t1\nboard\tx\n", "no qualification group"},
        {"format\t1\ngroup\tK\tg\n", "no 'board' record"},
        {"format\t1\nboard\tx\nbogus\t1\n", "line 3: unknown record 'bogus'"},
        {"format\t1\nboard\tx\ngroup\tK\tg\nimage\tOther\ti\tp\t10\n", "not an applicable group"},
        {"format\t1\nboard\tx\ngroup\tK\tg\nimage\tK\ti\tp\t-3\n", "not a number of seconds"},
        {"format\t1\nboard\tx\ngroup\tK\tg\nimage\tK\ti\tp\t10\nimage\tK\ti\tq\t10\n", "used twice"},
        {"format\t1\nboard\tx\ngroup\tK\tg\ngroup\tK\tg\n", "declared twice"},
        {"format\t1\nboard\tx\ngroup\tK\tg\nimage\tK\ti\tp\t10\tNOEQUALS\n", "not NAME=VALUE"},
        {"format\t1\nboard\tx\njobs\t99999\n", "not a whole number"},
        {"format\t1\nboard\tx\nrun_exits\t2\n", "not a whole number up to 1"},
        {"format\t1\nboard\tx\ngroup\tTCP\tg\techo\n", "server 'echo', which is not declared above"},
        {"format\t1\nboard\tx\nserver\techo\tready\n", "'server' takes NAME READY COMMAND"},
        {"format\t1\nboard\tx\nserver\te\tr\tc\nserver\te\tr\tc\n", "declared twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bool ok = parses(bad[i].text, &m, error, sizeof error);
        CHECK(!ok);
        if (strstr(error, bad[i].error) == NULL) {
            fprintf(stderr, "manifest case %zu: expected \"%s\", got \"%s\"\n", i, bad[i].error, error);
            failures++;
        }
        manifest_free(&m);
    }
}

/* "after": one image of a group starts once another, listed before it, has passed. */
static void test_manifest_after(void)
{
    struct manifest m;
    char error[256];
    const char *head = "format\t1\nboard\tposix\ngroup\tK\tg\ngroup\tL\tg\n"
                       "image\tK\tpart1.real\t/b/p1\t60\tDIR=/s/part1.real\n"
                       "image\tK\tpart2.real\t/b/p2\t60\tDIR=/s/part1.real\n"
                       "image\tL\tother\t/b/o\t60\n";
    char text[1024];
    snprintf(text, sizeof text, "%safter\tK\tpart2.real\tpart1.real\n", head);
    CHECK(parses(text, &m, error, sizeof error));
    CHECK(m.images[0].after == NULL && m.images[2].after == NULL);
    CHECK(m.images[1].after != NULL && strcmp(m.images[1].after, "part1.real") == 0);
    manifest_free(&m);
    CHECK(parses(head, &m, error, sizeof error)); /* a manifest without "after" reads as before */
    CHECK(m.images[1].after == NULL);
    manifest_free(&m);

    static const struct {
        const char *record;
        const char *error;
    } bad[] = {
        {"after\tK\tpart2.real\n", "'after' takes GROUP NAME PREDECESSOR"},
        {"after\tK\tpart2.real\tpart1.real\textra\n", "'after' takes GROUP NAME PREDECESSOR"},
        {"after\tK\tpart3.real\tpart1.real\n", "image 'part3.real', which is not declared above"},
        {"after\tK\tpart2.real\tnone\n", "image 'none', which is not declared above"},
        {"after\tK\tpart1.real\tpart2.real\n", "must be declared after part2.real"},
        {"after\tK\tpart1.real\tpart1.real\n", "must be declared after part1.real"},
        {"after\tL\tother\tpart1.real\n", "must both be in group L"},
        {"after\tL\tpart2.real\tpart1.real\n", "must both be in group L"},
        {"after\tK\tpart2.real\tpart1.real\nafter\tK\tpart2.real\tpart1.real\n", "already runs after part1.real"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "%s%s", head, bad[i].record);
        CHECK(!parses(text, &m, error, sizeof error));
        if (strstr(error, bad[i].error) == NULL) {
            fprintf(stderr, "after case %zu: expected \"%s\", got \"%s\"\n", i, bad[i].error, error);
            failures++;
        }
        manifest_free(&m);
    }
}

/* Runs named as in a manifest; after[i] is what run i comes after (NULL: nothing). */
static void make_runs(struct image_run *runs, struct image_spec *specs, const char *const *names,
                      const char *const *after, size_t count)
{
    memset(runs, 0, count * sizeof *runs);
    memset(specs, 0, count * sizeof *specs);
    for (size_t i = 0; i < count; i++) {
        specs[i].name = (char *)names[i];
        specs[i].after = (char *)after[i];
        runs[i].spec = &specs[i];
    }
}

/* next() must give this step and index. */
static bool next_is(struct run_order *order, enum run_step step, size_t index)
{
    size_t got = 99;
    enum run_step actual = run_order_next(order, &got);
    return actual == step && (step == RUN_STEP_NONE || got == index);
}

static void test_order(void)
{
    static const char *const names[] = {"part1", "part2", "other", "part3"};
    static const char *const chain[] = {NULL, "part1", NULL, "part2"};
    struct image_run runs[4];
    struct image_spec specs[4];
    struct run_order order;

    /* Manifest order, as many as jobs allow; part2 waits for part1 (never beside it), part3 for part2. */
    make_runs(runs, specs, names, chain, 4);
    run_order_init(&order, runs, 4, 2);
    CHECK(order.predecessor[0] == RUN_NO_PREDECESSOR && order.predecessor[1] == 0 && order.predecessor[3] == 1);
    CHECK(next_is(&order, RUN_STEP_START, 0));
    CHECK(next_is(&order, RUN_STEP_START, 2));
    CHECK(next_is(&order, RUN_STEP_NONE, 0));
    run_order_done(&order, 2, true);
    CHECK(next_is(&order, RUN_STEP_NONE, 0)); /* a job is free, but part1 still runs */
    run_order_done(&order, 0, true);
    CHECK(next_is(&order, RUN_STEP_START, 1));
    CHECK(next_is(&order, RUN_STEP_NONE, 0));
    run_order_done(&order, 1, true);
    CHECK(next_is(&order, RUN_STEP_START, 3));
    run_order_done(&order, 3, true);
    CHECK(next_is(&order, RUN_STEP_NONE, 0) && order.running == 0);
    run_order_free(&order);

    /* part1 fails: part2 is not run, and so neither is part3; the others are unaffected. */
    run_order_init(&order, runs, 4, 1);
    CHECK(next_is(&order, RUN_STEP_START, 0));
    CHECK(next_is(&order, RUN_STEP_NONE, 0));
    run_order_done(&order, 0, false);
    CHECK(next_is(&order, RUN_STEP_NOT_RUN, 1));
    CHECK(next_is(&order, RUN_STEP_START, 2));
    run_order_done(&order, 1, false);
    CHECK(next_is(&order, RUN_STEP_NOT_RUN, 3));
    CHECK(next_is(&order, RUN_STEP_NONE, 0) && order.running == 1); /* a run not run takes no job */
    run_order_free(&order);

    /* A retry of part2 alone (its predecessor not in the array) does not wait for it. */
    make_runs(runs, specs, &names[1], &chain[1], 1);
    run_order_init(&order, runs, 1, 1);
    CHECK(next_is(&order, RUN_STEP_START, 0));
    run_order_free(&order);
}

static void test_not_run_verdict(void)
{
    struct image_spec spec = {.name = "part2", .path = "p2", .timeout = 10, .after = "part1"};
    struct image_run run;
    memset(&run, 0, sizeof run);
    run.spec = &spec;
    run.end = RUN_NOT_RUN;
    snprintf(run.error, sizeof run.error, "not run: part1 failed");
    output_init(&run.output);
    output_finish(&run.output, 0);
    struct run_problems p;
    verdict_judge(&run, true, &p);
    CHECK(p.count == 1 && strncmp(p.text[0], "not run: part1 failed", 21) == 0);
    CHECK(!verdict_image_passed(&run, &p));
    output_free(&run.output);
}

int main(void)
{
    test_cases_are_read();
    test_noise_and_garbage();
    test_bad_numbers_are_not_a_summary();
    test_reset_and_missing();
    test_verdicts();
    test_manifest();
    test_manifest_after();
    test_order();
    test_not_run_verdict();
    printf("%d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
