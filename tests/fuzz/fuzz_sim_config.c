// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * libFuzzer target: sequences of platform operations against one simulated
 * PCI function: config-space reads and writes at any offset and length,
 * register and MSI-X table/PBA accesses on any BAR, and the vector ops
 * (alloc, mask, unmask, consume, fd, line_done, free) mixed with device
 * events (inject, spurious, foreign assert, function mask).
 *
 * Input: byte 0 the model and fault flags, then optional fault values, then
 * operations (one opcode byte and its operands each). Properties: no crash;
 * every result is in its documented set; read-only config fields (IDs,
 * class, capability IDs and links, capability fields software cannot
 * change, BAR size bits) read as at creation; bytes past config space read
 * 0xff; the PBA ignores writes; the MSI-X observers agree with the table
 * and PBA read through MMIO; each vector has an fd while allocated, freeing
 * closes it, and nothing is left open after destroy.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>

#include <ndisirq/nirq_platform_sim.h>

#include "fuzz_util.h"

#define MAX_VEC 600u      /* past the sim's 512 on purpose */
#define CFG_SPACE 4096u   /* PCIe; PCI functions stop at 256 */
#define MSIX_BAR 3u       /* e1000e: table at 0, PBA at 0x2000 */
#define PBA_OFF 0x2000u

struct sim_fuzz {
	struct fz in;
	struct nirq_platform *pf;
	const struct nirq_platform_ops *ops;
	struct nirq_sim_config cfg;
	uint8_t cfg0[CFG_SPACE];      /* config space at creation */
	uint32_t cfg_size;            /* 256 or 4096, from the first read */
	struct nirq_pci_caps caps0;
	struct nirq_bar_info bar[6];
	int fd[MAX_VEC];              /* vector_fd of the live allocation */
	enum nirq_intr_kind kind;
	uint32_t count;
};

/* ---------------------------------------------------------------- helpers */

static unsigned open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	if (!d)
		abort();
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static uint32_t cfg_rd(struct sim_fuzz *z, uint32_t off, unsigned len)
{
	uint8_t b[4] = { 0 };
	uint32_t v = 0;

	z->ops->config_read(z->pf, off, b, len);
	for (unsigned i = 0; i < len; i++)
		v |= (uint32_t)b[i] << (8 * i);
	return v;
}

static uint32_t cfg0_rd(const struct sim_fuzz *z, uint32_t off, unsigned len)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < len; i++)
		v |= (uint32_t)z->cfg0[off + i] << (8 * i);
	return v;
}

/* The bits of a field that must not change, compared with creation. */
static void check_ro(struct sim_fuzz *z, uint32_t off, unsigned len, uint32_t mask,
		     const char *what)
{
	uint32_t now = cfg_rd(z, off, len) & mask, then = cfg0_rd(z, off, len) & mask;

	FZ_CHECK(now == then, "%s at 0x%x reads 0x%x, was 0x%x", what, off, now, then);
}

static bool has_msix(const struct sim_fuzz *z)
{
	return z->caps0.msix_count != 0;
}

static uint32_t msix_rd(struct sim_fuzz *z, uint32_t off)
{
	return z->ops->mmio_read(z->pf, MSIX_BAR, off, 4);
}

/* -------------------------------------------------------- the invariants */

static void check_cap_ro(struct sim_fuzz *z, uint8_t at)
{
	uint8_t id = z->cfg0[at];

	check_ro(z, at, 2, 0xffff, "capability ID and next pointer");
	if (id == 0x01 || id == 0x10) /* PM capabilities; PCIe capabilities */
		check_ro(z, at + 2u, 2, 0xffff, "capability register");
	else if (id == 0x05) /* MSI: multiple message capable, 64-bit, per-vector mask */
		check_ro(z, at + 2u, 2, 0x018e, "MSI control (read-only bits)");
	else if (id == 0x11) { /* MSI-X: table size, table and PBA location */
		check_ro(z, at + 2u, 2, 0x07ff, "MSI-X table size");
		check_ro(z, at + 4u, 4, ~0u, "MSI-X table offset/BIR");
		check_ro(z, at + 8u, 4, ~0u, "MSI-X PBA offset/BIR");
	}
}

static void check_header_ro(struct sim_fuzz *z)
{
	check_ro(z, 0x00, 4, ~0u, "vendor and device ID");
	check_ro(z, 0x08, 4, ~0u, "revision and class code");
	check_ro(z, 0x0e, 1, 0xff, "header type");
	check_ro(z, 0x2c, 4, ~0u, "subsystem IDs");
	check_ro(z, 0x34, 1, 0xff, "capabilities pointer");
	check_ro(z, 0x3d, 1, 0xff, "interrupt pin");
	check_ro(z, 0x06, 2, 0x0010, "status capability-list bit");
	for (unsigned b = 0; b < 6; b++)
		if (z->bar[b].size)
			check_ro(z, 0x10 + 4 * b, 4, (uint32_t)z->bar[b].size - 1,
				 "BAR size and type bits");
}

