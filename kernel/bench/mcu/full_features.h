/* Alder benchmark: the "full" kernel configuration the FreeRTOS anchor figures were measured with.
 * It must never differ between the benchmark images except in configASSERT and the stack check. */
#ifndef ALDER_BENCH_FULL_FEATURES_H
#define ALDER_BENCH_FULL_FEATURES_H

#define configUSE_PREEMPTION 1
#define configUSE_TIME_SLICING 1
#define configUSE_PORT_OPTIMISED_TASK_SELECTION 1
#define configMAX_PRIORITIES 8
#define configUSE_TIMERS 1
#define configTIMER_TASK_STACK_DEPTH 256
#define configUSE_MUTEXES 1
#define configUSE_RECURSIVE_MUTEXES 1
#define configUSE_COUNTING_SEMAPHORES 1
#define configUSE_EVENT_GROUPS 1
#define configUSE_STREAM_BUFFERS 1
#define configUSE_TASK_NOTIFICATIONS 1
#define configSUPPORT_STATIC_ALLOCATION 1
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#define configKERNEL_PROVIDED_STATIC_MEMORY 1
#define configUSE_TICKLESS_IDLE 0
#define configUSE_TRACE_FACILITY 0
#define configGENERATE_RUN_TIME_STATS 0
#define configQUEUE_REGISTRY_SIZE 0

#endif /* ALDER_BENCH_FULL_FEATURES_H */
