/* Alder kernel: its own semantic version (docs/releases.md), printed by the build, `make version` and the demo.
 * It must never hold the FreeRTOS API compatibility version: that is tskKERNEL_VERSION_* in task.h. */
#ifndef ALDER_KERNEL_VERSION_H
#define ALDER_KERNEL_VERSION_H

/* cmake/alder_version.cmake reads these four lines and checks that they agree: keep each a plain #define. */
#define ALDER_KERNEL_VERSION_MAJOR 0
#define ALDER_KERNEL_VERSION_MINOR 1
#define ALDER_KERNEL_VERSION_PATCH 0
#define ALDER_KERNEL_VERSION "0.1.0"

#endif /* ALDER_KERNEL_VERSION_H */
