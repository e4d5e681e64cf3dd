/* Alder posix board: the hardware facts of the simulator, included first by every FreeRTOSConfig.h for it.
 * It must never set application policy (features, priorities, hooks): the FreeRTOSConfig.h files do that. */
#ifndef ALDER_BOARD_CONFIG_H
#define ALDER_BOARD_CONFIG_H

#include "posix_port.h"

/* Nominal only: nothing on the host runs at a fixed clock. */
#define configCPU_CLOCK_HZ (1000000000UL)
#define configTICK_RATE_HZ 1000
/* The kernel heap is a static array in the program (8 MB): tasks' stacks live there. */
#define configTOTAL_HEAP_SIZE ((size_t)8 * 1024 * 1024)
/* In 8-byte words: 32 KB, enough for glibc's printf family plus an interrupt frame. */
#define configMINIMAL_STACK_SIZE 4096

/* Console: unbuffered, safe from tasks, ISRs and host threads. */
#define configPRINT_STRING(text) posix_console_print(text)

/* Run-time statistics count microseconds of the host's monotonic clock. */
#define portCONFIGURE_TIMER_FOR_RUN_TIME_STATS()
#define portGET_RUN_TIME_COUNTER_VALUE() posix_run_time_counter()

#endif /* ALDER_BOARD_CONFIG_H */
