/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Resource assignment at adapter start (the PnP step): the adapter policy,
 * the choice MSI-X > MSI > line, the message count and the fallbacks of spec
 * §5.5 (F3 MSISupported, F4 one message when fewer are available, F5 MSI-X
 * before MSI), and the spreading of messages over processors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ndisirq/nirq_fault.h>

#include "core.h"

#define MSIX_MAX_MESSAGES 2048u /* PCI 3.0 MSI-X table limit */

void nirq_policy_init(struct nirq_policy *pol)
{
	*pol = (struct nirq_policy){
		.msi_supported = 1,               /* what NIC INFs set */
		.message_number_limit = 0,        /* no limit */
		.max_nbls_to_indicate = 0xFFFFFFFFu, /* NDIS_INDICATE_ALL_NBLS */
	};
}

/*
 * Decimal, or hexadecimal after 0x; nothing else (no sign, space, octal, and
 * no second 0x, which strtoull(base 16) would skip: "0x0x10").
 */
static int parse_u32(const char *s, uint32_t *out)
{
	bool hex = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	unsigned long long v;
	char *end;

	if (!s || !*digits ||
	    digits[strspn(digits, hex ? "0123456789abcdefABCDEF" : "0123456789")])
		return -EINVAL;
	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (errno || *end || v > 0xFFFFFFFFull)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int nirq_policy_set(struct nirq_policy *pol, const char *name, const char *value,
		    const char **why)
{
	static const char *const rules[] = {
		"MSISupported must be 0 or 1",
		"MessageNumberLimit must be 1..2048 (MSI takes 1, 2, 4, 8, 16 or 32)",
		"MaxNblsToIndicate must be 1..4294967295 (0xFFFFFFFF = NDIS_INDICATE_ALL_NBLS)",
	};
	uint32_t v;
	int which;

	if (why)
		*why = NULL;
	if (name && !strcmp(name, "MSISupported"))
		which = 0;
	else if (name && !strcmp(name, "MessageNumberLimit"))
		which = 1;
	else if (name && !strcmp(name, "MaxNblsToIndicate"))
		which = 2;
	else {
		if (why)
			*why = "known policies: MSISupported, MessageNumberLimit, MaxNblsToIndicate";
		return -ENOENT;
	}
	if (parse_u32(value, &v)) {
		if (why)
			*why = "the value must be a decimal or 0x-hexadecimal unsigned 32-bit number";
		return -EINVAL;
	}
	if ((which == 0 && v > 1) || (which == 1 && (v < 1 || v > MSIX_MAX_MESSAGES)) ||
	    (which == 2 && v < 1)) {
		if (why)
			*why = rules[which];
		return -ERANGE;
	}
	if (which == 0)
		pol->msi_supported = v;
	else if (which == 1)
		pol->message_number_limit = v;
	else
		pol->max_nbls_to_indicate = v;
	return 0;
}

const char *nirq_kind_name(enum nirq_intr_kind kind)
{
	switch (kind) {
	case NIRQ_KIND_LINE: return "line";
	case NIRQ_KIND_MSI: return "MSI";
	case NIRQ_KIND_MSIX: return "MSI-X";
	default: return "none";
	}
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* The largest power of two <= n (MSI allocates 1, 2, 4, 8, 16 or 32). */
static uint32_t pow2_floor(uint32_t n)
{
	return n ? 1u << (31 - __builtin_clz(n)) : 0;
}

/*
 * Allocate @want messages of @kind; if the platform cannot provide that many,
 * exactly one (F4). Return: the count allocated, 0 when none could be
 * (-ENOSPC, -ENODEV), or -errno for resource exhaustion.
 */
static int alloc_messages(struct nirq_platform *pf, enum nirq_intr_kind kind,
			  uint32_t want)
{
	int err = pf->ops->alloc_vectors(pf, kind, want);

	if (err == -ENOSPC && want > 1)
		err = pf->ops->alloc_vectors(pf, kind, 1), want = 1;
	if (err == -ENOSPC || err == -ENODEV)
		return 0;
	return err ? err : (int)want;
}

/* Decide kind and count; allocate. Returns 0 with kind NONE if nothing fits. */
static int choose(struct nirq_platform *pf, const struct nirq_pci_caps *caps,
		  const struct nirq_policy *pol, struct nirq_grant *g)
{
	uint32_t limit = pol->message_number_limit ? pol->message_number_limit
						   : NIRQ_MAX_MESSAGES;
	int n = 0;

	limit = min_u32(limit, NIRQ_MAX_MESSAGES);
	if (pol->msi_supported && caps->msix_count) {
		n = alloc_messages(pf, NIRQ_KIND_MSIX, min_u32(caps->msix_count, limit));
		g->kind = NIRQ_KIND_MSIX;
	} else if (pol->msi_supported && caps->msi_count) {
		n = alloc_messages(pf, NIRQ_KIND_MSI,
				   pow2_floor(min_u32(caps->msi_count, limit)));
		g->kind = NIRQ_KIND_MSI;
	}
	if (n < 0)
		return n;
	if (n > 0) {
		g->count = (uint32_t)n;
		return 0;
	}
	g->kind = NIRQ_KIND_NONE;
	if (!caps->intx)
		return 0;
	n = pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1);
	if (n)
		return n == -ENOSPC || n == -ENODEV ? 0 : n;
	g->kind = NIRQ_KIND_LINE;
	g->count = 1;
	return 0;
}

int nirq_assign(struct nirq_rt *rt, struct nirq_platform *pf,
		const struct nirq_policy *pol, struct nirq_grant *g)
{
	struct nirq_pci_caps caps = { 0 };
	int err;

	memset(g, 0, sizeof(*g));
	err = pf->ops->describe(pf, &caps);
	if (!err)
		err = choose(pf, &caps, pol, g);
	if (err)
		return err;
	g->processors = rt->nproc;
	g->max_nbls_to_indicate = pol->max_nbls_to_indicate;
	if (g->kind == NIRQ_KIND_NONE)
		return 0;
	g->enabled = 1;
	g->stats = nirq_fault_calloc((size_t)g->count * rt->nproc, sizeof(*g->stats));
	g->latency = nirq_fault_calloc(g->count, sizeof(*g->latency));
	if (!g->stats || !g->latency) {
		nirq_unassign(pf, g);
		return -ENOMEM;
	}
	/* IrqPolicySpreadMessagesAcrossAllProcessors: message m on processor m mod N. */
	for (uint32_t m = 0; m < g->count; m++) {
		g->target[m] = m % rt->nproc;
		g->vector[m] = pf->ops->vector_number(pf, m);
	}
	return 0;
}

void nirq_unassign(struct nirq_platform *pf, struct nirq_grant *g)
{
	if (g->kind != NIRQ_KIND_NONE && g->enabled)
		pf->ops->free_vectors(pf);
	g->enabled = 0;
	free(g->stats);
	free(g->latency);
	memset(g, 0, sizeof(*g));
}
