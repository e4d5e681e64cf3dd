/* alder_provision files: whole-file reads (with the NUL that PEM parsing needs) and the CSR write.
 * It must never leave a key file's bytes in freed memory, nor follow a read past the size it checked. */
#define _GNU_SOURCE
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mbedtls/platform_util.h"

static int fail(const char *path, const char *what, int error)
{
    fprintf(stderr, "alder_provision: %s: %s%s%s\n", path, what, error != 0 ? ": " : "",
            error != 0 ? strerror(error) : "");
    return -1;
}

/* Reads exactly `size` bytes: a file that shrank or grew while read is not the file that was checked. */
static int read_exact(int fd, uint8_t *buffer, size_t size)
{
    size_t done = 0;
    while (done < size) {
        ssize_t got = read(fd, buffer + done, size - done);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return got < 0 ? errno : EIO;
        }
        done += (size_t)got;
    }
    uint8_t extra;
    return read(fd, &extra, 1) == 0 ? 0 : EIO;
}

static int read_open_file(int fd, const char *path, struct file_data *out)
{
    struct stat info;
    if (fstat(fd, &info) != 0) {
        return fail(path, "cannot read", errno);
    }
    if (!S_ISREG(info.st_mode)) {
        return fail(path, "not a regular file", 0);
    }
    if (info.st_size <= 0 || (unsigned long long)info.st_size > FILE_MAX_BYTES) {
        return fail(path, info.st_size <= 0 ? "empty file" : "larger than 64 KB: not a key or certificate", 0);
    }
    out->allocated = (size_t)info.st_size + 1;
    out->bytes = calloc(1, out->allocated);
    if (out->bytes == NULL) {
        return fail(path, "out of memory", ENOMEM);
    }
    int error = read_exact(fd, out->bytes, (size_t)info.st_size);
    if (error != 0) {
        file_free(out);
        return fail(path, "cannot read (changed while read?)", error);
    }
    /* PEM is found anywhere in the text, as mbedTLS looks for it; the NUL is already there (calloc). */
    bool pem = strstr((const char *)out->bytes, "-----BEGIN ") != NULL;
    out->length = pem ? out->allocated : (size_t)info.st_size;
    return 0;
}

int file_read(const char *path, struct file_data *out)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail(path, "cannot open", errno);
    }
    int result = read_open_file(fd, path, out);
    close(fd);
    return result;
}

void file_free(struct file_data *data)
{
    if (data->bytes != NULL) {
        mbedtls_platform_zeroize(data->bytes, data->allocated);
        free(data->bytes);
    }
    memset(data, 0, sizeof *data);
}

int file_create(const char *path, struct output_file *out)
{
    out->path = path;
    out->created = false;
    out->fd = STDOUT_FILENO;
    if (strcmp(path, "-") == 0) {
        return 0;
    }
    out->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    out->created = out->fd >= 0;
    if (out->fd < 0 && errno == EEXIST) {
        out->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    return out->fd >= 0 ? 0 : fail(path, "cannot create", errno);
}

static int write_all(int fd, const char *text, size_t length)
{
    size_t done = 0;
    while (done < length) {
        ssize_t wrote = write(fd, text + done, length - done);
        if (wrote > 0) {
            done += (size_t)wrote;
        } else if (wrote < 0 && errno != EINTR) {
            return errno;
        }
    }
    return 0;
}

int file_finish(struct output_file *out, const char *text, size_t length)
{
    int error = 0;
    if (out->fd != STDOUT_FILENO && ftruncate(out->fd, 0) != 0) {
        error = errno;
    }
    if (error == 0) {
        error = write_all(out->fd, text, length);
    }
    if (out->fd != STDOUT_FILENO && close(out->fd) != 0 && error == 0) {
        error = errno;
    }
    out->fd = -1;
    return error == 0 ? 0 : fail(out->path, "cannot write", error);
}

void file_abandon(struct output_file *out)
{
    if (out->fd >= 0 && out->fd != STDOUT_FILENO) {
        close(out->fd);
        if (out->created) {
            unlink(out->path);
        }
    }
    out->fd = -1;
}
