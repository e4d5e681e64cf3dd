/* Alder kernel: the task control block, public only so StaticTask_t has its exact size.
 * It must never be read or written outside kernel/src/tasks.c: every field is private. */
#ifndef ALDER_TASK_OBJECT_H
#define ALDER_TASK_OBJECT_H

#include "list.h"

struct task_control {
    volatile StackType_t *top_of_stack; /* first: the port saves the stack pointer here */
    ListItem_t state_node;              /* ready, delayed, blocked-forever, suspended or deleted list */
    ListItem_t event_node;              /* waiter list of an object, or the pending-ready list */
    StackType_t *stack_low;             /* lowest address of the stack (and of the heap block) */
    List_t *wait_list;                  /* the waiter list event_node is on, for re-sorting */
#if configUSE_MUTEXES
    UBaseType_t mutexes_held;
    uint8_t base_priority;
#endif
    uint8_t priority;
    uint8_t state; /* enum task_state in tasks.c */
    uint8_t flags; /* TASK_FLAG_* in tasks.c */
#if configUSE_TASK_NOTIFICATIONS
    uint8_t notify_state[configTASK_NOTIFICATION_ARRAY_ENTRIES];
    uint32_t notify_value[configTASK_NOTIFICATION_ARRAY_ENTRIES];
#endif
#if configNUM_THREAD_LOCAL_STORAGE_POINTERS > 0
    void *tls[configNUM_THREAD_LOCAL_STORAGE_POINTERS];
#endif
#if configUSE_TRACE_FACILITY
    UBaseType_t task_number; /* unique, assigned at creation */
    UBaseType_t trace_tag;   /* vTaskSetTaskNumber */
#endif
#if configGENERATE_RUN_TIME_STATS
    configRUN_TIME_COUNTER_TYPE run_time;
#endif
#if configUSE_APPLICATION_TASK_TAG
    BaseType_t (*tag)(void *);
#endif
    char name[configMAX_TASK_NAME_LEN];
};

#endif /* ALDER_TASK_OBJECT_H */
