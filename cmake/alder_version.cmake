# Alder versions: reads the release (RELEASE) and each component's <id>_version.h; prints them, checks them, or makes alder_release.h.
# It must never hold a version itself: RELEASE and the component headers are the only places one is written.
#
# Three ways to use it (docs/releases.md):
#   include(cmake/alder_version.cmake)       from CMakeLists.txt: sets ALDER_RELEASE, ALDER_COMPONENT_VERSIONS
#                                            ("kernel=0.1.0;test-framework=0.1.0") and ALDER_GENERATED_INCLUDE_DIR,
#                                            which holds the generated alder_release.h. A problem stops the configure.
#   cmake -P cmake/alder_version.cmake       prints the release and every component's version (`make version`).
#   cmake -DALDER_VERSION_CHECK=ON -P ...    checks them and prints one verdict line.
# Script mode also takes -DALDER_RELEASE_FILE=<file> and -DALDER_SOURCE_ROOT=<dir> (to check other inputs,
# as tests/version does), before or after -P. Every mode exits non-zero on any problem: a release whose
# versions disagree must not build, and must not be printed as if it were fine.

include_guard(GLOBAL)

# The components every release has. Libraries are found, not listed: libraries/<lib>/include/<lib>_version.h
# with <LIB>_VERSION_*, so a new library needs no change here.
set(_ALDER_FIXED_COMPONENTS
    "kernel|kernel/include/alder_kernel_version.h|ALDER_KERNEL"
    "test-framework|tests/framework/alder_test_version.h|ALDER_TEST")
set(_ALDER_RELEASE_REGEX "^[0-9][0-9][0-9][0-9](0[1-9]|1[0-2])\\.[0-9][0-9]$")

# The value of `#define <name> <value>` among the lines given, trailing comment removed; "" if absent.
function(_alder_define_value lines name out_var)
    set(value "")
    foreach(line IN LISTS lines)
        if(line MATCHES "^[ \t]*#[ \t]*define[ \t]+${name}[ \t]+(.*)$")
            string(REGEX REPLACE "/[*/].*$" "" value "${CMAKE_MATCH_1}")
            string(STRIP "${value}" value)
            break()
        endif()
    endforeach()
    set(${out_var} "${value}" PARENT_SCOPE)
endfunction()

# Reads <root>/<header>: sets <out_version> to "M.m.p" (or "?") and appends what is wrong to <errors_var>.
function(_alder_header_version root header id out_version errors_var)
    set(errors ${${errors_var}})
    set(version "?")
    if(NOT EXISTS "${root}/${header}")
        list(APPEND errors "${header} is missing: it must define ${id}_VERSION_MAJOR, _MINOR, _PATCH and ${id}_VERSION")
        set(${errors_var} ${errors} PARENT_SCOPE)
        set(${out_version} "${version}" PARENT_SCOPE)
        return()
    endif()
    file(STRINGS "${root}/${header}" lines REGEX "^[ \t]*#[ \t]*define[ \t]+${id}_VERSION")
    set(numbers "")
    foreach(part MAJOR MINOR PATCH)
        _alder_define_value("${lines}" "${id}_VERSION_${part}" value)
        if(value STREQUAL "")
            list(APPEND errors "${header} does not define ${id}_VERSION_${part}")
        elseif(NOT value MATCHES "^(0|[1-9][0-9]*)$")
            list(APPEND errors "${header}: ${id}_VERSION_${part} is '${value}', not a plain decimal number")
        else()
            list(APPEND numbers "${value}")
        endif()
    endforeach()
    string(REPLACE ";" "." joined "${numbers}")
    _alder_define_value("${lines}" "${id}_VERSION" text)
    if(text STREQUAL "")
        list(APPEND errors "${header} does not define ${id}_VERSION (the string \"M.m.p\")")
    elseif(NOT text MATCHES "^\"(.*)\"$")
        list(APPEND errors "${header}: ${id}_VERSION is ${text}, not a string literal \"M.m.p\"")
    else()
        set(version "${CMAKE_MATCH_1}")
        list(LENGTH numbers count)
        if(count EQUAL 3 AND NOT version STREQUAL joined)
            list(APPEND errors "${header}: ${id}_VERSION is \"${version}\" but MAJOR.MINOR.PATCH is ${joined}")
        endif()
    endif()
    set(${errors_var} ${errors} PARENT_SCOPE)
    set(${out_version} "${version}" PARENT_SCOPE)
