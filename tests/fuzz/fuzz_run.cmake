# SPDX-License-Identifier: MIT
# Run one libFuzzer target for a bounded time (CTest test fuzz.<target>):
#   cmake -DFUZZER=<binary> -DSEEDS=<corpus/target> -DWORK=<dir> -P fuzz_run.cmake
# New inputs go to WORK/corpus (never to the seed directory in the source
# tree); a crashing input goes to WORK/artifacts/ and fails the test.
# NIRQ_FUZZ_SECONDS (environment) sets the time: 15 s by default (make test),
# longer for `make fuzz`. -timeout=60: one input running that long is a hang
# (inputs take milliseconds; 60 s leaves room for a loaded machine).
foreach(var FUZZER SEEDS WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "fuzz_run.cmake: -D${var}=... is required")
  endif()
endforeach()
set(seconds 15)
if(DEFINED ENV{NIRQ_FUZZ_SECONDS})
  set(seconds $ENV{NIRQ_FUZZ_SECONDS})
endif()
if(NOT seconds MATCHES "^[1-9][0-9]*$")
  message(FATAL_ERROR "NIRQ_FUZZ_SECONDS='${seconds}': must be a whole number of seconds >= 1")
endif()
# Stack traces in UBSan reports (ASan prints them already).
if(NOT DEFINED ENV{UBSAN_OPTIONS})
  set(ENV{UBSAN_OPTIONS} "print_stacktrace=1")
endif()
file(MAKE_DIRECTORY ${WORK}/corpus ${WORK}/artifacts ${SEEDS})
execute_process(
  COMMAND ${FUZZER} -max_total_time=${seconds} -timeout=60 -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix=${WORK}/artifacts/
          ${WORK}/corpus ${SEEDS}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(GLOB found ${WORK}/artifacts/*)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); inputs: ${found}\n"
    "Replay one with: ${FUZZER} <input>. Fix the bug, then commit the input as "
    "${SEEDS}/regress-<what-it-broke> (docs/testing.md, Fuzzing).")
endif()
