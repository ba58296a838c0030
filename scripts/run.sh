#!/usr/bin/env bash
# scripts/run.sh — the project's main job: the benchmark suite, gort against
# pthreads, Go and Boost.Fiber on this machine (scripts/bench.sh, which says
# what it takes; arguments are passed on).  Results and plots go to results/.
# The examples: scripts/examples.sh.
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench.sh" "$@"
