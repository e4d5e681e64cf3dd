/* Alder kernel tests: event groups (wait any/all, clear on exit, timeouts, many waiters, sync, ISR forms, deletion).
 * It must never rely on timing to order tasks, nor touch a group after deleting it. */
#include "test_objects.h"

#if configUSE_EVENT_GROUPS

/* One wait (or sync when `set` is non-zero) done by a helper task, then logged. */
struct wait_job {
    EventGroupHandle_t group;
    EventBits_t want;
    EventBits_t set;
    BaseType_t clear;
    BaseType_t all;
    TickType_t timeout;
    EventBits_t result;
    unsigned id;
};

static void wait_job_task(void *arg)
{
    struct wait_job *job = arg;
    if (job->set != 0) {
        job->result = xEventGroupSync(job->group, job->set, job->want, job->timeout);
    } else {
        job->result = xEventGroupWaitBits(job->group, job->want, job->clear, job->all, job->timeout);
    }
    obj_log(job->id);
    kt_park();
}

/* A helper that waits forever for any (all == pdFALSE) or all of `want`. */
static TaskHandle_t start_waiter(struct wait_job *job, EventGroupHandle_t group, EventBits_t want, BaseType_t all,
                                 BaseType_t clear, unsigned id, UBaseType_t priority)
{
    job->group = group;
    job->want = want;
    job->set = 0;
    job->clear = clear;
    job->all = all;
    job->timeout = portMAX_DELAY;
    job->result = 0xdead;
    job->id = id;
    return obj_spawn(wait_job_task, "wait", job, priority);
}

static EventGroupHandle_t make_group(void)
{
    EventGroupHandle_t group = obj_event_group();
    obj_log_reset();
    return group;
}

TEST(Kernel, EventGroupSetClearGet)
{
    EventGroupHandle_t group = make_group();
    TEST_ASSERT_EQ(0, xEventGroupGetBits(group));
    TEST_ASSERT_EQ(0x05, xEventGroupSetBits(group, 0x05));
    TEST_ASSERT_EQ(0x15, xEventGroupSetBits(group, 0x10));
    TEST_ASSERT_EQ(0x15, xEventGroupClearBits(group, 0x11)); /* the bits before clearing */
    TEST_ASSERT_EQ(0x04, xEventGroupGetBits(group));
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupHighestUsableBit)
{
    /* every bit below the kernel's top byte is usable */
    const EventBits_t top = (EventBits_t)1 << (sizeof(EventBits_t) * 8 - 9);
    EventGroupHandle_t group = make_group();
    TEST_ASSERT_EQ(top, xEventGroupSetBits(group, top));
    TEST_ASSERT_EQ(top, xEventGroupWaitBits(group, top, pdTRUE, pdTRUE, 0));
    TEST_ASSERT_EQ(0, xEventGroupGetBits(group));
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupWaitAnyReturnsAtOnce)
{
    EventGroupHandle_t group = make_group();
    (void)xEventGroupSetBits(group, 0x02);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0x02, xEventGroupWaitBits(group, 0x06, pdFALSE, pdFALSE, 10));
    OBJ_ASSERT_ELAPSED(0, start);
    TEST_ASSERT_EQ(0x02, xEventGroupGetBits(group));
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupWaitAllBlocksUntilAllSet)
{
    EventGroupHandle_t group = make_group();
    struct wait_job job;
    TaskHandle_t task = start_waiter(&job, group, 0x03, pdTRUE, pdFALSE, 1, KT_HIGH);
    (void)xEventGroupSetBits(group, 0x01);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    (void)xEventGroupSetBits(group, 0x06);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(0x07, job.result);
    TEST_ASSERT_EQ(0x07, xEventGroupGetBits(group));
    kt_delete(task);
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupClearOnExit)
{
    EventGroupHandle_t group = make_group();
    struct wait_job job;
    TaskHandle_t task = start_waiter(&job, group, 0x0C, pdFALSE, pdTRUE, 1, KT_HIGH);
    /* only the awaited bits that were set are cleared; the rest stay */
    TEST_ASSERT_EQ(0x11, xEventGroupSetBits(group, 0x14 | 0x01));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(0x15, job.result); /* the bits before clearing */
    TEST_ASSERT_EQ(0x11, xEventGroupGetBits(group));
    /* without blocking too */
    TEST_ASSERT_EQ(0x11, xEventGroupWaitBits(group, 0x01, pdTRUE, pdTRUE, 0));
    TEST_ASSERT_EQ(0x10, xEventGroupGetBits(group));
    kt_delete(task);
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupWaitTimesOutWithCurrentBits)
{
    EventGroupHandle_t group = make_group();
    (void)xEventGroupSetBits(group, 0x01);
    TickType_t start = xTaskGetTickCount();
    EventBits_t bits = xEventGroupWaitBits(group, 0x03, pdTRUE, pdTRUE, 5);
    OBJ_ASSERT_ELAPSED(5, start);
    TEST_ASSERT_EQ(0x01, bits);
    /* a wait that was not met clears nothing */
    TEST_ASSERT_EQ(0x01, xEventGroupGetBits(group));
    start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0x01, xEventGroupWaitBits(group, 0x04, pdFALSE, pdFALSE, 3));
    OBJ_ASSERT_ELAPSED(3, start);
    vEventGroupDelete(group);
}

