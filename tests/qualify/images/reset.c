/* Alder qualification runner self-test: a device that resets mid-group and starts its tests again.
 * It must never stop resetting: the runner has to notice the second start banner and stop the run itself. */
#include "alder_test.h"

#if defined(__arm__)
/* ARMv7-M Application Interrupt and Reset Control Register: VECTKEY and SYSRESETREQ. */
#define AIRCR (*(volatile uint32_t *)0xE000ED0Cu)
static void reset_device(void)
{
    __asm volatile("dsb" ::: "memory");
    AIRCR = (0x05FAu << 16) | (1u << 2);
    __asm volatile("dsb" ::: "memory");
    for (;;) {
    }
}
#else
#include <signal.h>
#include <unistd.h>
/* A host process "resets" by starting its own program again in its place. The simulator's interrupt
 * signal is blocked first: one pending across exec would kill the new program before its port installs
 * the handler (the port unblocks it again when it starts). */
static void reset_device(void)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    execl("/proc/self/exe", "reset", (char *)NULL);
    TEST_FAIL("exec of /proc/self/exe failed");
}
#endif

TEST(RunnerCheck, PassesFirst)
{
    TEST_ASSERT(1);
}

TEST(RunnerCheck, Resets)
{
    reset_device();
}
