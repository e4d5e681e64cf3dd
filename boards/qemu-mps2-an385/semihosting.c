/* Alder qemu-mps2-an385 board: the end of a run through semihosting, so QEMU's exit status is the run's verdict.
 * It must never return: whatever called it (a test verdict, a fault, an assert) has nothing left to do. */
#include <stdint.h>

#include "mps2_an385.h"

/* ARM semihosting: BKPT 0xAB with the operation in r0 and its argument in r1. SYS_EXIT_EXTENDED
 * takes a block {reason, status}; reason ADP_Stopped_ApplicationExit makes status the exit code. */
#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static void semihosting_call(uint32_t operation, const void *argument)
{
    register uint32_t r0 __asm("r0") = operation;
    register const void *r1 __asm("r1") = argument;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

void board_exit(int status)
{
    const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    __asm volatile("cpsid i" ::: "memory"); /* nothing may run after the verdict */
    semihosting_call(SEMIHOSTING_SYS_EXIT_EXTENDED, block);
    for (;;) { /* no semihosting host: stay here */
    }
}

/* newlib's exit() and abort() end here. */
void _exit(int status)
{
    board_exit(status);
}
