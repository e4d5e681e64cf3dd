/* Alder benchmark: instructions per kernel path on a microcontroller board, counted, not timed.
 * It must never print a judgement: it prints one "BENCH name value" line per figure for the table maker. */
#include <stdint.h>
#include <string.h>

#include "FreeRTOS.h"
#include "board_bench.h"
#include "queue.h"
#include "semphr.h"
#include "task.h"

/*
 * Every path runs ITERATIONS times with the RTOS tick stopped (SysTick's interrupt disabled), so
 * nothing but the path itself executes. A path that ends in another task is measured as a sum of
 * per-iteration windows; between iterations a variable number of NOPs (0..39) shifts the phase of
 * the 40-instruction counter, so the rounding of each window averages out instead of biasing the
 * sum. The cost of reading the counter itself is measured the same way and subtracted.
 * Figures are printed in hundredths of an instruction.
 */

#define ITERATIONS 10000u
#define WORKER_STACK 256u
#define CREATED_STACK 128u
#define PRIO_BENCH 3u
#define PRIO_HIGH 4u

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u) /* ARMv7-M SysTick control and status */
#define SYST_CSR_TICKINT (1u << 1)

void board_exit(int status); /* the board ends the run (semihosting on QEMU) */

static QueueHandle_t queue_a;
static QueueHandle_t queue_b;
static TaskHandle_t bench_task_handle;
static volatile uint32_t window_start;
static volatile uint32_t window_sum;
static uint32_t read_cost; /* counts the two counter reads of a window take, times ITERATIONS */

/* ------------------------------------------------------------------ output */

static void print_unsigned(uint32_t value)
{
    char digits[11];
    unsigned n = 0;
    do {
        digits[n++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0);
    char text[12];
    for (unsigned i = 0; i < n; i++) {
        text[i] = digits[n - 1 - i];
    }
    text[n] = '\0';
    configPRINT_STRING(text);
}

/* counts over ITERATIONS -> hundredths of an instruction per iteration */
static void report(const char *name, uint32_t counts)
{
    const uint64_t hundredths = ((uint64_t)counts * BOARD_BENCH_INSTRUCTIONS_PER_COUNT * 100u) / ITERATIONS;
    configPRINT_STRING("BENCH ");
    configPRINT_STRING(name);
    configPRINT_STRING(" ");
    print_unsigned((uint32_t)hundredths);
    configPRINT_STRING("\n");
}

static void report_bytes(const char *name, uint32_t bytes)
{
    configPRINT_STRING("BENCH ");
    configPRINT_STRING(name);
    configPRINT_STRING(" ");
    print_unsigned(bytes * 100u); /* same unit convention as the instruction lines */
    configPRINT_STRING("\n");
}

/* ------------------------------------------------------------------ windows across tasks */

static inline void dither(uint32_t iteration)
{
    for (uint32_t i = iteration % BOARD_BENCH_INSTRUCTIONS_PER_COUNT; i > 0; i--) {
        __asm volatile("nop");
    }
}

static inline void window_open(void)
{
    window_start = board_bench_counter();
}

static inline void window_close(void)
{
    window_sum += board_bench_counter() - window_start;
}

static void measure_read_cost(void)
{
    window_sum = 0;
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        dither(i);
        window_open();
        window_close();
    }
    read_cost = window_sum;
}

static uint32_t window_result(void)
{
    return window_sum > read_cost ? window_sum - read_cost : 0;
}

/* ------------------------------------------------------------------ the paths */

static void yield_partner(void *unused)
{
    (void)unused;
    for (;;) {
        taskYIELD();
    }
}

static void bench_yield(void)
{
    TaskHandle_t partner;
    (void)xTaskCreate(yield_partner, "yield", WORKER_STACK, NULL, PRIO_BENCH, &partner);
    taskYIELD();
    const uint32_t start = board_bench_counter();
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        taskYIELD();
    }
    report("yield_round_trip", board_bench_counter() - start);
    vTaskDelete(partner);
}

/* Receives on queue_a; closes the window; echoes on queue_b when asked to. */
static void queue_receiver(void *echo)
{
    uint32_t value;
    for (;;) {
        (void)xQueueReceive(queue_a, &value, portMAX_DELAY);
        window_close();
        if (echo != NULL) {
            (void)xQueueSend(queue_b, &value, portMAX_DELAY);
        }
    }
}

static void bench_queue_wake(void)
{
    TaskHandle_t receiver;
    (void)xTaskCreate(queue_receiver, "qrx", WORKER_STACK, NULL, PRIO_HIGH, &receiver);
    window_sum = 0;
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        dither(i);
        window_open();
        (void)xQueueSend(queue_a, &i, portMAX_DELAY);
    }
    report("queue_wake_one_way", window_result());
    vTaskDelete(receiver);

    uint32_t value;
    (void)xTaskCreate(queue_receiver, "qecho", WORKER_STACK, (void *)1, PRIO_HIGH, &receiver);
    const uint32_t start = board_bench_counter();
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        (void)xQueueSend(queue_a, &i, portMAX_DELAY);
        (void)xQueueReceive(queue_b, &value, portMAX_DELAY);
    }
    report("queue_wake_round_trip", board_bench_counter() - start);
    vTaskDelete(receiver);
}

