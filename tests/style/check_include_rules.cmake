# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The ndisirq authors.
#
# Style tier: the layering rules of docs/architecture.md §1, checked on the
# source tree at ROOT (cmake -DROOT=<dir> -P check_include_rules.cmake).
# Fails, naming file, line and rule, when:
#   1. a file in src/core includes <linux/vfio.h>, <sys/eventfd.h> or an NDIS
#      header (ndis.h, ndis_*.h, ndis/...): the core is portable and native;
#   2. include/ndisirq/ndisirq.h names a backend (VFIO, eventfd) outside
#      comments: the native API has no backend words;
#   3. a header in include/ndis includes anything but <stdint.h>, <stddef.h>,
#      <string.h>, <stdatomic.h> and its own ndis*.h siblings: miniport code
#      gets no Linux headers through <ndis.h>.
cmake_minimum_required(VERSION 3.20)

if(NOT DEFINED ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<source dir> -P check_include_rules.cmake")
endif()
if(NOT IS_DIRECTORY "${ROOT}/src/core" OR NOT EXISTS "${ROOT}/include/ndisirq/ndisirq.h")
  message(FATAL_ERROR "ROOT=${ROOT}: not an ndisirq source tree (no src/core or "
                      "include/ndisirq/ndisirq.h)")
endif()

set(violations "")
set(checked 0)

# Replace every /* */ and // comment of TEXT by its newlines (lines keep their numbers).
function(strip_c_comments text out)
  set(result "")
  while(TRUE)
    string(FIND "${text}" "/*" block)
    string(FIND "${text}" "//" line)
    if(block EQUAL -1 AND line EQUAL -1)
      string(APPEND result "${text}")
      break()
    endif()
    if(line EQUAL -1 OR (NOT block EQUAL -1 AND block LESS line))
      string(SUBSTRING "${text}" 0 ${block} before)
      math(EXPR after_open "${block} + 2")
      string(SUBSTRING "${text}" ${after_open} -1 rest)
      string(FIND "${rest}" "*/" close)
      if(close EQUAL -1)
        set(comment "${rest}")
        set(rest "")
      else()
        string(SUBSTRING "${rest}" 0 ${close} comment)
        math(EXPR after_close "${close} + 2")
        string(SUBSTRING "${rest}" ${after_close} -1 rest)
      endif()
      string(REGEX REPLACE "[^\n]" "" newlines "${comment}")
      string(APPEND result "${before} ${newlines}")
    else()
      string(SUBSTRING "${text}" 0 ${line} before)
      string(SUBSTRING "${text}" ${line} -1 rest)
      string(FIND "${rest}" "\n" eol)
      if(eol EQUAL -1)
        set(rest "")
      else()
        string(SUBSTRING "${rest}" ${eol} -1 rest)
      endif()
      string(APPEND result "${before}")
    endif()
    set(text "${rest}")
  endwhile()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# Append "FILE:LINE: WHAT (RULE)" for each line of FILE whose code matches REGEX
# (comments stripped). EXCEPT, when given, is a regex of matching lines to allow.
function(check_lines file regex what rule)
  file(READ "${file}" text)
  strip_c_comments("${text}" code)
  string(REPLACE ";" "," code "${code}")
  string(REPLACE "\n" ";" lines "${code}")
  set(n 0)
  set(found "${violations}")
  foreach(l IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(l MATCHES "${regex}")
      if(DEFINED ARGV4 AND l MATCHES "${ARGV4}")
        continue()
      endif()
      file(RELATIVE_PATH rel "${ROOT}" "${file}")
      string(STRIP "${l}" l)
      list(APPEND found "${rel}:${n}: ${what}: `${l}` (${rule})")
    endif()
  endforeach()
  set(violations "${found}" PARENT_SCOPE)
endfunction()

# Rule 1: src/core includes no backend and no NDIS header.
file(GLOB core_files "${ROOT}/src/core/*.c" "${ROOT}/src/core/*.h")
foreach(f IN LISTS core_files)
  math(EXPR checked "${checked} + 1")
  check_lines("${f}"
    "#[ \t]*include[ \t]*[<\"](linux/vfio\\.h|sys/eventfd\\.h|ndis\\.h|ndis_[^>\"]*|ndis/[^>\"]*)[>\"]"
    "src/core includes a backend or NDIS header"
    "rule 1: src/core is portable and speaks only the native API")
endforeach()

# Rule 2: no backend words in the native API header's code.
math(EXPR checked "${checked} + 1")
check_lines("${ROOT}/include/ndisirq/ndisirq.h" "[Vv][Ff][Ii][Oo]|[Ee][Vv][Ee][Nn][Tt][Ff][Dd]"
  "backend word in the native API"
  "rule 2: VFIO and eventfd stay in nirq_platform_*.h and src/platform")

# Rule 3: the NDIS surface pulls in only C standard headers and itself.
file(GLOB ndis_headers "${ROOT}/include/ndis/*.h")
foreach(f IN LISTS ndis_headers)
  math(EXPR checked "${checked} + 1")
  check_lines("${f}" "#[ \t]*include"
    "header outside the allowed set"
    "rule 3: <ndis.h> may include only <stdint.h>, <stddef.h>, <string.h>, <stdatomic.h> and ndis*.h"
    "#[ \t]*include[ \t]*(<(stdint|stddef|string|stdatomic)\\.h>|\"ndis(_[a-z0-9_]+)?\\.h\")[ \t]*$")
endforeach()

list(LENGTH violations nviol)
if(nviol GREATER 0)
  foreach(v IN LISTS violations)
    message("include rule violated: ${v}")
  endforeach()
  message(FATAL_ERROR "include rules: ${nviol} violation(s) in ${checked} files")
endif()
message("include rules: ${checked} files checked, 0 violations")
