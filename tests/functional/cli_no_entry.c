// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/* A shared object without DriverEntry: `ndisirq run` must refuse it. */
__attribute__((visibility("default"))) int nirq_cli_not_a_miniport(void);

int nirq_cli_not_a_miniport(void)
{
	return 0;
}