static void check_config(struct sim_fuzz *z)
{
	unsigned hops = 0;

	check_header_ro(z);
	for (uint8_t at = z->cfg0[0x34]; at && hops < 48; at = z->cfg0[at + 1u], hops++)
		check_cap_ro(z, at);
}

/* The observers of nirq_platform_sim.h and the MSI-X BAR say the same. */
static void check_msix_views(struct sim_fuzz *z, uint32_t vec)
{
	bool masked, pending;

	if (!has_msix(z) || vec >= z->caps0.msix_count)
		return;
	masked = msix_rd(z, vec * 16 + 12) & 1;
	pending = (msix_rd(z, PBA_OFF + vec / 32 * 4) >> (vec % 32)) & 1;
	FZ_CHECK(nirq_sim_msix_masked(z->pf, vec) == masked, "vector %u: mask bit "
		 "%d in the table, observer says %d", vec, masked, !masked);
	FZ_CHECK(nirq_sim_msix_pending(z->pf, vec) == pending, "vector %u: PBA bit "
		 "%d, observer says %d", vec, pending, !pending);
}

static void check_fds_closed(struct sim_fuzz *z)
{
	for (uint32_t v = 0; v < z->count; v++)
		FZ_CHECK(fcntl(z->fd[v], F_GETFD) < 0 && errno == EBADF,
			 "vector %u: fd %d still open after free", v, z->fd[v]);
	z->kind = NIRQ_KIND_NONE;
	z->count = 0;
}

/* ------------------------------------------------------------ operations */

/* Offsets: mostly inside config space, sometimes anywhere (wrap-around). */
static uint32_t any_offset(struct sim_fuzz *z)
{
	uint16_t o = fz_u16(&z->in);

	return o & 0x8000 ? 0xffffffffu - (o & 0x7fff) : o % (CFG_SPACE + 64);
}

static void op_config_write(struct sim_fuzz *z)
{
	uint32_t off = any_offset(z), len = fz_u8(&z->in) % 17, want;
	uint8_t buf[16];

	fz_bytes(&z->in, buf, len);
	want = off >= z->cfg_size ? 0 : len < z->cfg_size - off ? len : z->cfg_size - off;
	FZ_CHECK(z->ops->config_write(z->pf, off, buf, len) == want,
		 "config_write(0x%x, %u) must write %u", off, len, want);
}

static void op_config_read(struct sim_fuzz *z)
{
	uint32_t off = any_offset(z), len = fz_u8(&z->in), want, n;
	uint8_t *buf = malloc(len ? len : 1); /* exact size: ASan sees overruns */

	if (!buf)
		abort();
	want = off >= z->cfg_size ? 0 : len < z->cfg_size - off ? len : z->cfg_size - off;
	n = z->ops->config_read(z->pf, off, buf, len);
	FZ_CHECK(n == want, "config_read(0x%x, %u) read %u, must read %u", off, len, n, want);
	for (uint32_t i = n; i < len; i++)
		FZ_CHECK(buf[i] == 0xff, "byte 0x%x past config space reads 0x%02x",
			 off + i, buf[i]);
	free(buf);
}

static void mmio_args(struct sim_fuzz *z, unsigned *bar, uint64_t *off, unsigned *size)
{
	uint8_t b = fz_u8(&z->in);
	uint32_t o = fz_u32(&z->in);
	uint64_t span;

	*bar = b % 8;
	*size = (b >> 3) % 6;
	span = *bar < 6 && z->bar[*bar].size ? z->bar[*bar].size : 64;
	*off = b & 0x80 ? o : o % (span + 8);
}

static bool mmio_valid(const struct sim_fuzz *z, unsigned bar, uint64_t off, unsigned size)
{
	return bar < 6 && (size == 1 || size == 2 || size == 4) &&
	       off < z->bar[bar].size && size <= z->bar[bar].size - off;
}

static void op_mmio_read(struct sim_fuzz *z)
{
	unsigned bar, size;
	uint64_t off;
	uint32_t v;

	mmio_args(z, &bar, &off, &size);
	v = z->ops->mmio_read(z->pf, bar, off, size);
	if (!mmio_valid(z, bar, off, size))
		FZ_CHECK(v == 0xffffffffu, "invalid read bar %u off 0x%llx size %u gave 0x%x",
			 bar, (unsigned long long)off, size, v);
	else if (size < 4)
		FZ_CHECK(v < 1u << (8 * size), "%u-byte read gave 0x%x", size, v);
}

