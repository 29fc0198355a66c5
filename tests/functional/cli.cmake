# SPDX-License-Identifier: MIT
# Functional tests of the ndisirq command line (label: functional): help
# texts, usage errors (exit 2, naming the option, the value and the rule),
# load failures (exit 1), and whole runs of a small test miniport on the sim
# edu device, including the verifier's halt/initialize checks.
# Included from tests/functional/CMakeLists.txt.

set(NIRQ_CLI_TIMEOUT 60)
math(EXPR NIRQ_CLI_TIMEOUT "${NIRQ_CLI_TIMEOUT} * ${NIRQ_TEST_TIMEOUT_MULTIPLIER}")

add_library(nirq_cli_miniport MODULE ${CMAKE_CURRENT_LIST_DIR}/cli_miniport.c)
target_link_libraries(nirq_cli_miniport PRIVATE ndisirq)
add_library(nirq_cli_no_entry MODULE ${CMAKE_CURRENT_LIST_DIR}/cli_no_entry.c)

# nirq_cli_test(NAME RC [ARGS a|b] [OUT s|s] [ERR s|s] [REJECT s|s] [ENV N=V|N=V])
function(nirq_cli_test name rc)
  cmake_parse_arguments(T "" "ARGS;OUT;ERR;REJECT;ENV" "" ${ARGN})
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND}
    -DNDISIRQ=$<TARGET_FILE:ndisirq_cli> "-DARGS=${T_ARGS}" -DEXPECT_RC=${rc}
    "-DEXPECT_OUT=${T_OUT}" "-DEXPECT_ERR=${T_ERR}" "-DREJECT_ERR=${T_REJECT}"
    "-DENV_VARS=${T_ENV}" -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/test_cli.cmake)
  set_tests_properties(${name} PROPERTIES LABELS functional TIMEOUT ${NIRQ_CLI_TIMEOUT})
endfunction()

set(MP $<TARGET_FILE:nirq_cli_miniport>)

# ---- help and version
nirq_cli_test(test_cli_help_lists_commands 0 ARGS "--help"
  OUT "Usage: ndisirq COMMAND|run|bench|version")
nirq_cli_test(test_cli_run_help_describes_options_policies_and_faults 0
  ARGS "run|--help"
  OUT "--platform sim|--device|--processors|--policy|--duration|--fault|MSISupported|MessageNumberLimit|MaxNblsToIndicate|no-msi|no-msix|msix-count=N|vector-limit=N|alloc-fail-at=N|spurious=VEC|foreign-line|Exit status")
nirq_cli_test(test_cli_run_help_describes_the_vfio_platform 0 ARGS "run|--help"
  OUT "ndisirq run --platform vfio --device DDDD:BB:DD.F|on vfio by writing the device's trigger register through BAR0|inject a fault (sim only)")
nirq_cli_test(test_cli_version_prints_project_version 0 ARGS "version"
  OUT "ndisirq ${PROJECT_VERSION}")

# ---- usage errors: exit 2, naming option, value and rule
nirq_cli_test(test_cli_no_command_exits_2 2 ARGS "" ERR "Usage: ndisirq")
nirq_cli_test(test_cli_unknown_command_exits_2_naming_it 2 ARGS "frobnicate"
  ERR "unknown command 'frobnicate'")
nirq_cli_test(test_cli_run_unknown_option_exits_2_naming_it 2
  ARGS "run|--bogus|--device|edu|x.so" ERR "unknown option '--bogus'")
nirq_cli_test(test_cli_run_processors_0_exits_2_naming_the_range 2
  ARGS "run|--device|edu|--processors|0|x.so" ERR "--processors '0'|1..64")
nirq_cli_test(test_cli_run_processors_65_exits_2_naming_the_range 2
  ARGS "run|--device|edu|--processors=65|x.so" ERR "--processors '65'|1..64")
nirq_cli_test(test_cli_run_processors_not_a_number_exits_2 2
  ARGS "run|--device|edu|--processors|4x|x.so" ERR "--processors '4x'|integer")
nirq_cli_test(test_cli_run_option_without_value_exits_2 2
  ARGS "run|x.so|--device" ERR "option '--device' needs a value")
nirq_cli_test(test_cli_run_unknown_device_exits_2_listing_devices 2
  ARGS "run|--device|rtl8139|x.so" ERR "--device 'rtl8139'|edu, e1000e, e1000")
nirq_cli_test(test_cli_run_unknown_platform_exits_2 2
  ARGS "run|--platform|xen|--device|edu|x.so"
  ERR "ndisirq run: --platform 'xen': unknown platform; must be 'sim' or 'vfio'")
