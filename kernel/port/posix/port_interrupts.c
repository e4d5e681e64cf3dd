/* Alder posix port: interrupt lines, the interrupt signals, pending-work service, and host-call brackets.
 * It must never run kernel code inside the signal handler: the handler only redirects the task. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "port_internal.h"
#include "task.h"

#ifdef POSIX_HAVE_VALGRIND
#include <valgrind/memcheck.h>
#define MAKE_WRITABLE(address, bytes) VALGRIND_MAKE_MEM_UNDEFINED((address), (bytes))

#define FORGET_DEAD_STACK(sp)                                                                                          \
    do {                                                                                                               \
        if (RUNNING_ON_VALGRIND) {                                                                                     \
            posix_valgrind_forget_dead_stack(sp);                                                                      \
        }                                                                                                              \
    } while (0)
#else
#define MAKE_WRITABLE(address, bytes) ((void)0)
#define FORGET_DEAD_STACK(sp) ((void)0)
#endif

__thread int posix_on_cpu_thread;
struct posix_port_stats posix_stats;

static void (*volatile isr_table[POSIX_INTERRUPT_LINES])(void);
/* The CPU thread as the kernel knows it: signalled with one tgkill. pthread_kill would also block and restore every
 * signal around it (three more system calls per interrupt, a third of the simulator's cost at a 1 kHz tick). */
static pid_t cpu_process;
static pid_t cpu_thread;
static int timer_signal;     /* SIGRTMIN, read once: a real-time signal queues apart from the others */
static uint32_t fd_lines;    /* lines with a host descriptor attached (posix_attach_fd_interrupt) */
static uint32_t retry_armed; /* the retry timer is running */

/* The signal handler runs on its own stack, so task stacks need no room for signal frames. It
 * sits between two 4 MB unmapped guards: memcheck takes a stack pointer jump of more than 2 MB
 * as a change of stack, and a smaller one (into or out of the handler) as a push or pop that
 * would mark task frames unaddressable. The signal stack must not be a registered valgrind
 * stack either, or memcheck believes it is still current after the signal returns. */
#define SIGNAL_STACK_BYTES (64u * 1024u)
#define SIGNAL_STACK_GUARD_BYTES (4u * 1024u * 1024u)

