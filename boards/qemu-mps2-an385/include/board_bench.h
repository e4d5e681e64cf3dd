/* Alder qemu-mps2-an385 board: the instruction counter the kernel benchmarks read (CMSDK APB timer0).
 * It must never be used outside benchmarks: it takes timer0 for itself. */
#ifndef ALDER_BOARD_BENCH_H
#define ALDER_BOARD_BENCH_H

#include <stdint.h>

/*
 * Under QEMU with -icount shift=0,align=off,sleep=off every instruction is exactly 1 ns of
 * virtual time, and timer0 counts down at the 25 MHz system clock: one count is 40 instructions,
 * the same on every run of the same binary. The benchmark divides counts by the iterations.
 */
#define BOARD_BENCH_INSTRUCTIONS_PER_COUNT 40u

#define BOARD_TIMER0_CTRL (*(volatile uint32_t *)0x40000000u)
#define BOARD_TIMER0_VALUE (*(volatile uint32_t *)0x40000004u)
#define BOARD_TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)

static inline void board_bench_counter_start(void)
{
    BOARD_TIMER0_CTRL = 0;
    BOARD_TIMER0_RELOAD = 0xFFFFFFFFu;
    BOARD_TIMER0_VALUE = 0xFFFFFFFFu;
    BOARD_TIMER0_CTRL = 1u; /* enable, system clock, no interrupt */
}

/* An up-counting view of the down-counter. */
static inline uint32_t board_bench_counter(void)
{
    return ~BOARD_TIMER0_VALUE;
}

/* Command-line options a run needs for deterministic instruction counting. */
#define BOARD_BENCH_RUN_OPTIONS "-icount shift=0,align=off,sleep=off"

#endif /* ALDER_BOARD_BENCH_H */
