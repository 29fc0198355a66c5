/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/* Version of ndisirq. The soname carries the major version. */
#ifndef NIRQ_VERSION_H
#define NIRQ_VERSION_H

#define NIRQ_VERSION_MAJOR 0
#define NIRQ_VERSION_MINOR 1
#define NIRQ_VERSION_PATCH 0
#define NIRQ_VERSION_HEX \
	((NIRQ_VERSION_MAJOR << 16) | (NIRQ_VERSION_MINOR << 8) | NIRQ_VERSION_PATCH)

#endif /* NIRQ_VERSION_H */
