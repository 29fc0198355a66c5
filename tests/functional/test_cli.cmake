# SPDX-License-Identifier: MIT
# Runs the ndisirq program once and checks its exit status and output.
#   cmake -DNDISIRQ=<program> -DARGS="a|b|c" -DEXPECT_RC=<n>
#         [-DEXPECT_OUT="s1|s2"] [-DEXPECT_ERR="s1|s2"] [-DREJECT_ERR="s1|s2"]
#         [-DENV_VARS="NAME=VALUE|..."] -P test_cli.cmake
# EXPECT_OUT/EXPECT_ERR: literal substrings that must all appear in
# stdout/stderr; REJECT_ERR: substrings that must not appear in stderr.
# NIRQ_VALGRIND (environment): a command prefix for ndisirq, e.g.
# "valgrind --error-exitcode=97 --leak-check=full" (docs/testing.md). A
# sanitizer or valgrind report in stderr fails the test whatever the exit
# status (ndisirq's own expected exit 1 must not hide one).
cmake_minimum_required(VERSION 3.20)

string(REPLACE "|" ";" args "${ARGS}")
set(cmd ${NDISIRQ} ${args})
if(NOT "$ENV{NIRQ_VALGRIND}" STREQUAL "")
  separate_arguments(wrapper UNIX_COMMAND "$ENV{NIRQ_VALGRIND}")
  list(PREPEND cmd ${wrapper})
endif()
if(DEFINED ENV_VARS AND NOT ENV_VARS STREQUAL "")
  string(REPLACE "|" ";" envs "${ENV_VARS}")
  set(cmd ${CMAKE_COMMAND} -E env ${envs} ${cmd})
endif()

execute_process(COMMAND ${cmd}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)

set(failed "")
if(NOT "${rc}" STREQUAL "${EXPECT_RC}")
  string(APPEND failed "exit status ${rc}, expected ${EXPECT_RC}\n")
endif()

function(check_all stream text wanted must)
  if(wanted STREQUAL "")
    return()
  endif()
  string(REPLACE "|" ";" items "${wanted}")
  foreach(s IN LISTS items)
    string(FIND "${text}" "${s}" pos)
    if(must AND pos EQUAL -1)
      set(failed "${failed}${stream} lacks '${s}'\n" PARENT_SCOPE)
      set(failed "${failed}${stream} lacks '${s}'\n")
    elseif(NOT must AND NOT pos EQUAL -1)
      set(failed "${failed}${stream} has '${s}'\n" PARENT_SCOPE)
      set(failed "${failed}${stream} has '${s}'\n")
    endif()
  endforeach()
endfunction()

check_all(stdout "${out}" "${EXPECT_OUT}" TRUE)
check_all(stderr "${err}" "${EXPECT_ERR}" TRUE)
check_all(stderr "${err}" "${REJECT_ERR}" FALSE)

if(err MATCHES "(ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|: runtime error: |ERROR SUMMARY: [1-9])")
  string(APPEND failed "stderr has a sanitizer or valgrind report ('${CMAKE_MATCH_1}')\n")
endif()

if(failed)
  message(FATAL_ERROR "ndisirq ${ARGS}\n${failed}--- stdout:\n${out}--- stderr:\n${err}")
endif()
