/* Alder test framework: the runner task, assertion exits, task cleanup and the heap leak check.
 * It must never allocate except through the kernel API it tests, nor call the C library's stdio. */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "alder_release.h"
#include "alder_test.h"

#if configUSE_TASK_NOTIFICATIONS == 0
#include "semphr.h"
#endif
#if configUSE_TIMERS
#include "timers.h"
#endif

#ifndef configPRINT_STRING
#error "the test framework prints through configPRINT_STRING: the board's board_config.h must define it (docs/porting/logging.md)"
#endif

#ifndef TEST_RUNNER_STACK_WORDS
#define TEST_RUNNER_STACK_WORDS (configMINIMAL_STACK_SIZE * 4)
#endif
/* How many tasks one case may create with test_task_create(). */
#ifndef TEST_MAX_TASKS
#define TEST_MAX_TASKS 16
#endif
/* Stack of each task test_task_create() makes when the kernel has no heap (static-only builds). */
#ifndef TEST_STATIC_TASK_STACK_WORDS
#define TEST_STATIC_TASK_STACK_WORDS (configMINIMAL_STACK_SIZE * 2)
#endif
#ifndef TEST_STATIC_TASKS
#define TEST_STATIC_TASKS 4
#endif
/* Ticks the idle task gets to free deleted tasks before the heap is compared. */
#ifndef TEST_SETTLE_TICKS
#define TEST_SETTLE_TICKS 20
#endif
/* The build sets this to 0 for heaps that never free (bump), where the check means nothing. */
#ifndef ALDER_TEST_LEAK_CHECK
#define ALDER_TEST_LEAK_CHECK configSUPPORT_DYNAMIC_ALLOCATION
#endif

enum outcome { OUTCOME_PASS, OUTCOME_FAIL, OUTCOME_IGNORE };

/* One test_run_in_isr() call in flight: a failure inside the ISR body escapes to here, still
 * inside the ISR, so the interrupt returns normally before the case is ended in task context. */
struct isr_call {
    void (*fn)(void *arg);
    void *arg;
    jmp_buf escape;
    volatile bool running;
    volatile bool escaped;
};

/* Everything about the case being run. Written by the case's tasks and ISRs, read by the runner
 * once the case has signalled that it is over (or timed out). */
struct case_state {
    const struct alder_test_case *test;
    TaskHandle_t task;
    jmp_buf exit;
    volatile enum outcome outcome;
    volatile bool done;
    volatile bool allow_heap_change;
    char message[200];
    TaskHandle_t helpers[TEST_MAX_TASKS];
    unsigned helpers_created;
    jmp_buf *volatile assert_target;
    TaskHandle_t assert_task;
    bool assert_in_isr;
    struct isr_call *volatile isr_call;
};

static struct case_state current;

static struct {
    const char *filter;
    TaskHandle_t task;
    unsigned run;
    unsigned failures;
    unsigned ignored;
    volatile bool finished;
#if configUSE_TASK_NOTIFICATIONS == 0
    SemaphoreHandle_t done_signal;
#endif
} runner;

#if configSUPPORT_DYNAMIC_ALLOCATION == 0
static StaticTask_t runner_tcb;
static StackType_t runner_stack[TEST_RUNNER_STACK_WORDS];
static StaticTask_t case_tcb;
static StackType_t case_stack[TEST_CASE_STACK_WORDS];
static StaticTask_t helper_tcbs[TEST_STATIC_TASKS];
static StackType_t helper_stacks[TEST_STATIC_TASKS][TEST_STATIC_TASK_STACK_WORDS];
#if configUSE_TASK_NOTIFICATIONS == 0
static StaticSemaphore_t done_signal_buffer;
#endif
#endif

/* ---- text formatting: our own, so output works in an ISR and with newlib-nano (no %lld) ---- */

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put_char(struct out *out, char c)
{
    if (out->len + 1 < out->size) {
        out->buf[out->len] = c;
    }
    out->len++;
}

struct spec {
    bool left;
    char pad;
    unsigned width;
};

static void put_padded(struct out *out, const struct spec *spec, const char *text, size_t length)
{
    size_t fill = spec->width > length ? spec->width - length : 0;
    if (!spec->left && spec->pad == '0' && (*text == '-') && fill > 0) {
        put_char(out, *text++);
        length--;
    }
    for (; !spec->left && fill > 0; fill--) {
        put_char(out, spec->pad);
    }
    while (length-- > 0) {
        put_char(out, *text++);
    }
    for (; fill > 0; fill--) {
        put_char(out, ' ');
    }
}

