# Alder build functions: load a board, build kernels for config dirs, register test images with ctest.
# It must never hard-code a board or a port: everything board-specific comes from boards/<board>/board.cmake.

include_guard(GLOBAL)

set(ALDER_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." CACHE INTERNAL "")
get_filename_component(ALDER_ROOT "${ALDER_ROOT}" ABSOLUTE)
set(ALDER_ROOT "${ALDER_ROOT}" CACHE INTERNAL "Alder source root")

# ---- the board -------------------------------------------------------------------------------

# Reads boards/<board>/board.cmake and checks the variables every board must set.
macro(alder_load_board board)
    set(_alder_board_dir "${ALDER_ROOT}/boards/${board}")
    if(NOT EXISTS "${_alder_board_dir}/board.cmake")
        file(GLOB _alder_known RELATIVE "${ALDER_ROOT}/boards" "${ALDER_ROOT}/boards/*/board.cmake")
        list(TRANSFORM _alder_known REPLACE "/board.cmake$" "")
        message(FATAL_ERROR "Alder: no board '${board}' (no ${_alder_board_dir}/board.cmake). Known: ${_alder_known}")
    endif()
    set(ALDER_BOARD_DIR "${_alder_board_dir}")
    include("${_alder_board_dir}/board.cmake")
    foreach(_alder_required ALDER_PORT ALDER_HEAP ALDER_BOARD_DEFAULT_CONFIG_DIR)
        if(NOT DEFINED ${_alder_required} OR "${${_alder_required}}" STREQUAL "")
            message(FATAL_ERROR "Alder: ${_alder_board_dir}/board.cmake must set ${_alder_required}")
        endif()
    endforeach()
    if(NOT IS_DIRECTORY "${ALDER_ROOT}/kernel/port/${ALDER_PORT}")
        message(FATAL_ERROR "Alder: board '${board}' names port '${ALDER_PORT}', but kernel/port/${ALDER_PORT} is missing")
    endif()
    if(NOT EXISTS "${ALDER_ROOT}/kernel/heap/heap_${ALDER_HEAP}.c")
        message(FATAL_ERROR "Alder: board '${board}' names heap '${ALDER_HEAP}', but kernel/heap/heap_${ALDER_HEAP}.c is missing")
    endif()
endmacro()

# ---- kernels ---------------------------------------------------------------------------------

# The objects every image needs from the board (startup code, console). They are linked as
# objects, not archived, so that nothing referenced only by a linker script gets dropped.
function(_alder_add_board_objects target include_dirs)
    if(NOT ALDER_BOARD_SOURCES)
        return()
    endif()
    add_library(${target}_board OBJECT ${ALDER_BOARD_SOURCES})
    target_include_directories(${target}_board PRIVATE ${include_dirs})
    target_compile_options(${target}_board PRIVATE ${ALDER_BOARD_COMPILE_OPTIONS})
    set_target_properties(${target}_board PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
    target_sources(${target} INTERFACE $<TARGET_OBJECTS:${target}_board>)
endfunction()

# alder_add_kernel(<target> CONFIG_DIR <dir> [DEFINITIONS ...])
# A static library of the kernel, heap, port and board built against <dir>/FreeRTOSConfig.h.
# Everything that includes FreeRTOS.h must see the same config, so the include paths are public.
function(alder_add_kernel target)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "CONFIG_DIR" "DEFINITIONS")
    if(NOT arg_CONFIG_DIR)
        message(FATAL_ERROR "alder_add_kernel(${target}): CONFIG_DIR is required")
    endif()
    get_filename_component(config_dir "${arg_CONFIG_DIR}" ABSOLUTE)
    if(NOT EXISTS "${config_dir}/FreeRTOSConfig.h")
        message(FATAL_ERROR "alder_add_kernel(${target}): no FreeRTOSConfig.h in ${config_dir}")
    endif()
    set(port_dir "${ALDER_ROOT}/kernel/port/${ALDER_PORT}")
    file(GLOB kernel_sources CONFIGURE_DEPENDS "${ALDER_ROOT}/kernel/src/*.c")
    file(GLOB port_sources CONFIGURE_DEPENDS "${port_dir}/*.c" "${port_dir}/*.S" "${port_dir}/*.s")
    set(public_dirs "${ALDER_ROOT}/kernel/include" "${port_dir}" "${config_dir}" ${ALDER_BOARD_INCLUDE_DIRS} ${ALDER_GENERATED_INCLUDE_DIR})

    add_library(${target} STATIC ${kernel_sources} "${ALDER_ROOT}/kernel/heap/heap_${ALDER_HEAP}.c" ${port_sources})
    target_include_directories(${target} PUBLIC ${public_dirs} PRIVATE "${ALDER_ROOT}/kernel/src")
    target_compile_definitions(${target} PUBLIC ${arg_DEFINITIONS})
    target_compile_options(${target} PUBLIC ${ALDER_BOARD_COMPILE_OPTIONS})
    target_link_options(${target} INTERFACE ${ALDER_BOARD_LINK_OPTIONS})
    if(ALDER_SANITIZE)
        # An application outside this tree links a sanitized kernel: it needs the runtime too.
        target_link_options(${target} INTERFACE -fsanitize=${ALDER_SANITIZE})
    endif()
    target_link_libraries(${target} PUBLIC ${ALDER_BOARD_LINK_LIBS})
    set_target_properties(${target} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
    set_property(TARGET ${target} PROPERTY ALDER_CONFIG_DIR "${config_dir}")
    _alder_add_board_objects(${target} "${public_dirs}")
endfunction()

# The kernel library for a config dir, made once and shared by every image that uses that dir.
function(alder_kernel_for_config config_dir out_var)
    get_filename_component(config_dir "${config_dir}" ABSOLUTE)
    file(RELATIVE_PATH rel "${ALDER_ROOT}" "${config_dir}")
    string(MAKE_C_IDENTIFIER "${rel}" id)
    if(rel MATCHES "^\\.\\." OR IS_ABSOLUTE "${rel}")
        string(MD5 hash "${config_dir}")
        string(SUBSTRING "${hash}" 0 8 id)
    endif()
    set(target "alder_kernel_${id}")
    if(NOT TARGET ${target})
        alder_add_kernel(${target} CONFIG_DIR "${config_dir}")
    endif()
    set(${out_var} ${target} PARENT_SCOPE)
endfunction()

# ---- test images -----------------------------------------------------------------------------

set(ALDER_TEST_FRAMEWORK_DIR "${ALDER_ROOT}/tests/framework")
include("${CMAKE_CURRENT_LIST_DIR}/alder_qualify.cmake")

# The framework is compiled into each image, so per-image settings (timeouts, leak check) apply.
function(_alder_framework_sources out_var)
    set(sources "${ALDER_TEST_FRAMEWORK_DIR}/alder_test.c")
    if(ALDER_PORT STREQUAL "posix")
        list(APPEND sources "${ALDER_TEST_FRAMEWORK_DIR}/main_posix.c")
    else()
        list(APPEND sources "${ALDER_TEST_FRAMEWORK_DIR}/main_target.c")
    endif()
    set(${out_var} ${sources} ${ALDER_BOARD_TEST_SOURCES} PARENT_SCOPE)
endfunction()

# alder_add_test_image(<name> CONFIG_DIR <dir> SOURCES ... [LABELS ...] [TIMEOUT <s>]
#                      [DEFINITIONS ...] [TIME_MODES ...] [NO_TESTS] [GROUP <qualification group>]
#                      [ENV NAME=VALUE ...] [AFTER <image>])
# Links the test sources, the framework and the board's test support into <name>, and registers
# it with ctest once per time mode of the board (test "<name>.<mode>", environment ALDER_TIME=<mode>).
# With GROUP, each of those runs is also part of that qualification group (make qualify).
# ENV adds environment settings to every run; "@RUN@" in them becomes the run's own name.
# AFTER makes each run of <name> a second part of <image>'s run in the same time mode: it starts only
# after that run ended, never beside it, and fails without running when that run failed (ctest and the
# runner alike). <image> must be added before, in the same directory, with the same GROUP and time
# modes. "@FIRST@" in ENV becomes the name of the first run of such a chain (the run's own name for an
# image without AFTER), so that the parts share what the first one leaves, e.g. a store directory:
# ENV "ALDER_PKCS11_DIR=<dir>/@FIRST@" on both images of a pair.
function(alder_add_test_image name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "NO_TESTS" "CONFIG_DIR;TIMEOUT;GROUP;AFTER"
                          "SOURCES;LABELS;DEFINITIONS;TIME_MODES;ENV")
    if(NOT arg_CONFIG_DIR OR NOT arg_SOURCES)
        message(FATAL_ERROR "alder_add_test_image(${name}): CONFIG_DIR and SOURCES are required")
    endif()
    alder_kernel_for_config("${arg_CONFIG_DIR}" kernel)
    _alder_framework_sources(framework)
    add_executable(${name} ${arg_SOURCES} ${framework})
    target_include_directories(${name} PRIVATE "${ALDER_TEST_FRAMEWORK_DIR}")
    target_compile_definitions(${name} PRIVATE ${arg_DEFINITIONS})
    if(ALDER_HEAP STREQUAL "bump")
        # A heap that never frees cannot come back to its level: the leak check means nothing.
        target_compile_definitions(${name} PRIVATE ALDER_TEST_LEAK_CHECK=0)
    endif()
    target_link_libraries(${name} PRIVATE ${kernel})
    set_target_properties(${name} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
    _alder_time_modes("${arg_TIME_MODES}" modes)
    set(has_tests ON)
    if(arg_NO_TESTS)
        set(has_tests OFF)
    endif()
    set_target_properties(${name} PROPERTIES ALDER_RUN_MODES "${modes}" ALDER_QUALIFY_GROUP "${arg_GROUP}"
                                             ALDER_HAS_TESTS ${has_tests})
    set(after "")
    if(arg_AFTER)
        _alder_check_after(${name} ${arg_AFTER} "${modes}" "${arg_GROUP}" ${arg_NO_TESTS})
        set(after AFTER ${arg_AFTER})
    endif()
    if(NOT arg_NO_TESTS)
        alder_register_image_tests(${name} LABELS ${arg_LABELS} TIMEOUT ${arg_TIMEOUT} TIME_MODES ${arg_TIME_MODES}
                                   ENV ${arg_ENV} ${after})
    endif()
    if(arg_GROUP)
        _alder_add_qualify_runs(${name} ${arg_GROUP} "${modes}" "${arg_TIMEOUT}" "${arg_AFTER}" "${arg_ENV}")
    endif()
endfunction()

# One run of the image in its qualification group per time mode ("<name>.<mode>"; "<name>" without modes).
function(_alder_add_qualify_runs name group modes timeout after settings)
    _alder_chain_first(${name} first)
    foreach(mode IN LISTS modes)
        set(suffix "")
        set(mode_setting "")
        if(NOT mode STREQUAL "-")
            set(suffix ".${mode}")
            set(mode_setting ALDER_TIME=${mode})
        endif()
        set(run_after "")
        if(after)
            set(run_after AFTER ${after}${suffix})
        endif()
        _alder_run_environment(${name}${suffix} ${first}${suffix} "${mode_setting}" "${settings}" env)
        alder_qualify_add_image(${name} GROUP ${group} NAME ${name}${suffix} TIMEOUT ${timeout} ENV ${env}
                                ${run_after})
    endforeach()
endfunction()

# AFTER's rules: the first part exists already, and has every run the second part pairs with it.
function(_alder_check_after name after modes group no_tests)
    set(where "alder_add_test_image(${name} ... AFTER ${after})")
    if(NOT TARGET ${after})
        message(FATAL_ERROR "${where}: ${after} is not an image added before this one")
    endif()
    get_target_property(after_modes ${after} ALDER_RUN_MODES)
    get_target_property(after_group ${after} ALDER_QUALIFY_GROUP)
    get_target_property(after_has_tests ${after} ALDER_HAS_TESTS)
    if(NOT after_modes)
        message(FATAL_ERROR "${where}: ${after} was not made by alder_add_test_image")
    endif()
    if(NOT after_group)
        set(after_group "")
    endif()
    set(groups "'${after_group}', this image in '${group}'")
    string(REPLACE "''" "no group" groups "${groups}")
    foreach(mode IN LISTS modes)
        if(NOT mode IN_LIST after_modes)
            message(FATAL_ERROR "${where}: ${after} has no run in time mode '${mode}' (it has: ${after_modes})")
        endif()
    endforeach()
    if(NOT "${after_group}" STREQUAL "${group}")
        message(FATAL_ERROR "${where}: both must be in the same qualification group (the runner runs one group "
                            "at a time); ${after} is in ${groups}")
    endif()
    if(NOT no_tests AND NOT after_has_tests)
        message(FATAL_ERROR "${where}: ${after} has NO_TESTS, so ctest has no run of it to come after")
    endif()
    set_target_properties(${name} PROPERTIES ALDER_AFTER ${after})
endfunction()

# The first image of an AFTER chain (the image itself when it has no AFTER): whose run @FIRST@ names.
function(_alder_chain_first image out_var)
    get_target_property(after ${image} ALDER_AFTER)
    while(after)
        set(image ${after})
        get_target_property(after ${image} ALDER_AFTER)
    endwhile()
    set(${out_var} ${image} PARENT_SCOPE)
endfunction()

# The environment of one run: its time mode, then the image's ENV settings with @RUN@ replaced by the run's name
# and @FIRST@ by the name of its chain's first run (see AFTER), so that runs of one image in parallel (each time
# mode, ctest and the runner) can each have a directory of their own, and the parts of a chain can share one.
function(_alder_run_environment run first_run mode_setting settings out_var)
    set(env ${mode_setting})
    foreach(setting IN LISTS settings)
        string(REPLACE "@RUN@" "${run}" setting "${setting}")
        string(REPLACE "@FIRST@" "${first_run}" setting "${setting}")
        list(APPEND env "${setting}")
    endforeach()
    set(${out_var} "${env}" PARENT_SCOPE)
endfunction()

# The time modes an image runs in: its own, else the board's; "-" when the board has none.
function(_alder_time_modes modes out_var)
    if(NOT modes)
        set(modes ${ALDER_BOARD_TIME_MODES})
    endif()
    if(NOT modes)
        set(modes "-")
    endif()
    set(${out_var} ${modes} PARENT_SCOPE)
endfunction()

# alder_register_image_tests(<image> [LABELS ...] [TIMEOUT <s>] [TIME_MODES ...] [ARGS ...] [SUFFIX <s>]
#                            [ENV NAME=VALUE ...] [AFTER <image>])
# AFTER: each test runs after <image>'s test of the same time mode and SUFFIX, registered before in this
# directory (a ctest fixture: that test is its setup, so `ctest -R` of this one runs it first, and this one
# does not run when it failed). A fixture runs each test once per ctest run; `ctest --repeat` repeats a test
# in place, so a chain's parts do not alternate: loop over whole ctest runs instead.
function(alder_register_image_tests image)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "TIMEOUT;SUFFIX;AFTER" "LABELS;TIME_MODES;ARGS;ENV")
    _alder_time_modes("${arg_TIME_MODES}" modes)
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 300)
    endif()
    set(labels ${arg_LABELS} "board:${ALDER_BOARD}")
    list(REMOVE_DUPLICATES labels)
    if(arg_AFTER)
        set_target_properties(${image} PROPERTIES ALDER_AFTER ${arg_AFTER})
    endif()
    _alder_chain_first(${image} first)
    foreach(mode IN LISTS modes)
        set(test_name "${image}${arg_SUFFIX}")
        set(first_name "${first}${arg_SUFFIX}")
        set(after_name "${arg_AFTER}${arg_SUFFIX}")
        set(mode_setting "")
        if(NOT mode STREQUAL "-")
            string(APPEND test_name ".${mode}")
            string(APPEND first_name ".${mode}")
            string(APPEND after_name ".${mode}")
            set(mode_setting "ALDER_TIME=${mode}")
        endif()
        # ctest's runs get their own @RUN@ directories ("ctest-" before the name), apart from the runner's.
        _alder_run_environment(ctest-${test_name} ctest-${first_name} "${mode_setting}" "${arg_ENV}" env)
        add_test(NAME ${test_name} COMMAND ${ALDER_BOARD_RUN_PREFIX} $<TARGET_FILE:${image}> ${arg_ARGS})
        set_tests_properties(${test_name} PROPERTIES LABELS "${labels}" TIMEOUT ${arg_TIMEOUT})
        if(env)
            set_tests_properties(${test_name} PROPERTIES ENVIRONMENT "${env}")
        endif()
        if(arg_AFTER)
            _alder_test_after(${test_name} ${after_name})
        endif()
    endforeach()
endfunction()

# ctest: <test> runs after <after> and only if it passed. The fixture is named after the test that sets it up.
function(_alder_test_after test after)
    if(NOT TEST ${after})
        message(FATAL_ERROR "Alder: test ${test} runs AFTER ${after}, which is not a test registered before it in "
                            "this directory")
    endif()
    get_property(setups TEST ${after} PROPERTY FIXTURES_SETUP)
    if(NOT after IN_LIST setups)
        set_property(TEST ${after} APPEND PROPERTY FIXTURES_SETUP ${after})
    endif()
    set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED ${after})
