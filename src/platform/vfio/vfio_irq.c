/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The VFIO backend's vectors: one eventfd per vector enabled all at once
 * through the one VFIO_DEVICE_SET_IRQS helper, the core's mask held in the
 * backend (vfio-pci cannot mask MSI/MSI-X vectors for user space), INTx
 * re-armed by the unmask eventfd after the ISR chain, host IRQ numbers from
 * /proc/interrupts and their affinity.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vfio.h"

static struct vfio_pf *to_vfio(struct nirq_platform *pf)
{
	return pf && pf->ops == &nirq__vfio_ops ? (struct vfio_pf *)pf : NULL;
}

int nirq__vfio_set_irqs(struct vfio_pf *v, unsigned index, uint32_t start,
			uint32_t count, uint32_t flags, const int *fds)
{
	size_t data = (flags & VFIO_IRQ_SET_DATA_EVENTFD) ? count * sizeof(int32_t) : 0;
	struct vfio_irq_set *set, plain;
	int rc;

	if (!data) { /* DATA_NONE: no allocation (mask/unmask from any context) */
		plain = (struct vfio_irq_set){ .argsz = sizeof(plain), .flags = flags,
			.index = index, .start = start, .count = count };
		return ioctl(v->device, VFIO_DEVICE_SET_IRQS, &plain) < 0 ? -errno : 0;
	}
	set = calloc(1, sizeof(*set) + data);
	if (!set)
		return -ENOMEM;
	*set = (struct vfio_irq_set){ .argsz = (uint32_t)(sizeof(*set) + data),
		.flags = flags, .index = index, .start = start, .count = count };
	memcpy(set->data, fds, data);
	rc = ioctl(v->device, VFIO_DEVICE_SET_IRQS, set) < 0 ? -errno : 0;
	free(set);
	return rc;
}

static int kind_index(enum nirq_intr_kind kind)
{
	switch (kind) {
	case NIRQ_KIND_LINE: return VFIO_IDX_INTX;
	case NIRQ_KIND_MSI: return VFIO_IDX_MSI;
	case NIRQ_KIND_MSIX: return VFIO_IDX_MSIX;
	default: return -1;
	}
}

static void close_fds(struct vfio_vec *vec, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (vec[i].fd >= 0)
			close(vec[i].fd);
}

static int open_fds(struct vfio_vec *vec, int *fds, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		vec[i].fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (vec[i].fd < 0) {
			int err = -errno;

			close_fds(vec, i);
			return err;
		}
		fds[i] = vec[i].fd;
		atomic_init(&vec[i].masked, true); /* the SPI: vectors start masked */
		atomic_init(&vec[i].pending, false);
		atomic_init(&vec[i].deferred, false);
	}
	return 0;
}

/* INTx: register the unmask eventfd; a write to it unmasks the line. */
static int intx_unmask_fd(struct vfio_pf *v)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = nirq__vfio_set_irqs(v, VFIO_IDX_INTX, 0, 1, VFIO_IRQ_SET_DATA_EVENTFD |
				  VFIO_IRQ_SET_ACTION_UNMASK, &fd);
	if (err) {
		close(fd);
		return err;
	}
	v->unmask_fd = fd;
	return 0;
}

/*
 * A level the device already asserted when INTx was enabled must reach the
 * ISR: seen on QEMU 7.2 under Linux 6.1, a cause left pending by an earlier
 * MSI session (PCI_STATUS.INTERRUPT set) raised no host interrupt once INTx
 * was enabled, and the line stayed silent (the device asserts no new edge
 * while its cause is pending). So signal the line once ourselves; when the
 * kernel did deliver it too, the two coalesce in the eventfd into one
 * dispatch, and an ISR that finds no cause returns FALSE.
 */
static void intx_sample_level(struct vfio_pf *v, int fd)
{
	uint16_t status = 0;
	uint64_t one = 1;

	if (pread(v->device, &status, 2, (off_t)(v->cfg.off + VFIO_PCI_STATUS)) == 2 &&
	    (status & VFIO_PCI_STATUS_INTERRUPT))
		(void)!write(fd, &one, sizeof(one));
}

/*
 * Enable all @count vectors at once: MSI and MSI-X are NORESIZE on vfio-pci,
 * so a different count later means disable and enable again.
 */