static void put_number(struct out *out, const struct spec *spec, unsigned long long value, bool negative, unsigned base,
                       bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char text[24];
    size_t at = sizeof text;
    do {
        text[--at] = digits[value % base];
        value /= base;
    } while (value != 0);
    if (negative) {
        text[--at] = '-';
    }
    put_padded(out, spec, &text[at], sizeof text - at);
}

static const char *parse_spec(const char *p, struct spec *spec, int *size)
{
    spec->left = false;
    spec->pad = ' ';
    spec->width = 0;
    for (; *p == '-' || *p == '0'; p++) {
        if (*p == '-') {
            spec->left = true;
        } else {
            spec->pad = '0';
        }
    }
    for (; *p >= '0' && *p <= '9'; p++) {
        spec->width = spec->width * 10 + (unsigned)(*p - '0');
    }
    *size = 0;
    for (; *p == 'l' || *p == 'z'; p++) {
        *size += (*p == 'z') ? (sizeof(size_t) > sizeof(int)) : 1;
    }
    return p;
}

static unsigned long long take_unsigned(va_list *ap, int size)
{
    if (size >= 2) {
        return va_arg(*ap, unsigned long long);
    }
    return size == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned);
}

static long long take_signed(va_list *ap, int size)
{
    if (size >= 2) {
        return va_arg(*ap, long long);
    }
    return size == 1 ? va_arg(*ap, long) : va_arg(*ap, int);
}

static void put_conversion(struct out *out, char conversion, const struct spec *spec, int size, va_list *ap)
{
    switch (conversion) {
    case 'd':
    case 'i': {
        long long value = take_signed(ap, size);
        unsigned long long magnitude = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
        put_number(out, spec, magnitude, value < 0, 10, false);
        break;
    }
    case 'u':
        put_number(out, spec, take_unsigned(ap, size), false, 10, false);
        break;
    case 'x':
    case 'X':
        put_number(out, spec, take_unsigned(ap, size), false, 16, conversion == 'X');
        break;
    case 'p':
        put_char(out, '0');
        put_char(out, 'x');
        put_number(out, spec, (unsigned long long)(uintptr_t)va_arg(*ap, void *), false, 16, false);
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        put_padded(out, spec, &c, 1);
        break;
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        s = s != NULL ? s : "(null)";
        put_padded(out, spec, s, strlen(s));
        break;
    }
    default:
        put_char(out, '%');
        put_char(out, conversion);
        break;
    }
}

/* vsnprintf's contract for the subset the framework and its callers use:
 * flags '-' '0', a width, the l/ll/z sizes, and d i u x X p c s %. */
static size_t format_v(char *buf, size_t size, const char *format, va_list ap)
{
    struct out out = {buf, size, 0};
    va_list args;
    va_copy(args, ap);
    for (const char *p = format; *p != '\0'; p++) {
        struct spec spec;
        int arg_size;
        if (*p != '%') {
            put_char(&out, *p);
            continue;
        }
        p = parse_spec(p + 1, &spec, &arg_size);
        if (*p == '\0') {
            break;
        }
        if (*p == '%') {
            put_char(&out, '%');
        } else {
            put_conversion(&out, *p, &spec, arg_size, &args);
        }
    }
    va_end(args);
    if (size > 0) {
        buf[out.len < size ? out.len : size - 1] = '\0';
    }
    return out.len;
}

static size_t format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static size_t format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t length = format_v(buf, size, fmt, ap);
    va_end(ap);
    return length;
}

/* ---- small helpers for cases ---- */

size_t alder_test_mem_diff(const void *a, const void *b, size_t length)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    for (size_t i = 0; i < length; i++) {
        if (x[i] != y[i]) {
            return i;
        }
    }
    return (size_t)-1;
}

int alder_test_str_diff(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return a != b;
    }
    return strcmp(a, b) != 0;
}

uint32_t test_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

void test_allow_heap_change(void)
{
    current.allow_heap_change = true;
}

/* ---- ending a case ---- */

