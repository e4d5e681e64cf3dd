#!/bin/sh
# Alder benchmark: `make bench BOARD=qemu-mps2-an385` — runs the instruction-count images and prints the table.
# It must never time anything: QEMU's -icount makes every figure an exact instruction count.
#
# Usage: kernel_mcu_bench.sh IMAGE_NO_ASSERT IMAGE_ASSERT QEMU_COMMAND...
# Prints a markdown section on standard output; exits non-zero when an image fails.
set -eu
plain=$1
checked=$2
shift 2

run() { # image -> BENCH lines
    out=$("$@" 2>&1) || { echo "bench image failed: $*" >&2; echo "$out" >&2; exit 1; }
    echo "$out" | grep '^BENCH ' || true
}

plain_out=$(run "$@" "$plain")
checked_out=$(run "$@" "$checked")
echo "$plain_out" | grep -q '^BENCH done' || { echo "bench: $plain did not finish" >&2; exit 1; }
echo "$checked_out" | grep -q '^BENCH done' || { echo "bench: $checked did not finish" >&2; exit 1; }

value() { # output name -> value in units (hundredths in the output)
    echo "$1" | awk -v n="$2" '$1 == "BENCH" && $2 == n { printf "%.2f", $3 / 100 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

row() { # label name anchor anchor_assert
    a=$(value "$plain_out" "$2"); b=$(value "$checked_out" "$2")
    echo "| $1 | $a | $3 | $(ratio "$a" "$3") | $b | $4 | $(ratio "$b" "$4") |"
}

echo "## Kernel paths on Cortex-M3, in instructions"
echo
echo "Written by \`make bench BOARD=qemu-mps2-an385\` (kernel/bench/mcu/bench_kernel.c, tools/bench/kernel_mcu_bench.sh)."
echo "QEMU $(qemu-system-arm --version | head -n 1 | sed 's/.*version //'), mps2-an385, \`-icount shift=0,align=off,sleep=off\`:"
echo "one instruction is one nanosecond of virtual time and APB timer0 (25 MHz) counts every 40 instructions."
echo "Each path runs 10,000 times with the RTOS tick stopped; the figure is instructions per iteration, the same"
echo "on every run of the same binary. Full configuration (kernel/bench/mcu/full_features.h), -Os."
echo
echo "| path | Alder | FreeRTOS V11.3.0 | ratio | Alder, configASSERT | FreeRTOS, configASSERT | ratio |"
echo "|---|---|---|---|---|---|---|"
row "taskYIELD round trip, two equal-priority tasks (2 switches)" yield_round_trip 115 157
row "queue send waking a higher-priority receiver, until its receive returns" queue_wake_one_way 274 329
row "the same, full round trip back to the sender" queue_wake_round_trip 693 857
row "task notify give waking a higher-priority waiter, one way" notify_wake_one_way 183 225
row "task notify give, round trip" notify_wake_round_trip 421 507
row "binary semaphore give + take, no blocking" binary_give_take 97 146
row "mutex take + give, no blocking" mutex_take_give 119 174
row "queue send + receive of 4 bytes, no blocking" queue_send_receive 164 210
row "xTaskCreate + vTaskDelete, dynamic, 128-word stack" create_delete_dynamic 1023 1177
row "xTaskCreateStatic + vTaskDelete" create_delete_static 580 611
echo
tcb=$(value "$plain_out" sizeof_static_task | sed 's/\..*//')
heap=$(value "$plain_out" heap_per_task_128_words | sed 's/\..*//')
echo "| RAM | Alder | FreeRTOS V11.3.0 | ratio |"
echo "|---|---|---|---|"
echo "| sizeof(StaticTask_t), full configuration | $tcb | 84 | $(ratio "$tcb" 84) |"
echo "| heap taken by a dynamic task with a 128-word stack | $heap | 616 | $(ratio "$heap" 616) |"
