/* Alder qualification runner: libFuzzer target for the manifest parser (manifest.c).
 * It must never leak: a manifest that fails to parse is freed like one that parses. */
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manifest m;
    char error[256];
    if (manifest_parse(&m, (const char *)data, size, error, sizeof error)) {
        (void)manifest_group_images(&m, "Kernel");
    }
    manifest_free(&m);
    return 0;
}
