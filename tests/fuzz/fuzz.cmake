# The fuzz targets in the main build (included by tests/CMakeLists.txt). libFuzzer needs clang:
# tests/fuzz is its own CMake project, built by run_fuzz.sh into <build>/fuzz; the `fuzzers`
# target builds it with the main build, and ctest runs each target briefly (label fuzz, 4 s of
# fuzzing each). Without clang both are left out. Long runs: make fuzz FUZZ=name SECONDS=N.
find_program(CLARITY_FUZZ_CLANGXX NAMES clang++-14 clang++)
if(NOT CLARITY_FUZZ_CLANGXX)
    message(STATUS "clang++ not found: the fuzz targets and their ctest runs are left out")
    return()
endif()
set(fuzz_dir ${CMAKE_BINARY_DIR}/fuzz)
set(fuzz_script ${CMAKE_CURRENT_LIST_DIR}/run_fuzz.sh)
add_custom_target(fuzzers ALL
    COMMAND ${CMAKE_COMMAND} -E env CLARITY_FUZZ_CXX=${CLARITY_FUZZ_CLANGXX}
            bash ${fuzz_script} ${fuzz_dir} build
    COMMENT "Building the libFuzzer targets with ${CLARITY_FUZZ_CLANGXX}"
    VERBATIM)
foreach(t settlement odoo_json xmlrpc spapi_json notifications fulfilled_shipments config
          mapping_template)
    add_test(NAME fuzz_${t}_short
        COMMAND ${CMAKE_COMMAND} -E env CLARITY_FUZZ_CXX=${CLARITY_FUZZ_CLANGXX} CLARITY_FUZZ_PREBUILT=1
                bash ${fuzz_script} ${fuzz_dir} ${t} 4)
    set_tests_properties(fuzz_${t}_short PROPERTIES LABELS "fuzz" TIMEOUT 300)
endforeach()
