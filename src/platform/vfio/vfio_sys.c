/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The VFIO backend's view of sysfs and /proc: PCI address syntax, a device's
 * IOMMU group, why a group is not viable, and host IRQ numbers from
 * /proc/interrupts. No ioctls here, so host-side unit tests can run it
 * against fake trees.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfio.h"

int nirq__vfio_why(char *why, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static bool hex_digits(const char *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

VFIO_API int nirq_vfio_bdf_check(const char *bdf, char *why, size_t len)
{
	static const char rule[] = "must be a full PCI address DDDD:BB:DD.F "
				   "(hex domain, bus, device 00..1f, function 0..7), "
				   "e.g. 0000:00:03.0";

	if (!bdf)
		return nirq__vfio_why(why, len, -EINVAL, "PCI address is missing: %s", rule);
	if (strlen(bdf) != 12 || !hex_digits(bdf, 4) || bdf[4] != ':' ||
	    !hex_digits(bdf + 5, 2) || bdf[7] != ':' || !hex_digits(bdf + 8, 2) ||
	    bdf[10] != '.' || bdf[11] < '0' || bdf[11] > '7')
		return nirq__vfio_why(why, len, -EINVAL, "PCI address '%s': %s", bdf, rule);
	if (strtoul(bdf + 8, NULL, 16) > 0x1f)
		return nirq__vfio_why(why, len, -EINVAL, "PCI address '%s': device "
				      "%.2s is above 1f; %s", bdf, bdf + 8, rule);
	return 0;
}

int nirq__vfio_group_of(const char *sysfs, const char *bdf, unsigned *group,
			char *why, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	struct stat st;
	ssize_t n;
	char *end;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", sysfs, bdf);
	if (stat(path, &st) < 0)
		return nirq__vfio_why(why, len, -ENOENT, "PCI device %s does not "
				      "exist (%s: %s)", bdf, path, strerror(errno));
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/iommu_group", sysfs, bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return nirq__vfio_why(why, len, -ENOENT, "PCI device %s has no IOMMU "
				      "group (%s: %s): the IOMMU is off or absent; enable "
				      "it (intel_iommu=on / amd_iommu=on) to use VFIO",
				      bdf, path, strerror(errno));
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	errno = 0;
	*group = (unsigned)strtoul(base, &end, 10);
	if (!*base || *end || errno)
		return nirq__vfio_why(why, len, -EINVAL, "PCI device %s: IOMMU group "
				      "link '%s' does not end in a group number", bdf, link);
	return 0;
}

/* The driver @dev (a directory in sysfs) is bound to, "" when none. */
static void driver_of(const char *devdir, char *drv, size_t len)
{
	char path[2 * PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/driver", devdir);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		drv[0] = '\0';
		return;
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	if (strlen(base) >= len)
		base = "(name too long)";
	memcpy(drv, base, strlen(base) + 1);
}

/*
 * May a device keep driver @drv in a viable group? The kernel allows
 * vfio-pci, pci-stub and, for bridges (a header type other than normal),
 * any driver such as pcieport.
 */
static bool driver_allowed(const char *devdir, const char *drv)
{
	char path[2 * PATH_MAX], cls[16] = "";
	FILE *f;

	if (!drv[0] || !strcmp(drv, "vfio-pci") || !strcmp(drv, "pci-stub"))
		return true;
	snprintf(path, sizeof(path), "%s/class", devdir);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(cls, sizeof(cls), f))
			cls[0] = '\0';
		fclose(f);
	}
	/* PCI-to-PCI (0x0604) and CardBus (0x0607) bridges */
	return !strncmp(cls, "0x0604", 6) || !strncmp(cls, "0x0607", 6);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append to @why at *@at; never writes past @len. */
static void appendf(char *why, size_t len, size_t *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void appendf(char *why, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!why || *at >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(why + *at, len - *at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*at += (size_t)n < len - *at ? (size_t)n : len - *at - 1;
}

unsigned nirq__vfio_group_unbound(const char *sysfs, unsigned group, char *why,
				  size_t len)
{
	char dir[PATH_MAX], dev[PATH_MAX + 256], drv[128];
	char *names[256];
	unsigned n = 0, bad = 0;
	struct dirent *e;
	size_t at = 0;
	DIR *d;

	if (!why)
		len = 0;
	snprintf(dir, sizeof(dir), "%s/kernel/iommu_groups/%u/devices", sysfs, group);
	appendf(why, len, &at, "IOMMU group %u is not viable:", group);
	d = opendir(dir);
	if (!d) {
		appendf(why, len, &at, " (%s: %s); every device of the group must be "
			"bound to vfio-pci or to no driver", dir, strerror(errno));
		return 0;
	}
	while ((e = readdir(d)) && n < sizeof(names) / sizeof(names[0]))
		if (e->d_name[0] != '.' && (names[n] = strdup(e->d_name)))
			n++;
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (unsigned i = 0; i < n; i++) {
		snprintf(dev, sizeof(dev), "%s/%s", dir, names[i]);
		driver_of(dev, drv, sizeof(drv));
		if (!driver_allowed(dev, drv)) {
			appendf(why, len, &at, "%s %s is bound to %s, not vfio-pci",
				bad ? ";" : "", names[i], drv);
			bad++;
		}
		free(names[i]);
	}
	if (!bad)
		appendf(why, len, &at, " no device of it is bound to another driver "
			"(a device may be in use by another VFIO user)");
	else
		appendf(why, len, &at, " (bind every device of the group to vfio-pci, "
			"see docs/vfio.md)");
	return bad;
}

/*
 * Vector number of @name if it is the IRQ name vfio-pci gives a vector of
 * @kind for @bdf ("vfio-msix[v](BDF)", "vfio-msi[v](BDF)", "vfio-intx(BDF)"),
 * else -1.
 */
static long vector_of(const char *name, enum nirq_intr_kind kind, const char *bdf)
{
	const char *prefix = kind == NIRQ_KIND_MSIX ? "vfio-msix[" :
			     kind == NIRQ_KIND_MSI ? "vfio-msi[" : "vfio-intx(";
	size_t pl = strlen(prefix), bl = strlen(bdf);
	long v = 0;
	char *end;

	if (strncmp(name, prefix, pl))
		return -1;
	name += pl;
	if (kind != NIRQ_KIND_LINE) {
		if (!isdigit((unsigned char)*name))
			return -1;
		v = strtol(name, &end, 10);
		if (strncmp(end, "](", 2))
			return -1;
		name = end + 2;
	}
	if (strncmp(name, bdf, bl) || strcmp(name + bl, ")"))
		return -1;
	return v;
}

/*
 * One /proc/interrupts line: "  24:   0   0  IR-PCI-MSI 1572864-edge   vfio-msix[0](0000:00:03.0)".
 * The IRQ number leads; the action name is the last field. Return the IRQ
 * number and set *@name to the last field (the line is modified), or -1.
 */
static long parse_line(char *line, char **name)
{
	char *p = line, *end, *last;
	long irq;

	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return -1; /* header, NMI, LOC, ... */
	irq = strtol(p, &end, 10);
	if (*end != ':')
		return -1;
	last = end + strlen(end);
	while (last > end && isspace((unsigned char)last[-1]))
		*--last = '\0';
	while (last > end && !isspace((unsigned char)last[-1]))
		last--;
	*name = last;
	return irq;
}

int nirq__vfio_irq_numbers(const char *procdir, const char *bdf,
			   enum nirq_intr_kind kind, uint32_t count, uint32_t *irq)
{
	char path[PATH_MAX];
	char *line = NULL, *name;
	size_t cap = 0;
	int found = 0;
	long n, vec;
	FILE *f;

	for (uint32_t v = 0; v < count; v++)
		irq[v] = 0;
	snprintf(path, sizeof(path), "%s/interrupts", procdir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		n = parse_line(line, &name);
		if (n <= 0)
			continue;
		vec = vector_of(name, kind, bdf);
		if (vec >= 0 && (uint32_t)vec < count && !irq[vec]) {
			irq[vec] = (uint32_t)n;
			found++;
		}
	}
	free(line);
	fclose(f);
	return found;
}
