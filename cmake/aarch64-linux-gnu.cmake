# aarch64-linux-gnu.cmake — CMake toolchain file: cross-build gort for 64-bit
# Arm Linux on an x86-64 Debian host, and run the results under qemu-user.
#
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#
# Needs Debian's gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user
# (scripts/test-aarch64.sh installs them and runs the tests).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(GORT_CROSS_TRIPLE aarch64-linux-gnu)
set(GORT_CROSS_SYSROOT /usr/${GORT_CROSS_TRIPLE} CACHE PATH
    "Directory holding the aarch64 libc (lib/ld-linux-aarch64.so.1); qemu's -L")

set(CMAKE_C_COMPILER ${GORT_CROSS_TRIPLE}-gcc)
set(CMAKE_ASM_COMPILER ${GORT_CROSS_TRIPLE}-gcc)

# Programs built for the target run through qemu (used by ctest for tests
# whose command is a target, and by try_run).
find_program(GORT_QEMU_AARCH64 qemu-aarch64)
if(GORT_QEMU_AARCH64)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${GORT_QEMU_AARCH64};-L;${GORT_CROSS_SYSROOT}")
endif()

# Libraries and headers come from the cross sysroot only; programs from the host.
set(CMAKE_FIND_ROOT_PATH ${GORT_CROSS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
