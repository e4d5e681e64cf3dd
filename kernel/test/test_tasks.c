/* Alder kernel tests (Kernel group): task creation and deletion, priorities, suspension, task states.
 * It must never use anything but the public FreeRTOS API, alder_test.h and kernel_test.h. */
#include <string.h>

#include "kernel_test.h"
#include "queue.h"
#include "semphr.h"

/* What helper tasks report; every case resets what it reads. */
static volatile uint32_t runs;
static volatile uint32_t phase;
static void *volatile seen_parameter;
static void *volatile seen_stack_address;

static void reset_reports(void)
{
    runs = 0;
    phase = 0;
    seen_parameter = NULL;
    seen_stack_address = NULL;
}

/* Records that it ran, its parameter and where its stack is, then parks. */
static void report_task(void *parameter)
{
    volatile int local = 0;
    seen_parameter = parameter;
    seen_stack_address = (void *)&local;
    runs++;
    kt_park();
}

#if configSUPPORT_DYNAMIC_ALLOCATION
/* Deletes itself after reporting. */
static void self_deleting_task(void *unused)
{
    (void)unused;
    runs++;
    test_task_forget(xTaskGetCurrentTaskHandle());
    vTaskDelete(NULL);
    for (;;) {
        runs += 1000; /* never reached: vTaskDelete(NULL) does not return */
    }
}
#endif

/* Phase 1, suspends itself, phase 2 once resumed, then parks. */
static void suspend_self_task(void *unused)
{
    (void)unused;
    phase = 1;
    vTaskSuspend(NULL);
    phase = 2;
    kt_park();
}

/* Counts each notification it takes, forever. */
static void notified_counter_task(void *unused)
{
    (void)unused;
    for (;;) {
        if (ulTaskNotifyTake(pdTRUE, portMAX_DELAY) != 0) {
            runs++;
        }
    }
}

/* Delays for a long time; phase 1 when the delay ends (however it ends). */
static void long_delay_task(void *unused)
{
    (void)unused;
    vTaskDelay(1000);
    phase = 1;
    kt_park();
}

/* ---- creation ---- */