static void signal_case_done(void)
{
    current.done = true;
#if configUSE_TASK_NOTIFICATIONS
    xTaskNotifyGive(runner.task);
#else
    xSemaphoreGive(runner.done_signal);
#endif
}

static void wait_for_signal(TickType_t ticks)
{
#if configUSE_TASK_NOTIFICATIONS
    (void)ulTaskNotifyTake(pdTRUE, ticks);
#else
    (void)xSemaphoreTake(runner.done_signal, ticks);
#endif
}

/* A task whose part in the case is over waits here until the runner deletes it. */
static void __attribute__((noreturn)) park_forever(void)
{
    for (;;) {
#if INCLUDE_vTaskSuspend
        vTaskSuspend(NULL);
#else
        vTaskDelay(portMAX_DELAY);
#endif
    }
}

static void finish_run(int exit_code)
{
    runner.finished = true;
    board_test_finish(exit_code);
}

/* A failure where no case can absorb it (outside any case, in the timer task, in a foreign ISR):
 * report it and end the whole run, because nothing that follows could be trusted. */
static void __attribute__((noreturn)) fatal(const char *where)
{
    char line[320];
    if (current.test != NULL) {
        format(line, sizeof line, "TEST(%s, %s) FAIL %s (%s)\n", current.test->group, current.test->name,
               current.message, where);
    } else {
        format(line, sizeof line, "FATAL %s (%s)\n", current.message, where);
    }
    alder_test_print(line);
    alder_test_print("FAIL\n");
    runner.failures++;
    finish_run(1);
    for (;;) {
    }
}

static bool is_helper(TaskHandle_t task)
{
    for (unsigned i = 0; i < TEST_MAX_TASKS; i++) {
        if (current.helpers[i] == task && task != NULL) {
            return true;
        }
    }
    return false;
}

/* Leave the code that failed or asked to be ignored, by the only safe way for its context. */
static void __attribute__((noreturn)) end_execution(void)
{
    if (portIS_INSIDE_INTERRUPT()) {
        struct isr_call *call = current.isr_call;
        if (call != NULL && call->running) {
            call->escaped = true;
            longjmp(call->escape, 1);
        }
        fatal("inside an interrupt");
    }
    if (xTaskGetSchedulerState() == taskSCHEDULER_NOT_STARTED) {
        fatal("before the scheduler started");
    }
    while (xTaskGetSchedulerState() == taskSCHEDULER_SUSPENDED) {
        (void)xTaskResumeAll();
    }
    TaskHandle_t self = xTaskGetCurrentTaskHandle();
    if (current.task != NULL && self == current.task) {
        longjmp(current.exit, 1);
    }
    if (current.task != NULL && is_helper(self)) {
        signal_case_done();
        park_forever();
    }
    fatal("in a task the runner does not own");
}

/* The first outcome other than PASS wins: later failures are consequences of it. */
static bool claim_outcome(enum outcome outcome)
{
    bool first = false;
    taskENTER_CRITICAL();
    if (current.outcome == OUTCOME_PASS) {
        current.outcome = outcome;
        first = true;
    }
    taskEXIT_CRITICAL();
    return first;
}

static bool claim_outcome_anywhere(enum outcome outcome)
{
    if (portIS_INSIDE_INTERRUPT()) {
        UBaseType_t mask = taskENTER_CRITICAL_FROM_ISR();
        bool first = current.outcome == OUTCOME_PASS;
        if (first) {
            current.outcome = outcome;
        }
        taskEXIT_CRITICAL_FROM_ISR(mask);
        return first;
    }
    if (xTaskGetSchedulerState() == taskSCHEDULER_NOT_STARTED) {
        current.outcome = outcome;
        return true;
    }
    return claim_outcome(outcome);
}

void alder_test_fail(const char *file, int line, const char *fmt, ...)
{
    if (claim_outcome_anywhere(OUTCOME_FAIL)) {
        size_t at = format(current.message, sizeof current.message, "%s:%d: ", file, line);
        if (at < sizeof current.message) {
            va_list ap;
            va_start(ap, fmt);
            (void)format_v(current.message + at, sizeof current.message - at, fmt, ap);
            va_end(ap);
        }
    }
    end_execution();
}

void alder_test_ignore(const char *reason)
{
    if (claim_outcome_anywhere(OUTCOME_IGNORE)) {
        format(current.message, sizeof current.message, "%s", reason != NULL ? reason : "");
    }
    end_execution();
}

