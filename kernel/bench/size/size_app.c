/* Alder footprint: a small program that calls every kernel feature its configuration enables.
 * It must never do anything but keep those features linked: `make size` measures the kernel in it. */
#include "FreeRTOS.h"
#include "event_groups.h"
#include "message_buffer.h"
#include "queue.h"
#include "semphr.h"
#include "stream_buffer.h"
#include "task.h"
#include "timers.h"

void board_exit(int status);

static volatile uint32_t sink;

#if configUSE_TIMERS
static void on_timer(TimerHandle_t timer)
{
    sink += (uint32_t)(uintptr_t)pvTimerGetTimerID(timer);
}
#endif

static void use_queues(void)
{
    QueueHandle_t queue = xQueueCreate(4, sizeof(uint32_t));
    uint32_t value = 1;
    (void)xQueueSend(queue, &value, 1);
    (void)xQueueReceive(queue, &value, 1);
    (void)xQueuePeek(queue, &value, 0);
    (void)xQueueSendFromISR(queue, &value, NULL);
    (void)xQueueReceiveFromISR(queue, &value, NULL);
    sink += uxQueueMessagesWaiting(queue);
    vQueueDelete(queue);
}

static void use_semaphores(void)
{
#if configUSE_MUTEXES
    SemaphoreHandle_t mutex = xSemaphoreCreateMutex();
    (void)xSemaphoreTake(mutex, 1);
    (void)xSemaphoreGive(mutex);
    vSemaphoreDelete(mutex);
#endif
#if configUSE_RECURSIVE_MUTEXES
    SemaphoreHandle_t recursive = xSemaphoreCreateRecursiveMutex();
    (void)xSemaphoreTakeRecursive(recursive, 1);
    (void)xSemaphoreGiveRecursive(recursive);
    vSemaphoreDelete(recursive);
#endif
#if configUSE_COUNTING_SEMAPHORES
    SemaphoreHandle_t counting = xSemaphoreCreateCounting(4, 0);
    (void)xSemaphoreGiveFromISR(counting, NULL);
    (void)xSemaphoreTake(counting, 1);
    vSemaphoreDelete(counting);
#endif
    SemaphoreHandle_t binary = xSemaphoreCreateBinary();
    (void)xSemaphoreGive(binary);
    (void)xSemaphoreTake(binary, 1);
    vSemaphoreDelete(binary);
}

static void use_other_objects(void)
{
#if configUSE_TIMERS
    TimerHandle_t timer = xTimerCreate("t", 10, pdTRUE, NULL, on_timer);
    (void)xTimerStart(timer, 0);
    (void)xTimerStop(timer, 0);
    (void)xTimerDelete(timer, 0);
#endif
#if configUSE_EVENT_GROUPS
    EventGroupHandle_t group = xEventGroupCreate();
    (void)xEventGroupSetBits(group, 1);
    sink += xEventGroupWaitBits(group, 1, pdTRUE, pdFALSE, 1);
    vEventGroupDelete(group);
#endif
#if configUSE_STREAM_BUFFERS
    uint8_t bytes[8] = {0};
    StreamBufferHandle_t stream = xStreamBufferCreate(32, 1);
    (void)xStreamBufferSend(stream, bytes, sizeof(bytes), 1);
    sink += xStreamBufferReceive(stream, bytes, sizeof(bytes), 1);
    vStreamBufferDelete(stream);
    MessageBufferHandle_t messages = xMessageBufferCreate(32);
    (void)xMessageBufferSend(messages, bytes, sizeof(bytes), 1);
    sink += xMessageBufferReceive(messages, bytes, sizeof(bytes), 1);
    vMessageBufferDelete(messages);
#endif
#if configUSE_TASK_NOTIFICATIONS
    (void)xTaskNotifyGive(xTaskGetCurrentTaskHandle());
    sink += ulTaskNotifyTake(pdTRUE, 1);
#endif
}

static void worker(void *unused)
{
    (void)unused;
    for (;;) {
        vTaskDelay(1);
    }
}

static void main_task(void *unused)
{
    (void)unused;
    TaskHandle_t helper;
    (void)xTaskCreate(worker, "w", configMINIMAL_STACK_SIZE, NULL, 1, &helper);
#if configSUPPORT_STATIC_ALLOCATION
    static StaticTask_t buffer;
    static StackType_t stack[configMINIMAL_STACK_SIZE];
    TaskHandle_t fixed = xTaskCreateStatic(worker, "s", configMINIMAL_STACK_SIZE, NULL, 1, stack, &buffer);
    vTaskDelete(fixed);
#endif
    use_queues();
    use_semaphores();
    use_other_objects();
    vTaskPrioritySet(helper, 2);
    vTaskSuspend(helper);
    vTaskResume(helper);
    vTaskDelete(helper);
    board_exit((int)(sink & 0));
}

int main(void)
{
    (void)xTaskCreate(main_task, "main", configMINIMAL_STACK_SIZE * 2, NULL, 3, NULL);
    vTaskStartScheduler();
    return 1;
}

void vApplicationStackOverflowHook(TaskHandle_t task, char *name)
{
    (void)task;
    (void)name;
    board_exit(2);
}
