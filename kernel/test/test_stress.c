/* Alder kernel tests (Kernel group): a randomized stress run of many kernel operations at once, checked by invariants.
 * It must never depend on timing for its verdict, nor run unbounded: a fixed seed and a fixed number of steps. */
#include "kernel_test.h"
#include "queue.h"
#include "semphr.h"

/*
 * Four workers each take KT_STRESS_STEPS random steps: take a mutex and update a pair of
 * counters inside it, move tokens out of and back into a queue, notify one another, delay,
 * change their own priority, suspend and resume one another. The tick hook adds notifications
 * from interrupt context. The case itself is the checker, above them all: while they run it
 * checks what must hold at any instant (the pair is equal whenever the mutex is free, no two
 * holders, priorities in range); when they are done it checks what is conserved (every token
 * back exactly once, every notification either taken or still pending, one pair update per
 * successful critical section). The seed is printed; rebuild with -DKT_STRESS_SEED=<seed> to
 * replay a failure's choices (in virtual time the interleaving repeats too).
 */
#ifndef KT_STRESS_SEED
#define KT_STRESS_SEED 0x5EED1234u
#endif
#ifndef KT_STRESS_STEPS
#define KT_STRESS_STEPS 400
#endif

#define WORKERS 4
#define TOKENS 6
#define ALL_TOKENS ((1u << TOKENS) - 1u)
#define LOWEST_PRIORITY 1
#define HIGHEST_WORKER_PRIORITY TEST_CASE_PRIORITY
#define NOTE_INDEX 0
#define DONE_INDEX 1
#define PARK_INDEX 2
#define CHECK_LIMIT_TICKS 15000

struct worker {
    TaskHandle_t handle;
    uint32_t random;
    uint32_t held;     /* bit per token it holds */
    uint32_t sections; /* successful mutex sections */
    uint32_t notes_taken;
};

static struct worker workers[WORKERS];
static volatile uint32_t notes_sent[WORKERS]; /* by tasks and by the tick hook, in critical sections */
static TaskHandle_t volatile token_owner[TOKENS];
static TaskHandle_t volatile mutex_owner;
static volatile uint32_t pair_a;
static volatile uint32_t pair_b;
static volatile uint32_t violations;
static volatile uint32_t isr_random;
static TaskHandle_t checker;

static StaticSemaphore_t mutex_buffer;
static SemaphoreHandle_t mutex;
static StaticQueue_t queue_buffer;
static uint8_t queue_storage[TOKENS * sizeof(uint32_t)];
static QueueHandle_t tokens;

static void violation(void)
{
    taskENTER_CRITICAL();
    violations++;
    taskEXIT_CRITICAL();
}

static uint32_t other_than(unsigned self, uint32_t choice)
{
    return (self + 1u + choice % (WORKERS - 1u)) % WORKERS;
}

static void step_mutex_section(struct worker *me, uint32_t choice)
{
    if (xSemaphoreTake(mutex, choice % 3u) != pdPASS) {
        return;
    }
    if (mutex_owner != NULL) {
        violation();
    }
    mutex_owner = me->handle;
    const uint32_t before = pair_a;
    pair_a = before + 1u;
    if (choice & 8u) {
        taskYIELD(); /* let others find the mutex taken, and inherit */
    } else if (choice & 16u) {
        vTaskDelay(1);
    }
    pair_b++;
    if (pair_a != pair_b || mutex_owner != me->handle) {
        violation();
    }
    me->sections++;
    mutex_owner = NULL;
    if (xSemaphoreGive(mutex) != pdPASS) {
        violation();
    }
}

static void step_take_token(struct worker *me, uint32_t choice)
{
    uint32_t token = 0;
    if (xQueueReceive(tokens, &token, choice % 3u) != pdPASS) {
        return;
    }
    if (token >= TOKENS || token_owner[token] != NULL) {
        violation();
        return;
    }
    token_owner[token] = me->handle;
    me->held |= 1u << token;
}

static void step_return_token(struct worker *me)
{
    for (uint32_t token = 0; token < TOKENS; token++) {
        if (me->held & (1u << token)) {
            if (token_owner[token] != me->handle) {
                violation();
            }
            token_owner[token] = NULL;
            me->held &= ~(1u << token);
            /* The queue holds every token, so there is always room for one coming back. */
            if (xQueueSend(tokens, &token, 0) != pdPASS) {
                violation();
            }
            return;
        }
    }
}

static void step_notify(unsigned self, uint32_t choice)
{
    const uint32_t target = other_than(self, choice);
    taskENTER_CRITICAL();
    notes_sent[target]++;
    taskEXIT_CRITICAL();
    (void)xTaskNotifyGiveIndexed(workers[target].handle, NOTE_INDEX);
}

static void step_suspend_other(unsigned self, uint32_t choice)
{
    TaskHandle_t target = workers[other_than(self, choice)].handle;
    vTaskSuspend(target);
    if (choice & 8u) {
        taskYIELD();
    }
    vTaskResume(target);
}

static void step(unsigned self, struct worker *me)
{
    const uint32_t choice = test_random(&me->random);
    switch ((choice >> 8) % 8u) {
    case 0:
    case 1:
        step_mutex_section(me, choice);
        break;
    case 2:
        step_take_token(me, choice);
        break;
    case 3:
        step_return_token(me);
        break;
    case 4:
        step_notify(self, choice);
        break;
    case 5:
        me->notes_taken += ulTaskNotifyTakeIndexed(NOTE_INDEX, pdTRUE, choice % 2u);
        break;
    case 6:
        if (choice & 1u) {
            vTaskDelay(choice % 3u);
        } else {
            vTaskPrioritySet(NULL, LOWEST_PRIORITY + choice % HIGHEST_WORKER_PRIORITY);
        }
        break;
    default:
        step_suspend_other(self, choice);
        break;
    }
}