/* ---- expected assertions ---- */

void alder_test_arm_assert(jmp_buf *target)
{
    current.assert_in_isr = portIS_INSIDE_INTERRUPT() != 0;
    current.assert_task = current.assert_in_isr ? NULL : xTaskGetCurrentTaskHandle();
    current.assert_target = target;
}

void alder_test_disarm_assert(void)
{
    current.assert_target = NULL;
}

/* An armed expectation belongs to the context that armed it: an assert that fires anywhere else
 * (another task, an unrelated interrupt) is a real failure and must not jump across stacks. */
static bool assert_is_expected_here(void)
{
    if (current.assert_target == NULL) {
        return false;
    }
    bool in_isr = portIS_INSIDE_INTERRUPT() != 0;
    if (in_isr != current.assert_in_isr) {
        return false;
    }
    return in_isr || xTaskGetCurrentTaskHandle() == current.assert_task;
}

void alder_test_assert_failed(const char *file, int line)
{
    if (assert_is_expected_here()) {
        jmp_buf *target = current.assert_target;
        current.assert_target = NULL;
        longjmp(*target, 1);
    }
    alder_test_fail(file, line, "configASSERT failed");
}

/* ---- interrupts ---- */

static void isr_entry(void *arg)
{
    struct isr_call *call = arg;
    call->running = true;
    if (setjmp(call->escape) == 0) {
        call->fn(call->arg);
    }
    call->running = false;
}

void test_run_in_isr(void (*fn)(void *arg), void *arg)
{
    struct isr_call call;
    call.fn = fn;
    call.arg = arg;
    call.running = false;
    call.escaped = false;
    current.isr_call = &call;
    board_test_trigger_interrupt(isr_entry, &call);
    current.isr_call = NULL;
    if (call.escaped) {
        end_execution();
    }
}

/* ---- tasks made by cases ---- */

static BaseType_t create_helper(TaskFunction_t code, const char *name, UBaseType_t stack_words, void *parameter,
                                UBaseType_t priority, TaskHandle_t *task)
{
#if configSUPPORT_DYNAMIC_ALLOCATION
    return xTaskCreate(code, name, (configSTACK_DEPTH_TYPE)stack_words, parameter, priority, task);
#else
    /* Pool slots are never reused within a case: a slot's task may still await idle cleanup. */
    unsigned slot = current.helpers_created;
    if (slot >= TEST_STATIC_TASKS || stack_words > TEST_STATIC_TASK_STACK_WORDS) {
        return pdFAIL;
    }
    *task = xTaskCreateStatic(code, name, TEST_STATIC_TASK_STACK_WORDS, parameter, priority, helper_stacks[slot],
                              &helper_tcbs[slot]);
    (void)stack_words;
    return *task != NULL ? pdPASS : pdFAIL;
#endif
}

TaskHandle_t test_task_create(TaskFunction_t code, const char *name, UBaseType_t stack_words, void *parameter,
                              UBaseType_t priority)
{
    unsigned slot = 0;
    while (slot < TEST_MAX_TASKS && current.helpers[slot] != NULL) {
        slot++;
    }
    if (slot == TEST_MAX_TASKS) {
        TEST_FAIL("test_task_create: more than %d tasks", TEST_MAX_TASKS);
    }
    TaskHandle_t task = NULL;
    /* Registered before the new task can run, so a failure inside it is recognised as the case's. */
    vTaskSuspendAll();
    BaseType_t created = create_helper(code, name, stack_words, parameter, priority, &task);
    if (created == pdPASS) {
        current.helpers[slot] = task;
        current.helpers_created++;
    }
    (void)xTaskResumeAll();
    if (created != pdPASS) {
        TEST_FAIL("test_task_create(\"%s\", %u words, priority %u) failed", name, (unsigned)stack_words,
                  (unsigned)priority);
    }
    return task;
}

void test_task_forget(TaskHandle_t task)
{
    for (unsigned i = 0; i < TEST_MAX_TASKS; i++) {
        if (current.helpers[i] == task) {
            current.helpers[i] = NULL;
        }
    }
}

/* ---- the runner ---- */

static void case_task(void *parameter)
{
    (void)parameter;
    if (setjmp(current.exit) == 0) {
        current.test->body();
    }
    current.assert_target = NULL;
    signal_case_done();
    park_forever();
}

