/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * `ndisirq bench`: the benchmark of the ndisirq CLI. It prints figures and
 * their ratios to hand-off floors measured in the same run; it is never a
 * test and asserts nothing about time.
 */
#ifndef NDISIRQ_BENCH_H
#define NDISIRQ_BENCH_H

/**
 * ndisirq_bench_main() - carry out `ndisirq bench [--iterations N]`.
 * @argc: number of entries in @argv.
 * @argv: the command's arguments; @argv[0] is the command name ("bench").
 *
 * Measures, on host CPUs 0 and 1, the eventfd+epoll hand-off floors across
 * CPUs and on one CPU, then ndisirq's signal -> ISR entry (a message whose
 * processor is on the signalling CPU, and one on the other CPU), ISR -> DPC
 * on the same processor and a cross-processor DPC, and prints each figure
 * (p50/p99 in ns) with its ratio to the matching floor and the targets.
 *
 * Context: passive thread of a process with no ndisirq runtime of its own
 *          running; pins the calling thread to CPU 0 while it measures and
 *          restores its affinity before returning. Takes tens of seconds at
 *          the default 100000 iterations on a VM.
 * Return:  exit status: 0 figures printed (whether or not they meet the
 *          targets); 1 the measurement could not be set up (fewer than two
 *          CPUs usable, runtime or fd creation failed); 2 bad command line.
 */
int ndisirq_bench_main(int argc, char **argv);

#endif /* NDISIRQ_BENCH_H */
