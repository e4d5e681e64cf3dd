/* alder_provision module: finds C_GetFunctionList in the linked module or in a dlopen'ed one, and names CK_RVs.
 * It must never use a function list a module did not return with CKR_OK. */
#define _GNU_SOURCE
#include "module.h"

#include <dlfcn.h>
#include <stdio.h>

int provision_module_load(const char *path, struct provision_module *module)
{
    module->functions = NULL;
    module->handle = NULL;
    CK_C_GetFunctionList get_function_list = C_GetFunctionList;
    if (path != NULL) {
        module->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (module->handle == NULL) {
            fprintf(stderr, "alder_provision: --module %s: cannot load: %s\n", path, dlerror());
            return -1;
        }
        /* POSIX's way to turn dlsym's object pointer into a function pointer. */
        *(void **)&get_function_list = dlsym(module->handle, "C_GetFunctionList");
        if (get_function_list == NULL) {
            fprintf(stderr, "alder_provision: --module %s: no C_GetFunctionList: not a PKCS#11 module\n", path);
            provision_module_unload(module);
            return -1;
        }
    }
    CK_RV rv = get_function_list(&module->functions);
    if (rv != CKR_OK || module->functions == NULL) {
        fprintf(stderr, "alder_provision: %s: C_GetFunctionList failed (0x%lx)\n",
                path != NULL ? path : "libalder_pkcs11.so", (unsigned long)rv);
        provision_module_unload(module);
        return -1;
    }
    return 0;
}

void provision_module_unload(struct provision_module *module)
{
    if (module->handle != NULL) {
        dlclose(module->handle);
    }
    module->handle = NULL;
    module->functions = NULL;
}

static const struct {
    CK_RV rv;
    const char *name;
} rv_names[] = {
    {CKR_OK, "CKR_OK"},
    {CKR_HOST_MEMORY, "CKR_HOST_MEMORY"},
    {CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR"},
    {CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED"},
    {CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD"},
    {CKR_ATTRIBUTE_READ_ONLY, "CKR_ATTRIBUTE_READ_ONLY"},
    {CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID"},
    {CKR_ATTRIBUTE_VALUE_INVALID, "CKR_ATTRIBUTE_VALUE_INVALID"},
    {CKR_ACTION_PROHIBITED, "CKR_ACTION_PROHIBITED"},
    {CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR"},
    {CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY"},
    {CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED"},
    {CKR_KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT"},
    {CKR_KEY_FUNCTION_NOT_PERMITTED, "CKR_KEY_FUNCTION_NOT_PERMITTED"},
    {CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID"},
    {CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT"},
    {CKR_PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE"},
    {CKR_SESSION_READ_ONLY, "CKR_SESSION_READ_ONLY"},
    {CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE"},
    {CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT"},
    {CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT"},
    {CKR_TOKEN_WRITE_PROTECTED, "CKR_TOKEN_WRITE_PROTECTED"},
    {CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN"},
    {CKR_USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED"},
    {CKR_CURVE_NOT_SUPPORTED, "CKR_CURVE_NOT_SUPPORTED"},
    {CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED"},
};

const char *provision_rv_name(CK_RV rv, char *buffer, size_t size)
{
    for (size_t i = 0; i < sizeof rv_names / sizeof rv_names[0]; i++) {
        if (rv_names[i].rv == rv) {
            return rv_names[i].name;
        }
    }
    snprintf(buffer, size, "CKR_0x%lx", (unsigned long)rv);
    return buffer;
}
