# SPDX-License-Identifier: MIT
# `ndisirq vm` end to end (label vm): each test runs the command as a user
# would, which boots its own guest (tools/ndisirq/vm/ndisirq-vm), and checks
# the exit status and what reaches stdout and stderr (vm-cmd-test). Included
# from tests/vm/CMakeLists.txt.

set(NIRQ_VM_CMD_TEST ${CMAKE_CURRENT_LIST_DIR}/vm-cmd-test)
# A first run may download the guest kernel.
math(EXPR NIRQ_VM_CMD_TIMEOUT "600 * ${NIRQ_TEST_TIMEOUT_MULTIPLIER}")

# nirq_vm_cmd_test(NAME [LABEL l] [ENV N=V...] CHECKS checks... ARGS args...):
# vm-cmd-test CHECKS -- ndisirq vm ARGS, as the test vm.cmd.NAME.
function(nirq_vm_cmd_test name)
  cmake_parse_arguments(T "" "LABEL" "ENV;CHECKS;ARGS" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL vm)
  endif()
  add_test(NAME vm.cmd.${name}
    COMMAND ${CMAKE_COMMAND} -E env ${T_ENV}
            ${NIRQ_VM_CMD_TEST} ${T_CHECKS} -- $<TARGET_FILE:ndisirq_cli> vm ${T_ARGS})
  set_tests_properties(vm.cmd.${name} PROPERTIES LABELS ${T_LABEL}
    RESOURCE_LOCK nirq_vm SKIP_RETURN_CODE 77 TIMEOUT ${NIRQ_VM_CMD_TIMEOUT})
endfunction()

set(EDU $<TARGET_FILE:ndisirq_edu>)
set(E1K $<TARGET_FILE:ndisirq_e1000e>)
set(IVS $<TARGET_FILE:ndisirq_ivshmem>)
set(CLI_MP $<TARGET_FILE:nirq_cli_miniport>)

# ---- the samples, as the issue asks: exit status and the grant printed
nirq_vm_cmd_test(edu_sample_granted_msi_exits_0
  CHECKS --rc 0 --claimed --out "assigned:      MSI, 1 vector(s)"
         --out "InterruptType: NDIS_CONNECT_MESSAGE_BASED, 1 message(s)"
  ARGS --device edu --duration 1 ${EDU})
nirq_vm_cmd_test(e1000e_sample_granted_msix_five_messages_exits_0
  CHECKS --rc 0 --claimed --out "assigned:      MSI-X, 5 vector(s)"
         --out "InterruptType: NDIS_CONNECT_MESSAGE_BASED, 5 message(s)"
  ARGS --device e1000e --duration 1 ${E1K})

# ---- each option reaches the guest
nirq_vm_cmd_test(policy_msisupported_0_gives_the_line
  CHECKS --rc 0 --claimed --out "assigned:      line, 1 vector(s)"
         --out "InterruptType: NDIS_CONNECT_LINE_BASED"
  ARGS --device e1000e --policy MSISupported=0 --duration 1 ${E1K})
nirq_vm_cmd_test(ivshmem_vectors_become_msix_messages
  CHECKS --rc 0 --claimed --out "assigned:      MSI-X, 4 vector(s)"
         --out "InterruptType: NDIS_CONNECT_MESSAGE_BASED, 4 message(s)"
  ARGS --device ivshmem:4 --duration 1 ${IVS})
nirq_vm_cmd_test(smp_sets_the_guest_cpus_the_run_uses
  CHECKS --rc 0 --out "(vfio, 1234:11e8), 3 processor(s)"
  ARGS --device edu --smp 3 ${EDU})
nirq_vm_cmd_test(extra_arguments_reach_the_guest_run
  CHECKS --rc 0 --out "(vfio, 1234:11e8), 5 processor(s)"
  ARGS --device edu ${EDU} -- --processors 5)
nirq_vm_cmd_test(extra_arguments_reach_the_guest_run_verbatim
  CHECKS --rc 2 --err "--device 0000:00:01.0 --processors '$(echo 5)' /opt/nirq/"
         --err "ndisirq run: --processors '$(echo 5)': must be an integer"
  ARGS --device edu ${EDU} -- --processors "$(echo 5)")
nirq_vm_cmd_test(env_reaches_the_miniport
  CHECKS --rc 0 --err "cli_miniport: resources:" --err "bar0 ok"
  ARGS --device edu --env NIRQ_CLI_MINIPORT_DUMP=1 ${CLI_MP})

