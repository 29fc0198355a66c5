/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The recording fake platform (see fake_platform.h): a call log, scripted
 * alloc_vectors results, eventfd delivery with per-vector mask and hold, an
 * INTx level model, and a register file behind BAR0 with test hooks.
 */
#include "fake_platform.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#define FAKE_MAGIC 0x46414b45u /* "FAKE" */
#define CONFIG_BYTES 256u

struct fake_vector {
	int fd;
	bool masked;
	bool held;      /* a message raised while masked */
};

struct fake {
	struct nirq_platform base; /* first: the core sees only this */
	struct nirq_platform_ops ops;
	uint32_t magic;
	struct fake_platform_config cfg;
	pthread_mutex_t lock;

	struct fake_call *log;
	size_t log_len, log_dropped;
	int script[FAKE_SCRIPT_MAX + 1];
	unsigned alloc_calls;

	enum nirq_intr_kind kind;
	uint32_t nvec;
	struct fake_vector vec[FAKE_MAX_VECTORS];
	bool level, foreign;
	unsigned fires_lost;

	uint8_t regs[FAKE_REG_BYTES];
	uint8_t config[CONFIG_BYTES];
	void *window;
	size_t window_len;

	fake_call_hook *call_hook;
	void *call_arg;
	fake_mmio_read_hook *rd_hook;
	fake_mmio_write_hook *wr_hook;
	void *mmio_arg;
};

static struct fake *to_fake(struct nirq_platform *pf)
{
	struct fake *f = (struct fake *)pf;

	if (!f || f->magic != FAKE_MAGIC)
		abort(); /* not a fake platform: a test bug */
	return f;
}

static const char *const op_names[FAKE_OP_COUNT] = {
	"describe", "bar_info", "map_bar", "unmap_bar", "mmio_read", "mmio_write",
	"config_read", "config_write", "alloc_vectors", "free_vectors", "vector_fd",
	"vector_consume", "mask", "unmask", "line_done", "vector_number",
	"set_affinity", "destroy",
};

const char *fake_op_name(enum fake_op op)
{
	return op < FAKE_OP_COUNT ? op_names[op] : "?";
}

/* Append a call; the caller holds f->lock. */
static struct fake_call record_locked(struct fake *f, enum fake_op op, uint64_t a,
				      uint64_t b, uint64_t c, int64_t ret)
{
	struct fake_call call = { .op = op, .a = a, .b = b, .c = c, .ret = ret };

	if (f->log_len < FAKE_LOG_MAX)
		f->log[f->log_len++] = call;
	else
		f->log_dropped++;
	return call;
}

/* After the lock was dropped: let the test act from inside the op. */
static void run_hook(struct fake *f, const struct fake_call *call)
{
	fake_call_hook *hook;
	void *arg;

	pthread_mutex_lock(&f->lock);
	hook = f->call_hook;
	arg = f->call_arg;
	pthread_mutex_unlock(&f->lock);
	if (hook)
		hook(&f->base, arg, call);
}

static void record(struct fake *f, enum fake_op op, uint64_t a, uint64_t b,
		   uint64_t c, int64_t ret)
{
	struct fake_call call;

	pthread_mutex_lock(&f->lock);
	call = record_locked(f, op, a, b, c, ret);
	pthread_mutex_unlock(&f->lock);
	run_hook(f, &call);
}

