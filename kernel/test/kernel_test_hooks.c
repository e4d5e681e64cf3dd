/* Alder kernel tests: the application hooks of every Kernel test image, and the helpers kernel_test.h declares.
 * It must never block or call a kernel API from a hook that runs inside the kernel (switch, tick, allocator). */
#include "kernel_test.h"

#if configUSE_TIMERS
#include "timers.h"
#endif

volatile uint32_t kt_stack_overflow_count;
TaskHandle_t volatile kt_stack_overflow_task;
volatile uint32_t kt_stack_overflow_expected;
volatile uint32_t kt_malloc_failed_count;
volatile uint32_t kt_idle_hook_count;
volatile uint32_t kt_tick_hook_count;
volatile uint32_t kt_daemon_startup_count;
void (*volatile kt_tick_hook_fn)(void);
#if configSUPPORT_STATIC_ALLOCATION
StaticTask_t kt_static_tcb;
StackType_t kt_static_stack[KT_STACK];
#endif

void kt_reset_hooks(void)
{
    /* The tick hook reads the function pointer from an interrupt: clear it before the counters. */
    kt_tick_hook_fn = NULL;
    kt_stack_overflow_count = 0;
    kt_stack_overflow_task = NULL;
    kt_stack_overflow_expected = 0;
    kt_malloc_failed_count = 0;
    kt_idle_hook_count = 0;
    kt_tick_hook_count = 0;
}

/* ---- hooks ---- */

#if configCHECK_FOR_STACK_OVERFLOW > 0
void vApplicationStackOverflowHook(TaskHandle_t task, char *name)
{
    kt_stack_overflow_count++;
    kt_stack_overflow_task = task;
    if (!kt_stack_overflow_expected) {
        /* A real overflow has already damaged memory: nothing after it can be trusted. */
        alder_test_print("FATAL stack overflow in task ");
        alder_test_print(name);
        alder_test_print("\n");
        board_test_finish(1);
    }
}
#endif

#if configUSE_MALLOC_FAILED_HOOK
void vApplicationMallocFailedHook(void)
{
    kt_malloc_failed_count++;
}
#endif

#if configUSE_IDLE_HOOK
void vApplicationIdleHook(void)
{
    kt_idle_hook_count++;
}
#endif

#if configUSE_TICK_HOOK
void vApplicationTickHook(void)
{
    void (*fn)(void) = kt_tick_hook_fn;
    kt_tick_hook_count++;
    if (fn != NULL) {
        fn();
    }
}
#endif

#if configUSE_TIMERS && configUSE_DAEMON_TASK_STARTUP_HOOK
void vApplicationDaemonTaskStartupHook(void)
{
    kt_daemon_startup_count++;
}
#endif

#if configSUPPORT_STATIC_ALLOCATION
#if !(defined(configKERNEL_PROVIDED_STATIC_MEMORY) && configKERNEL_PROVIDED_STATIC_MEMORY)
void vApplicationGetIdleTaskMemory(StaticTask_t **tcb, StackType_t **stack, configSTACK_DEPTH_TYPE *words)
{
    static StaticTask_t idle_tcb;
    static StackType_t idle_stack[configMINIMAL_STACK_SIZE];
    *tcb = &idle_tcb;
    *stack = idle_stack;
    *words = configMINIMAL_STACK_SIZE;
}
#endif

#if configUSE_TIMERS
void vApplicationGetTimerTaskMemory(StaticTask_t **tcb, StackType_t **stack, configSTACK_DEPTH_TYPE *words)
{
    static StaticTask_t timer_tcb;
    static StackType_t timer_stack[configTIMER_TASK_STACK_DEPTH];
    *tcb = &timer_tcb;
    *stack = timer_stack;
    *words = configTIMER_TASK_STACK_DEPTH;
}
#endif
#endif

/* Run-time statistics in ticks, for boards without a faster counter (see the config). The
 * kernel reads it inside the context switch: the tick read must mask, never enter a critical
 * section, whose exit would unmask in the middle of the switch. A running total keeps it
 * monotonic when a 16-bit tick wraps. */
#if configGENERATE_RUN_TIME_STATS
uint32_t kt_run_time_counter(void)
{
    static uint32_t total;
    static TickType_t last;
    UBaseType_t mask = taskENTER_CRITICAL_FROM_ISR();
    TickType_t now = xTaskGetTickCountFromISR();
    total += (uint32_t)(TickType_t)(now - last);
    last = now;
    uint32_t result = total;
    taskEXIT_CRITICAL_FROM_ISR(mask);
    return result;
}
#endif

/* ---- helpers for cases ---- */

TickType_t kt_align_to_tick(void)
{
    vTaskDelay(1);
    return xTaskGetTickCount();
}

TickType_t kt_ticks_since(TickType_t start)
{
    return (TickType_t)(xTaskGetTickCount() - start);
}

void kt_spin_ticks(TickType_t ticks)
{
    const TickType_t start = xTaskGetTickCount();
    while (kt_ticks_since(start) < ticks) {
        portNOP();
    }
}

void kt_spin_loops(uint32_t loops)
{
    for (volatile uint32_t i = 0; i < loops; i++) {
    }
}

UBaseType_t kt_wait_for_task_count(UBaseType_t expected)
{
    for (int tick = 0; tick < 20 && uxTaskGetNumberOfTasks() != expected; tick++) {
        vTaskDelay(1);
    }
    return uxTaskGetNumberOfTasks();
}

uint32_t kt_wait_for_value(const volatile uint32_t *value, uint32_t expected)
{
    for (int tick = 0; tick < 20 && *value != expected; tick++) {
        vTaskDelay(1);
    }
    return *value;
}

eTaskState kt_wait_for_state(TaskHandle_t task, eTaskState state)
{
    for (int tick = 0; tick < 20 && eTaskGetState(task) != state; tick++) {
        vTaskDelay(1);
    }
    return eTaskGetState(task);
}

void kt_delete(TaskHandle_t task)
{
    test_task_forget(task);
    vTaskDelete(task);
}

void kt_park(void)
{
    for (;;) {
        vTaskSuspend(NULL);
    }
}

void kt_park_task(void *unused)
{
    (void)unused;
    kt_park();
}

void kt_block_task(void *unused)
{
    (void)unused;
    for (;;) {
        vTaskDelay(portMAX_DELAY);
    }
}

void kt_print_hex(const char *label, uint32_t value)
{
    char text[11] = "0x";
    for (int i = 0; i < 8; i++) {
        text[2 + i] = "0123456789ABCDEF"[(value >> (28 - 4 * i)) & 0xFu];
    }
    text[10] = '\0';
    alder_test_print(label);
    alder_test_print(text);
    alder_test_print("\n");
}
