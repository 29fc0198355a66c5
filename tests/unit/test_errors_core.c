/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Bad input to the native API (docs/errors.md, "Adapter policy" and
 * "Native API"): nirq_policy_set's statuses and why texts, the runtime,
 * interrupt connection, synchronize and register mapping, and the runtime
 * destroyed with an interrupt still connected.
 */
#include <errno.h>
#include <stdlib.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_platform_sim.h>

#include "core_fixture.h"
#include "core_recorder.h"
#include "errors_util.h"

#define WHY_NUMBER "the value must be a decimal or 0x-hexadecimal unsigned 32-bit number"

/* ------------------------------------------------------------- policy */

static int policy_set(const char *name, const char *value, const char **why)
{
	struct nirq_policy pol, before;
	int rc;

	nirq_policy_init(&pol);
	before = pol;
	*why = NULL;
	rc = nirq_policy_set(&pol, name, value, why);
	if (rc)
		assert_memory_equal(&pol, &before, sizeof(pol)); /* untouched */
	return rc;
}

static void test_policy_unknown_name_is_enoent_listing_the_names(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(policy_set("MSIXSupported", "1", &why), -ENOENT);
	assert_string_equal(why, "known policies: MSISupported, MessageNumberLimit, "
			    "MaxNblsToIndicate");
}

static void test_policy_value_that_is_not_a_number_is_einval(void **state)
{
	static const char *const bad[] = { "", "x", "1x", "-1", "+1", " 1", "1 ",
					   "0x", "0x1g", "4294967296", "1e3" };
	const char *why;

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(policy_set("MessageNumberLimit", bad[i], &why), -EINVAL);
		assert_string_equal(why, WHY_NUMBER);
	}
	assert_int_equal(policy_set("MessageNumberLimit", NULL, &why), -EINVAL);
	assert_string_equal(why, WHY_NUMBER);
}

static void test_policy_msi_supported_2_is_erange_with_its_rule(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(policy_set("MSISupported", "2", &why), -ERANGE);
	assert_string_equal(why, "MSISupported must be 0 or 1");
}

static void test_policy_message_number_limit_0_is_erange_with_its_rule(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(policy_set("MessageNumberLimit", "0", &why), -ERANGE);
	assert_string_equal(why, "MessageNumberLimit must be 1..2048 (MSI takes 1, 2, 4, "
			    "8, 16 or 32)");
}

static void test_policy_message_number_limit_2049_is_erange_with_its_rule(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(policy_set("MessageNumberLimit", "0x801", &why), -ERANGE);
	assert_string_equal(why, "MessageNumberLimit must be 1..2048 (MSI takes 1, 2, 4, "
			    "8, 16 or 32)");
}

static void test_policy_max_nbls_0_is_erange_with_its_rule(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(policy_set("MaxNblsToIndicate", "0", &why), -ERANGE);
	assert_string_equal(why, "MaxNblsToIndicate must be 1..4294967295 (0xFFFFFFFF = "
			    "NDIS_INDICATE_ALL_NBLS)");
}

/* ------------------------------------------------------------ runtime */

static void test_rt_create_with_bad_config_is_einval(void **state)
{
	struct nirq_rt_config cfg;
	struct nirq_rt *rt = NULL;

	(void)state;
	assert_int_equal(nirq_rt_create(NULL, &rt), -EINVAL);
	nirq_rt_config_init(&cfg);
	cfg.size = 8;
	assert_int_equal(nirq_rt_create(&cfg, &rt), -EINVAL);
	nirq_rt_config_init(&cfg);
	cfg.processors = NIRQ_MAX_PROCESSORS + 1;
	cfg.manual = true;
	assert_int_equal(nirq_rt_create(&cfg, &rt), -EINVAL);
	assert_null(rt);
}

static void nothing(void *arg)
{
	*(bool *)arg = true;
}

