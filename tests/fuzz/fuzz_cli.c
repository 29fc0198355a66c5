// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * libFuzzer target: the `ndisirq` command line through the CLI's parser.
 * The input split on NUL is argv after the program name; when the command
 * is "run" its arguments go to cli_parse_run() (the other commands take no
 * parsing beyond their name, or run at once: bench parses inside
 * ndisirq_bench_main and then measures for tens of seconds).
 *
 * Properties: the result is run, help (0) or a usage error (2); help prints
 * the help to stdout, an error prints one "ndisirq run: ..." message to
 * stderr, a run prints nothing; an accepted command line has every value in
 * its documented range, every number strictly decimal or 0x-hex, and its
 * canonical spelling parses back to the same options.
 */
#include <math.h>
#include <stdbool.h>

#include "cli.h"
#include "fuzz_util.h"

#define MAX_ARGS 64

struct args {
	int argc;
	char *argv[MAX_ARGS + 1];
};

/* Each token its own allocation, so ASan sees a read past any of them. */
static void args_split(struct args *a, const uint8_t *data, size_t size)
{
	size_t start = 0;

	a->argc = 0;
	a->argv[a->argc++] = strdup("ndisirq");
	for (size_t i = 0; i <= size && a->argc < MAX_ARGS; i++) {
		if (i < size && data[i])
			continue;
		a->argv[a->argc] = malloc(i - start + 1);
		if (!a->argv[a->argc])
			abort();
		memcpy(a->argv[a->argc], data + start, i - start);
		a->argv[a->argc++][i - start] = '\0';
		start = i + 1;
	}
	a->argv[a->argc] = NULL;
}

static void args_free(struct args *a)
{
	for (int i = 0; i < a->argc; i++)
		free(a->argv[i]);
}

/* ---- the documented number syntax ---- */

static bool strict_number(const char *s)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *d = hex ? s + 2 : s;

	return *d && !d[strspn(d, hex ? "0123456789abcdefABCDEF" : "0123456789")];
}

static bool takes_value(const char *name, size_t len)
{
	static const char *const opts[] = { "--platform", "--device", "--processors",
					    "--policy", "--duration", "--fault" };

	for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i]) == len && !strncmp(name, opts[i], len))
			return true;
	return false;
}

static void check_number_value(const char *opt, size_t len, const char *v)
{
	static const char *const faults[] = { "msix-count=", "vector-limit=",
					      "alloc-fail-at=", "spurious=" };

	if (len == 12 && !strncmp(opt, "--processors", len))
		FZ_CHECK(strict_number(v), "--processors '%s' was accepted", v);
	if (len != 7 || strncmp(opt, "--fault", len))
		return;
	for (unsigned i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		if (!strncmp(v, faults[i], strlen(faults[i])))
			FZ_CHECK(strict_number(v + strlen(faults[i])),
				 "--fault '%s' was accepted", v);
}

/* Walk an accepted command line as the grammar reads it; check each number. */
static void check_numbers(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t len;

		if (!strcmp(a, "--"))
			return;
		if (a[0] != '-' || !a[1])
			continue;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		FZ_CHECK(takes_value(a, len), "option '%s' was accepted", a);
		check_number_value(a, len, eq ? eq + 1 : argv[++i]);
	}
}

/* ---- accepted options: ranges and the canonical round trip ---- */

static void check_ranges(const struct cli_run_opts *o)
{
	FZ_CHECK(o->model == NIRQ_SIM_EDU || o->model == NIRQ_SIM_E1000E ||
		 o->model == NIRQ_SIM_E1000, "model %d", (int)o->model);
	FZ_CHECK(o->miniport, "no miniport");
	FZ_CHECK(o->processors <= NIRQ_MAX_PROCESSORS, "processors %u", o->processors);
	FZ_CHECK(isfinite(o->duration) && o->duration >= 0.0 &&
		 o->duration <= CLI_MAX_DURATION, "duration %g", o->duration);
	FZ_CHECK(o->policy.msi_supported <= 1, "MSISupported %u", o->policy.msi_supported);
	FZ_CHECK(o->policy.message_number_limit <= 2048, "MessageNumberLimit %u",
		 o->policy.message_number_limit);
	FZ_CHECK(o->policy.max_nbls_to_indicate >= 1, "MaxNblsToIndicate 0");
	FZ_CHECK(o->faults.msix_count <= 2048 && o->faults.vector_limit <= 2048,
		 "msix-count %u vector-limit %u", o->faults.msix_count,
		 o->faults.vector_limit);
	FZ_CHECK(!o->spurious || o->spurious_vec < NIRQ_MAX_MESSAGES, "spurious=%u",
		 o->spurious_vec);
}