static void *signal_stack_create(void)
{
    static char *stack;
    if (stack == NULL) {
        char *area = mmap(NULL, SIGNAL_STACK_BYTES + 2 * SIGNAL_STACK_GUARD_BYTES, PROT_NONE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (area == MAP_FAILED ||
            mprotect(area + SIGNAL_STACK_GUARD_BYTES, SIGNAL_STACK_BYTES, PROT_READ | PROT_WRITE) != 0) {
            posix_console_print("alder posix port: cannot map the signal stack\n");
            abort();
        }
        stack = area + SIGNAL_STACK_GUARD_BYTES;
    }
    return stack;
}

/* Bounds of the executable's code, from the linker. */
extern const char __executable_start[];
extern const char etext[];

static int may_take_now(void)
{
    return posix_cpu.masked == 0 && posix_cpu.in_isr == 0 && posix_cpu.host_depth == 0;
}

static void run_pending_isrs(void)
{
    uint32_t lines;
    posix_cpu.in_isr = 1;
    while ((lines = __atomic_exchange_n(&posix_cpu.irq_pending, 0, __ATOMIC_ACQ_REL)) != 0) {
        while (lines != 0) {
            const unsigned line = (unsigned)__builtin_ctz(lines);
            void (*isr)(void) = isr_table[line];
            lines &= lines - 1;
            if (isr != NULL) {
                isr();
            }
            posix_cpu.masked = 1; /* an ISR that unmasked by mistake must not be preempted here */
        }
    }
    posix_cpu.in_isr = 0;
}

/* The interrupts are being taken: a retry armed for them would only cost a host timer interrupt. */
static void cancel_retry(void)
{
    if (__atomic_exchange_n(&retry_armed, 0, __ATOMIC_SEQ_CST) != 0) {
        posix_cancel_retry();
    }
}

void posix_irq_dispatch(void)
{
    cancel_retry();
    run_pending_isrs();
    if (posix_cpu.switch_pending) {
        posix_cpu.switch_pending = 0;
        posix_stats.switches++;
        posix_context_switch();
    }
}

void posix_take_pending(void)
{
    if (!posix_on_cpu_thread || !posix_cpu.running) {
        return; /* before the scheduler starts, work waits for the first task's unmask */
    }
    while (may_take_now() && posix_has_pending_work()) {
        posix_cpu.masked = 1;
        portMEMORY_BARRIER();
        posix_irq_dispatch();
        portMEMORY_BARRIER();
        posix_cpu.masked = 0;
        portMEMORY_BARRIER();
    }
}

/* ---------------------------------------------------------------- the preemption signal */

static int is_preemptible_code(uintptr_t pc)
{
    if (pc < (uintptr_t)__executable_start || pc >= (uintptr_t)etext) {
        return 0; /* glibc, another shared library, the vDSO */
    }
    return pc < (uintptr_t)posix_port_asm_begin || pc >= (uintptr_t)posix_port_asm_end;
}

/* In the signal handler: the CPU is in host code, where the task may hold a library's lock, so the
 * interrupt waits. The task takes it at its next unmask (every kernel call unmasks), which cancels
 * the retry; a task that stays in host code (a loop around a host call) gets a retry signal. The
 * first comes after RETRY_FIRST_NS; each retry that again finds host code doubles the wait, up to a
 * tick. A fixed wait would livelock a CPU whose signal delivery takes longer than the wait (under
 * strace or valgrind, or on a loaded host): it would do nothing but take retries. */
#define RETRY_FIRST_NS 50000u
#define RETRY_LAST_NS 1000000u
static uint32_t retry_delay_ns = RETRY_FIRST_NS;

static void request_retry(int after_retry)
{
    posix_stats.host_deferred++;
    if ((__atomic_load_n(&posix_cpu.irq_pending, __ATOMIC_SEQ_CST) & ~(1u << POSIX_TICK_LINE)) == 0) {
        return; /* only the tick waits, and the next tick signal is its retry */
    }
    retry_delay_ns = !after_retry                          ? RETRY_FIRST_NS
                     : retry_delay_ns >= RETRY_LAST_NS / 2 ? RETRY_LAST_NS
                                                           : retry_delay_ns * 2u;
    if (__atomic_exchange_n(&retry_armed, 1, __ATOMIC_SEQ_CST) == 0) {
        posix_arm_retry(retry_delay_ns);
    }
}

/* Make the interrupted task call posix_irq_entry as if the interrupt had pushed a frame. */
static void redirect_to_irq_entry(ucontext_t *context)
{
    greg_t *regs = context->uc_mcontext.gregs;
    const uintptr_t below_red_zone = ((uintptr_t)regs[REG_RSP] - POSIX_RED_ZONE_BYTES) & ~(uintptr_t)15;
    uintptr_t *frame = (uintptr_t *)below_red_zone - 2;
    /* Valgrind did not see this stack pointer move: tell it the frame and the 128 bytes under it
     * (which it treats as the new red zone) are stack. */
    MAKE_WRITABLE((char *)frame - POSIX_RED_ZONE_BYTES, POSIX_RED_ZONE_BYTES + 2 * sizeof(*frame));
    frame[0] = (uintptr_t)regs[REG_RIP];
    frame[1] = (uintptr_t)regs[REG_RSP];
    regs[REG_RSP] = (greg_t)(uintptr_t)frame;
    regs[REG_RIP] = (greg_t)(uintptr_t)posix_irq_entry;
    posix_cpu.masked = 1;
    posix_stats.preemptions++;
}

static int is_retry(int signal_number, const siginfo_t *info)
{
    return signal_number == timer_signal && info->si_code == SI_TIMER && info->si_value.sival_int == POSIX_TIMER_RETRY;
}

/* What the signal says happened, as pending lines: a timer's tick or retry, or a descriptor's event.
 * Descriptor events share one standard signal, which the host merges while one is pending, so every
 * attached line is raised and each ISR finds out for itself, without blocking, what is new. */
static void note_signal_cause(int signal_number, const siginfo_t *info, int retry)
{
    if (retry) {
        __atomic_store_n(&retry_armed, 0, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&posix_cpu.irq_pending, __ATOMIC_SEQ_CST) != 0) {
            __atomic_fetch_add(&posix_stats.retries, 1, __ATOMIC_RELAXED);
        }
    } else if (signal_number == timer_signal && info->si_code == SI_TIMER) {
        posix_tick_signal();
    } else if (signal_number == POSIX_IO_SIGNAL) {
        (void)__atomic_fetch_or(&posix_cpu.irq_pending, __atomic_load_n(&fd_lines, __ATOMIC_SEQ_CST), __ATOMIC_SEQ_CST);
    }
}

