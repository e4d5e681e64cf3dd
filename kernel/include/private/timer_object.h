/* Alder kernel: the software timer control block, public only so StaticTimer_t has its exact size.
 * It must never be read or written outside kernel/src/timers.c: every field is private. */
#ifndef ALDER_TIMER_OBJECT_H
#define ALDER_TIMER_OBJECT_H

#include "list.h"

/*
 * Included by FreeRTOS.h before timers.h, so the callback is spelled with the struct: it is
 * the same type as TimerCallbackFunction_t because TimerHandle_t is struct timer_control *.
 *
 * node.value is the expiry tick while the timer is in one of the service task's two active
 * lists. The three state bytes are separate bytes, not bits of one flags byte, so that the
 * service task and an application task never read-modify-write the same byte: each write is
 * atomic on its own and no critical section is needed.
 */
struct timer_control {
    ListItem_t node;
    const char *name;
    TickType_t period;
    void *id;
    void (*callback)(struct timer_control *timer);
    uint8_t active;      /* started and not yet stopped or expired (one-shot) */
    uint8_t auto_reload; /* restarts itself each period */
    uint8_t is_static;   /* memory belongs to the application: never freed */
#if configUSE_TRACE_FACILITY
    UBaseType_t number;
#endif
};

#endif /* ALDER_TIMER_OBJECT_H */
