/* Alder kernel tests: helpers shared by the object test files (queues, semaphores, timers, buffers, heap, ISR).
 * They must never hide a failure from the case that uses them, and never outlive the case. */
#ifndef ALDER_TEST_OBJECTS_H
#define ALDER_TEST_OBJECTS_H

#include "kernel_test.h" /* first: it brings FreeRTOS.h, which the others need before them */

#include "event_groups.h"
#include "message_buffer.h"
#include "queue.h"
#include "semphr.h"
#include "stream_buffer.h"
#include "timers.h"

/*
 * Cases sequence their helper tasks by priority, never by timing: a helper made above the
 * case's priority (KT_HIGH, KT_HIGHER) runs at once and blocks where the case wants it; one
 * made below (KT_LOW) runs only when the case blocks. Each helper does its one job, logs it,
 * then parks (kt_park) so that the case can check what happened and delete it (kt_delete)
 * before deleting the objects it used.
 */

/* Extra ticks allowed after a timeout before the case sees it end. On an idle host it ends on
 * the tick, but the tick follows the host clock while tasks run, and a loaded host (a parallel
 * ctest run on two cores) has held the simulated CPU for up to 27 ticks, so this bound only
 * says "it did end"; the lower bound, never early, is the exact part. Timer cases check exact
 * relations instead (test_timers.c). */
#define OBJ_SLACK 50

/* Assert that `start` was at least `ticks` and at most `ticks` + OBJ_SLACK ticks ago. */
#define OBJ_ASSERT_ELAPSED(ticks, start) TEST_ASSERT_RANGE((ticks), (ticks) + OBJ_SLACK, kt_ticks_since(start))

/* An ordered log of small ids (1..9), written by helpers, callbacks and ISRs, read by the case. */
void obj_log_reset(void);
void obj_log(unsigned id);
unsigned obj_log_count(void);
/* The log as decimal digits, oldest first: ids 2, 1, 3 read 213. 0 when empty. */
uint32_t obj_log_digits(void);

/* A helper task body: logs (unsigned)(uintptr_t)arg, then parks. It shows whether, and when,
 * a task of its priority got to run. */
void obj_marker_task(void *arg);

/* test_task_create() with a KT_STACK stack, then a yield in the cooperative variant, so that a
 * helper made above the case has run up to where it blocks when this returns, as it would
 * under preemption. After any other call that readies a higher priority task, cases put
 * KT_LET_HIGHER_RUN() where they expect the switch. */
TaskHandle_t obj_spawn(TaskFunction_t code, const char *name, void *arg, UBaseType_t priority);

/* Run fn(arg) with configASSERT armed; pdTRUE when an assertion fired (and cut fn short).
 * Unlike TEST_EXPECT_ASSERT it never fails the case itself, so it is safe inside an ISR or
 * with the scheduler suspended: the caller checks the result once it is safe to. */
BaseType_t obj_asserts(void (*fn)(void *arg), void *arg);

/* Fill `buffer` with a pattern that depends on `seed`, so that misplaced bytes show. */
void obj_fill(uint8_t *buffer, size_t length, uint8_t seed);

/*
 * Objects for cases that are not about how objects are allocated: made on the heap when the
 * kernel has dynamic allocation, else from small static pools, so the same case runs in the
 * static_only variant. Pool slots are reused round robin: a case keeps at most OBJ_POOL queues
 * (semaphores and mutexes included), OBJ_POOL stream or message buffers, OBJ_POOL event groups
 * and OBJ_POOL timers alive at once, each queue's storage within OBJ_QUEUE_BYTES and each
 * buffer within OBJ_STREAM_BYTES. Delete them with the usual API. A failure to create one
 * fails the case.
 */
#define OBJ_POOL 6
#define OBJ_QUEUE_BYTES 64
#define OBJ_STREAM_BYTES 48
QueueHandle_t obj_queue(UBaseType_t length, UBaseType_t item_size);
SemaphoreHandle_t obj_binary(void);
SemaphoreHandle_t obj_counting(UBaseType_t max, UBaseType_t initial);
SemaphoreHandle_t obj_mutex(void);
SemaphoreHandle_t obj_recursive_mutex(void);
EventGroupHandle_t obj_event_group(void);
/* type: sbTYPE_STREAM_BUFFER, sbTYPE_MESSAGE_BUFFER or sbTYPE_STREAM_BATCHING_BUFFER */
StreamBufferHandle_t obj_stream(size_t size, size_t trigger, BaseType_t type);
TimerHandle_t obj_timer(const char *name, TickType_t period, BaseType_t auto_reload, void *id,
                        TimerCallbackFunction_t callback);

#endif /* ALDER_TEST_OBJECTS_H */
