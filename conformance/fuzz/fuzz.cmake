# fuzz.cmake — included by conformance/CMakeLists.txt: the libFuzzer targets.
#
# http1_fuzz (conformance/fuzz/http1_fuzz.c) fuzzes the HTTP/1.1 request
# parser (examples/http/http1.c) and checks its invariants on every input.
#
# With clang, when -fsanitize=fuzzer links (Debian: libclang-rt-14-dev), it
# is built with libFuzzer, ASan and UBSan, and ctest test fuzz_http1 (label
# "fuzz") runs it for GORT_FUZZ_SECONDS over a copy of the seed corpus
# conformance/fuzz/corpus/http1/ in the build tree (new inputs it finds stay
# there; a crash leaves its input there too, as crash-*).  Not in TSan or
# Valgrind builds (libFuzzer brings its own ASan).
#
# In every build, ctest test fuzz_http1_replay (labels "fuzz", "http") runs
# the same checks over the seed corpus alone with a small main of its own
# (fuzz/replay_main.c): the corpus's regression inputs under gcc, the
# sanitizers and Valgrind too.
set(GORT_FUZZ_SECONDS 20 CACHE STRING "Seconds the fuzz_* ctest tests fuzz for")
set(GORT_FUZZ_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(GORT_HTTP1_DIR "${PROJECT_SOURCE_DIR}/examples/http")

add_executable(fuzz_http1_replay "${GORT_FUZZ_DIR}/http1_fuzz.c" "${GORT_FUZZ_DIR}/replay_main.c"
               "${GORT_HTTP1_DIR}/http1.c")
target_include_directories(fuzz_http1_replay PRIVATE "${GORT_HTTP1_DIR}")
add_test(NAME fuzz_http1_replay
         COMMAND fuzz_http1_replay "${GORT_FUZZ_DIR}/corpus/http1")
set_tests_properties(fuzz_http1_replay PROPERTIES LABELS "fuzz;http" TIMEOUT 120)

set(gort_fuzz_why "")
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(gort_fuzz_why "the C compiler is ${CMAKE_C_COMPILER_ID}, libFuzzer needs clang")
elseif(GORT_SANITIZE STREQUAL "thread")
    set(gort_fuzz_why "ThreadSanitizer build")
elseif(GORT_VALGRIND)
    set(gort_fuzz_why "Valgrind build")
else()
    include(CheckCSourceCompiles)
    set(GORT_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
    set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address,undefined")
    set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer,address,undefined")
    set(CMAKE_REQUIRED_QUIET ON)
    check_c_source_compiles([[
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return data && size > 1000000; }
]] GORT_HAVE_LIBFUZZER)
    unset(CMAKE_REQUIRED_FLAGS)
    unset(CMAKE_REQUIRED_LINK_OPTIONS)
    unset(CMAKE_REQUIRED_QUIET)
    if(NOT GORT_HAVE_LIBFUZZER)
        set(gort_fuzz_why "clang cannot link -fsanitize=fuzzer (Debian package libclang-rt-14-dev)")
    endif()
endif()

if(gort_fuzz_why)
    message(STATUS "gort: fuzz targets skipped: ${gort_fuzz_why}; the seed corpus is replayed only")
    return()
endif()

add_executable(http1_fuzz "${GORT_FUZZ_DIR}/http1_fuzz.c" "${GORT_HTTP1_DIR}/http1.c")
target_include_directories(http1_fuzz PRIVATE "${GORT_HTTP1_DIR}")
# -O1 even in Debug builds: libFuzzer wants speed; -g for its reports.
target_compile_options(http1_fuzz PRIVATE ${GORT_FUZZ_FLAGS} -O1 -g -fno-omit-frame-pointer)
target_link_options(http1_fuzz PRIVATE ${GORT_FUZZ_FLAGS})
math(EXPR gort_fuzz_timeout "(${GORT_FUZZ_SECONDS} + 60) * ${GORT_TEST_TIMEOUT_FACTOR}")
add_test(NAME fuzz_http1
         COMMAND /bin/sh "${GORT_FUZZ_DIR}/run_fuzz.sh" $<TARGET_FILE:http1_fuzz>
                 "${GORT_FUZZ_DIR}/corpus/http1" "${CMAKE_CURRENT_BINARY_DIR}/fuzz-http1"
                 "${GORT_FUZZ_SECONDS}" "${GORT_FUZZ_DIR}/http1.dict")
set_tests_properties(fuzz_http1 PROPERTIES LABELS fuzz TIMEOUT ${gort_fuzz_timeout})
message(STATUS "gort: fuzz target http1_fuzz (libFuzzer), ctest -L fuzz runs it ${GORT_FUZZ_SECONDS} s")