endfunction()

# alder_add_output_check(<test> IMAGE <image> EXPECT <file.cmake> [FILTER <f>] [TIME_MODE <m>] [LABELS ...])
# Runs an image and compares its output with the expectations in <file.cmake> (see
# cmake/alder_check_output.cmake): for images whose cases are meant to fail.
function(alder_add_output_check test)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "IMAGE;EXPECT;FILTER;TIME_MODE;TIMEOUT" "LABELS")
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 300)
    endif()
    string(REPLACE ";" "|" prefix "${ALDER_BOARD_RUN_PREFIX}")
    add_test(NAME ${test}
        COMMAND ${CMAKE_COMMAND} "-DIMAGE=$<TARGET_FILE:${arg_IMAGE}>" "-DRUN_PREFIX=${prefix}"
                "-DFILTER=${arg_FILTER}" "-DEXPECT=${arg_EXPECT}"
                -P "${ALDER_ROOT}/cmake/alder_check_output.cmake")
    set(labels ${arg_LABELS} "board:${ALDER_BOARD}")
    set_tests_properties(${test} PROPERTIES LABELS "${labels}" TIMEOUT ${arg_TIMEOUT})
    if(arg_TIME_MODE)
        set_tests_properties(${test} PROPERTIES ENVIRONMENT "ALDER_TIME=${arg_TIME_MODE}")
    endif()
