# GortTest.cmake — registers a C file that carries `// gort-test:` annotations
# as a ctest test run through conformance/run_test.sh.
#
# Annotation lines (anywhere in the file, one per line, read at configure time;
# the value is everything after the first '=', leading/trailing blanks trimmed):
#
#   // gort-test: exit=2              expected exit status (default 0)
#   // gort-test: stderr=REGEX         stderr must match this extended regex (grep -E,
#                                     line by line); may repeat, all must match
#   // gort-test: stdout=REGEX         same for stdout
#   // gort-test: env=NAME=VALUE       environment for the run (may repeat)
#   // gort-test: labels=a,b           extra ctest labels (comma separated; may repeat)
#   // gort-test: timeout=60           ctest TIMEOUT in seconds (default 30)
#   // gort-test: args=a b c           command-line arguments, split at blanks (may repeat)
#   // gort-test: serial               RUN_SERIAL
#
# An unknown key is a configure error.  A test binary that exits 77 (and was
# not expected to) is reported by ctest as skipped.  Editing a test file makes
# the next build re-run cmake, so annotation changes take effect at once.

set(GORT_RUN_TEST "${CMAKE_CURRENT_LIST_DIR}/../conformance/run_test.sh")
get_filename_component(GORT_RUN_TEST "${GORT_RUN_TEST}" ABSOLUTE)

set(GORT_TEST_TIMEOUT_FACTOR_DEFAULT 1)
if(NOT GORT_SANITIZE STREQUAL "")
    set(GORT_TEST_TIMEOUT_FACTOR_DEFAULT 4)
elseif(GORT_VALGRIND)
    # one thread at a time, 20-50 times slower, and a leak check at exit
    # that reads every stack arena
    set(GORT_TEST_TIMEOUT_FACTOR_DEFAULT 10)
endif()
set(GORT_TEST_TIMEOUT_FACTOR ${GORT_TEST_TIMEOUT_FACTOR_DEFAULT} CACHE STRING
    "Multiplier applied to every test's timeout (default 4 under sanitizers, 10 under Valgrind, else 1)")

# gort_add_annotated_test(NAME <test> TARGET <exe target> SOURCE <file.c>
#                         LABELS <label>...)
function(gort_add_annotated_test)
    cmake_parse_arguments(PARSE_ARGV 0 A "" "NAME;TARGET;SOURCE" "LABELS")
    set(labels ${A_LABELS})
    set(timeout 30)
    set(serial FALSE)
    set(exit_code 0)
    set(spec "")

    file(STRINGS "${A_SOURCE}" raw REGEX "^[ \t]*//[ \t]*gort-test:")
    # Square brackets would glue list elements together (regexes such as
    # "\[running\]" are common); hide them while iterating.
    string(REPLACE "[" "@GORT_LB@" raw "${raw}")
    string(REPLACE "]" "@GORT_RB@" raw "${raw}")
    foreach(line IN LISTS raw)
        string(REGEX REPLACE "^[ \t]*//[ \t]*gort-test:[ \t]*" "" line "${line}")
        string(REGEX REPLACE "[ \t\r]+$" "" line "${line}")
        string(REPLACE "@GORT_LB@" "[" line "${line}")
        string(REPLACE "@GORT_RB@" "]" line "${line}")
        if(line MATCHES "^([a-z]+)[ \t]*(=[ \t]*(.*))?$")
            set(key "${CMAKE_MATCH_1}")
            set(has_value "${CMAKE_MATCH_2}")
            set(value "${CMAKE_MATCH_3}")
        else()
            message(FATAL_ERROR "${A_SOURCE}: malformed annotation '// gort-test: ${line}'")
        endif()

        if(key STREQUAL "serial")
            set(serial TRUE)
        elseif(NOT has_value)
            message(FATAL_ERROR "${A_SOURCE}: annotation '${key}' needs '=VALUE'")
        elseif(key STREQUAL "exit")
            if(NOT value MATCHES "^[0-9]+$" OR value GREATER 255)
                message(FATAL_ERROR "${A_SOURCE}: exit=${value}: want a number 0..255")
            endif()
            set(exit_code "${value}")
        elseif(key STREQUAL "timeout")
            if(NOT value MATCHES "^[0-9]+$")
                message(FATAL_ERROR "${A_SOURCE}: timeout=${value}: want whole seconds")
            endif()
            set(timeout "${value}")
        elseif(key STREQUAL "labels")
            string(REPLACE "," ";" extra "${value}")
            foreach(l IN LISTS extra)
                string(STRIP "${l}" l)
                if(NOT l STREQUAL "")
                    list(APPEND labels "${l}")
                endif()
            endforeach()
        elseif(key MATCHES "^(stderr|stdout|env|args)$")
            if(key STREQUAL "env" AND NOT value MATCHES "^[A-Za-z_][A-Za-z0-9_]*=")
                message(FATAL_ERROR "${A_SOURCE}: env=${value}: want env=NAME=VALUE")
            endif()
            string(APPEND spec "${key}=${value}\n")
        else()
            message(FATAL_ERROR "${A_SOURCE}: unknown annotation key '${key}' "
                "(known: exit stderr stdout env labels timeout args serial)")
        endif()
    endforeach()
    string(PREPEND spec "exit=${exit_code}\n")

    # The runner reads its expectations from a spec file, so that regexes and
    # values never pass through ctest's command-line quoting.
    set(spec_file "${CMAKE_CURRENT_BINARY_DIR}/specs/${A_NAME}.spec")
    set(old "")
    if(EXISTS "${spec_file}")
        file(READ "${spec_file}" old)
    endif()
    if(NOT old STREQUAL spec)
        file(WRITE "${spec_file}" "${spec}")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${A_SOURCE}")

    math(EXPR timeout "${timeout} * ${GORT_TEST_TIMEOUT_FACTOR}")
    list(REMOVE_DUPLICATES labels)
    add_test(NAME ${A_NAME}
        COMMAND /bin/sh "${GORT_RUN_TEST}" "${spec_file}" "$<TARGET_FILE:${A_TARGET}>")
    set_tests_properties(${A_NAME} PROPERTIES
        LABELS "${labels}"
        TIMEOUT ${timeout}
        SKIP_RETURN_CODE 77
        WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
    if(serial)
        set_tests_properties(${A_NAME} PROPERTIES RUN_SERIAL TRUE)
    endif()
endfunction()
