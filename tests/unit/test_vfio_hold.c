/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Host-side unit tests of the VFIO backend's vector ops without a device:
 * the signal held while the core has a vector masked (vfio-pci cannot mask
 * MSI/MSI-X for user space) and delivered on unmask, and INTx re-arming
 * through the unmask eventfd, deferred while the line is masked. A platform
 * instance is built by hand around plain eventfds (what alloc_vectors would
 * have registered with VFIO_DEVICE_SET_IRQS); the backend's sources are
 * compiled in.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "platform/vfio/vfio.h"

static struct vfio_pf *make(enum nirq_intr_kind kind, uint32_t n)
{
	struct vfio_pf *v = calloc(1, sizeof(*v));

	assert_non_null(v);
	v->base.ops = &nirq__vfio_ops;
	v->container = v->group = v->device = -1;
	v->kind = kind;
	v->nvec = n;
	v->vec = calloc(n, sizeof(*v->vec));
	assert_non_null(v->vec);
	for (uint32_t i = 0; i < n; i++) {
		v->vec[i].fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		assert_true(v->vec[i].fd >= 0);
		atomic_init(&v->vec[i].masked, true); /* as allocated */
	}
	v->unmask_fd = kind == NIRQ_KIND_LINE ? eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) : -1;
	return v;
}

static void destroy(struct vfio_pf *v)
{
	/* free_vectors' SET_IRQS fails on fd -1; the fds are closed anyway. */
	v->base.ops->destroy(&v->base);
}

/* What the kernel does when the device raises vector @vec: count += n. */
static void kernel_signal(struct vfio_pf *v, uint32_t vec, uint64_t n)
{
	assert_int_equal(write(v->vec[vec].fd, &n, sizeof(n)), sizeof(n));
}

/* The value the unmask eventfd holds (consumed), 0 if none. */
static uint64_t unmask_writes(struct vfio_pf *v)
{
	uint64_t n = 0;

	return read(v->unmask_fd, &n, sizeof(n)) == sizeof(n) ? n : 0;
}

static void test_vfio_hold_unmasked_signal_is_delivered_with_its_count(void **state)
{
	struct vfio_pf *v = make(NIRQ_KIND_MSIX, 2);
	struct nirq_platform *pf = &v->base;

	(void)state;
	pf->ops->unmask(pf, 1);
	kernel_signal(v, 1, 3);
	assert_int_equal(pf->ops->vector_consume(pf, 1), 3);
	assert_int_equal(pf->ops->vector_consume(pf, 1), 0); /* stale wake-up */
	destroy(v);
}

static void test_vfio_hold_signal_while_masked_is_redelivered_on_unmask(void **state)
{
	struct vfio_pf *v = make(NIRQ_KIND_MSI, 1);
	struct nirq_platform *pf = &v->base;

	(void)state;
	kernel_signal(v, 0, 1); /* raised before connect: vectors start masked */
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0);
	pf->ops->unmask(pf, 0);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	destroy(v);
}

static void test_vfio_hold_mask_after_unmask_holds_again(void **state)
{
	struct vfio_pf *v = make(NIRQ_KIND_MSIX, 1);
	struct nirq_platform *pf = &v->base;

	(void)state;
	pf->ops->unmask(pf, 0);
	pf->ops->mask(pf, 0);
	kernel_signal(v, 0, 1);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0);
	pf->ops->unmask(pf, 0);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	destroy(v);
}

static void test_vfio_hold_unmask_without_a_held_signal_delivers_nothing(void **state)
{
	struct vfio_pf *v = make(NIRQ_KIND_MSIX, 1);
	struct nirq_platform *pf = &v->base;

	(void)state;
	pf->ops->unmask(pf, 0);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0);
	destroy(v);
}

static void test_vfio_line_done_writes_the_unmask_eventfd(void **state)
{
	struct vfio_pf *v = make(NIRQ_KIND_LINE, 1);
	struct nirq_platform *pf = &v->base;

	(void)state;
	pf->ops->unmask(pf, 0);
	assert_int_equal(unmask_writes(v), 0); /* nothing to re-arm yet */
	kernel_signal(v, 0, 1); /* the kernel automasks the line */
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	pf->ops->line_done(pf, 0);
	assert_int_equal(unmask_writes(v), 1);
	destroy(v);
}

static void test_vfio_line_done_while_masked_defers_the_unmask(void **state)
{
	struct vfio_pf *v = make(NIRQ_KIND_LINE, 1);
	struct nirq_platform *pf = &v->base;

	(void)state;
	pf->ops->unmask(pf, 0);
	kernel_signal(v, 0, 1);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	pf->ops->mask(pf, 0); /* deregistration masks the line meanwhile */
	pf->ops->line_done(pf, 0);
	assert_int_equal(unmask_writes(v), 0);
	pf->ops->unmask(pf, 0);
	assert_int_equal(unmask_writes(v), 1);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0); /* nothing re-sent */
	destroy(v);
}

static void test_vfio_line_signal_held_while_masked_runs_then_rearms(void **state)
{
	struct vfio_pf *v = make(NIRQ_KIND_LINE, 1);
	struct nirq_platform *pf = &v->base;

	(void)state;
	kernel_signal(v, 0, 1); /* asserted before connect */
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0);
	pf->ops->unmask(pf, 0);
	assert_int_equal(unmask_writes(v), 0); /* still automasked: ISR first */
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	pf->ops->line_done(pf, 0);
	assert_int_equal(unmask_writes(v), 1);
	destroy(v);
}

static void test_vfio_vector_ops_beyond_the_allocation_are_ignored(void **state)
{
	struct vfio_pf *v = make(NIRQ_KIND_MSIX, 1);
	struct nirq_platform *pf = &v->base;

	(void)state;
	assert_int_equal(pf->ops->vector_fd(pf, 1), -EINVAL);
	assert_int_equal(pf->ops->vector_consume(pf, 1), 0);
	assert_int_equal(pf->ops->vector_number(pf, 1), 0);
	assert_int_equal(pf->ops->set_affinity(pf, 1, 0), -EINVAL);
	assert_int_equal(pf->ops->set_affinity(pf, 0, 0), -ENOENT); /* no host IRQ */
	pf->ops->mask(pf, 1);
	pf->ops->unmask(pf, 1);
	pf->ops->line_done(pf, 0); /* not a line: nothing to re-arm */
	destroy(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vfio_hold_unmasked_signal_is_delivered_with_its_count),
		cmocka_unit_test(test_vfio_hold_signal_while_masked_is_redelivered_on_unmask),
		cmocka_unit_test(test_vfio_hold_mask_after_unmask_holds_again),
		cmocka_unit_test(test_vfio_hold_unmask_without_a_held_signal_delivers_nothing),
		cmocka_unit_test(test_vfio_line_done_writes_the_unmask_eventfd),
		cmocka_unit_test(test_vfio_line_done_while_masked_defers_the_unmask),
		cmocka_unit_test(test_vfio_line_signal_held_while_masked_runs_then_rearms),
		cmocka_unit_test(test_vfio_vector_ops_beyond_the_allocation_are_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
