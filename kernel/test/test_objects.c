/* Alder kernel tests: the helpers declared in test_objects.h.
 * It must never contain a test case or keep state from one case to the next beyond the log. */
#include "test_objects.h"

#include <setjmp.h>

#define LOG_CAPACITY 16

static volatile uint8_t log_ids[LOG_CAPACITY];
static volatile unsigned log_length;

TickType_t obj_ticks_since(TickType_t start)
{
    return xTaskGetTickCount() - start;
}

void obj_log_reset(void)
{
    log_length = 0;
}

static void log_append(unsigned id)
{
    if (log_length < LOG_CAPACITY) {
        log_ids[log_length] = (uint8_t)id;
        log_length++;
    }
}

void obj_log(unsigned id)
{
    /* helpers of equal priority may be time-sliced in the middle of an append */
    taskENTER_CRITICAL();
    log_append(id);
    taskEXIT_CRITICAL();
}

void obj_log_from_isr(unsigned id)
{
    UBaseType_t mask = taskENTER_CRITICAL_FROM_ISR();
    log_append(id);
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

void obj_park(void)
{
    for (;;) {
        vTaskSuspend(NULL);
    }
}

void obj_marker_task(void *arg)
{
    obj_log((unsigned)(uintptr_t)arg);
    obj_park();
}

void obj_task_delete(TaskHandle_t task)
{
    test_task_forget(task);
    vTaskDelete(task);
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
