# SPDX-License-Identifier: MIT
# Functional tests of `ndisirq vm`, the front end (label: functional): the
# help texts, usage errors (exit 2, naming the option, the value and the
# rule), the miniport's ELF check, the runner lookup (exit 125 without one)
# and the runner protocol, against a fake runner (vm_fake_runner.sh) that
# prints its arguments and exits with $NIRQ_FAKE_RUNNER_RC. No guest boots
# here: every test names a runner (NIRQ_VM_RUNNER or a copied layout); the vm
# tier boots real guests. Included from tests/functional/CMakeLists.txt
# after cli.cmake (nirq_cli_test, nirq_cli_miniport).

set(NIRQ_VM_FAKE_RUNNER ${CMAKE_CURRENT_LIST_DIR}/vm_fake_runner.sh)
set(NIRQ_VM_FAKE_ENV "NIRQ_VM_RUNNER=${NIRQ_VM_FAKE_RUNNER}")

# nirq_cli_vm_test(NAME RC ...): nirq_cli_test with the fake runner, so that a
# command line wrongly accepted shows as exit 0, not as a booting guest.
function(nirq_cli_vm_test name rc)
  cmake_parse_arguments(V "" "ENV" "" ${ARGN})
  set(env "${NIRQ_VM_FAKE_ENV}")
  if(V_ENV)
    string(APPEND env "|${V_ENV}")
  endif()
  nirq_cli_test(${name} ${rc} ${V_UNPARSED_ARGUMENTS} ENV "${env}")
endfunction()

# nirq_cli_vm_runner_test(NAME ARGS a|b [RC n] [ARGV a|b] [SEQ a|b] [ERR s|s]
#                         [ENV N=V] [LAYOUT env|build|none|install]):
# test_cli_vm_runner.cmake, run in the miniport's directory (MPNAME is its
# file name there). ARGV: the runner's exact argv; SEQ: a run of it.
function(nirq_cli_vm_runner_test name)
  cmake_parse_arguments(T "" "ARGS;RC;ARGV;SEQ;ERR;ENV;LAYOUT" "" ${ARGN})
  set(defs)
  foreach(k RC ARGV SEQ ERR LAYOUT)
    if(DEFINED T_${k})
      set(var ${k})
      if(k STREQUAL "RC" OR k STREQUAL "ARGV" OR k STREQUAL "SEQ" OR k STREQUAL "ERR")
        set(var EXPECT_${k})
      endif()
      list(APPEND defs "-D${var}=${T_${k}}")
    endif()
  endforeach()
  set(cmd ${CMAKE_COMMAND})
  if(DEFINED T_ENV)
    string(REPLACE "|" ";" envs "${T_ENV}")
    set(cmd ${CMAKE_COMMAND} -E env ${envs} ${CMAKE_COMMAND})
  endif()
  add_test(NAME ${name} COMMAND ${cmd}
    -DNDISIRQ=$<TARGET_FILE:ndisirq_cli> -DRUNNER=${NIRQ_VM_FAKE_RUNNER}
    "-DARGS=${T_ARGS}" -DWORKDIR=$<TARGET_FILE_DIR:nirq_cli_miniport>
    -DMINIPORT=$<TARGET_FILE:nirq_cli_miniport> ${defs}
    -DLAYOUT_DIR=${CMAKE_CURRENT_BINARY_DIR}/cli_vm/${name}
    -DBUILD_DIR=${CMAKE_BINARY_DIR} -DBINDIR=${CMAKE_INSTALL_BINDIR}
    -DLIBEXECDIR=${CMAKE_INSTALL_LIBEXECDIR}
    -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/test_cli_vm_runner.cmake)
  set_tests_properties(${name} PROPERTIES LABELS functional TIMEOUT ${NIRQ_CLI_TIMEOUT})
endfunction()

set(MPNAME $<TARGET_FILE_NAME:nirq_cli_miniport>)
set(VMDIR ${CMAKE_CURRENT_BINARY_DIR}/cli_vm)

