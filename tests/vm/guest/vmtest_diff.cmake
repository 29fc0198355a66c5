# SPDX-License-Identifier: MIT
# Issue 4 §2 test 9: the differential e1000e guest program (guests/diff.guest).
nirq_vm_program(vmtest_diff ${CMAKE_CURRENT_LIST_DIR}/vmtest_diff.c)
