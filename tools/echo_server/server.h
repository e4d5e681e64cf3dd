/* Echo server: the two listeners, the epoll loop, connection limits, idle timeouts and clean shutdown.
 * It must never print to stdout anything but the one ready line. */
#ifndef ECHO_SERVER_H
#define ECHO_SERVER_H

#include "options.h"

#define ECHO_EXIT_OK 0
#define ECHO_EXIT_FAILURE 1
#define ECHO_EXIT_USAGE 2

/* Runs until SIGTERM or SIGINT. Returns the process exit status: ECHO_EXIT_OK after a clean shutdown,
 * ECHO_EXIT_USAGE for unusable options or files, ECHO_EXIT_FAILURE otherwise. */
int echo_server_run(const struct echo_options *opts);

#endif
