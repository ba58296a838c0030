/* A module that conformance/preempt/dlopen_module_loop_preempted.c loads
 * with dlopen() after the runtime has started: a loop that calls nothing,
 * so only the preemption signal can take the processor from it, and only
 * if the runtime knows this module's code is the program's (its map of the
 * loaded objects must be refreshed after the load). */
#include <stdatomic.h>

__attribute__((visibility("default"))) void spin_module_loop(_Atomic int *stop, _Atomic long *progress);

void spin_module_loop(_Atomic int *stop, _Atomic long *progress)
{
    while (!atomic_load_explicit(stop, memory_order_relaxed))
        atomic_store_explicit(progress, atomic_load_explicit(progress, memory_order_relaxed) + 1,
                              memory_order_relaxed);
}
