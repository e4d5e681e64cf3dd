/* Alder test framework: one way to write a test case, the same on the host simulator and on targets.
 * It must never allocate behind the test's back or depend on a particular board. */
#ifndef ALDER_TEST_H
#define ALDER_TEST_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "FreeRTOS.h"
#include "task.h"

/*
 * A case is declared with TEST(Group, Name) { ... } anywhere in a linked source file; the
 * linker collects the cases into the section "alder_tests" (no constructors needed); the
 * runner sorts them into source order (file, then line), whatever order the compiler emitted
 * them in. The runner (alder_test_run) executes each case in a fresh task at
 * TEST_CASE_PRIORITY, with TEST_CASE_STACK_WORDS of stack, and reports one line per case:
 *
 *   TEST(Group, Name) PASS
 *   TEST(Group, Name) FAIL file:line: message
 *   TEST(Group, Name) IGNORE reason
 *
 * then "N Tests M Failures K Ignored" and "OK" or "FAIL".
 *
 * A failed assertion ends the case at once (longjmp back to the case's task entry), so
 * code after it never runs. Tasks a case creates with test_task_create() are deleted by
 * the runner after the case, whatever its outcome. After each case the runner lets the
 * idle task clean up and fails the case if the free heap did not come back to its level
 * before the case (a leak), unless the case called test_allow_heap_change().
 */

struct alder_test_case {
    const char *group;
    const char *name;
    void (*body)(void);
    const char *file;
    int line;
};

#define ALDER_TEST_SECTION __attribute__((used, section("alder_tests"), aligned(sizeof(void *))))

#define TEST(group, name)                                                                                 \
    static void test_##group##_##name(void);                                                              \
    static const struct alder_test_case alder_case_##group##_##name ALDER_TEST_SECTION = {                \
        #group, #name, test_##group##_##name, __FILE__, __LINE__};                                        \
    static void test_##group##_##name(void)

/* Priority and stack of the task that runs each case; a case may change its own priority. */
#ifndef TEST_CASE_PRIORITY
#define TEST_CASE_PRIORITY (configMAX_PRIORITIES / 2)
#endif
#ifndef TEST_CASE_STACK_WORDS
#define TEST_CASE_STACK_WORDS (configMINIMAL_STACK_SIZE * 4)
#endif
/* Other knobs, each with a default in alder_test.c: TEST_RUNNER_STACK_WORDS, TEST_MAX_TASKS
 * (tasks a case may create with test_task_create, 16), TEST_STATIC_TASKS and
 * TEST_STATIC_TASK_STACK_WORDS (for static-only builds), TEST_SETTLE_TICKS (ticks the runner
 * lets the idle task clean up before the leak check, 20), ALDER_TEST_LEAK_CHECK (0 turns the
 * leak check off: the build does so for the never-freeing bump heap). */
/* How long one case may run before the runner fails it as hung. */
#ifndef TEST_CASE_TIMEOUT_MS
#define TEST_CASE_TIMEOUT_MS 20000
#endif

/* ---- assertions (each ends the case on failure) ---- */
void alder_test_fail(const char *file, int line, const char *format, ...) __attribute__((noreturn, format(printf, 3, 4)));
void alder_test_ignore(const char *reason) __attribute__((noreturn));

#define TEST_FAIL(...) alder_test_fail(__FILE__, __LINE__, __VA_ARGS__)
#define TEST_IGNORE(reason) alder_test_ignore(reason)

/*
 * Each assertion is one call to an out-of-line checker that returns when the check holds and
 * ends the case when it does not, so an assertion costs a call, not an inlined format: the
 * Kernel group has over a thousand of them and must fit a 128 KB image on Cortex-M3.
 */
void alder_test_check(const char *file, int line, int holds, const char *text);
void alder_test_check_eq(const char *file, int line, const char *text, long long expected, long long actual);
void alder_test_check_ne(const char *file, int line, const char *text, long long unexpected, long long actual);
void alder_test_check_range(const char *file, int line, const char *text, long long lo, long long hi,
                            long long actual);
void alder_test_check_ptr(const char *file, int line, const char *text, const void *expected, const void *actual);
void alder_test_check_not_null(const char *file, int line, const char *text, const void *actual);
void alder_test_check_mem(const char *file, int line, const char *text, const void *expected, const void *actual,
                          size_t length);
void alder_test_check_str(const char *file, int line, const char *expected, const char *actual);

