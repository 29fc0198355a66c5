/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Guest-side helpers of the `vm` tier: result lines and PCI lookup by ID.
 */
#include "vmguest.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VM_PCI_DEVICES "/sys/bus/pci/devices"

static const char *const vm_status_name[] = {
	[VM_PASS] = "PASS",
	[VM_FAIL] = "FAIL",
	[VM_SKIP] = "SKIP",
};

static int vm_name_ok(const char *name)
{
	const char *p;

	if (!name || !*name)
		return 0;
	for (p = name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return 0;
	}
	return 1;
}

void vm_result(const char *name, enum vm_status st, const char *fmt, ...)
{
	char detail[1024] = "";
	const char *stname;
	va_list ap;
	char *p;

	if (fmt && *fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	for (p = detail; *p; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	if (!vm_name_ok(name)) {
		printf("NIRQ-VM-RESULT bad_result_name FAIL result name '%s' is "
		       "not [a-z0-9_]+ (%s)\n", name ? name : "(null)", detail);
		fflush(stdout);
		return;
	}
	stname = ((unsigned)st < sizeof(vm_status_name) / sizeof(vm_status_name[0]))
		 ? vm_status_name[st] : "FAIL";
	printf("NIRQ-VM-RESULT %s %s %s\n", name, stname,
	       *detail ? detail : "-");
	fflush(stdout);
}

/* Reads a sysfs hex attribute such as "0x8086\n"; -1 on any error. */
static long vm_read_hex(const char *dev, const char *attr)
{
	char path[512], buf[32];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), VM_PCI_DEVICES "/%s/%s", dev, attr);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		char *end;

		errno = 0;
		v = strtol(buf, &end, 16);
		if (errno || end == buf)
			v = -1;
	}
	fclose(f);
	return v;
}

static int vm_dirent_is_dev(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int vm_find_device(uint16_t vendor, uint16_t device, unsigned index,
		   char bdf[16])
{
	struct dirent **list;
	int n, i, rc = -ENOENT;

	n = scandir(VM_PCI_DEVICES, &list, vm_dirent_is_dev, alphasort);
	if (n < 0)
		return -ENOENT;
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;

		if (rc == 0 || strlen(name) >= 16)
			continue;
		if (vm_read_hex(name, "vendor") != vendor ||
		    vm_read_hex(name, "device") != device)
			continue;
		if (index-- == 0) {
			memcpy(bdf, name, strlen(name) + 1);
			rc = 0;
		}
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}
