/* Alder posix port self-test: the port alone under a tiny fake scheduler, with an interrupt storm.
 * It must never use the real kernel (tasks.c): it checks the port before the kernel is trusted. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "FreeRTOS.h"
#include "posix_port.h"
#include "task.h"

#ifdef POSIX_HAVE_VALGRIND
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() (RUNNING_ON_VALGRIND != 0)
#else
#define UNDER_VALGRIND() 0
#endif

/* ---------------------------------------------------------------- the fake scheduler */

#define MAX_TASKS 8
#define STACK_WORDS (16 * 1024)

struct task_control *volatile pxCurrentTCB;
static StaticTask_t tcbs[MAX_TASKS];
static StackType_t *stacks[MAX_TASKS];
static volatile int task_done[MAX_TASKS];
static int task_count;
static volatile int tick_switches = 1; /* the tick ISR asks for a switch */
static volatile uint64_t fake_ticks;
static volatile uint64_t stepped_ticks;
static volatile eSleepModeStatus sleep_status = eStandardSleep;
static volatile int phase_stop; /* workers of the current phase end their loops */

static int index_of(struct task_control *tcb)
{
    return (int)(tcb - tcbs);
}

/* Round robin over the tasks that have not finished. */
void vTaskSwitchContext(void)
{
    int next = index_of(pxCurrentTCB);
    for (int tries = 0; tries < task_count; tries++) {
        next = (next + 1) % task_count;
        if (!task_done[next]) {
            pxCurrentTCB = &tcbs[next];
            return;
        }
    }
}

BaseType_t xTaskIncrementTick(void)
{
    fake_ticks++;
    return tick_switches ? pdTRUE : pdFALSE;
}

void vTaskStepTick(TickType_t ticks)
{
    fake_ticks += ticks;
    stepped_ticks += ticks;
}

eSleepModeStatus eTaskConfirmSleepModeStatus(void)
{
    return sleep_status;
}

static int fake_create(TaskFunction_t code, void *parameter)
{
    const int index = task_count;
    if (stacks[index] == NULL) {
        stacks[index] = aligned_alloc(16, STACK_WORDS * sizeof(StackType_t));
        portSTACK_ALLOCATED(stacks[index], STACK_WORDS * sizeof(StackType_t));
    }
    portENTER_CRITICAL();
    task_done[index] = 0;
    tcbs[index].top_of_stack = pxPortInitialiseStack(&stacks[index][STACK_WORDS - 1], code, parameter);
    task_count++;
    portEXIT_CRITICAL();
    return index;
}

/* A worker that is done never runs again; the controller (task 0) reclaims the slots. */
static void finish_task(void)
{
    task_done[index_of(pxCurrentTCB)] = 1;
    for (;;) {
        portYIELD();
    }
}

static void wait_for_workers(void)
{
    for (int i = 1; i < task_count; i++) {
        while (!task_done[i]) {
            portYIELD();
        }
    }
    portENTER_CRITICAL();
    task_count = 1;
    phase_stop = 0;
    portEXIT_CRITICAL();
}

/* ---------------------------------------------------------------- reporting */

static int tests_run, tests_failed;
static volatile uint64_t progress;
static volatile const char *phase = "start";

static void report(const char *name, int ok, const char *format, ...)
{
    char detail[256] = "";
    va_list args;
    va_start(args, format);
    (void)vsnprintf(detail, sizeof(detail), format, args);
    va_end(args);
    tests_run++;
    tests_failed += ok ? 0 : 1;
    printf("TEST(PosixPort, %s) %s%s%s\n", name, ok ? "PASS" : "FAIL ", ok ? "" : detail, "");
    if (ok && detail[0] != '\0') {
        printf("  %s\n", detail);
    }
    fflush(stdout);
}

static uint64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
    struct timespec pause = {.tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u)};
    while (nanosleep(&pause, &pause) != 0) {
    }
}

