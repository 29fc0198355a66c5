// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The ndisirq command-line program: `ndisirq run` drives a miniport on the
 * simulated platform through the miniport host; `ndisirq vm` runs it in a
 * QEMU guest on an emulated device (cli_vm.c); `ndisirq bench` prints
 * latency figures; `ndisirq version` and the help texts. Exit statuses are
 * in cli.h.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cli.h"

static int cmd_run(int argc, char **argv)
{
	struct cli_run_opts opts;
	int rc = cli_parse_run(argc, argv, &opts);

	if (rc != CLI_PARSE_RUN)
		return rc;
	return cli_run(&opts);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		cli_usage_main(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		cli_usage_main(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("ndisirq %s\n", nirq_version());
		return CLI_EXIT_OK;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "vm"))
		return cli_vm_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "bench"))
		return ndisirq_bench_main(argc - 1, argv + 1);
	fprintf(stderr, "ndisirq: unknown command '%s'; must be one of run, "
		"vm, bench, version, help (see 'ndisirq --help')\n", cmd);
	return CLI_EXIT_USAGE;
}