endfunction()

# alder_add_valgrind_test(<image> [TIME_MODE <m>]): the image under valgrind memcheck; any error fails.
function(alder_add_valgrind_test image)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "TIME_MODE;TIMEOUT" "LABELS;ARGS")
    if(ALDER_BOARD_RUN_PREFIX OR ALDER_SANITIZE)
        return() # valgrind runs host processes only, and does not mix with sanitizers
    endif()
    find_program(ALDER_VALGRIND valgrind)
    if(NOT ALDER_VALGRIND)
        message(WARNING "Alder: valgrind not found; ${image}.valgrind is not registered (tools/install-deps.sh)")
        return()
    endif()
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 900)
    endif()
    set(test_name "${image}.valgrind")
    add_test(NAME ${test_name}
        COMMAND ${ALDER_VALGRIND} --tool=memcheck --error-exitcode=1 --leak-check=no --track-origins=yes
                --quiet ${ALDER_BOARD_VALGRIND_OPTIONS} $<TARGET_FILE:${image}> ${arg_ARGS})
    set(labels ${arg_LABELS} valgrind "board:${ALDER_BOARD}")
    set_tests_properties(${test_name} PROPERTIES LABELS "${labels}" TIMEOUT ${arg_TIMEOUT})
    if(arg_TIME_MODE)
        set_tests_properties(${test_name} PROPERTIES ENVIRONMENT "ALDER_TIME=${arg_TIME_MODE}")
    endif()
endfunction()

# alder_add_run_target(<target> <image> [OUTPUT_FILE <file>]): `cmake --build . --target <target>`
# runs the image on the board; with OUTPUT_FILE its standard output is written there.
function(alder_add_run_target target image)
    cmake_parse_arguments(PARSE_ARGV 2 arg "" "OUTPUT_FILE" "")
    string(REPLACE ";" "|" prefix "${ALDER_BOARD_RUN_PREFIX}")
    add_custom_target(${target}
        COMMAND ${CMAKE_COMMAND} "-DIMAGE=$<TARGET_FILE:${image}>" "-DRUN_PREFIX=${prefix}"
                "-DOUTPUT_FILE=${arg_OUTPUT_FILE}" -P "${ALDER_ROOT}/cmake/alder_run.cmake"
        DEPENDS ${image}
        USES_TERMINAL
        VERBATIM)
endfunction()
