/* alder_provision: puts a device's credentials into a PKCS#11 token, or makes its key there and writes a CSR.
 * It must never print key material or the PIN: its output names files, labels, subjects and statuses only. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "module.h"
#include "options.h"

int main(int argc, char **argv)
{
    struct provision_options options;
    enum provision_parse parsed = provision_options_parse(argc, argv, &options);
    if (parsed != PARSE_OK) {
        return parsed == PARSE_HELP ? PROVISION_EXIT_OK : PROVISION_EXIT_USAGE;
    }
    /* The posix PAL reads the store directory when the module is initialized, so set it before anything else. */
    if (options.store != NULL && setenv("ALDER_PKCS11_DIR", options.store, 1) != 0) {
        perror("alder_provision: --store");
        return PROVISION_EXIT_FAILURE;
    }
    struct provision_module module;
    if (provision_module_load(options.module, &module) != 0) {
        return PROVISION_EXIT_FAILURE;
    }
    int result = provision_run(&options, module.functions);
    provision_module_unload(&module);
    return result;
}
