# Alder qualification: the group registry check, the images each group runs, and the manifest that
# tools/qualify (alder_qualify) reads: build/<board>/qualify/manifest.
# It must never let a group go unmentioned: every registered group is either run by the board or
# declared not applicable with a reason (tests/qualification_groups.cmake holds the registry).

include_guard(GLOBAL)
include("${ALDER_ROOT}/tests/qualification_groups.cmake")

# What a board may set in board.cmake (defaults here):
#   ALDER_BOARD_QUALIFY_GROUPS          groups the board must pass
#   ALDER_BOARD_QUALIFY_NOT_APPLICABLE  "Group: reason" for each group that does not apply
#   ALDER_BOARD_RUN_EXITS               ON when the run command ends with the image's status (simulator,
#                                       QEMU); OFF for a flash-and-read-serial command the runner stops
#   ALDER_BOARD_QUALIFY_JOBS            images run at once (0: one per host CPU)
#   ALDER_BOARD_QUALIFY_START_TIMEOUT   seconds until the first byte (flashing included)
#   ALDER_BOARD_QUALIFY_IDLE_TIMEOUT    seconds without output before a run counts as hung
#   ALDER_BOARD_QUALIFY_RETRIES         times a failed image runs again (0 to 3; the report lists every retry)
macro(_alder_qualify_defaults)
    foreach(pair "RUN_EXITS=ON" "QUALIFY_JOBS=0" "QUALIFY_START_TIMEOUT=30" "QUALIFY_IDLE_TIMEOUT=60"
                 "QUALIFY_RETRIES=0")
        string(REPLACE "=" ";" pair "${pair}")
        list(GET pair 0 key)
        list(GET pair 1 value)
        if(NOT DEFINED ALDER_BOARD_${key})
            set(ALDER_BOARD_${key} ${value})
        endif()
    endforeach()
endmacro()

# Splits the board's "Group: reason" entries into names and reasons.
function(_alder_qualify_not_applicable names_var reasons_var)
    set(names "")
    set(reasons "")
    foreach(entry IN LISTS ALDER_BOARD_QUALIFY_NOT_APPLICABLE)
        if(NOT entry MATCHES "^([A-Za-z0-9_]+): *(.+)$")
            message(FATAL_ERROR "Alder: board ${ALDER_BOARD}: ALDER_BOARD_QUALIFY_NOT_APPLICABLE entry '${entry}' "
                                "is not 'Group: reason'")
        endif()
        list(APPEND names "${CMAKE_MATCH_1}")
        list(APPEND reasons "${CMAKE_MATCH_2}")
    endforeach()
    set(${names_var} "${names}" PARENT_SCOPE)
    set(${reasons_var} "${reasons}" PARENT_SCOPE)
endfunction()

# Configure-time check: every registered group is run or declared not applicable, and nothing else.
function(alder_qualify_check_board)
    _alder_qualify_not_applicable(na_names na_reasons)
    foreach(group IN LISTS ALDER_BOARD_QUALIFY_GROUPS na_names)
        if(NOT group IN_LIST ALDER_QUALIFICATION_GROUPS)
            message(FATAL_ERROR "Alder: board ${ALDER_BOARD} names qualification group '${group}', which does not "
                                "exist. Groups: ${ALDER_QUALIFICATION_GROUPS}")
        endif()
    endforeach()
    foreach(group IN LISTS ALDER_QUALIFICATION_GROUPS)
        set(count 0)
        foreach(listed IN LISTS ALDER_BOARD_QUALIFY_GROUPS na_names)
            if(listed STREQUAL group)
                math(EXPR count "${count} + 1")
            endif()
        endforeach()
        if(NOT count EQUAL 1)
            message(FATAL_ERROR "Alder: board ${ALDER_BOARD} must name qualification group '${group}' exactly once, "
                                "in ALDER_BOARD_QUALIFY_GROUPS or as 'Group: reason' in "
                                "ALDER_BOARD_QUALIFY_NOT_APPLICABLE (boards/${ALDER_BOARD}/board.cmake)")
        endif()
    endforeach()
endfunction()

# alder_qualify_add_image(<image> GROUP <group> NAME <run name> [TIMEOUT <s>] [ENV NAME=VALUE...]
#                         [AFTER <run name>] [PROPERTY <global property>])
# Adds one run of <image> to the group; the property defaults to the board's own manifest. AFTER names a run
# of the same group added before: the runner starts this run only once that one has passed (an "after" record).
function(alder_qualify_add_image image)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "GROUP;NAME;TIMEOUT;PROPERTY;AFTER" "ENV")
    if(NOT arg_PROPERTY)
        set(arg_PROPERTY ALDER_QUALIFY_IMAGES)
        if(NOT arg_GROUP IN_LIST ALDER_QUALIFICATION_GROUPS)
            message(FATAL_ERROR "alder_qualify_add_image(${image}): '${arg_GROUP}' is not a registered group")
        endif()
    endif()
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 300)
    endif()
    set(fields image "${arg_GROUP}" "${arg_NAME}" "$<TARGET_FILE:${image}>" "${arg_TIMEOUT}" ${arg_ENV})
    string(JOIN "\t" record ${fields})
    set_property(GLOBAL APPEND PROPERTY ${arg_PROPERTY} "${record}")
    if(arg_AFTER)
        set_property(GLOBAL APPEND PROPERTY ${arg_PROPERTY} "after\t${arg_GROUP}\t${arg_NAME}\t${arg_AFTER}")
    endif()