endfunction()

# Sets ALDER_RELEASE, ALDER_COMPONENT_VERSIONS ("name=version" list), _alder_version_errors and
# _alder_version_inputs (the files read, so a build reconfigures when one changes) in the caller.
function(_alder_collect_versions root release_file)
    set(errors "")
    set(release "?")
    file(RELATIVE_PATH shown_release "${root}" "${release_file}")
    if(shown_release MATCHES "^\\.\\./")
        set(shown_release "${release_file}")
    endif()
    if(NOT EXISTS "${release_file}")
        list(APPEND errors "${shown_release} is missing: it holds the release name, one line such as 202611.00")
    else()
        file(READ "${release_file}" content)
        string(STRIP "${content}" content)
        if(content MATCHES "\n")
            list(APPEND errors "${shown_release} must hold one line, the release name (such as 202611.00)")
        elseif(NOT content MATCHES "${_ALDER_RELEASE_REGEX}")
            list(APPEND errors "release '${content}' in ${shown_release} is not YYYYMM.NN (four-digit year, month 01-12, a dot, two-digit release number of the month from 00), such as 202611.00")
        else()
            set(release "${content}")
        endif()
    endif()

    set(components ${_ALDER_FIXED_COMPONENTS})
    file(GLOB library_dirs LIST_DIRECTORIES true "${root}/libraries/*")
    list(SORT library_dirs)
    foreach(dir IN LISTS library_dirs)
        if(IS_DIRECTORY "${dir}")
            get_filename_component(lib "${dir}" NAME)
            string(MAKE_C_IDENTIFIER "${lib}" id)
            string(TOUPPER "${id}" id)
            if(NOT EXISTS "${dir}/include/${lib}_version.h")
                list(APPEND errors "libraries/${lib} has no version header: create libraries/${lib}/include/${lib}_version.h defining ${id}_VERSION_MAJOR, _MINOR, _PATCH and ${id}_VERSION \"M.m.p\"")
            else()
                list(APPEND components "${lib}|libraries/${lib}/include/${lib}_version.h|${id}")
            endif()
        endif()
    endforeach()

    set(versions "")
    set(inputs "${release_file}")
    foreach(entry IN LISTS components)
        string(REPLACE "|" ";" fields "${entry}")
        list(GET fields 0 name)
        list(GET fields 1 header)
        list(GET fields 2 id)
        _alder_header_version("${root}" "${header}" "${id}" version errors)
        list(APPEND versions "${name}=${version}")
        list(APPEND inputs "${root}/${header}")
    endforeach()

    set(ALDER_RELEASE "${release}" PARENT_SCOPE)
    set(ALDER_COMPONENT_VERSIONS "${versions}" PARENT_SCOPE)
    set(_alder_version_errors "${errors}" PARENT_SCOPE)
    set(_alder_version_inputs "${inputs}" PARENT_SCOPE)
endfunction()

# "kernel 0.1.0, test-framework 0.1.0" (separator ", ") or the table of `make version` (separator "\n").
function(_alder_format_components versions separator padded out_var)
    set(parts "")
    foreach(entry IN LISTS versions)
        string(REGEX REPLACE "=.*$" "" name "${entry}")
        string(REGEX REPLACE "^[^=]*=" "" version "${entry}")
        if(padded)
            string(LENGTH "${name}" length)
            math(EXPR gap "16 - ${length}")
            if(gap LESS 2)
                set(gap 2)
            endif()
            string(REPEAT " " ${gap} spaces)
            list(APPEND parts "  ${name}${spaces}${version}")
        else()
            list(APPEND parts "${name} ${version}")
        endif()
    endforeach()
    list(JOIN parts "${separator}" text)
    set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# Stops with every problem listed, one per line, and the file that fixes each.
