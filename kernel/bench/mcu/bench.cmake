# Alder microcontroller benchmarks: instruction counts of kernel paths (`make bench`) and the kernel's
# linked footprint (`make size`), both beside the FreeRTOS anchor figures in docs/benchmarks.md.
# It must never run as a test: figures are recorded, never asserted.
set(record "${ALDER_ROOT}/tools/bench/record_section.sh")
set(bench_doc "${ALDER_ROOT}/docs/benchmarks.md")

# Instruction counts: the same program with and without configASSERT.
foreach(variant config config_assert)
    alder_kernel_for_config("${CMAKE_CURRENT_LIST_DIR}/${variant}" kernel_lib)
    add_executable(bench_kernel_${variant} "${CMAKE_CURRENT_LIST_DIR}/bench_kernel.c")
    target_link_libraries(bench_kernel_${variant} PRIVATE ${kernel_lib})
    set_target_properties(bench_kernel_${variant} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON SUFFIX ".elf")
endforeach()
add_custom_target(alder_bench DEPENDS bench_kernel_config bench_kernel_config_assert)
# The board's run command ends with the option that takes the image (-kernel): the counting
# options go before it.
set(run_prefix ${ALDER_BOARD_RUN_PREFIX})
list(POP_BACK run_prefix image_option)
string(REPLACE ";" " " run_prefix "${run_prefix} -icount shift=0,align=off,sleep=off ${image_option}")
add_custom_target(bench
    COMMAND sh -c "out=$(${ALDER_ROOT}/tools/bench/kernel_mcu_bench.sh $<TARGET_FILE:bench_kernel_config> $<TARGET_FILE:bench_kernel_config_assert> ${run_prefix}) && printf '%s\\n' \"$out\" && printf '%s\\n' \"$out\" | ${record} ${bench_doc} mcu-kernel-paths"
    DEPENDS alder_bench
    USES_TERMINAL
    VERBATIM)

# Footprint: a small program per configuration, its map file read by tools/bench/kernel_size.sh.
set(size_maps "")
foreach(variant minimal full full_assert)
    alder_kernel_for_config("${CMAKE_CURRENT_LIST_DIR}/../size/${variant}" kernel_lib)
    add_executable(size_${variant} "${CMAKE_CURRENT_LIST_DIR}/../size/size_app.c")
    target_link_libraries(size_${variant} PRIVATE ${kernel_lib})
    set_target_properties(size_${variant} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON SUFFIX ".elf")
    list(APPEND size_maps "${CMAKE_CURRENT_BINARY_DIR}/size_${variant}.map")
endforeach()
string(REPLACE ";" " " size_maps "${size_maps}")
add_custom_target(size
    COMMAND sh -c "out=$(${ALDER_ROOT}/tools/bench/kernel_size.sh ${size_maps} ${ALDER_ROOT}/kernel) && printf '%s\\n' \"$out\" && printf '%s\\n' \"$out\" | ${record} ${bench_doc} mcu-kernel-size"
    DEPENDS size_minimal size_full size_full_assert
    USES_TERMINAL
    VERBATIM)