static void test_run_passive_above_passive_is_eperm(void **state)
{
	struct core_fixture fx;
	struct core_fixture_opts o;
	bool ran = false;
	uint8_t old;
	int rc;

	(void)state;
	core_fixture_opts_init(&o);
	o.no_assign = true;
	assert_int_equal(core_fixture_setup(&fx, &o), 0);
	old = nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	rc = nirq_rt_run_passive(fx.rt, nothing, &ran);
	nirq_irql_lower(old);
	assert_int_equal(rc, -EPERM);
	assert_false(ran);
	core_fixture_teardown(&fx);
}

/* The fixture with a grant of the fake's five MSI-X messages. */
struct t {
	struct core_fixture fx;
	struct rec rec;
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	struct core_fixture_opts o;

	core_fixture_opts_init(&o);
	assert_int_equal(core_fixture_setup(&t->fx, &o), 0);
	rec_init(&t->rec, &t->fx);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	core_fixture_teardown(&t->fx);
	rec_fini(&t->rec);
	free(t);
	return 0;
}

static int run_passive_rc;

static void run_passive_from_isr(struct rec *r, uint32_t msg)
{
	bool ran = false;

	(void)msg;
	run_passive_rc = nirq_rt_run_passive(r->fx->rt, nothing, &ran);
}

static void test_run_passive_from_a_processor_is_eperm(void **state)
{
	struct t *t = *state;

	t->rec.isr_hook = run_passive_from_isr;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	fake_fire(t->fx.pf, 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_isr_calls(&t->rec, 0), 1);
	assert_int_equal(run_passive_rc, -EPERM);
}

/* ---------------------------------------------------------- interrupts */

static void test_intr_connect_with_bad_config_size_is_einval(void **state)
{
	struct t *t = *state;
	struct nirq_intr_config cfg;

	rec_config(&t->rec, &cfg, false);
	cfg.size = 4;
	assert_int_equal(nirq_intr_connect(t->fx.rt, t->fx.pf, &t->fx.grant, &cfg,
					   &t->fx.intr), -EINVAL);
	t->fx.intr = NULL;
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_UNMASK), 0);
}

static void test_intr_connect_to_a_grant_without_interrupt_is_einval(void **state)
{
	struct t *t = *state;
	struct nirq_intr_config cfg;
	struct nirq_grant none = { .kind = NIRQ_KIND_NONE, .processors = 4 };

	rec_config(&t->rec, &cfg, false);
	assert_int_equal(nirq_intr_connect(t->fx.rt, t->fx.pf, &none, &cfg, &t->fx.intr),
			 -EINVAL);
	t->fx.intr = NULL;
}

static void test_intr_connect_to_a_grant_of_another_runtime_is_einval(void **state)
{
	struct t *t = *state;
	struct nirq_intr_config cfg;

	rec_config(&t->rec, &cfg, false);
	t->fx.grant.processors = 2; /* assigned for a 2-processor runtime */
	assert_int_equal(nirq_intr_connect(t->fx.rt, t->fx.pf, &t->fx.grant, &cfg,
					   &t->fx.intr), -EINVAL);
	t->fx.grant.processors = 4;
	t->fx.intr = NULL;
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_UNMASK), 0);
}

static bool must_not_run(void *arg)
{
	*(bool *)arg = true;
	return true;
}

static void test_intr_sync_on_a_message_outside_the_grant_is_false(void **state)
{
	struct t *t = *state;
	bool ran = false;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_false(nirq_intr_sync(t->fx.intr, 5, must_not_run, &ran));
	assert_false(ran);
	assert_int_equal(nirq_rt_reports(t->fx.rt), 0);
}

/* The runtime's last words name the leak; the object stays reachable here,
 * so leak checkers see what the report says, not a lost block. */
static struct nirq_intr *volatile leaked;

