// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Command line of `ndisirq run`: the help texts and a strict parser whose
 * every error names the option, the value and the rule.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_usage_main(FILE *f)
{
	fputs("Usage: ndisirq COMMAND [ARGS]\n"
	      "\n"
	      "Run the interrupt path of a Windows NDIS 6 miniport in user space.\n"
	      "\n"
	      "Commands:\n"
	      "  run      load a miniport (.so with DriverEntry) and run it on a\n"
	      "           simulated PCI device or, through VFIO, on a real one;\n"
	      "           see 'ndisirq run --help'\n"
	      "  vm       run a miniport in a QEMU guest on an emulated device\n"
	      "           (edu, e1000e, e1000, ivshmem) through VFIO, no hardware\n"
	      "           or root needed; see 'ndisirq vm --help'\n"
	      "  bench    print interrupt delivery and DPC latency figures against\n"
	      "           the eventfd hand-off floors; see 'ndisirq bench --help'\n"
	      "  version  print the version\n"
	      "  help     print this text (also --help, -h)\n"
	      "\n"
	      "Exit status: 0 success; 1 a step failed or the verifier reported\n"
	      "misuse; 2 bad command line; vm only: 124 the guest did not finish\n"
	      "within --timeout, 125 the guest could not be built or booted, or\n"
	      "ended without reporting a status.\n", f);
}

void cli_usage_run(FILE *f)
{
	fputs("Usage: ndisirq run [--platform sim] --device edu|e1000e|e1000\n"
	      "                   [--processors N] [--policy NAME=VALUE]...\n"
	      "                   [--duration SECONDS] [--fault NAME[=N]]...\n"
	      "                   MINIPORT.so\n"
	      "       ndisirq run --platform vfio --device DDDD:BB:DD.F\n"
	      "                   [--processors N] [--policy NAME=VALUE]...\n"
	      "                   [--duration SECONDS] MINIPORT.so\n"
	      "\n"
	      "Loads MINIPORT.so and calls its DriverEntry (which calls\n"
	      "NdisMRegisterMiniportDriver), creates the simulated device or opens\n"
	      "the real PCI function through VFIO (bound to vfio-pci; docs/vfio.md),\n"
	      "assigns its interrupt resources (MSI-X, else MSI, else the line, as\n"
	      "the device and the policy allow), calls MiniportInitializeEx on a\n"
	      "passive thread, lets the adapter run for --duration seconds while a\n"
	      "generator raises device events (one cause every 200 us, round-robin:\n"
	      "edu status bit 0; e1000e/e1000 ICR causes RxQ0, RxQ1, TxQ0, TxQ1,\n"
	      "Other; on vfio by writing the device's trigger register through BAR0:\n"
	      "edu 0x60, e1000e/e1000 ICS 0xC8, ivshmem doorbell BAR0+12 over its\n"
	      "vectors; another device runs without events), calls MiniportHaltEx\n"
	      "and the driver's MiniportDriverUnload, and prints the\n"
	      "InterruptType granted, the message count and the per-message table:\n"
	      "message, processor, interrupts (ISR calls), claimed (ISR returned\n"
	      "TRUE), DPCs, coalesced (DPC requests that found it already queued),\n"
	      "ISR->DPC latency p50/p99 in ns.\n"
	      "\n"
	      "Options:\n"
	      "  --platform sim|vfio   sim (default): a simulated device; vfio: a real\n"
	      "                        PCI function bound to vfio-pci\n"
	      "  --device NAME|BDF     required. On sim a model: edu (QEMU edu: MSI\n"
	      "                        1 vector, INTx), e1000e (82574L: MSI-X 5, MSI\n"
	      "                        1, INTx), e1000 (82540EM: INTx only). On vfio\n"
	      "                        the PCI address DDDD:BB:DD.F, e.g. 0000:00:03.0\n"
	      "  --processors N        logical processors, 1..64 (default: the online\n"
	      "                        CPUs; may exceed them)\n"
	      "  --policy NAME=VALUE   adapter policy, repeatable (decimal or 0x hex):\n"
	      "                          MSISupported        0 or 1 (default 1)\n"
	      "                          MessageNumberLimit  1..2048 (default: none)\n"
	      "                          MaxNblsToIndicate   >= 1 (default 0xFFFFFFFF)\n"
	      "  --duration SECONDS    run time between initialize and halt, 0..86400,\n"
	      "                        decimals allowed (default 0: no events)\n"
	      "  --fault NAME[=N]      inject a fault (sim only), repeatable:\n"
	      "                          no-msi          the device has no MSI capability\n"
	      "                          no-msix         the device has no MSI-X capability\n"
	      "                          msix-count=N    advertise N MSI-X vectors (1..2048)\n"
	      "                          vector-limit=N  the platform provides at most N\n"
	      "                                          vectors (1..2048)\n"
	      "                          alloc-fail-at=N the Nth vector allocation fails\n"
	      "                          alloc-fail-all  every message allocation fails\n"
	      "                          spurious=VEC    also signal vector VEC (0..63)\n"
	      "                                          with no device cause\n"
	      "                          foreign-line    a foreign device also asserts\n"
	      "                                          the shared INTx line\n"
	      "  -h, --help            print this text\n"
	      "\n"
	      "Log lines and errors go to stderr, the report to stdout. The process\n"
	      "environment is passed to the miniport untouched.\n"
	      "Exit status: 0 when every step succeeded and the verifier reported\n"
	      "nothing; 1 otherwise (reason on stderr; e.g. the VFIO device cannot\n"
	      "be opened); 2 bad command line (e.g. a malformed PCI address).\n", f);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ndisirq %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'ndisirq %s --help')\n", cmd);
	return CLI_EXIT_USAGE;
}

