/* Alder qemu-mps2-an385 board test: an image whose constants alone are larger than one 128 KB image slot.
 * It must never link: the test passes when the linker refuses it with the program memory limit message. */
#include <stdint.h>

static const uint8_t too_big[130 * 1024] = {1};

int main(void)
{
    return ((const volatile uint8_t *)too_big)[sizeof too_big - 1];
}
