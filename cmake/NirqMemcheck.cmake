# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The ndisirq authors.
# Runs the tests of a NIRQ_VALGRIND=ON build directory under valgrind
# memcheck and fails on any report (`make test-valgrind`; docs/testing.md).
#
#   cd build-valgrind && cmake [-DLABELS=<regex>] [-DJOBS=<n>] -P <src>/cmake/NirqMemcheck.cmake
#
# A test whose command is one of our programs runs under `ctest -T memcheck`.
# A test whose command is a CMake script (`cmake -P`, e.g. the CLI tests)
# would put cmake itself under valgrind: those run under plain ctest, and the
# script puts $NIRQ_VALGRIND (set by the build's nirq_test_env.cmake) in
# front of the program it runs. The split is made from each test's command
# line (ctest --show-only=json-v1), so a new test lands on the right side.
cmake_minimum_required(VERSION 3.20)

if(NOT DEFINED LABELS)
  set(LABELS "^(unit|functional)$")
endif()
if(NOT DEFINED JOBS)
  set(JOBS 2)
endif()
get_filename_component(bindir "${CMAKE_COMMAND}" DIRECTORY)
set(ctest "${bindir}/ctest")

if(NOT EXISTS nirq_test_env.cmake OR NOT EXISTS DartConfiguration.tcl)
  message(FATAL_ERROR "NirqMemcheck.cmake: run it in a build directory "
    "configured with -DNIRQ_VALGRIND=ON (e.g. cmake --preset valgrind)")
endif()

execute_process(COMMAND ${ctest} --show-only=json-v1 -L "${LABELS}"
  OUTPUT_VARIABLE json RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ctest --show-only=json-v1 failed (${rc})")
endif()

# Split the selected tests by their command: programs and cmake scripts.
set(programs "")
set(scripts "")
string(JSON ntests LENGTH "${json}" tests)
math(EXPR last "${ntests} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${json}" tests ${i} name)
  string(JSON argv0 GET "${json}" tests ${i} command 0)
  string(REPLACE "." "\\." name "${name}")   # names are [A-Za-z0-9_.-]
  get_filename_component(exe "${argv0}" NAME)
  if(exe STREQUAL "cmake")
    list(APPEND scripts "${name}")
  else()
    list(APPEND programs "${name}")
  endif()
endforeach()
list(JOIN programs "|" programs)
list(JOIN scripts "|" scripts)

set(failed "")
set(ctest_args --output-on-failure --no-tests=error -j ${JOBS})

if(programs)
  file(GLOB old_logs Testing/Temporary/MemoryChecker.*.log)
  if(old_logs)
    file(REMOVE ${old_logs})
  endif()
  execute_process(COMMAND ${ctest} -T memcheck ${ctest_args} -R "^(${programs})$"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(APPEND failed " test programs under ctest -T memcheck;")
    file(GLOB logs Testing/Temporary/MemoryChecker.*.log)
    foreach(log ${logs})
      file(READ "${log}" text)
      if(NOT text MATCHES "ERROR SUMMARY: 0 errors")
        message("--- ${log}\n${text}")
      endif()
    endforeach()
  endif()
endif()

if(scripts)
  execute_process(COMMAND ${ctest} ${ctest_args} -R "^(${scripts})$"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(APPEND failed " script tests with programs under $NIRQ_VALGRIND;")
  endif()
endif()

if(failed)
  message(FATAL_ERROR "valgrind run failed:${failed} see the output above")
endif()
