// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * `ndisirq vm`, the front end: a strict parser whose every error names the
 * option, the value and the rule, then exec of the runner ndisirq-vm
 * (tools/ndisirq/vm/) with the internal protocol below. The runner boots a
 * QEMU guest and runs `ndisirq run --platform vfio` inside it.
 *
 * Runner protocol (exact; the runner parses it and nothing else does):
 *   RUNNER --ndisirq /abs/ndisirq --device TOKEN --smp N --memory MIB
 *          --timeout S [--console] [--env NAME=VALUE]... --miniport /abs/MP.so
 *          -- [--policy NAME=VALUE]... [--duration S] [EXTRA]...
 * TOKEN is edu, e1000e, e1000 or ivshmem:N.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef NIRQ_BIN_TO_LIBEXEC
#define NIRQ_BIN_TO_LIBEXEC "../libexec"
#endif

#define VM_SMP_MIN 1
#define VM_SMP_MAX 8
#define VM_SMP_DEFAULT 2
#define VM_MEMORY_MIN 128 /* MiB: the kernel, initramfs and libc fit */
#define VM_MEMORY_MAX 4096
#define VM_MEMORY_DEFAULT 512
#define VM_VECTORS_MAX 1024 /* ivshmem-doorbell MSI-X vectors */
#define VM_TIMEOUT_MIN 10
#define VM_TIMEOUT_MAX 90000 /* one day of --duration plus boot */
/* Default --timeout: this plus the duration; a guest boots in ~15 s. */
#define VM_TIMEOUT_BOOT 300

#define VM_RUNNER_NAME "ndisirq-vm"

/* Result of parsing: exec the runner, or exit now with this status. */
#define VM_PARSE_EXEC (-1)

struct vm_opts {
	char device[24];          /* runner TOKEN: edu, e1000e, e1000, ivshmem:N */
	uint32_t smp;             /* --smp */
	uint32_t memory;          /* --memory, MiB */
	uint32_t timeout;         /* --timeout, seconds; 0 = default */
	const char *duration;     /* --duration as given, or NULL */
	double duration_s;        /* --duration, seconds */
	bool console;             /* --console */
	struct nirq_policy policy; /* checks --policy as `ndisirq run` does */
	const char **policies;    /* --policy values as given */
	unsigned npolicies;
	const char **envs;        /* --env values */
	unsigned nenvs;
	const char *miniport;     /* MINIPORT.so as given */
	char **extra;             /* arguments after "--" */
	int nextra;
};

