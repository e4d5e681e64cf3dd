/* Alder qualification runner: what one image's run proves, from its output and how its process ended.
 * It must never call a run good that did not show it: no banner, no summary, zero cases or a bad exit all fail. */
#ifndef QUALIFY_VERDICT_H
#define QUALIFY_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "run.h"

#define VERDICT_MAX_PROBLEMS 8
#define VERDICT_PROBLEM_MAX 640

/* The problems with a run as a whole (not its failed cases), most telling first. */
struct run_problems {
    size_t count;
    char text[VERDICT_MAX_PROBLEMS][VERDICT_PROBLEM_MAX];
};

/* run_exits: the run command ends with the image's status, so the status must agree with the output. */
void verdict_judge(const struct image_run *run, bool run_exits, struct run_problems *problems);

/* Passed: no problem and no failed case. */
bool verdict_image_passed(const struct image_run *run, const struct run_problems *problems);

#endif /* QUALIFY_VERDICT_H */
