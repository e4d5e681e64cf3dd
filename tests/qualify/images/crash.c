/* Alder qualification runner self-test: a device that crashes mid-group (an undefined instruction: SIGILL on
 * the simulator, a HardFault on Cortex-M). It must never reach its summary. */
#include "alder_test.h"

TEST(RunnerCheck, PassesFirst)
{
    TEST_ASSERT(1);
}

TEST(RunnerCheck, Crashes)
{
    __builtin_trap();
}
