/* Alder kernel tests (Kernel group): task information and utilities: names, handles, stacks, TLS, statistics, hooks.
 * It must never use anything but the public FreeRTOS API, alder_test.h and kernel_test.h. */
#include <string.h>

#include "kernel_test.h"

static TaskHandle_t volatile seen_handle;
static volatile uint32_t runs;

static void handle_reporting_task(void *unused)
{
    (void)unused;
    seen_handle = xTaskGetCurrentTaskHandle();
    runs++;
    kt_park();
}

/* ---- names and handles ---- */

TEST(Kernel, TaskUtilNameOfTask)
{
    TaskHandle_t task = test_task_create(kt_park_task, "kt_named", KT_STACK, NULL, KT_LOW);
    TEST_ASSERT_STR_EQ("kt_named", pcTaskGetName(task));
    TEST_ASSERT_NOT_NULL(pcTaskGetName(NULL));
    TEST_ASSERT_STR_EQ(pcTaskGetName(xTaskGetCurrentTaskHandle()), pcTaskGetName(NULL));
    kt_delete(task);
}

TEST(Kernel, TaskUtilLongNameIsTruncated)
{
    static const char long_name[] = "kt_abcdefghijklmnopqrstuvwxyz0123456789";
    TEST_ASSERT(sizeof long_name > configMAX_TASK_NAME_LEN);
    TaskHandle_t task = test_task_create(kt_park_task, long_name, KT_STACK, NULL, KT_LOW);
    const char *stored = pcTaskGetName(task);
    TEST_ASSERT_EQ(configMAX_TASK_NAME_LEN - 1, strlen(stored));
    TEST_ASSERT_EQ(0, strncmp(long_name, stored, configMAX_TASK_NAME_LEN - 1));
    kt_delete(task);
}

TEST(Kernel, TaskUtilHandleByName)
{
    TaskHandle_t parked = test_task_create(kt_park_task, "kt_find1", KT_STACK, NULL, KT_HIGH);
    TaskHandle_t blocked = test_task_create(kt_block_task, "kt_find2", KT_STACK, NULL, KT_HIGH);
    TaskHandle_t ready = test_task_create(kt_park_task, "kt_find3", KT_STACK, NULL, KT_LOW);
    KT_LET_HIGHER_RUN();
    /* Found whatever state each is in. */
    TEST_ASSERT_PTR_EQ(parked, xTaskGetHandle("kt_find1"));
    TEST_ASSERT_PTR_EQ(blocked, xTaskGetHandle("kt_find2"));
    TEST_ASSERT_PTR_EQ(ready, xTaskGetHandle("kt_find3"));
    TEST_ASSERT_PTR_EQ(xTaskGetCurrentTaskHandle(), xTaskGetHandle(pcTaskGetName(NULL)));
    TEST_ASSERT_NULL(xTaskGetHandle("kt_nosuch"));
    TEST_ASSERT_NULL(xTaskGetHandle("kt_find")); /* a prefix is not a match */
    kt_delete(blocked);
    TEST_ASSERT_NULL(xTaskGetHandle("kt_find2"));
    kt_delete(parked);
    kt_delete(ready);
}

