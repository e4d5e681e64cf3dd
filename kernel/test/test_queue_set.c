/* Alder kernel tests: queue sets (members, select order, timeouts, add/remove rules, ISR forms).
 * It must never delete a set that still has members, nor a member that a task is selecting on. */
#include "test_objects.h"

#if configUSE_QUEUE_SETS && configSUPPORT_DYNAMIC_ALLOCATION

struct set_fixture {
    QueueSetHandle_t set;
    QueueHandle_t q1;
    QueueHandle_t q2;
    SemaphoreHandle_t sem;
};

/* Two queues of two items and a binary semaphore, all in one set. */
static void set_up(struct set_fixture *f)
{
    obj_log_reset();
    f->set = xQueueCreateSet(2 + 2 + 1);
    f->q1 = obj_queue(2, sizeof(uint32_t));
    f->q2 = obj_queue(2, sizeof(uint32_t));
    f->sem = obj_binary();
    TEST_ASSERT(f->set && f->q1 && f->q2 && f->sem);
    TEST_ASSERT_EQ(pdPASS, xQueueAddToSet(f->q1, f->set));
    TEST_ASSERT_EQ(pdPASS, xQueueAddToSet(f->q2, f->set));
    TEST_ASSERT_EQ(pdPASS, xQueueAddToSet(f->sem, f->set));
}

/* Empty the members, take them out of the set, delete everything. */
static void tear_down(struct set_fixture *f)
{
    QueueHandle_t members[3] = {f->q1, f->q2, f->sem};
    for (int i = 0; i < 3; i++) {
        (void)xQueueReset(members[i]);
        TEST_ASSERT_EQ(pdPASS, xQueueRemoveFromSet(members[i], f->set));
        vQueueDelete(members[i]);
    }
    vQueueDelete(f->set);
}

/* Lets a selector it wakes run before it returns, as preemption would. */
static void send_value(QueueHandle_t queue, uint32_t value)
{
    TEST_ASSERT_EQ(pdPASS, xQueueSend(queue, &value, 0));
    KT_LET_HIGHER_RUN();
}

static uint32_t receive_value(QueueHandle_t queue)
{
    uint32_t value = 0;
    TEST_ASSERT_EQ(pdPASS, xQueueReceive(queue, &value, 0));
    return value;
}

TEST(Kernel, QueueSetSelectReturnsMemberWithData)
{
    struct set_fixture f;
    set_up(&f);
    send_value(f.q2, 22);
    TEST_ASSERT_PTR_EQ(f.q2, xQueueSelectFromSet(f.set, 0));
    TEST_ASSERT_EQ(22, receive_value(f.q2));
    send_value(f.q1, 11);
    TEST_ASSERT_PTR_EQ(f.q1, xQueueSelectFromSet(f.set, 0));
    TEST_ASSERT_EQ(11, receive_value(f.q1));
    TEST_ASSERT_NULL(xQueueSelectFromSet(f.set, 0));
    tear_down(&f);
}

TEST(Kernel, QueueSetSelectFollowsPostingOrder)
{
    struct set_fixture f;
    set_up(&f);
    send_value(f.q2, 1);
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(f.sem));
    send_value(f.q1, 2);
    send_value(f.q2, 3);
    TEST_ASSERT_PTR_EQ(f.q2, xQueueSelectFromSet(f.set, 0));
    TEST_ASSERT_EQ(1, receive_value(f.q2));
    TEST_ASSERT_PTR_EQ(f.sem, xQueueSelectFromSet(f.set, 0));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(f.sem, 0));
    TEST_ASSERT_PTR_EQ(f.q1, xQueueSelectFromSet(f.set, 0));
    TEST_ASSERT_EQ(2, receive_value(f.q1));
    TEST_ASSERT_PTR_EQ(f.q2, xQueueSelectFromSet(f.set, 0));
    TEST_ASSERT_EQ(3, receive_value(f.q2));
    tear_down(&f);
}

TEST(Kernel, QueueSetSelectTimesOut)
{
    struct set_fixture f;
    set_up(&f);
    TickType_t start = xTaskGetTickCount();
    TEST_ASSERT_NULL(xQueueSelectFromSet(f.set, 4));
    OBJ_ASSERT_ELAPSED(4, start);
    tear_down(&f);
}

TEST(Kernel, QueueSetAddRules)
{
    struct set_fixture f;
    set_up(&f);
    QueueSetHandle_t other = xQueueCreateSet(2);
    QueueHandle_t loose = obj_queue(1, sizeof(uint32_t));
    TEST_ASSERT(other && loose);
    /* a queue belongs to one set at a time */
    TEST_ASSERT_EQ(pdFAIL, xQueueAddToSet(f.q1, other));
    /* a queue that already holds data would leave the set without its events */
    send_value(loose, 5);
    TEST_ASSERT_EQ(pdFAIL, xQueueAddToSet(loose, other));
    (void)receive_value(loose);
    TEST_ASSERT_EQ(pdPASS, xQueueAddToSet(loose, other));
    send_value(loose, 6);
    TEST_ASSERT_PTR_EQ(loose, xQueueSelectFromSet(other, 0));
    TEST_ASSERT_NULL(xQueueSelectFromSet(f.set, 0));
    (void)receive_value(loose);
    TEST_ASSERT_EQ(pdPASS, xQueueRemoveFromSet(loose, other));
    vQueueDelete(loose);
    vQueueDelete(other);
    tear_down(&f);
}

