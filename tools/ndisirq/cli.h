/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Private to the ndisirq command-line program: parsed options of
 * `ndisirq run`, the parser and the run itself; `ndisirq vm`.
 */
#ifndef NDISIRQ_CLI_H
#define NDISIRQ_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_platform_sim.h>
#include <ndisirq/nirq_platform_vfio.h>

/* Exit statuses of the program. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAILED 1 /* a step failed or the verifier reported misuse */
#define CLI_EXIT_USAGE 2  /* bad command line */
#define CLI_EXIT_VM_TIMEOUT 124 /* vm: the guest did not finish in --timeout */
#define CLI_EXIT_VM_FAILED 125  /* vm: no guest, or it ended without a status */

/* Longest --duration accepted, in seconds (one day). */
#define CLI_MAX_DURATION 86400.0

enum cli_platform { CLI_PLATFORM_SIM = 0, CLI_PLATFORM_VFIO = 1 };

struct cli_run_opts {
	enum cli_platform platform;    /* --platform sim|vfio */
	const char *device;            /* --device as given */
	enum nirq_sim_model model;     /* --device on sim */
	const char *bdf;               /* --device on vfio: DDDD:BB:DD.F */
	const char *first_fault;       /* first --fault value (sim-only) */
	unsigned processors;           /* --processors; 0 = online CPUs */
	struct nirq_policy policy;     /* --policy NAME=VALUE ... */
	double duration;               /* --duration, seconds */
	struct nirq_sim_faults faults; /* --fault ... (device faults) */
	bool spurious;                 /* --fault spurious=VEC */
	uint32_t spurious_vec;
	bool foreign_line;             /* --fault foreign-line */
	const char *miniport;          /* MINIPORT.so */
};

/* Result of parsing: run, or exit now with this status. */
enum cli_parse_result { CLI_PARSE_RUN = -1 };

/**
 * cli_parse_run() - parse the arguments after "run" (@argv[0] is "run").
 * Return: CLI_PARSE_RUN with @o filled; or an exit status (0 after --help,
 * CLI_EXIT_USAGE after printing the error to stderr).
 */
int cli_parse_run(int argc, char **argv, struct cli_run_opts *o);

/** cli_run() - carry out `ndisirq run`. Return: the exit status. */
int cli_run(const struct cli_run_opts *o);

/**
 * cli_parse_u32() - parse a decimal or 0x-hex unsigned integer in a range.
 * @s:   the text; NULL is refused.
 * @min: smallest value accepted.
 * @max: largest value accepted.
 * @out: the value, set only on success.
 *
 * Only the digits of the base after an optional 0x/0X prefix: no white
 * space, sign or suffix.
 *
 * Return: true with @out set; false for junk or a value outside [@min, @max].
 */
bool cli_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/**
 * cli_usage_error() - report a bad command line of `ndisirq @cmd`.
 * Prints "ndisirq <cmd>: <message>" and "(see 'ndisirq <cmd> --help')" on
 * stderr. Return: CLI_EXIT_USAGE.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...) NIRQ_PRINTF(2, 3);

/**
 * cli_parse_duration() - --duration of `ndisirq @cmd`: seconds in
 * 0..CLI_MAX_DURATION, decimals allowed, into @out.
 * Return: 0; or CLI_EXIT_USAGE after cli_usage_error().
 */
int cli_parse_duration(const char *cmd, const char *v, double *out);

/**
 * cli_parse_policy() - --policy NAME=VALUE of `ndisirq @cmd`, set in @policy
 * through nirq_policy_set().
 * Return: 0; or CLI_EXIT_USAGE after cli_usage_error().
 */
int cli_parse_policy(const char *cmd, const char *v, struct nirq_policy *policy);

/**
 * cli_vm_main() - carry out `ndisirq vm` (@argv[0] is "vm").
 * @argc: number of arguments from "vm" on.
 * @argv: the arguments.
 *
 * Checks the command line, then replaces the process with the runner
 * ndisirq-vm (NIRQ_VM_RUNNER, else vm/ndisirq-vm next to the program, else
 * the installed libexec one), which boots the guest and exits with the
 * guest's `ndisirq run` status.
 *
 * Return: only when the runner was not started: CLI_EXIT_OK after --help,
 * CLI_EXIT_USAGE for a bad command line, CLI_EXIT_VM_FAILED when the runner
 * cannot be found or executed (reason on stderr).
 */
int cli_vm_main(int argc, char **argv);

void cli_usage_main(FILE *f);
void cli_usage_run(FILE *f);
void cli_usage_vm(FILE *f);

#endif /* NDISIRQ_CLI_H */