static void worker_task(void *arg)
{
    const unsigned self = (unsigned)(uintptr_t)arg;
    struct worker *me = &workers[self];
    for (int n = 0; n < KT_STRESS_STEPS; n++) {
        step(self, me);
    }
    while (me->held != 0) {
        step_return_token(me);
    }
    (void)xTaskNotifyGiveIndexed(checker, DONE_INDEX);
    for (;;) {
        (void)ulTaskNotifyTakeIndexed(PARK_INDEX, pdTRUE, portMAX_DELAY); /* a resume may end a wait */
    }
}

/* From the tick interrupt: a notification to a random worker, and a switch if it outranks. */
static void stress_tick(void)
{
    uint32_t random = isr_random;
    const uint32_t target = test_random(&random) % WORKERS;
    isr_random = random;
    BaseType_t woken = pdFALSE;
    notes_sent[target]++; /* tasks update it with interrupts masked, so this is atomic here */
    vTaskNotifyGiveIndexedFromISR(workers[target].handle, NOTE_INDEX, &woken);
    portYIELD_FROM_ISR(woken);
}

static void start_workers(uint32_t seed)
{
    uint32_t random = seed;
    vTaskSuspendAll(); /* every handle is known before any worker runs */
    for (unsigned i = 0; i < WORKERS; i++) {
        workers[i].random = test_random(&random) | 1u;
        workers[i].held = 0;
        workers[i].sections = 0;
        workers[i].notes_taken = 0;
        notes_sent[i] = 0;
        const UBaseType_t priority = LOWEST_PRIORITY + test_random(&random) % HIGHEST_WORKER_PRIORITY;
        workers[i].handle = test_task_create(worker_task, "kt_stress", KT_STACK, (void *)(uintptr_t)i, priority);
    }
    isr_random = test_random(&random) | 1u;
    kt_tick_hook_fn = stress_tick;
    (void)xTaskResumeAll();
}

/* What must hold whenever the checker looks, however the workers are interleaved. */
static void check_instant(void)
{
    if (xSemaphoreTake(mutex, 5) == pdPASS) {
        if (pair_a != pair_b || mutex_owner != NULL) {
            violation();
        }
        (void)xSemaphoreGive(mutex);
    }
    for (unsigned i = 0; i < WORKERS; i++) {
        const UBaseType_t priority = uxTaskPriorityGet(workers[i].handle);
        const UBaseType_t base = uxTaskBasePriorityGet(workers[i].handle);
        if (priority < LOWEST_PRIORITY || priority > KT_HIGHER || base > HIGHEST_WORKER_PRIORITY || priority < base ||
            eTaskGetState(workers[i].handle) == eDeleted) {
            violation();
        }
    }
}

/* Every token is back in the queue exactly once. */
static uint32_t drain_tokens(void)
{
    uint32_t seen = 0;
    uint32_t token = 0;
    while (xQueueReceive(tokens, &token, 0) == pdPASS) {
        if (token >= TOKENS || (seen & (1u << token))) {
            violation();
        } else {
            seen |= 1u << token;
        }
    }
    return seen;
}

TEST(Kernel, StressRandomKernelOperations)
{
    kt_print_hex("kernel stress seed ", KT_STRESS_SEED);
    kt_reset_hooks();
    violations = 0;
    pair_a = 0;
    pair_b = 0;
    mutex_owner = NULL;
    checker = xTaskGetCurrentTaskHandle();
    mutex = xSemaphoreCreateMutexStatic(&mutex_buffer);
    tokens = xQueueCreateStatic(TOKENS, sizeof(uint32_t), queue_storage, &queue_buffer);
    TEST_ASSERT_NOT_NULL(mutex);
    TEST_ASSERT_NOT_NULL(tokens);
    for (uint32_t token = 0; token < TOKENS; token++) {
        token_owner[token] = NULL;
        TEST_ASSERT_EQ(pdPASS, xQueueSend(tokens, &token, 0));
    }
    vTaskPrioritySet(NULL, KT_HIGHER);
    start_workers(KT_STRESS_SEED);

    const TickType_t start = xTaskGetTickCount();
    uint32_t finished = 0;
    while (finished < WORKERS && kt_ticks_since(start) < CHECK_LIMIT_TICKS) {
        finished += ulTaskNotifyTakeIndexed(DONE_INDEX, pdTRUE, 2);
        check_instant();
    }
    kt_tick_hook_fn = NULL;
    TEST_ASSERT_EQ(WORKERS, finished);
    TEST_ASSERT_EQ(0, violations);

    uint32_t sections = 0;
    for (unsigned i = 0; i < WORKERS; i++) {
        const uint32_t pending = ulTaskNotifyValueClearIndexed(workers[i].handle, NOTE_INDEX, 0xFFFFFFFFu);
        TEST_ASSERT_EQ(notes_sent[i], workers[i].notes_taken + pending);
        TEST_ASSERT_EQ(0, workers[i].held);
        sections += workers[i].sections;
    }
    TEST_ASSERT(sections > 0); /* the run did exercise the mutex */
    TEST_ASSERT_EQ(sections, pair_a);
    TEST_ASSERT_EQ(pair_a, pair_b);
    TEST_ASSERT_NULL(xSemaphoreGetMutexHolder(mutex));
    TEST_ASSERT_EQ(TOKENS, uxQueueMessagesWaiting(tokens));
    TEST_ASSERT_EQ(ALL_TOKENS, drain_tokens());
    TEST_ASSERT_EQ(0, violations);
    for (unsigned i = 0; i < WORKERS; i++) {
        kt_delete(workers[i].handle);
    }
    vSemaphoreDelete(mutex);
    vQueueDelete(tokens);
}
