/* Alder posix port: what the simulated CPU offers to host "peripheral" threads, the board and tests.
 * It must never depend on kernel headers, so that FreeRTOSConfig.h can include it first. */
#ifndef ALDER_POSIX_PORT_H
#define ALDER_POSIX_PORT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Interrupts. The CPU has 32 lines. Line 0 is the tick and belongs to the port. An ISR runs on
 * the CPU thread, on the stack of the task it interrupted, with interrupts masked
 * (xPortIsInsideInterrupt() is true); it may call FromISR APIs and portYIELD_FROM_ISR, and the
 * switch happens when the ISR returns. An ISR must not block or call a blocking host function.
 */
#define POSIX_INTERRUPT_LINES 32u
#define POSIX_TICK_LINE 0u

/* Install (or, with NULL, remove) the ISR of `line` (1..31). Returns 0, or -1 for a bad line. */
int posix_install_interrupt(unsigned line, void (*isr)(void));

/* Make `line` pending. Callable from any host thread, and from tasks and ISRs. Called from a
 * task with interrupts unmasked, the ISR has run when this returns; masked, it runs at the
 * unmask. From another thread, it runs as soon as the CPU is in the program's own code with
 * interrupts unmasked. */
void posix_raise_interrupt(unsigned line);

/* Route events on host descriptor `fd` (readable, writable after a full buffer, error, hang-up) to
 * `line` (1..31), the way a device's interrupt is wired: the host kernel signals the CPU thread
 * itself, no host thread in between. The descriptor's O_ASYNC flag is its interrupt-enable bit:
 * set it (fcntl F_SETFL) to enable, clear it to mask; attaching leaves it as it is. The ISR must
 * find out what happened without blocking (a non-blocking read, epoll_wait with timeout 0): the
 * signal is merged while one is pending, so an event on any attached descriptor raises every line
 * that has one, and ISRs must accept a call with nothing new. Call from a task after
 * vTaskStartScheduler. Returns 0, or -1 for a bad line, a bad descriptor or a call from elsewhere.
 * Closing the descriptor detaches it. */
int posix_attach_fd_interrupt(int fd, unsigned line);

/*
 * Host calls. Tasks are preempted only while they execute the program's own code, never inside
 * glibc or any shared library, so library locks are never held by a preempted task. A function
 * of ours that a host library calls back while holding a lock must bracket its body with these
 * (nestable): no ISR runs and no switch happens between them. Tasks must never make blocking
 * host system calls (sleep, blocking reads): the whole CPU would stop.
 * Called from any thread but the CPU thread, they do nothing.
 */
void posix_host_call_begin(void);
void posix_host_call_end(void);

/*
 * Time. POSIX_TIME_REAL: a host timer signals the tick every 1/configTICK_RATE_HZ s, and the idle
 * CPU sleeps with the tick stopped. POSIX_TIME_VIRTUAL (needs configUSE_TICKLESS_IDLE 1): ticks follow the host clock
 * while tasks run, but when every task is blocked and no peripheral is active the tick count jumps
 * straight to the next timeout. Chosen before vTaskStartScheduler; by default from the environment
 * variable ALDER_TIME=real|virtual, else real. A bad choice ends the process with
 * POSIX_EXIT_CONFIG_ERROR and a message.
 */
enum posix_time_mode { POSIX_TIME_DEFAULT = 0, POSIX_TIME_REAL, POSIX_TIME_VIRTUAL };
#define POSIX_EXIT_CONFIG_ERROR 78

/* Returns 0, or -1 when the scheduler is already running. */
int posix_set_time_mode(enum posix_time_mode mode);
enum posix_time_mode posix_get_time_mode(void);

/* A peripheral that will raise interrupts as its work completes (open sockets, a lookup thread) holds the
 * CPU in real time between begin and end, so virtual time never jumps past its events. */
void posix_peripheral_begin(void);
void posix_peripheral_end(void);

/* Microseconds since the first call, wrapping at 32 bits: the run-time stats counter. */
uint32_t posix_run_time_counter(void);

/* Console: unbuffered write(2) to standard output, as a host call. Any thread. */
void posix_console_print(const char *text);

/* Print "ASSERT FAILED file:line" on the console and abort(). */
void posix_assert_failed(const char *file, int line) __attribute__((noreturn));

/* Counters for tests and benchmarks. */
struct posix_port_stats {
    uint64_t signals;       /* interrupt signals the CPU thread received */
    uint64_t preemptions;   /* signals that entered the interrupt trampoline */
    uint64_t host_deferred; /* signals that found the CPU in host code: taken at its unmask, or retried */
    uint64_t retries;       /* deferred interrupts signalled again by the retry timer */
    uint64_t switches;      /* context switches */
    uint64_t ticks;         /* ticks given to the kernel, by the tick ISR or stepped */
    uint64_t ticks_dropped; /* ticks that came while the host held the CPU back: counted once (port_time.c) */
};
void posix_get_stats(struct posix_port_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* ALDER_POSIX_PORT_H */
