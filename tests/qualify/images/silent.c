/* Alder qualification runner self-test: a device whose console prints nothing at all (an unported UART).
 * It must never write a byte: no framework, no banner, only the board's startup and a loop. */
#include "FreeRTOS.h"
#include "task.h"

int main(void);

/* The board's default config checks stacks; the kernel is linked (the board's startup needs it) but never runs. */
void vApplicationStackOverflowHook(TaskHandle_t task, char *name)
{
    (void)task;
    (void)name;
}

int main(void)
{
    for (volatile unsigned long spin = 0;; spin++) {
    }
}
