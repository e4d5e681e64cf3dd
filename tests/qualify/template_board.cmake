# Alder qualification self-test: `make qualify BOARD=template` must build with the host compiler, say NOT QUALIFIED,
# exit non-zero, and name the porting functions still to write. It must never pass on a bare "not qualified":
# the report has to name the missing pieces, or a vendor would not know where to start.
foreach(var ALDER_ROOT BINARY_DIR C_COMPILER)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "template_board.cmake: -D${var}= is required")
    endif()
endforeach()
set(build "${BINARY_DIR}/build")
set(out "${BINARY_DIR}/report")
file(REMOVE_RECURSE "${out}")
execute_process(COMMAND ${CMAKE_COMMAND} -S "${ALDER_ROOT}" -B "${build}" -DALDER_BOARD=template
                        "-DCMAKE_C_COMPILER=${C_COMPILER}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
                RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "configuring the template board failed (${status})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${build}" --parallel 2 RESULT_VARIABLE status OUTPUT_VARIABLE log
                ERROR_VARIABLE log)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "building the template board failed (${status}):\n${log}")
endif()
execute_process(COMMAND "${build}/host-tools/qualify/alder_qualify" --manifest "${build}/qualify/manifest"
                        --out "${out}" RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 1)
    message(FATAL_ERROR "alder_qualify on the template board exited with ${status}, expected 1 (not qualified)")
endif()
file(READ "${out}/report.md" report)
foreach(expected "## Verdict: NOT QUALIFIED" "## What to implement"
                 "`xPortStartScheduler` in kernel/port/template/port\\.c:[0-9]+: see docs/porting/kernel\\.md"
                 "`pxPortInitialiseStack` in kernel/port/template/port\\.c:[0-9]+"
                 "`board_console_print` in boards/template/console\\.c:[0-9]+: see docs/porting/logging\\.md")
    if(NOT report MATCHES "${expected}")
        message(FATAL_ERROR "the template's report does not match: ${expected}\n---\n${report}")
    endif()
endforeach()
message("the template board is NOT QUALIFIED, and its report names what to implement")