static void delayed_set_task(void *arg)
{
    vTaskDelay(3);
    (void)xEventGroupSetBits((EventGroupHandle_t)arg, 0x40);
    kt_park();
}

TEST(Kernel, EventGroupWaitWakesWhenBitsArrive)
{
    EventGroupHandle_t group = make_group();
    TaskHandle_t low = obj_spawn(delayed_set_task, "set", group, KT_LOW);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_EQ(0x40, xEventGroupWaitBits(group, 0x40, pdTRUE, pdFALSE, 50));
    OBJ_ASSERT_ELAPSED(3, start);
    TEST_ASSERT_EQ(0, xEventGroupGetBits(group));
    kt_delete(low);
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupSetWakesEveryMatchingWaiter)
{
    EventGroupHandle_t group = make_group();
    struct wait_job a, b, c, d;
    TaskHandle_t ta = start_waiter(&a, group, 0x01, pdFALSE, pdFALSE, 1, KT_HIGH);
    TaskHandle_t tb = start_waiter(&b, group, 0x03, pdTRUE, pdFALSE, 2, KT_HIGH);
    TaskHandle_t tc = start_waiter(&c, group, 0x04, pdFALSE, pdFALSE, 3, KT_HIGHER);
    TaskHandle_t td = start_waiter(&d, group, 0x01, pdFALSE, pdTRUE, 4, KT_HIGH);
    /* a and d both see bit 0 although d clears it on its way out */
    TEST_ASSERT_EQ(0, xEventGroupSetBits(group, 0x01));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(2, obj_log_count());
    TEST_ASSERT_EQ(0x01, a.result);
    TEST_ASSERT_EQ(0x01, d.result);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(tb));
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(tc));
    (void)xEventGroupSetBits(group, 0x06);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(3, obj_log_count());
    TEST_ASSERT_EQ(0x06, c.result);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(tb));
    (void)xEventGroupSetBits(group, 0x01);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(4, obj_log_count());
    TEST_ASSERT_EQ(0x07, b.result);
    kt_delete(ta);
    kt_delete(tb);
    kt_delete(tc);
    kt_delete(td);
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupWokenWaitersRunByPriority)
{
    EventGroupHandle_t group = make_group();
    struct wait_job a, b, c;
    TaskHandle_t ta = start_waiter(&a, group, 0x01, pdFALSE, pdFALSE, 1, KT_HIGH);
    TaskHandle_t tb = start_waiter(&b, group, 0x01, pdFALSE, pdFALSE, 2, KT_HIGHER);
    TaskHandle_t tc = start_waiter(&c, group, 0x01, pdFALSE, pdFALSE, 3, KT_LOW);
    /* c is below us: it only gets to wait once we block */
    vTaskDelay(1);
    (void)xEventGroupSetBits(group, 0x01);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(21, obj_log_digits());
    vTaskDelay(1);
    TEST_ASSERT_EQ(213, obj_log_digits());
    kt_delete(ta);
    kt_delete(tb);
    kt_delete(tc);
    vEventGroupDelete(group);
}