#define usage_error(...) cli_usage_error("run", __VA_ARGS__)

/*
 * Decimal or 0x-hex unsigned integer in [min, max]; false on any junk. Only
 * digits of the base after the prefix: strtoull alone would also take
 * leading white space ("\t5"), a sign ("0x-0") and a second 0x ("0x0x5").
 */
bool cli_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	int base = 10;
	unsigned long long v;
	char *end;

	if (!s)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s || s[strspn(s, base == 16 ? "0123456789abcdefABCDEF" : "0123456789")])
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int parse_processors(const char *v, struct cli_run_opts *o)
{
	uint32_t n;

	if (!cli_parse_u32(v, 1, NIRQ_MAX_PROCESSORS, &n))
		return usage_error("--processors '%s': must be an integer in 1..%u",
				   v, NIRQ_MAX_PROCESSORS);
	o->processors = n;
	return 0;
}

int cli_parse_duration(const char *cmd, const char *v, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = *v ? strtod(v, &end) : -1.0;
	if (!*v || errno || *end || !isfinite(d) || d < 0.0 || d > CLI_MAX_DURATION)
		return cli_usage_error(cmd, "--duration '%s': must be a number of "
				       "seconds in 0..%.0f", v, CLI_MAX_DURATION);
	*out = d;
	return 0;
}

static int parse_duration(const char *v, struct cli_run_opts *o)
{
	return cli_parse_duration("run", v, &o->duration);
}

/* --device is resolved once the platform is known (check_device). */
static int parse_device(const char *v, struct cli_run_opts *o)
{
	o->device = v;
	return 0;
}

static int parse_platform(const char *v, struct cli_run_opts *o)
{
	if (!strcmp(v, "sim"))
		o->platform = CLI_PLATFORM_SIM;
	else if (!strcmp(v, "vfio"))
		o->platform = CLI_PLATFORM_VFIO;
	else
		return usage_error("--platform '%s': unknown platform; must be "
				   "'sim' or 'vfio'", v);
	return 0;
}

