/* Alder posix port: what the port's own files share, including the CPU-state offsets the assembly uses.
 * It must never be included outside kernel/port/posix. */
#ifndef ALDER_POSIX_PORT_INTERNAL_H
#define ALDER_POSIX_PORT_INTERNAL_H

/* Offsets of struct posix_cpu fields (portmacro.h); port.c checks them at compile time. */
#define POSIX_CPU_MASKED 0
#define POSIX_CPU_IN_ISR 4
#define POSIX_CPU_HOST_DEPTH 8
#define POSIX_CPU_SWITCH_PENDING 12
#define POSIX_CPU_IRQ_PENDING 16

/* Frame the signal handler pushes below the red zone before entering posix_irq_entry. */
#define POSIX_RED_ZONE_BYTES 128

#ifndef __ASSEMBLER__

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "FreeRTOS.h"
#include "posix_port.h"

/* The signals that interrupt the CPU thread: another host thread's posix_raise_interrupt, an event
 * on an attached host descriptor (F_SETOWN_EX to the CPU thread), and the port's two timers (a
 * real-time signal, SIGRTMIN, told apart by si_value). One handler takes them all. */
#define POSIX_INTERRUPT_SIGNAL SIGUSR1
#define POSIX_IO_SIGNAL SIGIO
enum posix_timer_kind { POSIX_TIMER_TICK = 1, POSIX_TIMER_RETRY = 2 };

/* ---- port.c ---- */
void posix_task_run(TaskFunction_t code, void *parameters);
void posix_valgrind_forget_dead_stack(uintptr_t sp); /* only with POSIX_HAVE_VALGRIND */

/* ---- port_context.S ---- */
void posix_context_switch(void);                 /* masked: save, vTaskSwitchContext, restore */
void posix_context_start(void **saved_sp);       /* save the caller, enter pxCurrentTCB */
void posix_context_resume(void *sp) __attribute__((noreturn)); /* back to a posix_context_start */
void posix_task_entry(void);                     /* where a new task's first switch lands */
void posix_irq_entry(void);                      /* where the signal handler sends a preempted task */
extern const char posix_port_asm_begin[];
extern const char posix_port_asm_end[];

/* ---- port_interrupts.c ---- */
extern __thread int posix_on_cpu_thread;
extern struct posix_port_stats posix_stats;
void posix_irq_dispatch(void);                   /* ISRs, then the pending switch; masked */
void posix_interrupts_start(void);               /* on the CPU thread, from xPortStartScheduler */
void posix_set_port_isr(unsigned line, void (*isr)(void));
void posix_signal_cpu(void);                     /* from another thread: interrupt the CPU */
uint32_t posix_set_pending(unsigned line);       /* the pending bit alone; returns the lines pending before */
pid_t posix_cpu_thread_id(void);                 /* the CPU thread, for signals aimed at it */
int posix_timer_signal_number(void);             /* SIGRTMIN, as read at start */

/* ---- port_time.c ---- */
void posix_time_prepare(void);                   /* resolve the mode; exits on a bad config */
void posix_time_start(void);                     /* the tick ISR and the tick and retry timers */
void posix_time_stop(void);
int posix_wake_idle_cpu(void);                   /* another thread: 1 if the CPU was asleep in idle and is woken */
void posix_tick_signal(void);                    /* signal handler: the tick timer fired */
void posix_arm_retry(uint32_t delay_ns);         /* signal handler: signal the CPU again after delay_ns */
void posix_cancel_retry(void);                   /* the deferred interrupts were taken: stop the retry */
void posix_wake_idle_from_signal(void);          /* signal handler: end the idle sleep it interrupted */
uint64_t posix_now_ns(void);

/* ---- futexes (the only blocking the port does, and only off the common paths) ---- */
long posix_futex_wait(uint32_t *word, uint32_t seen, uint64_t deadline_ns); /* 0: no deadline */
void posix_futex_wake(uint32_t *word);

#endif /* __ASSEMBLER__ */

#endif /* ALDER_POSIX_PORT_INTERNAL_H */