static void signal_fd(int fd)
{
	uint64_t one = 1;

	/* An eventfd write of 1 cannot block short of 2^64 - 2 pending signals. */
	if (write(fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		abort();
}

static bool line_level_locked(const struct fake *f)
{
	return f->level || f->foreign;
}

/* Signal @v now, or hold the signal while it is masked. */
static void deliver_locked(struct fake *f, uint32_t v)
{
	if (f->vec[v].masked)
		f->vec[v].held = true;
	else
		signal_fd(f->vec[v].fd);
}

/* ------------------------------------------------------------ description */

static int op_describe(struct nirq_platform *pf, struct nirq_pci_caps *caps)
{
	struct fake *f = to_fake(pf);

	*caps = f->cfg.caps;
	record(f, FAKE_OP_DESCRIBE, 0, 0, 0, 0);
	return 0;
}

static int op_bar_info(struct nirq_platform *pf, unsigned bar,
		       struct nirq_bar_info *out)
{
	struct fake *f = to_fake(pf);
	int ret = bar > 5 ? -EINVAL : 0;

	if (!ret)
		*out = (struct nirq_bar_info){
			.bus_addr = bar == 0 ? f->cfg.bar0_bus_addr : 0,
			.size = bar == 0 ? f->cfg.bar0_size : 0 };
	record(f, FAKE_OP_BAR_INFO, bar, 0, 0, ret);
	return ret;
}

static int map_window(struct fake *f, void **va, bool *direct)
{
	if (f->cfg.direct_bars) {
		*va = f->regs;
		*direct = true;
		return 0;
	}
	/* A reserved, inaccessible window: every access must go through mmio_*. */
	f->window_len = (size_t)f->cfg.bar0_size;
	f->window = mmap(NULL, f->window_len, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->window == MAP_FAILED) {
		f->window = NULL;
		return -ENOMEM;
	}
	*va = f->window;
	*direct = false;
	return 0;
}

static int op_map_bar(struct nirq_platform *pf, unsigned bar, void **va, bool *direct)
{
	struct fake *f = to_fake(pf);
	int ret;

	pthread_mutex_lock(&f->lock);
	if (bar != 0 || f->cfg.bar0_size == 0)
		ret = -EINVAL;
	else if (f->window)
		ret = -EBUSY;
	else
		ret = map_window(f, va, direct);
	pthread_mutex_unlock(&f->lock);
	record(f, FAKE_OP_MAP_BAR, bar, 0, 0, ret);
	return ret;
}

static void op_unmap_bar(struct nirq_platform *pf, unsigned bar, void *va)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	if (f->window && va == f->window) {
		munmap(f->window, f->window_len);
		f->window = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	record(f, FAKE_OP_UNMAP_BAR, bar, 0, 0, 0);
}

/* ------------------------------------------------------------------ MMIO */

static bool reg_in_range(uint64_t off, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && off + size <= FAKE_REG_BYTES;
}

static uint32_t op_mmio_read(struct nirq_platform *pf, unsigned bar, uint64_t off,
			     unsigned size)
{
	struct fake *f = to_fake(pf);
	fake_mmio_read_hook *hook;
	uint32_t val = 0;
	void *arg;

	pthread_mutex_lock(&f->lock);
	if (bar == 0 && reg_in_range(off, size))
		memcpy(&val, &f->regs[off], size); /* little-endian host */
	hook = f->rd_hook;
	arg = f->mmio_arg;
	pthread_mutex_unlock(&f->lock);
	if (hook)
		val = hook(pf, arg, off, size, val);
	record(f, FAKE_OP_MMIO_READ, bar, off, size, val);
	return val;
}

static void op_mmio_write(struct nirq_platform *pf, unsigned bar, uint64_t off,
			  unsigned size, uint32_t val)
{
	struct fake *f = to_fake(pf);
	fake_mmio_write_hook *hook;
	void *arg;

	pthread_mutex_lock(&f->lock);
	if (bar == 0 && reg_in_range(off, size))
		memcpy(&f->regs[off], &val, size);
	hook = f->wr_hook;
	arg = f->mmio_arg;
	pthread_mutex_unlock(&f->lock);
	record(f, FAKE_OP_MMIO_WRITE, bar, off, val, 0);
	if (hook)
		hook(pf, arg, off, size, val);
}

static uint32_t op_config_read(struct nirq_platform *pf, uint32_t off, void *buf,
			       uint32_t len)
{
	struct fake *f = to_fake(pf);
	uint32_t n = 0;

	pthread_mutex_lock(&f->lock);
	memset(buf, 0xff, len);
	if (off < CONFIG_BYTES) {
		n = len < CONFIG_BYTES - off ? len : CONFIG_BYTES - off;
		memcpy(buf, &f->config[off], n);
	}
	pthread_mutex_unlock(&f->lock);
	record(f, FAKE_OP_CONFIG_READ, off, len, 0, n);
	return n;
}

static uint32_t op_config_write(struct nirq_platform *pf, uint32_t off,
				const void *buf, uint32_t len)
{
	struct fake *f = to_fake(pf);
	uint32_t n = 0;

	pthread_mutex_lock(&f->lock);
	if (off < CONFIG_BYTES) {
		n = len < CONFIG_BYTES - off ? len : CONFIG_BYTES - off;
		memcpy(&f->config[off], buf, n);
	}
	pthread_mutex_unlock(&f->lock);
	record(f, FAKE_OP_CONFIG_WRITE, off, len, 0, n);
	return n;
}

/* --------------------------------------------------------------- vectors */

static bool is_pow2(uint32_t n)
{
	return n && !(n & (n - 1));
}

/* What an unscripted alloc_vectors of @kind x @count returns. */
static int alloc_verdict(const struct fake *f, enum nirq_intr_kind kind, uint32_t count)
{
	const struct nirq_pci_caps *caps = &f->cfg.caps;

	if (f->nvec)
		return -EBUSY; /* only one allocation is live per platform */
	if (count == 0 || count > FAKE_MAX_VECTORS)
		return -EINVAL;
	switch (kind) {
	case NIRQ_KIND_MSIX:
		if (!caps->msix_count)
			return -ENODEV;
		if (count > caps->msix_count)
			return -ENOSPC;
		break;
	case NIRQ_KIND_MSI:
		if (!caps->msi_count)
			return -ENODEV;
		if (!is_pow2(count))
			return -EINVAL;
		if (count > caps->msi_count)
			return -ENOSPC;
		break;
	case NIRQ_KIND_LINE:
		if (!caps->intx)
			return -ENODEV;
		if (count != 1)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return f->cfg.vector_limit && count > f->cfg.vector_limit ? -ENOSPC : 0;
}

static int open_vectors_locked(struct fake *f, enum nirq_intr_kind kind, uint32_t count)
{
	for (uint32_t v = 0; v < count; v++) {
		int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

		if (fd < 0) {
			while (v--)
				close(f->vec[v].fd);
			return -EMFILE;
		}
		/* Vectors start masked (SPI); a level already up is held. */
		f->vec[v] = (struct fake_vector){ .fd = fd, .masked = true,
			.held = kind == NIRQ_KIND_LINE && line_level_locked(f) };
	}
	f->kind = kind;
	f->nvec = count;
	return 0;
}

static int op_alloc_vectors(struct nirq_platform *pf, enum nirq_intr_kind kind,
			    uint32_t count)
{
	struct fake *f = to_fake(pf);
	struct fake_call call;
	int ret;

	pthread_mutex_lock(&f->lock);
	f->alloc_calls++;
	ret = f->alloc_calls <= FAKE_SCRIPT_MAX ? f->script[f->alloc_calls] : 0;
	if (!ret)
		ret = alloc_verdict(f, kind, count);
	if (!ret)
		ret = open_vectors_locked(f, kind, count);
	call = record_locked(f, FAKE_OP_ALLOC_VECTORS, kind, count, 0, ret);
	pthread_mutex_unlock(&f->lock);
	run_hook(f, &call);
	return ret;
}

static void close_vectors_locked(struct fake *f)
{
	for (uint32_t v = 0; v < f->nvec; v++)
		close(f->vec[v].fd);
	f->nvec = 0;
	f->kind = NIRQ_KIND_NONE;
}

static void op_free_vectors(struct nirq_platform *pf)
{
	struct fake *f = to_fake(pf);
	struct fake_call call;
	uint32_t n;

	pthread_mutex_lock(&f->lock);
	n = f->nvec;
	close_vectors_locked(f);
	call = record_locked(f, FAKE_OP_FREE_VECTORS, n, 0, 0, 0);
	pthread_mutex_unlock(&f->lock);
	run_hook(f, &call);
}

static int op_vector_fd(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);
	struct fake_call call;
	int fd;

	pthread_mutex_lock(&f->lock);
	fd = vec < f->nvec ? f->vec[vec].fd : -EBADF;
	call = record_locked(f, FAKE_OP_VECTOR_FD, vec, 0, 0, fd);
	pthread_mutex_unlock(&f->lock);
	run_hook(f, &call);
	return fd;
}

static uint64_t op_vector_consume(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);
	uint64_t n = 0;
	int fd;

	pthread_mutex_lock(&f->lock);
	fd = vec < f->nvec ? f->vec[vec].fd : -1;
	pthread_mutex_unlock(&f->lock);
	if (fd >= 0 && read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		n = 0; /* EAGAIN: a stale wake-up */
	record(f, FAKE_OP_VECTOR_CONSUME, vec, 0, 0, (int64_t)n);
	return n;
}

static void op_mask(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);
	struct fake_call call;

	pthread_mutex_lock(&f->lock);
	if (vec < f->nvec)
		f->vec[vec].masked = true;
	call = record_locked(f, FAKE_OP_MASK, vec, 0, 0, vec < f->nvec ? 0 : -EINVAL);
	pthread_mutex_unlock(&f->lock);
	run_hook(f, &call);
}

static void op_unmask(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);
	struct fake_call call;

	pthread_mutex_lock(&f->lock);
	if (vec < f->nvec) {
		struct fake_vector *v = &f->vec[vec];
		/* A line re-samples its level; a message delivers what was held. */
		bool fire = f->kind == NIRQ_KIND_LINE ? line_level_locked(f) : v->held;

		v->masked = false;
		v->held = false;
		if (fire)
			signal_fd(v->fd);
	}
	call = record_locked(f, FAKE_OP_UNMASK, vec, 0, 0, vec < f->nvec ? 0 : -EINVAL);
	pthread_mutex_unlock(&f->lock);
	run_hook(f, &call);
}