void cli_usage_vm(FILE *f)
{
	fputs("Usage: ndisirq vm --device edu|e1000e|e1000|ivshmem[:VECTORS]\n"
	      "                  [--smp N] [--memory MIB] [--policy NAME=VALUE]...\n"
	      "                  [--duration SECONDS] [--env NAME=VALUE]...\n"
	      "                  [--timeout SECONDS] [--console]\n"
	      "                  MINIPORT.so [-- extra arguments for ndisirq run]\n"
	      "\n"
	      "Runs MINIPORT.so on one of QEMU's emulated PCI devices, with no\n"
	      "hardware and no root: boots a QEMU guest under TCG (q35 with an\n"
	      "emulated IOMMU) with one device of the model asked for, bound to\n"
	      "vfio-pci in the guest, copies MINIPORT.so in and runs\n"
	      "'ndisirq run --platform vfio' on that device with the given policies,\n"
	      "duration and environment variables. Its stdout is streamed to stdout\n"
	      "and its stderr to stderr; progress (building initramfs, booting,\n"
	      "running) and host-side errors go to stderr as well.\n"
	      "\n"
	      "The guest is the vm test tier's (kernel, initramfs, QEMU settings).\n"
	      "The first run downloads Debian's kernel package into\n"
	      "~/.cache/ndisirq/vm (NIRQ_VM_CACHE); later runs reuse it. Needs\n"
	      "qemu-system-x86, busybox-static, cpio and xz-utils on the host.\n"
	      "\n"
	      "Options:\n"
	      "  --device MODEL        required, the emulated device:\n"
	      "                          edu          QEMU edu (MSI 1 vector, INTx)\n"
	      "                          e1000e       82574L (MSI-X 5, MSI 1, INTx)\n"
	      "                          e1000        82540EM (INTx only)\n"
	      "                          ivshmem[:N]  ivshmem-doorbell with N MSI-X\n"
	      "                                       vectors, 1..1024 (default 1)\n"
	      "  --smp N               guest CPUs, 1..8 (default 2)\n"
	      "  --memory MIB          guest memory in MiB, 128..4096 (default 512)\n"
	      "  --policy NAME=VALUE   adapter policy, repeatable, as for ndisirq run:\n"
	      "                        MSISupported, MessageNumberLimit,\n"
	      "                        MaxNblsToIndicate (see 'ndisirq run --help')\n"
	      "  --duration SECONDS    run time between initialize and halt, 0..86400,\n"
	      "                        decimals allowed (default 0: no events)\n"
	      "  --env NAME=VALUE      environment variable for ndisirq run and the\n"
	      "                        miniport in the guest, repeatable; NAME is\n"
	      "                        [A-Za-z_][A-Za-z0-9_]*, VALUE anything (may be\n"
	      "                        empty)\n"
	      "  --timeout SECONDS     give up when the guest has not finished after\n"
	      "                        this many seconds, boot included: an integer\n"
	      "                        in 10..90000, greater than --duration\n"
	      "                        (default 300 + the duration rounded up)\n"
	      "  --console             show the whole guest console on stderr\n"
	      "  -h, --help            print this text\n"
	      "  -- ARGS...            further arguments for ndisirq run in the guest,\n"
	      "                        passed unchanged; not --platform or --device\n"
	      "                        (ndisirq vm sets them)\n"
	      "\n"
	      "Environment:\n"
	      "  NIRQ_VM_CACHE         kernel cache directory (default\n"
	      "                        ~/.cache/ndisirq/vm)\n"
	      "  NIRQ_VM_RUNNER        run this program instead of the runner\n"
	      "                        ndisirq-vm (for tests)\n"
	      "\n"
	      "Exit status: that of ndisirq run in the guest (0 success; 1 a step\n"
	      "failed or the verifier reported misuse; 2 bad command line; 128+N\n"
	      "killed by signal N); 2 also for a bad command line on the host; 124\n"
	      "the guest did not finish within --timeout; 125 the guest could not be\n"
	      "built or booted, or ended without reporting a status (reason on\n"
	      "stderr).\n", f);
}

#define usage_error(...) cli_usage_error("vm", __VA_ARGS__)

static int vm_error(const char *fmt, ...) NIRQ_PRINTF(1, 2);

/* The runner cannot be started: the guest cannot be built (exit 125). */
static int vm_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ndisirq vm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_VM_FAILED;
}

/* ---- options */

