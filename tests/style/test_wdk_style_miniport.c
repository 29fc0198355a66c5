/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Style tier: the WDK-style miniport (wdk_style_miniport.c) compiled, and
 * its shared object exports DriverEntry (and nothing it did not declare
 * exported) although it is built with -fvisibility=hidden.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void test_wdk_style_miniport_exports_driver_entry(void **state)
{
	void *so = dlopen(NIRQ_WDK_STYLE_MINIPORT, RTLD_NOW | RTLD_LOCAL);

	(void)state;
	if (!so)
		fail_msg("dlopen %s: %s", NIRQ_WDK_STYLE_MINIPORT, dlerror());
	assert_non_null(dlsym(so, "DriverEntry"));
	assert_null(dlsym(so, "MpInitializeEx")); /* hidden: not NDIS_API */
	dlclose(so);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wdk_style_miniport_exports_driver_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