int nirq__vfio_alloc_vectors(struct nirq_platform *pf, enum nirq_intr_kind kind,
			     uint32_t count)
{
	struct vfio_pf *v = to_vfio(pf);
	int idx = kind_index(kind), err;
	struct vfio_vec *vec;
	uint32_t *irq;
	int *fds;

	if (!v || idx < 0 || !count || (kind == NIRQ_KIND_LINE && count != 1) ||
	    count > VFIO_MAX_VECTORS)
		return -EINVAL;
	if (v->kind != NIRQ_KIND_NONE)
		return -EBUSY; /* one live allocation per platform */
	if (!v->irq_count[idx])
		return -ENODEV;
	if (count > v->irq_count[idx])
		return -ENOSPC;
	vec = calloc(count, sizeof(*vec));
	fds = calloc(count, sizeof(*fds));
	irq = calloc(count, sizeof(*irq));
	err = vec && fds && irq ? open_fds(vec, fds, count) : -ENOMEM;
	if (err)
		goto out;
	err = nirq__vfio_set_irqs(v, (unsigned)idx, 0, count, VFIO_IRQ_SET_DATA_EVENTFD |
				  VFIO_IRQ_SET_ACTION_TRIGGER, fds);
	if (!err && kind == NIRQ_KIND_LINE) {
		err = intx_unmask_fd(v);
		if (err)
			nirq__vfio_set_irqs(v, VFIO_IDX_INTX, 0, 0, VFIO_IRQ_SET_DATA_NONE |
					    VFIO_IRQ_SET_ACTION_TRIGGER, NULL);
	}
	if (err) {
		close_fds(vec, count);
		if (err == -EINVAL || err == -ENOSPC)
			err = -ENOSPC; /* the host could not provide them */
		goto out;
	}
	if (kind == NIRQ_KIND_LINE)
		intx_sample_level(v, vec[0].fd);
	/* The host IRQs exist now that the vectors are enabled. */
	nirq__vfio_irq_numbers(v->procdir, v->bdf, kind, count, irq);
	for (uint32_t i = 0; i < count; i++)
		vec[i].irq = irq[i];
	v->vec = vec;
	v->nvec = count;
	v->kind = kind;
	vec = NULL;
out:
	free(irq);
	free(fds);
	free(vec);
	return err;
}

void nirq__vfio_free_vectors(struct nirq_platform *pf)
{
	struct vfio_pf *v = to_vfio(pf);
	int idx;

	if (!v || v->kind == NIRQ_KIND_NONE)
		return;
	idx = kind_index(v->kind);
	/* count = 0 disables the kind; for INTx it also drops the unmask fd. */
	nirq__vfio_set_irqs(v, (unsigned)idx, 0, 0, VFIO_IRQ_SET_DATA_NONE |
			    VFIO_IRQ_SET_ACTION_TRIGGER, NULL);
	close_fds(v->vec, v->nvec);
	if (v->unmask_fd >= 0)
		close(v->unmask_fd);
	v->unmask_fd = -1;
	free(v->vec);
	v->vec = NULL;
	v->nvec = 0;
	v->kind = NIRQ_KIND_NONE;
}

int nirq__vfio_vector_fd(struct nirq_platform *pf, uint32_t vec)
{
	struct vfio_pf *v = to_vfio(pf);

	return v && vec < v->nvec ? v->vec[vec].fd : -EINVAL;
}

static void signal_fd(int fd)
{
	uint64_t one = 1;

	(void)!write(fd, &one, sizeof(one));
}

/*
 * Read the eventfd; while masked, hold the signal instead of delivering it.
 * Race with unmask (both sides seq_cst):
 *  1. consume reads n > 0 and sees masked;
 *  2. unmask clears masked, finds pending not yet set, returns;
 *  3. consume sets pending, re-checks masked: clear, so it takes the
 *     pending flag back (if unmask did not) and delivers n itself.
 * Whoever clears pending delivers; a signal is neither lost nor doubled.
 * ISR path: no allocation, blocking (the fd is non-blocking) or logging.
 */