nirq_cli_test(test_cli_run_unknown_policy_exits_2_naming_it 2
  ARGS "run|--device|edu|--policy|MsiSupported=1|x.so"
  ERR "unknown policy name 'MsiSupported'|MSISupported, MessageNumberLimit")
nirq_cli_test(test_cli_run_policy_out_of_range_exits_2_with_the_rule 2
  ARGS "run|--device|edu|--policy|MSISupported=2|x.so" ERR "--policy 'MSISupported=2'")
nirq_cli_test(test_cli_run_policy_without_equals_exits_2 2
  ARGS "run|--device|edu|--policy|MSISupported|x.so" ERR "must be NAME=VALUE")
nirq_cli_test(test_cli_run_unknown_fault_exits_2_listing_faults 2
  ARGS "run|--device|edu|--fault|no-msy|x.so" ERR "--fault 'no-msy'|foreign-line")
nirq_cli_test(test_cli_run_fault_without_number_exits_2 2
  ARGS "run|--device|edu|--fault|msix-count|x.so" ERR "msix-count needs =N")
nirq_cli_test(test_cli_run_fault_flag_with_value_exits_2 2
  ARGS "run|--device|edu|--fault|no-msi=1|x.so" ERR "takes no value")
nirq_cli_test(test_cli_run_negative_duration_exits_2 2
  ARGS "run|--device|edu|--duration|-1|x.so" ERR "--duration '-1'|seconds")
nirq_cli_test(test_cli_run_without_device_exits_2 2 ARGS "run|x.so" ERR "--device is required")
nirq_cli_test(test_cli_run_without_miniport_exits_2 2 ARGS "run|--device|edu"
  ERR "MINIPORT.so is required")
nirq_cli_test(test_cli_run_two_miniports_exits_2 2 ARGS "run|--device|edu|a.so|b.so"
  ERR "unexpected argument 'b.so'")

# ---- load failures: exit 1 with the reason
nirq_cli_test(test_cli_run_missing_miniport_file_exits_1_naming_it 1
  ARGS "run|--device|edu|${CMAKE_CURRENT_BINARY_DIR}/no-such-miniport.so"
  ERR "no-such-miniport.so")
nirq_cli_test(test_cli_run_object_without_driver_entry_exits_1 1
  ARGS "run|--device|edu|$<TARGET_FILE:nirq_cli_no_entry>" ERR "DriverEntry")
nirq_cli_test(test_cli_run_failing_driver_entry_exits_1 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=entry-fail"
  ERR "DriverEntry of|returned 0xc0000001")

# ---- whole runs of the test miniport on the sim edu device
nirq_cli_test(test_cli_run_edu_grants_msi_and_exits_0 0
  ARGS "run|--device|edu|--processors|2|${MP}"
  OUT "device:        edu|NDIS_CONNECT_MESSAGE_BASED, 1 message(s)|after deregistration: 0"
  REJECT "verifier")
nirq_cli_test(test_cli_run_policy_msi_off_grants_line 0
  ARGS "run|--device|edu|--processors|2|--policy|MSISupported=0|${MP}"
  OUT "NDIS_CONNECT_LINE_BASED (no MessageInfoTable)")
nirq_cli_test(test_cli_run_fault_no_msi_grants_line 0
  ARGS "run|--device|edu|--processors|2|--fault|no-msi|${MP}"
  OUT "NDIS_CONNECT_LINE_BASED")
nirq_cli_test(test_cli_run_failing_initialize_exits_1 1
  ARGS "run|--device|edu|--processors|2|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=init-fail"
  ERR "MiniportInitializeEx returned 0xc0000001" REJECT "verifier")
nirq_cli_test(test_cli_run_halt_without_deregister_is_reported_exits_1 1
  ARGS "run|--device|edu|--processors|2|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=no-dereg"
  ERR "NDIS_BUGCHECK_HALT_WITHOUT_INTERRUPT_DEREGISTER (0x7C/0x08)|verifier reported 1")
nirq_cli_test(test_cli_run_failed_init_without_deregister_is_reported_exits_1 1
  ARGS "run|--device|edu|--processors|2|${MP}"
  ENV "NIRQ_CLI_MINIPORT_MODE=init-fail-no-dereg"
  ERR "NDIS_BUGCHECK_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER (0x7C/0x0B)")
