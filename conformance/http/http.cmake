# http.cmake — included by conformance/CMakeLists.txt after its loop has
# made a target for every conformance/http/*.c test: each of them also
# compiles the HTTP/1.1 parser it tests, examples/http/http1.c, and sees its
# header.  (The tests need no goroutines; they link gort_static like every
# conformance test.)
set(GORT_HTTP1_DIR "${PROJECT_SOURCE_DIR}/examples/http")
file(GLOB gort_http_tests CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/*.c")
foreach(src IN LISTS gort_http_tests)
    get_filename_component(name "${src}" NAME_WE)
    string(MAKE_C_IDENTIFIER "http_${name}" tgt)
    if(TARGET ${tgt})
        target_sources(${tgt} PRIVATE "${GORT_HTTP1_DIR}/http1.c")
        target_include_directories(${tgt} PRIVATE "${GORT_HTTP1_DIR}")
    endif()
endforeach()