# Files that are not an x86-64 ELF shared object, for the miniport check:
# headers written here (no NUL bytes: each checked byte is set, the rest is
# filler), and an object file (ET_REL).
file(MAKE_DIRECTORY ${VMDIR})
string(ASCII 127 69 76 70 elf_magic)
string(ASCII 1 one)
string(ASCII 2 two)
string(REPEAT "x" 58 pad58)
string(REPEAT "x" 10 pad10)
string(REPEAT "x" 44 pad44)
file(WRITE ${VMDIR}/elf32.so "${elf_magic}${one}${one}${pad58}")
file(WRITE ${VMDIR}/elf64be.so "${elf_magic}${two}${two}${pad58}")
# e_machine (bytes 18-19) is "xx", not EM_X86_64.
file(WRITE ${VMDIR}/elf64-other-machine.so "${elf_magic}${two}${one}${pad10}${one}${one}xx${pad44}")
file(WRITE ${VMDIR}/elf-truncated.so "${elf_magic}${two}${one}")
add_library(nirq_cli_vm_object OBJECT ${CMAKE_CURRENT_LIST_DIR}/cli_no_entry.c)

# ---- help
nirq_cli_test(test_cli_help_lists_the_vm_command_and_its_exit_statuses 0
  ARGS "--help"
  OUT "  vm       run a miniport in a QEMU guest|124 the guest did not finish|125 the guest could not be built")
nirq_cli_test(test_cli_vm_help_describes_every_option_with_its_default_and_range 0
  ARGS "vm|--help"
  OUT "Usage: ndisirq vm --device edu|ivshmem[:VECTORS]|ivshmem[:N]|1..1024 (default 1)|--smp N|1..8 (default 2)|--memory MIB|128..4096 (default 512)|--policy NAME=VALUE|MSISupported|--duration SECONDS|0..86400|--env NAME=VALUE|[A-Za-z_][A-Za-z0-9_]*|--timeout SECONDS|10..90000|(default 300 + the duration rounded up)|--console|-- ARGS...|not --platform or --device")
nirq_cli_test(test_cli_vm_help_explains_the_guest_the_cache_and_the_requirements 0
  ARGS "vm|-h"
  OUT "QEMU guest under TCG|bound to\nvfio-pci|'ndisirq run --platform vfio'|stdout is streamed to stdout|stderr to stderr|~/.cache/ndisirq/vm (NIRQ_VM_CACHE)|no root|qemu-system-x86|busybox-static|cpio|xz-utils|NIRQ_VM_RUNNER|(for tests)")
nirq_cli_test(test_cli_vm_help_lists_the_exit_statuses 0 ARGS "vm|--help"
  OUT "Exit status: that of ndisirq run in the guest|2 also for a bad command line on the host|124\nthe guest did not finish within --timeout|125 the guest could not be\nbuilt or booted, or ended without reporting a status")
nirq_cli_vm_test(test_cli_vm_help_after_options_prints_usage_and_exits_0 0
  ARGS "vm|--device|edu|${MP}|--help" OUT "Usage: ndisirq vm")

# ---- --device
nirq_cli_vm_test(test_cli_vm_without_device_exits_2 2 ARGS "vm|${MP}"
  ERR "ndisirq vm: --device is required|(see 'ndisirq vm --help')")
nirq_cli_vm_test(test_cli_vm_unknown_device_exits_2_listing_the_models 2
  ARGS "vm|--device|rtl8139|${MP}"
  ERR "--device 'rtl8139': unknown device model 'rtl8139'|must be one of edu, e1000e, e1000, ivshmem[:VECTORS]")
nirq_cli_vm_test(test_cli_vm_pci_address_as_device_exits_2 2
  ARGS "vm|--device|0000:00:03.0|${MP}" ERR "--device '0000:00:03.0': unknown device model '0000'")
nirq_cli_vm_test(test_cli_vm_vectors_on_another_model_than_ivshmem_exits_2 2
  ARGS "vm|--device|e1000e:2|${MP}" ERR "--device 'e1000e:2': only ivshmem takes :VECTORS")
nirq_cli_vm_test(test_cli_vm_ivshmem_0_vectors_exits_2_naming_the_range 2
  ARGS "vm|--device=ivshmem:0|${MP}" ERR "--device 'ivshmem:0': VECTORS must be an integer in 1..1024")
nirq_cli_vm_test(test_cli_vm_ivshmem_1025_vectors_exits_2_naming_the_range 2
  ARGS "vm|--device|ivshmem:1025|${MP}" ERR "--device 'ivshmem:1025': VECTORS must be an integer in 1..1024")