TEST(Kernel, QueueSetRemoveRules)
{
    struct set_fixture f;
    set_up(&f);
    send_value(f.q1, 1);
    /* a member that holds data cannot leave */
    TEST_ASSERT_EQ(pdFAIL, xQueueRemoveFromSet(f.q1, f.set));
    TEST_ASSERT_PTR_EQ(f.q1, xQueueSelectFromSet(f.set, 0));
    (void)receive_value(f.q1);
    TEST_ASSERT_EQ(pdPASS, xQueueRemoveFromSet(f.q1, f.set));
    TEST_ASSERT_EQ(pdFAIL, xQueueRemoveFromSet(f.q1, f.set));
    /* once out, its traffic no longer reaches the set */
    send_value(f.q1, 2);
    TEST_ASSERT_NULL(xQueueSelectFromSet(f.set, 0));
    (void)receive_value(f.q1);
    TEST_ASSERT_EQ(pdPASS, xQueueAddToSet(f.q1, f.set));
    tear_down(&f);
}

TEST(Kernel, QueueSetCountingSemaphoreMember)
{
#if configUSE_COUNTING_SEMAPHORES
    QueueSetHandle_t set = xQueueCreateSet(3);
    SemaphoreHandle_t sem = obj_counting(3, 0);
    TEST_ASSERT(set && sem);
    TEST_ASSERT_EQ(pdPASS, xQueueAddToSet(sem, set));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(sem));
    TEST_ASSERT_EQ(pdTRUE, xSemaphoreGive(sem));
    for (int i = 0; i < 2; i++) {
        TEST_ASSERT_PTR_EQ(sem, xQueueSelectFromSet(set, 0));
        TEST_ASSERT_EQ(pdTRUE, xSemaphoreTake(sem, 0));
    }
    TEST_ASSERT_NULL(xQueueSelectFromSet(set, 0));
    TEST_ASSERT_EQ(pdPASS, xQueueRemoveFromSet(sem, set));
    vSemaphoreDelete(sem);
    vQueueDelete(set);
#else
    TEST_IGNORE("configUSE_COUNTING_SEMAPHORES is 0");
#endif
}

struct select_job {
    QueueSetHandle_t set;
    QueueSetMemberHandle_t selected;
};

static void select_job_task(void *arg)
{
    struct select_job *job = arg;
    job->selected = xQueueSelectFromSet(job->set, portMAX_DELAY);
    obj_log(1);
    kt_park();
}

TEST(Kernel, QueueSetBlockedSelectWokenBySend)
{
    struct set_fixture f;
    set_up(&f);
    struct select_job job = {f.set, NULL};
    TaskHandle_t task = obj_spawn(select_job_task, "sel", &job, KT_HIGH);
    TEST_ASSERT_EQ(0, obj_log_count());
    send_value(f.q2, 8);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_PTR_EQ(f.q2, job.selected);
    kt_delete(task);
    tear_down(&f);
}

struct isr_set_op {
    struct set_fixture *f;
    QueueSetMemberHandle_t selected;
    BaseType_t woken;
};

static void isr_select(void *arg)
{
    struct isr_set_op *op = arg;
    op->selected = xQueueSelectFromSetFromISR(op->f->set);
}

static void isr_give_member(void *arg)
{
    struct isr_set_op *op = arg;
    op->woken = pdFALSE;
    (void)xSemaphoreGiveFromISR(op->f->sem, &op->woken);
    portYIELD_FROM_ISR(op->woken);
}

TEST(Kernel, QueueSetSelectFromIsr)
{
    struct set_fixture f;
    set_up(&f);
    struct isr_set_op op = {&f, f.q1, -1};
    test_run_in_isr(isr_select, &op);
    TEST_ASSERT_NULL(op.selected);
    send_value(f.q1, 4);
    test_run_in_isr(isr_select, &op);
    TEST_ASSERT_PTR_EQ(f.q1, op.selected);
    TEST_ASSERT_EQ(4, receive_value(f.q1));
    tear_down(&f);
}

TEST(Kernel, QueueSetGiveFromIsrWakesSelector)
{
    struct set_fixture f;
    set_up(&f);
    struct isr_set_op op = {&f, NULL, -1};
    struct select_job job = {f.set, NULL};
    TaskHandle_t task = obj_spawn(select_job_task, "sel", &job, KT_HIGH);
    test_run_in_isr(isr_give_member, &op);
    TEST_ASSERT_EQ(pdTRUE, op.woken);
    TEST_ASSERT_EQ(1, obj_log_count());
    TEST_ASSERT_PTR_EQ(f.sem, job.selected);
    kt_delete(task);
    tear_down(&f);
}

#else

/* Every image runs at least one case (a run that tests nothing proves nothing): this one says why
 * the file's cases are not in this variant. */
TEST(Kernel, QueueSetsNotInThisVariant)
{
    TEST_IGNORE("queue sets need configUSE_QUEUE_SETS and configSUPPORT_DYNAMIC_ALLOCATION");
}

#endif /* configUSE_QUEUE_SETS && configSUPPORT_DYNAMIC_ALLOCATION */