uint64_t nirq__vfio_vector_consume(struct nirq_platform *pf, uint32_t vec)
{
	struct vfio_pf *v = to_vfio(pf);
	struct vfio_vec *x;
	uint64_t n = 0;

	if (!v || vec >= v->nvec)
		return 0;
	x = &v->vec[vec];
	if (read(x->fd, &n, sizeof(n)) != (ssize_t)sizeof(n) || !n)
		return 0;
	if (!atomic_load(&x->masked))
		return n;
	atomic_store(&x->pending, true);
	if (atomic_load(&x->masked))
		return 0; /* held: unmask writes the eventfd again */
	return atomic_exchange(&x->pending, false) ? n : 0;
}

/*
 * Where vfio-pci can mask a message vector (VFIO_IRQ_INFO_MASKABLE; Linux
 * 6.1 cannot for MSI/MSI-X: "Need masking support exported"), also mask it
 * at the device, so it sets its pending bit. The backend hold above stays:
 * it is what makes masking work everywhere else. Lines are never masked at
 * the host: vfio-pci shares one masked flag between its automask and
 * ACTION_MASK, and line_done must not undo the core's mask.
 */
static void host_mask(struct vfio_pf *v, uint32_t vec, uint32_t action)
{
	int idx = kind_index(v->kind);

	if (v->kind == NIRQ_KIND_LINE || idx < 0 ||
	    !(v->irq_flags[idx] & VFIO_IRQ_INFO_MASKABLE))
		return;
	(void)nirq__vfio_set_irqs(v, (unsigned)idx, vec, 1, VFIO_IRQ_SET_DATA_NONE |
				  action, NULL);
}

void nirq__vfio_mask(struct nirq_platform *pf, uint32_t vec)
{
	struct vfio_pf *v = to_vfio(pf);

	if (!v || vec >= v->nvec)
		return;
	atomic_store(&v->vec[vec].masked, true);
	host_mask(v, vec, VFIO_IRQ_SET_ACTION_MASK);
}

/* Deliver a held signal by writing the eventfd; re-arm a deferred line. */
void nirq__vfio_unmask(struct nirq_platform *pf, uint32_t vec)
{
	struct vfio_pf *v = to_vfio(pf);
	struct vfio_vec *x;

	if (!v || vec >= v->nvec)
		return;
	x = &v->vec[vec];
	host_mask(v, vec, VFIO_IRQ_SET_ACTION_UNMASK);
	atomic_store(&x->masked, false);
	if (atomic_exchange(&x->pending, false))
		signal_fd(x->fd); /* a line is still automasked: line_done re-arms */
	else if (v->kind == NIRQ_KIND_LINE && atomic_exchange(&x->deferred, false))
		signal_fd(v->unmask_fd);
}

/*
 * INTx only: the ISR chain ran and the miniport acked the device; unmask
 * the automasked line (ack, then unmask: the other order re-fires). While
 * the core holds the line masked (deregistration), defer the unmask to
 * unmask(), with the same hand-off as consume.
 */
void nirq__vfio_line_done(struct nirq_platform *pf, uint32_t vec)
{
	struct vfio_pf *v = to_vfio(pf);
	struct vfio_vec *x;

	if (!v || v->kind != NIRQ_KIND_LINE || vec >= v->nvec)
		return;
	x = &v->vec[vec];
	if (atomic_load(&x->masked)) {
		atomic_store(&x->deferred, true);
		if (atomic_load(&x->masked) || !atomic_exchange(&x->deferred, false))
			return;
	}
	signal_fd(v->unmask_fd);
}

uint32_t nirq__vfio_vector_number(struct nirq_platform *pf, uint32_t vec)
{
	struct vfio_pf *v = to_vfio(pf);

	return v && vec < v->nvec ? v->vec[vec].irq : 0;
}

int nirq__vfio_set_affinity(struct nirq_platform *pf, uint32_t vec, unsigned cpu)
{
	struct vfio_pf *v = to_vfio(pf);
	char path[PATH_MAX + 64], val[16];
	int fd, len, err = 0;

	if (!v || vec >= v->nvec)
		return -EINVAL;
	if (!v->vec[vec].irq)
		return -ENOENT; /* not found in /proc/interrupts */
	snprintf(path, sizeof(path), "%s/irq/%u/smp_affinity_list", v->procdir,
		 v->vec[vec].irq);
	len = snprintf(val, sizeof(val), "%u\n", cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, val, (size_t)len) != len)
		err = -errno;
	if (fd >= 0)
		close(fd);
	if (err == -EACCES || err == -EPERM || err == -EROFS)
		return -EPERM;
	return err;
}
