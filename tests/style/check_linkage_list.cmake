# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The ndisirq authors.
#
# Style tier: every function declared with NDIS_API in include/ndis/*.h
# (cmake -DHEADERS=<include/ndis> -DTABLE=<test_ndis_linkage.c> -P ...)
# must have an E(name) entry in the linkage test, so that the linkage test
# cannot silently miss a declaration. DriverEntry is declared for the
# miniport to define; the library does not implement it.
cmake_minimum_required(VERSION 3.20)

if(NOT DEFINED HEADERS OR NOT DEFINED TABLE)
  message(FATAL_ERROR "usage: cmake -DHEADERS=<dir> -DTABLE=<file> -P check_linkage_list.cmake")
endif()

file(READ "${TABLE}" table)
file(GLOB headers "${HEADERS}/*.h")
set(declared 0)
set(missing "")
foreach(h IN LISTS headers)
  file(READ "${h}" text)
  string(REPLACE ";" " " text "${text}")
  string(REPLACE "\n" " " text "${text}")
  # "NDIS_API <return type> Name(" : a declaration with a parameter list.
  string(REGEX MATCHALL "NDIS_API[ \t]+[A-Za-z_][A-Za-z0-9_ \t*]*\\(" decls "${text}")
  foreach(d IN LISTS decls)
    string(REGEX MATCH "([A-Za-z_][A-Za-z0-9_]*)[ \t]*\\($" _ "${d}")
    set(name "${CMAKE_MATCH_1}")
    if(name MATCHES "^__" OR name STREQUAL "")
      continue() # the NDIS_API definition itself: __attribute__((...))
    endif()
    math(EXPR declared "${declared} + 1")
    if(NOT table MATCHES "E\\(${name}\\)")
      get_filename_component(hn "${h}" NAME)
      list(APPEND missing "${name} (${hn})")
    endif()
  endforeach()
endforeach()

if(declared EQUAL 0)
  message(FATAL_ERROR "linkage list: no NDIS_API declaration found under ${HEADERS}")
endif()
list(LENGTH missing nmissing)
if(nmissing GREATER 0)
  foreach(m IN LISTS missing)
    message("not in the linkage test: ${m}")
  endforeach()
  message(FATAL_ERROR "linkage list: ${nmissing} of ${declared} declared functions missing "
                      "from ${TABLE}")
endif()
message("linkage list: all ${declared} declared functions are in the linkage test")