function(_alder_version_fail errors)
    list(LENGTH errors count)
    list(JOIN errors "\n  " text)
    message(FATAL_ERROR "Alder version check: ${count} problem(s) (docs/releases.md):\n  ${text}")
endfunction()

# ---- script mode: cmake [-D...] -P cmake/alder_version.cmake [-D...] ---------------------------------------------

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
    # cmake applies -D only before -P; the options are taken after it as well.
    math(EXPR _alder_last "${CMAKE_ARGC} - 1")
    foreach(_alder_i RANGE ${_alder_last})
        if(CMAKE_ARGV${_alder_i} MATCHES "^-D(ALDER_VERSION_CHECK|ALDER_RELEASE_FILE|ALDER_SOURCE_ROOT)(:[A-Z]+)?=(.*)$")
            set(${CMAKE_MATCH_1} "${CMAKE_MATCH_3}")
        endif()
    endforeach()
    if(NOT ALDER_SOURCE_ROOT)
        get_filename_component(ALDER_SOURCE_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
    endif()
    get_filename_component(ALDER_SOURCE_ROOT "${ALDER_SOURCE_ROOT}" ABSOLUTE)
    if(NOT ALDER_RELEASE_FILE)
        set(ALDER_RELEASE_FILE "${ALDER_SOURCE_ROOT}/RELEASE")
    endif()
    get_filename_component(ALDER_RELEASE_FILE "${ALDER_RELEASE_FILE}" ABSOLUTE)

    _alder_collect_versions("${ALDER_SOURCE_ROOT}" "${ALDER_RELEASE_FILE}")
    if(ALDER_VERSION_CHECK)
        if(_alder_version_errors)
            _alder_version_fail("${_alder_version_errors}")
        endif()
        list(LENGTH ALDER_COMPONENT_VERSIONS _alder_count)
        _alder_format_components("${ALDER_COMPONENT_VERSIONS}" ", " OFF _alder_text)
        execute_process(COMMAND "${CMAKE_COMMAND}" -E echo
                        "Alder version check: OK: release ${ALDER_RELEASE}, ${_alder_count} components (${_alder_text})")
    else()
        # The table goes to standard output (message() writes to standard error), so it can be piped.
        _alder_format_components("${ALDER_COMPONENT_VERSIONS}" "\n" ON _alder_text)
        execute_process(COMMAND "${CMAKE_COMMAND}" -E echo "Alder ${ALDER_RELEASE}\n${_alder_text}")
        if(_alder_version_errors)
            _alder_version_fail("${_alder_version_errors}")
        endif()
    endif()
    return()
endif()

# ---- include mode: from CMakeLists.txt ------------------------------------------------------------------------

get_filename_component(_alder_version_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
_alder_collect_versions("${_alder_version_root}" "${_alder_version_root}/RELEASE")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_alder_version_inputs})
if(_alder_version_errors)
    _alder_version_fail("${_alder_version_errors}")
endif()
# A library directory added later must reconfigure the build, so the glob is watched as well.
file(GLOB _alder_version_libraries CONFIGURE_DEPENDS LIST_DIRECTORIES true "${_alder_version_root}/libraries/*")

set(ALDER_GENERATED_INCLUDE_DIR "${CMAKE_CURRENT_BINARY_DIR}/alder_generated/include" CACHE INTERNAL
    "Headers generated by the Alder build (alder_release.h)")
_alder_format_components("${ALDER_COMPONENT_VERSIONS}" ", " OFF _alder_components_text)
file(CONFIGURE OUTPUT "${ALDER_GENERATED_INCLUDE_DIR}/alder_release.h" @ONLY CONTENT
"/* Alder release and component versions, generated by cmake/alder_version.cmake from RELEASE and the *_version.h headers.
 * It must never be edited: change RELEASE or a component's version header, and the build remakes it. */
#ifndef ALDER_RELEASE_H
#define ALDER_RELEASE_H

#define ALDER_RELEASE \"@ALDER_RELEASE@\"
#define ALDER_COMPONENT_VERSIONS \"@_alder_components_text@\"

#endif /* ALDER_RELEASE_H */
")
message(STATUS "Alder ${ALDER_RELEASE} (${_alder_components_text})")
