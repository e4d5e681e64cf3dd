/* Echo server entry point: parses the options and runs the server; the exit status says how it ended.
 * It must never start listening with options it could not fully parse. */
#include "log.h"
#include "options.h"
#include "server.h"

int main(int argc, char **argv)
{
    struct echo_options opts;
    enum echo_options_status parsed = echo_options_parse(argc, argv, &opts);
    int status = ECHO_EXIT_USAGE;
    if (parsed == ECHO_OPTIONS_HELP) {
        status = ECHO_EXIT_OK;
    } else if (parsed == ECHO_OPTIONS_OK) {
        echo_log_set_verbosity(opts.verbosity);
        status = echo_server_run(&opts);
        echo_options_free(&opts);
    }
    return status;
}
