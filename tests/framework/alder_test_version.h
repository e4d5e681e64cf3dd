/* Alder test framework: its own semantic version (docs/releases.md), printed by the build and `make version`.
 * It must never be bumped for a change in the kernel or a board alone: it versions tests/framework only. */
#ifndef ALDER_TEST_VERSION_H
#define ALDER_TEST_VERSION_H

/* cmake/alder_version.cmake reads these four lines and checks that they agree: keep each a plain #define. */
#define ALDER_TEST_VERSION_MAJOR 0
#define ALDER_TEST_VERSION_MINOR 1
#define ALDER_TEST_VERSION_PATCH 0
#define ALDER_TEST_VERSION "0.1.0"

#endif /* ALDER_TEST_VERSION_H */
