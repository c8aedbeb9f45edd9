# Shared build conventions: warnings, sanitizers and the one-line helpers every folder uses.

set(CTS_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(CTS_WERROR)
  list(APPEND CTS_WARNINGS -Werror)
endif()

function(cts_apply_options target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:${CTS_WARNINGS}>
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic $<$<BOOL:${CTS_WERROR}>:-Werror>>)
  if(CTS_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    # A plugin's sanitizer symbols come from the executable that loads it.
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "SHARED_LIBRARY" OR type STREQUAL "MODULE_LIBRARY")
      target_link_options(${target} PRIVATE -Wl,-z,undefs)
    endif()
  endif()
  # Coverage feedback for the libFuzzer targets of fuzz/, in every library they link; the unit
  # tests of the same build folder take the sanitizers' default (no-op) coverage hooks, and their
  # own files are not instrumented (a quarter less compile time for nothing lost).
  if(CTS_FUZZ AND NOT target MATCHES "_test$")
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# cts_library(NAME SOURCES a.cpp b.cpp DEPS x y [PUBLIC_INCLUDE dir])
function(cts_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${A_DEPS})
  cts_apply_options(${name})
endfunction()

# cts_test(NAME SOURCES a_test.cpp DEPS lib): one GoogleTest executable registered with CTest.
function(cts_test name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE ${A_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    CTS_SOURCE_ROOT="${CTS_SOURCE_ROOT}" CTS_SHARED_DIR="${CTS_SHARED_DIR}"
    CTS_BINARY_DIR="${CMAKE_BINARY_DIR}")
  cts_apply_options(${name})
  include(GoogleTest)
  # The top folder as a label (oracle, runner, reports, duts), so a build folder can run one
  # layer's unit tests: `ctest -L '^(oracle|runner)$'`.
  file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  string(REGEX REPLACE "/.*" "" layer "${rel}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "CTS_SOURCE_ROOT=${CTS_SOURCE_ROOT}" LABELS "${layer}")
endfunction()

# cts_component(NAME DEPS ...): one folder = one library of its *.cpp (tests, benchmarks and
# fuzz targets excluded), plus one test executable NAME_test of its *_test.cpp files. Files that
# end in _bench.cpp are collected for the single bench executable (bench/CMakeLists.txt).
function(cts_component name)
  cmake_parse_arguments(A "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  set(lib_sources "")
  set(test_sources "")
  set(bench_sources "")
  foreach(f ${all_sources})
    if(f MATCHES "_test\\.cpp$")
      list(APPEND test_sources ${f})
    elseif(f MATCHES "_bench\\.cpp$")
      list(APPEND bench_sources ${f})
    elseif(NOT f MATCHES "_fuzz\\.cpp$")
      list(APPEND lib_sources ${f})
    endif()
  endforeach()
  if(lib_sources)
    cts_library(${name} SOURCES ${lib_sources} DEPS ${A_DEPS})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${CMAKE_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${A_DEPS})
  endif()
  if(test_sources)
    cts_test(${name}_test SOURCES ${test_sources} DEPS ${name} ${A_TEST_DEPS})
  endif()
  if(bench_sources)
    set_property(GLOBAL APPEND PROPERTY CTS_BENCH_SOURCES ${bench_sources})
    set_property(GLOBAL APPEND PROPERTY CTS_BENCH_LIBS ${name})
  endif()
endfunction()

# cts_test_other_crypto_backend(TARGET): with libipsec-mb built in, the tests of TARGET run on the
# default (fastest) backend as registered by cts_test, and once more on OpenSSL, prefixed
# "openssl." (CTS_CRYPTO_BACKEND, oracle/crypto/crypto_backend.h): both must pass the same vectors.
function(cts_test_other_crypto_backend target)
  if(CTS_HAVE_IPSEC_MB AND TARGET ${target})
    gtest_discover_tests(${target} TEST_PREFIX "openssl." TEST_LIST ${target}_openssl_TESTS
      DISCOVERY_TIMEOUT 60
      PROPERTIES ENVIRONMENT "CTS_SOURCE_ROOT=${CTS_SOURCE_ROOT};CTS_CRYPTO_BACKEND=openssl")
  endif()
endfunction()
