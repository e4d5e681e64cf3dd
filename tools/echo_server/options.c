/* Echo server options: parses the flags and the `key = value` lines of a config file into struct echo_options.
 * It must never accept an unknown key or an out-of-range value silently: every error names the flag or the line. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum value_kind {
    VALUE_PORT,
    VALUE_SECONDS,
    VALUE_COUNT,
    VALUE_TEXT,
    VALUE_SWITCH, /* a flag alone on the command line; yes/no in a config file */
};

struct option_spec {
    const char *name;
    enum value_kind kind;
    bool in_file; /* may appear in a config file */
};

static const struct option_spec specs[] = {
    {"config", VALUE_TEXT, false},
    {"tls-port", VALUE_PORT, true},
    {"plain-port", VALUE_PORT, true},
    {"bind", VALUE_TEXT, true},
    {"ca", VALUE_TEXT, true},
    {"cert", VALUE_TEXT, true},
    {"key", VALUE_TEXT, true},
    {"verify-client", VALUE_SWITCH, true},
    {"any-client-cert", VALUE_SWITCH, true},
    {"idle-timeout", VALUE_SECONDS, true},
    {"max-connections", VALUE_COUNT, true},
    {"verbose", VALUE_SWITCH, true},
    {"quiet", VALUE_SWITCH, true},
    {"help", VALUE_SWITCH, false},
};

void echo_options_usage(const char *program)
{
    printf("usage: %s --cert FILE --key FILE [--ca FILE] [options]\n"
           "  A TCP and TLS echo server for Alder's TCP and TLS qualification groups.\n"
           "  --tls-port N          TLS listener port (default %u; 0: any free port)\n"
           "  --plain-port N        plain TCP listener port (default %u; 0: any free port)\n"
           "  --bind ADDRESS        numeric IPv4 or IPv6 address to listen on (default 127.0.0.1)\n"
           "  --ca FILE             CA certificate(s), PEM, that client certificates must chain to\n"
           "  --cert FILE           server certificate, PEM\n"
           "  --key FILE            server private key, PEM\n"
           "  --verify-client       require a client certificate signed by --ca (the default)\n"
           "  --any-client-cert     ask for a client certificate, accept any or none\n"
           "  --idle-timeout S      close a connection after S seconds without traffic (default %u; 0: never)\n"
           "  --max-connections N   connections at once; extra ones are closed at once (default %u)\n"
           "  --verbose / --quiet   log every connection and chunk length / log errors only\n"
           "  --config FILE         read `key = value` lines (the flag names without --) first;\n"
           "                        flags on the command line win\n"
           "When both listeners are bound it prints one line: echo_server ready tls=<port> plain=<port>\n"
           "exit status: 0 after SIGTERM or SIGINT, 1 runtime failure, 2 bad options or unreadable files\n",
           program, ECHO_DEFAULT_TLS_PORT, ECHO_DEFAULT_PLAIN_PORT, ECHO_DEFAULT_IDLE_TIMEOUT,
           ECHO_DEFAULT_MAX_CONNECTIONS);
}

static const struct option_spec *find_spec(const char *name, size_t length)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        if (strlen(specs[i].name) == length && strncmp(specs[i].name, name, length) == 0) {
            return &specs[i];
        }
    }
    return NULL;
}

static bool parse_unsigned(const char *text, unsigned min, unsigned max, unsigned *out)
{
    char *end = NULL;
    if (!isdigit((unsigned char)text[0])) {
        return false;
    }
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max) {
        return false;
    }
    *out = (unsigned)value;
    return true;
}

static bool parse_switch(const char *text, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(text, yes[i]) == 0 || strcmp(text, no[i]) == 0) {
            *out = strcmp(text, yes[i]) == 0;
            return true;
        }
    }
    return false;
}

static bool set_text(char **field, const char *value)
{
    char *copy = strdup(value);
    if (copy == NULL) {
        return false;
    }
    free(*field);
    *field = copy;
    return true;
}