nirq_cli_vm_test(test_cli_vm_ivshmem_vectors_not_a_number_exits_2 2
  ARGS "vm|--device|ivshmem:4x|${MP}" ERR "--device 'ivshmem:4x': VECTORS must be an integer")
nirq_cli_vm_test(test_cli_vm_ivshmem_empty_vectors_exits_2 2
  ARGS "vm|--device|ivshmem:|${MP}" ERR "--device 'ivshmem:': VECTORS must be an integer")

# ---- --smp, --memory, --timeout
nirq_cli_vm_test(test_cli_vm_smp_0_exits_2_naming_the_range 2
  ARGS "vm|--device|edu|--smp|0|${MP}" ERR "--smp '0': must be an integer in 1..8")
nirq_cli_vm_test(test_cli_vm_smp_9_exits_2_naming_the_range 2
  ARGS "vm|--device|edu|--smp=9|${MP}" ERR "--smp '9': must be an integer in 1..8")
nirq_cli_vm_test(test_cli_vm_memory_127_exits_2_naming_the_range 2
  ARGS "vm|--device|edu|--memory|127|${MP}" ERR "--memory '127': must be an integer in 128..4096 (MiB)")
nirq_cli_vm_test(test_cli_vm_memory_4097_exits_2_naming_the_range 2
  ARGS "vm|--device|edu|--memory|4097|${MP}" ERR "--memory '4097': must be an integer in 128..4096")
nirq_cli_vm_test(test_cli_vm_memory_with_a_unit_exits_2 2
  ARGS "vm|--device|edu|--memory|1G|${MP}" ERR "--memory '1G': must be an integer")
nirq_cli_vm_test(test_cli_vm_timeout_9_exits_2_naming_the_range 2
  ARGS "vm|--device|edu|--timeout|9|${MP}" ERR "--timeout '9': must be an integer number of seconds in 10..90000")
nirq_cli_vm_test(test_cli_vm_timeout_90001_exits_2_naming_the_range 2
  ARGS "vm|--device|edu|--timeout|90001|${MP}" ERR "--timeout '90001': must be an integer number of seconds in 10..90000")
nirq_cli_vm_test(test_cli_vm_fractional_timeout_exits_2 2
  ARGS "vm|--device|edu|--timeout|30.5|${MP}" ERR "--timeout '30.5': must be an integer")
nirq_cli_vm_test(test_cli_vm_timeout_equal_to_the_duration_exits_2_naming_both 2
  ARGS "vm|--device|edu|--timeout|60|--duration|60|${MP}"
  ERR "--timeout 60: must be greater than --duration 60 (the guest boots first)")
nirq_cli_vm_test(test_cli_vm_timeout_below_the_duration_exits_2_naming_both 2
  ARGS "vm|--device|edu|--duration|100.5|--timeout|100|${MP}"
  ERR "--timeout 100: must be greater than --duration 100.5")

# ---- --policy and --duration: the rules and messages of ndisirq run
nirq_cli_vm_test(test_cli_vm_unknown_policy_exits_2_as_run_does 2
  ARGS "vm|--device|edu|--policy|MsiSupported=1|${MP}"
  ERR "ndisirq vm: --policy 'MsiSupported=1': unknown policy name 'MsiSupported'|must be one of MSISupported, MessageNumberLimit, MaxNblsToIndicate (case-sensitive)")
nirq_cli_vm_test(test_cli_vm_policy_out_of_range_exits_2_with_the_rule 2
  ARGS "vm|--device|edu|--policy|MSISupported=2|${MP}"
  ERR "ndisirq vm: --policy 'MSISupported=2': MSISupported must be 0 or 1")
nirq_cli_vm_test(test_cli_vm_policy_without_equals_exits_2 2
  ARGS "vm|--device|edu|--policy=MSISupported|${MP}"
  ERR "--policy 'MSISupported': must be NAME=VALUE")
nirq_cli_vm_test(test_cli_vm_negative_duration_exits_2 2
  ARGS "vm|--device|edu|--duration|-1|${MP}" ERR "--duration '-1': must be a number of seconds in 0..86400")
nirq_cli_vm_test(test_cli_vm_duration_over_a_day_exits_2 2
  ARGS "vm|--device|edu|--duration|86400.5|${MP}" ERR "--duration '86400.5': must be a number of seconds in 0..86400")

