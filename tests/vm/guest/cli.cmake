# SPDX-License-Identifier: MIT
# The `cli` guest (owner: vfio): a test miniport for ivshmem-doorbell that
# `ndisirq run --platform vfio` loads (NIRQ_VM_FILES of guests/cli.guest).
add_library(nirq_cli_ivshmem MODULE ${CMAKE_CURRENT_LIST_DIR}/cli_ivshmem_miniport.c)
target_link_libraries(nirq_cli_ivshmem PRIVATE ndisirq)
set_target_properties(nirq_cli_ivshmem PROPERTIES
  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/vm/lib)
# The VFIO platform's ops called directly on edu and e1000e.
nirq_vm_program(vmtest_vfio_ops ${CMAKE_CURRENT_LIST_DIR}/vmtest_vfio_ops.c)
