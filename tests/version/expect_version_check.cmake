# Alder version tests: run cmake/alder_version.cmake with given options and check its status and output (script mode).
# It must never pass on the exit status alone: the output must also say what the case expects.
#
#   -DSCRIPT=<cmake/alder_version.cmake>  -DARGS=<a|b|...> (options for it, '|'-separated)
#   -DARGS_AFTER=ON                       pass the options after -P instead of before it
#   -DEXPECT=pass|fail                    the exit status wanted
#   -DEXPECT_OUTPUT=<regex>               must match its standard output and error together
string(REPLACE "|" ";" args "${ARGS}")
if(ARGS_AFTER)
    set(command "${CMAKE_COMMAND}" -P "${SCRIPT}" ${args})
else()
    set(command "${CMAKE_COMMAND}" ${args} -P "${SCRIPT}")
endif()
execute_process(COMMAND ${command} OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
message("${output}${errors}")

set(problems "")
if(EXPECT STREQUAL "pass" AND NOT status EQUAL 0)
    list(APPEND problems "exit status ${status}, expected 0")
elseif(EXPECT STREQUAL "fail" AND status EQUAL 0)
    list(APPEND problems "exit status 0, expected a failure")
endif()
# Errors are wrapped to the terminal's width by cmake: compare with runs of blanks made single.
string(REGEX REPLACE "[ \t\r\n]+" " " flat "${output}${errors}")
if(NOT "${output}${errors}" MATCHES "${EXPECT_OUTPUT}" AND NOT flat MATCHES "${EXPECT_OUTPUT}")
    list(APPEND problems "output does not match '${EXPECT_OUTPUT}'")
endif()
if(problems)
    list(JOIN problems "; " text)
    message(FATAL_ERROR "version test: ${text}")
endif()