/* A helper that sets `set` and waits forever for all of 0x07, the three-party rendezvous. */
static TaskHandle_t start_sync(struct wait_job *job, EventGroupHandle_t group, EventBits_t set, unsigned id)
{
    job->group = group;
    job->want = 0x07;
    job->set = set;
    job->clear = pdTRUE;
    job->all = pdTRUE;
    job->timeout = portMAX_DELAY;
    job->result = 0xdead;
    job->id = id;
    return obj_spawn(wait_job_task, "sync", job, KT_HIGH);
}

TEST(Kernel, EventGroupSyncThreeTasks)
{
    EventGroupHandle_t group = make_group();
    struct wait_job a, b;
    TaskHandle_t ta = start_sync(&a, group, 0x01, 1);
    TaskHandle_t tb = start_sync(&b, group, 0x02, 2);
    TEST_ASSERT_EQ(0, obj_log_count());
    TEST_ASSERT_EQ(0x03, xEventGroupGetBits(group));
    TickType_t start = xTaskGetTickCount();
    EventBits_t bits = xEventGroupSync(group, 0x04, 0x07, 10);
    KT_LET_HIGHER_RUN();
    OBJ_ASSERT_ELAPSED(0, start);
    /* the last party completes the rendezvous: everyone leaves and the bits are cleared */
    TEST_ASSERT_EQ(0x07, bits & 0x07);
    TEST_ASSERT_EQ(2, obj_log_count());
    TEST_ASSERT_EQ(0x07, a.result & 0x07);
    TEST_ASSERT_EQ(0x07, b.result & 0x07);
    TEST_ASSERT_EQ(0, xEventGroupGetBits(group));
    kt_delete(ta);
    kt_delete(tb);
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupSyncTimesOut)
{
    EventGroupHandle_t group = make_group();
    TickType_t start = xTaskGetTickCount();
    EventBits_t bits = xEventGroupSync(group, 0x01, 0x03, 4);
    OBJ_ASSERT_ELAPSED(4, start);
    TEST_ASSERT_EQ(0x01, bits & 0x03);
    /* our bit stays set for a party that arrives later */
    TEST_ASSERT_EQ(0x01, xEventGroupGetBits(group));
    vEventGroupDelete(group);
}

TEST(Kernel, EventGroupDeleteWakesWaiters)
{
    size_t before = xPortGetFreeHeapSize();
    EventGroupHandle_t group = make_group();
    size_t group_bytes = before - xPortGetFreeHeapSize();
    struct wait_job a, b;
    TaskHandle_t ta = start_waiter(&a, group, 0x01, pdFALSE, pdFALSE, 1, KT_HIGH);
    TaskHandle_t tb = start_waiter(&b, group, 0x03, pdTRUE, pdTRUE, 2, KT_HIGHER);
    size_t with_tasks = xPortGetFreeHeapSize();
    (void)xEventGroupSetBits(group, 0x02);
    TEST_ASSERT_EQ(0, obj_log_count());
    vEventGroupDelete(group);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(21, obj_log_digits());
    TEST_ASSERT_EQ(0, a.result);
    TEST_ASSERT_EQ(0, b.result);
    TEST_ASSERT_EQ(with_tasks + group_bytes, xPortGetFreeHeapSize());
    kt_delete(ta);
    kt_delete(tb);
}

#if configSUPPORT_STATIC_ALLOCATION
static StaticEventGroup_t static_group;

