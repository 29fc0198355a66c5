/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of the adapter policy (nirq_policy_init, nirq_policy_set): the
 * registry-value equivalents MSISupported, MessageNumberLimit and
 * MaxNblsToIndicate, their parsing and their range rules.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <ndisirq/ndisirq.h>

static int set(struct nirq_policy *pol, const char *name, const char *value,
	       const char **why)
{
	return nirq_policy_set(pol, name, value, why);
}

static void test_policy_init_sets_windows_defaults(void **state)
{
	struct nirq_policy pol;

	(void)state;
	memset(&pol, 0xa5, sizeof(pol));
	nirq_policy_init(&pol);
	assert_int_equal(pol.msi_supported, 1);
	assert_int_equal(pol.message_number_limit, 0);
	assert_int_equal(pol.max_nbls_to_indicate, 0xFFFFFFFFu);
}

static void test_policy_set_msi_supported_accepts_zero_and_one(void **state)
{
	struct nirq_policy pol;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "MSISupported", "0", NULL), 0);
	assert_int_equal(pol.msi_supported, 0);
	assert_int_equal(set(&pol, "MSISupported", "1", NULL), 0);
	assert_int_equal(pol.msi_supported, 1);
}

static void test_policy_set_message_number_limit_accepts_1_to_2048(void **state)
{
	struct nirq_policy pol;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "MessageNumberLimit", "1", NULL), 0);
	assert_int_equal(pol.message_number_limit, 1);
	assert_int_equal(set(&pol, "MessageNumberLimit", "2048", NULL), 0);
	assert_int_equal(pol.message_number_limit, 2048);
}

static void test_policy_set_accepts_hex_value(void **state)
{
	struct nirq_policy pol;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "MaxNblsToIndicate", "0x10", NULL), 0);
	assert_int_equal(pol.max_nbls_to_indicate, 16);
	assert_int_equal(set(&pol, "MaxNblsToIndicate", "0xFFFFFFFF", NULL), 0);
	assert_int_equal(pol.max_nbls_to_indicate, 0xFFFFFFFFu);
}

static void test_policy_set_unknown_name_is_enoent(void **state)
{
	struct nirq_policy pol, before;
	const char *why = NULL;

	(void)state;
	nirq_policy_init(&pol);
	before = pol;
	assert_int_equal(set(&pol, "DevicePolicy", "1", &why), -ENOENT);
	assert_non_null(why);
	assert_memory_equal(&pol, &before, sizeof(pol));
}

static void test_policy_set_name_is_case_sensitive(void **state)
{
	struct nirq_policy pol;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "msisupported", "0", NULL), -ENOENT);
	assert_int_equal(pol.msi_supported, 1);
}

static void test_policy_set_bad_number_is_einval(void **state)
{
	static const char *const bad[] = { "", "one", "12abc", "-1", "1.5", "0x" };
	struct nirq_policy pol, before;

	(void)state;
	nirq_policy_init(&pol);
	before = pol;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;

		print_message("value \"%s\"\n", bad[i]);
		assert_int_equal(set(&pol, "MessageNumberLimit", bad[i], &why), -EINVAL);
		assert_non_null(why);
	}
	assert_memory_equal(&pol, &before, sizeof(pol));
}

static void test_policy_set_value_with_surrounding_space_is_einval(void **state)
{
	static const char *const bad[] = { " 1", "1 ", "\t2" };
	struct nirq_policy pol;

	(void)state;
	nirq_policy_init(&pol);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("value \"%s\"\n", bad[i]);
		assert_int_equal(set(&pol, "MessageNumberLimit", bad[i], NULL), -EINVAL);
	}
	assert_int_equal(pol.message_number_limit, 0);
}

static void test_policy_set_leading_zero_is_decimal_not_octal(void **state)
{
	struct nirq_policy pol;

	(void)state;
	nirq_policy_init(&pol);
	/* "decimal or 0x-hex": 010 is ten, never eight. */
	assert_int_equal(set(&pol, "MessageNumberLimit", "010", NULL), 0);
	assert_int_equal(pol.message_number_limit, 10);
}

static void test_policy_set_msi_supported_above_one_is_erange_with_rule(void **state)
{
	struct nirq_policy pol;
	const char *why = NULL;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "MSISupported", "2", &why), -ERANGE);
	assert_non_null(why);
	assert_non_null(strstr(why, "MSISupported"));
	assert_int_equal(pol.msi_supported, 1);
}

static void test_policy_set_message_number_limit_zero_is_erange_with_rule(void **state)
{
	struct nirq_policy pol;
	const char *why = NULL;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "MessageNumberLimit", "0", &why), -ERANGE);
	assert_non_null(why);
	assert_non_null(strstr(why, "MessageNumberLimit"));
	assert_int_equal(pol.message_number_limit, 0);
}

static void test_policy_set_message_number_limit_above_2048_is_erange(void **state)
{
	struct nirq_policy pol;
	const char *why = NULL;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "MessageNumberLimit", "2049", &why), -ERANGE);
	assert_non_null(why);
	assert_non_null(strstr(why, "MessageNumberLimit"));
	assert_int_equal(pol.message_number_limit, 0);
}

static void test_policy_set_max_nbls_zero_is_erange_with_rule(void **state)
{
	struct nirq_policy pol;
	const char *why = NULL;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "MaxNblsToIndicate", "0", &why), -ERANGE);
	assert_non_null(why);
	assert_non_null(strstr(why, "MaxNblsToIndicate"));
	assert_int_equal(pol.max_nbls_to_indicate, 0xFFFFFFFFu);
}

static void test_policy_set_without_why_still_fails(void **state)
{
	struct nirq_policy pol;

	(void)state;
	nirq_policy_init(&pol);
	assert_int_equal(set(&pol, "Nope", "1", NULL), -ENOENT);
	assert_int_equal(set(&pol, "MSISupported", "x", NULL), -EINVAL);
	assert_int_equal(set(&pol, "MSISupported", "7", NULL), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_init_sets_windows_defaults),
		cmocka_unit_test(test_policy_set_msi_supported_accepts_zero_and_one),
		cmocka_unit_test(test_policy_set_message_number_limit_accepts_1_to_2048),
		cmocka_unit_test(test_policy_set_accepts_hex_value),
		cmocka_unit_test(test_policy_set_unknown_name_is_enoent),
		cmocka_unit_test(test_policy_set_name_is_case_sensitive),
		cmocka_unit_test(test_policy_set_bad_number_is_einval),
		cmocka_unit_test(test_policy_set_value_with_surrounding_space_is_einval),
		cmocka_unit_test(test_policy_set_leading_zero_is_decimal_not_octal),
		cmocka_unit_test(test_policy_set_msi_supported_above_one_is_erange_with_rule),
		cmocka_unit_test(test_policy_set_message_number_limit_zero_is_erange_with_rule),
		cmocka_unit_test(test_policy_set_message_number_limit_above_2048_is_erange),
		cmocka_unit_test(test_policy_set_max_nbls_zero_is_erange_with_rule),
		cmocka_unit_test(test_policy_set_without_why_still_fails),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
