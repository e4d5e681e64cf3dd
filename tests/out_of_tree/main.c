/* Out-of-tree application: exercises a broad slice of the kernel API through alder::rtos and checks it.
 * It must never print through stdio directly: it uses configPRINT_STRING like any portable application. */
#include <stdio.h>
#include <string.h>

#include "FreeRTOS.h"
#include "event_groups.h"
#include "message_buffer.h"
#include "queue.h"
#include "semphr.h"
#include "stream_buffer.h"
#include "task.h"
#include "timers.h"

#ifndef configPRINT_STRING
#define configPRINT_STRING(text) ((void)(text))
#endif

#define HELPER_STACK (configMINIMAL_STACK_SIZE * 2)
#define CHECK(cond) check((cond), #cond, __LINE__)

static int failures;
static int exit_status = 1;
static TaskHandle_t checker;

static void check(int ok, const char *what, int line)
{
    if (!ok) {
        char text[160];
        snprintf(text, sizeof text, "out_of_tree: line %d: check failed: %s\n", line, what);
        configPRINT_STRING(text);
        failures++;
    }
}

static void producer(void *arg)
{
    QueueHandle_t queue = arg;
    for (uint32_t i = 1; i <= 10; i++) {
        xQueueSend(queue, &i, portMAX_DELAY);
    }
    vTaskDelete(NULL);
}

static void check_queue(void)
{
    QueueHandle_t queue = xQueueCreate(3, sizeof(uint32_t));
    CHECK(queue != NULL);
    CHECK(xTaskCreate(producer, "producer", HELPER_STACK, queue, tskIDLE_PRIORITY + 1, NULL) == pdPASS);
    uint32_t sum = 0, value = 0;
    for (int i = 0; i < 10; i++) {
        CHECK(xQueueReceive(queue, &value, pdMS_TO_TICKS(1000)) == pdTRUE);
        sum += value;
    }
    CHECK(sum == 55);
    CHECK(xQueueReceive(queue, &value, 0) == pdFALSE);
    vTaskDelay(2); /* the idle task frees the producer before the queue goes */
    vQueueDelete(queue);
}

static void giver(void *arg)
{
    xSemaphoreGive((SemaphoreHandle_t)arg);
    vTaskDelete(NULL);
}

static void check_semaphores(void)
{
    SemaphoreHandle_t binary = xSemaphoreCreateBinary();
    CHECK(binary != NULL);
    CHECK(xSemaphoreTake(binary, 0) == pdFALSE);
    CHECK(xTaskCreate(giver, "giver", HELPER_STACK, binary, tskIDLE_PRIORITY + 1, NULL) == pdPASS);
    CHECK(xSemaphoreTake(binary, pdMS_TO_TICKS(1000)) == pdTRUE);

    SemaphoreHandle_t counting = xSemaphoreCreateCounting(3, 2);
    CHECK(uxSemaphoreGetCount(counting) == 2);
    CHECK(xSemaphoreGive(counting) == pdTRUE);
    CHECK(xSemaphoreGive(counting) == pdFALSE);
    CHECK(uxSemaphoreGetCount(counting) == 3);

    SemaphoreHandle_t mutex = xSemaphoreCreateMutex();
    CHECK(xSemaphoreTake(mutex, 0) == pdTRUE);
    CHECK(xSemaphoreGetMutexHolder(mutex) == xTaskGetCurrentTaskHandle());
    CHECK(xSemaphoreGive(mutex) == pdTRUE);
    CHECK(xSemaphoreGetMutexHolder(mutex) == NULL);

    SemaphoreHandle_t recursive = xSemaphoreCreateRecursiveMutex();
    CHECK(xSemaphoreTakeRecursive(recursive, 0) == pdTRUE);
    CHECK(xSemaphoreTakeRecursive(recursive, 0) == pdTRUE);
    CHECK(xSemaphoreGiveRecursive(recursive) == pdTRUE);
    CHECK(xSemaphoreGiveRecursive(recursive) == pdTRUE);
    CHECK(xSemaphoreGiveRecursive(recursive) == pdFALSE);
    vTaskDelay(2);
    vSemaphoreDelete(binary);
    vSemaphoreDelete(counting);
    vSemaphoreDelete(mutex);
    vSemaphoreDelete(recursive);
}

static void timer_fired(TimerHandle_t timer)
{
    UBaseType_t count = (UBaseType_t)(uintptr_t)pvTimerGetTimerID(timer) + 1;
    vTimerSetTimerID(timer, (void *)(uintptr_t)count);
    if (count == 3) {
        xTimerStop(timer, 0);
        xTaskNotifyGive(checker);
    }
}