static void on_interrupt_signal(int signal_number, siginfo_t *info, void *context)
{
    const int saved_errno = errno;
    posix_stats.signals++;
    FORGET_DEAD_STACK((uintptr_t)((ucontext_t *)context)->uc_mcontext.gregs[REG_RSP]);
    const int retry = is_retry(signal_number, info);
    note_signal_cause(signal_number, info, retry);
    if (__atomic_load_n(&posix_cpu.irq_pending, __ATOMIC_SEQ_CST) == 0) {
        errno = saved_errno;
        return;
    }
    posix_wake_idle_from_signal();
    /* Masked, in an ISR or in a host call: the unmask takes the interrupt, nothing to do here. */
    if (posix_cpu.running && may_take_now()) {
        ucontext_t *interrupted = context;
        if (is_preemptible_code((uintptr_t)interrupted->uc_mcontext.gregs[REG_RIP])) {
            redirect_to_irq_entry(interrupted);
        } else {
            request_retry(retry);
        }
    }
    errno = saved_errno;
}

/* The port's signals never interrupt one another's handler: each blocks them all. */
static void port_signal_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, POSIX_INTERRUPT_SIGNAL);
    sigaddset(set, POSIX_IO_SIGNAL);
    sigaddset(set, timer_signal);
}

void posix_interrupts_start(void)
{
    stack_t alternate = {.ss_sp = signal_stack_create(), .ss_size = SIGNAL_STACK_BYTES, .ss_flags = 0};
    struct sigaction action;
    sigset_t signals;

    cpu_process = getpid();
    cpu_thread = (pid_t)syscall(SYS_gettid);
    timer_signal = SIGRTMIN;
    retry_armed = 0; /* a retry timer stopped by vPortEndScheduler never fired */
    posix_on_cpu_thread = 1;
    (void)sigaltstack(&alternate, NULL);
    port_signal_set(&signals);
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = on_interrupt_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    action.sa_mask = signals;
    (void)sigaction(POSIX_INTERRUPT_SIGNAL, &action, NULL);
    (void)sigaction(POSIX_IO_SIGNAL, &action, NULL);
    (void)sigaction(timer_signal, &action, NULL);
    (void)pthread_sigmask(SIG_UNBLOCK, &signals, NULL);
}

pid_t posix_cpu_thread_id(void)
{
    return cpu_thread;
}

int posix_timer_signal_number(void)
{
    return timer_signal;
}

void posix_signal_cpu(void)
{
    if (posix_cpu.running) {
        (void)syscall(SYS_tgkill, cpu_process, cpu_thread, POSIX_INTERRUPT_SIGNAL);
    }
}

uint32_t posix_set_pending(unsigned line)
{
    return __atomic_fetch_or(&posix_cpu.irq_pending, (uint32_t)1 << line, __ATOMIC_SEQ_CST);
}

/* ---------------------------------------------------------------- public interface */

void posix_set_port_isr(unsigned line, void (*isr)(void))
{
    isr_table[line] = isr;
}

int posix_install_interrupt(unsigned line, void (*isr)(void))
{
    if (line == POSIX_TICK_LINE || line >= POSIX_INTERRUPT_LINES) {
        return -1;
    }
    isr_table[line] = isr;
    return 0;
}

void posix_raise_interrupt(unsigned line)
{
    if (line >= POSIX_INTERRUPT_LINES) {
        return;
    }
    const uint32_t before = posix_set_pending(line);
    if (posix_on_cpu_thread) {
        if (may_take_now()) {
            posix_take_pending();
        }
        return;
    }
    /* Another thread. When bits were already pending, someone is already bringing the CPU. */
    if (!posix_wake_idle_cpu() && before == 0) {
        posix_signal_cpu();
    }
}

int posix_attach_fd_interrupt(int fd, unsigned line)
{
    if (line == POSIX_TICK_LINE || line >= POSIX_INTERRUPT_LINES || !posix_cpu.running || !posix_on_cpu_thread) {
        return -1;
    }
    const struct f_owner_ex owner = {.type = F_OWNER_TID, .pid = cpu_thread};
    (void)__atomic_fetch_or(&fd_lines, (uint32_t)1 << line, __ATOMIC_SEQ_CST);
    /* Enabling (O_ASYNC) is the caller's, after this: an event before the owner is set signals no one. */
    if (fcntl(fd, F_SETOWN_EX, &owner) != 0 || fcntl(fd, F_SETSIG, POSIX_IO_SIGNAL) != 0) {
        return -1;
    }
    return 0;
}

void posix_host_call_begin(void)
{
    if (posix_on_cpu_thread) {
        posix_cpu.host_depth++;
        portMEMORY_BARRIER();
    }
}

void posix_host_call_end(void)
{
    if (posix_on_cpu_thread) {
        portMEMORY_BARRIER();
        if (--posix_cpu.host_depth == 0 && posix_has_pending_work()) {
            posix_take_pending();
        }
    }
}

void posix_get_stats(struct posix_port_stats *stats)
{
    *stats = posix_stats;
    stats->retries = __atomic_load_n(&posix_stats.retries, __ATOMIC_RELAXED);
}
