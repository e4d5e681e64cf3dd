/* Alder kernel tests: the helpers declared in test_objects.h.
 * It must never contain a test case or keep state from one case to the next beyond the log and pools. */
#include "test_objects.h"

#include <setjmp.h>

#define LOG_CAPACITY 16

static volatile uint8_t log_ids[LOG_CAPACITY];
static volatile unsigned log_length;

void obj_log_reset(void)
{
    log_length = 0;
}

void obj_log(unsigned id)
{
    /* masked, because helpers of equal priority may be time-sliced and ISRs log too */
    UBaseType_t mask = taskENTER_CRITICAL_FROM_ISR();
    if (log_length < LOG_CAPACITY) {
        log_ids[log_length] = (uint8_t)id;
        log_length++;
    }
    taskEXIT_CRITICAL_FROM_ISR(mask);
}

unsigned obj_log_count(void)
{
    return log_length;
}

uint32_t obj_log_digits(void)
{
    uint32_t digits = 0;
    for (unsigned i = 0; i < log_length && i < 9; i++) {
        digits = digits * 10u + log_ids[i];
    }
    return digits;
}

void obj_marker_task(void *arg)
{
    obj_log((unsigned)(uintptr_t)arg);
    kt_park();
}

TaskHandle_t obj_spawn(TaskFunction_t code, const char *name, void *arg, UBaseType_t priority)
{
    TaskHandle_t task = test_task_create(code, name, KT_STACK, arg, priority);
    KT_LET_HIGHER_RUN();
    return task;
}

BaseType_t obj_asserts(void (*fn)(void *arg), void *arg)
{
    jmp_buf target;
    volatile BaseType_t fired = pdFALSE;
    if (setjmp(target) == 0) {
        alder_test_arm_assert(&target);
        fn(arg);
        alder_test_disarm_assert();
    } else {
        fired = pdTRUE;
    }
    return fired;
}

void obj_fill(uint8_t *buffer, size_t length, uint8_t seed)
{
    for (size_t i = 0; i < length; i++) {
        buffer[i] = (uint8_t)(seed * 31u + i * 7u + 1u);
    }
}

/* ---- objects ---- */

static void *created(void *object)
{
    if (object == NULL) {
        TEST_FAIL("could not create a kernel object");
    }
    return object;
}

#if configSUPPORT_DYNAMIC_ALLOCATION

QueueHandle_t obj_queue(UBaseType_t length, UBaseType_t item_size)
{
    return created(xQueueCreate(length, item_size));
}

SemaphoreHandle_t obj_binary(void)
{
    return created(xSemaphoreCreateBinary());
}

#if configUSE_COUNTING_SEMAPHORES
SemaphoreHandle_t obj_counting(UBaseType_t max, UBaseType_t initial)
{
    return created(xSemaphoreCreateCounting(max, initial));
}
#endif

#if configUSE_MUTEXES
SemaphoreHandle_t obj_mutex(void)
{
    return created(xSemaphoreCreateMutex());
}
#endif

#if configUSE_RECURSIVE_MUTEXES
SemaphoreHandle_t obj_recursive_mutex(void)
{
    return created(xSemaphoreCreateRecursiveMutex());
}
#endif

#if configUSE_EVENT_GROUPS
EventGroupHandle_t obj_event_group(void)
{
    return created(xEventGroupCreate());
}
#endif

#if configUSE_STREAM_BUFFERS
StreamBufferHandle_t obj_stream(size_t size, size_t trigger, BaseType_t type)
{
    return created(xStreamBufferGenericCreate(size, trigger, type, NULL, NULL));
}
#endif

#if configUSE_TIMERS
TimerHandle_t obj_timer(const char *name, TickType_t period, BaseType_t auto_reload, void *id,
                        TimerCallbackFunction_t callback)
{
    return created(xTimerCreate(name, period, auto_reload, id, callback));
}
#endif

#else /* static pools */

static unsigned next_slot(unsigned *next)
{
    unsigned slot = *next;
    *next = (slot + 1u) % OBJ_POOL;
    return slot;
}

static StaticQueue_t queue_objects[OBJ_POOL];
static uint8_t queue_storage[OBJ_POOL][OBJ_QUEUE_BYTES];
static unsigned queue_next;

QueueHandle_t obj_queue(UBaseType_t length, UBaseType_t item_size)
{
    unsigned slot = next_slot(&queue_next);
    TEST_ASSERT(length * item_size <= OBJ_QUEUE_BYTES);
    uint8_t *storage = item_size != 0 ? queue_storage[slot] : NULL; /* none for a queue of tokens */
    return created(xQueueCreateStatic(length, item_size, storage, &queue_objects[slot]));
}

SemaphoreHandle_t obj_binary(void)
{
    return created(xSemaphoreCreateBinaryStatic(&queue_objects[next_slot(&queue_next)]));
}

#if configUSE_COUNTING_SEMAPHORES
SemaphoreHandle_t obj_counting(UBaseType_t max, UBaseType_t initial)
{
    return created(xSemaphoreCreateCountingStatic(max, initial, &queue_objects[next_slot(&queue_next)]));
}
#endif

#if configUSE_MUTEXES
SemaphoreHandle_t obj_mutex(void)
{
    return created(xSemaphoreCreateMutexStatic(&queue_objects[next_slot(&queue_next)]));
}
#endif

#if configUSE_RECURSIVE_MUTEXES
SemaphoreHandle_t obj_recursive_mutex(void)
{
    return created(xSemaphoreCreateRecursiveMutexStatic(&queue_objects[next_slot(&queue_next)]));
}
#endif

#if configUSE_EVENT_GROUPS
static StaticEventGroup_t group_objects[OBJ_POOL];
static unsigned group_next;

EventGroupHandle_t obj_event_group(void)
{
    return created(xEventGroupCreateStatic(&group_objects[next_slot(&group_next)]));
}
#endif

#if configUSE_STREAM_BUFFERS
static StaticStreamBuffer_t stream_objects[OBJ_POOL];
static uint8_t stream_storage[OBJ_POOL][OBJ_STREAM_BYTES + 1];
static unsigned stream_next;

StreamBufferHandle_t obj_stream(size_t size, size_t trigger, BaseType_t type)
{
    unsigned slot = next_slot(&stream_next);
    TEST_ASSERT(size <= OBJ_STREAM_BYTES);
    return created(
        xStreamBufferGenericCreateStatic(size, trigger, type, stream_storage[slot], &stream_objects[slot], NULL, NULL));
}
#endif

#if configUSE_TIMERS
static StaticTimer_t timer_objects[OBJ_POOL];
static unsigned timer_next;

TimerHandle_t obj_timer(const char *name, TickType_t period, BaseType_t auto_reload, void *id,
                        TimerCallbackFunction_t callback)
{
    return created(xTimerCreateStatic(name, period, auto_reload, id, callback, &timer_objects[next_slot(&timer_next)]));
}
#endif

#endif