static int parse_device(const char *v, struct vm_opts *o)
{
	static const char *const models[] = { "edu", "e1000e", "e1000", "ivshmem" };
	const char *colon = strchr(v, ':');
	size_t len = colon ? (size_t)(colon - v) : strlen(v);
	const char *model = NULL;
	uint32_t n = 1;

	for (unsigned i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (strlen(models[i]) == len && !strncmp(v, models[i], len))
			model = models[i];
	if (!model)
		return usage_error("--device '%s': unknown device model '%.*s'; must "
				   "be one of edu, e1000e, e1000, ivshmem[:VECTORS]",
				   v, (int)len, v);
	if (colon && strcmp(model, "ivshmem"))
		return usage_error("--device '%s': only ivshmem takes :VECTORS", v);
	if (colon && !cli_parse_u32(colon + 1, 1, VM_VECTORS_MAX, &n))
		return usage_error("--device '%s': VECTORS must be an integer in "
				   "1..%u", v, VM_VECTORS_MAX);
	if (strcmp(model, "ivshmem"))
		snprintf(o->device, sizeof(o->device), "%s", model);
	else
		snprintf(o->device, sizeof(o->device), "ivshmem:%u", n);
	return 0;
}

static int parse_smp(const char *v, struct vm_opts *o)
{
	if (!cli_parse_u32(v, VM_SMP_MIN, VM_SMP_MAX, &o->smp))
		return usage_error("--smp '%s': must be an integer in %u..%u (guest "
				   "CPUs)", v, VM_SMP_MIN, VM_SMP_MAX);
	return 0;
}

static int parse_memory(const char *v, struct vm_opts *o)
{
	if (!cli_parse_u32(v, VM_MEMORY_MIN, VM_MEMORY_MAX, &o->memory))
		return usage_error("--memory '%s': must be an integer in %u..%u "
				   "(MiB)", v, VM_MEMORY_MIN, VM_MEMORY_MAX);
	return 0;
}

static int parse_timeout(const char *v, struct vm_opts *o)
{
	if (!cli_parse_u32(v, VM_TIMEOUT_MIN, VM_TIMEOUT_MAX, &o->timeout))
		return usage_error("--timeout '%s': must be an integer number of "
				   "seconds in %u..%u", v, VM_TIMEOUT_MIN,
				   VM_TIMEOUT_MAX);
	return 0;
}

/* As `ndisirq run --duration`, kept as given for the guest. */
static int parse_duration(const char *v, struct vm_opts *o)
{
	int rc = cli_parse_duration("vm", v, &o->duration_s);

	if (!rc)
		o->duration = v;
	return rc;
}

/* As `ndisirq run --policy` (the same messages), kept as given. */
static int parse_policy(const char *v, struct vm_opts *o)
{
	int rc = cli_parse_policy("vm", v, &o->policy);

	if (!rc)
		o->policies[o->npolicies++] = v;
	return rc;
}

static bool env_name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

static int parse_env(const char *v, struct vm_opts *o)
{
	const char *eq = strchr(v, '=');

	if (!eq)
		return usage_error("--env '%s': must be NAME=VALUE", v);
	if (eq == v)
		return usage_error("--env '%s': NAME is empty; must match "
				   "[A-Za-z_][A-Za-z0-9_]*", v);
	for (const char *c = v; c < eq; c++)
		if (!env_name_char(*c, c == v))
			return usage_error("--env '%s': NAME '%.*s' must match "
					   "[A-Za-z_][A-Za-z0-9_]*", v,
					   (int)(eq - v), v);
	o->envs[o->nenvs++] = v;
	return 0;
}

/* Options that take a value, and their handlers. */
static const struct vm_option {
	const char *name;
	int (*parse)(const char *v, struct vm_opts *o);
} vm_options[] = {
	{ "--device", parse_device },
	{ "--smp", parse_smp },
	{ "--memory", parse_memory },
	{ "--policy", parse_policy },
	{ "--duration", parse_duration },
	{ "--env", parse_env },
	{ "--timeout", parse_timeout },
};

static const struct vm_option *find_option(const char *arg, size_t len)
{
	for (unsigned i = 0; i < sizeof(vm_options) / sizeof(vm_options[0]); i++)
		if (strlen(vm_options[i].name) == len &&
		    !strncmp(arg, vm_options[i].name, len))
			return &vm_options[i];
	return NULL;
}

/* One "--console", "--opt VALUE" or "--opt=VALUE" at argv[*i]. */
static int parse_option(int argc, char **argv, int *i, struct vm_opts *o)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct vm_option *opt;

	if (len == strlen("--console") && !strncmp(arg, "--console", len)) {
		if (eq)
			return usage_error("option '--console' takes no value "
					   "('%s' given)", arg);
		o->console = true;
		return 0;
	}
	opt = find_option(arg, len);
	if (!opt)
		return usage_error("unknown option '%s'", arg);
	if (eq)
		return opt->parse(eq + 1, o);
	if (*i + 1 >= argc)
		return usage_error("option '%s' needs a value", opt->name);
	*i += 1;
	return opt->parse(argv[*i], o);
}

static int set_miniport(const char *arg, struct vm_opts *o)
{
	if (o->miniport)
		return usage_error("unexpected argument '%s': only one MINIPORT.so "
				   "('%s' given already; arguments for ndisirq run "
				   "go after '--')", arg, o->miniport);
	o->miniport = arg;
	return 0;
}

/* ndisirq vm chooses the platform and the device of `ndisirq run`. */
static bool is_reserved_run_arg(const char *arg)
{
	static const char *const names[] = { "--platform", "--device" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len = strlen(names[i]);

		if (!strncmp(arg, names[i], len) &&
		    (arg[len] == '\0' || arg[len] == '='))
			return true;
	}
	return false;
}

static int set_extra(int argc, char **argv, int first, struct vm_opts *o)
{
	for (int i = first; i < argc; i++)
		if (is_reserved_run_arg(argv[i]))
			return usage_error("argument '%s' after '--': ndisirq vm "
					   "sets --platform and --device of ndisirq "
					   "run itself (use --device before '--')",
					   argv[i]);
	o->extra = argv + first;
	o->nextra = argc - first;
	return 0;
}

