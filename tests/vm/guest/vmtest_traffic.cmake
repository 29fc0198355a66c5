# SPDX-License-Identifier: MIT
# Issue 4 §3: frames between two e1000e on one hub (guests/traffic.guest).
nirq_vm_program(vmtest_traffic ${CMAKE_CURRENT_LIST_DIR}/vmtest_traffic.c)
target_link_libraries(vmtest_traffic PRIVATE ${CMAKE_DL_LIBS})
