/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Helpers for the programs that run inside the `vm` tier's QEMU guest
 * (tests/vm/vm-run). A guest program reports each behaviour it checks as one
 * console line the runner parses:
 *
 *	NIRQ-VM-RESULT <name> PASS|FAIL|SKIP <detail>
 *
 * Result names are lowercase [a-z0-9_], unique across all guests, named for
 * the behaviour, and listed in the guest spec's NIRQ_VM_RESULTS; a listed
 * name that is never printed counts as FAIL.
 */
#ifndef NIRQ_VMGUEST_H
#define NIRQ_VMGUEST_H

#include <stdint.h>

enum vm_status { VM_PASS, VM_FAIL, VM_SKIP };

/**
 * vm_result() - print exactly one line
 * "NIRQ-VM-RESULT <name> PASS|FAIL|SKIP <detail>\n" on stdout and flush it.
 * @name:   result name, [a-z0-9_]+ (anything else is printed as FAIL with a
 *          detail naming the bad name, so the mistake cannot pass silently)
 * @st:     outcome
 * @fmt:    printf format of the detail (may be NULL or ""); newlines in the
 *          detail are replaced by spaces so the result stays one line
 */
void vm_result(const char *name, enum vm_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * vm_find_device() - the @index-th PCI function (0 = first) with IDs
 * @vendor:@device, scanning /sys/bus/pci/devices in sorted order.
 * @bdf: receives the address, e.g. "0000:00:03.0"
 *
 * Return: 0, or -ENOENT when there are not that many such functions (also
 * when /sys/bus/pci/devices cannot be read).
 */
int vm_find_device(uint16_t vendor, uint16_t device, unsigned index,
		   char bdf[16]);

#endif /* NIRQ_VMGUEST_H */