/* ---- the miniport: an x86-64 ELF shared object */

static unsigned le16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

/* What is wrong with the ELF header in @h (@n bytes), or NULL. */
static const char *elf_problem(const unsigned char *h, size_t n)
{
	enum { EI_CLASS_ = 4, EI_DATA_ = 5, E_TYPE = 16, E_MACHINE = 18,
	       EHDR64_SIZE = 64 };

	if (n < 4 || memcmp(h, "\x7f" "ELF", 4))
		return "not an ELF file";
	if (n < EHDR64_SIZE)
		return "ELF header truncated";
	if (h[EI_CLASS_] != 2)
		return "not ELF64 (a 32-bit object?)";
	if (h[EI_DATA_] != 1)
		return "not little-endian";
	if (le16(h + E_MACHINE) != 62) /* EM_X86_64 */
		return "not for x86-64";
	if (le16(h + E_TYPE) != 3) /* ET_DYN */
		return "not a shared object (e_type is not ET_DYN)";
	return NULL;
}

static int check_miniport(const char *path)
{
	unsigned char h[64];
	const char *why;
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(path, &st))
		return usage_error("MINIPORT.so '%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return usage_error("MINIPORT.so '%s': not a regular file; must be "
				   "the miniport's shared object", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return usage_error("MINIPORT.so '%s': cannot be read: %s", path,
				   strerror(errno));
	n = pread(fd, h, sizeof(h), 0);
	if (n < 0) {
		int err = errno;

		close(fd);
		return usage_error("MINIPORT.so '%s': cannot be read: %s", path,
				   strerror(err));
	}
	close(fd);
	why = elf_problem(h, (size_t)n);
	if (why)
		return usage_error("MINIPORT.so '%s': %s; must be an ELF64 "
				   "little-endian x86-64 shared object (ET_DYN)",
				   path, why);
	return 0;
}

/* ---- the whole command line */

static int check_complete(struct vm_opts *o)
{
	if (!o->device[0])
		return usage_error("--device is required (edu, e1000e, e1000 or "
				   "ivshmem[:VECTORS])");
	if (!o->miniport)
		return usage_error("MINIPORT.so is required (the miniport's shared "
				   "object)");
	if (!o->timeout)
		o->timeout = VM_TIMEOUT_BOOT + (uint32_t)ceil(o->duration_s);
	else if ((double)o->timeout <= o->duration_s)
		return usage_error("--timeout %u: must be greater than --duration "
				   "%s (the guest boots first)", o->timeout,
				   o->duration);
	if (check_miniport(o->miniport))
		return CLI_EXIT_USAGE;
	return VM_PARSE_EXEC;
}

static int vm_parse(int argc, char **argv, struct vm_opts *o)
{
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			cli_usage_vm(stdout);
			return CLI_EXIT_OK;
		}
		if (!strcmp(arg, "--")) {
			rc = set_extra(argc, argv, i + 1, o);
			if (rc)
				return rc;
			break;
		}
		if (arg[0] == '-' && arg[1] != '\0')
			rc = parse_option(argc, argv, &i, o);
		else
			rc = set_miniport(arg, o);
		if (rc)
			return rc;
	}
	return check_complete(o);
}

/* ---- the runner */

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static char *join(const char *dir, const char *rel)
{
	size_t len = strlen(dir) + 1 + strlen(rel) + 1;
	char *p = malloc(len);

	if (p)
		snprintf(p, len, "%s/%s", dir, rel);
	return p;
}

/*
 * The runner: $NIRQ_VM_RUNNER; else vm/ndisirq-vm beside the program (the
 * build tree); else the installed one, NIRQ_BIN_TO_LIBEXEC/ndisirq/ from
 * the program's directory. Return: malloc'ed path, or NULL (reported).
 */
