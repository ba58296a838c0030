# GortTraceTests.cmake — ctest entries for the execution trace's tools,
# scripts/trace_check.py and scripts/trace_plot.py, on the known traces in
# scripts/testdata/trace/ (label `trace`).  include()d from the top-level
# CMakeLists.txt; paths are PROJECT_SOURCE_DIR's.  Each entry runs one class of
# scripts/testdata/trace/test_trace_tools.py with /usr/bin/python3 (Debian's,
# which has python3-matplotlib); trace_plot_png reports itself skipped (exit 77)
# without matplotlib.  No build products are needed: `ctest -L trace` runs them.

find_program(GORT_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(GORT_PYTHON3)
    set(_gort_trace_tests "${PROJECT_SOURCE_DIR}/scripts/testdata/trace/test_trace_tools.py")
    foreach(_pair IN ITEMS trace_check_good:CheckGood trace_check_bad:CheckBad
                           trace_plot_layout:PlotLayout trace_plot_png:PlotPNG)
        string(REPLACE ":" ";" _pair "${_pair}")
        list(GET _pair 0 _name)
        list(GET _pair 1 _class)
        add_test(NAME ${_name} COMMAND "${GORT_PYTHON3}" "${_gort_trace_tests}" ${_class})
        set_tests_properties(${_name} PROPERTIES
            LABELS trace
            TIMEOUT 120
            SKIP_RETURN_CODE 77
            ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
    endforeach()
    unset(_gort_trace_tests)
    unset(_pair)
    unset(_name)
    unset(_class)
else()
    message(STATUS "gort: /usr/bin/python3 not found: the trace tools' tests (label trace) are not registered")
endif()
