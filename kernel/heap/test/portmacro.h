/* Alder kernel: the stand-in CPU port of the host heap tests: types and alignment, nothing else.
 * It must never grow into a real port: the allocators only need portBYTE_ALIGNMENT and the types. */
#ifndef ALDER_PORTMACRO_H
#define ALDER_PORTMACRO_H

#include <stddef.h>
#include <stdint.h>

typedef uintptr_t StackType_t;
typedef long BaseType_t;
typedef unsigned long UBaseType_t;

#define portSTACK_GROWTH (-1)
/* 8 as on Cortex-M, 16 as on the posix simulator: the tests run with both. */
#ifndef HEAP_TEST_ALIGNMENT
#define HEAP_TEST_ALIGNMENT 8
#endif
#define portBYTE_ALIGNMENT HEAP_TEST_ALIGNMENT
#define portPOINTER_SIZE_TYPE uintptr_t
#define portDEFAULT_MINIMAL_STACK_SIZE 256

#endif /* ALDER_PORTMACRO_H */