static bool apply_number(struct echo_options *opts, const struct option_spec *spec, const char *value,
                         const char *where)
{
    unsigned number = 0;
    bool ok = false;
    const char *range = "";
    switch (spec->kind) {
    case VALUE_PORT:
        ok = parse_unsigned(value, 0, 65535, &number);
        range = "0 to 65535";
        break;
    case VALUE_SECONDS:
        ok = parse_unsigned(value, 0, ECHO_MAX_IDLE_TIMEOUT, &number);
        range = "0 to 86400 seconds";
        break;
    default:
        ok = parse_unsigned(value, 1, ECHO_MAX_CONNECTIONS_LIMIT, &number);
        range = "1 to 65536";
        break;
    }
    if (!ok) {
        fprintf(stderr, "echo_server: %s: '%s' is not a number from %s\n", where, value, range);
        return false;
    }
    if (strcmp(spec->name, "tls-port") == 0) {
        opts->tls_port = number;
    } else if (strcmp(spec->name, "plain-port") == 0) {
        opts->plain_port = number;
    } else if (strcmp(spec->name, "idle-timeout") == 0) {
        opts->idle_timeout = number;
    } else {
        opts->max_connections = number;
    }
    return true;
}

static bool apply_switch(struct echo_options *opts, const struct option_spec *spec, const char *value,
                         const char *where)
{
    bool on = false;
    if (!parse_switch(value, &on)) {
        fprintf(stderr, "echo_server: %s: '%s' is not yes or no\n", where, value);
        return false;
    }
    if (strcmp(spec->name, "verify-client") == 0) {
        opts->verify_client = on;
    } else if (strcmp(spec->name, "any-client-cert") == 0) {
        opts->verify_client = !on;
    } else if (strcmp(spec->name, "verbose") == 0) {
        opts->verbosity = on ? ECHO_VERBOSE : ECHO_NORMAL;
    } else {
        opts->verbosity = on ? ECHO_QUIET : ECHO_NORMAL;
    }
    return true;
}

static bool apply_text(struct echo_options *opts, const struct option_spec *spec, const char *value, const char *where)
{
    char **field = &opts->key;
    if (value[0] == '\0') {
        fprintf(stderr, "echo_server: %s: the value is empty\n", where);
        return false;
    }
    if (strcmp(spec->name, "bind") == 0) {
        field = &opts->bind;
    } else if (strcmp(spec->name, "ca") == 0) {
        field = &opts->ca;
    } else if (strcmp(spec->name, "cert") == 0) {
        field = &opts->cert;
    }
    if (!set_text(field, value)) {
        fprintf(stderr, "echo_server: out of memory\n");
        return false;
    }
    return true;
}

/* where: how an error names the setting, "--tls-port" or "FILE:LINE: tls-port". */
static bool apply(struct echo_options *opts, const struct option_spec *spec, const char *value, const char *where)
{
    switch (spec->kind) {
    case VALUE_SWITCH:
        return apply_switch(opts, spec, value, where);
    case VALUE_TEXT:
        return apply_text(opts, spec, value, where);
    default:
        return apply_number(opts, spec, value, where);
    }
}

static char *trim(char *text)
{
    while (isspace((unsigned char)*text)) {
        text++;
    }
    size_t length = strlen(text);
    while (length > 0 && isspace((unsigned char)text[length - 1])) {
        text[--length] = '\0';
    }
    return text;
}

/* One config line, already trimmed and not a comment: `key = value`. */
static bool load_line(struct echo_options *opts, char *line, const char *path, unsigned number)
{
    char where[512];
    char *equals = strchr(line, '=');
    if (equals == NULL) {
        fprintf(stderr, "echo_server: %s:%u: expected `key = value`\n", path, number);
        return false;
    }
    *equals = '\0';
    char *key = trim(line);
    char *value = trim(equals + 1);
    const struct option_spec *spec = find_spec(key, strlen(key));
    if (spec == NULL || !spec->in_file) {
        fprintf(stderr, "echo_server: %s:%u: unknown key '%s'\n", path, number, key);
        return false;
    }
    snprintf(where, sizeof where, "%s:%u: %s", path, number, key);
    return apply(opts, spec, value, where);
}

