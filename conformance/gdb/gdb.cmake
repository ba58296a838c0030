# gdb.cmake — included by conformance/CMakeLists.txt: the test of the gdb
# extension, runtime/gdb/libgort-gdb.py (docs/GDB.md).  Not an annotated
# conformance test: conformance/gdb/check_gdb.py runs gdb on the program
# prog/parked_goroutines.c (stopped with ~100 goroutines parked), then on a
# core file of it.  Test `gdb_goroutines`, label `gdb`; it skips itself
# (exit 77) without gdb, in sanitizer builds and through a launcher (qemu,
# Valgrind).
set(gort_gdb_prog "${CMAKE_CURRENT_LIST_DIR}/prog/parked_goroutines.c")
# The same program linked with libgort.a (or libgort.so with
# GORT_TESTS_LINK_SHARED, as every test), and with libgort.so: gdb must
# auto-load the copy of the extension beside it in the build tree.
foreach(variant IN ITEMS "" "_shared")
    set(tgt "gdb_parked_goroutines${variant}")
    add_executable(${tgt} "${gort_gdb_prog}")
    target_include_directories(${tgt} PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
    # -rdynamic as every test; no sibling calls, so that each parked_in_*
    # function keeps its frame under the public call it made.
    set_target_properties(${tgt} PROPERTIES ENABLE_EXPORTS ON)
    target_compile_options(${tgt} PRIVATE -fno-optimize-sibling-calls)
    if(variant STREQUAL "_shared")
        target_link_libraries(${tgt} PRIVATE gort_shared m ${CMAKE_DL_LIBS})
    else()
        target_link_libraries(${tgt} PRIVATE ${GORT_TEST_LIB})
    endif()
endforeach()

find_program(GORT_GDB NAMES gdb)
find_program(GORT_GDB_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(GORT_GDB_PYTHON3)
    add_test(NAME gdb_goroutines
        COMMAND "${GORT_GDB_PYTHON3}" "${CMAKE_CURRENT_LIST_DIR}/check_gdb.py"
                --gdb "$<IF:$<BOOL:${GORT_GDB}>,${GORT_GDB},gdb>"
                --prog "$<TARGET_FILE:gdb_parked_goroutines>"
                --prog-shared "$<TARGET_FILE:gdb_parked_goroutines_shared>"
                --libdir "$<TARGET_FILE_DIR:gort_shared>"
                --script "${PROJECT_SOURCE_DIR}/runtime/gdb/libgort-gdb.py"
                --ctx-h "${PROJECT_SOURCE_DIR}/runtime/src/arch/ctx.h"
                --sanitize "${GORT_SANITIZE}")
    math(EXPR gort_gdb_timeout "120 * ${GORT_TEST_TIMEOUT_FACTOR}")
    set_tests_properties(gdb_goroutines PROPERTIES
        LABELS gdb
        TIMEOUT ${gort_gdb_timeout}
        SKIP_RETURN_CODE 77)
endif()
