/* alder_provision module: the PKCS#11 function list to drive: the linked libalder_pkcs11.so, or a module named with
 * --module and loaded with dlopen. It must never call into a module it could not fully load. */
#ifndef PROVISION_MODULE_H
#define PROVISION_MODULE_H

#include <stddef.h>

#include "pkcs11.h"

struct provision_module {
    CK_FUNCTION_LIST_PTR functions;
    void *handle; /* dlopen's, or NULL for the linked module */
};

/* Loads `path` (NULL: the linked module). Returns 0, or -1 after one line on stderr. */
int provision_module_load(const char *path, struct provision_module *module);

/* Unloads a module loaded with --module (after the library closed its session and finalized it). */
void provision_module_unload(struct provision_module *module);

/* "CKR_PIN_INCORRECT" for the codes a provisioning step can meet, else "CKR_0x%lx" in `buffer`. */
const char *provision_rv_name(CK_RV rv, char *buffer, size_t size);

#endif /* PROVISION_MODULE_H */
