/* Alder qualification runner self-test: a device that hangs mid-group, interrupts off, so not even the
 * framework's case timeout can fire. It must never print after the hang: the runner has to notice the silence. */
#include "alder_test.h"

TEST(RunnerCheck, PassesFirst)
{
    TEST_ASSERT(1);
}

TEST(RunnerCheck, HangsWithInterruptsOff)
{
    taskDISABLE_INTERRUPTS();
    for (;;) {
    }
}
