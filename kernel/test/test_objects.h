/* Alder kernel tests: helpers shared by the object test files (queues, semaphores, timers, buffers, heap, ISR).
 * They must never hide a failure from the case that uses them, and never outlive the case. */
#ifndef ALDER_TEST_OBJECTS_H
#define ALDER_TEST_OBJECTS_H

#include "alder_test.h"
#include "FreeRTOS.h"
#include "task.h"

/*
 * Cases sequence their helper tasks by priority, never by timing: a helper created above the
 * case's priority runs at once and blocks where the case wants it; one created below runs only
 * when the case blocks. Each helper does its one job, logs it, then parks (suspends itself for
 * good) so that the case can check what happened and delete it before deleting the objects.
 */
#define OBJ_STACK (configMINIMAL_STACK_SIZE * 2)
#define OBJ_LOW (TEST_CASE_PRIORITY - 1)
#define OBJ_HIGH (TEST_CASE_PRIORITY + 1)
#define OBJ_HIGHER (TEST_CASE_PRIORITY + 2)

/* Extra ticks allowed on the high side of a timeout in real time (the host may be slow to run
 * us); virtual time always lands on the low bound. */
#define OBJ_SLACK 2

/* The ticks since `start`. */
TickType_t obj_ticks_since(TickType_t start);

/* Assert that `start` was at most [ticks, ticks + OBJ_SLACK] ago. */
#define OBJ_ASSERT_ELAPSED(ticks, start) TEST_ASSERT_RANGE((ticks), (ticks) + OBJ_SLACK, obj_ticks_since(start))

/* An ordered log of small ids (1..9), written by helpers and ISRs, read by the case. */
void obj_log_reset(void);
void obj_log(unsigned id);
void obj_log_from_isr(unsigned id);
unsigned obj_log_count(void);
/* The log as decimal digits, oldest first: ids 2, 1, 3 read 213. 0 when empty. */
uint32_t obj_log_digits(void);

/* Suspend the calling helper for good; the case deletes it with obj_task_delete(). */
void obj_park(void) __attribute__((noreturn));

/* A helper task body: logs (unsigned)(uintptr_t)arg, then parks. It shows whether, and when,
 * a task of its priority got to run. */
void obj_marker_task(void *arg);

/* Delete a helper made by test_task_create() and tell the runner it is gone. */
void obj_task_delete(TaskHandle_t task);

/* Run fn(arg) with configASSERT armed; pdTRUE when an assertion fired (and cut fn short).
 * Unlike TEST_EXPECT_ASSERT it never fails the case itself, so it is safe inside an ISR or
 * with the scheduler suspended: the caller checks the result once it is safe to. */
BaseType_t obj_asserts(void (*fn)(void *arg), void *arg);

/* Fill `buffer` with a pattern that depends on `seed`, so that misplaced bytes show. */
void obj_fill(uint8_t *buffer, size_t length, uint8_t seed);

#endif /* ALDER_TEST_OBJECTS_H */
