/*
 * namespace.h — link-time names of the runtime's internal functions.
 *
 * The runtime's own functions keep short names in the source (park, ready,
 * fatal, nanotime ...), as Go's do, but a program that links libgort.a
 * statically must be free to have a `fatal` or a `ready` of its own.  So
 * every internal function with external linkage is renamed gort__NAME here,
 * once, for the compiler and linker; internal.h includes this first.  The
 * `symbols_namespaced` test fails the build when a new one is missing
 * (scripts/check_symbols.sh: libgort.a may define only gort_* symbols).
 */
#ifndef GORT_NAMESPACE_H
#define GORT_NAMESPACE_H

#define allg_add                   gort__allg_add
#define allg_first                 gort__allg_first
#define block_forever              gort__block_forever
#define chan_lock                  gort__chan_lock
#define chan_unlock                gort__chan_unlock
#define chan_wait_recv_locked      gort__chan_wait_recv_locked
#define chan_cancel_wait_recv      gort__chan_cancel_wait_recv
#define chan_send_if_empty_locked  gort__chan_send_if_empty_locked
#define chan_drop_buffered_locked  gort__chan_drop_buffered_locked
#define chan_recv_locked           gort__chan_recv_locked
#define chan_send_locked           gort__chan_send_locked
#define config_init                gort__config_init
#define cpu_count                  gort__cpu_count
#define lockrank_enabled           gort__lockrank_enabled
#define gomaxprocs_follow_limit    gort__gomaxprocs_follow_limit
#define cgroup_cpu_limit           gort__cgroup_cpu_limit
#define gomaxprocs_for_limit       gort__gomaxprocs_for_limit
#define default_gomaxprocs         gort__default_gomaxprocs
#define cgroup_test_root           gort__cgroup_test_root
#define cgroup_test_cpus           gort__cgroup_test_cpus
#define defer_cancel_internal      gort__defer_cancel_internal
#define defer_push_internal        gort__defer_push_internal
#define dump_all                   gort__dump_all
#define dump_created_by            gort__dump_created_by
#define dump_goroutine_header      gort__dump_goroutine_header
#define dump_interrupted           gort__dump_interrupted
#define fastrand                   gort__fastrand
#define fatal                      gort__fatal
#define fatal_deadlock             gort__fatal_deadlock
#define fatal_nodump               gort__fatal_nodump
#define freeze_world               gort__freeze_world
#define futex_wait                 gort__futex_wait
#define futex_wake                 gort__futex_wake
#define globrunq_get_locked        gort__globrunq_get_locked
#define globrunq_put               gort__globrunq_put
#define globrunq_put_array         gort__globrunq_put_array
#define globrunq_put_batch_locked  gort__globrunq_put_batch_locked
#define goexit_final               gort__goexit_final
#define goroutine_entry            gort__goroutine_entry
#define goroutines_alive           gort__goroutines_alive
#define nanotime                   gort__nanotime
#define coarse_now                 gort__coarse_now
#define note_sleep                 gort__note_sleep
#define note_sleep_until           gort__note_sleep_until
#define note_wakeup                gort__note_wakeup
#define panic_free_messages        gort__panic_free_messages
#define park                       gort__park
#define park_g                     gort__park_g
#define systemstack                gort__systemstack
#define park_preempted             gort__park_preempted
#define plain_thread_enter         gort__plain_thread_enter
#define ready                      gort__ready
#define rt_lock_acquire            gort__rt_lock_acquire
#define rt_lock_release            gort__rt_lock_release
#define run_defers                 gort__run_defers
#define runq_drain                 gort__runq_drain
#define runq_empty                 gort__runq_empty
#define runq_put_full              gort__runq_put_full
#define runq_steal                 gort__runq_steal
#define runq_steal_all             gort__runq_steal_all
#define semacquire                 gort__semacquire
#define semrelease                 gort__semrelease
#define semrelease_n               gort__semrelease_n
#define sema_test_waiters          gort__sema_test_waiters
#define notify_list_add            gort__notify_list_add
#define notify_list_wait           gort__notify_list_wait
#define notify_list_notify_one     gort__notify_list_notify_one
#define notify_list_notify_all     gort__notify_list_notify_all
#define signals_init               gort__signals_init
#define set_flag                   gort__set_flag
#define signals_thread_exit        gort__signals_thread_exit
#define signals_thread_init        gort__signals_thread_init
#define stack_alloc                gort__stack_alloc
#define stack_canary_intact        gort__stack_canary_intact
#define stack_scheduler_stack_usable gort__stack_scheduler_stack_usable
#define stack_default_size         gort__stack_default_size
#define stack_free                 gort__stack_free
#define stack_guard_hit            gort__stack_guard_hit
#define stack_init                 gort__stack_init
#define stack_round_size           gort__stack_round_size
#define stack_stats                gort__stack_stats
#define stack_trim                 gort__stack_trim
#define stack_went_deep            gort__stack_went_deep
#define stack_scavenge             gort__stack_scavenge
#define stack_test_pool            gort__stack_test_pool
#define netpoll_test_table         gort__netpoll_test_table
#define stack_test_scavenge_at     gort__stack_test_scavenge_at
#define poller_wanted              gort__poller_wanted
#define inject_glist               gort__inject_glist
#define netpoll_inited             gort__netpoll_inited
#define netpoll_init               gort__netpoll_init
#define netpoll_waiters            gort__netpoll_waiters
#define netpoll                    gort__netpoll
#define netpoll_break              gort__netpoll_break
#define netpoll_last_poll          gort__netpoll_last_poll
#define sysmon_wake_up             gort__sysmon_wake_up
#define sysmon_start               gort__sysmon_start
#define sysmon_test_thread_sample  gort__sysmon_test_thread_sample
#define locks_held                 gort__locks_held
#define preempt_init               gort__preempt_init
#define preempt_thread_init        gort__preempt_thread_init
#define preempt_async_on           gort__preempt_async_on
#define preempt_request            gort__preempt_request
#define preempt_count              gort__preempt_count
#define preempt_yield              gort__preempt_yield
#define handoffp                   gort__handoffp
#define lend_p                     gort__lend_p
#define return_lent_p              gort__return_lent_p
#define sudog_block                gort__sudog_block
#define sudog_wake                 gort__sudog_wake
#define tb_crash_report            gort__tb_crash_report
#define tb_errand                  gort__tb_errand
#define tb_parked                  gort__tb_parked
#define tb_print                   gort__tb_print
#define tb_print_raw               gort__tb_print_raw
#define tb_self                    gort__tb_self
#define tb_start                   gort__tb_start
#define tb_walk_frames             gort__tb_walk_frames
#define timer_add                  gort__timer_add
#define timer_del                  gort__timer_del
#define timer_test_add_on          gort__timer_test_add_on
#define timer_wait_idle            gort__timer_wait_idle
#define timers_move                gort__timers_move
#define timers_next                gort__timers_next
#define timers_run                 gort__timers_run
#define timers_wake_sleeper        gort__timers_wake_sleeper
#define wait_reason_string         gort__wait_reason_string
#define waitq_enqueue              gort__waitq_enqueue
#define waitq_remove               gort__waitq_remove
#define wait_flag                  gort__wait_flag
#define wakep                      gort__wakep
#define yield_preempted            gort__yield_preempted
#define trace_enabled              gort__trace_enabled
#define trace_go_create_slow       gort__trace_go_create_slow
#define trace_go_start_slow        gort__trace_go_start_slow
#define trace_go_stop_slow         gort__trace_go_stop_slow
#define trace_go_unpark_slow       gort__trace_go_unpark_slow
#define trace_go_unpark_by_slow    gort__trace_go_unpark_by_slow
#define trace_switch_slow          gort__trace_switch_slow
#define trace_proc_slow            gort__trace_proc_slow
#define trace_test_buffers_mapped  gort__trace_test_buffers_mapped
#define trace_init_from_env        gort__trace_init_from_env
#define trace_at_fatal             gort__trace_at_fatal

#endif
