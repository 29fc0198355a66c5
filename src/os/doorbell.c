/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The processor doorbell on Linux: an eventfd. Kept out of src/core so the
 * core names no backend or OS-specific wake-up primitive.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <ndisirq/nirq_fault.h>

#include "core/core.h"

int nirq__doorbell_open(void)
{
	int fd;

	if (nirq_fault_should_fail(NIRQ_FAULT_FD))
		return -EMFILE;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

void nirq__doorbell_ring(int fd)
{
	uint64_t one = 1;

	/* EAGAIN means the counter is saturated: the processor is awake anyway. */
	while (write(fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

void nirq__doorbell_drain(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) < 0 && errno == EINTR)
		;
}
