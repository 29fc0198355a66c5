/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The sim backend's platform ops (nirq_platform.h): describe, BARs and their
 * trapped MMIO windows, config space, vector allocation with one eventfd per
 * vector, masking and line re-arming. Faults from nirq_sim_faults are applied
 * here. Device state lives in sim_pci.c and the device models.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ndisirq/nirq_fault.h>

#include "sim.h"

/* The sim behind @pf, or NULL when @pf is not a sim platform. */
struct nirq_sim *nirq__sim_from(struct nirq_platform *pf)
{
	return pf && pf->ops == &nirq__sim_ops ? (struct nirq_sim *)pf : NULL;
}

static struct nirq_sim *to_sim(struct nirq_platform *pf)
{
	return nirq__sim_from(pf);
}

/* The ISR path takes the sim lock for register accesses: a spin lock. */
void nirq__sim_lock(struct nirq_sim *s)
{
	nirq__spin_lock(&s->lock);
}

void nirq__sim_unlock(struct nirq_sim *s)
{
	nirq__spin_unlock(&s->lock);
}

/* ---------------------------------------------------------------- describe */

static int sim_describe(struct nirq_platform *pf, struct nirq_pci_caps *caps)
{
	struct nirq_sim *s = to_sim(pf);

	if (!s || !caps)
		return -EINVAL;
	nirq__sim_lock(s);
	*caps = (struct nirq_pci_caps){
		.vendor_id = (uint16_t)nirq__sim_cfg_rd(s, PCI_VENDOR_ID, 2),
		.device_id = (uint16_t)nirq__sim_cfg_rd(s, PCI_DEVICE_ID, 2),
		.msix_count = s->msix_cap ? s->msix_count : 0,
		.msi_count = s->msi_cap ? s->mdl->msi_count : 0,
		.msi_maskable = s->msi_cap && s->mdl->msi_maskable,
		.intx = nirq__sim_cfg_rd(s, PCI_INTERRUPT_PIN, 1) != 0,
	};
	nirq__sim_unlock(s);
	return 0;
}

static int sim_bar_info(struct nirq_platform *pf, unsigned bar, struct nirq_bar_info *out)
{
	struct nirq_sim *s = to_sim(pf);
	const struct sim_bar_desc *b;

	if (!s || !out || bar > 5)
		return -EINVAL;
	b = &s->mdl->bar[bar];
	nirq__sim_lock(s);
	out->bus_addr = nirq__sim_cfg_rd(s, PCI_BASE_ADDRESS_0 + 4 * bar, 4) &
			(b->io ? ~0x3u : ~0xfu);
	nirq__sim_unlock(s);
	out->size = b->size;
	out->io = b->io;
	if (!b->size)
		out->bus_addr = 0;
	return 0;
}

/* -------------------------------------------------------------- BAR windows */

