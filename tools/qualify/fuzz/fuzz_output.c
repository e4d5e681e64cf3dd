/* Alder qualification runner: libFuzzer target for the console output parser (output.c).
 * It must never feed the parser anything but the fuzzer's bytes, split at a point the input chooses. */
#include <stddef.h>
#include <stdint.h>

#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks where to split the rest in two feeds: lines cut across reads must parse the same. */
    size_t split = size > 0 ? data[0] : 0;
    const char *text = size > 0 ? (const char *)data + 1 : (const char *)data;
    size_t length = size > 0 ? size - 1 : 0;
    if (split > length) {
        split = length;
    }
    struct image_output out;
    output_init(&out);
    output_feed(&out, text, split, 0.0);
    output_feed(&out, text + split, length - split, 1.0);
    output_finish(&out, 2.0);
    (void)output_run_is_over(&out);
    (void)output_count(&out, CASE_FAIL);
    output_free(&out);
    return 0;
}
