/* Alder armv7m port: tickless idle on SysTick (portSUPPRESS_TICKS_AND_SLEEP).
 * It must never step the tick count past the kernel's next wake-up, nor leave SysTick stopped. */
#include "FreeRTOS.h"
#include "task.h"

#include "port_internal.h"

/* Shorter first periods than this are stretched by a period: SysTick needs a reload above zero,
 * and the few cycles of this code must not overrun it. */
#define MIN_FIRST_PERIOD 64u

static inline void mask_all(void)
{
    __asm volatile("cpsid i" ::: "memory");
}

static inline void unmask_all(void)
{
    __asm volatile("cpsie i" ::: "memory");
}

/* Start the regular tick again so that the next tick falls `into` cycles short of a full period:
 * the reload value is taken when the count starts, after which the normal reload applies. */
static void restart_tick(uint32_t into)
{
    uint32_t first = PORT_CYCLES_PER_TICK - into;
    if (first < MIN_FIRST_PERIOD) {
        first += PORT_CYCLES_PER_TICK;
    }
    port_systick_start(first);
    PORT_SYST_RVR = PORT_CYCLES_PER_TICK - 1u;
}

/* How many whole ticks the sleep covered, of which the kernel must be told; `into` receives the
 * cycles already run into the current tick. */
static uint32_t ticks_slept(uint32_t left, uint32_t sleep_cycles, uint32_t idle_ticks, uint32_t *into)
{
    const uint32_t now = PORT_SYST_CVR;
    const int tick_pending = (PORT_ICSR & PORT_ICSR_PENDSTSET) != 0;
    /* Cycles since the tick that preceded the sleep. When the wake-up interrupt is pending the
     * counter has wrapped once (a late wake-up may hide more wraps: those ticks are lost). */
    uint32_t total = (PORT_CYCLES_PER_TICK - left) + (sleep_cycles - 1u - now);
    if (tick_pending) {
        total += sleep_cycles;
    }
    uint32_t ticks = total / PORT_CYCLES_PER_TICK;
    *into = total % PORT_CYCLES_PER_TICK;
    if (tick_pending) {
        ticks--; /* the pending SysTick interrupt counts that one when it is taken */
    }
    return ticks < idle_ticks ? ticks : idle_ticks - 1u;
}

/*
 * PRIMASK, not BASEPRI, holds interrupts off while asleep: WFI wakes on an interrupt that PRIMASK
 * holds pending, but not on one that BASEPRI masks. So the sleep is decided and measured before
 * any ISR can run, and the kernel's own critical sections (vTaskStepTick) nest inside harmlessly.
 */
__attribute__((weak)) void vPortSuppressTicksAndSleep(TickType_t expected_idle_ticks)
{
    const uint32_t max_ticks = PORT_SYST_MAX_RELOAD / PORT_CYCLES_PER_TICK;
    const uint32_t idle_ticks = expected_idle_ticks < max_ticks ? (uint32_t)expected_idle_ticks : max_ticks;

    mask_all();
    PORT_SYST_CSR = PORT_SYST_CSR_CLOCK; /* stop the count: it is read and reprogrammed below */
    if (eTaskConfirmSleepModeStatus() == eAbortSleep || (PORT_ICSR & PORT_ICSR_PENDSTSET) != 0) {
        PORT_SYST_CSR = PORT_SYST_RUNNING; /* a tick is due or a task is ready: no sleep */
        unmask_all();
        return;
    }
    uint32_t left = PORT_SYST_CVR; /* cycles to the next tick */
    if (left == 0) {
        left = PORT_CYCLES_PER_TICK;
    }
    const uint32_t sleep_cycles = left + (idle_ticks - 1u) * PORT_CYCLES_PER_TICK;
    port_systick_start(sleep_cycles);

    TickType_t planned = (TickType_t)idle_ticks;
    configPRE_SLEEP_PROCESSING(planned);
    if (planned > 0) {
        __asm volatile("dsb\n\twfi\n\tisb" ::: "memory");
    }
    configPOST_SLEEP_PROCESSING(planned);

    PORT_SYST_CSR = PORT_SYST_CSR_CLOCK;
    uint32_t into;
    const uint32_t ticks = ticks_slept(left, sleep_cycles, idle_ticks, &into);
    restart_tick(into);
    vTaskStepTick((TickType_t)ticks);
    unmask_all();
}
