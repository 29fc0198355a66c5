# SPDX-License-Identifier: MIT
# The `cli` guest (owner: vfio); its ivshmem-doorbell run uses the sample
# miniport samples/ivshmem (the runner puts every sample in /opt/nirq/samples).
# The VFIO platform's ops called directly on edu and e1000e.
nirq_vm_program(vmtest_vfio_ops ${CMAKE_CURRENT_LIST_DIR}/vmtest_vfio_ops.c)
