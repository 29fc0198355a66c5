# SPDX-License-Identifier: MIT
# Functional tests of the sample miniports (label: functional):
#  - functional.samples: cmocka, the samples in-process through nirq_host.h
#    on the sim platform in a manual runtime (deterministic);
#  - test_cli_sample_*: `ndisirq run` on the samples, checking the exit
#    status and the output (nirq_cli_test from cli.cmake).
# Included from tests/functional/CMakeLists.txt after cli.cmake.

if(NOT TARGET nirq_test_harness)
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/harness
                   ${CMAKE_CURRENT_BINARY_DIR}/harness)
endif()

add_executable(test_samples ${CMAKE_CURRENT_LIST_DIR}/test_samples.c
  ${CMAKE_CURRENT_LIST_DIR}/lazy_ack_miniport.c)
target_link_libraries(test_samples PRIVATE nirq_sample_fixture nirq_test_harness
  ndisirq PkgConfig::CMOCKA ${CMAKE_DL_LIBS})
target_compile_definitions(test_samples PRIVATE
  NIRQ_SAMPLE_EDU="$<TARGET_FILE:ndisirq_edu>"
  NIRQ_SAMPLE_E1000E="$<TARGET_FILE:ndisirq_e1000e>")
add_dependencies(test_samples ndisirq_edu ndisirq_e1000e)
math(EXPR NIRQ_SAMPLES_TIMEOUT "60 * ${NIRQ_TEST_TIMEOUT_MULTIPLIER}")
add_test(NAME functional.samples COMMAND test_samples)
set_tests_properties(functional.samples PROPERTIES LABELS functional
  TIMEOUT ${NIRQ_SAMPLES_TIMEOUT})

# The e1000e sample's packet path (e1000e_sample.h) on the sim.
add_executable(test_sample_traffic ${CMAKE_CURRENT_LIST_DIR}/test_sample_traffic.c)
target_link_libraries(test_sample_traffic PRIVATE nirq_sample_fixture
  nirq_test_harness ndisirq PkgConfig::CMOCKA ${CMAKE_DL_LIBS})
target_compile_definitions(test_sample_traffic PRIVATE
  NIRQ_SAMPLE_E1000E="$<TARGET_FILE:ndisirq_e1000e>")
add_dependencies(test_sample_traffic ndisirq_e1000e)
add_test(NAME functional.sample_traffic COMMAND test_sample_traffic)
set_tests_properties(functional.sample_traffic PROPERTIES LABELS functional
  TIMEOUT ${NIRQ_SAMPLES_TIMEOUT})

# ---- `ndisirq run` on the samples: exit 0, the grant, the table, no late callback
set(EDU $<TARGET_FILE:ndisirq_edu>)
set(E1KE $<TARGET_FILE:ndisirq_e1000e>)
set(RUN "run|--processors|4|--duration|0.2")
set(TABLE "interrupts     claimed        DPCs  coalesced  ISR->DPC p50 ns    p99 ns")
set(CLEAN "after deregistration: 0 ISR/DPC call(s)")

nirq_cli_test(test_cli_sample_edu_on_msi_exits_0_with_the_table 0
  ARGS "${RUN}|--device|edu|${EDU}"
  OUT "edu: InterruptType=NDIS_CONNECT_MESSAGE_BASED messages=1|${TABLE}|edu: no callback after deregistration: OK|${CLEAN}"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_edu_on_the_line_exits_0_with_the_table 0
  ARGS "${RUN}|--device|edu|--policy|MSISupported=0|${EDU}"
  OUT "edu: InterruptType=NDIS_CONNECT_LINE_BASED messages=0|${TABLE}|unclaimed line interrupts|edu: no callback after deregistration: OK"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_edu_on_a_shared_line_with_a_foreign_device_exits_0 0
  ARGS "${RUN}|--device|edu|--policy|MSISupported=0|--fault|foreign-line|${EDU}"
  OUT "NDIS_CONNECT_LINE_BASED|unclaimed line interrupts (ISR returned FALSE)|edu: no callback after deregistration: OK"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_e1000e_default_policy_gets_five_msix_messages 0
  ARGS "${RUN}|--device|e1000e|${E1KE}"
  OUT "e1000e: InterruptType=NDIS_CONNECT_MESSAGE_BASED messages=5 (MSI-X)|RxQ0->0 RxQ1->1 TxQ0->2 TxQ1->3 Other->4|assigned:      MSI-X, 5 vector(s)|${TABLE}|e1000e: no callback after deregistration: OK|${CLEAN}"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_e1000e_message_number_limit_1_exits_0 0
  ARGS "${RUN}|--device|e1000e|--policy|MessageNumberLimit=1|${E1KE}"
  OUT "messages=1 (MSI-X)|RxQ0->0 RxQ1->0 TxQ0->0 TxQ1->0 Other->0|${TABLE}|e1000e: no callback after deregistration: OK"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_e1000e_msi_supported_0_runs_on_the_line 0
  ARGS "${RUN}|--device|e1000e|--policy|MSISupported=0|${E1KE}"
  OUT "e1000e: InterruptType=NDIS_CONNECT_LINE_BASED messages=0 (line)|${TABLE}|e1000e: no callback after deregistration: OK"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_e1000e_runs_on_the_e1000_line 0
  ARGS "${RUN}|--device|e1000|${E1KE}"
  OUT "device:        e1000 (sim)|e1000e: InterruptType=NDIS_CONNECT_LINE_BASED messages=0 (line)|${TABLE}|e1000e: no callback after deregistration: OK"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_e1000e_without_msix_runs_on_msi 0
  ARGS "${RUN}|--device|e1000e|--fault|no-msix|${E1KE}"
  OUT "messages=1 (MSI)|assigned:      MSI, 1 vector(s)|e1000e: no callback after deregistration: OK"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_e1000e_vector_allocation_failure_runs_on_one_message 0
  ARGS "${RUN}|--device|e1000e|--fault|alloc-fail-at=1|${E1KE}"
  OUT "messages=1 (MSI-X)|e1000e: no callback after deregistration: OK"
  REJECT "verifier")
nirq_cli_test(test_cli_sample_e1000e_max_nbls_1_exits_0 0
  ARGS "${RUN}|--device|e1000e|--policy|MaxNblsToIndicate=1|${E1KE}"
  OUT "messages=5 (MSI-X)|${TABLE}|e1000e: no callback after deregistration: OK"
  REJECT "verifier")

# ---- a misbehaving miniport fails the run: cli_miniport (cli.cmake) halting
# without NdisMDeregisterInterruptEx while the device keeps interrupting
nirq_cli_test(test_cli_halt_without_deregister_under_traffic_is_reported_exits_1 1
  ARGS "${RUN}|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=no-dereg"
  ERR "(0x7C/0x08)|verifier reported 1"
  OUT "after deregistration: 0 ISR/DPC call(s)")