static char *find_runner(const char *self)
{
	const char *env = getenv("NIRQ_VM_RUNNER");
	const char *slash = strrchr(self, '/');
	char *dir, *build, *installed;

	if (env && *env) {
		if (exists(env))
			return strdup(env);
		vm_error("the runner is not found: NIRQ_VM_RUNNER='%s': %s", env,
			 strerror(errno));
		return NULL;
	}
	dir = strndup(self, slash ? (size_t)(slash - self) : 0);
	build = dir ? join(dir, "vm/" VM_RUNNER_NAME) : NULL;
	installed = dir ? join(dir, NIRQ_BIN_TO_LIBEXEC "/ndisirq/" VM_RUNNER_NAME)
			: NULL;
	free(dir);
	if (build && installed && exists(build)) {
		free(installed);
		return build;
	}
	if (build && installed && exists(installed)) {
		free(build);
		return installed;
	}
	if (build && installed)
		vm_error("the runner " VM_RUNNER_NAME " is not found; looked at "
			 "%s and %s (is ndisirq installed or built completely?)",
			 build, installed);
	else
		vm_error("out of memory");
	free(build);
	free(installed);
	return NULL;
}

static void push(char **argv, int *n, const char *a, const char *b)
{
	argv[(*n)++] = (char *)a;
	if (b)
		argv[(*n)++] = (char *)b;
}

/* The runner's argv by the protocol; numbers in @num (3 x 12 bytes). */
static char **runner_argv(const struct vm_opts *o, const char *runner,
			  const char *self, const char *miniport, char num[][12])
{
	/*
	 * The runner (1), --ndisirq, --device, --smp, --memory, --timeout with
	 * their values (10), --console (1), --miniport and its value (2), "--"
	 * (1), --duration and its value (2), the NULL (1): 18; then two per
	 * --env and --policy, one per extra argument.
	 */
	int max = 18 + 2 * (int)(o->nenvs + o->npolicies) + o->nextra;
	char **argv = calloc((size_t)max, sizeof(*argv));
	int n = 0;

	if (!argv)
		return NULL;
	snprintf(num[0], 12, "%u", o->smp);
	snprintf(num[1], 12, "%u", o->memory);
	snprintf(num[2], 12, "%u", o->timeout);
	push(argv, &n, runner, NULL);
	push(argv, &n, "--ndisirq", self);
	push(argv, &n, "--device", o->device);
	push(argv, &n, "--smp", num[0]);
	push(argv, &n, "--memory", num[1]);
	push(argv, &n, "--timeout", num[2]);
	if (o->console)
		push(argv, &n, "--console", NULL);
	for (unsigned i = 0; i < o->nenvs; i++)
		push(argv, &n, "--env", o->envs[i]);
	push(argv, &n, "--miniport", miniport);
	push(argv, &n, "--", NULL);
	for (unsigned i = 0; i < o->npolicies; i++)
		push(argv, &n, "--policy", o->policies[i]);
	if (o->duration)
		push(argv, &n, "--duration", o->duration);
	for (int i = 0; i < o->nextra; i++)
		push(argv, &n, o->extra[i], NULL);
	argv[n] = NULL;
	return argv;
}

static int vm_exec(const struct vm_opts *o)
{
	char *self = realpath("/proc/self/exe", NULL);
	char *miniport = NULL, *runner = NULL;
	char **argv = NULL;
	char num[3][12];
	int rc = CLI_EXIT_VM_FAILED;

	if (!self) {
		vm_error("cannot find this program through /proc/self/exe: %s",
			 strerror(errno));
		goto out;
	}
	miniport = realpath(o->miniport, NULL);
	if (!miniport) {
		rc = usage_error("MINIPORT.so '%s': %s", o->miniport,
				 strerror(errno));
		goto out;
	}
	runner = find_runner(self);
	if (!runner)
		goto out;
	argv = runner_argv(o, runner, self, miniport, num);
	if (!argv) {
		vm_error("out of memory");
		goto out;
	}
	fflush(NULL);
	execv(runner, argv);
	vm_error("cannot execute the runner '%s': %s", runner, strerror(errno));
out:
	free(argv);
	free(runner);
	free(miniport);
	free(self);
	return rc;
}

int cli_vm_main(int argc, char **argv)
{
	struct vm_opts o = {
		.smp = VM_SMP_DEFAULT,
		.memory = VM_MEMORY_DEFAULT,
	};
	int rc;

	nirq_policy_init(&o.policy);
	o.policies = calloc((size_t)argc, sizeof(*o.policies));
	o.envs = calloc((size_t)argc, sizeof(*o.envs));
	if (!o.policies || !o.envs)
		rc = vm_error("out of memory");
	else
		rc = vm_parse(argc, argv, &o);
	if (rc == VM_PARSE_EXEC)
		rc = vm_exec(&o);
	free(o.policies);
	free(o.envs);
	return rc;
}
