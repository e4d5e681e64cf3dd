# Alder: run a test image and compare its output with expectations (script mode, see alder_add_output_check).
# It must never pass on the exit status alone: every expected line must be present, in any order.
#
# EXPECT names a file that sets:
#   EXPECT_EXIT   the exit status the run must have (0 or non-zero: "nonzero")
#   EXPECT_LINES  regular expressions, each of which must match one whole line of the output
#   REJECT_LINES  regular expressions that no line may match
string(REPLACE "|" ";" prefix "${RUN_PREFIX}")
set(args "")
if(NOT "${FILTER}" STREQUAL "")
    set(args "${FILTER}")
endif()
include("${EXPECT}")
execute_process(COMMAND ${prefix} "${IMAGE}" ${args} OUTPUT_VARIABLE output ERROR_VARIABLE errors
                RESULT_VARIABLE status)
message("${output}${errors}")

set(problems "")
if(EXPECT_EXIT STREQUAL "nonzero")
    if(status EQUAL 0)
        list(APPEND problems "exit status 0, expected a failure status")
    endif()
elseif(NOT status EQUAL EXPECT_EXIT)
    list(APPEND problems "exit status '${status}', expected ${EXPECT_EXIT}")
endif()

string(REPLACE ";" "\\;" output "${output}")
string(REPLACE "\r" "" output "${output}")
string(REPLACE "\n" ";" lines "${output}")
foreach(expected IN LISTS EXPECT_LINES)
    set(found FALSE)
    foreach(line IN LISTS lines)
        if(line MATCHES "^${expected}$")
            set(found TRUE)
            break()
        endif()
    endforeach()
    if(NOT found)
        list(APPEND problems "no line matches: ${expected}")
    endif()
endforeach()
foreach(rejected IN LISTS REJECT_LINES)
    foreach(line IN LISTS lines)
        if(line MATCHES "${rejected}")
            list(APPEND problems "unexpected line: ${line}")
        endif()
    endforeach()
endforeach()

if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "output check ${EXPECT} failed:\n  ${text}")
endif()
message(STATUS "output check passed: ${EXPECT}")