static void op_line_done(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);
	struct fake_call call;

	pthread_mutex_lock(&f->lock);
	f->foreign = false; /* the foreign device's driver serviced it */
	if (f->kind == NIRQ_KIND_LINE && vec < f->nvec && f->level)
		deliver_locked(f, vec);
	call = record_locked(f, FAKE_OP_LINE_DONE, vec, 0, 0, 0);
	pthread_mutex_unlock(&f->lock);
	run_hook(f, &call);
}

static uint32_t op_vector_number(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);
	uint32_t n = f->cfg.vector_base + vec;

	record(f, FAKE_OP_VECTOR_NUMBER, vec, 0, 0, n);
	return n;
}

static int op_set_affinity(struct nirq_platform *pf, uint32_t vec, unsigned cpu)
{
	record(to_fake(pf), FAKE_OP_SET_AFFINITY, vec, cpu, 0, 0);
	return 0;
}

static void op_destroy(struct nirq_platform *pf)
{
	record(to_fake(pf), FAKE_OP_DESTROY, 0, 0, 0, 0);
}

static const struct nirq_platform_ops fake_ops = {
	.name = "fake",
	.describe = op_describe,
	.bar_info = op_bar_info,
	.map_bar = op_map_bar,
	.unmap_bar = op_unmap_bar,
	.mmio_read = op_mmio_read,
	.mmio_write = op_mmio_write,
	.config_read = op_config_read,
	.config_write = op_config_write,
	.alloc_vectors = op_alloc_vectors,
	.free_vectors = op_free_vectors,
	.vector_fd = op_vector_fd,
	.vector_consume = op_vector_consume,
	.mask = op_mask,
	.unmask = op_unmask,
	.line_done = op_line_done,
	.vector_number = op_vector_number,
	.set_affinity = op_set_affinity,
	.destroy = op_destroy,
};

