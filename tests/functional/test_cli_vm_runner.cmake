# SPDX-License-Identifier: MIT
# Runs `ndisirq vm` against the fake runner (vm_fake_runner.sh, which prints
# its arguments one per line in brackets) and checks what the runner got.
#   cmake -DNDISIRQ=<program> -DRUNNER=<fake runner> -DARGS="a|b|c"
#         [-DWORKDIR=<dir>] [-DMINIPORT=<file>] [-DEXPECT_RC=<n>]
#         [-DEXPECT_ARGV="a|b"] [-DEXPECT_SEQ="a|b"] [-DEXPECT_ERR="s|s"]
#         [-DLAYOUT=env|build|none|install] [-DLAYOUT_DIR=<scratch dir>]
#         [-DBUILD_DIR=<build tree> -DBINDIR=<dir> -DLIBEXECDIR=<dir>]
#         -P test_cli_vm_runner.cmake
# EXPECT_ARGV: the runner's whole argv (after argv[0]); EXPECT_SEQ: these
# arguments appear consecutively. In both, @NDISIRQ@ stands for the real
# path of the program that ran and @MINIPORT@ for the real path of MINIPORT.
# LAYOUT (default env): env: NIRQ_VM_RUNNER=RUNNER; build: the program is
# copied to LAYOUT_DIR/bin/ with RUNNER as bin/vm/ndisirq-vm; none: the
# program copied there alone; install: `cmake --install BUILD_DIR --prefix
# LAYOUT_DIR`, then RUNNER replaces the installed LIBEXECDIR/ndisirq/ndisirq-vm
# (which must be there, with vmlib.sh and BINDIR/nirq-ivshmem-server) and
# BINDIR/ndisirq runs. Without env, NIRQ_VM_RUNNER is unset.
# EXPECT_ERR: substrings that must all appear in stderr; @LAYOUT_DIR@
# stands for LAYOUT_DIR.
cmake_minimum_required(VERSION 3.20)

if(NOT DEFINED LAYOUT)
  set(LAYOUT env)
endif()
if(NOT DEFINED EXPECT_RC)
  set(EXPECT_RC 0)
endif()
if(NOT DEFINED WORKDIR OR WORKDIR STREQUAL "")
  set(WORKDIR ${CMAKE_CURRENT_BINARY_DIR})
endif()

set(program ${NDISIRQ})
set(failed "")

# Install into LAYOUT_DIR and put RUNNER in place of the installed runner.
function(install_layout)
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR}
    --prefix ${LAYOUT_DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}")
  endif()
  set(dir ${LAYOUT_DIR}/${LIBEXECDIR}/ndisirq)
  foreach(f ${dir}/ndisirq-vm ${dir}/vmlib.sh
            ${LAYOUT_DIR}/${BINDIR}/nirq-ivshmem-server)
    if(NOT EXISTS ${f})
      message(FATAL_ERROR "the install has no ${f}")
    endif()
  endforeach()
  execute_process(COMMAND test -x ${dir}/ndisirq-vm RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the installed ${dir}/ndisirq-vm is not executable")
  endif()
  file(REMOVE ${dir}/ndisirq-vm)
  copy_runner(${dir})
endfunction()

function(copy_runner dir)
  file(MAKE_DIRECTORY ${dir})
  file(COPY ${RUNNER} DESTINATION ${dir})
  get_filename_component(runner_name ${RUNNER} NAME)
  file(RENAME ${dir}/${runner_name} ${dir}/ndisirq-vm)
endfunction()

if(LAYOUT STREQUAL "env")
  set(env_args NIRQ_VM_RUNNER=${RUNNER})
else()
  set(env_args --unset=NIRQ_VM_RUNNER)
  file(REMOVE_RECURSE ${LAYOUT_DIR})
  get_filename_component(name ${NDISIRQ} NAME)
  if(LAYOUT STREQUAL "install")
    install_layout()
    set(program ${LAYOUT_DIR}/${BINDIR}/${name})
  else()
    file(MAKE_DIRECTORY ${LAYOUT_DIR}/bin)
    file(COPY ${NDISIRQ} DESTINATION ${LAYOUT_DIR}/bin)
    set(program ${LAYOUT_DIR}/bin/${name})
  endif()
  if(LAYOUT STREQUAL "build")
    copy_runner(${LAYOUT_DIR}/bin/vm)
  endif()
endif()

string(REPLACE "|" ";" args "${ARGS}")
set(cmd ${program} ${args})
if(NOT "$ENV{NIRQ_VALGRIND}" STREQUAL "")
  separate_arguments(wrapper UNIX_COMMAND "$ENV{NIRQ_VALGRIND}")
  list(PREPEND cmd ${wrapper})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env ${env_args} ${cmd}
  WORKING_DIRECTORY ${WORKDIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)

file(REAL_PATH ${program} real_program)
if(DEFINED LAYOUT_DIR AND EXISTS ${LAYOUT_DIR})
  file(REAL_PATH ${LAYOUT_DIR} real_layout_dir)
endif()
if(DEFINED MINIPORT)
  file(REAL_PATH ${MINIPORT} real_miniport)
endif()

# "a|b" -> "[a]\n[b]\n", with the placeholders replaced.
function(bracketed var list)
  string(REPLACE "|" ";" items "${list}")
  set(text "")
  foreach(item IN LISTS items)
    string(REPLACE "@NDISIRQ@" "${real_program}" item "${item}")
    string(REPLACE "@MINIPORT@" "${real_miniport}" item "${item}")
    string(APPEND text "[${item}]\n")
  endforeach()
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

if(NOT "${rc}" STREQUAL "${EXPECT_RC}")
  string(APPEND failed "exit status ${rc}, expected ${EXPECT_RC}\n")
endif()
if(DEFINED EXPECT_ARGV)
  bracketed(want "${EXPECT_ARGV}")
  if(NOT out STREQUAL want)
    string(APPEND failed "the runner's argv differs; expected:\n${want}")
  endif()
endif()
if(DEFINED EXPECT_SEQ)
  bracketed(want "${EXPECT_SEQ}")
  string(FIND "${out}" "${want}" pos)
  if(pos EQUAL -1)
    string(APPEND failed "the runner's argv lacks the sequence:\n${want}")
  endif()
endif()
if(DEFINED EXPECT_ERR AND NOT EXPECT_ERR STREQUAL "")
  string(REPLACE "|" ";" items "${EXPECT_ERR}")
  foreach(item IN LISTS items)
    string(REPLACE "@LAYOUT_DIR@" "${real_layout_dir}" item "${item}")
    string(FIND "${err}" "${item}" pos)
    if(pos EQUAL -1)
      string(APPEND failed "stderr lacks '${item}'\n")
    endif()
  endforeach()
endif()
if(err MATCHES "(ERROR: (Address|Leak)Sanitizer|: runtime error: |ERROR SUMMARY: [1-9])")
  string(APPEND failed "stderr has a sanitizer or valgrind report ('${CMAKE_MATCH_1}')\n")
endif()

if(failed)
  message(FATAL_ERROR "ndisirq ${ARGS} (runner: ${LAYOUT})\n${failed}"
    "--- stdout:\n${out}--- stderr:\n${err}")
endif()