static void notify_receiver(void *echo)
{
    for (;;) {
        (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
        window_close();
        if (echo != NULL) {
            (void)xTaskNotifyGive(bench_task_handle);
        }
    }
}

static void bench_notify(void)
{
    TaskHandle_t receiver;
    (void)xTaskCreate(notify_receiver, "nrx", WORKER_STACK, NULL, PRIO_HIGH, &receiver);
    window_sum = 0;
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        dither(i);
        window_open();
        (void)xTaskNotifyGive(receiver);
    }
    report("notify_wake_one_way", window_result());
    vTaskDelete(receiver);

    (void)xTaskCreate(notify_receiver, "necho", WORKER_STACK, (void *)1, PRIO_HIGH, &receiver);
    const uint32_t start = board_bench_counter();
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        (void)xTaskNotifyGive(receiver);
        (void)ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    }
    report("notify_wake_round_trip", board_bench_counter() - start);
    vTaskDelete(receiver);
}

static void bench_no_blocking(void)
{
    SemaphoreHandle_t binary = xSemaphoreCreateBinary();
    SemaphoreHandle_t mutex = xSemaphoreCreateMutex();
    uint32_t value = 7;

    uint32_t start = board_bench_counter();
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        (void)xSemaphoreGive(binary);
        (void)xSemaphoreTake(binary, 0);
    }
    report("binary_give_take", board_bench_counter() - start);

    start = board_bench_counter();
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        (void)xSemaphoreTake(mutex, 0);
        (void)xSemaphoreGive(mutex);
    }
    report("mutex_take_give", board_bench_counter() - start);

    start = board_bench_counter();
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        (void)xQueueSend(queue_a, &value, 0);
        (void)xQueueReceive(queue_a, &value, 0);
    }
    report("queue_send_receive", board_bench_counter() - start);
    vSemaphoreDelete(binary);
    vSemaphoreDelete(mutex);
}

static void never_runs(void *unused)
{
    (void)unused;
    for (;;) {
    }
}

static void bench_create_delete(void)
{
    TaskHandle_t task;
    uint32_t start = board_bench_counter();
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        (void)xTaskCreate(never_runs, "c", CREATED_STACK, NULL, 1, &task);
        vTaskDelete(task);
    }
    report("create_delete_dynamic", board_bench_counter() - start);

    static StaticTask_t buffer;
    static StackType_t stack[CREATED_STACK];
    start = board_bench_counter();
    for (uint32_t i = 0; i < ITERATIONS; i++) {
        task = xTaskCreateStatic(never_runs, "s", CREATED_STACK, NULL, 1, stack, &buffer);
        vTaskDelete(task);
    }
    report("create_delete_static", board_bench_counter() - start);

    const size_t before = xPortGetFreeHeapSize();
    (void)xTaskCreate(never_runs, "m", CREATED_STACK, NULL, 1, &task);
    report_bytes("heap_per_task_128_words", (uint32_t)(before - xPortGetFreeHeapSize()));
    vTaskDelete(task);
    report_bytes("sizeof_static_task", (uint32_t)sizeof(StaticTask_t));
}

static void bench_task(void *unused)
{
    (void)unused;
    SYST_CSR &= ~SYST_CSR_TICKINT; /* no tick from here on: only the measured paths run */
    board_bench_counter_start();
    measure_read_cost();
    bench_yield();
    bench_queue_wake();
    bench_notify();
    bench_no_blocking();
    bench_create_delete();
    configPRINT_STRING("BENCH done 0\n");
    board_exit(0);
}

int main(void)
{
    queue_a = xQueueCreate(1, sizeof(uint32_t));
    queue_b = xQueueCreate(1, sizeof(uint32_t));
    if (queue_a == NULL || queue_b == NULL ||
        xTaskCreate(bench_task, "bench", WORKER_STACK, NULL, PRIO_BENCH, &bench_task_handle) != pdPASS) {
        configPRINT_STRING("BENCH cannot create its objects\n");
        board_exit(1);
    }
    vTaskStartScheduler();
    board_exit(1);
    return 1;
}

/* Hooks the configurations may ask for; a benchmark never expects them to run. */
void vApplicationStackOverflowHook(TaskHandle_t task, char *name)
{
    (void)task;
    configPRINT_STRING("BENCH stack overflow in ");
    configPRINT_STRING(name);
    configPRINT_STRING("\n");
    board_exit(2);
}