/* ------------------------------------------------------------- lifecycle */

void fake_platform_config_init(struct fake_platform_config *cfg)
{
	*cfg = (struct fake_platform_config){
		.caps = { .vendor_id = 0x1af4, .device_id = 0x10f0, .msix_count = 5,
			  .msi_count = 4, .msi_maskable = true, .intx = true },
		.bar0_bus_addr = 0xfebf0000u,
		.bar0_size = FAKE_REG_BYTES,
		.vector_base = 0x40,
	};
}

static void config_space_init(struct fake *f)
{
	const struct nirq_pci_caps *c = &f->cfg.caps;
	uint32_t bar0 = (uint32_t)f->cfg.bar0_bus_addr;

	memcpy(&f->config[0x00], &c->vendor_id, 2);
	memcpy(&f->config[0x02], &c->device_id, 2);
	memcpy(&f->config[0x10], &bar0, 4);
	f->config[0x3d] = c->intx ? 1 : 0; /* interrupt pin INTA# */
}

struct nirq_platform *fake_platform_create(const struct fake_platform_config *cfg)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->log = calloc(FAKE_LOG_MAX, sizeof(*f->log));
	if (!f->log) {
		free(f);
		return NULL;
	}
	f->magic = FAKE_MAGIC;
	f->cfg = *cfg;
	f->ops = fake_ops;
	if (cfg->no_set_affinity)
		f->ops.set_affinity = NULL;
	f->base.ops = &f->ops;
	pthread_mutex_init(&f->lock, NULL);
	config_space_init(f);
	return &f->base;
}

