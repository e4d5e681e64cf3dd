/* Alder posix port: the tick (a host timer that signals the CPU thread), tickless idle in real and virtual time, the
 * run-time counter.
 * It must never let the kernel's tick count run ahead of ticks_accounted: every tick given is counted there first. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "port_internal.h"
#include "task.h"

static enum posix_time_mode time_mode = POSIX_TIME_DEFAULT;
static uint64_t epoch_ns;
static uint64_t period_ns;

/*
 * Tick bookkeeping, shared by the tick signal and the CPU's own code (one host thread, but the signal
 * may arrive between any two instructions):
 *   ticks_accounted = ticks given to the kernel so far (stepped, or owed to the tick ISR);
 *   ticks_skipped   = ticks given without host time passing (virtual time jumps);
 * so the kernel is owed host_ticks(now) + ticks_skipped - ticks_accounted.
 * Both sides move ticks_accounted with atomic operations, the tick signal by compare-and-swap.
 */
static uint64_t ticks_accounted;
static uint64_t ticks_skipped;
static uint32_t ticks_owed; /* given but not yet passed to xTaskIncrementTick by the tick ISR */

static uint32_t cpu_sleeping; /* the idle task sleeps in posix_suppress_ticks_and_sleep */
static uint32_t cpu_wake_seq; /* futex word the idle CPU waits on */
static int peripherals_active;

/* Two host timers whose signal goes to the CPU thread itself (SIGEV_THREAD_ID), like a core's
 * SysTick: no host thread wakes in between. The tick timer is periodic while the CPU runs, and
 * stops itself in a long idle sleep; the retry timer is one-shot. */
static timer_t tick_timer;
static timer_t retry_timer;
static int timers_created;
static uint32_t tick_stopped; /* the tick signal found the CPU asleep and stopped the timer */

uint64_t posix_now_ns(void)
{
    struct timespec now;
    (void)clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static struct timespec timespec_of(uint64_t ns)
{
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u)};
}

long posix_futex_wait(uint32_t *word, uint32_t seen, uint64_t deadline_ns)
{
    const struct timespec deadline = timespec_of(deadline_ns);
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline. */
    return syscall(SYS_futex, word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, seen, deadline_ns != 0 ? &deadline : NULL,
                   NULL, FUTEX_BITSET_MATCH_ANY);
}