# ---- streams and statuses
nirq_vm_cmd_test(progress_on_stderr_report_on_stdout
  CHECKS --rc 0 --err "ndisirq vm: building initramfs" --err "ndisirq vm: booting"
         --err "ndisirq vm: running ndisirq run --platform vfio --device 0000:"
         --out "InterruptType:" --no-out "ndisirq vm:" --no-err "InterruptType:"
  ARGS --device edu ${EDU})
nirq_vm_cmd_test(guest_run_status_1_is_the_exit_status
  CHECKS --rc 1 --err "MiniportInitializeEx returned 0xc0000001"
  ARGS --device edu --env NIRQ_CLI_MINIPORT_MODE=init-fail ${CLI_MP})
nirq_vm_cmd_test(guest_run_usage_error_2_is_the_exit_status
  CHECKS --rc 2 --err "ndisirq run: --processors '0'"
  ARGS --device edu ${EDU} -- --processors 0)
nirq_vm_cmd_test(guest_not_done_within_timeout_exits_124
  CHECKS --rc 124 --err "the guest did not finish within --timeout 12 s"
  ARGS --device edu --duration 11 --timeout 12 ${EDU})
nirq_vm_cmd_test(qemu_unavailable_exits_125_naming_it LABEL functional
  ENV NIRQ_VM_QEMU=/nonexistent/qemu-system-x86_64
  CHECKS --rc 125 --err "QEMU cannot run on this machine"
         --err "/nonexistent/qemu-system-x86_64 not found"
  ARGS --device edu ${EDU})

# ---- an installed ndisirq, run by a user who is not root
nirq_vm_cmd_test(installed_runs_without_root
  CHECKS --rc 0 --claimed --as-user ${CMAKE_BINARY_DIR}
         --out "assigned:      MSI-X, 5 vector(s)"
  ARGS --device e1000e --duration 1 ${E1K})

# ---- a miniport's own libraries
# The cli test miniport again, also needing libnirq_vm_dep.so from a
# directory of its own: found through a RUNPATH of $ORIGIN/deplib on the
# host, it must load in the guest too, where the miniport sits elsewhere
# (/opt/nirq/miniport); without a RUNPATH ldd cannot find it on the host.
add_library(nirq_vm_dep SHARED ${CMAKE_CURRENT_LIST_DIR}/dep_library.c)
set_target_properties(nirq_vm_dep PROPERTIES
  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/deplib)
foreach(variant found absent)
  add_library(nirq_vm_dep_${variant} MODULE
    ${PROJECT_SOURCE_DIR}/tests/functional/cli_miniport.c)
  target_link_libraries(nirq_vm_dep_${variant} PRIVATE ndisirq
    -Wl,--no-as-needed nirq_vm_dep -Wl,--as-needed)
endforeach()
set_target_properties(nirq_vm_dep_found PROPERTIES BUILD_RPATH_USE_ORIGIN ON)
set_target_properties(nirq_vm_dep_absent PROPERTIES SKIP_BUILD_RPATH TRUE)
nirq_vm_cmd_test(miniport_library_outside_the_system_loads_in_the_guest
  CHECKS --rc 0 --out "assigned:      MSI, 1 vector(s)"
  ARGS --device edu $<TARGET_FILE:nirq_vm_dep_found>)
# Its libraries found through LD_LIBRARY_PATH in a directory under /tmp
# (the guest mounts a fresh /tmp).
nirq_vm_cmd_test(miniport_libraries_under_tmp_load_in_the_guest
  CHECKS --rc 0 --out "assigned:      MSI, 1 vector(s)"
         --lib-in-tmp $<TARGET_SONAME_FILE:ndisirq> --lib-in-tmp $<TARGET_FILE:nirq_vm_dep>
  ARGS --device edu $<TARGET_FILE:nirq_vm_dep_absent>)
nirq_vm_cmd_test(miniport_library_ldd_cannot_find_exits_125_naming_it LABEL functional
  CHECKS --rc 125 --err "needs a library that ldd cannot find on this host"
         --err "libnirq_vm_dep.so => not found"
  ARGS --device edu $<TARGET_FILE:nirq_vm_dep_absent>)
nirq_vm_cmd_test(console_shows_the_guest_boot
  CHECKS --rc 0 --err "vm: guest ndisirq-vm up" --err "driver vfio-pci"
  ARGS --device edu --console ${EDU})
