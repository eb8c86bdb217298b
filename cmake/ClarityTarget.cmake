# Common settings for every project target: warnings, sanitizers, include paths.
function(clarity_target_defaults target)
    # Designated initializers deliberately leave defaulted members out (ConfigKey specs); g++ 12
    # warns about that under -Wextra, so that one warning is off.
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
    if(CLARITY_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(CLARITY_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

# clarity_library(<layer> SOURCES ... DEPS ...): the one library target of a layer, clarity_<layer>.
function(clarity_library layer)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
    add_library(clarity_${layer} STATIC ${ARG_SOURCES})
    target_include_directories(clarity_${layer} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                                        ${CMAKE_BINARY_DIR}/generated)
    target_link_libraries(clarity_${layer} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    clarity_target_defaults(clarity_${layer})
endfunction()

# clarity_test(<name> LABEL unit|integration|crash SOURCES ... DEPS ...): a GoogleTest executable
# registered with ctest through gtest_discover_tests.
function(clarity_test name)
    if(NOT CLARITY_BUILD_TESTS)
        return()  # a fake's own tests, when only the fakes are built for clarity-sandbox
    endif()
    cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;DEPS" ${ARGN})
    if(NOT ARG_LABEL)
        set(ARG_LABEL unit)
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS} clarity_test_support GTest::gmock)
    clarity_target_defaults(${name})
    if(CLARITY_TEST_OPTIMIZE)
        # After the build type's flags on the command line, so this one wins.
        target_compile_options(${name} PRIVATE ${CLARITY_TEST_OPTIMIZE})
    endif()
    gtest_discover_tests(${name}
        PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "CLARITY_SOURCE_DIR=${PROJECT_SOURCE_DIR};CLARITY_BINARY_DIR=${CMAKE_BINARY_DIR}"
        DISCOVERY_TIMEOUT 60)
endfunction()

# clarity_bench(<name> SOURCES ... DEPS ...): a benchmark driver run by `make bench BENCH=<name>`.
function(clarity_bench name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_executable(bench_${name} ${ARG_SOURCES})
    target_link_libraries(bench_${name} PRIVATE ${ARG_DEPS})
    set_target_properties(bench_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
    clarity_target_defaults(bench_${name})
    set_property(GLOBAL APPEND PROPERTY CLARITY_BENCHES ${name})
endfunction()

# clarity_layer(<layer> PUBLIC_DEPS ... PRIVATE_DEPS ...): the layer library from every .cpp in
# src/<layer>/ (CONFIGURE_DEPENDS: a new file needs no CMake edit). A layer with no sources yet
# still yields a (empty) library so its dependants link.
function(clarity_layer layer)
    cmake_parse_arguments(ARG "" "" "PUBLIC_DEPS;PRIVATE_DEPS;EXCLUDE" ${ARGN})
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
    foreach(ex ${ARG_EXCLUDE})
        list(REMOVE_ITEM sources ${CMAKE_CURRENT_SOURCE_DIR}/${ex})
    endforeach()
    if(NOT sources)
        set(empty ${CMAKE_CURRENT_BINARY_DIR}/empty_${layer}.cpp)
        file(WRITE ${empty} "// layer ${layer} has no sources yet\n")
        set(sources ${empty})
    endif()
    clarity_library(${layer} SOURCES ${sources} PUBLIC_DEPS ${ARG_PUBLIC_DEPS}
                    PRIVATE_DEPS ${ARG_PRIVATE_DEPS})
endfunction()