TEST(Kernel, TaskCreatePassesParameter)
{
    static int marker;
    reset_reports();
    TaskHandle_t task = test_task_create(report_task, "kt_param", KT_STACK, &marker, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_NOT_NULL(task);
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_PTR_EQ(&marker, seen_parameter);
    kt_delete(task);
}

#if configUSE_PREEMPTION
TEST(Kernel, TaskCreateHigherPriorityRunsAtOnce)
{
    reset_reports();
    (void)test_task_create(report_task, "kt_high", KT_STACK, NULL, KT_HIGH);
    /* No yield here: creating a higher priority task must switch to it before returning. */
    TEST_ASSERT_EQ(1, runs);
}
#else
TEST(Kernel, TaskCreateHigherPriorityWaitsForYield)
{
    reset_reports();
    (void)test_task_create(report_task, "kt_high", KT_STACK, NULL, KT_HIGH);
    TEST_ASSERT_EQ(0, runs);
    taskYIELD();
    TEST_ASSERT_EQ(1, runs);
}
#endif

TEST(Kernel, TaskCreateLowerPriorityWaitsForBlock)
{
    reset_reports();
    (void)test_task_create(report_task, "kt_low", KT_STACK, NULL, KT_LOW);
    taskYIELD(); /* a yield passes the CPU only to equal or higher priorities */
    TEST_ASSERT_EQ(0, runs);
    TEST_ASSERT_EQ(1, kt_wait_for_value(&runs, 1));
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, TaskCreateWithoutMemoryFails)
{
    const size_t free_before = xPortGetFreeHeapSize();
    const UBaseType_t tasks_before = uxTaskGetNumberOfTasks();
    const size_t words = free_before / sizeof(StackType_t) + 64;
    if ((size_t)(configSTACK_DEPTH_TYPE)words != words) {
        TEST_IGNORE("the heap is larger than configSTACK_DEPTH_TYPE can ask for");
    }
    reset_reports();
    kt_reset_hooks();
    TaskHandle_t task = NULL;
    BaseType_t result = xTaskCreate(report_task, "kt_huge", (configSTACK_DEPTH_TYPE)words, NULL, KT_HIGH, &task);
    TEST_ASSERT_EQ(errCOULD_NOT_ALLOCATE_REQUIRED_MEMORY, result);
    TEST_ASSERT_EQ(tasks_before, uxTaskGetNumberOfTasks());
    TEST_ASSERT_EQ(free_before, xPortGetFreeHeapSize());
    TEST_ASSERT_EQ(0, runs);
#if configUSE_MALLOC_FAILED_HOOK
    TEST_ASSERT(kt_malloc_failed_count >= 1);
#endif
}

TEST(Kernel, TaskDeleteOtherReturnsMemory)
{
    const size_t free_before = xPortGetFreeHeapSize();
    const UBaseType_t tasks_before = uxTaskGetNumberOfTasks();
    TaskHandle_t task = test_task_create(kt_park_task, "kt_del", KT_STACK, NULL, KT_LOW);
    TEST_ASSERT(xPortGetFreeHeapSize() < free_before);
    TEST_ASSERT_EQ(tasks_before + 1, uxTaskGetNumberOfTasks());
    kt_delete(task);
    TEST_ASSERT_EQ(tasks_before, uxTaskGetNumberOfTasks());
    /* The kernel may leave the freeing to the idle task. */
    for (int tick = 0; tick < 20 && xPortGetFreeHeapSize() != free_before; tick++) {
        vTaskDelay(1);
    }
    TEST_ASSERT_EQ(free_before, xPortGetFreeHeapSize());
}

TEST(Kernel, TaskDeleteSelfFreedByIdle)
{
    const size_t free_before = xPortGetFreeHeapSize();
    const UBaseType_t tasks_before = uxTaskGetNumberOfTasks();
    reset_reports();
    (void)test_task_create(self_deleting_task, "kt_selfdel", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, runs);
    /* A task cannot free the stack it runs on: the idle task does, once we let it run. */
    TEST_ASSERT_EQ(tasks_before, kt_wait_for_task_count(tasks_before));
    for (int tick = 0; tick < 20 && xPortGetFreeHeapSize() != free_before; tick++) {
        vTaskDelay(1); /* the count may drop just before the memory is freed */
    }
    TEST_ASSERT_EQ(free_before, xPortGetFreeHeapSize());
}

TEST(Kernel, TaskDeleteSuspendedReturnsMemory)
{
    const size_t free_before = xPortGetFreeHeapSize();
    reset_reports();
    TaskHandle_t task = test_task_create(suspend_self_task, "kt_delsus", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eSuspended, eTaskGetState(task));
    kt_delete(task);
    for (int tick = 0; tick < 20 && xPortGetFreeHeapSize() != free_before; tick++) {
        vTaskDelay(1);
    }
    TEST_ASSERT_EQ(free_before, xPortGetFreeHeapSize());
    TEST_ASSERT_EQ(1, phase);
}

/* A task blocked on a queue and then deleted must leave the queue's waiter list: the next
 * item goes to the next waiter, not to the dead one. */
static QueueHandle_t delete_queue;
static volatile uint32_t delete_received;

static void queue_receiver_task(void *unused)
{
    uint32_t value = 0;
    (void)unused;
    if (xQueueReceive(delete_queue, &value, portMAX_DELAY) == pdPASS) {
        delete_received = value;
    }
    kt_park();
}

TEST(Kernel, TaskDeleteBlockedLeavesWaiterList)
{
    delete_queue = xQueueCreate(1, sizeof(uint32_t));
    TEST_ASSERT_NOT_NULL(delete_queue);
    delete_received = 0;
    TaskHandle_t first = test_task_create(queue_receiver_task, "kt_rx1", KT_STACK, NULL, KT_HIGHER);
    TaskHandle_t second = test_task_create(queue_receiver_task, "kt_rx2", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(first));
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(second));
    kt_delete(first);
    uint32_t value = 77;
    TEST_ASSERT_EQ(pdPASS, xQueueSend(delete_queue, &value, 0));
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(77, delete_received);
    TEST_ASSERT_EQ(0, uxQueueMessagesWaiting(delete_queue));
    kt_delete(second);
    vQueueDelete(delete_queue);
}
#endif /* configSUPPORT_DYNAMIC_ALLOCATION */

