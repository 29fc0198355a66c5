// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A library a test miniport depends on (DT_NEEDED) without calling it:
 * `ndisirq vm` must carry it into the guest, or say it cannot find it.
 */
int nirq_vm_dep_answer(void);

int nirq_vm_dep_answer(void)
{
	return 42;
}
