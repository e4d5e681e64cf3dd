/* Alder kernel: the event group control block, public only so StaticEventGroup_t has its exact size.
 * It must never be read or written outside kernel/src/event_groups.c: every field is private. */
#ifndef ALDER_EVENT_GROUP_OBJECT_H
#define ALDER_EVENT_GROUP_OBJECT_H

#include "list.h"

/*
 * A task waiting on an event group keeps, in its event node's value, the bits it waits for
 * in the low bits and the flags below in the top byte of TickType_t. That is why an event
 * group holds only sizeof(TickType_t) * 8 - 8 bits (24 with 32-bit ticks, 8 with 16-bit).
 * When a waiter is woken by bits, its node value is replaced by the group's bits at that
 * moment plus EVENT_GROUP_FLAG_UNBLOCKED; a timed-out waiter finds its node value unchanged.
 * The top bit of the byte is left free for tasks.c.
 */
#define EVENT_GROUP_FLAG_SHIFT (sizeof(TickType_t) * 8U - 8U)
#define EVENT_GROUP_CONTROL_BITS ((TickType_t)0xffU << EVENT_GROUP_FLAG_SHIFT)
#define EVENT_GROUP_FLAG_WAIT_ALL ((TickType_t)0x01U << EVENT_GROUP_FLAG_SHIFT)      /* all bits, not any */
#define EVENT_GROUP_FLAG_CLEAR_ON_EXIT ((TickType_t)0x02U << EVENT_GROUP_FLAG_SHIFT) /* clear them on success */
#define EVENT_GROUP_FLAG_UNBLOCKED ((TickType_t)0x04U << EVENT_GROUP_FLAG_SHIFT)     /* woken by bits, or deletion */

struct event_group_control {
    TickType_t bits;
    List_t waiters; /* unordered: every waiter is examined on each set */
    uint8_t is_static;
#if configUSE_TRACE_FACILITY
    UBaseType_t number;
#endif
};

#endif /* ALDER_EVENT_GROUP_OBJECT_H */