#if configSUPPORT_STATIC_ALLOCATION

TEST(Kernel, TaskCreateStaticUsesGivenBuffers)
{
    static int marker;
#if configSUPPORT_DYNAMIC_ALLOCATION
    const size_t free_before = xPortGetFreeHeapSize();
#endif
    reset_reports();
    TaskHandle_t task =
        xTaskCreateStatic(report_task, "kt_static", KT_STACK, &marker, KT_HIGH, kt_static_stack, &kt_static_tcb);
    TEST_ASSERT_NOT_NULL(task);
    KT_LET_HIGHER_RUN();
#if configSUPPORT_DYNAMIC_ALLOCATION
    const size_t free_after = xPortGetFreeHeapSize();
#endif
    StackType_t *stack = NULL;
    StaticTask_t *tcb = NULL;
    BaseType_t got = xTaskGetStaticBuffers(task, &stack, &tcb);
    vTaskDelete(task);
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_PTR_EQ(&marker, seen_parameter);
    /* The task really ran on the buffer we gave it. */
    TEST_ASSERT((char *)seen_stack_address >= (char *)kt_static_stack);
    TEST_ASSERT((char *)seen_stack_address < (char *)(kt_static_stack + KT_STACK));
    TEST_ASSERT_EQ(pdTRUE, got);
    TEST_ASSERT_PTR_EQ(kt_static_stack, stack);
    TEST_ASSERT_PTR_EQ(&kt_static_tcb, tcb);
#if configSUPPORT_DYNAMIC_ALLOCATION
    TEST_ASSERT_EQ(free_before, free_after);
#endif
}

TEST(Kernel, TaskCreateStaticRejectsMissingBuffers)
{
    const UBaseType_t tasks_before = uxTaskGetNumberOfTasks();
    volatile TaskHandle_t no_stack = (TaskHandle_t)&kt_static_tcb;
    volatile TaskHandle_t no_tcb = (TaskHandle_t)&kt_static_tcb;
    volatile int fired_stack;
    volatile int fired_tcb;
    reset_reports();
    /* Either answer is FreeRTOS behaviour: an assertion, or NULL with no task made. */
    KT_CAPTURE_ASSERT(no_stack =
                          xTaskCreateStatic(report_task, "kt_nostk", KT_STACK, NULL, KT_HIGH, NULL, &kt_static_tcb),
                      fired_stack);
    KT_CAPTURE_ASSERT(
        no_tcb = xTaskCreateStatic(report_task, "kt_notcb", KT_STACK, NULL, KT_HIGH, kt_static_stack, NULL), fired_tcb);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT(fired_stack || no_stack == NULL);
    TEST_ASSERT(fired_tcb || no_tcb == NULL);
    TEST_ASSERT_EQ(0, runs);
    TEST_ASSERT_EQ(tasks_before, uxTaskGetNumberOfTasks());
}

