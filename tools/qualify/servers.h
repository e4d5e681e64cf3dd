/* Alder qualification runner: the servers a group needs (the echo server, later the MQTT broker), started before
 * the first group that names them and stopped at the end. It must never run a group against a server that is not up. */
#ifndef QUALIFY_SERVERS_H
#define QUALIFY_SERVERS_H

#include <stdbool.h>

#include "manifest.h"

/* Makes sure every server the group names is running; its output goes to <log_dir>/server-<name>.log.
 * On failure returns false and says why in error (the last lines of the server's log included). */
bool servers_start_for(const struct manifest *m, const struct group_spec *group, const char *log_dir,
                       double timeout, char *error, size_t error_size);

/* Stops every server started (SIGTERM, then SIGKILL after 5 s). */
void servers_stop_all(void);

#endif /* QUALIFY_SERVERS_H */
