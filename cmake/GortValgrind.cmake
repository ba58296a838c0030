# GortValgrind.cmake — included by the top-level CMakeLists.txt when
# GORT_VALGRIND=ON: a build whose tests `ctest -T memcheck` runs under
# Valgrind memcheck.
#
#   cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=Debug -DGORT_VALGRIND=ON
#   cmake --build build-valgrind
#   ctest --test-dir build-valgrind -T memcheck -L conformance
#
# (scripts/test.sh does all of this when GORT_MEMCHECK=1.)
#
# How a test reaches Valgrind.  ctest -T memcheck runs
#     MEMORYCHECK_COMMAND OPTIONS... --log-file=LOG TEST-COMMAND...
# and TEST-COMMAND is conformance/run_test.sh, a shell script: Valgrind must
# not run the shell, grep and mktemp but the test binary.  So the "memory
# checker" is cmake/valgrind_memcheck.sh (configured into the build
# directory), which hands Valgrind and those options to run_test.sh as
# GORT_TEST_LAUNCHER; run_test.sh puts the launcher in front of the binary,
# as it does qemu for the AArch64 build.  Afterwards the wrapper reads LOG
# and fails the test for what Valgrind reports without changing the exit
# status (a "client switching stacks?" warning: a stack the runtime did not
# register), printing the log; ctest also parses LOG and lists the defects.
#
# Valgrind's errors fail a test: --error-exitcode makes the binary exit 99
# instead of the status run_test.sh expects (also for tests that expect a
# fatal error's exit 2), and the wrapper fails any test whose log has a
# nonzero ERROR SUMMARY.  Leaks: only definitely-lost blocks are errors.
#
# GORT_VALGRIND=1 is defined for every target.  The few tests Valgrind cannot
# run (millions of goroutines, RSS and wall-clock bounds) call
# SKIP_UNDER_VALGRIND(why) from conformance/check.h, which skips when the
# test is running under Valgrind (RUNNING_ON_VALGRIND), so a plain `ctest`
# in this build directory still runs them natively.

if(NOT GORT_SANITIZE STREQUAL "")
    message(FATAL_ERROR "GORT_VALGRIND=ON and GORT_SANITIZE=${GORT_SANITIZE}: "
        "Valgrind cannot run sanitizer builds; use separate build directories")
endif()
if(NOT GORT_HAVE_VALGRIND_H)
    message(FATAL_ERROR "GORT_VALGRIND=ON needs <valgrind/valgrind.h>, so that the "
        "runtime registers its stacks with Valgrind (Debian package: valgrind)")
endif()
find_program(GORT_VALGRIND_EXECUTABLE valgrind)
if(NOT GORT_VALGRIND_EXECUTABLE)
    message(FATAL_ERROR "GORT_VALGRIND=ON: the valgrind program was not found (Debian package: valgrind)")
endif()

add_compile_definitions(GORT_VALGRIND=1)

# Valgrind's options for every test binary (a list; a CMake cache entry so
# that one run can add, say, --track-origins=yes):
#   --error-exitcode=99         an error fails the test (no test expects 99);
#   --leak-check=full, --show-leak-kinds=definite,
#   --errors-for-leak-kinds=definite
#                               definitely-lost blocks are errors; memory
#                               still reachable at exit (a fatal error ends
#                               the process with goroutines alive) is not;
#   --track-origins=no          speed (set it to yes to chase an
#                               uninitialised value);
#   --fair-sched=yes            Valgrind runs one thread at a time; the
#                               default lock lets a spinning thread keep it,
#                               a ticket lock lets every M and plain thread
#                               have its turn;
#   --num-callers=30            goroutine stacks are deep enough;
#   --trace-children=no         a test that execs (itself) runs the child natively.
# No suppressions: the suite runs clean without any.
set(GORT_VALGRIND_OPTIONS
    --tool=memcheck
    --error-exitcode=99
    --leak-check=full
    --show-leak-kinds=definite
    --errors-for-leak-kinds=definite
    --track-origins=no
    --fair-sched=yes
    --num-callers=30
    --trace-children=no
    CACHE STRING "Valgrind options for ctest -T memcheck (a ;-list)")

# ctest -T memcheck takes its memory checker from DartConfiguration.tcl,
# which include(CTest) writes from these variables.  No dashboard targets.
set(MEMORYCHECK_TYPE Valgrind)
set(MEMORYCHECK_COMMAND "${PROJECT_BINARY_DIR}/valgrind_memcheck.sh" CACHE FILEPATH
    "ctest -T memcheck's checker: Valgrind around each test binary (cmake/valgrind_memcheck.sh.in)" FORCE)
list(JOIN GORT_VALGRIND_OPTIONS " " MEMORYCHECK_COMMAND_OPTIONS)
set(MEMORYCHECK_COMMAND_OPTIONS "${MEMORYCHECK_COMMAND_OPTIONS}" CACHE STRING
    "Options ctest -T memcheck passes to its checker (from GORT_VALGRIND_OPTIONS)" FORCE)
configure_file("${PROJECT_SOURCE_DIR}/cmake/valgrind_memcheck.sh.in"
    "${PROJECT_BINARY_DIR}/valgrind_memcheck.sh" @ONLY
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
                     GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set_property(GLOBAL PROPERTY CTEST_TARGETS_ADDED 1)
include(CTest)

message(STATUS "gort: tests run under ${GORT_VALGRIND_EXECUTABLE} with ctest -T memcheck")