/* Appends "--opt" and a formatted value to the canonical argv. */
static void add_opt(struct args *c, const char *opt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_opt(struct args *c, const char *opt, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->argv[c->argc++] = strdup(opt);
	c->argv[c->argc++] = strdup(buf);
}

static void add_faults(struct args *c, const struct cli_run_opts *o)
{
	const struct nirq_sim_faults *f = &o->faults;

	if (f->no_msi)
		add_opt(c, "--fault", "no-msi");
	if (f->no_msix)
		add_opt(c, "--fault", "no-msix");
	if (f->msix_count)
		add_opt(c, "--fault", "msix-count=%u", f->msix_count);
	if (f->vector_limit)
		add_opt(c, "--fault", "vector-limit=%u", f->vector_limit);
	if (f->alloc_fail_at)
		add_opt(c, "--fault", "alloc-fail-at=%u", f->alloc_fail_at);
	if (f->alloc_fail_all)
		add_opt(c, "--fault", "alloc-fail-all");
	if (o->spurious)
		add_opt(c, "--fault", "spurious=%u", o->spurious_vec);
	if (o->foreign_line)
		add_opt(c, "--fault", "foreign-line");
}

/* The one spelling of @o that uses every option explicitly. */
static void canonical(struct args *c, const struct cli_run_opts *o)
{
	c->argc = 0;
	c->argv[c->argc++] = strdup("run");
	add_opt(c, "--platform", "sim");
	add_opt(c, "--device", "%s", nirq_sim_model_name(o->model));
	if (o->processors)
		add_opt(c, "--processors", "%u", o->processors);
	add_opt(c, "--policy", "MSISupported=%u", o->policy.msi_supported);
	if (o->policy.message_number_limit)
		add_opt(c, "--policy", "MessageNumberLimit=%u", o->policy.message_number_limit);
	add_opt(c, "--policy", "MaxNblsToIndicate=0x%x", o->policy.max_nbls_to_indicate);
	add_opt(c, "--duration", "%.17g", o->duration);
	add_faults(c, o);
	c->argv[c->argc++] = strdup("--");
	c->argv[c->argc++] = strdup(o->miniport);
	c->argv[c->argc] = NULL;
}

static bool opts_equal(const struct cli_run_opts *a, const struct cli_run_opts *b)
{
	const struct nirq_sim_faults *fa = &a->faults, *fb = &b->faults;

	return a->model == b->model && a->processors == b->processors &&
	       a->policy.msi_supported == b->policy.msi_supported &&
	       a->policy.message_number_limit == b->policy.message_number_limit &&
	       a->policy.max_nbls_to_indicate == b->policy.max_nbls_to_indicate &&
	       a->duration == b->duration && fa->no_msi == fb->no_msi &&
	       fa->no_msix == fb->no_msix && fa->msix_count == fb->msix_count &&
	       fa->vector_limit == fb->vector_limit &&
	       fa->alloc_fail_at == fb->alloc_fail_at &&
	       fa->alloc_fail_all == fb->alloc_fail_all && a->spurious == b->spurious &&
	       (!a->spurious || a->spurious_vec == b->spurious_vec) &&
	       a->foreign_line == b->foreign_line && !strcmp(a->miniport, b->miniport);
}

static void check_round_trip(const struct cli_run_opts *o)
{
	struct args c;
	struct cli_run_opts again;
	struct fz_capture cap;
	int rc;

	canonical(&c, o);
	fz_capture_begin(&cap);
	rc = cli_parse_run(c.argc, c.argv, &again);
	fz_capture_end(&cap);
	FZ_CHECK(rc == CLI_PARSE_RUN, "the canonical spelling was refused (%d): %s",
		 rc, cap.err);
	FZ_CHECK(opts_equal(o, &again), "the canonical spelling parses differently");
	fz_capture_free(&cap);
	args_free(&c);
}

/* ---- the three outcomes ---- */

static bool asks_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

static void check_outcome(int rc, int argc, char **argv, const struct fz_capture *cap)
{
	if (rc == CLI_EXIT_OK) {
		FZ_CHECK(asks_help(argc, argv), "exit 0 without -h/--help");
		FZ_CHECK(cap->out_len && strstr(cap->out, "Usage: ndisirq run"),
			 "help without the usage text");
		FZ_CHECK(!cap->err_len, "help also printed '%s'", cap->err);
		return;
	}
	FZ_CHECK(rc == CLI_EXIT_USAGE, "cli_parse_run returned %d", rc);
	FZ_CHECK(!cap->out_len, "a usage error printed to stdout");
	FZ_CHECK(cap->err_len && !strncmp(cap->err, "ndisirq run: ", 13) &&
		 strstr(cap->err, "(see 'ndisirq run --help')\n"),
		 "usage error message '%s'", cap->err_len ? cap->err : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct args a;
	struct cli_run_opts o;
	struct fz_capture cap;
	int rc;

	args_split(&a, data, size);
	if (a.argc < 2 || strcmp(a.argv[1], "run")) {
		args_free(&a);
		return 0; /* main() dispatches on the name alone */
	}
	fz_capture_begin(&cap);
	rc = cli_parse_run(a.argc - 1, a.argv + 1, &o);
	fz_capture_end(&cap);
	if (rc == CLI_PARSE_RUN) {
		FZ_CHECK(!cap.out_len && !cap.err_len, "an accepted command line printed");
		check_ranges(&o);
		check_numbers(a.argc - 1, a.argv + 1);
		check_round_trip(&o);
	} else {
		check_outcome(rc, a.argc - 1, a.argv + 1, &cap);
	}
	fz_capture_free(&cap);
	args_free(&a);
	return 0;
}