static void test_rt_destroyed_with_an_interrupt_connected_is_reported(void **state)
{
	struct t *t = *state;
	uintptr_t rt = (uintptr_t)t->fx.rt; /* only printed once it is freed */

	assert_int_equal(rec_connect(&t->rec, false), 0);
	leaked = t->fx.intr;
	t->fx.intr = NULL;
	nirq_rt_destroy(t->fx.rt);
	t->fx.rt = NULL;
	expect_report(&t->fx.log, "runtime destroyed with interrupts connected",
		      (void *)rt, "1 interrupt(s) still connected; they are leaked");
}

/* ------------------------------------------------------------- mapping */

static void test_mmio_map_of_an_io_bar_is_einval(void **state)
{
	struct nirq_sim_config sc;
	struct nirq_platform *pf;
	void *va = NULL;

	(void)state;
	nirq_sim_config_init(&sc, NIRQ_SIM_E1000E);
	assert_int_equal(nirq_sim_create(&sc, &pf), 0);
	assert_int_equal(nirq_mmio_map(pf, 2, &va), -EINVAL); /* BAR2: I/O ports */
	assert_int_equal(nirq_mmio_map(pf, 4, &va), -EINVAL); /* BAR4: none */
	assert_int_equal(nirq_mmio_map(pf, 6, &va), -EINVAL); /* no BAR6 */
	assert_null(va);
	pf->ops->destroy(pf);
}

/* A platform of endless one-page memory BARs (only what nirq_mmio_map uses). */
static char pages[80];
static unsigned mapped;

static int bar_page(struct nirq_platform *pf, unsigned bar, struct nirq_bar_info *out)
{
	(void)pf, (void)bar;
	*out = (struct nirq_bar_info){ .bus_addr = 0x1000, .size = 1 };
	return 0;
}

static int map_page(struct nirq_platform *pf, unsigned bar, void **va, bool *direct)
{
	(void)pf, (void)bar;
	*va = &pages[mapped++];
	*direct = true;
	return 0;
}

static void unmap_page(struct nirq_platform *pf, unsigned bar, void *va)
{
	(void)pf, (void)bar, (void)va;
	mapped--;
}

static void test_mmio_map_beyond_64_mappings_is_enospc(void **state)
{
	static const struct nirq_platform_ops ops = {
		.name = "pages", .bar_info = bar_page, .map_bar = map_page,
		.unmap_bar = unmap_page,
	};
	struct nirq_platform pf = { .ops = &ops };
	void *va[65] = { NULL };
	unsigned n = 0;

	(void)state;
	while (n < 65 && nirq_mmio_map(&pf, 0, &va[n]) == 0)
		n++;
	assert_int_equal(n, 64);
	assert_int_equal(nirq_mmio_map(&pf, 0, &va[64]), -ENOSPC);
	assert_int_equal(mapped, 64); /* the 65th window was given back */
	while (n)
		nirq_mmio_unmap(va[--n]);
}

#define F(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_unknown_name_is_enoent_listing_the_names),
		cmocka_unit_test(test_policy_value_that_is_not_a_number_is_einval),
		cmocka_unit_test(test_policy_msi_supported_2_is_erange_with_its_rule),
		cmocka_unit_test(test_policy_message_number_limit_0_is_erange_with_its_rule),
		cmocka_unit_test(test_policy_message_number_limit_2049_is_erange_with_its_rule),
		cmocka_unit_test(test_policy_max_nbls_0_is_erange_with_its_rule),
		cmocka_unit_test(test_rt_create_with_bad_config_is_einval),
		cmocka_unit_test(test_run_passive_above_passive_is_eperm),
		F(test_run_passive_from_a_processor_is_eperm),
		F(test_intr_connect_with_bad_config_size_is_einval),
		F(test_intr_connect_to_a_grant_without_interrupt_is_einval),
		F(test_intr_connect_to_a_grant_of_another_runtime_is_einval),
		F(test_intr_sync_on_a_message_outside_the_grant_is_false),
		F(test_rt_destroyed_with_an_interrupt_connected_is_reported),
		cmocka_unit_test(test_mmio_map_of_an_io_bar_is_einval),
		cmocka_unit_test(test_mmio_map_beyond_64_mappings_is_enospc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