static void op_mmio_write(struct sim_fuzz *z)
{
	unsigned bar, size;
	uint64_t off;
	uint32_t val, pba[2] = { 0 };
	bool in_pba;

	mmio_args(z, &bar, &off, &size);
	val = fz_u32(&z->in);
	in_pba = has_msix(z) && bar == MSIX_BAR && off >= PBA_OFF;
	if (in_pba)
		pba[0] = msix_rd(z, (uint32_t)off & ~3u);
	z->ops->mmio_write(z->pf, bar, off, size, val);
	if (in_pba)
		pba[1] = msix_rd(z, (uint32_t)off & ~3u);
	FZ_CHECK(pba[0] == pba[1], "a write of 0x%x changed the PBA from 0x%x to 0x%x",
		 val, pba[0], pba[1]);
}

static bool alloc_result_ok(int rc)
{
	return rc == 0 || rc == -EINVAL || rc == -EBUSY || rc == -ENODEV ||
	       rc == -ENOSPC || rc == -EMFILE || rc == -ENFILE || rc == -ENOMEM;
}

static void op_alloc(struct sim_fuzz *z)
{
	enum nirq_intr_kind kind = (enum nirq_intr_kind)(fz_u8(&z->in) % 5);
	uint32_t count = fz_u16(&z->in) % MAX_VEC, n;
	int rc = z->ops->alloc_vectors(z->pf, kind, count);

	FZ_CHECK(alloc_result_ok(rc), "alloc_vectors(%d, %u) returned %d", kind, count, rc);
	FZ_CHECK(rc != 0 || z->kind == NIRQ_KIND_NONE, "a second live allocation");
	if (rc) {
		FZ_CHECK(nirq_sim_current_kind(z->pf, &n) == z->kind && n == z->count,
			 "a failed allocation changed the current one");
		return;
	}
	FZ_CHECK(nirq_sim_current_kind(z->pf, &n) == kind && n == count,
		 "allocated %u of kind %d, the sim says %u of %d", count, kind, n,
		 nirq_sim_current_kind(z->pf, NULL));
	z->kind = kind;
	z->count = count;
	for (uint32_t v = 0; v < count; v++) {
		z->fd[v] = z->ops->vector_fd(z->pf, v);
		FZ_CHECK(z->fd[v] >= 0 && fcntl(z->fd[v], F_GETFD) >= 0,
			 "vector %u has no open fd (%d)", v, z->fd[v]);
	}
}

static void op_free(struct sim_fuzz *z)
{
	z->ops->free_vectors(z->pf);
	FZ_CHECK(nirq_sim_current_kind(z->pf, NULL) == NIRQ_KIND_NONE, "kind after free");
	check_fds_closed(z);
}

static uint32_t any_vec(struct sim_fuzz *z)
{
	return fz_u16(&z->in) % MAX_VEC;
}

static void op_mask(struct sim_fuzz *z)
{
	uint32_t v = any_vec(z);

	z->ops->mask(z->pf, v);
	check_msix_views(z, v);
}

static void op_unmask(struct sim_fuzz *z)
{
	uint32_t v = any_vec(z);

	z->ops->unmask(z->pf, v);
	check_msix_views(z, v);
}

static void op_consume(struct sim_fuzz *z)
{
	uint32_t v = any_vec(z);
	uint64_t n = z->ops->vector_consume(z->pf, v);

	FZ_CHECK(v < z->count || n == 0, "consume of unallocated vector %u gave %llu",
		 v, (unsigned long long)n);
}

static void op_vector_fd(struct sim_fuzz *z)
{
	uint32_t v = any_vec(z);
	int fd = z->ops->vector_fd(z->pf, v);

	FZ_CHECK(v < z->count ? fd == z->fd[v] : fd == -EINVAL,
		 "vector_fd(%u) is %d (allocated: %u)", v, fd, z->count);
}

static void op_line_done(struct sim_fuzz *z)
{
	z->ops->line_done(z->pf, any_vec(z));
}

static void op_inject(struct sim_fuzz *z)
{
	nirq_sim_inject(z->pf, fz_u32(&z->in));
}

static void op_spurious(struct sim_fuzz *z)
{
	nirq_sim_spurious(z->pf, any_vec(z));
}

static void op_foreign(struct sim_fuzz *z)
{
	nirq_sim_foreign_assert(z->pf);
}

static void op_function_mask(struct sim_fuzz *z)
{
	nirq_sim_msix_function_mask(z->pf, fz_u8(&z->in) & 1);
	check_msix_views(z, any_vec(z));
}