#define TEST_ASSERT(cond) alder_test_check(__FILE__, __LINE__, (cond) ? 1 : 0, #cond)
#define TEST_ASSERT_EQ(expected, actual)                                                                  \
    alder_test_check_eq(__FILE__, __LINE__, #expected " == " #actual, (long long)(expected), (long long)(actual))
#define TEST_ASSERT_NE(unexpected, actual)                                                                \
    alder_test_check_ne(__FILE__, __LINE__, #unexpected " != " #actual, (long long)(unexpected),          \
                        (long long)(actual))
/* lo <= actual <= hi */
#define TEST_ASSERT_RANGE(lo, hi, actual)                                                                 \
    alder_test_check_range(__FILE__, __LINE__, #actual, (long long)(lo), (long long)(hi), (long long)(actual))
#define TEST_ASSERT_PTR_EQ(expected, actual)                                                              \
    alder_test_check_ptr(__FILE__, __LINE__, #expected " == " #actual, (expected), (actual))
#define TEST_ASSERT_NULL(p) TEST_ASSERT_PTR_EQ(NULL, (p))
#define TEST_ASSERT_NOT_NULL(p) alder_test_check_not_null(__FILE__, __LINE__, #p, (p))
#define TEST_ASSERT_MEM_EQ(expected, actual, length)                                                      \
    alder_test_check_mem(__FILE__, __LINE__, #expected " and " #actual, (expected), (actual), (length))
#define TEST_ASSERT_STR_EQ(expected, actual) alder_test_check_str(__FILE__, __LINE__, (expected), (actual))

/* configASSERT in test configurations calls alder_test_assert_failed(__FILE__, __LINE__).
 * Outside TEST_EXPECT_ASSERT it fails the case; inside, it jumps back and the case goes on.
 * Only for asserts that fire before the kernel changes any state (argument and context
 * checks at the top of an API function). Usable in task code and inside an ISR body.
 * A local variable the statement changes must be volatile: it is read after a longjmp. */
void alder_test_assert_failed(const char *file, int line);
void alder_test_arm_assert(jmp_buf *target);
void alder_test_disarm_assert(void);
#define TEST_EXPECT_ASSERT(stmt)                                                                          \
    do {                                                                                                  \
        jmp_buf alder_jb_;                                                                                \
        if (setjmp(alder_jb_) == 0) {                                                                     \
            alder_test_arm_assert(&alder_jb_);                                                            \
            stmt;                                                                                         \
            alder_test_disarm_assert();                                                                   \
            alder_test_fail(__FILE__, __LINE__, "expected an assertion from %s", #stmt);                  \
        }                                                                                                 \
    } while (0)

/* Index of the first differing byte, or (size_t)-1 when equal. */
size_t alder_test_mem_diff(const void *a, const void *b, size_t length);
int alder_test_str_diff(const char *a, const char *b);

/* ---- helpers for cases ---- */

/* xTaskCreate, but the runner deletes the task after the case if it still exists.
 * Fails the case when the task cannot be created. Returns the handle. */
TaskHandle_t test_task_create(TaskFunction_t code, const char *name, UBaseType_t stack_words, void *parameter,
                              UBaseType_t priority);

/* Tell the runner that a task made by test_task_create() deleted itself (so it is not
 * deleted twice). */
void test_task_forget(TaskHandle_t task);

/* The case changes the free heap on purpose (for example heap tests); skip the leak check. */
void test_allow_heap_change(void);

/* Run fn(arg) from a simulated interrupt, now, at the board's test interrupt line.
 * Returns when the ISR has run. The ISR may call FromISR APIs and request a yield with
 * portYIELD_FROM_ISR, which takes effect when the ISR returns. Implemented per board
 * by board_test_trigger_interrupt(). */
void test_run_in_isr(void (*fn)(void *arg), void *arg);

/* Deterministic pseudo-random numbers (xorshift32) for stress tests; seed must be non-zero. */
uint32_t test_random(uint32_t *state);

/* ---- entry points used by a test image's main() and by boards ---- */

/* Create the runner task. `filter` is a comma-separated list of parts of "Group.Name": a case
 * runs when its name contains a plain part (or there is none) and no part written "-part";
 * NULL runs all. Call before vTaskStartScheduler(). */
void alder_test_start(const char *filter);

/* The result after the scheduler has returned (posix): 0 when every case passed. */
int alder_test_exit_code(void);

/* Console output for tests: the board's logging interface, configPRINT_STRING. */
void alder_test_print(const char *text);

/* The first line of every run. The qualification runner (tools/qualify) finds the start of the
 * output by it, and a second one tells it the device reset in the middle of the run. */
#define ALDER_TEST_START_BANNER "ALDER TEST START"

/* Board hooks (boards/<board>/board_test.c). */
void board_test_trigger_interrupt(void (*fn)(void *arg), void *arg);
void board_test_finish(int exit_code); /* ends the run: posix ends the scheduler, QEMU exits */

#endif /* ALDER_TEST_H */
