/* Echo server: libFuzzer target for its option parser, over both of its inputs: the command line and a config file.
 * It must never let the parser read past the fuzzer's bytes: arguments are NUL-split copies, the file is written out.
 *
 * Input: byte 0 picks the input. Even: the rest, split at NUL bytes, is argv after the program name. Odd: the rest
 * is a config file's content, read through --config. The parser's messages go to stderr; the fuzzer ignores them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

#define MOST_ARGUMENTS 64

static void parse(int argc, char **argv)
{
    struct echo_options options;
    if (echo_options_parse(argc, argv, &options) == ECHO_OPTIONS_OK) {
        echo_options_free(&options);
    }
}

static void fuzz_arguments(char *text, size_t size)
{
    char *argv[MOST_ARGUMENTS + 2] = {"echo_server"};
    int argc = 1;
    size_t start = 0;
    for (size_t i = 0; i <= size && argc <= MOST_ARGUMENTS; i++) {
        if (i == size || text[i] == '\0') {
            argv[argc++] = &text[start];
            start = i + 1;
        }
    }
    argv[argc] = NULL;
    parse(argc, argv);
}

static void fuzz_config_file(const char *text, size_t size)
{
    char path[] = "/tmp/fuzz_echo_options_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        return;
    }
    if (write(fd, text, size) == (ssize_t)size) {
        char *argv[] = {"echo_server", "--config", path, NULL};
        parse(3, argv);
    }
    close(fd);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    char *text = malloc(size); /* size - 1 bytes and a NUL */
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] % 2u == 0) {
        fuzz_arguments(text, size - 1);
    } else {
        fuzz_config_file(text, size - 1);
    }
    free(text);
    return 0;
}