static void check_timers(void)
{
    TimerHandle_t timer = xTimerCreate("tick3", pdMS_TO_TICKS(20), pdTRUE, (void *)0, timer_fired);
    CHECK(timer != NULL);
    TickType_t start = xTaskGetTickCount();
    CHECK(xTimerStart(timer, 0) == pdPASS);
    CHECK(ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(2000)) == 1);
    CHECK(xTaskGetTickCount() - start >= pdMS_TO_TICKS(60));
    CHECK((uintptr_t)pvTimerGetTimerID(timer) == 3);
    CHECK(xTimerIsTimerActive(timer) == pdFALSE);
    CHECK(xTimerDelete(timer, pdMS_TO_TICKS(100)) == pdPASS);
}

static void bit_setter(void *arg)
{
    EventGroupHandle_t group = arg;
    xEventGroupSetBits(group, 0x01);
    vTaskDelay(1);
    xEventGroupSetBits(group, 0x04);
    vTaskDelete(NULL);
}

static void check_event_groups(void)
{
    EventGroupHandle_t group = xEventGroupCreate();
    CHECK(group != NULL);
    CHECK(xTaskCreate(bit_setter, "bits", HELPER_STACK, group, tskIDLE_PRIORITY + 1, NULL) == pdPASS);
    EventBits_t bits = xEventGroupWaitBits(group, 0x05, pdTRUE, pdTRUE, pdMS_TO_TICKS(1000));
    CHECK((bits & 0x05) == 0x05);
    CHECK(xEventGroupGetBits(group) == 0);
    CHECK(xEventGroupWaitBits(group, 0x02, pdFALSE, pdFALSE, 0) == 0);
    vTaskDelay(2);
    vEventGroupDelete(group);
}

static void check_stream_and_message_buffers(void)
{
    char out[16];
    StreamBufferHandle_t stream = xStreamBufferCreate(32, 1);
    CHECK(xStreamBufferSend(stream, "alder", 5, 0) == 5);
    CHECK(xStreamBufferBytesAvailable(stream) == 5);
    CHECK(xStreamBufferReceive(stream, out, sizeof out, 0) == 5);
    CHECK(memcmp(out, "alder", 5) == 0);
    vStreamBufferDelete(stream);

    MessageBufferHandle_t messages = xMessageBufferCreate(64);
    CHECK(xMessageBufferSend(messages, "one", 3, 0) == 3);
    CHECK(xMessageBufferSend(messages, "three", 5, 0) == 5);
    CHECK(xMessageBufferReceive(messages, out, sizeof out, 0) == 3);
    CHECK(xMessageBufferReceive(messages, out, sizeof out, 0) == 5);
    CHECK(memcmp(out, "three", 5) == 0);
    CHECK(xMessageBufferIsEmpty(messages) == pdTRUE);
    vMessageBufferDelete(messages);
}

static void notifier(void *arg)
{
    xTaskNotify((TaskHandle_t)arg, 0xA5, eSetValueWithOverwrite);
    vTaskDelete(NULL);
}

static void check_notifications_and_tasks(void)
{
    uint32_t value = 0;
    CHECK(xTaskCreate(notifier, "notify", HELPER_STACK, checker, tskIDLE_PRIORITY + 1, NULL) == pdPASS);
    CHECK(xTaskNotifyWait(0, 0xffffffffu, &value, pdMS_TO_TICKS(1000)) == pdTRUE);
    CHECK(value == 0xA5);
    TickType_t before = xTaskGetTickCount();
    vTaskDelay(5);
    CHECK(xTaskGetTickCount() - before >= 5);
    CHECK(uxTaskPriorityGet(NULL) == tskIDLE_PRIORITY + 2);
    CHECK(strcmp(pcTaskGetName(NULL), "checker") == 0);
}

static void checker_task(void *arg)
{
    (void)arg;
    size_t heap_before = xPortGetFreeHeapSize();
    check_queue();
    check_semaphores();
    check_timers();
    check_event_groups();
    check_stream_and_message_buffers();
    check_notifications_and_tasks();
    vTaskDelay(5);
    CHECK(xPortGetFreeHeapSize() == heap_before);
    configPRINT_STRING(failures == 0 ? "out_of_tree: all checks passed\n" : "out_of_tree: FAILED\n");
    exit_status = failures == 0 ? 0 : 1;
    vTaskEndScheduler();
    vTaskDelete(NULL);
}

int main(void)
{
    if (xTaskCreate(checker_task, "checker", HELPER_STACK * 2, NULL, tskIDLE_PRIORITY + 2, &checker) != pdPASS) {
        return 1;
    }
    vTaskStartScheduler();
    return exit_status;
}