/* A hang is the failure the host-call rule exists to prevent: report it instead of waiting. */
static void *watchdog_main(void *unused)
{
    const unsigned limit_s = UNDER_VALGRIND() ? 120 : 20;
    uint64_t seen = progress;
    unsigned idle_s = 0;
    (void)unused;
    for (;;) {
        sleep_ns(1000000000u);
        idle_s = (progress == seen) ? idle_s + 1 : 0;
        seen = progress;
        if (idle_s >= limit_s) {
            printf("TEST(PosixPort, %s) FAIL no progress for %u s (deadlock?)\nFAIL\n", (const char *)phase, limit_s);
            fflush(stdout);
            _exit(1);
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- interrupt storm */

#define STORM_LINE 2u
static volatile int storm_on;
static volatile uint64_t storm_isrs;

static void storm_isr(void)
{
    storm_isrs++;
    portYIELD_FROM_ISR(pdTRUE);
}

/* 10 kHz: every interrupt asks for a switch, so tasks are cut anywhere in their loops. */
static void *storm_main(void *unused)
{
    (void)unused;
    for (;;) {
        if (storm_on) {
            posix_raise_interrupt(STORM_LINE);
        }
        sleep_ns(100000u);
    }
    return NULL;
}

/* ---------------------------------------------------------------- phase 1: registers survive */

struct soak_pattern {
    uint64_t gpr[13];
    uint64_t pad;
    uint8_t xmm[15][16];
    uint32_t mxcsr;
    uint32_t x87_control;
    uint32_t direction_flag;
} __attribute__((aligned(16)));

int selftest_register_soak(const struct soak_pattern *pattern, const volatile int *stop, uint64_t *iterations);

struct soak_job {
    struct soak_pattern pattern;
    int result;
    uint64_t iterations;
};

static void fill_pattern(struct soak_pattern *pattern, uint64_t seed, int variant)
{
    uint64_t x = seed;
    for (int i = 0; i < 13; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        pattern->gpr[i] = x;
    }
    for (int i = 0; i < 15; i++) {
        for (int b = 0; b < 16; b++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            pattern->xmm[i][b] = (uint8_t)(x >> 56);
        }
    }
    /* Different rounding, flush-to-zero and x87 precision per task, and DF set in one. Valgrind
     * emulates only the default floating-point modes, so it gets those. */
    if (UNDER_VALGRIND()) {
        pattern->mxcsr = 0x1f80u;
        pattern->x87_control = 0x037fu;
        pattern->direction_flag = variant ? 0x400u : 0;
        return;
    }
    pattern->mxcsr = variant ? (0x1f80u | 0x6000u | 0x8040u) : (0x1f80u | 0x2000u);
    pattern->x87_control = variant ? 0x0f7fu : 0x027fu;
    pattern->direction_flag = variant ? 0x400u : 0;
}

static void soak_task(void *parameter)
{
    struct soak_job *job = parameter;
    job->result = selftest_register_soak(&job->pattern, &phase_stop, &job->iterations);
    finish_task();
}

/* Float and integer work in C: the compiler keeps values in xmm and general registers. */
struct math_job {
    int mismatches;
    uint64_t rounds;
    double float_reference;
    uint64_t int_reference;
};

static double float_round(void)
{
    double sum = 0.0;
    float vector[64];
    for (int i = 0; i < 64; i++) {
        vector[i] = (float)i * 0.25f;
    }
    for (int i = 1; i < 2000; i++) {
        sum += 1.0 / ((double)i * (double)i) + (double)vector[i & 63] * 1e-9;
        vector[i & 63] = vector[i & 63] * 1.0001f + 0.5f;
    }
    return sum;
}

static uint64_t int_round(void)
{
    uint64_t x = 88172645463325252u, h = 0;
    for (int i = 0; i < 4000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        h = (h ^ x) * 1099511628211u + (uint64_t)i;
    }
    return h;
}

static void math_task(void *parameter)
{
    struct math_job *job = parameter;
    while (!phase_stop) {
        if (float_round() != job->float_reference || int_round() != job->int_reference) {
            job->mismatches++;
        }
        job->rounds++;
        progress++;
    }
    finish_task();
}

static uint64_t run_phase_for(uint64_t ms)
{
    struct posix_port_stats before, after;
    posix_get_stats(&before);
    phase_stop = 0;
    storm_on = 1;
    const uint64_t end = now_ns() + ms * 1000000u;
    while (now_ns() < end) {
        progress++;
        portYIELD();
    }
    phase_stop = 1;
    storm_on = 0;
    wait_for_workers();
    posix_get_stats(&after);
    return after.preemptions - before.preemptions;
}

static uint64_t phase_ms(void)
{
    return UNDER_VALGRIND() ? 1500 : 2000;
}

static void test_registers_survive_preemption(void)
{
    static struct soak_job soak[2];
    static struct math_job math;
    phase = "RegistersSurvivePreemption";
    for (int i = 0; i < 2; i++) {
        fill_pattern(&soak[i].pattern, 0x1234567u + (uint64_t)i * 977u, i);
        (void)fake_create(soak_task, &soak[i]);
    }
    math.float_reference = float_round();
    math.int_reference = int_round();
    (void)fake_create(math_task, &math);
    const uint64_t preemptions = run_phase_for(phase_ms());
    const int ok = soak[0].result == 0 && soak[1].result == 0 && math.mismatches == 0 && preemptions > (UNDER_VALGRIND() ? 0u : 100u) &&
                   soak[0].iterations > 0 && soak[1].iterations > 0 && math.rounds > 0;
    report("RegistersSurvivePreemption", ok,
           "soak results %d/%d after %llu/%llu passes, math mismatches %d in %llu rounds, %llu preemptions",
           soak[0].result, soak[1].result, (unsigned long long)soak[0].iterations,
           (unsigned long long)soak[1].iterations, math.mismatches, (unsigned long long)math.rounds,
           (unsigned long long)preemptions);
}

/* ---------------------------------------------------------------- phase 2: host calls never deadlock */

static FILE *devnull;

struct host_job {
    int index;
    uint64_t loops;
    uint64_t checksum;
};

/* A few microseconds of our own code between host calls, where preemption may cut in. */
static uint64_t short_work(uint64_t x)
{
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

static void host_task(void *parameter)
{
    struct host_job *job = parameter;
    char text[128];
    while (!phase_stop) {
        char *block = malloc(64 + (job->loops % 512));
        (void)snprintf(text, sizeof(text), "task %d loop %llu %f", job->index, (unsigned long long)job->loops,
                       (double)job->loops * 0.5);
        fprintf(devnull, "%s %p\n", text, (void *)block);
        printf("%s", "");
        free(block);
        job->checksum = short_work(job->checksum + 1);
        job->loops++;
        progress++;
    }
    finish_task();
}

static void test_host_calls_never_deadlock(void)
{
    static struct host_job jobs[3];
    phase = "HostCallsNeverDeadlock";
    devnull = fopen("/dev/null", "w");
    for (int i = 0; i < 3; i++) {
        jobs[i].loops = 0;
        jobs[i].index = i;
        (void)fake_create(host_task, &jobs[i]);
    }
    const uint64_t preemptions = run_phase_for(phase_ms());
    fclose(devnull);
    report("HostCallsNeverDeadlock", jobs[0].loops > 0 && jobs[1].loops > 0 && jobs[2].loops > 0,
           "%llu/%llu/%llu loops of malloc+snprintf+fprintf+free, %llu preemptions in our code",
           (unsigned long long)jobs[0].loops, (unsigned long long)jobs[1].loops, (unsigned long long)jobs[2].loops,
           (unsigned long long)preemptions);
}

/* ---------------------------------------------------------------- phase 3: interrupt semantics */

#define COUNT_LINE 3u
#define YIELD_LINE 4u
static volatile int count_isrs;
static volatile int isr_saw_inside;
static volatile int helper_runs;

static void count_isr(void)
{
    count_isrs++;
    isr_saw_inside = xPortIsInsideInterrupt() == pdTRUE && portIS_INSIDE_INTERRUPT();
}

static void yield_isr(void)
{
    portYIELD_FROM_ISR(pdTRUE);
}

static void helper_task(void *parameter)
{
    (void)parameter;
    while (!phase_stop) {
        helper_runs++;
        portYIELD();
    }
    finish_task();
}

static void *raise_from_thread(void *unused)
{
    (void)unused;
    posix_raise_interrupt(COUNT_LINE);
    return NULL;
}

/* Busy in our own code until `*counter` reaches `expected` or `limit_ns` passes. The clock is read
 * only now and then: a signal that lands inside clock_gettime (host code, and under valgrind a real
 * system call, where valgrind delivers most signals) must wait, so a loop that mostly reads the
 * clock would test the retry, not the interrupt. */
static int spin_until(volatile int *counter, int expected, uint64_t limit_ns)
{
    const uint64_t end = now_ns() + limit_ns;
    while (*counter < expected && now_ns() < end) {
        for (int i = 0; i < 100000 && *counter < expected; i++) {
            progress++;
        }
    }
    return *counter == expected;
}

static int wait_count(int expected)
{
    return spin_until(&count_isrs, expected, 5000000000u);
}

static void check_raise_semantics(int *failures)
{
    *failures += posix_install_interrupt(POSIX_TICK_LINE, count_isr) == -1 ? 0 : 1;
    *failures += posix_install_interrupt(POSIX_INTERRUPT_LINES, count_isr) == -1 ? 0 : 1;
    *failures += xPortIsInsideInterrupt() == pdFALSE ? 0 : 1;
    posix_raise_interrupt(COUNT_LINE); /* unmasked: runs before the call returns */
    *failures += (count_isrs == 1 && isr_saw_inside) ? 0 : 10;
    portENTER_CRITICAL();
    posix_raise_interrupt(COUNT_LINE);
    *failures += count_isrs == 1 ? 0 : 100;
    portEXIT_CRITICAL();
    *failures += count_isrs == 2 ? 0 : 100;
    posix_host_call_begin();
    posix_raise_interrupt(COUNT_LINE);
    *failures += count_isrs == 2 ? 0 : 1000;
    posix_host_call_end();
    *failures += count_isrs == 3 ? 0 : 1000;
    UBaseType_t was = portSET_INTERRUPT_MASK_FROM_ISR();
    posix_raise_interrupt(COUNT_LINE);
    *failures += count_isrs == 3 ? 0 : 10000;
    portCLEAR_INTERRUPT_MASK_FROM_ISR(was);
    *failures += count_isrs == 4 ? 0 : 10000;
    pthread_t thread;
    pthread_create(&thread, NULL, raise_from_thread, NULL); /* another thread: the signal path */
    *failures += wait_count(5) ? 0 : 100000;
    pthread_join(thread, NULL);
}

static void test_interrupt_semantics(void)
{
    int failures = 0;
    phase = "InterruptSemantics";
    tick_switches = 0;
    phase_stop = 0;
    posix_install_interrupt(COUNT_LINE, count_isr);
    posix_install_interrupt(YIELD_LINE, yield_isr);
    fake_create(helper_task, (void *)(intptr_t)1);
    check_raise_semantics(&failures);
    /* A switch requested by an ISR happens at its exit, before raise returns. */
    const int runs = helper_runs;
    posix_raise_interrupt(YIELD_LINE);
    failures += helper_runs == runs + 1 ? 0 : 1000000;
    posix_raise_interrupt(COUNT_LINE);
    failures += helper_runs == runs + 1 ? 0 : 1000000;
    phase_stop = 1;
    wait_for_workers();
    tick_switches = 1;
    report("InterruptSemantics", failures == 0, "failure code %d", failures);
}

/* ---------------------------------------------------------------- phase 4: switch cost */

static void pong_task(void *parameter)
{
    (void)parameter;
    while (!phase_stop) {
        portYIELD();
    }
    finish_task();
}

static void test_switch_cost(void)
{
    const long rounds = UNDER_VALGRIND() ? 20000 : 2000000;
    phase = "SwitchCost";
    tick_switches = 0;
    phase_stop = 0;
    fake_create(pong_task, (void *)(intptr_t)1);
    struct posix_port_stats before, after;
    posix_get_stats(&before);
    const uint64_t start = now_ns();
    for (long i = 0; i < rounds; i++) {
        portYIELD();
    }
    const uint64_t elapsed = now_ns() - start;
    posix_get_stats(&after);
    const uint64_t switches = after.switches - before.switches;
    phase_stop = 1;
    wait_for_workers();
    const uint64_t raise_start = now_ns();
    for (long i = 0; i < rounds; i++) {
        posix_raise_interrupt(COUNT_LINE);
    }
    const uint64_t raise_elapsed = now_ns() - raise_start;
    tick_switches = 1;
    progress++;
    report("SwitchCost", switches >= (uint64_t)(2 * rounds - 2),
           "%.1f ns per switch (portYIELD, %llu switches); %.1f ns per interrupt raised and run on the CPU thread",
           (double)elapsed / (double)switches, (unsigned long long)switches,
           (double)raise_elapsed / (double)rounds);
}

/* ---------------------------------------------------------------- phase 5: tickless idle */

struct sleep_result {
    uint64_t wall_ms;
    uint64_t ticks;
    uint64_t stepped;
};

/* The port gives up on a sleep when an interrupt is already pending, as a real idle loop would
 * simply call again; so does this. */
static struct sleep_result idle_sleep_once(TickType_t expected)
{
    struct sleep_result result;
    const uint64_t ticks_before = fake_ticks, stepped_before = stepped_ticks;
    const uint64_t start = now_ns();
    posix_suppress_ticks_and_sleep(expected);
    result.wall_ms = (now_ns() - start) / 1000000u;
    result.ticks = fake_ticks - ticks_before;
    result.stepped = stepped_ticks - stepped_before;
    progress++;
    return result;
}

static struct sleep_result idle_sleep(TickType_t expected)
{
    struct sleep_result total = {0, 0, 0};
    const int counted = count_isrs;
    for (int attempt = 0; attempt < 1000; attempt++) {
        struct sleep_result one = idle_sleep_once(expected);
        total.wall_ms += one.wall_ms;
        total.ticks += one.ticks;
        total.stepped += one.stepped;
        if (one.stepped > 0 || one.wall_ms >= 5 || count_isrs != counted) {
            break;
        }
    }
    return total;
}

static void *raise_later(void *unused)
{
    (void)unused;
    sleep_ns(20000000u);
    posix_raise_interrupt(COUNT_LINE);
    return NULL;
}

static void test_tickless_virtual(void)
{
    struct sleep_result jump = idle_sleep(500);
    report("TicklessVirtualJumps", jump.wall_ms < 50 && jump.stepped == 499 && jump.ticks >= 500,
           "500 idle ticks: %llu ms of wall time, %llu ticks (%llu stepped)", (unsigned long long)jump.wall_ms,
           (unsigned long long)jump.ticks, (unsigned long long)jump.stepped);
    posix_peripheral_begin();
    struct sleep_result real = idle_sleep(50);
    posix_peripheral_end();
    report("TicklessVirtualWaitsForPeripheral", real.wall_ms >= 45 && real.ticks >= 49,
           "50 idle ticks with a peripheral active: %llu ms, %llu ticks", (unsigned long long)real.wall_ms,
           (unsigned long long)real.ticks);
}

static void test_tickless_real(void)
{
    struct sleep_result real = idle_sleep(50);
    /* Under valgrind the kernel's tick count lags the host clock, so the sleep is shorter. */
    const int wall_ok = UNDER_VALGRIND() || (real.wall_ms >= 45 && real.wall_ms < 500);
    report("TicklessRealSleeps", wall_ok && real.ticks >= 49 && real.stepped > 0,
           "50 idle ticks: %llu ms, %llu ticks (%llu stepped)", (unsigned long long)real.wall_ms,
           (unsigned long long)real.ticks, (unsigned long long)real.stepped);
}

static void test_tickless(void)
{
    phase = "Tickless";
    tick_switches = 0;
    if (posix_get_time_mode() == POSIX_TIME_VIRTUAL) {
        test_tickless_virtual();
    } else {
        test_tickless_real();
    }
    /* An interrupt ends the sleep early, in either mode. */
    const int counted = count_isrs;
    pthread_t thread;
    pthread_create(&thread, NULL, raise_later, NULL);
    posix_peripheral_begin();
    struct sleep_result woken = idle_sleep(5000);
    posix_peripheral_end();
    pthread_join(thread, NULL);
    report("TicklessWokenByInterrupt", woken.wall_ms < 2000 && count_isrs == counted + 1,
           "woken after %llu ms", (unsigned long long)woken.wall_ms);
    tick_switches = 1;
}

/* ---------------------------------------------------------------- phase 6: descriptor interrupts */

#define FD_LINE 5u
static int fd_pipe[2] = {-1, -1};
static volatile int fd_bytes;

/* A device ISR: reads what is there without blocking, and must accept a call with nothing new. */
static void fd_isr(void)
{
    char buffer[16];
    ssize_t n;
    while ((n = read(fd_pipe[0], buffer, sizeof buffer)) > 0) {
        fd_bytes += (int)n;
    }
    count_isrs++;
}

static void *write_byte_later(void *delay_ns)
{
    sleep_ns((uint64_t)(uintptr_t)delay_ns);
    (void)write(fd_pipe[1], "x", 1);
    return NULL;
}

static int attach_result_off_cpu;

static void *attach_from_thread(void *unused)
{
    (void)unused;
    attach_result_off_cpu = posix_attach_fd_interrupt(fd_pipe[0], FD_LINE);
    return NULL;
}

static int wait_bytes(int expected, uint64_t limit_ns)
{
    return spin_until(&fd_bytes, expected, limit_ns);
}

static void check_attach_refusals(void)
{
    pthread_t thread;
    pthread_create(&thread, NULL, attach_from_thread, NULL);
    pthread_join(thread, NULL);
    const int bad_line = posix_attach_fd_interrupt(fd_pipe[0], POSIX_TICK_LINE) == -1 &&
                         posix_attach_fd_interrupt(fd_pipe[0], POSIX_INTERRUPT_LINES) == -1;
    const int bad_fd = posix_attach_fd_interrupt(-1, FD_LINE) == -1;
    report("FdInterruptRefusals", bad_line && bad_fd && attach_result_off_cpu == -1,
           "tick line or line 32: %s, descriptor -1: %s, from another thread: %d", bad_line ? "refused" : "taken",
           bad_fd ? "refused" : "taken", attach_result_off_cpu);
}

/* A busy CPU takes the descriptor's interrupt; a sleeping one wakes for it; cleared O_ASYNC masks it. */
static void test_fd_interrupt(void)
{
    phase = "FdInterrupt";
    tick_switches = 0;
    if (pipe2(fd_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        report("FdInterrupt", 0, "no pipe");
        return;
    }
    posix_install_interrupt(FD_LINE, fd_isr);
    check_attach_refusals();
    const int attached = posix_attach_fd_interrupt(fd_pipe[0], FD_LINE) == 0 &&
                         fcntl(fd_pipe[0], F_SETFL, O_NONBLOCK | O_ASYNC) == 0; /* routed, then enabled */
    pthread_t thread;
    pthread_create(&thread, NULL, write_byte_later, (void *)(uintptr_t)1000000u);
    const int busy_ok = wait_bytes(1, 5000000000u);
    pthread_join(thread, NULL);
    report("FdInterruptWhileBusy", attached && busy_ok, "attached: %d, bytes read by the ISR: %d", attached, fd_bytes);

    const int counted = count_isrs;
    pthread_create(&thread, NULL, write_byte_later, (void *)(uintptr_t)20000000u);
    posix_peripheral_begin();
    struct sleep_result woken = idle_sleep(5000);
    posix_peripheral_end();
    pthread_join(thread, NULL);
    report("FdInterruptWakesIdle", woken.wall_ms < 2000 && count_isrs > counted && fd_bytes == 2,
           "woken after %llu ms, bytes read by the ISR: %d", (unsigned long long)woken.wall_ms, fd_bytes);

    (void)fcntl(fd_pipe[0], F_SETFL, O_NONBLOCK); /* interrupt disabled at the source */
    (void)write(fd_pipe[1], "x", 1);
    const int masked_ok = !wait_bytes(3, 50000000u);
    (void)fcntl(fd_pipe[0], F_SETFL, O_NONBLOCK | O_ASYNC);
    (void)write(fd_pipe[1], "x", 1);
    const int unmasked_ok = wait_bytes(4, 5000000000u);
    report("FdInterruptMaskedAtSource", masked_ok && unmasked_ok,
           "no interrupt while O_ASYNC is clear: %s; after it is set again, bytes read: %d", masked_ok ? "yes" : "no",
           fd_bytes);
    close(fd_pipe[0]);
    close(fd_pipe[1]);
    posix_install_interrupt(FD_LINE, NULL);
    tick_switches = 1;
}

/* ---------------------------------------------------------------- controller and main */

static void controller_task(void *unused)
{
    (void)unused;
    test_registers_survive_preemption();
    test_host_calls_never_deadlock();
    test_interrupt_semantics();
    test_switch_cost();
    test_tickless();
    test_fd_interrupt();
    phase = "EndScheduler";
    vPortEndScheduler();
}

int main(void)
{
    pthread_t watchdog, storm;
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_create(&watchdog, NULL, watchdog_main, NULL);
    pthread_create(&storm, NULL, storm_main, NULL);
    posix_install_interrupt(STORM_LINE, storm_isr);
    fake_create(controller_task, NULL);
    pxCurrentTCB = &tcbs[0];
    xPortStartScheduler();
    struct posix_port_stats stats;
    posix_get_stats(&stats);
    report("EndSchedulerReturns", 1, "signals %llu, preemptions %llu, deferred in host code %llu, retries %llu, "
           "switches %llu, ticks %llu", (unsigned long long)stats.signals, (unsigned long long)stats.preemptions,
           (unsigned long long)stats.host_deferred, (unsigned long long)stats.retries,
           (unsigned long long)stats.switches, (unsigned long long)stats.ticks);
    printf("%d Tests %d Failures 0 Ignored\n%s\n", tests_run, tests_failed, tests_failed == 0 ? "OK" : "FAIL");
    return tests_failed == 0 ? 0 : 1;
}