void fake_platform_free(struct nirq_platform *pf)
{
	struct fake *f;

	if (!pf)
		return;
	f = to_fake(pf);
	close_vectors_locked(f);
	if (f->window)
		munmap(f->window, f->window_len);
	pthread_mutex_destroy(&f->lock);
	free(f->log);
	f->magic = 0;
	free(f);
}

struct nirq_platform_ops *fake_platform_ops(struct nirq_platform *pf)
{
	return &to_fake(pf)->ops;
}

void fake_script_alloc(struct nirq_platform *pf, unsigned call, int result)
{
	struct fake *f = to_fake(pf);

	if (call == 0 || call > FAKE_SCRIPT_MAX)
		abort(); /* a test bug */
	pthread_mutex_lock(&f->lock);
	f->script[call] = result;
	pthread_mutex_unlock(&f->lock);
}

/* ------------------------------------------------------- test-side device */

void fake_fire(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	if (vec < f->nvec)
		deliver_locked(f, vec);
	else
		f->fires_lost++;
	pthread_mutex_unlock(&f->lock);
}

void fake_signal_raw(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	if (vec < f->nvec)
		signal_fd(f->vec[vec].fd);
	else
		f->fires_lost++;
	pthread_mutex_unlock(&f->lock);
}

void fake_line_level(struct nirq_platform *pf, bool asserted)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	/* Only the rising edge signals; a level held high re-signals in line_done. */
	if (asserted && !line_level_locked(f) && f->kind == NIRQ_KIND_LINE && f->nvec)
		deliver_locked(f, 0);
	f->level = asserted;
	pthread_mutex_unlock(&f->lock);
}

void fake_line_foreign(struct nirq_platform *pf)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	if (!line_level_locked(f) && f->kind == NIRQ_KIND_LINE && f->nvec)
		deliver_locked(f, 0);
	f->foreign = true;
	pthread_mutex_unlock(&f->lock);
}

void fake_set_vector_base(struct nirq_platform *pf, uint32_t base)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	f->cfg.vector_base = base;
	pthread_mutex_unlock(&f->lock);
}

bool fake_line_asserted(struct nirq_platform *pf)
{
	struct fake *f = to_fake(pf);
	bool r;

	pthread_mutex_lock(&f->lock);
	r = line_level_locked(f);
	pthread_mutex_unlock(&f->lock);
	return r;
}

bool fake_vector_masked(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);
	bool r;

	pthread_mutex_lock(&f->lock);
	r = vec < f->nvec && f->vec[vec].masked;
	pthread_mutex_unlock(&f->lock);
	return r;
}

bool fake_vector_held(struct nirq_platform *pf, uint32_t vec)
{
	struct fake *f = to_fake(pf);
	bool r;

	pthread_mutex_lock(&f->lock);
	r = vec < f->nvec && f->vec[vec].held;
	pthread_mutex_unlock(&f->lock);
	return r;
}

uint32_t fake_vectors_live(struct nirq_platform *pf)
{
	struct fake *f = to_fake(pf);
	uint32_t n;

	pthread_mutex_lock(&f->lock);
	n = f->nvec;
	pthread_mutex_unlock(&f->lock);
	return n;
}

unsigned fake_fires_lost(struct nirq_platform *pf)
{
	struct fake *f = to_fake(pf);
	unsigned n;

	pthread_mutex_lock(&f->lock);
	n = f->fires_lost;
	pthread_mutex_unlock(&f->lock);
	return n;
}

