/* Alder template port: how an unported piece of the template says what is missing (one line per function, once).
 * It must never be needed by a finished port: a vendor deletes this header when nothing calls it any more. */
#ifndef ALDER_TEMPLATE_NOT_IMPLEMENTED_H
#define ALDER_TEMPLATE_NOT_IMPLEMENTED_H

/*
 * The template board builds and runs on the host (x86-64 Linux) before anyone has ported it. That
 * build is the only one where the template may touch the host, and not_implemented.c is the only
 * file that does. TEMPLATE_HOST_BUILD tells the two cases apart for the few places that care.
 */
#if defined(__linux__)
#define TEMPLATE_HOST_BUILD 1
#else
#define TEMPLATE_HOST_BUILD 0
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Report that a porting function has no body yet. Prints exactly one line,
 *
 *   ALDER NOT IMPLEMENTED: <function> (<file>:<line>): see <doc>
 *
 * the first time it is called for a given function name, and nothing on later calls (the kernel
 * enters critical sections dozens of times before the scheduler starts). <file> is shortened to
 * start at "kernel/" or "boards/" so the line names the file as it is in the repository. The
 * qualification runner collects these lines into the "What to implement" list of its report.
 *
 * Where the line goes:
 *   - host build: the host's standard error, with write(2), because the board's console is
 *     itself one of the things not written yet;
 *   - target build: configPRINT_STRING, the board's console, once board_console_print works
 *     (before that, nothing: there is nowhere else to write).
 *
 * Callable from anywhere (tasks, ISRs, before the scheduler). Takes no lock: two calls racing for
 * the same name can at worst print the line twice.
 *
 * function: the caller's __func__; file: __FILE__; line: __LINE__; doc: the repository path of
 * the page that explains what to write, e.g. "docs/porting/kernel.md". All must be non-NULL and
 * must stay valid for the whole run (string literals are).
 */
void template_not_implemented(const char *function, const char *file, int line, const char *doc);

/*
 * Host build only: end the host process at once with exit_code (what a target does with a
 * semihosting exit or a halt). board_test_finish() and board_assert_failed() use it so that an
 * unported template ends its run instead of hanging until the runner's timeout.
 * On a target build there is no process to end: it stops the CPU in a loop where a debugger can
 * see it. Never returns.
 */
void template_host_exit(int exit_code) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif /* ALDER_TEMPLATE_NOT_IMPLEMENTED_H */