TEST(Kernel, TaskStaticDeletedByOtherIsDeleted)
{
    reset_reports();
    TaskHandle_t task =
        xTaskCreateStatic(suspend_self_task, "kt_stdel", KT_STACK, NULL, KT_HIGH, kt_static_stack, &kt_static_tcb);
    TEST_ASSERT_NOT_NULL(task);
    KT_LET_HIGHER_RUN();
    eTaskState before = eTaskGetState(task);
    vTaskDelete(task);
    /* The control block is ours and stays valid, so asking about it is legal. */
    eTaskState after = eTaskGetState(task);
    vTaskDelay(2);
    TEST_ASSERT_EQ(eSuspended, before);
    TEST_ASSERT_EQ(eDeleted, after);
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, TaskGetStaticBuffersOfDynamicTaskFails)
{
    StackType_t *stack = NULL;
    StaticTask_t *tcb = NULL;
    TaskHandle_t task = test_task_create(kt_park_task, "kt_dyn", KT_STACK, NULL, KT_LOW);
    TEST_ASSERT_EQ(pdFALSE, xTaskGetStaticBuffers(task, &stack, &tcb));
    kt_delete(task);
}
#endif
#endif /* configSUPPORT_STATIC_ALLOCATION */

/* ---- priorities ---- */

static UBaseType_t isr_priority_result;
static UBaseType_t isr_base_priority_result;

static void read_priority_in_isr(void *task)
{
    isr_priority_result = uxTaskPriorityGetFromISR((TaskHandle_t)task);
    isr_base_priority_result = uxTaskBasePriorityGetFromISR((TaskHandle_t)task);
}

TEST(Kernel, TaskPriorityGetAndSet)
{
    TEST_ASSERT_EQ(TEST_CASE_PRIORITY, uxTaskPriorityGet(NULL));
    TaskHandle_t task = test_task_create(kt_park_task, "kt_prio", KT_STACK, NULL, 1);
    TEST_ASSERT_EQ(1, uxTaskPriorityGet(task));
    vTaskPrioritySet(task, 2);
    TEST_ASSERT_EQ(2, uxTaskPriorityGet(task));
    TEST_ASSERT_EQ(2, uxTaskBasePriorityGet(task));
    test_run_in_isr(read_priority_in_isr, task);
    TEST_ASSERT_EQ(2, isr_priority_result);
    TEST_ASSERT_EQ(2, isr_base_priority_result);
    vTaskPrioritySet(NULL, KT_HIGH);
    TEST_ASSERT_EQ(KT_HIGH, uxTaskPriorityGet(NULL));
    TEST_ASSERT_EQ(KT_HIGH, uxTaskPriorityGet(xTaskGetCurrentTaskHandle()));
    kt_delete(task);
}

#if configUSE_PREEMPTION
TEST(Kernel, TaskPriorityRaiseOtherPreempts)
{
    reset_reports();
    TaskHandle_t task = test_task_create(report_task, "kt_raise", KT_STACK, NULL, KT_LOW);
    TEST_ASSERT_EQ(0, runs);
    vTaskPrioritySet(task, KT_HIGH);
    TEST_ASSERT_EQ(1, runs);
}

TEST(Kernel, TaskPriorityLowerSelfYields)
{
    reset_reports();
    (void)test_task_create(report_task, "kt_under", KT_STACK, NULL, KT_LOW);
    TEST_ASSERT_EQ(0, runs);
    vTaskPrioritySet(NULL, KT_LOW - 1);
    TEST_ASSERT_EQ(1, runs);
}
#else
TEST(Kernel, TaskPriorityRaiseOtherWaitsForYield)
{
    reset_reports();
    TaskHandle_t task = test_task_create(report_task, "kt_raise", KT_STACK, NULL, KT_LOW);
    vTaskPrioritySet(task, KT_HIGH);
    TEST_ASSERT_EQ(0, runs);
    taskYIELD();
    TEST_ASSERT_EQ(1, runs);
}
#endif

TEST(Kernel, TaskPriorityOutOfRangeIsCapped)
{
    volatile int fired;
    TaskHandle_t task = test_task_create(kt_park_task, "kt_cap", KT_STACK, NULL, 1);
    /* FreeRTOS asserts, and without configASSERT caps at the top priority: either is right. */
    KT_CAPTURE_ASSERT(vTaskPrioritySet(task, configMAX_PRIORITIES + 3), fired);
    UBaseType_t priority = uxTaskPriorityGet(task);
    TEST_ASSERT(fired ? priority == 1 : priority == configMAX_PRIORITIES - 1);
    kt_delete(task);
}