int cli_parse_policy(const char *cmd, const char *v, struct nirq_policy *policy)
{
	const char *eq = strchr(v, '=');
	const char *why = NULL;
	char name[64];
	int rc = -ENOENT; /* a name longer than any is unknown */

	if (!eq || eq == v)
		return cli_usage_error(cmd, "--policy '%s': must be NAME=VALUE", v);
	if ((size_t)(eq - v) < sizeof(name)) {
		memcpy(name, v, (size_t)(eq - v));
		name[eq - v] = '\0';
		rc = nirq_policy_set(policy, name, eq + 1, &why);
	}
	if (rc == -ENOENT)
		return cli_usage_error(cmd, "--policy '%s': unknown policy name "
				       "'%.*s'; must be one of MSISupported, "
				       "MessageNumberLimit, MaxNblsToIndicate "
				       "(case-sensitive)", v, (int)(eq - v), v);
	if (rc)
		return cli_usage_error(cmd, "--policy '%s': %s", v,
				       why ? why : "invalid value");
	return 0;
}

static int parse_policy(const char *v, struct cli_run_opts *o)
{
	return cli_parse_policy("run", v, &o->policy);
}

/* A fault that takes a number: where it goes and its range. */
struct fault_num {
	const char *name;
	uint32_t min, max;
};

static const struct fault_num fault_nums[] = {
	{ "msix-count", 1, 2048 },
	{ "vector-limit", 1, 2048 },
	{ "alloc-fail-at", 1, UINT32_MAX },
	{ "spurious", 0, NIRQ_MAX_MESSAGES - 1 },
};

static void fault_num_store(unsigned i, uint32_t n, struct cli_run_opts *o)
{
	switch (i) {
	case 0: o->faults.msix_count = n; break;
	case 1: o->faults.vector_limit = n; break;
	case 2: o->faults.alloc_fail_at = n; break;
	default: o->spurious = true; o->spurious_vec = n; break;
	}
}

static int parse_fault_flag(const char *v, struct cli_run_opts *o)
{
	if (!strcmp(v, "no-msi"))
		o->faults.no_msi = true;
	else if (!strcmp(v, "no-msix"))
		o->faults.no_msix = true;
	else if (!strcmp(v, "alloc-fail-all"))
		o->faults.alloc_fail_all = true;
	else if (!strcmp(v, "foreign-line"))
		o->foreign_line = true;
	else
		return usage_error("--fault '%s': unknown fault; must be one of "
				   "no-msi, no-msix, msix-count=N, vector-limit=N, "
				   "alloc-fail-at=N, alloc-fail-all, spurious=VEC, "
				   "foreign-line", v);
	return 0;
}

static int parse_fault(const char *v, struct cli_run_opts *o)
{
	const char *eq = strchr(v, '=');
	size_t len = eq ? (size_t)(eq - v) : strlen(v);
	uint32_t n;

	for (unsigned i = 0; i < sizeof(fault_nums) / sizeof(fault_nums[0]); i++) {
		const struct fault_num *f = &fault_nums[i];

		if (strlen(f->name) != len || strncmp(v, f->name, len))
			continue;
		if (!eq || !cli_parse_u32(eq + 1, f->min, f->max, &n))
			return usage_error("--fault '%s': %s needs =N, an integer "
					   "in %u..%u", v, f->name, f->min, f->max);
		fault_num_store(i, n, o);
		return 0;
	}
	if (eq)
		return usage_error("--fault '%s': fault '%.*s' takes no value "
				   "(or is unknown; see --help)", v, (int)len, v);
	return parse_fault_flag(v, o);
}

/* Options that take a value, and their handlers. */
static int apply_option(const char *opt, const char *v, struct cli_run_opts *o)
{
	if (!strcmp(opt, "--platform"))
		return parse_platform(v, o);
	if (!strcmp(opt, "--device"))
		return parse_device(v, o);
	if (!strcmp(opt, "--processors"))
		return parse_processors(v, o);
	if (!strcmp(opt, "--policy"))
		return parse_policy(v, o);
	if (!strcmp(opt, "--duration"))
		return parse_duration(v, o);
	if (!strcmp(opt, "--fault")) {
		if (!o->first_fault)
			o->first_fault = v;
		return parse_fault(v, o);
	}
	return usage_error("unknown option '%s'", opt);
}