static TaskHandle_t create_case_task(void)
{
#if configSUPPORT_DYNAMIC_ALLOCATION
    TaskHandle_t task = NULL;
    if (xTaskCreate(case_task, "test", TEST_CASE_STACK_WORDS, NULL, TEST_CASE_PRIORITY, &task) != pdPASS) {
        return NULL;
    }
    return task;
#else
    return xTaskCreateStatic(case_task, "test", TEST_CASE_STACK_WORDS, NULL, TEST_CASE_PRIORITY, case_stack, &case_tcb);
#endif
}

/* True when the case signalled its end within the timeout. Stale signals from a previous
 * case only cost a loop turn, because `done` is what counts. */
static bool wait_for_case(void)
{
    const TickType_t timeout = pdMS_TO_TICKS(TEST_CASE_TIMEOUT_MS);
    const TickType_t start = xTaskGetTickCount();
    while (!current.done) {
        TickType_t elapsed = xTaskGetTickCount() - start;
        if (elapsed >= timeout) {
            return false;
        }
        wait_for_signal(timeout - elapsed);
    }
    return true;
}

/* The kernel refuses (configASSERT, before changing anything) to delete a task that still holds
 * a mutex; a failed case can leave one behind. Such a task is suspended for good instead, so the
 * run goes on and the report says why. */
static void delete_leftover(TaskHandle_t task)
{
    jmp_buf refused;
    if (setjmp(refused) == 0) {
        alder_test_arm_assert(&refused);
        vTaskDelete(task);
        alder_test_disarm_assert();
        return;
    }
    alder_test_print("note: a task of the case could not be deleted (it holds a mutex); suspended\n");
    vTaskSuspend(task);
}

static void delete_case_tasks(void)
{
    for (unsigned i = 0; i < TEST_MAX_TASKS; i++) {
        if (current.helpers[i] != NULL) {
            delete_leftover(current.helpers[i]);
            current.helpers[i] = NULL;
        }
    }
    if (current.task != NULL) {
        delete_leftover(current.task);
    }
}

static size_t free_heap(void)
{
#if configSUPPORT_DYNAMIC_ALLOCATION
    return xPortGetFreeHeapSize();
#else
    return 0;
#endif
}

/* Give the idle task (and the timer task, for deferred deletes) time to free what the case's
 * tasks released, then compare the heap with its level before the case. */
static void settle_and_check_heap(size_t before)
{
    for (unsigned tick = 0; tick < TEST_SETTLE_TICKS; tick++) {
        vTaskDelay(1);
        if (!ALDER_TEST_LEAK_CHECK || free_heap() == before) {
            if (tick >= 1) {
                break;
            }
        }
    }
    if (ALDER_TEST_LEAK_CHECK && !current.allow_heap_change && current.outcome == OUTCOME_PASS) {
        size_t after = free_heap();
        if (after != before) {
            current.outcome = OUTCOME_FAIL;
            format(current.message, sizeof current.message, "%s:%d: heap changed by %ld bytes (leak?)",
                   current.test->file, current.test->line, (long)after - (long)before);
        }
    }
}

static void report_case(void)
{
    static char line[320];
    const struct alder_test_case *test = current.test;
    runner.run++;
    switch (current.outcome) {
    case OUTCOME_PASS:
        format(line, sizeof line, "TEST(%s, %s) PASS\n", test->group, test->name);
        break;
    case OUTCOME_FAIL:
        runner.failures++;
        format(line, sizeof line, "TEST(%s, %s) FAIL %s\n", test->group, test->name, current.message);
        break;
    default:
        runner.ignored++;
        format(line, sizeof line, "TEST(%s, %s) IGNORE %s\n", test->group, test->name, current.message);
        break;
    }
    alder_test_print(line);
}

static void run_case(const struct alder_test_case *test)
{
    memset(&current, 0, sizeof current);
    current.test = test;
    size_t heap_before = free_heap();
    current.task = create_case_task();
    if (current.task == NULL) {
        current.outcome = OUTCOME_FAIL;
        format(current.message, sizeof current.message, "%s:%d: could not create the case's task", test->file,
               test->line);
    } else if (!wait_for_case()) {
        if (claim_outcome(OUTCOME_FAIL)) {
            format(current.message, sizeof current.message, "%s:%d: timed out after %d ms", test->file, test->line,
                   TEST_CASE_TIMEOUT_MS);
        }
    }
    delete_case_tasks();
    current.task = NULL;
    settle_and_check_heap(heap_before);
    report_case();
    current.test = NULL;
}