#if configUSE_MUTEXES && configSUPPORT_STATIC_ALLOCATION
/*
 * Inheritance: a low "holder" takes the mutex and waits for a notification to give it back; a
 * high "waiter" blocks on the mutex. The case reads the holder's priorities in between.
 */
static StaticSemaphore_t mutex_buffer;
static SemaphoreHandle_t mutex;
static volatile uint32_t holder_released;
static volatile uint32_t waiter_got;

static void holder_task(void *unused)
{
    (void)unused;
    if (xSemaphoreTake(mutex, portMAX_DELAY) == pdPASS) {
        phase = 1;
        (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
        (void)xSemaphoreGive(mutex);
        holder_released = 1;
    }
    kt_park();
}

static void waiter_task(void *unused)
{
    (void)unused;
    if (xSemaphoreTake(mutex, portMAX_DELAY) == pdPASS) {
        waiter_got = 1;
        (void)xSemaphoreGive(mutex);
    }
    kt_park();
}

/* Returns the holder, parked on the mutex at `priority`. */
static TaskHandle_t start_holder(UBaseType_t priority)
{
    reset_reports();
    holder_released = 0;
    waiter_got = 0;
    mutex = xSemaphoreCreateMutexStatic(&mutex_buffer);
    TEST_ASSERT_NOT_NULL(mutex);
    TaskHandle_t holder = test_task_create(holder_task, "kt_holder", KT_STACK, NULL, priority);
    /* The holder is below us: let it take the mutex and block. */
    TEST_ASSERT_EQ(eBlocked, kt_wait_for_state(holder, eBlocked));
    TEST_ASSERT_EQ(1, phase);
    TEST_ASSERT_PTR_EQ(holder, xSemaphoreGetMutexHolder(mutex));
    return holder;
}

TEST(Kernel, TaskPriorityInheritedIsVisible)
{
    TaskHandle_t holder = start_holder(KT_LOW - 1);
    TEST_ASSERT_EQ(KT_LOW - 1, uxTaskPriorityGet(holder));
    TaskHandle_t waiter = test_task_create(waiter_task, "kt_waiter", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(waiter));
    TEST_ASSERT_EQ(KT_HIGH, uxTaskPriorityGet(holder));
    TEST_ASSERT_EQ(KT_LOW - 1, uxTaskBasePriorityGet(holder));
    /* Now above us, the holder gives the mutex at once; the waiter takes it, both drop back. */
    (void)xTaskNotifyGive(holder);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, waiter_got);
    TEST_ASSERT_EQ(KT_LOW - 1, uxTaskPriorityGet(holder));
#if configUSE_PREEMPTION
    TEST_ASSERT_EQ(0, holder_released); /* preempted by the waiter, then back below us */
#endif
    TEST_ASSERT_EQ(1, kt_wait_for_value(&holder_released, 1));
    kt_delete(waiter);
    kt_delete(holder);
    vSemaphoreDelete(mutex);
}

TEST(Kernel, TaskPrioritySetWhileInheritedChangesBase)
{
    TaskHandle_t holder = start_holder(KT_LOW - 1);
    TaskHandle_t waiter = test_task_create(waiter_task, "kt_waiter", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(KT_HIGH, uxTaskPriorityGet(holder));
    /* Lower than the inherited priority: only the base changes while the mutex is held. */
    vTaskPrioritySet(holder, KT_LOW);
    TEST_ASSERT_EQ(KT_HIGH, uxTaskPriorityGet(holder));
    TEST_ASSERT_EQ(KT_LOW, uxTaskBasePriorityGet(holder));
    (void)xTaskNotifyGive(holder);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, waiter_got);
    TEST_ASSERT_EQ(KT_LOW, uxTaskPriorityGet(holder));
    kt_delete(waiter);
    kt_delete(holder);
    vSemaphoreDelete(mutex);
}

