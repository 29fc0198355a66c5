// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * libFuzzer target: policy NAME/VALUE pairs into nirq_policy_set() and
 * through `ndisirq run --policy NAME=VALUE`, checked against a reference
 * model of the documented rules (names, decimal or 0x-hex numbers, ranges),
 * with a why text on every error and a round trip of every value set.
 *
 * Input: byte 0 selects (bit 0) a NULL name, (bit 1) a NULL value,
 * (bit 2) the `--policy=ARG` spelling; the rest is NAME, NUL, VALUE.
 */
#include <errno.h>
#include <stdbool.h>

#include <ndisirq/ndisirq.h>

#include "cli.h"
#include "fuzz_util.h"

#define POLICY_MAX_MESSAGES 2048u /* MessageNumberLimit's upper bound */

/* The documented number syntax: decimal digits, or 0x/0X and hex digits. */
static int ref_parse(const char *s, uint32_t *out)
{
	bool hex = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *d = hex ? s + 2 : s;
	uint64_t v = 0;

	if (!s || !*d)
		return -EINVAL;
	for (; *d; d++) {
		unsigned c = (unsigned char)*d, dig;

		if (c >= '0' && c <= '9')
			dig = c - '0';
		else if (hex && c >= 'a' && c <= 'f')
			dig = c - 'a' + 10;
		else if (hex && c >= 'A' && c <= 'F')
			dig = c - 'A' + 10;
		else
			return -EINVAL;
		v = v * (hex ? 16 : 10) + dig;
		if (v > 0xFFFFFFFFull)
			return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

/* 0 MSISupported, 1 MessageNumberLimit, 2 MaxNblsToIndicate, -1 unknown. */
static int ref_which(const char *name)
{
	static const char *const names[] = { "MSISupported", "MessageNumberLimit",
					     "MaxNblsToIndicate" };

	for (int i = 0; name && i < 3; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

static bool ref_in_range(int which, uint32_t v)
{
	if (which == 0)
		return v <= 1;
	if (which == 1)
		return v >= 1 && v <= POLICY_MAX_MESSAGES;
	return v >= 1;
}

/* The result the documentation promises for (@name, @value). */
static int ref_policy_set(const char *name, const char *value, uint32_t *v)
{
	int which = ref_which(name);

	if (which < 0)
		return -ENOENT;
	if (ref_parse(value, v))
		return -EINVAL;
	return ref_in_range(which, *v) ? 0 : -ERANGE;
}

static uint32_t field(const struct nirq_policy *p, int which)
{
	return which == 0 ? p->msi_supported :
	       which == 1 ? p->message_number_limit : p->max_nbls_to_indicate;
}

static bool policy_equal(const struct nirq_policy *a, const struct nirq_policy *b)
{
	return a->msi_supported == b->msi_supported &&
	       a->message_number_limit == b->message_number_limit &&
	       a->max_nbls_to_indicate == b->max_nbls_to_indicate;
}

/* A value that was set reads back, and its decimal and hex spellings set it again. */
static void check_round_trip(const char *name, int which, uint32_t v)
{
	char text[2][16];
	struct nirq_policy p;

	snprintf(text[0], sizeof(text[0]), "%u", v);
	snprintf(text[1], sizeof(text[1]), "0x%X", v);
	for (int i = 0; i < 2; i++) {
		nirq_policy_init(&p);
		FZ_CHECK(nirq_policy_set(&p, name, text[i], NULL) == 0,
			 "%s=%s was accepted once, refused as '%s'", name, text[1], text[i]);
		FZ_CHECK(field(&p, which) == v, "%s=%s reads back %u", name, text[i],
			 field(&p, which));
	}
}

static void check_library(const char *name, const char *value)
{
	struct nirq_policy pol, before;
	const char *why = "(not written)";
	uint32_t want_v = 0;
	int want = ref_policy_set(name, value, &want_v);
	int rc;

	nirq_policy_init(&pol);
	before = pol;
	rc = nirq_policy_set(&pol, name, value, &why);
	FZ_CHECK(rc == 0 || rc == -ENOENT || rc == -EINVAL || rc == -ERANGE,
		 "nirq_policy_set returned %d", rc);
	FZ_CHECK(rc == want, "'%s'='%s': returned %d, the documented rules give %d",
		 name ? name : "(null)", value ? value : "(null)", rc, want);
	if (rc) {
		FZ_CHECK(why && *why && strcmp(why, "(not written)"),
			 "error %d without a why text", rc);
		FZ_CHECK(policy_equal(&pol, &before), "a refused value changed the policy");
		return;
	}
	FZ_CHECK(field(&pol, ref_which(name)) == want_v, "'%s' reads back %u, set %u",
		 name, field(&pol, ref_which(name)), want_v);
	check_round_trip(name, ref_which(name), want_v);
}

/* The library's verdict on a CLI argument NAME=VALUE: split at the first '=', NAME 1..63 bytes. */
static int lib_verdict(const char *pair, struct nirq_policy *want)
{
	const char *eq = strchr(pair, '=');
	char name[64];

	nirq_policy_init(want);
	if (!eq || eq == pair || (size_t)(eq - pair) >= sizeof(name))
		return -EINVAL;
	memcpy(name, pair, (size_t)(eq - pair));
	name[eq - pair] = '\0';
	return nirq_policy_set(want, name, eq + 1, NULL);
}

/* `ndisirq run --policy NAME=VALUE --device edu m.so` agrees with the library. */
static void check_cli(const char *name, const char *value, bool joined)
{
	static const char opt[] = "--policy=";
	size_t len = sizeof(opt) + strlen(name) + 1 + strlen(value);
	char *arg = malloc(len);
	const char *pair;
	struct cli_run_opts o;
	struct nirq_policy want;
	struct fz_capture cap;
	int rc, lib;

	if (!arg)
		abort();
	snprintf(arg, len, "%s%s=%s", joined ? opt : "", name, value);
	pair = joined ? arg + strlen(opt) : arg;
	char *split[] = { "run", "--policy", arg, "--device", "edu", "m.so", NULL };
	char *together[] = { "run", arg, "--device", "edu", "m.so", NULL };

	lib = lib_verdict(pair, &want);
	fz_capture_begin(&cap);
	rc = joined ? cli_parse_run(5, together, &o) : cli_parse_run(6, split, &o);
	fz_capture_end(&cap);
	FZ_CHECK((rc == CLI_PARSE_RUN) == (lib == 0), "CLI returned %d for '%s', the "
		 "library %d", rc, arg, lib);
	if (rc == CLI_PARSE_RUN)
		FZ_CHECK(policy_equal(&o.policy, &want), "CLI and library set different "
			 "policies for '%s'", arg);
	else
		FZ_CHECK(rc == CLI_EXIT_USAGE && cap.err_len > 0 && strstr(cap.err, "--policy"),
			 "CLI refused '%s' with %d and message '%s'", arg, rc,
			 cap.err ? cap.err : "");
	fz_capture_free(&cap);
	free(arg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t mode = fz_u8(&f);
	char *buf = malloc(f.n + 1), *name, *value;
	size_t name_len;

	if (!buf)
		abort();
	memcpy(buf, f.p, f.n);
	buf[f.n] = '\0';
	name = buf;
	name_len = strlen(name);
	value = name_len < f.n ? name + name_len + 1 : name + name_len;
	check_library(mode & 1 ? NULL : name, mode & 2 ? NULL : value);
	if (!(mode & 3))
		check_cli(name, value, mode & 4);
	free(buf);
	return 0;
}