static bool name_contains(const char *full, const char *part, size_t n)
{
    for (const char *p = full; *p != '\0'; p++) {
        if (strncmp(p, part, n) == 0) {
            return true;
        }
    }
    return false;
}

/* The filter is a comma-separated list of parts of "Group.Name". A case runs when its name
 * contains one of the plain parts (or there are none) and none of the parts written -part. */
static bool selected(const struct alder_test_case *test, const char *filter)
{
    char full[160];
    if (filter == NULL || *filter == '\0') {
        return true;
    }
    format(full, sizeof full, "%s.%s", test->group, test->name);
    bool any_plain = false;
    bool included = false;
    for (const char *part = filter; *part != '\0';) {
        const bool exclude = *part == '-';
        const char *start = exclude ? part + 1 : part;
        const char *end = strchr(start, ',');
        const size_t n = end != NULL ? (size_t)(end - start) : strlen(start);
        const bool match = n > 0 && name_contains(full, start, n);
        if (exclude && match) {
            return false;
        }
        if (!exclude) {
            any_plain = true;
            included = included || match;
        }
        part = end != NULL ? end + 1 : start + n;
    }
    return included || !any_plain;
}

/* The linker makes these for the section TEST() puts every case in. */
extern const struct alder_test_case __start_alder_tests[];
extern const struct alder_test_case __stop_alder_tests[];

/* Source order (file, then line): the compiler may emit a file's cases in any order, and a
 * reader of the output expects them as written. */
static int case_order(const struct alder_test_case *a, const struct alder_test_case *b)
{
    int by_file = a->file == b->file ? 0 : strcmp(a->file, b->file);
    return by_file != 0 ? by_file : a->line - b->line;
}

/* The case after `previous` in source order (the first when previous is NULL), or NULL. The
 * section is read-only and small, so a selection scan beats sorting a copy. */
static const struct alder_test_case *next_case(const struct alder_test_case *previous)
{
    const struct alder_test_case *best = NULL;
    for (const struct alder_test_case *test = __start_alder_tests; test < __stop_alder_tests; test++) {
        if ((previous == NULL || case_order(test, previous) > 0) && (best == NULL || case_order(test, best) < 0)) {
            best = test;
        }
    }
    return best;
}

static void runner_task(void *parameter)
{
    char line[96];
    (void)parameter;
    for (const struct alder_test_case *test = next_case(NULL); test != NULL; test = next_case(test)) {
        if (selected(test, runner.filter)) {
            run_case(test);
        }
    }
    format(line, sizeof line, "%u Tests %u Failures %u Ignored\n", runner.run, runner.failures, runner.ignored);
    alder_test_print(line);
    alder_test_print(runner.failures == 0 ? "OK\n" : "FAIL\n");
    finish_run(runner.failures == 0 ? 0 : 1);
    park_forever();
}

void alder_test_print(const char *text)
{
    configPRINT_STRING(text);
}

void alder_test_start(const char *filter)
{
    alder_test_print(ALDER_TEST_START_BANNER " " ALDER_RELEASE " (" ALDER_COMPONENT_VERSIONS ")\n");
    runner.filter = filter;
#if configUSE_TASK_NOTIFICATIONS == 0
#if configSUPPORT_DYNAMIC_ALLOCATION
    runner.done_signal = xSemaphoreCreateBinary();
#else
    runner.done_signal = xSemaphoreCreateBinaryStatic(&done_signal_buffer);
#endif
    configASSERT(runner.done_signal != NULL);
#endif
#if configSUPPORT_DYNAMIC_ALLOCATION
    BaseType_t created =
        xTaskCreate(runner_task, "runner", TEST_RUNNER_STACK_WORDS, NULL, configMAX_PRIORITIES - 1, &runner.task);
    configASSERT(created == pdPASS);
    (void)created;
#else
    runner.task = xTaskCreateStatic(runner_task, "runner", TEST_RUNNER_STACK_WORDS, NULL, configMAX_PRIORITIES - 1,
                                    runner_stack, &runner_tcb);
    configASSERT(runner.task != NULL);
#endif
}