static bool caps_equal(const struct nirq_pci_caps *a, const struct nirq_pci_caps *b)
{
	return a->vendor_id == b->vendor_id && a->device_id == b->device_id &&
	       a->msix_count == b->msix_count && a->msi_count == b->msi_count &&
	       a->msi_maskable == b->msi_maskable && a->intx == b->intx;
}

static void op_describe(struct sim_fuzz *z)
{
	struct nirq_pci_caps caps;
	struct nirq_bar_info bi;
	unsigned bar = fz_u8(&z->in) % 8;
	int rc;

	FZ_CHECK(z->ops->describe(z->pf, &caps) == 0 && caps_equal(&caps, &z->caps0),
		 "describe changed");
	rc = z->ops->bar_info(z->pf, bar, &bi);
	FZ_CHECK(bar > 5 ? rc == -EINVAL : rc == 0 && bi.size == z->bar[bar].size,
		 "bar_info(%u) returned %d", bar, rc);
}

static void op_map(struct sim_fuzz *z)
{
	unsigned bar = fz_u8(&z->in) % 8;
	bool direct = true;
	void *va = NULL;
	int rc = z->ops->map_bar(z->pf, bar, &va, &direct);

	FZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM || rc == -ENOSPC,
		 "map_bar(%u) returned %d", bar, rc);
	FZ_CHECK(rc || (va && !direct), "a sim mapping must be trapped");
	if (!rc)
		z->ops->unmap_bar(z->pf, bar, va);
}

static void op_observe(struct sim_fuzz *z)
{
	check_msix_views(z, any_vec(z));
	(void)nirq_sim_line_asserted(z->pf);
	(void)nirq_sim_raised(z->pf, any_vec(z));
}

static void (*const ops[])(struct sim_fuzz *z) = {
	op_config_write, op_config_read, op_mmio_read, op_mmio_write, op_alloc,
	op_free, op_mask, op_unmask, op_consume, op_vector_fd, op_line_done,
	op_inject, op_spurious, op_foreign, op_function_mask, op_describe, op_map,
	op_observe,
};

/* -------------------------------------------------------------- the setup */

static void parse_config(struct sim_fuzz *z)
{
	uint8_t b = fz_u8(&z->in);
	struct nirq_sim_faults *f = &z->cfg.faults;

	nirq_sim_config_init(&z->cfg, (enum nirq_sim_model)(1 + b % 3));
	f->no_msi = b & 0x04;
	f->no_msix = b & 0x08;
	f->msix_count = b & 0x10 ? fz_u16(&z->in) % MAX_VEC : 0;
	f->vector_limit = b & 0x20 ? fz_u8(&z->in) : 0;
	f->alloc_fail_at = b & 0x40 ? fz_u8(&z->in) % 8 : 0;
	f->alloc_fail_all = b & 0x80;
}

/* A fault the model cannot have is refused; anything else creates the sim. */
static bool create(struct sim_fuzz *z)
{
	const struct nirq_sim_faults *f = &z->cfg.faults;
	bool bad = f->msix_count && (z->cfg.model != NIRQ_SIM_E1000E || f->no_msix ||
				     f->msix_count > 512);
	int rc = nirq_sim_create(&z->cfg, &z->pf);

	FZ_CHECK(rc == (bad ? -EINVAL : 0), "nirq_sim_create returned %d (faults %s)",
		 rc, bad ? "impossible" : "possible");
	return rc == 0;
}

static void snapshot(struct sim_fuzz *z)
{
	z->ops = z->pf->ops;
	z->cfg_size = z->ops->config_read(z->pf, 0, z->cfg0, CFG_SPACE);
	FZ_CHECK(z->cfg_size == 256 || z->cfg_size == CFG_SPACE, "config space of %u bytes",
		 z->cfg_size);
	FZ_CHECK(z->ops->describe(z->pf, &z->caps0) == 0, "describe failed");
	for (unsigned b = 0; b < 6; b++)
		FZ_CHECK(z->ops->bar_info(z->pf, b, &z->bar[b]) == 0, "bar_info(%u)", b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_fuzz z; /* large; one input at a time */
	unsigned fds = open_fds();

	memset(&z, 0, sizeof(z));
	z.in = (struct fz){ data, size };
	parse_config(&z);
	if (!create(&z))
		return 0;
	snapshot(&z);
	for (unsigned steps = 0; z.in.n && steps < 256; steps++) {
		ops[fz_u8(&z.in) % (sizeof(ops) / sizeof(ops[0]))](&z);
		check_config(&z);
	}
	op_free(&z);
	z.ops->destroy(z.pf);
	FZ_CHECK(open_fds() == fds, "%u fds open after destroy, %u before", open_fds(), fds);
	return 0;
}
