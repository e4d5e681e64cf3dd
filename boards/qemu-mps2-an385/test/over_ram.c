/* Alder qemu-mps2-an385 board test: an image whose .bss alone is larger than the board's 64 KB of RAM.
 * It must never link: the test passes when the linker refuses it with the RAM limit message. */
#include <stdint.h>

static volatile uint8_t too_big[70 * 1024];

int main(void)
{
    too_big[sizeof too_big - 1] = 1;
    return too_big[0];
}
