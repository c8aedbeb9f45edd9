# A device's conformance as CTest tests: one test per case file, so `ctest -j N` runs the library
# in parallel, each test's exit code is the run's (0 nothing unexpected, 1 an unexpected FAIL or
# ERROR, 2 unusable input), and each writes its own results folder. Each such run is PARTIAL (one
# case file); for the CONFORMANT claim run the whole library once, or merge shards with
# `ipsec-cts report merge`.
#
#   include(cmake/CtsConformance.cmake)   # (the top CMakeLists.txt does)
#   cts_add_conformance(NAME mynic DUT plugin:/opt/mynic/libmynic_cts.so
#                       [CASES <case root, default the suite's cases/>] [OUT <folder>]
#                       [ARGS --seed 1 --expectations ${CMAKE_SOURCE_DIR}/mynic-waivers.json ...]
#                       [LABELS conformance ...])
# registers conformance.mynic.addsa.capacity, conformance.mynic.recv.basics, ...
# A vendor's project that has ipsec-cts installed or as a subproject sets CTS_EXECUTABLE to the
# ipsec-cts program when the target is not in the same build.
function(cts_add_conformance)
  cmake_parse_arguments(A "" "NAME;DUT;CASES;OUT" "ARGS;LABELS" ${ARGN})
  if(NOT A_NAME OR NOT A_DUT)
    message(FATAL_ERROR "cts_add_conformance: NAME and DUT are required")
  endif()
  if(NOT A_CASES)
    set(A_CASES ${CMAKE_SOURCE_DIR}/cases)
  endif()
  if(NOT A_OUT)
    set(A_OUT ${CMAKE_BINARY_DIR}/conformance/${A_NAME})
  endif()
  if(TARGET ipsec-cts)
    set(exe $<TARGET_FILE:ipsec-cts>)
  elseif(CTS_EXECUTABLE)
    set(exe ${CTS_EXECUTABLE})
  else()
    message(FATAL_ERROR "cts_add_conformance: no ipsec-cts target; set CTS_EXECUTABLE")
  endif()
  file(GLOB_RECURSE case_files RELATIVE ${A_CASES} CONFIGURE_DEPENDS ${A_CASES}/*.json)
  foreach(f ${case_files})
    # The case root also holds the schema and the requirement catalogue, which are not cases.
    if(f MATCHES "^schema/" OR f STREQUAL "requirements.json" OR f STREQUAL "uncovered.json")
      continue()
    endif()
    string(REGEX REPLACE "\\.json$" "" stem ${f})
    string(REPLACE "/" "." stem ${stem})
    add_test(NAME conformance.${A_NAME}.${stem}
      COMMAND ${CMAKE_COMMAND} -E env CI=true
        ${exe} run --dut ${A_DUT} --cases ${A_CASES}/${f} --out ${A_OUT}/${stem} --quiet ${A_ARGS})
    set_tests_properties(conformance.${A_NAME}.${stem} PROPERTIES LABELS "conformance;${A_LABELS}")
  endforeach()
endfunction()
