/* Echo server log: one line per event on stderr, filtered by the --quiet/--verbose setting.
 * It must never be handed key material or payload bytes: callers log lengths, names and error texts only. */
#ifndef ECHO_LOG_H
#define ECHO_LOG_H

#include <stdbool.h>

#include "options.h"

enum echo_log_level {
    ECHO_LOG_ERROR, /* always shown */
    ECHO_LOG_INFO,  /* hidden by --quiet */
    ECHO_LOG_DEBUG, /* shown with --verbose only */
};

void echo_log_set_verbosity(enum echo_verbosity verbosity);
bool echo_log_enabled(enum echo_log_level level);
void echo_log(enum echo_log_level level, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
