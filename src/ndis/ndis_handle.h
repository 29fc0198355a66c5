/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/* Private to src/ndis: generation-checked handles for NDIS objects. */
#ifndef NDIS_HANDLE_PRIV_H
#define NDIS_HANDLE_PRIV_H

/** ndis__handle_alloc() - a new handle for @obj, or NULL when the table is full. */
void *ndis__handle_alloc(void *obj);
/** ndis__handle_lookup() - the object of a live @handle, or NULL (stale, forged). */
void *ndis__handle_lookup(const void *handle);
/** ndis__handle_free() - retire @handle: later lookups of it return NULL. */
void ndis__handle_free(const void *handle);

#endif /* NDIS_HANDLE_PRIV_H */
