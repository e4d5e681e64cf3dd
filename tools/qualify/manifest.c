/* Alder qualification runner: the manifest parser. One record per line, fields separated by tabs:
 *   format 1 | board B | release R | toolchain T | component "name version" | run ARG... | run_exits 0|1
 *   start_timeout S | idle_timeout S | jobs N | retries N | server NAME READY COMMAND [ARG...]
 *   group NAME GUIDE [SERVER,SERVER...] | na NAME GUIDE REASON | image GROUP NAME PATH TIMEOUT [NAME=VALUE...]
 *   after GROUP NAME PREDECESSOR (image NAME starts once image PREDECESSOR, listed before it, has passed)
 * It must never guess: an unknown keyword or a missing field is an error with its line number. */
#define _POSIX_C_SOURCE 200809L
#include "manifest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64

struct parser {
    struct manifest *m;
    unsigned line;
    char *error;
    size_t error_size;
    bool format_seen;
};

static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct parser *p, const char *fmt, ...)
{
    int used = snprintf(p->error, p->error_size, "line %u: ", p->line);
    va_list args;
    va_start(args, fmt);
    if (used >= 0 && (size_t)used < p->error_size) {
        vsnprintf(p->error + used, p->error_size - (size_t)used, fmt, args);
    }
    va_end(args);
    return false;
}

static char *dup_text(const char *s)
{
    char *copy = strdup(s);
    if (copy == NULL) {
        perror("alder_qualify");
        exit(2);
    }
    return copy;
}

/* A NULL-terminated copy of fields[0..count). */
static char **dup_list(char **fields, size_t count)
{
    char **list = calloc(count + 1, sizeof *list);
    if (list == NULL) {
        perror("alder_qualify");
        exit(2);
    }
    for (size_t i = 0; i < count; i++) {
        list[i] = dup_text(fields[i]);
    }
    return list;
}

static void free_list(char **list)
{
    for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
        free(list[i]);
    }
    free(list);
}

static void *append(void *items, size_t *count, size_t item_size)
{
    char *bigger = realloc(items, (*count + 1) * item_size);
    if (bigger == NULL) {
        perror("alder_qualify");
        exit(2);
    }
    memset(bigger + *count * item_size, 0, item_size);
    (*count)++;
    return bigger;
}

static bool parse_seconds(struct parser *p, const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(value > 0 && value <= 86400)) {
        return fail(p, "'%s' is not a number of seconds in (0, 86400]", text);
    }
    *out = value;
    return true;
}

static bool parse_count(struct parser *p, const char *text, unsigned max, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value > max) {
        return fail(p, "'%s' is not a whole number up to %u", text, max);
    }
    *out = (unsigned)value;
    return true;
}

static const struct group_spec *find_group(const struct manifest *m, const char *name)
{
    for (size_t i = 0; i < m->group_count; i++) {
        if (strcmp(m->groups[i].name, name) == 0) {
            return &m->groups[i];
        }
    }
    return NULL;
}

static struct image_spec *find_image(const struct manifest *m, const char *name)
{
    for (size_t i = 0; i < m->image_count; i++) {
        if (strcmp(m->images[i].name, name) == 0) {
            return &m->images[i];
        }
    }
    return NULL;
}

const struct server_spec *manifest_server(const struct manifest *m, const char *name)
{
    for (size_t i = 0; i < m->server_count; i++) {
        if (strcmp(m->servers[i].name, name) == 0) {
            return &m->servers[i];
        }
    }
    return NULL;
}

static bool add_server(struct parser *p, char **f, size_t n)
{
    struct manifest *m = p->m;
    if (n < 4 || f[1][0] == '\0' || f[2][0] == '\0' || f[3][0] == '\0') {
        return fail(p, "'server' takes NAME READY COMMAND [ARG...]");
    }
    if (manifest_server(m, f[1]) != NULL) {
        return fail(p, "server %s is declared twice", f[1]);
    }
    m->servers = append(m->servers, &m->server_count, sizeof *m->servers);
    struct server_spec *server = &m->servers[m->server_count - 1];
    server->name = dup_text(f[1]);
    server->ready = dup_text(f[2]);
    server->command = dup_list(f + 3, n - 3);
    return true;
}

