/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Private to the ndisirq command-line program: parsed options of
 * `ndisirq run`, the parser and the run itself.
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

void cli_usage_main(FILE *f);
void cli_usage_run(FILE *f);

#endif /* NDISIRQ_CLI_H */
