# SPDX-License-Identifier: MIT
# Bad command lines and failing runs of `ndisirq` (docs/errors.md, "ndisirq
# command line" and "ndisirq run failures"): one test per row that
# cli.cmake does not already prove, each asserting the exit status and the
# message. A message's ';' separates two expected fragments ('|') because a
# CMake argument cannot carry it. Included from CMakeLists.txt after cli.cmake
# (it uses nirq_cli_test).

add_library(nirq_errors_miniport MODULE ${CMAKE_CURRENT_LIST_DIR}/errors_miniport.c)
target_link_libraries(nirq_errors_miniport PRIVATE ndisirq)

set(RUN_HELP "(see 'ndisirq run --help')")
set(NUMBER_RULE "the value must be a decimal or 0x-hexadecimal unsigned 32-bit number")

# ---- ndisirq run: usage errors, exit 2
nirq_cli_test(test_errors_cli_unknown_option_with_value_is_named_whole 2
  ARGS "run|--bogus=1|--device|edu|x.so"
  ERR "ndisirq run: unknown option '--bogus=1'|${RUN_HELP}")
nirq_cli_test(test_errors_cli_unknown_short_option_is_named 2
  ARGS "run|-x|--device|edu|x.so" ERR "ndisirq run: unknown option '-x'")
nirq_cli_test(test_errors_cli_empty_processors_names_the_range 2
  ARGS "run|--processors=|--device|edu|x.so"
  ERR "ndisirq run: --processors '': must be an integer in 1..64")
nirq_cli_test(test_errors_cli_duration_not_a_number_names_the_range 2
  ARGS "run|--device|edu|--duration|soon|x.so"
  ERR "ndisirq run: --duration 'soon': must be a number of seconds in 0..86400")
nirq_cli_test(test_errors_cli_duration_over_a_day_names_the_range 2
  ARGS "run|--device|edu|--duration|86401|x.so"
  ERR "ndisirq run: --duration '86401': must be a number of seconds in 0..86400")
nirq_cli_test(test_errors_cli_policy_msi_supported_2_gives_the_rule 2
  ARGS "run|--device|edu|--policy|MSISupported=2|x.so"
  ERR "ndisirq run: --policy 'MSISupported=2': MSISupported must be 0 or 1")
nirq_cli_test(test_errors_cli_policy_message_number_limit_0_gives_the_rule 2
  ARGS "run|--device|edu|--policy|MessageNumberLimit=0|x.so"
  ERR "ndisirq run: --policy 'MessageNumberLimit=0': MessageNumberLimit must be 1..2048 (MSI takes 1, 2, 4, 8, 16 or 32)")
nirq_cli_test(test_errors_cli_policy_max_nbls_0_gives_the_rule 2
  ARGS "run|--device|edu|--policy|MaxNblsToIndicate=0|x.so"
  ERR "ndisirq run: --policy 'MaxNblsToIndicate=0': MaxNblsToIndicate must be 1..4294967295 (0xFFFFFFFF = NDIS_INDICATE_ALL_NBLS)")
nirq_cli_test(test_errors_cli_policy_value_not_a_number_gives_the_format 2
  ARGS "run|--device|edu|--policy|MessageNumberLimit=eight|x.so"
  ERR "ndisirq run: --policy 'MessageNumberLimit=eight': ${NUMBER_RULE}")
nirq_cli_test(test_errors_cli_policy_without_name_must_be_name_value 2
  ARGS "run|--device|edu|--policy|=1|x.so"
  ERR "ndisirq run: --policy '=1': must be NAME=VALUE")
set(LONG_NAME "MessageNumberLimitMessageNumberLimitMessageNumberLimitMessageNumberLimit")
nirq_cli_test(test_errors_cli_policy_name_longer_than_any_is_unknown 2
  ARGS "run|--device|edu|--policy|${LONG_NAME}=1|x.so"
  ERR "ndisirq run: --policy '${LONG_NAME}=1': unknown policy name '${LONG_NAME}'|must be one of MSISupported, MessageNumberLimit, MaxNblsToIndicate (case-sensitive)")