/* "a,b" -> the servers' names, each declared above. */
static bool parse_servers(struct parser *p, const char *list, char ***out)
{
    char copy[1024];
    char *names[MAX_FIELDS];
    size_t n = 0;
    if (strlen(list) >= sizeof copy) {
        return fail(p, "server list too long");
    }
    strcpy(copy, list);
    char *save = NULL;
    for (char *name = strtok_r(copy, ",", &save); name != NULL; name = strtok_r(NULL, ",", &save)) {
        if (n == MAX_FIELDS || manifest_server(p->m, name) == NULL) {
            return fail(p, "group names server '%s', which is not declared above", name);
        }
        names[n++] = name;
    }
    *out = dup_list(names, n);
    return true;
}

static bool add_group(struct parser *p, char **f, size_t n, bool applicable)
{
    struct manifest *m = p->m;
    bool shape_ok = applicable ? (n == 3 || n == 4) : n == 4;
    if (!shape_ok || f[1][0] == '\0') {
        return fail(p, "'%s' takes %s", f[0], applicable ? "NAME GUIDE [SERVERS]" : "NAME GUIDE REASON");
    }
    if (find_group(m, f[1]) != NULL) {
        return fail(p, "group %s is declared twice", f[1]);
    }
    m->groups = append(m->groups, &m->group_count, sizeof *m->groups);
    struct group_spec *g = &m->groups[m->group_count - 1];
    g->name = dup_text(f[1]);
    g->guide = dup_text(f[2]);
    g->na_reason = applicable ? NULL : dup_text(f[3][0] != '\0' ? f[3] : "(no reason given)");
    if (applicable && n == 4) {
        return parse_servers(p, f[3], &g->servers);
    }
    g->servers = dup_list(NULL, 0);
    return true;
}

static bool add_image(struct parser *p, char **f, size_t n)
{
    struct manifest *m = p->m;
    if (n < 5) {
        return fail(p, "'image' takes GROUP NAME PATH TIMEOUT [NAME=VALUE...]");
    }
    const struct group_spec *g = find_group(m, f[1]);
    if (g == NULL || g->na_reason != NULL) {
        return fail(p, "image %s names group '%s', which is not an applicable group declared above", f[2], f[1]);
    }
    if (find_image(m, f[2]) != NULL) {
        return fail(p, "image name %s is used twice", f[2]);
    }
    double timeout;
    if (f[2][0] == '\0' || f[3][0] == '\0' || !parse_seconds(p, f[4], &timeout)) {
        return p->error[0] != '\0' ? false : fail(p, "image needs a name and a path");
    }
    for (size_t i = 5; i < n; i++) {
        if (strchr(f[i], '=') == NULL || f[i][0] == '=') {
            return fail(p, "environment setting '%s' is not NAME=VALUE", f[i]);
        }
    }
    m->images = append(m->images, &m->image_count, sizeof *m->images);
    struct image_spec *image = &m->images[m->image_count - 1];
    image->group = dup_text(f[1]);
    image->name = dup_text(f[2]);
    image->path = dup_text(f[3]);
    image->timeout = timeout;
    image->env = dup_list(f + 5, n - 5);
    return true;
}

/* "after GROUP NAME PREDECESSOR": both images of GROUP, declared above, the predecessor first. Requiring that order
 * keeps chains free of cycles, and a group's images in manifest order are an order the runner can start them in. */