static TaskHandle_t observed_holder;
static volatile UBaseType_t observed_priority;

/* Looks at the holder each tick until it shows the inherited priority (or for 10 ticks). */
static void observer_task(void *unused)
{
    (void)unused;
    for (int tick = 0; tick < 10 && observed_priority != TEST_CASE_PRIORITY; tick++) {
        vTaskDelay(1);
        observed_priority = uxTaskPriorityGet(observed_holder);
    }
    kt_park();
}

TEST(Kernel, TaskPriorityInheritanceEndsWhenWaiterTimesOut)
{
    TaskHandle_t holder = start_holder(KT_LOW - 1);
    observed_holder = holder;
    observed_priority = 0;
    /* The observer looks at the holder during our three-tick wait for the mutex. */
    TaskHandle_t observer = test_task_create(observer_task, "kt_observe", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(pdFALSE, xSemaphoreTake(mutex, 3));
    TEST_ASSERT_EQ(TEST_CASE_PRIORITY, observed_priority);
    TEST_ASSERT_EQ(KT_LOW - 1, uxTaskPriorityGet(holder));
    kt_delete(observer);
    /* A task holding a mutex cannot be deleted: let the holder give it back first. */
    (void)xTaskNotifyGive(holder);
    TEST_ASSERT_EQ(1, kt_wait_for_value(&holder_released, 1));
    kt_delete(holder);
    vSemaphoreDelete(mutex);
}
#endif /* configUSE_MUTEXES && configSUPPORT_STATIC_ALLOCATION */

/* ---- suspension ---- */

TEST(Kernel, TaskSuspendedIgnoresNotificationsUntilResumed)
{
    reset_reports();
    TaskHandle_t task = test_task_create(notified_counter_task, "kt_count", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    (void)xTaskNotifyGive(task);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, runs);
    vTaskSuspend(task);
    TEST_ASSERT_EQ(eSuspended, eTaskGetState(task));
    (void)xTaskNotifyGive(task);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_EQ(eSuspended, eTaskGetState(task));
    vTaskResume(task);
    KT_LET_HIGHER_RUN();
    /* The notification that came while it was suspended is still there to take. */
    TEST_ASSERT_EQ(2, runs);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    kt_delete(task);
}

TEST(Kernel, TaskSuspendSelfUntilResumed)
{
    reset_reports();
    TaskHandle_t task = test_task_create(suspend_self_task, "kt_sself", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, phase);
    TEST_ASSERT_EQ(eSuspended, eTaskGetState(task));
    vTaskDelay(2); /* nothing but a resume brings it back */
    TEST_ASSERT_EQ(1, phase);
    vTaskResume(task);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(2, phase);
    kt_delete(task);
}

TEST(Kernel, TaskSuspendDoesNotNest)
{
    reset_reports();
    TaskHandle_t task = test_task_create(suspend_self_task, "kt_twice", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    vTaskSuspend(task);
    vTaskSuspend(task);
    vTaskResume(task); /* one resume undoes any number of suspends */
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(2, phase);
    kt_delete(task);
}

TEST(Kernel, TaskResumeOfUnsuspendedTaskIsIgnored)
{
    reset_reports();
    TaskHandle_t task = test_task_create(long_delay_task, "kt_sleep", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    vTaskResume(task);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(0, phase);
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(task));
    kt_delete(task);
}

TEST(Kernel, TaskSuspendWhileDelayedEndsTheDelayOnResume)
{
    reset_reports();
    TaskHandle_t task = test_task_create(long_delay_task, "kt_susdel", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    vTaskSuspend(task);
    TEST_ASSERT_EQ(eSuspended, eTaskGetState(task));
    vTaskResume(task);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, phase);
    kt_delete(task);
}

static volatile BaseType_t isr_resume_result;

static void resume_in_isr(void *task)
{
    isr_resume_result = xTaskResumeFromISR((TaskHandle_t)task);
    portYIELD_FROM_ISR(isr_resume_result);
}

TEST(Kernel, TaskResumeFromIsrSwitchesToHigherTask)
{
    reset_reports();
    TaskHandle_t task = test_task_create(suspend_self_task, "kt_isrres", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(1, phase);
    test_run_in_isr(resume_in_isr, task);
    TEST_ASSERT_EQ(pdTRUE, isr_resume_result);
    /* The switch requested by the ISR happened on its return, before we ran again. */
    TEST_ASSERT_EQ(2, phase);
    kt_delete(task);
}

TEST(Kernel, TaskResumeFromIsrOfLowerTaskNeedsNoSwitch)
{
    reset_reports();
    TaskHandle_t task = test_task_create(suspend_self_task, "kt_isrlow", KT_STACK, NULL, KT_LOW);
    TEST_ASSERT_EQ(eSuspended, kt_wait_for_state(task, eSuspended));
    TEST_ASSERT_EQ(1, phase);
    test_run_in_isr(resume_in_isr, task);
    TEST_ASSERT_EQ(pdFALSE, isr_resume_result);
    TEST_ASSERT_EQ(1, phase);
    TEST_ASSERT_EQ(eReady, eTaskGetState(task));
    /* Resuming a task that is not suspended does nothing and asks for no switch. */
    test_run_in_isr(resume_in_isr, task);
    TEST_ASSERT_EQ(pdFALSE, isr_resume_result);
    TEST_ASSERT_EQ(2, kt_wait_for_value(&phase, 2));
    kt_delete(task);
}

/* ---- states ---- */

/* Waits for notifications forever, whatever ends each wait. */
static void notify_loop_task(void *unused)
{
    (void)unused;
    for (;;) {
        (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    }
}

static void notify_wait_forever_task(void *unused)
{
    (void)unused;
    (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    phase = 1;
    kt_park();
}

TEST(Kernel, TaskStateRunningReadyBlocked)
{
    reset_reports();
    TEST_ASSERT_EQ(eRunning, eTaskGetState(xTaskGetCurrentTaskHandle()));
    TaskHandle_t ready = test_task_create(kt_park_task, "kt_ready", KT_STACK, NULL, KT_LOW);
    TaskHandle_t delayed = test_task_create(long_delay_task, "kt_delayed", KT_STACK, NULL, KT_HIGH);
    TaskHandle_t waiting = test_task_create(notify_wait_forever_task, "kt_forever", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eReady, eTaskGetState(ready));
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(delayed));
    /* Waiting without a timeout is still blocked, not suspended. */
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(waiting));
    kt_delete(ready);
    kt_delete(delayed);
    kt_delete(waiting);
}

TEST(Kernel, TaskStateSuspendedWhileBlocked)
{
    reset_reports();
    TaskHandle_t waiting = test_task_create(notify_loop_task, "kt_loop", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_EQ(eBlocked, eTaskGetState(waiting));
    vTaskSuspend(waiting);
    TEST_ASSERT_EQ(eSuspended, eTaskGetState(waiting));
    vTaskResume(waiting);
    KT_LET_HIGHER_RUN();
    TEST_ASSERT_NE(eSuspended, eTaskGetState(waiting));
    kt_delete(waiting);
}

#if configSUPPORT_DYNAMIC_ALLOCATION
TEST(Kernel, TaskStateDeletedBeforeCleanup)
{
    reset_reports();
    TaskHandle_t task = test_task_create(self_deleting_task, "kt_gone", KT_STACK, NULL, KT_HIGH);
    KT_LET_HIGHER_RUN();
    /* The idle task has not run since (we never blocked), so the handle is still valid. */
    TEST_ASSERT_EQ(1, runs);
    TEST_ASSERT_EQ(eDeleted, eTaskGetState(task));
    vTaskDelay(2);
}
#endif
