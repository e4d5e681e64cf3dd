/* Alder qualification runner: the manifest CMake writes for a board (build/<board>/qualify/manifest).
 * It must never guess: an unknown keyword or a missing field is an error with its line number. */
#ifndef QUALIFY_MANIFEST_H
#define QUALIFY_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

struct image_spec {
    char *group;
    char *name;    /* unique in the manifest: "kernel_full.real" */
    char *path;    /* the image file */
    double timeout; /* seconds for the whole run, before the multiplier */
    char **env;    /* NAME=value settings for the run, NULL-terminated */
    char *after;   /* NULL, or the image of the same group, listed before, that must pass before this one starts */
};

struct group_spec {
    char *name;
    char *guide;      /* docs/porting page that explains the interface the group proves */
    char *na_reason;  /* non-NULL: the board says the group does not apply, and why */
    char **servers;   /* names of the servers the group needs, NULL-terminated */
};

/* A host program a group talks to; it is up once READY appears in its output. */
struct server_spec {
    char *name;
    char *ready;
    char **command; /* NULL-terminated */
};

struct manifest {
    char *board;
    char *release;
    char *toolchain;
    char **components; /* "kernel 0.1.0", NULL-terminated */
    char **run_prefix; /* the command an image path is appended to; NULL-terminated, may be empty */
    bool run_exits;    /* the run command ends with the image's status (simulator, QEMU) */
    double start_timeout, idle_timeout;
    unsigned jobs;     /* images run at once; 0: one per CPU */
    unsigned retries;  /* times a failed image runs again (boards whose clock follows a loaded host) */
    struct group_spec *groups;
    size_t group_count;
    struct server_spec *servers;
    size_t server_count;
    struct image_spec *images;
    size_t image_count;
};

/* Parses text (the whole file). On error returns false and writes "line N: what" to error. */
bool manifest_parse(struct manifest *m, const char *text, size_t length, char *error, size_t error_size);
bool manifest_load(struct manifest *m, const char *path, char *error, size_t error_size);
void manifest_free(struct manifest *m);
size_t manifest_group_images(const struct manifest *m, const char *group);
const struct server_spec *manifest_server(const struct manifest *m, const char *name);

#endif /* QUALIFY_MANIFEST_H */