static bool add_after(struct parser *p, char **f, size_t n)
{
    if (n != 4 || f[2][0] == '\0' || f[3][0] == '\0') {
        return fail(p, "'after' takes GROUP NAME PREDECESSOR");
    }
    struct image_spec *image = find_image(p->m, f[2]);
    const struct image_spec *predecessor = find_image(p->m, f[3]);
    if (image == NULL || predecessor == NULL) {
        return fail(p, "'after' names image '%s', which is not declared above", image == NULL ? f[2] : f[3]);
    }
    if (strcmp(image->group, f[1]) != 0 || strcmp(predecessor->group, f[1]) != 0) {
        return fail(p, "images %s and %s must both be in group %s (the runner runs one group at a time)", f[2], f[3],
                    f[1]);
    }
    if (predecessor >= image) {
        return fail(p, "image %s must be declared after %s, the image it runs after", f[2], f[3]);
    }
    if (image->after != NULL) {
        return fail(p, "image %s already runs after %s", f[2], image->after);
    }
    image->after = dup_text(f[3]);
    return true;
}

/* A keyword that takes exactly one value. */
static bool set_text(struct parser *p, char **f, size_t n, char **field)
{
    if (n != 2) {
        return fail(p, "'%s' takes one value", f[0]);
    }
    free(*field);
    *field = dup_text(f[1]);
    return true;
}

static bool parse_record(struct parser *p, char **f, size_t n)
{
    struct manifest *m = p->m;
    const char *key = f[0];
    if (!p->format_seen) {
        if (strcmp(key, "format") != 0 || n != 2 || strcmp(f[1], "1") != 0) {
            return fail(p, "not an Alder qualification manifest (the first record must be 'format 1')");
        }
        p->format_seen = true;
        return true;
    }
    if (strcmp(key, "board") == 0) {
        return set_text(p, f, n, &m->board);
    }
    if (strcmp(key, "release") == 0) {
        return set_text(p, f, n, &m->release);
    }
    if (strcmp(key, "toolchain") == 0) {
        return set_text(p, f, n, &m->toolchain);
    }
    if (strcmp(key, "component") == 0) {
        size_t count = 0;
        while (m->components != NULL && m->components[count] != NULL) {
            count++;
        }
        if (n != 2) {
            return fail(p, "'component' takes one value");
        }
        m->components = realloc(m->components, (count + 2) * sizeof *m->components);
        if (m->components == NULL) {
            perror("alder_qualify");
            exit(2);
        }
        m->components[count] = dup_text(f[1]);
        m->components[count + 1] = NULL;
        return true;
    }
    if (strcmp(key, "run") == 0) {
        free_list(m->run_prefix);
        /* "run" with one empty field means: run the image itself. */
        size_t count = (n == 2 && f[1][0] == '\0') ? 0 : n - 1;
        m->run_prefix = dup_list(f + 1, count);
        return true;
    }
    if (strcmp(key, "run_exits") == 0) {
        unsigned value;
        if (n != 2 || !parse_count(p, f[1], 1, &value)) {
            return p->error[0] != '\0' ? false : fail(p, "'run_exits' takes 0 or 1");
        }
        m->run_exits = value == 1;
        return true;
    }
    if (strcmp(key, "start_timeout") == 0 || strcmp(key, "idle_timeout") == 0) {
        if (n != 2) {
            return fail(p, "'%s' takes one value", key);
        }
        return parse_seconds(p, f[1], key[0] == 's' ? &m->start_timeout : &m->idle_timeout);
    }
    if (strcmp(key, "jobs") == 0 || strcmp(key, "retries") == 0) {
        if (n != 2) {
            return fail(p, "'%s' takes one value", key);
        }
        return key[0] == 'j' ? parse_count(p, f[1], 256, &m->jobs) : parse_count(p, f[1], 3, &m->retries);
    }
    if (strcmp(key, "group") == 0 || strcmp(key, "na") == 0) {
        return add_group(p, f, n, key[0] == 'g');
    }
    if (strcmp(key, "image") == 0) {
        return add_image(p, f, n);
    }
    if (strcmp(key, "after") == 0) {
        return add_after(p, f, n);
    }
    if (strcmp(key, "server") == 0) {
        return add_server(p, f, n);
    }
    return fail(p, "unknown record '%s'", key);
}