# ---- --env, --console, other options
nirq_cli_vm_test(test_cli_vm_env_without_equals_exits_2 2
  ARGS "vm|--device|edu|--env|FOO|${MP}" ERR "--env 'FOO': must be NAME=VALUE")
nirq_cli_vm_test(test_cli_vm_env_empty_name_exits_2 2
  ARGS "vm|--device|edu|--env|=1|${MP}" ERR "--env '=1': NAME is empty|must match [A-Za-z_][A-Za-z0-9_]*")
nirq_cli_vm_test(test_cli_vm_env_name_starting_with_a_digit_exits_2 2
  ARGS "vm|--device|edu|--env|1X=1|${MP}" ERR "--env '1X=1': NAME '1X' must match [A-Za-z_][A-Za-z0-9_]*")
nirq_cli_vm_test(test_cli_vm_env_name_with_a_dash_exits_2 2
  ARGS "vm|--device|edu|--env=MY-VAR=1|${MP}" ERR "--env 'MY-VAR=1': NAME 'MY-VAR' must match")
nirq_cli_vm_test(test_cli_vm_console_with_a_value_exits_2 2
  ARGS "vm|--device|edu|--console=yes|${MP}" ERR "option '--console' takes no value ('--console=yes' given)")
nirq_cli_vm_test(test_cli_vm_run_option_before_dashdash_exits_2_naming_it 2
  ARGS "vm|--device|edu|--processors|2|${MP}" ERR "unknown option '--processors'")
nirq_cli_vm_test(test_cli_vm_option_without_value_exits_2 2
  ARGS "vm|${MP}|--device" ERR "option '--device' needs a value")

# ---- MINIPORT.so
nirq_cli_vm_test(test_cli_vm_without_miniport_exits_2 2 ARGS "vm|--device|edu"
  ERR "MINIPORT.so is required")
nirq_cli_vm_test(test_cli_vm_two_miniports_exits_2 2 ARGS "vm|--device|edu|${MP}|b.so"
  ERR "unexpected argument 'b.so': only one MINIPORT.so|go after '--'")
nirq_cli_vm_test(test_cli_vm_missing_miniport_file_exits_2_naming_it 2
  ARGS "vm|--device|edu|${VMDIR}/no-such-miniport.so"
  ERR "MINIPORT.so '${VMDIR}/no-such-miniport.so': No such file or directory")
nirq_cli_vm_test(test_cli_vm_directory_as_miniport_exits_2 2
  ARGS "vm|--device|edu|${VMDIR}"
  ERR "MINIPORT.so '${VMDIR}': not a regular file")
nirq_cli_vm_test(test_cli_vm_text_file_as_miniport_exits_2 2
  ARGS "vm|--device|edu|${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt"
  ERR "MINIPORT.so '${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt': not an ELF file|must be an ELF64 little-endian x86-64 shared object (ET_DYN)")
nirq_cli_vm_test(test_cli_vm_truncated_elf_header_exits_2 2
  ARGS "vm|--device|edu|${VMDIR}/elf-truncated.so" ERR "elf-truncated.so': ELF header truncated")
nirq_cli_vm_test(test_cli_vm_elf32_miniport_exits_2 2
  ARGS "vm|--device|edu|${VMDIR}/elf32.so" ERR "elf32.so': not ELF64")
nirq_cli_vm_test(test_cli_vm_big_endian_miniport_exits_2 2
  ARGS "vm|--device|edu|${VMDIR}/elf64be.so" ERR "elf64be.so': not little-endian")
nirq_cli_vm_test(test_cli_vm_miniport_for_another_machine_exits_2 2
  ARGS "vm|--device|edu|${VMDIR}/elf64-other-machine.so" ERR "elf64-other-machine.so': not for x86-64")
nirq_cli_vm_test(test_cli_vm_object_file_as_miniport_exits_2 2
  ARGS "vm|--device|edu|$<TARGET_OBJECTS:nirq_cli_vm_object>"
  ERR "not a shared object (e_type is not ET_DYN)")