void fake_set_mmio_hooks(struct nirq_platform *pf, fake_mmio_read_hook *rd,
			 fake_mmio_write_hook *wr, void *arg)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	f->rd_hook = rd;
	f->wr_hook = wr;
	f->mmio_arg = arg;
	pthread_mutex_unlock(&f->lock);
}

uint32_t fake_reg_get(struct nirq_platform *pf, uint64_t off)
{
	struct fake *f = to_fake(pf);
	uint32_t val = 0;

	pthread_mutex_lock(&f->lock);
	if (reg_in_range(off, 4))
		memcpy(&val, &f->regs[off], 4);
	pthread_mutex_unlock(&f->lock);
	return val;
}

void fake_reg_set(struct nirq_platform *pf, uint64_t off, uint32_t val)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	if (reg_in_range(off, 4))
		memcpy(&f->regs[off], &val, 4);
	pthread_mutex_unlock(&f->lock);
}

/* ------------------------------------------------------------------- log */

void fake_set_call_hook(struct nirq_platform *pf, fake_call_hook *hook, void *arg)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	f->call_hook = hook;
	f->call_arg = arg;
	pthread_mutex_unlock(&f->lock);
}

size_t fake_log_len(struct nirq_platform *pf)
{
	struct fake *f = to_fake(pf);
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = f->log_len;
	pthread_mutex_unlock(&f->lock);
	return n;
}

struct fake_call fake_log_at(struct nirq_platform *pf, size_t i)
{
	struct fake *f = to_fake(pf);
	struct fake_call c = { .op = FAKE_OP_COUNT };

	pthread_mutex_lock(&f->lock);
	if (i < f->log_len)
		c = f->log[i];
	pthread_mutex_unlock(&f->lock);
	return c;
}

size_t fake_log_count(struct nirq_platform *pf, enum fake_op op)
{
	struct fake *f = to_fake(pf);
	size_t n = 0;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->log_len; i++)
		n += f->log[i].op == op;
	pthread_mutex_unlock(&f->lock);
	return n;
}

size_t fake_log_count_arg(struct nirq_platform *pf, enum fake_op op, uint64_t a)
{
	struct fake *f = to_fake(pf);
	size_t n = 0;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->log_len; i++)
		n += f->log[i].op == op && f->log[i].a == a;
	pthread_mutex_unlock(&f->lock);
	return n;
}

long fake_log_find(struct nirq_platform *pf, enum fake_op op, size_t from)
{
	struct fake *f = to_fake(pf);
	long at = -1;

	pthread_mutex_lock(&f->lock);
	for (size_t i = from; i < f->log_len && at < 0; i++)
		if (f->log[i].op == op)
			at = (long)i;
	pthread_mutex_unlock(&f->lock);
	return at;
}

struct fake_call fake_log_nth(struct nirq_platform *pf, enum fake_op op, size_t n)
{
	struct fake *f = to_fake(pf);
	struct fake_call c = { .op = FAKE_OP_COUNT };

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->log_len; i++) {
		if (f->log[i].op == op && n-- == 0) {
			c = f->log[i];
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
	return c;
}

size_t fake_log_dropped(struct nirq_platform *pf)
{
	struct fake *f = to_fake(pf);
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = f->log_dropped;
	pthread_mutex_unlock(&f->lock);
	return n;
}

void fake_log_clear(struct nirq_platform *pf)
{
	struct fake *f = to_fake(pf);

	pthread_mutex_lock(&f->lock);
	f->log_len = 0;
	f->log_dropped = 0;
	pthread_mutex_unlock(&f->lock);
}

void fake_log_dump(struct nirq_platform *pf, FILE *out)
{
	size_t n = fake_log_len(pf);

	for (size_t i = 0; i < n; i++) {
		struct fake_call c = fake_log_at(pf, i);

		fprintf(out, "fake[%zu] %s(a=%llu b=%llu c=%llu) = %lld\n", i,
			fake_op_name(c.op), (unsigned long long)c.a,
			(unsigned long long)c.b, (unsigned long long)c.c,
			(long long)c.ret);
	}
}
