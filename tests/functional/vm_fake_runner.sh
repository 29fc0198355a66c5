#!/bin/bash
# SPDX-License-Identifier: MIT
# Stands in for the runner ndisirq-vm in the functional tests of `ndisirq vm`
# (cli_vm.cmake, through NIRQ_VM_RUNNER or a copy beside a copied ndisirq):
# prints each argument on its own line in brackets, then exits with
# $NIRQ_FAKE_RUNNER_RC (default 0).
for arg in "$@"; do
	printf '[%s]\n' "$arg"
done
exit "${NIRQ_FAKE_RUNNER_RC:-0}"