/* An inaccessible window of the BAR's size: every access must trap to us. */
static int sim_map_bar(struct nirq_platform *pf, unsigned bar, void **va, bool *direct)
{
	struct nirq_sim *s = to_sim(pf);
	void *p;
	int err = -ENOSPC; /* until a free mapping slot is found */

	if (!s || !va || !direct || bar > 5 || !s->mdl->bar[bar].size || s->mdl->bar[bar].io)
		return -EINVAL;
	p = mmap(NULL, s->mdl->bar[bar].size, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	nirq__sim_lock(s);
	for (unsigned i = 0; i < SIM_MAX_MAPPINGS && err; i++) {
		if (s->map[i].va)
			continue;
		s->map[i] = (struct sim_mapping){ p, s->mdl->bar[bar].size, bar };
		err = 0;
	}
	nirq__sim_unlock(s);
	if (err) {
		munmap(p, s->mdl->bar[bar].size);
		return err;
	}
	*va = p;
	*direct = false;
	return 0;
}

static void sim_unmap_bar(struct nirq_platform *pf, unsigned bar, void *va)
{
	struct nirq_sim *s = to_sim(pf);
	struct sim_mapping m = { 0 };

	if (!s || !va)
		return;
	nirq__sim_lock(s);
	for (unsigned i = 0; i < SIM_MAX_MAPPINGS; i++) {
		if (s->map[i].va == va && s->map[i].bar == bar) {
			m = s->map[i];
			s->map[i] = (struct sim_mapping){ 0 };
			break;
		}
	}
	nirq__sim_unlock(s);
	if (m.va)
		munmap(m.va, m.len);
}

/* ------------------------------------------------------------------- MMIO */

static bool mmio_ok(const struct nirq_sim *s, unsigned bar, uint64_t off, unsigned size)
{
	return bar <= 5 && (size == 1 || size == 2 || size == 4) &&
	       off < s->mdl->bar[bar].size && size <= s->mdl->bar[bar].size - off;
}

static bool is_msix_bar(const struct nirq_sim *s, unsigned bar)
{
	return s->mdl->msix_count && bar == s->mdl->msix_bar;
}

/* Sub-dword access to the MSI-X BAR: extract from, or merge into, the dword. */
static uint32_t msix_read(struct nirq_sim *s, uint64_t off, unsigned size)
{
	uint32_t d = nirq__sim_msix_mmio_read_locked(s, off & ~3ull);

	d >>= (off & 3) * 8;
	return size == 4 ? d : d & ((1u << (8 * size)) - 1);
}

static void msix_write(struct nirq_sim *s, uint64_t off, unsigned size, uint32_t val)
{
	uint64_t a = off & ~3ull;
	unsigned sh = (unsigned)(off & 3) * 8;
	uint32_t m = size == 4 ? ~0u : ((1u << (8 * size)) - 1) << sh;
	uint32_t d = size == 4 ? 0 : nirq__sim_msix_mmio_read_locked(s, a);

	nirq__sim_msix_mmio_write_locked(s, a, (d & ~m) | ((val << sh) & m));
}

static uint32_t sim_mmio_read(struct nirq_platform *pf, unsigned bar, uint64_t off,
			      unsigned size)
{
	struct nirq_sim *s = to_sim(pf);
	uint32_t v;

	if (!s || !mmio_ok(s, bar, off, size))
		return 0xffffffffu; /* as a master abort reads */
	nirq__sim_lock(s);
	if (is_msix_bar(s, bar))
		v = msix_read(s, off, size);
	else
		v = s->mdl->ops->read(s, bar, off, size);
	nirq__sim_unlock(s);
	return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void sim_mmio_write(struct nirq_platform *pf, unsigned bar, uint64_t off,
			   unsigned size, uint32_t val)
{
	struct nirq_sim *s = to_sim(pf);

	if (!s || !mmio_ok(s, bar, off, size))
		return;
	nirq__sim_lock(s);
	if (is_msix_bar(s, bar))
		msix_write(s, off, size, val);
	else
		s->mdl->ops->write(s, bar, off, size, val);
	nirq__sim_unlock(s);
}

/* ------------------------------------------------------------ config space */

/* Bytes of [off, off + len) inside config space; the rest reads as 0xff. */
static uint32_t cfg_span(const struct nirq_sim *s, uint32_t off, uint32_t len)
{
	if (off >= s->cfg_size)
		return 0;
	return len < s->cfg_size - off ? len : s->cfg_size - off;
}

static uint32_t sim_config_read(struct nirq_platform *pf, uint32_t off, void *buf,
				uint32_t len)
{
	struct nirq_sim *s = to_sim(pf);
	uint32_t n;

	if (!s || !buf)
		return 0;
	n = cfg_span(s, off, len);
	memset((uint8_t *)buf + n, 0xff, len - n);
	if (!n)
		return 0; /* &cfg[off] would point outside config space */
	nirq__sim_lock(s);
	nirq__sim_cfg_access_locked(s, off, buf, n, false);
	nirq__sim_unlock(s);
	return n;
}

static uint32_t sim_config_write(struct nirq_platform *pf, uint32_t off, const void *buf,
				 uint32_t len)
{
	struct nirq_sim *s = to_sim(pf);
	uint32_t n;

	if (!s || !buf)
		return 0;
	n = cfg_span(s, off, len);
	if (!n)
		return 0; /* nothing inside config space: no side effects either */
	nirq__sim_lock(s);
	nirq__sim_cfg_access_locked(s, off, (void *)(uintptr_t)buf, n, true);
	nirq__sim_unlock(s);
	return n;
}

/* ---------------------------------------------------------------- vectors */

static uint32_t kind_capacity(const struct nirq_sim *s, enum nirq_intr_kind kind)
{
	switch (kind) {
	case NIRQ_KIND_MSIX: return s->msix_cap ? s->msix_count : 0;
	case NIRQ_KIND_MSI: return s->msi_cap ? s->mdl->msi_count : 0;
	default: return nirq__sim_cfg_rd(s, PCI_INTERRUPT_PIN, 1) ? 1 : 0;
	}
}

/*
 * Decide whether an allocation of @count vectors of @kind succeeds, applying
 * the faults. Counts the call (alloc_fail_at) once the arguments are valid.
 */
static int alloc_check_locked(struct nirq_sim *s, enum nirq_intr_kind kind, uint32_t count)
{
	const struct nirq_sim_faults *f = &s->faults;

	if (s->kind != NIRQ_KIND_NONE)
		return -EBUSY; /* one live allocation per platform */
	s->alloc_calls++;
	if (!kind_capacity(s, kind))
		return -ENODEV;
	if (nirq_fault_should_fail(NIRQ_FAULT_VECTORS))
		return -ENOSPC;
	if (f->alloc_fail_at && s->alloc_calls == f->alloc_fail_at)
		return -ENOSPC;
	if (f->alloc_fail_all && kind != NIRQ_KIND_LINE)
		return -ENOSPC;
	if (f->vector_limit && count > f->vector_limit)
		return -ENOSPC;
	return count > kind_capacity(s, kind) ? -ENOSPC : 0;
}

static void close_fds(const int *fd, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

static int open_fds(int *fd, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (nirq_fault_should_fail(NIRQ_FAULT_FD)) {
			close_fds(fd, i);
			return -EMFILE;
		}
		fd[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fd[i] < 0) {
			int err = -errno;

			close_fds(fd, i);
			return err;
		}
	}
	return 0;
}

static bool kind_valid(enum nirq_intr_kind kind, uint32_t count)
{
	if (kind == NIRQ_KIND_LINE)
		return count == 1;
	return (kind == NIRQ_KIND_MSI || kind == NIRQ_KIND_MSIX) && count > 0 &&
	       count <= SIM_MAX_VECTORS;
}

static int sim_alloc_vectors(struct nirq_platform *pf, enum nirq_intr_kind kind,
			     uint32_t count)
{
	struct nirq_sim *s = to_sim(pf);
	int fd[SIM_MAX_VECTORS], err;

	if (!s || !kind_valid(kind, count))
		return -EINVAL;
	nirq__sim_lock(s);
	err = alloc_check_locked(s, kind, count);
	nirq__sim_unlock(s);
	if (err || (err = open_fds(fd, count)))
		return err;
	nirq__sim_lock(s);
	if (s->kind == NIRQ_KIND_NONE) {
		for (uint32_t v = 0; v < count; v++)
			s->vec[v].fd = fd[v];
		nirq__sim_enable_locked(s, kind, count);
	} else {
		err = -EBUSY; /* lost a race with another allocation */
	}
	nirq__sim_unlock(s);
	if (err)
		close_fds(fd, count);
	return err;
}

static void sim_free_vectors(struct nirq_platform *pf)
{
	struct nirq_sim *s = to_sim(pf);
	int fd[SIM_MAX_VECTORS];
	uint32_t n;

	if (!s)
		return;
	nirq__sim_lock(s);
	n = s->nvec;
	for (uint32_t v = 0; v < n; v++)
		fd[v] = s->vec[v].fd;
	nirq__sim_disable_locked(s);
	nirq__sim_unlock(s);
	close_fds(fd, n);
}

static int sim_vector_fd(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = to_sim(pf);
	int fd;

	if (!s)
		return -EINVAL;
	nirq__sim_lock(s);
	fd = vec < s->nvec ? s->vec[vec].fd : -EINVAL;
	nirq__sim_unlock(s);
	return fd;
}

static uint64_t sim_vector_consume(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = to_sim(pf);
	uint64_t n = 0;

	if (!s)
		return 0;
	nirq__sim_lock(s);
	/* Under the lock so the fd cannot be closed under us; never blocks. */
	if (vec < s->nvec && read(s->vec[vec].fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		n = 0;
	nirq__sim_unlock(s);
	return n;
}

static void sim_mask(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = to_sim(pf);

	if (!s)
		return;
	nirq__sim_lock(s);
	nirq__sim_vec_mask_locked(s, vec, true);
	nirq__sim_unlock(s);
}

/* Unmask, then run a pending arm hook once, outside the lock (it may inject). */
static void sim_unmask(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = to_sim(pf);
	void (*hook)(struct nirq_platform *, void *);
	void *arg;

	if (!s)
		return;
	nirq__sim_lock(s);
	nirq__sim_vec_mask_locked(s, vec, false);
	hook = s->arm_hook;
	arg = s->arm_arg;
	s->arm_hook = NULL;
	s->arm_arg = NULL;
	nirq__sim_unlock(s);
	if (hook)
		hook(pf, arg);
}

static void sim_line_done(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = to_sim(pf);

	if (!s || vec != 0)
		return;
	nirq__sim_lock(s);
	nirq__sim_line_done_locked(s);
	nirq__sim_unlock(s);
}

static uint32_t sim_vector_number(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = to_sim(pf);
	enum nirq_intr_kind kind;

	if (!s)
		return 0;
	nirq__sim_lock(s);
	kind = s->kind;
	nirq__sim_unlock(s);
	return kind == NIRQ_KIND_LINE ? SIM_LINE_VECTOR : SIM_MSG_VECTOR_BASE + vec;
}

/* -------------------------------------------------------- create, destroy */

static void sim_destroy(struct nirq_platform *pf)
{
	struct nirq_sim *s = to_sim(pf);

	if (!s)
		return;
	sim_free_vectors(pf); /* "must already be freed": be safe anyway */
	for (unsigned i = 0; i < SIM_MAX_MAPPINGS; i++)
		if (s->map[i].va)
			munmap(s->map[i].va, s->map[i].len);
	free(s);
}

const struct nirq_platform_ops nirq__sim_ops = {
	.name = "sim",
	.describe = sim_describe,
	.bar_info = sim_bar_info,
	.map_bar = sim_map_bar,
	.unmap_bar = sim_unmap_bar,
	.mmio_read = sim_mmio_read,
	.mmio_write = sim_mmio_write,
	.config_read = sim_config_read,
	.config_write = sim_config_write,
	.alloc_vectors = sim_alloc_vectors,
	.free_vectors = sim_free_vectors,
	.vector_fd = sim_vector_fd,
	.vector_consume = sim_vector_consume,
	.mask = sim_mask,
	.unmask = sim_unmask,
	.line_done = sim_line_done,
	.vector_number = sim_vector_number,
	.set_affinity = NULL, /* a simulated vector has no host IRQ to steer */
	.dma_alloc = nirq__sim_dma_alloc, .dma_free = nirq__sim_dma_free, /* sim_dma.c */
	.destroy = sim_destroy,
};

static const struct sim_model *model_of(enum nirq_sim_model model)
{
	switch (model) {
	case NIRQ_SIM_EDU: return &nirq__sim_edu;
	case NIRQ_SIM_E1000E: return &nirq__sim_e1000e;
	case NIRQ_SIM_E1000: return &nirq__sim_e1000;
	default: return NULL;
	}
}

/* Most MSI-X table entries @m can advertise: below its PBA, and our limit. */
static uint32_t msix_room(const struct sim_model *m)
{
	uint32_t room = (m->msix_pba_off - m->msix_table_off) / PCI_MSIX_ENTRY_SIZE;

	return room < SIM_MAX_VECTORS ? room : SIM_MAX_VECTORS;
}

/* Faults that contradict the model are configuration errors. */
static int faults_check(const struct sim_model *m, const struct nirq_sim_faults *f,
			char *why, size_t len)
{
	if (!f->msix_count)
		return 0;
	if (!m->msix_count)
		snprintf(why, len, "faults.msix_count = %u: the %s has no MSI-X "
			 "capability to resize", f->msix_count, m->name);
	else if (f->no_msix)
		snprintf(why, len, "faults.msix_count = %u with faults.no_msix: there "
			 "is no MSI-X table to resize", f->msix_count);
	else if (f->msix_count > msix_room(m))
		snprintf(why, len, "faults.msix_count = %u: the %s's MSI-X table fits "
			 "at most %u entries (below its PBA)", f->msix_count, m->name,
			 msix_room(m));
	else
		return 0;
	return -EINVAL;
}

SIM_API int nirq_sim_config_check(const struct nirq_sim_config *cfg, char *why,
				  size_t len)
{
	const struct sim_model *m;

	if (!why)
		len = 0;
	if (!cfg) {
		snprintf(why, len, "the sim config is NULL");
		return -EINVAL;
	}
	if (cfg->size != sizeof(*cfg)) {
		snprintf(why, len, "size = %zu: must be sizeof(struct nirq_sim_config) "
			 "(%zu); initialize it with nirq_sim_config_init()", cfg->size,
			 sizeof(*cfg));
		return -EINVAL;
	}
	m = model_of(cfg->model);
	if (!m) {
		snprintf(why, len, "model = %d: not a sim model (1 edu, 2 e1000e, "
			 "3 e1000)", (int)cfg->model);
		return -EINVAL;
	}
	return faults_check(m, &cfg->faults, why, len);
}

static void sim_init(struct nirq_sim *s, const struct sim_model *m,
		     const struct nirq_sim_faults *f)
{
	s->base.ops = &nirq__sim_ops;
	atomic_init(&s->lock.v, 0);
	s->mdl = m;
	s->faults = *f;
	s->cfg_size = m->cfg_size;
	s->msi_cap = f->no_msi ? 0 : m->msi_cap;
	s->msix_cap = f->no_msix ? 0 : m->msix_cap;
	s->msix_count = s->msix_cap ? (f->msix_count ? f->msix_count : m->msix_count) : 0;
	for (unsigned v = 0; v < SIM_MAX_VECTORS; v++)
		s->vec[v].fd = -1;
	nirq__sim_cfg_build(s);
	m->ops->reset(s);
}

SIM_API int nirq_sim_create(const struct nirq_sim_config *cfg, struct nirq_platform **out)
{
	const struct sim_model *m;
	struct nirq_sim *s;
	int err;

	if (!out)
		return -EINVAL;
	err = nirq_sim_config_check(cfg, NULL, 0);
	if (err)
		return err;
	m = model_of(cfg->model);
	s = nirq_fault_calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	sim_init(s, m, &cfg->faults);
	*out = &s->base;
	return 0;
}

SIM_API enum nirq_sim_model nirq_sim_model_parse(const char *name)
{
	static const enum nirq_sim_model all[] = { NIRQ_SIM_EDU, NIRQ_SIM_E1000E,
						   NIRQ_SIM_E1000 };

	for (unsigned i = 0; name && i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(name, model_of(all[i])->name))
			return all[i];
	return 0;
}

SIM_API const char *nirq_sim_model_name(enum nirq_sim_model model)
{
	const struct sim_model *m = model_of(model);

	return m ? m->name : "unknown";
}
