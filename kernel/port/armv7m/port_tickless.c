/* Alder armv7m port: tickless idle on SysTick (portSUPPRESS_TICKS_AND_SLEEP).
 * It must never step the tick count past the kernel's next wake-up, nor leave SysTick stopped. */
#include "FreeRTOS.h"
#include "task.h"

#include "port_internal.h"

/* Cycles that have passed but that no tick has counted yet. After a sleep the tick restarts with
 * a full period from the moment of waking, not from the tick boundary that went by during the
 * sleep: the part of a period already run is kept here and counted at a later sleep, so the tick
 * count keeps up with real time however often other interrupts end a sleep early. (Restarting with a short first period
 * instead would need SysTick to take the short reload before a second write replaces it, which
 * QEMU does not promise.) */
static uint32_t lag;

static inline void mask_all(void)
{
    __asm volatile("cpsid i" ::: "memory");
}

static inline void unmask_all(void)
{
    __asm volatile("cpsie i" ::: "memory");
}

/* How many ticks the kernel must be told of after a sleep of `sleep_cycles` that began `left`
 * cycles before a tick boundary; at most idle_ticks - 1, the rest stays in `lag`. */
static uint32_t ticks_slept(uint32_t left, uint32_t sleep_cycles, uint32_t idle_ticks)
{
    const uint32_t now = PORT_SYST_CVR;
    const int tick_pending = (PORT_ICSR & PORT_ICSR_PENDSTSET) != 0;
    /* Cycles since the last counted tick. A pending wake-up interrupt means the counter wrapped
     * (once: a wake-up so late that it wrapped twice loses a sleep's worth of time). */
    uint32_t total = lag + (PORT_CYCLES_PER_TICK - left) + (sleep_cycles - 1u - now);
    if (tick_pending) {
        total += sleep_cycles;
    }
    uint32_t ticks = total / PORT_CYCLES_PER_TICK;
    lag = total % PORT_CYCLES_PER_TICK;
    if (tick_pending) {
        ticks--; /* the pending SysTick interrupt counts that one when it is taken */
    }
    if (ticks > idle_ticks - 1u) {
        lag += (ticks - (idle_ticks - 1u)) * PORT_CYCLES_PER_TICK; /* the kernel's next wake-up comes first */
        ticks = idle_ticks - 1u;
    }
    return ticks;
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
    if (idle_ticks == 0) {
        return;
    }

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
    const uint32_t ticks = ticks_slept(left, sleep_cycles, idle_ticks);
    port_systick_start(PORT_CYCLES_PER_TICK);
    vTaskStepTick((TickType_t)ticks);
    unmask_all();
}