TEST(Kernel, EventGroupStaticUsesNoHeap)
{
    size_t before = xPortGetFreeHeapSize();
    StaticEventGroup_t *buffer = NULL;
    EventGroupHandle_t group = xEventGroupCreateStatic(&static_group);
    TEST_ASSERT_NOT_NULL(group);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
    TEST_ASSERT_EQ(pdTRUE, xEventGroupGetStaticBuffer(group, &buffer));
    TEST_ASSERT_PTR_EQ(&static_group, buffer);
    TEST_ASSERT_EQ(0x03, xEventGroupSetBits(group, 0x03));
    vEventGroupDelete(group);
    TEST_ASSERT_EQ(before, xPortGetFreeHeapSize());
#if configSUPPORT_DYNAMIC_ALLOCATION
    group = make_group();
    TEST_ASSERT_EQ(pdFALSE, xEventGroupGetStaticBuffer(group, &buffer));
    vEventGroupDelete(group);
#endif
}
#endif

#if configASSERT_DEFINED
TEST(Kernel, EventGroupInvalidBitsAssert)
{
    const EventBits_t control = (EventBits_t)1 << (sizeof(EventBits_t) * 8 - 1);
    EventGroupHandle_t group = make_group();
    TEST_EXPECT_ASSERT((void)xEventGroupWaitBits(group, 0, pdFALSE, pdFALSE, 0));
    TEST_EXPECT_ASSERT((void)xEventGroupSetBits(group, control));
    TEST_EXPECT_ASSERT((void)xEventGroupWaitBits(group, control, pdFALSE, pdFALSE, 0));
    TEST_ASSERT_EQ(0, xEventGroupGetBits(group));
    vEventGroupDelete(group);
}
#endif

/* ---- from an interrupt ---- */

#if configUSE_TIMERS && INCLUDE_xTimerPendFunctionCall
struct isr_group_op {
    EventGroupHandle_t group;
    EventBits_t bits;
    BaseType_t result;
    BaseType_t woken;
};

static void isr_set_bits(void *arg)
{
    struct isr_group_op *op = arg;
    op->woken = pdFALSE;
    op->result = xEventGroupSetBitsFromISR(op->group, op->bits, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

static void isr_clear_bits(void *arg)
{
    struct isr_group_op *op = arg;
    op->result = xEventGroupClearBitsFromISR(op->group, op->bits);
}

TEST(Kernel, EventGroupSetBitsFromIsrDefersToServiceTask)
{
    struct isr_group_op op = {make_group(), 0x08, -1, -1};
    struct wait_job job;
    TaskHandle_t task = start_waiter(&job, op.group, 0x08, pdFALSE, pdFALSE, 1, KT_HIGH);
    test_run_in_isr(isr_set_bits, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    /* the service task, above us, does the set as soon as the ISR ends; the waiter, also
     * above us, runs before we resume */
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(0x08, xEventGroupGetBits(op.group));
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_EQ(0x08, job.result);
    kt_delete(task);
    vEventGroupDelete(op.group);
}

TEST(Kernel, EventGroupClearBitsFromIsrDefersToServiceTask)
{
    struct isr_group_op op = {make_group(), 0x05, -1, -1};
    (void)xEventGroupSetBits(op.group, 0x0F);
    test_run_in_isr(isr_clear_bits, &op);
    TEST_ASSERT_EQ(pdPASS, op.result);
    /* no yield was asked for: give the service task its turn */
    taskYIELD();
    vTaskDelay(1);
    TEST_ASSERT_EQ(0x0A, xEventGroupGetBits(op.group));
    vEventGroupDelete(op.group);
}
#endif

struct isr_group_read {
    EventGroupHandle_t group;
    EventBits_t bits;
};

static void isr_get_bits(void *arg)
{
    struct isr_group_read *read = arg;
    read->bits = xEventGroupGetBitsFromISR(read->group);
}

TEST(Kernel, EventGroupGetBitsFromIsr)
{
    struct isr_group_read read = {make_group(), 0xdead};
    test_run_in_isr(isr_get_bits, &read);
    TEST_ASSERT_EQ(0, read.bits);
    (void)xEventGroupSetBits(read.group, 0x21);
    test_run_in_isr(isr_get_bits, &read);
    TEST_ASSERT_EQ(0x21, read.bits);
    vEventGroupDelete(read.group);
}

#endif /* configUSE_EVENT_GROUPS */
