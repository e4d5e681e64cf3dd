/* Alder benchmark: context-switch round trips on the posix simulator, pinned to one CPU and not.
 * It must never assert a speed: it measures, prints a table, and records it when asked. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "FreeRTOS.h"
#include "queue.h"
#include "task.h"

/*
 * Two rows, both between two tasks of equal priority:
 *   queue ping-pong: A sends to a length-1 queue and waits on another; B echoes back.
 *   yield:           A and B call taskYIELD() in turn; a round trip is two switches.
 * Each measurement runs in a child process (one scheduler per process), pinned to CPU 0 or
 * free to move, and reports nanoseconds per round trip through a pipe.
 */

#define ROUND_TRIPS 200000u
#define WARM_UP 2000u

/* The FreeRTOS kernel's own POSIX port on this machine class (the anchor), in us. */
static const double anchor_us[2][2] = {
    {14.65, 48.0}, /* queue ping-pong: pinned, unpinned */
    {8.1, 41.5},   /* yield: pinned, unpinned */
};

static QueueHandle_t ping;
static QueueHandle_t pong;
static volatile int yield_phase_done;
static double result_ns[2];

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void echo_task(void *unused)
{
    (void)unused;
    uint32_t value;
    for (;;) {
        (void)xQueueReceive(ping, &value, portMAX_DELAY);
        (void)xQueueSend(pong, &value, portMAX_DELAY);
    }
}

static double measure_ping_pong(void)
{
    uint32_t value = 0;
    for (uint32_t i = 0; i < WARM_UP; i++) {
        (void)xQueueSend(ping, &i, portMAX_DELAY);
        (void)xQueueReceive(pong, &value, portMAX_DELAY);
    }
    const double start = now_ns();
    for (uint32_t i = 0; i < ROUND_TRIPS; i++) {
        (void)xQueueSend(ping, &i, portMAX_DELAY);
        (void)xQueueReceive(pong, &value, portMAX_DELAY);
    }
    return (now_ns() - start) / ROUND_TRIPS;
}

static void yield_partner(void *unused)
{
    (void)unused;
    while (!yield_phase_done) {
        taskYIELD();
    }
    vTaskSuspend(NULL);
}

static double measure_yield(void)
{
    for (uint32_t i = 0; i < WARM_UP; i++) {
        taskYIELD();
    }
    const double start = now_ns();
    for (uint32_t i = 0; i < ROUND_TRIPS; i++) {
        taskYIELD(); /* to the partner, which yields straight back */
    }
    const double elapsed = now_ns() - start;
    yield_phase_done = 1;
    return elapsed / ROUND_TRIPS;
}

static void driver_task(void *unused)
{
    (void)unused;
    TaskHandle_t echo = NULL;
    (void)xTaskCreate(echo_task, "echo", configMINIMAL_STACK_SIZE, NULL, 2, &echo);
    result_ns[0] = measure_ping_pong();
    vTaskDelete(echo);
    (void)xTaskCreate(yield_partner, "partner", configMINIMAL_STACK_SIZE, NULL, 2, NULL);
    result_ns[1] = measure_yield();
    vTaskEndScheduler();
}

/* One measurement run in this process; writes two doubles to `fd`. */
static int run_child(int fd, int pinned)
{
    if (pinned) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(0, &set);
        if (sched_setaffinity(0, sizeof(set), &set) != 0) {
            perror("sched_setaffinity");
            return 1;
        }
    }
    ping = xQueueCreate(1, sizeof(uint32_t));
    pong = xQueueCreate(1, sizeof(uint32_t));
    if (ping == NULL || pong == NULL ||
        xTaskCreate(driver_task, "driver", configMINIMAL_STACK_SIZE, NULL, 2, NULL) != pdPASS) {
        fprintf(stderr, "bench: cannot create the benchmark objects\n");
        return 1;
    }
    vTaskStartScheduler();
    return write(fd, result_ns, sizeof(result_ns)) == (ssize_t)sizeof(result_ns) ? 0 : 1;
}

static int measure(int pinned, double out_ns[2])
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return -1;
    }
    const pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        _exit(run_child(fds[1], pinned));
    }
    close(fds[1]);
    const ssize_t got = read(fds[0], out_ns, 2 * sizeof(double));
    close(fds[0]);
    int status = 0;
    (void)waitpid(child, &status, 0);
    return (got == (ssize_t)(2 * sizeof(double)) && WIFEXITED(status) && WEXITSTATUS(status) == 0) ? 0 : -1;
}

static void print_table(FILE *out, double ns[2][2])
{
    static const char *const rows[2] = {"queue ping-pong round trip (length-1 queues)",
                                        "taskYIELD round trip (2 switches)"};
    fprintf(out, "| path | pinned: Alder | pinned: FreeRTOS POSIX port | speed-up | unpinned: Alder | "
                 "unpinned: FreeRTOS POSIX port | speed-up |\n");
    fprintf(out, "|---|---|---|---|---|---|---|\n");
    for (int row = 0; row < 2; row++) {
        const double pinned_us = ns[0][row] / 1000.0;
        const double free_us = ns[1][row] / 1000.0;
        fprintf(out, "| %s | %.3f us | %.2f us | %.0fx | %.3f us | %.2f us | %.0fx |\n", rows[row], pinned_us,
                anchor_us[row][0], anchor_us[row][0] / pinned_us, free_us, anchor_us[row][1],
                anchor_us[row][1] / free_us);
    }
}

/* The host's CPU model, for the record. */
static void describe_machine(char *text, size_t size)
{
    snprintf(text, size, "unknown CPU");
    FILE *info = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (info != NULL && fgets(line, sizeof(line), info) != NULL) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
            snprintf(text, size, "%s", colon + 2);
            text[strcspn(text, "\n")] = '\0';
            break;
        }
    }
    if (info != NULL) {
        fclose(info);
    }
}

int main(void)
{
    double ns[2][2]; /* [pinned, unpinned][ping-pong, yield] */
    if (measure(1, ns[0]) != 0 || measure(0, ns[1]) != 0) {
        fprintf(stderr, "bench: a measurement failed\n");
        return 1;
    }
    char machine[200];
    describe_machine(machine, sizeof(machine));
    printf("## Context switches on the posix simulator\n\n");
    printf("Written by `make bench` (kernel/bench/posix/bench_posix.c). Machine: %s, %ld online CPUs.\n\n", machine,
           sysconf(_SC_NPROCESSORS_ONLN));
    printf("%u round trips per row after %u warm-up ones, real-time mode with the 1 kHz tick running. "
           "Pinned: the whole process on CPU 0 (like `taskset -c 0`). The FreeRTOS figures are the anchor "
           "measured with the FreeRTOS kernel's own POSIX port on this machine class.\n\n",
           ROUND_TRIPS, WARM_UP);
    print_table(stdout, ns);
    return 0;
}
