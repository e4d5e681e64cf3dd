/* alder_provision files: reads a key or certificate file whole, and writes the CSR.
 * It must never leave a key file's bytes in memory it frees: file_free wipes before it frees. */
#ifndef PROVISION_FILES_H
#define PROVISION_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest key or certificate file read: far more than any PEM key or certificate chain. */
#define FILE_MAX_BYTES (64u * 1024u)

/* A file's bytes, and the length to hand the provisioning library: PEM text counts the NUL after it (mbedTLS's
 * rule), DER counts its bytes alone. */
struct file_data {
    uint8_t *bytes; /* NUL-terminated either way */
    size_t length;
    size_t allocated;
};

/* Reads `path` (a regular file of 1..FILE_MAX_BYTES bytes). On failure prints one line on stderr and returns -1. */
int file_read(const char *path, struct file_data *out);

/* Wipes and frees; safe on a zeroed or already freed struct. */
void file_free(struct file_data *data);

/* The CSR's file, opened before the key is made so that a bad path fails before anything changes. */
struct output_file {
    int fd;
    bool created; /* it did not exist before: abandoning it removes it */
    const char *path;
};

/* Opens `path` for writing (mode 0644; "-" is standard output) without changing an existing file yet.
 * Returns 0, or -1 after one line on stderr. */
int file_create(const char *path, struct output_file *out);

/* Replaces the file's contents with `text` and closes it. Returns 0, or -1 after one line on stderr. */
int file_finish(struct output_file *out, const char *text, size_t length);

/* Closes it, and removes it if file_create made it: a failed run leaves an earlier file as it was. */
void file_abandon(struct output_file *out);

#endif /* PROVISION_FILES_H */