void posix_futex_wake(uint32_t *word)
{
    (void)syscall(SYS_futex, word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
}

static uint64_t host_ticks(uint64_t now)
{
    return (now - epoch_ns) / period_ns;
}

/* Called masked or from the signal handler: the tick ISR runs at the unmask, or the handler takes it. */
static void owe_ticks(uint64_t count)
{
    (void)__atomic_fetch_add(&ticks_owed, (uint32_t)count, __ATOMIC_SEQ_CST);
    posix_set_pending(POSIX_TICK_LINE);
}

/* Give the kernel the ticks the host clock says it is owed, through the tick ISR. */
static void deliver_host_ticks(uint64_t now)
{
    uint64_t old = __atomic_load_n(&ticks_accounted, __ATOMIC_SEQ_CST);
    for (;;) {
        const uint64_t target = host_ticks(now) + __atomic_load_n(&ticks_skipped, __ATOMIC_SEQ_CST);
        if (target <= old) {
            return;
        }
        if (__atomic_compare_exchange_n(&ticks_accounted, &old, target, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            owe_ticks(target - old);
            return;
        }
    }
}

/* A tick interrupt is a pending bit, as on hardware: ticks that came while the host kept the CPU
 * from running (a loaded machine) count once, not as a burst. A burst would expire every timeout
 * at once, before any task the expiry concerns could run: a simulated CPU that the host pauses
 * must see time pause too. The kernel's tick count then falls behind host time by ticks_dropped. */
static void tick_isr(void)
{
    uint32_t count = __atomic_exchange_n(&ticks_owed, 0, __ATOMIC_SEQ_CST);
    if (count == 0) {
        return;
    }
    posix_stats.ticks++;
    posix_stats.ticks_dropped += count - 1u;
    if (xTaskIncrementTick() != pdFALSE) {
        portYIELD_FROM_ISR(pdTRUE);
    }
}

/* The tick timer's next expiry is the next tick boundary of the host clock, then every period. */
static void start_tick_timer(void)
{
    const struct itimerspec periodic = {.it_value =
                                            timespec_of(epoch_ns + (host_ticks(posix_now_ns()) + 1) * period_ns),
                                        .it_interval = timespec_of(period_ns)};
    (void)timer_settime(tick_timer, TIMER_ABSTIME, &periodic, NULL);
}

static void stop_timer(timer_t timer)
{
    const struct itimerspec stopped = {{0, 0}, {0, 0}};
    (void)timer_settime(timer, 0, &stopped, NULL);
}

/* In the signal handler: the tick timer fired. A sleeping CPU gets no ticks (step_over_sleep counts
 * the slept time): the first tick of a sleep stops the timer instead, and the wake restarts it. So a
 * short sleep costs no timer calls at all, and a long one a single signal. */
void posix_tick_signal(void)
{
    if (!__atomic_load_n(&cpu_sleeping, __ATOMIC_SEQ_CST)) {
        deliver_host_ticks(posix_now_ns());
        return;
    }
    stop_timer(tick_timer);
    __atomic_store_n(&tick_stopped, 1, __ATOMIC_SEQ_CST);
}

/* In the signal handler: signal again in `delay_ns` (timer_settime is async-signal-safe). */
void posix_arm_retry(uint32_t delay_ns)
{
    const struct itimerspec once = {.it_value = timespec_of(delay_ns), .it_interval = {0, 0}};
    (void)timer_settime(retry_timer, 0, &once, NULL);
}

void posix_cancel_retry(void)
{
    stop_timer(retry_timer);
}

/* In the signal handler, with an interrupt pending: if the CPU sleeps in idle, end the sleep. The
 * handler runs on the sleeping thread itself, so its futex wait sees the word change and returns. */
void posix_wake_idle_from_signal(void)
{
    if (__atomic_load_n(&cpu_sleeping, __ATOMIC_SEQ_CST)) {
        (void)__atomic_fetch_add(&cpu_wake_seq, 1, __ATOMIC_SEQ_CST);
    }
}

int posix_wake_idle_cpu(void)
{
    if (!__atomic_load_n(&cpu_sleeping, __ATOMIC_SEQ_CST)) {
        return 0;
    }
    (void)__atomic_fetch_add(&cpu_wake_seq, 1, __ATOMIC_SEQ_CST);
    posix_futex_wake(&cpu_wake_seq);
    return 1;
}

/* ---------------------------------------------------------------- start and stop */

static void config_error(const char *message)
{
    posix_console_print(message);
    exit(POSIX_EXIT_CONFIG_ERROR);
}

void posix_time_prepare(void)
{
    if (time_mode == POSIX_TIME_DEFAULT) {
        const char *choice = getenv("ALDER_TIME");
        if (choice == NULL || choice[0] == '\0' || strcmp(choice, "real") == 0) {
            time_mode = POSIX_TIME_REAL;
        } else if (strcmp(choice, "virtual") == 0) {
            time_mode = POSIX_TIME_VIRTUAL;
        } else {
            config_error("alder posix port: ALDER_TIME must be 'real' or 'virtual'\n");
        }
    }
    if (time_mode == POSIX_TIME_VIRTUAL && !configUSE_TICKLESS_IDLE) {
        config_error("alder posix port: virtual time (ALDER_TIME=virtual) needs configUSE_TICKLESS_IDLE 1 "
                     "in FreeRTOSConfig.h\n");
    }
}

static void create_cpu_timer(timer_t *timer, int kind)
{
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = posix_timer_signal_number();
    event.sigev_value.sival_int = kind;
    event._sigev_un._tid = posix_cpu_thread_id(); /* sigev_notify_thread_id, which glibc 2.36 does not name */
    if (timer_create(CLOCK_MONOTONIC, &event, timer) != 0) {
        config_error("alder posix port: cannot create the tick timer (timer_create)\n");
    }
}

/* On the CPU thread, after posix_interrupts_start. */
void posix_time_start(void)
{
    period_ns = 1000000000u / (uint64_t)configTICK_RATE_HZ;
    epoch_ns = posix_now_ns();
    ticks_accounted = 0;
    ticks_skipped = 0;
    ticks_owed = 0;
    cpu_sleeping = 0;
    posix_set_port_isr(POSIX_TICK_LINE, tick_isr);
    if (!timers_created) {
        create_cpu_timer(&tick_timer, POSIX_TIMER_TICK);
        create_cpu_timer(&retry_timer, POSIX_TIMER_RETRY);
        timers_created = 1;
    }
    start_tick_timer();
}

/* The timers stay (the scheduler may start again), stopped; a signal already on its way finds the
 * CPU not running and does nothing. */
void posix_time_stop(void)
{
    stop_timer(tick_timer);
    stop_timer(retry_timer);
}

int posix_set_time_mode(enum posix_time_mode mode)
{
    if (posix_cpu.running) {
        return -1;
    }
    time_mode = mode;
    return 0;
}

enum posix_time_mode posix_get_time_mode(void)
{
    return time_mode;
}

void posix_peripheral_begin(void)
{
    (void)__atomic_fetch_add(&peripherals_active, 1, __ATOMIC_SEQ_CST);
}

void posix_peripheral_end(void)
{
    (void)__atomic_fetch_sub(&peripherals_active, 1, __ATOMIC_SEQ_CST);
}

uint32_t posix_run_time_counter(void)
{
    static uint64_t first_ns;
    const uint64_t now = posix_now_ns();
    if (first_ns == 0) {
        first_ns = now;
    }
    return (uint32_t)((now - first_ns) / 1000u);
}

/* ---------------------------------------------------------------- tickless idle */

#if configUSE_TICKLESS_IDLE

/* Virtual time: nothing can happen before the next timeout, so go there at once. The last tick
 * goes through the tick ISR so the kernel's ordinary path wakes the task. */
static void jump_to_next_timeout(TickType_t expected)
{
    (void)__atomic_fetch_add(&ticks_accounted, (uint64_t)expected, __ATOMIC_SEQ_CST);
    (void)__atomic_fetch_add(&ticks_skipped, (uint64_t)expected, __ATOMIC_SEQ_CST);
    if (expected > 1) {
        vTaskStepTick((TickType_t)(expected - 1));
        posix_stats.ticks += expected - 1;
    }
    owe_ticks(1);
}

/* After a real sleep: step over the ticks that passed (the stopped tick timer gave none meanwhile),
 * keeping the last one for the tick ISR. */
static void step_over_sleep(TickType_t expected)
{
    const uint64_t now = posix_now_ns();
    uint64_t old = __atomic_load_n(&ticks_accounted, __ATOMIC_SEQ_CST);
    uint64_t step;
    do {
        const uint64_t target = host_ticks(now) + __atomic_load_n(&ticks_skipped, __ATOMIC_SEQ_CST);
        step = target > old ? target - old : 0;
        if (step > (uint64_t)expected - 1) {
            step = (uint64_t)expected - 1;
        }
    } while (step > 0 &&
             !__atomic_compare_exchange_n(&ticks_accounted, &old, old + step, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    if (step > 0) {
        vTaskStepTick((TickType_t)step);
        posix_stats.ticks += step;
    }
    deliver_host_ticks(now);
}

/* Stop the tick first: a tick signal already due is delivered as the stop returns, before the CPU
 * counts as sleeping, and the pending check below sees it. */
/* Until an interrupt, the deadline (0: none) or a wake. A signal with no interrupt to take (the tick
 * stopping itself) breaks the wait with EINTR: wait on. */
static void wait_for_interrupt(uint32_t seen, uint64_t deadline_ns)
{
    while (posix_futex_wait(&cpu_wake_seq, seen, deadline_ns) != 0 && errno == EINTR &&
           __atomic_load_n(&posix_cpu.irq_pending, __ATOMIC_SEQ_CST) == 0 &&
           __atomic_load_n(&cpu_wake_seq, __ATOMIC_SEQ_CST) == seen) {
    }
}

static void sleep_until_interrupt(TickType_t expected, int forever)
{
    __atomic_store_n(&cpu_sleeping, 1, __ATOMIC_SEQ_CST);
    const uint32_t seen = __atomic_load_n(&cpu_wake_seq, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&posix_cpu.irq_pending, __ATOMIC_SEQ_CST) == 0) {
        const uint64_t wake_tick = __atomic_load_n(&ticks_accounted, __ATOMIC_SEQ_CST) -
                                   __atomic_load_n(&ticks_skipped, __ATOMIC_SEQ_CST) + (uint64_t)expected;
        wait_for_interrupt(seen, forever ? 0 : epoch_ns + wake_tick * period_ns);
    }
    /* Step first, then let the tick signal deliver again: had it delivered the slept ticks in
     * between, they would reach the tick ISR as one burst, which counts once (tick_isr). */
    step_over_sleep(expected);
    __atomic_store_n(&cpu_sleeping, 0, __ATOMIC_SEQ_CST);
    if (__atomic_exchange_n(&tick_stopped, 0, __ATOMIC_SEQ_CST) != 0) {
        start_tick_timer();
    }
}

/* portSUPPRESS_TICKS_AND_SLEEP: called by the idle task with the scheduler suspended. */
void posix_suppress_ticks_and_sleep(TickType_t expected)
{
    posix_disable_interrupts();
    const eSleepModeStatus status = eTaskConfirmSleepModeStatus();
    const int interrupt_waiting = __atomic_load_n(&posix_cpu.irq_pending, __ATOMIC_SEQ_CST) != 0 ||
                                  __atomic_load_n(&ticks_owed, __ATOMIC_SEQ_CST) != 0;
    if (status != eAbortSleep && !interrupt_waiting && expected >= 2) {
        if (time_mode == POSIX_TIME_VIRTUAL && status == eStandardSleep &&
            __atomic_load_n(&peripherals_active, __ATOMIC_SEQ_CST) == 0) {
            jump_to_next_timeout(expected);
        } else {
            sleep_until_interrupt(expected, status == eNoTasksWaitingTimeout);
        }
    }
    posix_enable_interrupts();
}

#else

void posix_suppress_ticks_and_sleep(TickType_t expected)
{
    (void)expected;
}

#endif /* configUSE_TICKLESS_IDLE */