static bool takes_value(const char *opt)
{
	static const char *const names[] = { "--platform", "--device",
		"--processors", "--policy", "--duration", "--fault" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(opt, names[i]))
			return true;
	return false;
}

/* One "--opt", "--opt VALUE" or "--opt=VALUE" at argv[*i]. */
static int parse_option(int argc, char **argv, int *i, struct cli_run_opts *o)
{
	char opt[32];
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

	if (len >= sizeof(opt))
		return usage_error("unknown option '%s'", arg);
	memcpy(opt, arg, len);
	opt[len] = '\0';
	if (!takes_value(opt))
		return usage_error("unknown option '%s'", arg);
	if (eq)
		return apply_option(opt, eq + 1, o);
	if (*i + 1 >= argc)
		return usage_error("option '%s' needs a value", opt);
	*i += 1;
	return apply_option(opt, argv[*i], o);
}

/* Faults the device model cannot take (e.g. a larger MSI-X table than fits). */
static int check_faults(const struct cli_run_opts *o)
{
	struct nirq_sim_config cfg;
	char why[200];

	nirq_sim_config_init(&cfg, o->model);
	cfg.faults = o->faults;
	if (nirq_sim_config_check(&cfg, why, sizeof(why)))
		return usage_error("--fault on --device %s: %s",
				   nirq_sim_model_name(o->model), why);
	return 0;
}

/* --device as a sim model or a PCI address, by --platform. */
static int check_device(struct cli_run_opts *o)
{
	char why[200];

	if (o->platform == CLI_PLATFORM_VFIO) {
		if (!o->device)
			return usage_error("--device is required (the PCI address "
					   "DDDD:BB:DD.F of a function bound to vfio-pci)");
		if (nirq_vfio_bdf_check(o->device, why, sizeof(why)))
			return usage_error("--device: %s", why);
		if (o->first_fault)
			return usage_error("--fault '%s': faults are injected into "
					   "simulated devices only; not available with "
					   "--platform vfio", o->first_fault);
		o->bdf = o->device;
		return 0;
	}
	if (!o->device)
		return usage_error("--device is required (edu, e1000e or e1000)");
	o->model = nirq_sim_model_parse(o->device);
	if (!o->model)
		return usage_error("--device '%s': unknown device; must be one of "
				   "edu, e1000e, e1000 (or a PCI address with "
				   "--platform vfio)", o->device);
	return 0;
}

static int check_complete(struct cli_run_opts *o)
{
	if (check_device(o))
		return CLI_EXIT_USAGE;
	if (o->platform == CLI_PLATFORM_SIM && check_faults(o))
		return CLI_EXIT_USAGE;
	if (!o->miniport)
		return usage_error("MINIPORT.so is required (the miniport's shared "
				   "object)");
	return CLI_PARSE_RUN;
}

static int set_miniport(const char *arg, struct cli_run_opts *o)
{
	if (o->miniport)
		return usage_error("unexpected argument '%s': only one MINIPORT.so "
				   "('%s' given already)", arg, o->miniport);
	o->miniport = arg;
	return 0;
}

int cli_parse_run(int argc, char **argv, struct cli_run_opts *o)
{
	bool options_done = false;
	int rc;

	*o = (struct cli_run_opts){ 0 };
	nirq_policy_init(&o->policy);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_done && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
			cli_usage_run(stdout);
			return CLI_EXIT_OK;
		}
		if (!options_done && !strcmp(arg, "--")) {
			options_done = true;
			continue;
		}
		if (!options_done && arg[0] == '-' && arg[1] != '\0')
			rc = parse_option(argc, argv, &i, o);
		else
			rc = set_miniport(arg, o);
		if (rc)
			return rc;
	}
	return check_complete(o);
}
