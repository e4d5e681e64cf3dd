/* Alder posix board: the smallest real program on the port: two tasks, a queue ping-pong, a delay, the end.
 * It must never need anything but the public kernel API and the board's default configuration. */
#include <stdio.h>
#include <stdlib.h>

#include "FreeRTOS.h"
#include "posix_port.h"
#include "queue.h"
#include "task.h"

#define ROUNDS 100000

static QueueHandle_t ping_queue, pong_queue;
static volatile int failures;
static volatile TickType_t delay_ticks;

static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        posix_console_print(what);
        posix_console_print(": FAILED\n");
    }
}

static void pong_task(void *unused)
{
    (void)unused;
    for (;;) {
        uint32_t value;
        if (xQueueReceive(ping_queue, &value, portMAX_DELAY) == pdPASS) {
            value++;
            (void)xQueueSend(pong_queue, &value, portMAX_DELAY);
        }
    }
}

static void ping_task(void *unused)
{
    char line[160];
    (void)unused;
    const TickType_t start = xTaskGetTickCount();
    vTaskDelay(pdMS_TO_TICKS(100));
    delay_ticks = xTaskGetTickCount() - start;
    check(delay_ticks >= pdMS_TO_TICKS(100) && delay_ticks <= pdMS_TO_TICKS(150), "vTaskDelay(100 ms)");

    const TickType_t ping_start = xTaskGetTickCount();
    const uint32_t start_us = posix_run_time_counter();
    uint32_t sum = 0;
    for (uint32_t i = 0; i < ROUNDS; i++) {
        uint32_t reply = 0;
        check(xQueueSend(ping_queue, &i, portMAX_DELAY) == pdPASS, "xQueueSend");
        check(xQueueReceive(pong_queue, &reply, portMAX_DELAY) == pdPASS && reply == i + 1, "ping-pong reply");
        sum += reply;
    }
    const uint32_t elapsed_us = posix_run_time_counter() - start_us;
    snprintf(line, sizeof(line), "%d queue ping-pong rounds in %u ticks (%.0f ns per round trip), "
             "vTaskDelay(100 ms) took %u ticks\n", ROUNDS, (unsigned)(xTaskGetTickCount() - ping_start),
             elapsed_us * 1000.0 / ROUNDS, (unsigned)delay_ticks);
    posix_console_print(line);
    check(sum == (uint32_t)ROUNDS * (ROUNDS + 1) / 2, "ping-pong sum");
    vTaskEndScheduler();
}

void vApplicationStackOverflowHook(TaskHandle_t task, char *name)
{
    (void)task;
    posix_console_print("stack overflow in ");
    posix_console_print(name);
    posix_console_print("\n");
    abort();
}

int main(void)
{
    ping_queue = xQueueCreate(1, sizeof(uint32_t));
    pong_queue = xQueueCreate(1, sizeof(uint32_t));
    check(ping_queue != NULL && pong_queue != NULL, "xQueueCreate");
    check(xTaskCreate(pong_task, "pong", configMINIMAL_STACK_SIZE, NULL, 2, NULL) == pdPASS, "xTaskCreate pong");
    check(xTaskCreate(ping_task, "ping", configMINIMAL_STACK_SIZE, NULL, 1, NULL) == pdPASS, "xTaskCreate ping");
    vTaskStartScheduler();
    printf("%s\n", failures == 0 ? "OK" : "FAIL");
    return failures == 0 ? 0 : 1;
}
