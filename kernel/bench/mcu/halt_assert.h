/* Alder benchmark: the configASSERT of the "with configASSERT" figures: a failed check stops the CPU.
 * It must never do more than a compare and a branch on the passing path, like the anchor's. */
#ifndef ALDER_BENCH_HALT_ASSERT_H
#define ALDER_BENCH_HALT_ASSERT_H

#define configASSERT(x)                                                                                   \
    do {                                                                                                  \
        if (!(x)) {                                                                                       \
            portDISABLE_INTERRUPTS();                                                                     \
            for (;;) {                                                                                    \
            }                                                                                             \
        }                                                                                                 \
    } while (0)

#endif /* ALDER_BENCH_HALT_ASSERT_H */
