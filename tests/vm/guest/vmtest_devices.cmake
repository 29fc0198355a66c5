# SPDX-License-Identifier: MIT
# Guest program of tests/vm/guests/devices.guest (issue 4 §2 tests 1-8).
# Its symbols are exported (ENABLE_EXPORTS) so that the sample miniports it
# dlopens bind NdisMRegisterInterruptEx to its handler spy
# (vmtest_devices_spy.c), which then calls libndisirq's.
nirq_vm_program(vmtest_devices
  ${CMAKE_CURRENT_LIST_DIR}/vmtest_devices.c
  ${CMAKE_CURRENT_LIST_DIR}/vmtest_devices_spy.c)
set_target_properties(vmtest_devices PROPERTIES ENABLE_EXPORTS ON)
target_link_libraries(vmtest_devices PRIVATE ${CMAKE_DL_LIBS})
# For `vmtest_devices --sim` on the build host: the samples of this build.
target_compile_definitions(vmtest_devices PRIVATE
  VMTEST_SAMPLES_DIR="${CMAKE_BINARY_DIR}/samples")