/* Splits line (modified in place) at tabs. */
static size_t split_fields(char *line, char **fields)
{
    size_t n = 0;
    char *start = line;
    for (;;) {
        char *tab = strchr(start, '\t');
        if (n == MAX_FIELDS) {
            return n + 1; /* too many: the caller reports it */
        }
        fields[n++] = start;
        if (tab == NULL) {
            return n;
        }
        *tab = '\0';
        start = tab + 1;
    }
}

static bool check_complete(struct parser *p)
{
    const struct manifest *m = p->m;
    if (!p->format_seen) {
        return fail(p, "empty manifest");
    }
    if (m->board == NULL) {
        return fail(p, "no 'board' record");
    }
    if (m->group_count == 0) {
        return fail(p, "the board declares no qualification group");
    }
    return true;
}

bool manifest_parse(struct manifest *m, const char *text, size_t length, char *error, size_t error_size)
{
    memset(m, 0, sizeof *m);
    m->run_exits = true;
    m->start_timeout = 30;
    m->idle_timeout = 60;
    struct parser p = {.m = m, .error = error, .error_size = error_size};
    error[0] = '\0';
    char line[8192];
    char *fields[MAX_FIELDS];
    size_t at = 0;
    while (at < length) {
        const char *end = memchr(text + at, '\n', length - at);
        size_t line_length = end != NULL ? (size_t)(end - (text + at)) : length - at;
        p.line++;
        if (line_length >= sizeof line || memchr(text + at, '\0', line_length) != NULL) {
            return fail(&p, "line too long or not text");
        }
        memcpy(line, text + at, line_length);
        line[line_length] = '\0';
        at += line_length + 1;
        if (line[0] == '\0' || line[0] == '#') {
            continue;
        }
        size_t n = split_fields(line, fields);
        if (n > MAX_FIELDS) {
            return fail(&p, "more than %d fields", MAX_FIELDS);
        }
        if (!parse_record(&p, fields, n)) {
            return false;
        }
    }
    p.line++;
    return check_complete(&p);
}

bool manifest_load(struct manifest *m, const char *path, char *error, size_t error_size)
{
    memset(m, 0, sizeof *m);
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        snprintf(error, error_size, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    char *text = NULL;
    size_t length = 0, capacity = 0;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) {
        if (length + got > capacity) {
            capacity = (length + got) * 2;
            text = realloc(text, capacity);
            if (text == NULL) {
                perror("alder_qualify");
                exit(2);
            }
        }
        memcpy(text + length, chunk, got);
        length += got;
    }
    fclose(file);
    bool ok = manifest_parse(m, text != NULL ? text : "", length, error, error_size);
    free(text);
    return ok;
}

void manifest_free(struct manifest *m)
{
    free(m->board);
    free(m->release);
    free(m->toolchain);
    free_list(m->components);
    free_list(m->run_prefix);
    for (size_t i = 0; i < m->group_count; i++) {
        free(m->groups[i].name);
        free(m->groups[i].guide);
        free(m->groups[i].na_reason);
        free_list(m->groups[i].servers);
    }
    free(m->groups);
    for (size_t i = 0; i < m->server_count; i++) {
        free(m->servers[i].name);
        free(m->servers[i].ready);
        free_list(m->servers[i].command);
    }
    free(m->servers);
    for (size_t i = 0; i < m->image_count; i++) {
        free(m->images[i].group);
        free(m->images[i].name);
        free(m->images[i].path);
        free_list(m->images[i].env);
        free(m->images[i].after);
    }
    free(m->images);
    memset(m, 0, sizeof *m);
}

size_t manifest_group_images(const struct manifest *m, const char *group)
{
    size_t n = 0;
    for (size_t i = 0; i < m->image_count; i++) {
        n += strcmp(m->images[i].group, group) == 0;
    }
    return n;
}