endfunction()

# Records in the manifest's format (tools/qualify/manifest.c): one per line, fields joined by tabs.
function(_alder_qualify_header out_var)
    _alder_qualify_defaults()
    set(toolchain "${CMAKE_C_COMPILER_ID} ${CMAKE_C_COMPILER_VERSION} (${CMAKE_C_COMPILER})")
    set(lines "# Alder qualification manifest for board ${ALDER_BOARD}: written by CMake, read by alder_qualify"
              "format\t1" "board\t${ALDER_BOARD}" "toolchain\t${toolchain}")
    if(DEFINED ALDER_RELEASE)
        list(APPEND lines "release\t${ALDER_RELEASE}")
    endif()
    foreach(component IN LISTS ALDER_COMPONENT_VERSIONS)
        string(REPLACE "=" " " component "${component}")
        list(APPEND lines "component\t${component}")
    endforeach()
    string(JOIN "\t" run ${ALDER_BOARD_RUN_PREFIX})
    if(ALDER_BOARD_RUN_EXITS)
        set(exits 1)
    else()
        set(exits 0)
    endif()
    list(APPEND lines "run\t${run}" "run_exits\t${exits}" "jobs\t${ALDER_BOARD_QUALIFY_JOBS}"
                      "retries\t${ALDER_BOARD_QUALIFY_RETRIES}"
                      "start_timeout\t${ALDER_BOARD_QUALIFY_START_TIMEOUT}"
                      "idle_timeout\t${ALDER_BOARD_QUALIFY_IDLE_TIMEOUT}")
    set(${out_var} "${lines}" PARENT_SCOPE)
endfunction()

# alder_qualify_write_manifest(<file> [GROUPS <g>...] [NOT_APPLICABLE "<g>: reason"...] [PROPERTY <p>])
# With no GROUPS: the board's own groups and images (build/<board>/qualify/manifest).
function(alder_qualify_write_manifest file)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "PROPERTY" "GROUPS;NOT_APPLICABLE")
    if(NOT arg_PROPERTY)
        set(arg_PROPERTY ALDER_QUALIFY_IMAGES)
    endif()
    set(groups ${ALDER_BOARD_QUALIFY_GROUPS})
    set(ALDER_BOARD_QUALIFY_NOT_APPLICABLE ${ALDER_BOARD_QUALIFY_NOT_APPLICABLE})
    if(arg_GROUPS)
        set(groups ${arg_GROUPS})
        set(ALDER_BOARD_QUALIFY_NOT_APPLICABLE ${arg_NOT_APPLICABLE})
    endif()
    _alder_qualify_header(lines)
    _alder_qualify_not_applicable(na_names na_reasons)
    get_property(images GLOBAL PROPERTY ${arg_PROPERTY})
    get_property(servers GLOBAL PROPERTY ALDER_QUALIFY_SERVERS)
    list(APPEND lines ${servers})
    foreach(group IN LISTS ALDER_QUALIFICATION_GROUPS groups)
        if(group IN_LIST groups AND NOT "group\t${group}" IN_LIST seen)
            list(APPEND seen "group\t${group}")
            set(guide "${ALDER_QUALIFICATION_GUIDE_${group}}")
            if(NOT guide)
                set(guide "docs/porting/qualification.md")
            endif()
            get_property(needs GLOBAL PROPERTY ALDER_QUALIFY_GROUP_SERVERS_${group})
            string(JOIN "," needs ${needs})
            if(needs)
                list(APPEND lines "group\t${group}\t${guide}\t${needs}")
            else()
                list(APPEND lines "group\t${group}\t${guide}")
            endif()
            foreach(record IN LISTS images)
                if(record MATCHES "^(image|after)\t${group}\t")
                    list(APPEND lines "${record}")
                endif()
            endforeach()
        endif()
    endforeach()
    foreach(name reason IN ZIP_LISTS na_names na_reasons)
        set(guide "${ALDER_QUALIFICATION_GUIDE_${name}}")
        if(NOT guide)
            set(guide "docs/porting/README.md")
        endif()
        list(APPEND lines "na\t${name}\t${guide}\t${reason}")
    endforeach()
    string(JOIN "\n" content ${lines})
    file(GENERATE OUTPUT "${file}" CONTENT "${content}\n")
endfunction()