TEST(Kernel, TaskUtilCurrentHandleInsideTask)
{
    seen_handle = NULL;
    runs = 0;
    TaskHandle_t task = test_task_create(handle_reporting_task, "kt_self", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_PTR_EQ(task, seen_handle);
    TEST_ASSERT(xTaskGetCurrentTaskHandle() != task);
    kt_delete(task);
}

TEST(Kernel, TaskUtilNumberOfTasks)
{
    const UBaseType_t before = uxTaskGetNumberOfTasks();
    TEST_ASSERT(before >= 3); /* at least the runner, this case, and the idle task */
    TaskHandle_t first = test_task_create(kt_park_task, "kt_n1", KT_STACK, NULL, KT_LOW);
    TaskHandle_t second = test_task_create(kt_park_task, "kt_n2", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(before + 2, uxTaskGetNumberOfTasks());
    kt_delete(first);
    TEST_ASSERT_EQ(before + 1, kt_wait_for_task_count(before + 1));
    kt_delete(second);
    TEST_ASSERT_EQ(before, kt_wait_for_task_count(before));
}

/* ---- stacks ---- */

static volatile UBaseType_t mark_deep;
static volatile configSTACK_DEPTH_TYPE mark_deep2;

/* Uses half of its stack before it measures it. */
static void deep_stack_task(void *unused)
{
    volatile StackType_t used[KT_STACK / 2];
    (void)unused;
    for (size_t i = 0; i < KT_STACK / 2; i++) {
        used[i] = (StackType_t)i;
    }
    mark_deep = uxTaskGetStackHighWaterMark(NULL);
    mark_deep2 = uxTaskGetStackHighWaterMark2(NULL);
    (void)used[0];
    kt_park();
}

TEST(Kernel, TaskUtilStackHighWaterMark)
{
    mark_deep = 0;
    TaskHandle_t shallow = test_task_create(kt_park_task, "kt_shallow", KT_STACK, NULL, KT_HIGH);
    TaskHandle_t deep = test_task_create(deep_stack_task, "kt_deep", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    const UBaseType_t shallow_mark = uxTaskGetStackHighWaterMark(shallow);
    TEST_ASSERT(shallow_mark > KT_STACK / 2);
    TEST_ASSERT(shallow_mark < KT_STACK);
    TEST_ASSERT_EQ(shallow_mark, uxTaskGetStackHighWaterMark2(shallow));
    /* The deep one lost at least the half it used (give or take the words of a few frames:
     * the shallow one has been through a context switch, the deep one not yet when it looked). */
    TEST_ASSERT(mark_deep > 0);
    TEST_ASSERT(mark_deep + KT_STACK / 2 <= shallow_mark + 64);
    TEST_ASSERT(mark_deep2 <= mark_deep);                        /* an interrupt in between may have used its stack */
    TEST_ASSERT(uxTaskGetStackHighWaterMark(deep) <= mark_deep); /* a mark only ever sinks */
    TEST_ASSERT(uxTaskGetStackHighWaterMark(NULL) > 0);
    kt_delete(shallow);
    kt_delete(deep);
}

/* A stack overflow provoked safely (kernel_test.h explains): scribble on the guard words at the
 * far (low) end of our own static stack, which method 2 watches, and let the kernel switch away. */
#if configCHECK_FOR_STACK_OVERFLOW >= 2 && configSUPPORT_STATIC_ALLOCATION

static void overflowing_task(void *unused)
{
    volatile uint8_t *guard = (volatile uint8_t *)kt_static_stack;
    (void)unused;
    for (unsigned i = 0; i < 32; i++) {
        guard[i] = (i & 1u) ? 0x00u : 0xFFu; /* unlike any fill pattern, whatever its byte */
    }
    kt_park();
}

TEST(Kernel, TaskUtilStackOverflowCaughtByHook)
{
    kt_reset_hooks();
    kt_stack_overflow_expected = 1;
    TaskHandle_t task =
        xTaskCreateStatic(overflowing_task, "kt_overflow", KT_STACK, NULL, KT_HIGH, kt_static_stack, &kt_static_tcb);
    KT_LET_HIGHER_RUN();
    const uint32_t count = kt_stack_overflow_count;
    TaskHandle_t culprit = kt_stack_overflow_task;
    if (task != NULL) {
        vTaskDelete(task);
    }
    kt_stack_overflow_expected = 0;
    TEST_ASSERT_NOT_NULL(task);
    TEST_ASSERT(count >= 1);
    TEST_ASSERT_PTR_EQ(task, culprit);
}
#endif

#if configSUPPORT_DYNAMIC_ALLOCATION && configUSE_MALLOC_FAILED_HOOK
TEST(Kernel, TaskUtilMallocFailedHookCalled)
{
    kt_reset_hooks();
    void *block = pvPortMalloc(xPortGetFreeHeapSize() + 1024);
    TEST_ASSERT_NULL(block);
    TEST_ASSERT_EQ(1, kt_malloc_failed_count);
    block = pvPortMalloc(32);
    TEST_ASSERT_NOT_NULL(block);
    vPortFree(block);
    TEST_ASSERT_EQ(1, kt_malloc_failed_count); /* only failures call it */
}
#endif

/* ---- thread local storage ---- */

#if configNUM_THREAD_LOCAL_STORAGE_POINTERS >= 3
static int tls_markers[4];
static void *volatile tls_seen[3];

static void tls_task(void *unused)
{
    (void)unused;
    for (BaseType_t i = 0; i < 3; i++) {
        tls_seen[i] = pvTaskGetThreadLocalStoragePointer(NULL, i);
    }
    vTaskSetThreadLocalStoragePointer(NULL, 0, &tls_markers[3]);
    kt_park();
}

TEST(Kernel, TaskUtilThreadLocalPointersArePerTask)
{
    for (BaseType_t i = 0; i < 3; i++) {
        vTaskSetThreadLocalStoragePointer(NULL, i, &tls_markers[i]);
        tls_seen[i] = &tls_markers[0];
    }
    TaskHandle_t task = test_task_create(tls_task, "kt_tls", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    /* A new task starts with its own, empty, pointers... */
    for (BaseType_t i = 0; i < 3; i++) {
        TEST_ASSERT_NULL(tls_seen[i]);
    }
    /* ...and setting its own does not touch ours. */
    TEST_ASSERT_PTR_EQ(&tls_markers[3], pvTaskGetThreadLocalStoragePointer(task, 0));
    for (BaseType_t i = 0; i < 3; i++) {
        TEST_ASSERT_PTR_EQ(&tls_markers[i], pvTaskGetThreadLocalStoragePointer(NULL, i));
    }
    vTaskSetThreadLocalStoragePointer(task, 2, &tls_markers[1]);
    TEST_ASSERT_PTR_EQ(&tls_markers[1], pvTaskGetThreadLocalStoragePointer(task, 2));
    TEST_ASSERT_PTR_EQ(&tls_markers[2], pvTaskGetThreadLocalStoragePointer(NULL, 2));
    TEST_ASSERT_NULL(pvTaskGetThreadLocalStoragePointer(NULL, configNUM_THREAD_LOCAL_STORAGE_POINTERS));
    TEST_ASSERT_NULL(pvTaskGetThreadLocalStoragePointer(NULL, -1));
    kt_delete(task);
}
#endif

/* ---- application task tag ---- */

#if configUSE_APPLICATION_TASK_TAG
static BaseType_t add_one_hook(void *parameter)
{
    return (BaseType_t)(uintptr_t)parameter + 1;
}

static TaskHookFunction_t isr_tag;

static void read_tag_in_isr(void *task)
{
    isr_tag = xTaskGetApplicationTaskTagFromISR((TaskHandle_t)task);
}

TEST(Kernel, TaskUtilApplicationTaskTag)
{
    TaskHandle_t task = test_task_create(kt_park_task, "kt_tag", KT_STACK, NULL, KT_LOW);
    TEST_ASSERT(xTaskGetApplicationTaskTag(task) == NULL);
    TEST_ASSERT_EQ(pdFAIL, xTaskCallApplicationTaskHook(task, NULL)); /* no hook to call */
    vTaskSetApplicationTaskTag(task, add_one_hook);
    TEST_ASSERT(xTaskGetApplicationTaskTag(task) == add_one_hook);
    TEST_ASSERT_EQ(42, xTaskCallApplicationTaskHook(task, (void *)41));
    test_run_in_isr(read_tag_in_isr, task);
    TEST_ASSERT(isr_tag == add_one_hook);
    TEST_ASSERT(xTaskGetApplicationTaskTag(NULL) == NULL);
    vTaskSetApplicationTaskTag(NULL, add_one_hook); /* NULL is the calling task */
    TEST_ASSERT_EQ(2, xTaskCallApplicationTaskHook(NULL, (void *)1));
    kt_delete(task);
}
#endif

/* ---- system state and statistics ---- */

#if configUSE_TRACE_FACILITY
static TaskStatus_t statuses[16];

static const TaskStatus_t *status_of(TaskHandle_t task, UBaseType_t count)
{
    for (UBaseType_t i = 0; i < count; i++) {
        if (statuses[i].xHandle == task) {
            return &statuses[i];
        }
    }
    return NULL;
}

TEST(Kernel, TaskUtilSystemStateListsEveryTask)
{
    TaskHandle_t parked = test_task_create(kt_park_task, "kt_sys", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    configRUN_TIME_COUNTER_TYPE total = 0;
    const UBaseType_t count = uxTaskGetSystemState(statuses, 16, &total);
    TEST_ASSERT_EQ(uxTaskGetNumberOfTasks(), count);
    const TaskStatus_t *self = status_of(xTaskGetCurrentTaskHandle(), count);
    const TaskStatus_t *other = status_of(parked, count);
    const TaskStatus_t *idle = status_of(xTaskGetIdleTaskHandle(), count);
    TEST_ASSERT_NOT_NULL(self);
    TEST_ASSERT_NOT_NULL(other);
    TEST_ASSERT_NOT_NULL(idle);
    TEST_ASSERT_EQ(eRunning, self->eCurrentState);
    TEST_ASSERT_EQ(TEST_CASE_PRIORITY, self->uxCurrentPriority);
    TEST_ASSERT_STR_EQ(pcTaskGetName(NULL), self->pcTaskName);
    TEST_ASSERT_EQ(eSuspended, other->eCurrentState);
    TEST_ASSERT_EQ(KT_HIGH, other->uxCurrentPriority);
    TEST_ASSERT_EQ(KT_HIGH, other->uxBasePriority);
    TEST_ASSERT_STR_EQ("kt_sys", other->pcTaskName);
    TEST_ASSERT_NOT_NULL(other->pxStackBase);
    TEST_ASSERT_EQ(uxTaskGetStackHighWaterMark(parked), other->usStackHighWaterMark);
    TEST_ASSERT_EQ(eReady, idle->eCurrentState);
    TEST_ASSERT_EQ(tskIDLE_PRIORITY, idle->uxCurrentPriority);
    for (UBaseType_t i = 0; i < count; i++) {
        for (UBaseType_t j = i + 1; j < count; j++) {
            TEST_ASSERT_NE(statuses[i].xTaskNumber, statuses[j].xTaskNumber);
        }
#if configGENERATE_RUN_TIME_STATS
        TEST_ASSERT(statuses[i].ulRunTimeCounter <= total);
#endif
    }
    /* Too small an array gets nothing rather than part of the list. */
    TEST_ASSERT_EQ(0, uxTaskGetSystemState(statuses, count - 1, NULL));
    kt_delete(parked);
}

TEST(Kernel, TaskUtilGetInfoOfOneTask)
{
    TaskStatus_t status;
    TaskHandle_t blocked = test_task_create(kt_block_task, "kt_info", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    memset(&status, 0, sizeof status);
    vTaskGetInfo(blocked, &status, pdTRUE, eInvalid);
    TEST_ASSERT_PTR_EQ(blocked, status.xHandle);
    TEST_ASSERT_STR_EQ("kt_info", status.pcTaskName);
    TEST_ASSERT_EQ(eBlocked, status.eCurrentState);
    TEST_ASSERT_EQ(KT_HIGH, status.uxCurrentPriority);
    TEST_ASSERT_EQ(uxTaskGetStackHighWaterMark(blocked), status.usStackHighWaterMark);
    vTaskGetInfo(NULL, &status, pdFALSE, eInvalid);
    TEST_ASSERT_PTR_EQ(xTaskGetCurrentTaskHandle(), status.xHandle);
    TEST_ASSERT_EQ(eRunning, status.eCurrentState);
    kt_delete(blocked);
}

TEST(Kernel, TaskUtilTaskNumberIsApplicationData)
{
    TaskHandle_t task = test_task_create(kt_park_task, "kt_num", KT_STACK, NULL, KT_LOW);
    vTaskSetTaskNumber(task, 1234);
    vTaskSetTaskNumber(xTaskGetCurrentTaskHandle(), 77);
    TEST_ASSERT_EQ(1234, uxTaskGetTaskNumber(task));
    TEST_ASSERT_EQ(77, uxTaskGetTaskNumber(xTaskGetCurrentTaskHandle()));
    /* Unlike most task functions, these take no NULL for the calling task. */
    TEST_ASSERT_EQ(0, uxTaskGetTaskNumber(NULL));
    kt_delete(task);
}
#endif /* configUSE_TRACE_FACILITY */

/* ---- formatted tables ---- */

/* The formatting functions allocate their snapshot from the heap. */
#if configUSE_TRACE_FACILITY && configUSE_STATS_FORMATTING_FUNCTIONS && configSUPPORT_DYNAMIC_ALLOCATION
static char table[512];

/* The text after `name` and its space padding on the row that starts with it, or NULL. */
static const char *row_after_name(const char *name)
{
    const size_t length = strlen(name);
    for (const char *line = table; *line != '\0';) {
        if (strncmp(line, name, length) == 0 && (line[length] == ' ' || line[length] == '\t')) {
            const char *p = line + length;
            while (*p == ' ') {
                p++;
            }
            return p;
        }
        const char *end = strstr(line, "\r\n");
        if (end == NULL) {
            return NULL;
        }
        line = end + 2;
    }
    return NULL;
}

/* Reads a decimal number at *p and moves past it; returns -1 when there is none. */
static long take_number(const char **p)
{
    long value = 0;
    if (**p < '0' || **p > '9') {
        return -1;
    }
    while (**p >= '0' && **p <= '9') {
        value = value * 10 + (**p - '0');
        (*p)++;
    }
    return value;
}

/* Moves past `text` at *p; false when it is not there. */
static int take_text(const char **p, const char *text)
{
    const size_t length = strlen(text);
    if (strncmp(*p, text, length) != 0) {
        return 0;
    }
    *p += length;
    return 1;
}

static unsigned count_rows(void)
{
    unsigned rows = 0;
    for (const char *p = strstr(table, "\r\n"); p != NULL; p = strstr(p + 2, "\r\n")) {
        rows++;
    }
    return rows;
}

/* Checks one vTaskList row: "<name padded>\t<state>\t<priority>\t<stack>\t<number>\r\n". */
static void check_list_row(TaskHandle_t task, char state)
{
    TaskStatus_t status;
    vTaskGetInfo(task, &status, pdTRUE, eInvalid);
    const char *p = row_after_name(pcTaskGetName(task));
    TEST_ASSERT_NOT_NULL(p);
    TEST_ASSERT(take_text(&p, "\t"));
    TEST_ASSERT_EQ(state, *p++);
    TEST_ASSERT(take_text(&p, "\t"));
    TEST_ASSERT_EQ((long)status.uxCurrentPriority, take_number(&p));
    TEST_ASSERT(take_text(&p, "\t"));
    const long stack = take_number(&p);
    TEST_ASSERT(stack > 0);
    TEST_ASSERT(take_text(&p, "\t"));
    TEST_ASSERT_EQ((long)status.xTaskNumber, take_number(&p));
    TEST_ASSERT(take_text(&p, "\r\n"));
}

TEST(Kernel, TaskUtilListFormat)
{
    TaskHandle_t suspended = test_task_create(kt_park_task, "kt_lsusp", KT_STACK, NULL, KT_HIGH);
    TaskHandle_t blocked = test_task_create(kt_block_task, "kt_lblock", KT_STACK, NULL, KT_HIGH);
    TaskHandle_t ready = test_task_create(kt_park_task, "kt_lready", KT_STACK, NULL, KT_LOW);
    KT_LET_HIGHER_RUN();
    vTaskListTasks(table, sizeof table);
    TEST_ASSERT_EQ(uxTaskGetNumberOfTasks(), count_rows());
    check_list_row(suspended, 'S');
    check_list_row(blocked, 'B');
    check_list_row(ready, 'R');
    check_list_row(xTaskGetCurrentTaskHandle(), 'X');
    check_list_row(xTaskGetIdleTaskHandle(), 'R');
    table[0] = '\0';
    vTaskList(table); /* the older form, without a length */
    TEST_ASSERT_EQ(uxTaskGetNumberOfTasks(), count_rows());
    kt_delete(suspended);
    kt_delete(blocked);
    kt_delete(ready);
}

TEST(Kernel, TaskUtilListStopsAtBufferLength)
{
    memset(table, '#', 64);
    vTaskListTasks(table, 20);
    TEST_ASSERT_NOT_NULL(memchr(table, '\0', 20));
    for (unsigned i = 20; i < 64; i++) {
        TEST_ASSERT_EQ('#', table[i]);
    }
}

#if configGENERATE_RUN_TIME_STATS
/* Checks one run-time row: "<name padded>\t<time>\t\t<percent>%\r\n", "<1%" for under one. */
static void check_stats_row(TaskHandle_t task, int exact_time)
{
    const char *p = row_after_name(pcTaskGetName(task));
    TEST_ASSERT_NOT_NULL(p);
    TEST_ASSERT(take_text(&p, "\t"));
    const long time = take_number(&p);
    TEST_ASSERT(time >= 0);
    if (exact_time) {
        TEST_ASSERT_EQ((long)ulTaskGetRunTimeCounter(task), time);
    }
    TEST_ASSERT(take_text(&p, "\t\t"));
    if (!take_text(&p, "<1%")) {
        const long percent = take_number(&p);
        TEST_ASSERT_RANGE(1, 100, percent);
        TEST_ASSERT(take_text(&p, "%"));
    }
    TEST_ASSERT(take_text(&p, "\r\n"));
}

/* Busy for three ticks, then parks for good. */
static void busy_then_park_task(void *unused)
{
    (void)unused;
    kt_spin_ticks(3);
    runs++;
    kt_park();
}

TEST(Kernel, TaskUtilRunTimeCounters)
{
    runs = 0;
    TaskHandle_t busy = test_task_create(busy_then_park_task, "kt_busy", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, runs);
    const configRUN_TIME_COUNTER_TYPE busy_time = ulTaskGetRunTimeCounter(busy);
    TEST_ASSERT(busy_time > 0);
    TEST_ASSERT_EQ(busy_time, ulTaskGetRunTimeCounter(busy)); /* parked: it no longer runs */
    TEST_ASSERT(ulTaskGetRunTimePercent(busy) <= 100);
    /* Idle has run since boot; how much during our delay depends on the clock the board counts
     * (a virtual-time jump takes no host time at all), so only monotony is checked there. */
    const configRUN_TIME_COUNTER_TYPE idle_before = ulTaskGetIdleRunTimeCounter();
    TEST_ASSERT(idle_before > 0);
    vTaskDelay(3);
    TEST_ASSERT(ulTaskGetIdleRunTimeCounter() >= idle_before);
    TEST_ASSERT(ulTaskGetIdleRunTimePercent() <= 100);
    kt_delete(busy);
}

TEST(Kernel, TaskUtilRunTimeStatsFormat)
{
    runs = 0;
    TaskHandle_t busy = test_task_create(busy_then_park_task, "kt_stats", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    vTaskDelay(2);
    vTaskGetRunTimeStatistics(table, sizeof table);
    TEST_ASSERT_EQ(uxTaskGetNumberOfTasks(), count_rows());
    check_stats_row(busy, 1);
    check_stats_row(xTaskGetIdleTaskHandle(), 0);
    check_stats_row(xTaskGetCurrentTaskHandle(), 0);
    table[0] = '\0';
    vTaskGetRunTimeStats(table);
    TEST_ASSERT_EQ(uxTaskGetNumberOfTasks(), count_rows());
    kt_delete(busy);
}
#endif /* configGENERATE_RUN_TIME_STATS */
#endif /* configUSE_TRACE_FACILITY && configUSE_STATS_FORMATTING_FUNCTIONS && configSUPPORT_DYNAMIC_ALLOCATION */