nirq_cli_test(test_errors_cli_fault_msix_count_0_names_the_range 2
  ARGS "run|--device|e1000e|--fault|msix-count=0|x.so"
  ERR "ndisirq run: --fault 'msix-count=0': msix-count needs =N, an integer in 1..2048")
nirq_cli_test(test_errors_cli_fault_vector_limit_not_a_number_names_the_range 2
  ARGS "run|--device|e1000e|--fault|vector-limit=x|x.so"
  ERR "ndisirq run: --fault 'vector-limit=x': vector-limit needs =N, an integer in 1..2048")
nirq_cli_test(test_errors_cli_fault_alloc_fail_at_0_names_the_range 2
  ARGS "run|--device|e1000e|--fault|alloc-fail-at=0|x.so"
  ERR "ndisirq run: --fault 'alloc-fail-at=0': alloc-fail-at needs =N, an integer in 1..4294967295")
nirq_cli_test(test_errors_cli_fault_spurious_64_names_the_range 2
  ARGS "run|--device|e1000e|--fault|spurious=64|x.so"
  ERR "ndisirq run: --fault 'spurious=64': spurious needs =N, an integer in 0..63")

# ---- ndisirq bench: usage errors, exit 2; a machine it cannot measure, exit 1
nirq_cli_test(test_errors_cli_bench_iterations_without_value_names_the_range 2
  ARGS "bench|--iterations"
  ERR "ndisirq bench: --iterations needs a value: a whole number from 100 to 10000000")
nirq_cli_test(test_errors_cli_bench_iterations_below_100_names_the_range 2
  ARGS "bench|--iterations=99"
  ERR "ndisirq bench: --iterations '99': must be a whole number from 100 to 10000000")
nirq_cli_test(test_errors_cli_bench_unknown_option_lists_the_options 2
  ARGS "bench|--fast"
  ERR "ndisirq bench: unknown option '--fast'|the options are --iterations N and --help")
find_program(NIRQ_TASKSET taskset)
if(NIRQ_TASKSET)
  # Allowed only CPU 0, the bench cannot place its far end on CPU 1.
  add_test(NAME test_errors_cli_bench_on_one_cpu_exits_1_naming_the_cpus
    COMMAND ${CMAKE_COMMAND} -DNDISIRQ=${NIRQ_TASKSET}
    "-DARGS=-c|0|$<TARGET_FILE:ndisirq_cli>|bench|--iterations=100" -DEXPECT_RC=1
    "-DEXPECT_ERR=ndisirq bench: needs host CPUs 0 and 1 online and allowed to this process (see taskset)|the cross-CPU and same-CPU figures cannot be told apart otherwise"
    -P ${CMAKE_CURRENT_LIST_DIR}/test_cli.cmake)
  set_tests_properties(test_errors_cli_bench_on_one_cpu_exits_1_naming_the_cpus
    PROPERTIES LABELS functional TIMEOUT ${NIRQ_CLI_TIMEOUT})
endif()

# ---- ndisirq run: failures, exit 1, the reason on stderr
set(MISSING ${CMAKE_CURRENT_BINARY_DIR}/no-such-miniport.so)
nirq_cli_test(test_errors_cli_missing_miniport_names_the_file_and_errno 1
  ARGS "run|--device|edu|${MISSING}"
  ERR "ndisirq: error: host: miniport '${MISSING}': No such file or directory|ndisirq: cannot load miniport '${MISSING}': No such file or directory")
nirq_cli_test(test_errors_cli_file_that_is_not_a_shared_object_is_not_loadable 1
  ARGS "run|--device|edu|${CMAKE_CURRENT_LIST_FILE}"
  ERR "ndisirq: error: host: cannot load miniport '${CMAKE_CURRENT_LIST_FILE}': |ndisirq: cannot load miniport '${CMAKE_CURRENT_LIST_FILE}': not a loadable miniport (see the log above)")
nirq_cli_test(test_errors_cli_object_without_driver_entry_says_how_to_export_it 1
  ARGS "run|--device|edu|$<TARGET_FILE:nirq_cli_no_entry>"
  ERR "has no exported symbol DriverEntry (a miniport defines NTSTATUS DriverEntry(PDRIVER_OBJECT, PUNICODE_STRING) with default visibility)|not a loadable miniport (see the log above)")
