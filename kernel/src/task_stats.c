/* Alder kernel: the human-readable task tables, vTaskList and vTaskGetRunTimeStats.
 * It must never use stdio: the kernel runs where there is no printf, so numbers are formatted here. */
#include <string.h>

#include "task_private.h"

#if configUSE_STATS_FORMATTING_FUNCTIONS && configUSE_TRACE_FACILITY && configSUPPORT_DYNAMIC_ALLOCATION

/* A bounded writer: text that does not fit is dropped, and the buffer stays terminated. */
struct text {
    char *buffer;
    size_t size;
    size_t used;
};

static void put_char(struct text *out, char c)
{
    if (out->used + 1 < out->size) {
        out->buffer[out->used++] = c;
        out->buffer[out->used] = '\0';
    }
}

static void put_string(struct text *out, const char *s)
{
    while (*s != '\0') {
        put_char(out, *s++);
    }
}

static void put_unsigned(struct text *out, uint64_t value)
{
    char digits[20];
    unsigned n = 0;
    do {
        digits[n++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0);
    while (n > 0) {
        put_char(out, digits[--n]);
    }
}

/* The name padded with spaces to the longest possible name, so columns line up. */
static void put_name(struct text *out, const char *name)
{
    size_t length = strlen(name);
    put_string(out, name);
    while (length++ < configMAX_TASK_NAME_LEN - 1) {
        put_char(out, ' ');
    }
}

static char state_letter(eTaskState state)
{
    static const char letters[] = {'X', 'R', 'B', 'S', 'D'};
    return (unsigned)state < sizeof(letters) ? letters[state] : '?';
}

/* A snapshot of every task, allocated from the kernel heap; NULL when it cannot be. */
static TaskStatus_t *snapshot(UBaseType_t *count, configRUN_TIME_COUNTER_TYPE *total)
{
    const UBaseType_t capacity = uxTaskGetNumberOfTasks();
    TaskStatus_t *entries = pvPortMalloc(capacity * sizeof(TaskStatus_t));
    if (entries != NULL) {
        *count = uxTaskGetSystemState(entries, capacity, total);
    }
    return entries;
}

void vTaskListTasks(char *buffer, size_t size)
{
    struct text out = {buffer, size, 0};
    UBaseType_t count = 0;
    configASSERT(buffer != NULL && size > 0);
    buffer[0] = '\0';
    TaskStatus_t *entries = snapshot(&count, NULL);
    for (UBaseType_t i = 0; entries != NULL && i < count; i++) {
        put_name(&out, entries[i].pcTaskName);
        put_char(&out, '\t');
        put_char(&out, state_letter(entries[i].eCurrentState));
        put_char(&out, '\t');
        put_unsigned(&out, entries[i].uxCurrentPriority);
        put_char(&out, '\t');
        put_unsigned(&out, entries[i].usStackHighWaterMark);
        put_char(&out, '\t');
        put_unsigned(&out, entries[i].xTaskNumber);
        put_string(&out, "\r\n");
    }
    vPortFree(entries);
}

void vTaskList(char *buffer)
{
    /* The classic interface has no size: the caller promises room for every line. */
    vTaskListTasks(buffer, (size_t)-1 / 2);
}

#if configGENERATE_RUN_TIME_STATS
void vTaskGetRunTimeStatistics(char *buffer, size_t size)
{
    struct text out = {buffer, size, 0};
    UBaseType_t count = 0;
    configRUN_TIME_COUNTER_TYPE total = 0;
    configASSERT(buffer != NULL && size > 0);
    buffer[0] = '\0';
    TaskStatus_t *entries = snapshot(&count, &total);
    const configRUN_TIME_COUNTER_TYPE hundredth = total / 100u;
    for (UBaseType_t i = 0; entries != NULL && i < count; i++) {
        put_name(&out, entries[i].pcTaskName);
        put_char(&out, '\t'); /* the FreeRTOS layout, which tools parse: \t time \t\t percent */
        put_unsigned(&out, entries[i].ulRunTimeCounter);
        put_string(&out, "\t\t");
        if (hundredth > 0 && entries[i].ulRunTimeCounter / hundredth > 0) {
            put_unsigned(&out, entries[i].ulRunTimeCounter / hundredth);
            put_char(&out, '%');
        } else {
            put_string(&out, "<1%");
        }
        put_string(&out, "\r\n");
    }
    vPortFree(entries);
}

void vTaskGetRunTimeStats(char *buffer)
{
    vTaskGetRunTimeStatistics(buffer, (size_t)-1 / 2);
}
#endif

#endif
