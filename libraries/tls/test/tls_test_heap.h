/* Alder TLS group: how many bytes the host C library has handed out (mbedTLS allocates with calloc).
 * It must never be needed for a pass on a target: without a measurable libc the cases that use it IGNORE. */
#ifndef TLS_TEST_HEAP_H
#define TLS_TEST_HEAP_H

/* Bytes in use now, or -1 when this C library cannot be measured (not glibc, or a tool such as valgrind
 * that replaces malloc itself). */
long tls_test_heap_in_use(void);
/* The most bytes in use since the last reset. */
long tls_test_heap_peak(void);
void tls_test_heap_reset_peak(void);

#endif /* TLS_TEST_HEAP_H */