nirq_cli_test(test_errors_cli_driver_entry_without_registration_cannot_start 1
  ARGS "run|--device|edu|$<TARGET_FILE:nirq_errors_miniport>"
  ERR "ndisirq: error: host: no miniport driver is registered (DriverEntry must call NdisMRegisterMiniportDriver)|ndisirq: cannot start the adapter: DriverEntry registered no miniport driver (NdisMRegisterMiniportDriver)")

# ---- faults the simulated device cannot take: exit 2, the sim's reason
nirq_cli_test(test_errors_cli_msix_count_on_edu_says_it_has_no_msix 2
  ARGS "run|--device|edu|--fault|msix-count=4|x.so"
  ERR "ndisirq run: --fault on --device edu: faults.msix_count = 4: the edu has no MSI-X capability to resize")
nirq_cli_test(test_errors_cli_msix_count_beyond_the_table_names_the_room 2
  ARGS "run|--device|e1000e|--fault|msix-count=600|x.so"
  ERR "ndisirq run: --fault on --device e1000e: faults.msix_count = 600: the e1000e's MSI-X table fits at most 512 entries (below its PBA)")

# ---- --platform vfio: the PCI address, sim-only options, a device that is not there
set(BDF_RULE "must be a full PCI address DDDD:BB:DD.F (hex domain, bus, device 00..1f, function 0..7), e.g. 0000:00:03.0")
nirq_cli_test(test_errors_cli_vfio_short_pci_address_names_the_format 2
  ARGS "run|--platform|vfio|--device|00:03.0|x.so"
  ERR "ndisirq run: --device: PCI address '00:03.0': ${BDF_RULE}|${RUN_HELP}")
nirq_cli_test(test_errors_cli_vfio_model_name_as_device_names_the_format 2
  ARGS "run|--platform|vfio|--device|edu|x.so"
  ERR "ndisirq run: --device: PCI address 'edu': ${BDF_RULE}")
nirq_cli_test(test_errors_cli_vfio_pci_device_above_1f_names_the_rule 2
  ARGS "run|--platform=vfio|--device|0000:00:20.0|x.so"
  ERR "ndisirq run: --device: PCI address '0000:00:20.0': device 20 is above 1f|${BDF_RULE}")
nirq_cli_test(test_errors_cli_vfio_without_device_asks_for_the_pci_address 2
  ARGS "run|--platform|vfio|x.so"
  ERR "ndisirq run: --device is required (the PCI address DDDD:BB:DD.F of a function bound to vfio-pci)")
nirq_cli_test(test_errors_cli_vfio_fault_is_sim_only 2
  ARGS "run|--platform|vfio|--device|0000:00:03.0|--fault|no-msix|x.so"
  ERR "ndisirq run: --fault 'no-msix': faults are injected into simulated devices only|not available with --platform vfio")
nirq_cli_test(test_errors_cli_sim_pci_address_as_device_points_to_vfio 2
  ARGS "run|--device|0000:00:03.0|x.so"
  ERR "ndisirq run: --device '0000:00:03.0': unknown device|must be one of edu, e1000e, e1000 (or a PCI address with --platform vfio)")
# A function no machine has (bus ff, device 1f, function 7 of domain 7fff):
# the run fails before the miniport is loaded, naming the sysfs path.
nirq_cli_test(test_errors_cli_vfio_absent_device_exits_1_naming_it 1
  ARGS "run|--platform|vfio|--device|7fff:ff:1f.7|x.so"
  ERR "ndisirq: cannot open 7fff:ff:1f.7 through VFIO: PCI device 7fff:ff:1f.7 does not exist (/sys/bus/pci/devices/7fff:ff:1f.7: No such file or directory)")

# ---- docs/errors.md names only tests that exist, and every row has one
add_test(NAME test_errors_doc_rows_name_existing_tests
  COMMAND ${CMAKE_COMMAND} -DDOC=${PROJECT_SOURCE_DIR}/docs/errors.md
    -DTESTS=${PROJECT_SOURCE_DIR}/tests -P ${CMAKE_CURRENT_LIST_DIR}/check_errors_doc.cmake)
set_tests_properties(test_errors_doc_rows_name_existing_tests PROPERTIES LABELS functional)