static bool load_config(struct echo_options *opts, const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        fprintf(stderr, "echo_server: cannot read config file %s: %s\n", path, strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t capacity = 0;
    unsigned number = 0;
    bool ok = true;
    while (ok && getline(&line, &capacity, file) >= 0) {
        number++;
        char *text = trim(line);
        if (text[0] != '\0' && text[0] != '#') {
            ok = load_line(opts, text, path, number);
        }
    }
    if (ok && ferror(file)) {
        fprintf(stderr, "echo_server: error reading config file %s\n", path);
        ok = false;
    }
    free(line);
    fclose(file);
    return ok;
}

/* The flag at argv[*index] (`--name`, `--name value` or `--name=value`): its spec and value; steps past it. */
static bool next_flag(int argc, char **argv, int *index, const struct option_spec **spec, const char **value)
{
    const char *arg = strcmp(argv[*index], "-h") == 0 ? "--help" : argv[*index];
    if (strncmp(arg, "--", 2) != 0) {
        fprintf(stderr, "echo_server: unexpected argument '%s' (see --help)\n", arg);
        return false;
    }
    const char *name = arg + 2;
    const char *equals = strchr(name, '=');
    size_t length = equals != NULL ? (size_t)(equals - name) : strlen(name);
    *spec = find_spec(name, length);
    if (*spec == NULL) {
        fprintf(stderr, "echo_server: unknown flag '%s' (see --help)\n", arg);
        return false;
    }
    if ((*spec)->kind == VALUE_SWITCH) {
        if (equals != NULL) {
            fprintf(stderr, "echo_server: --%s takes no value\n", (*spec)->name);
            return false;
        }
        *value = "yes";
        *index += 1;
    } else if (equals != NULL) {
        *value = equals + 1;
        *index += 1;
    } else if (*index + 1 < argc) {
        *value = argv[*index + 1];
        *index += 2;
    } else {
        fprintf(stderr, "echo_server: --%s needs a value\n", (*spec)->name);
        return false;
    }
    return true;
}

static bool check_required(const struct echo_options *opts)
{
    if (opts->cert == NULL || opts->key == NULL) {
        fprintf(stderr, "echo_server: --cert and --key are required (the TLS listener's certificate and key)\n");
        return false;
    }
    if (opts->verify_client && opts->ca == NULL) {
        fprintf(stderr, "echo_server: --verify-client (the default) needs --ca; or give --any-client-cert\n");
        return false;
    }
    return true;
}

static void set_defaults(struct echo_options *opts)
{
    *opts = (struct echo_options){
        .tls_port = ECHO_DEFAULT_TLS_PORT,
        .plain_port = ECHO_DEFAULT_PLAIN_PORT,
        .verify_client = true,
        .idle_timeout = ECHO_DEFAULT_IDLE_TIMEOUT,
        .max_connections = ECHO_DEFAULT_MAX_CONNECTIONS,
        .verbosity = ECHO_NORMAL,
    };
}

static enum echo_options_status parse_all(int argc, char **argv, struct echo_options *opts)
{
    const struct option_spec *spec = NULL;
    const char *value = NULL;
    const char *config = NULL;

    set_defaults(opts);
    if (!set_text(&opts->bind, "127.0.0.1")) {
        return ECHO_OPTIONS_ERROR;
    }
    /* First pass: syntax, --help and --config, so that the file is read before the flags that override it. */
    for (int i = 1; i < argc;) {
        if (!next_flag(argc, argv, &i, &spec, &value)) {
            return ECHO_OPTIONS_ERROR;
        }
        if (strcmp(spec->name, "help") == 0) {
            echo_options_usage(argv[0]);
            return ECHO_OPTIONS_HELP;
        }
        config = strcmp(spec->name, "config") == 0 ? value : config;
    }
    if (config != NULL && !load_config(opts, config)) {
        return ECHO_OPTIONS_ERROR;
    }
    for (int i = 1; i < argc;) {
        const char *flag = argv[i];
        next_flag(argc, argv, &i, &spec, &value);
        if (strcmp(spec->name, "config") != 0 && !apply(opts, spec, value, flag)) {
            return ECHO_OPTIONS_ERROR;
        }
    }
    return check_required(opts) ? ECHO_OPTIONS_OK : ECHO_OPTIONS_ERROR;
}

enum echo_options_status echo_options_parse(int argc, char **argv, struct echo_options *opts)
{
    enum echo_options_status status = parse_all(argc, argv, opts);
    if (status != ECHO_OPTIONS_OK) {
        echo_options_free(opts); /* the caller owns strings only after OK */
    }
    return status;
}

void echo_options_free(struct echo_options *opts)
{
    free(opts->bind);
    free(opts->ca);
    free(opts->cert);
    free(opts->key);
    opts->bind = opts->ca = opts->cert = opts->key = NULL;
}
