#!/bin/sh
# Alder footprint: `make size` — the kernel's linked size on Cortex-M3 per object and in total, beside the anchor.
# It must never count board code (startup, console) or the C library: only kernel/src, kernel/heap, kernel/port.
#
# Usage: kernel_size.sh MAP_MINIMAL MAP_FULL MAP_FULL_ASSERT [KERNEL_SOURCE_DIR]
# Prints a markdown section on standard output.
set -eu
here=$(dirname "$0")
kernel_dir=${4:-$here/../../kernel}

# The object names that belong to the kernel: one per source file.
kernel_objects=$(cd "$kernel_dir" && ls src/*.c heap/*.c port/armv7m/*.c 2>/dev/null | sed 's|.*/||; s|$|.o|')
# (CMake names them file.c.o or file.c.obj; map_sizes.awk reports both as file.c.o.)

sizes() { # map -> "object text data bss" for kernel objects only
    awk -f "$here/map_sizes.awk" "$1" | while read -r object text data bss; do
        for k in $kernel_objects; do
            [ "$object" = "$k" ] && echo "$object $text $data $bss"
        done
    done | sort
}

total_text() { sizes "$1" | awk '{ t += $2 } END { print t + 0 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

minimal=$(total_text "$1")
full=$(total_text "$2")
full_assert=$(total_text "$3")

echo "## Kernel footprint on Cortex-M3"
echo
echo "Written by \`make size\` (tools/bench/kernel_size.sh). arm-none-eabi-gcc $(arm-none-eabi-gcc -dumpversion 2>/dev/null || echo '?'),"
echo "-mcpu=cortex-m3 -mthumb -Os, kernel objects linked with --gc-sections into kernel/bench/size/size_app.c, which"
echo "calls every feature its configuration enables. Text = .text + .rodata of kernel/src, kernel/heap (first fit) and"
echo "kernel/port/armv7m as the linker kept them. Configurations: kernel/bench/size/<name>/FreeRTOSConfig.h."
echo
echo "| configuration | Alder text bytes | FreeRTOS V11.3.0 | ratio |"
echo "|---|---|---|---|"
echo "| minimal (preemption, 5 priorities, dynamic only) | $minimal | 3775 | $(ratio "$minimal" 3775) |"
echo "| full | $full | 8615 | $(ratio "$full" 8615) |"
echo "| full + configASSERT + stack check 2 | $full_assert | 11166 | $(ratio "$full_assert" 11166) |"
echo
echo "Per object, linked (text / data / bss bytes):"
echo
echo "| object | minimal | full | full + asserts |"
echo "|---|---|---|---|"
{ sizes "$1" | sed 's/^/m /'; sizes "$2" | sed 's/^/f /'; sizes "$3" | sed 's/^/a /'; } | awk '
    { key = $2; cell[$1, key] = $3 " / " $4 " / " $5; names[key] = 1 }
    END {
        for (k in names) {
            m = cell["m", k]; f = cell["f", k]; a = cell["a", k]
            printf "| %s | %s | %s | %s |\n", k, (m == "" ? "-" : m), (f == "" ? "-" : f), (a == "" ? "-" : a)
        }
    }' | sort