int alder_test_exit_code(void)
{
    if (!runner.finished) {
        alder_test_print("FATAL the scheduler returned before the run finished\n");
    }
    return (runner.finished && runner.failures == 0) ? 0 : 1;
}

/* ---- application hooks the kernel may call in a test configuration; a test file that needs
 * its own defines a strong one ---- */

#if configCHECK_FOR_STACK_OVERFLOW > 0
__attribute__((weak)) void vApplicationStackOverflowHook(TaskHandle_t task, char *name)
{
    (void)task;
    format(current.message, sizeof current.message, "stack overflow in task \"%s\"", name);
    fatal("stack overflow hook");
}
#endif

#if configUSE_MALLOC_FAILED_HOOK
/* Allocation failure is a legitimate outcome that tests check through return values. */
__attribute__((weak)) void vApplicationMallocFailedHook(void)
{
}
#endif

#if configUSE_IDLE_HOOK
__attribute__((weak)) void vApplicationIdleHook(void)
{
}
#endif

#if configUSE_TICK_HOOK
__attribute__((weak)) void vApplicationTickHook(void)
{
}
#endif

#if configUSE_DAEMON_TASK_STARTUP_HOOK
__attribute__((weak)) void vApplicationDaemonTaskStartupHook(void)
{
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
__attribute__((weak)) void vApplicationGetIdleTaskMemory(StaticTask_t **tcb, StackType_t **stack,
                                                         configSTACK_DEPTH_TYPE *stack_words)
{
    static StaticTask_t idle_tcb;
    static StackType_t idle_stack[configMINIMAL_STACK_SIZE];
    *tcb = &idle_tcb;
    *stack = idle_stack;
    *stack_words = configMINIMAL_STACK_SIZE;
}

#if configUSE_TIMERS
__attribute__((weak)) void vApplicationGetTimerTaskMemory(StaticTask_t **tcb, StackType_t **stack,
                                                          configSTACK_DEPTH_TYPE *stack_words)
{
    static StaticTask_t timer_tcb;
    static StackType_t timer_stack[configTIMER_TASK_STACK_DEPTH];
    *tcb = &timer_tcb;
    *stack = timer_stack;
    *stack_words = configTIMER_TASK_STACK_DEPTH;
}
#endif
#endif

/* ---- the out-of-line assertion checkers (alder_test.h) ---- */

void alder_test_check(const char *file, int line, int holds, const char *text)
{
    if (!holds) {
        alder_test_fail(file, line, "expected %s", text);
    }
}

void alder_test_check_eq(const char *file, int line, const char *text, long long expected, long long actual)
{
    if (expected != actual) {
        alder_test_fail(file, line, "%s: expected %lld, got %lld", text, expected, actual);
    }
}

void alder_test_check_ne(const char *file, int line, const char *text, long long unexpected, long long actual)
{
    if (unexpected == actual) {
        alder_test_fail(file, line, "%s: both %lld", text, actual);
    }
}

void alder_test_check_range(const char *file, int line, const char *text, long long lo, long long hi,
                            long long actual)
{
    if (actual < lo || actual > hi) {
        alder_test_fail(file, line, "%s: %lld not in [%lld, %lld]", text, actual, lo, hi);
    }
}

void alder_test_check_ptr(const char *file, int line, const char *text, const void *expected, const void *actual)
{
    if (expected != actual) {
        alder_test_fail(file, line, "%s: expected %p, got %p", text, expected, actual);
    }
}

void alder_test_check_not_null(const char *file, int line, const char *text, const void *actual)
{
    if (actual == NULL) {
        alder_test_fail(file, line, "%s is NULL", text);
    }
}

void alder_test_check_mem(const char *file, int line, const char *text, const void *expected, const void *actual,
                          size_t length)
{
    const size_t offset = alder_test_mem_diff(expected, actual, length);
    if (offset != (size_t)-1) {
        alder_test_fail(file, line, "%s differ at byte %u", text, (unsigned)offset);
    }
}

void alder_test_check_str(const char *file, int line, const char *expected, const char *actual)
{
    if (alder_test_str_diff(expected, actual)) {
        alder_test_fail(file, line, "expected \"%s\", got \"%s\"", expected, actual != NULL ? actual : "(null)");
    }
}
