/* Alder kernel demo: a producer and a consumer share a queue, a timer beats, then the run-time tables print.
 * It must never run forever: it checks its own results, ends the scheduler and exits 0 on success. */
#include <stdio.h>

#include "FreeRTOS.h"
#include "alder_release.h"
#include "queue.h"
#include "task.h"
#include "timers.h"

#ifndef configPRINT_STRING
#error "the demo prints through configPRINT_STRING: the board's board_config.h must define it"
#endif

#if configMAX_PRIORITIES < 5
#error "the demo uses priorities 1 to 4: set configMAX_PRIORITIES to at least 5"
#endif

#define ITEMS 20
#define QUEUE_LENGTH 4
#define TASK_STACK (configMINIMAL_STACK_SIZE * 2)

static QueueHandle_t queue;
static TaskHandle_t supervisor;
static volatile unsigned heartbeats;
static volatile unsigned long busy_rounds;
static unsigned long received_sum;
static int demo_status = 1;

#ifdef DEMO_RUN_TIME_FROM_TICK_HOOK
volatile unsigned long demo_run_time_ticks;

void vApplicationTickHook(void)
{
    demo_run_time_ticks++;
}
#endif

static void say(const char *format, unsigned long a, unsigned long b)
{
    char line[96];
    snprintf(line, sizeof line, format, a, b);
    configPRINT_STRING(line);
}

void demo_assert_failed(const char *file, int line)
{
    char text[160];
    snprintf(text, sizeof text, "demo: assertion failed at %s:%d\n", file, line);
    configPRINT_STRING(text);
    taskDISABLE_INTERRUPTS();
    for (;;) {
    }
}

void vApplicationStackOverflowHook(TaskHandle_t task, char *name)
{
    (void)task;
    configPRINT_STRING("demo: stack overflow in ");
    configPRINT_STRING(name);
    configPRINT_STRING("\n");
    for (;;) {
    }
}

static void producer(void *arg)
{
    (void)arg;
    for (unsigned long item = 1; item <= ITEMS; item++) {
        /* Blocks whenever the consumer falls behind: the queue is the flow control. */
        xQueueSend(queue, &item, portMAX_DELAY);
        vTaskDelay(pdMS_TO_TICKS(25));
    }
    vTaskSuspend(NULL);
}

static void consumer(void *arg)
{
    (void)arg;
    for (unsigned count = 1; count <= ITEMS; count++) {
        unsigned long item;
        xQueueReceive(queue, &item, portMAX_DELAY);
        received_sum += item;
        if (count % 5 == 0) {
            say("consumer: %lu items, sum %lu\n", count, received_sum);
        }
    }
    xTaskNotifyGive(supervisor);
    vTaskSuspend(NULL);
}

/* Low-priority work, a slice per tick: it shows up in the statistics without starving the idle task. */
static void busy(void *arg)
{
    (void)arg;
    for (;;) {
        for (volatile int spin = 0; spin < 100000; spin++) {
        }
        busy_rounds++;
        vTaskDelay(1);
    }
}

static void heartbeat(TimerHandle_t timer)
{
    (void)timer;
    heartbeats++;
    say("timer: heartbeat %lu at tick %lu\n", heartbeats, (unsigned long)xTaskGetTickCount());
}

static void print_tables(void)
{
    static char table[1024];
    configPRINT_STRING("\nTask            State  Prio  Stack  Num\n");
    vTaskList(table);
    configPRINT_STRING(table);
    configPRINT_STRING("\nTask            Run time        Share\n");
    vTaskGetRunTimeStats(table);
    configPRINT_STRING(table);
}

static void supervise(void *arg)
{
    TimerHandle_t timer = arg;
    BaseType_t finished = ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(10000)) == 1;
    xTimerStop(timer, portMAX_DELAY);
    print_tables();
    unsigned long expected = (unsigned long)ITEMS * (ITEMS + 1) / 2;
    if (finished && received_sum == expected && heartbeats >= 2) {
        say("\ndemo: OK (%lu items summed to %lu)\n", (unsigned long)ITEMS, received_sum);
        demo_status = 0;
    } else {
        say("\ndemo: FAILED (sum %lu, heartbeats %lu)\n", received_sum, heartbeats);
    }
    vTaskEndScheduler();
    vTaskSuspend(NULL);
}

int main(void)
{
    /* First, before anything can fail: a console log then always says which release produced it. */
    configPRINT_STRING("Alder " ALDER_RELEASE " (" ALDER_COMPONENT_VERSIONS ")\n");
    queue = xQueueCreate(QUEUE_LENGTH, sizeof(unsigned long));
    TimerHandle_t timer = xTimerCreate("heartbeat", pdMS_TO_TICKS(100), pdTRUE, NULL, heartbeat);
    BaseType_t ok = queue != NULL && timer != NULL && xTimerStart(timer, 0) == pdPASS;
    ok = ok && xTaskCreate(supervise, "supervisor", TASK_STACK * 2, timer, 4, &supervisor) == pdPASS;
    ok = ok && xTaskCreate(consumer, "consumer", TASK_STACK, NULL, 3, NULL) == pdPASS;
    ok = ok && xTaskCreate(producer, "producer", TASK_STACK, NULL, 2, NULL) == pdPASS;
    ok = ok && xTaskCreate(busy, "busy", TASK_STACK, NULL, 1, NULL) == pdPASS;
    if (!ok) {
        configPRINT_STRING("demo: could not create its objects (heap too small?)\n");
        return 1;
    }
    configPRINT_STRING("Alder kernel demo: producer -> queue -> consumer, with a heartbeat timer\n");
    vTaskStartScheduler();
    return demo_status;
}