nirq_cli_test(test_cli_run_with_duration_generates_events_and_exits_0 0
  ARGS "run|--device|edu|--processors|2|--duration|0.2|${MP}"
  OUT "generated over 0.2 s|after deregistration: 0" REJECT "verifier")

# ---- AllocatedResources as the miniport sees it (memory BARs in BAR order,
# interrupts last; msg(Flags,ShareDisposition,Raw.MessageCount); "bar0 ok":
# the first descriptor's Start equals BAR0 read with NdisMGetBusData)
set(DUMP "NIRQ_CLI_MINIPORT_DUMP=1")
nirq_cli_test(test_cli_run_edu_resources_list_bar0_then_one_msi_descriptor 0
  ARGS "run|--device|edu|--processors|2|${MP}" ENV "${DUMP}"
  ERR "resources: mem(0x100000) msg(0x3,1,1) bar0 ok")
nirq_cli_test(test_cli_run_e1000e_resources_list_memory_bars_then_five_msix_messages 0
  ARGS "run|--device|e1000e|--processors|4|${MP}" ENV "${DUMP}"
  ERR "resources: mem(0x20000) mem(0x20000) mem(0x4000) msg(0x3,1,1) msg(0x3,1,1) msg(0x3,1,1) msg(0x3,1,1) msg(0x3,1,1) bar0 ok")
nirq_cli_test(test_cli_run_message_number_limit_2_lists_two_msix_messages 0
  ARGS "run|--device|e1000e|--processors|4|--policy|MessageNumberLimit=2|${MP}"
  ENV "${DUMP}"
  ERR "mem(0x4000) msg(0x3,1,1) msg(0x3,1,1) bar0 ok"
  OUT "NDIS_CONNECT_MESSAGE_BASED, 2 message(s)")
nirq_cli_test(test_cli_run_e1000_resources_list_bar0_then_a_shared_level_line 0
  ARGS "run|--device|e1000|--processors|2|${MP}" ENV "${DUMP}"
  ERR "resources: mem(0x20000) line(0x0,3) bar0 ok"
  OUT "NDIS_CONNECT_LINE_BASED (no MessageInfoTable)")

# ---- NdisMRegisterMiniportDriver rejects bad characteristics, naming the field
nirq_cli_test(test_cli_register_bad_header_type_is_bad_characteristics 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=bad-type"
  ERR "Header.Type = 128 (0x80)|0x8a|returned 0xc0010005")
nirq_cli_test(test_cli_register_bad_revision_is_bad_characteristics 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=bad-revision"
  ERR "Header.Revision = 4|must be 1, 2 or 3|returned 0xc0010005")
nirq_cli_test(test_cli_register_size_short_for_revision_is_bad_characteristics 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=short-size"
  ERR "Header.Size 136 is less than NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 (152)|returned 0xc0010005")
nirq_cli_test(test_cli_register_major_version_5_is_bad_version 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=bad-major"
  ERR "MajorNdisVersion = 5|must be 6|returned 0xc0010004")
nirq_cli_test(test_cli_register_minor_version_newer_than_ours_is_bad_version 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=bad-minor"
  ERR "MinorNdisVersion = 83|6.82|returned 0xc0010004")
nirq_cli_test(test_cli_register_null_halt_handler_is_bad_characteristics 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=no-halt"
  ERR "HaltHandlerEx is NULL: it is required|returned 0xc0010005")

# ---- NdisMMapIoSpace checks
nirq_cli_test(test_cli_map_before_registration_attributes_fails_initialize 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=map-early"
  ERR "NdisMMapIoSpace: called before NdisMSetMiniportAttributes|MiniportInitializeEx returned 0xc0000001")
nirq_cli_test(test_cli_map_range_outside_a_bar_fails_initialize 1
  ARGS "run|--device|edu|${MP}" ENV "NIRQ_CLI_MINIPORT_MODE=map-outside"
  ERR "not inside a memory BAR listed in AllocatedResources|MiniportInitializeEx returned 0xc0000001")

# ---- faults checked against the grant
nirq_cli_test(test_cli_run_spurious_vector_beyond_the_grant_exits_1 1
  ARGS "run|--device|edu|--processors|2|--fault|spurious=3|--duration|0.01|${MP}"
  ERR "--fault spurious=3: the adapter was assigned only 1 vector(s)")
nirq_cli_test(test_cli_run_fault_no_msix_on_e1000e_grants_msi 0
  ARGS "run|--device|e1000e|--processors|2|--fault|no-msix|${MP}"
  OUT "assigned:      MSI, 1 vector(s)|NDIS_CONNECT_MESSAGE_BASED, 1 message(s)")