# ---- arguments after --: passed to ndisirq run, except what vm sets
nirq_cli_vm_test(test_cli_vm_platform_after_dashdash_exits_2_naming_it 2
  ARGS "vm|--device|edu|${MP}|--|--platform|sim"
  ERR "argument '--platform' after '--': ndisirq vm sets --platform and --device")
nirq_cli_vm_test(test_cli_vm_device_assignment_after_dashdash_exits_2_naming_it 2
  ARGS "vm|--device|edu|${MP}|--|--duration|1|--device=0000:00:01.0"
  ERR "argument '--device=0000:00:01.0' after '--'")

# ---- the runner
nirq_cli_test(test_cli_vm_missing_runner_exits_125_naming_it 125
  ARGS "vm|--device|edu|${MP}" ENV "NIRQ_VM_RUNNER=/nonexistent"
  ERR "ndisirq vm: the runner is not found: NIRQ_VM_RUNNER='/nonexistent': No such file or directory")
nirq_cli_test(test_cli_vm_runner_that_cannot_execute_exits_125 125
  ARGS "vm|--device|edu|${MP}"
  ENV "NIRQ_VM_RUNNER=${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt"
  ERR "cannot execute the runner '${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt': Permission denied")
nirq_cli_vm_test(test_cli_vm_exits_with_the_runner_status_7 7
  ARGS "vm|--device|edu|${MP}" ENV "NIRQ_FAKE_RUNNER_RC=7" OUT "[--ndisirq]")
nirq_cli_vm_test(test_cli_vm_exits_with_the_runner_status_124 124
  ARGS "vm|--device|edu|${MP}" ENV "NIRQ_FAKE_RUNNER_RC=124")

nirq_cli_vm_runner_test(test_cli_vm_runner_argv_with_the_defaults
  ARGS "vm|--device|ivshmem|${MPNAME}"
  ARGV "--ndisirq|@NDISIRQ@|--device|ivshmem:1|--smp|2|--memory|512|--timeout|300|--miniport|@MINIPORT@|--")
nirq_cli_vm_runner_test(test_cli_vm_runner_argv_with_every_option
  ARGS "vm|--device=ivshmem:0x10|--smp|4|--policy|MSISupported=0|--env|FOO=bar|--duration|1.5|--console|--memory=1024|--env=EMPTY=|--policy=MessageNumberLimit=2|--timeout|600|--env|X=a=b|${MPNAME}|--|--processors|2|two words|--"
  ARGV "--ndisirq|@NDISIRQ@|--device|ivshmem:16|--smp|4|--memory|1024|--timeout|600|--console|--env|FOO=bar|--env|EMPTY=|--env|X=a=b|--miniport|@MINIPORT@|--|--policy|MSISupported=0|--policy|MessageNumberLimit=2|--duration|1.5|--processors|2|two words|--")
nirq_cli_vm_runner_test(test_cli_vm_default_timeout_is_300_plus_the_duration_rounded_up
  ARGS "vm|--device|e1000e|--duration|0.25|${MPNAME}"
  SEQ "--device|e1000e|--smp|2|--memory|512|--timeout|301|--miniport")
nirq_cli_vm_runner_test(test_cli_vm_passes_a_relative_miniport_path_as_its_real_path
  ARGS "vm|--device|e1000|../functional/./${MPNAME}"
  SEQ "--device|e1000|--smp|2|--memory|512|--timeout|300|--miniport|@MINIPORT@|--")

# ---- where the runner is looked for (copies of the program, no NIRQ_VM_RUNNER)
nirq_cli_vm_runner_test(test_cli_vm_finds_the_runner_beside_the_program_in_the_build_tree
  LAYOUT build ARGS "vm|--device|edu|${MPNAME}"
  SEQ "--ndisirq|@NDISIRQ@|--device|edu")
nirq_cli_vm_runner_test(test_cli_vm_without_a_runner_exits_125_naming_where_it_looked
  LAYOUT none RC 125 ARGS "vm|--device|edu|${MPNAME}"
  ERR "the runner ndisirq-vm is not found|looked at @LAYOUT_DIR@/bin/vm/ndisirq-vm and @LAYOUT_DIR@/bin/")
nirq_cli_vm_runner_test(test_cli_vm_installed_program_finds_the_installed_runner
  LAYOUT install ARGS "vm|--device|edu|${MPNAME}"
  SEQ "--ndisirq|@NDISIRQ@|--device|edu")
