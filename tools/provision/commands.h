/* alder_provision commands: import, generate, import-cert and list, each run on an open provisioning context.
 * It must never store anything before every input file has been read and checked. */
#ifndef PROVISION_COMMANDS_H
#define PROVISION_COMMANDS_H

#include "options.h"
#include "pkcs11.h"

/* Runs the chosen command against the module's function list; returns a PROVISION_EXIT_* status. */
int provision_run(const struct provision_options *options, CK_FUNCTION_LIST_PTR functions);

#endif /* PROVISION_COMMANDS_H */
