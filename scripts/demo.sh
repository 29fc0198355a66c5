#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The ndisirq authors.
#
# The ndisirq demo (`make demo`): the samples/e1000e miniport on the
# simulated 82574L, with every interrupt cause generated, in four
# scenarios: the default policy (MSI-X, five messages spread over the
# processors), MessageNumberLimit=1, MSISupported=0 (the line) and the e1000
# device (the line, because it has no MSI). Each run prints the grant, the
# per-message statistics with ISR->DPC latency p50/p99, and the miniport's
# own check that no callback ran after deregistration.
#
# Environment: NIRQ_BUILD_DIR (default: <repo>/build), NIRQ_DEMO_DURATION
# (seconds per scenario, default 1), NIRQ_DEMO_PROCESSORS (default 4).
# Exit status: 0 only if all four scenarios succeeded.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
build=${NIRQ_BUILD_DIR:-$root/build}
duration=${NIRQ_DEMO_DURATION:-1}
processors=${NIRQ_DEMO_PROCESSORS:-4}
cli=$build/tools/ndisirq/ndisirq
miniport=$build/samples/libndisirq_e1000e.so

for f in "$cli" "$miniport"; do
	if [ ! -e "$f" ]; then
		echo "demo: $f is missing: build first (make demo builds into $build)" >&2
		exit 1
	fi
done

out=$(mktemp "${TMPDIR:-/tmp}/ndisirq-demo.XXXXXX")
trap 'rm -f "$out"' EXIT
failed=()
n=0

# scenario TITLE EXPECTED-GRANT-TEXT [ndisirq run options...]
scenario() {
	local title=$1 expect=$2 rc
	shift 2
	n=$((n + 1))
	printf '\n=== %d. %s\n' "$n" "$title"
	printf '    ndisirq run %s --processors %s --duration %s samples/e1000e\n\n' \
		"$*" "$processors" "$duration"
	"$cli" run "$@" --processors "$processors" --duration "$duration" "$miniport" \
		>"$out" 2>&1
	rc=$?
	cat "$out"
	if [ "$rc" -ne 0 ]; then
		failed+=("$title: ndisirq exited $rc")
	elif ! grep -qF "$expect" "$out"; then
		failed+=("$title: the grant is not '$expect'")
	elif ! grep -qF "no callback after deregistration: OK" "$out" ||
		! grep -qF "after deregistration: 0 ISR/DPC call(s)" "$out"; then
		failed+=("$title: a callback ran after deregistration")
	fi
}

echo "ndisirq demo: samples/e1000e (an NDIS 6.20 miniport, MsiSupported = TRUE) on a"
echo "simulated PCI device; the device raises RxQ0, RxQ1, TxQ0, TxQ1 and Other in turn."

scenario "e1000e, default policy: MSI-X, one message per cause, spread over the processors" \
	"InterruptType=NDIS_CONNECT_MESSAGE_BASED messages=5 (MSI-X)" --device e1000e
scenario "e1000e, MessageNumberLimit=1: one MSI-X message carries every cause" \
	"InterruptType=NDIS_CONNECT_MESSAGE_BASED messages=1 (MSI-X)" \
	--device e1000e --policy MessageNumberLimit=1
scenario "e1000e, MSISupported=0: the line-based fallback" \
	"InterruptType=NDIS_CONNECT_LINE_BASED messages=0 (line)" \
	--device e1000e --policy MSISupported=0
scenario "e1000 (82540EM, no MSI capability): the same binary on a line" \
	"InterruptType=NDIS_CONNECT_LINE_BASED messages=0 (line)" --device e1000

echo
if [ ${#failed[@]} -ne 0 ]; then
	for f in "${failed[@]}"; do
		echo "demo: FAILED: $f" >&2
	done
	exit 1
fi
echo "demo: all $n scenarios succeeded; no callback after deregistration: OK"
exit 0
