/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS shims: the helpers miniport interrupt code calls around the
 * interrupt API: spin locks, events, delays, IRQL and processor queries,
 * memory and the NDIS version, on the runtime's emulated IRQL and logical
 * processors. Misuse Windows answers with a bugcheck (a wrong IRQL) is a
 * verifier report; the call then does the least harmful thing.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <ndisirq/ndisirq.h>
#include <ndis.h>
#include <ndisirq/nirq_fault.h>

#include "os/spin.h"

/* SDV rule set for spin locks, events and mutexes (spec §12.1). */
#define RULE_SYNCH "Irql_Synch_Function"
#define RULE_MISC "Irql_Miscellaneous_Function"

/* Report misuse to the current runtime, if the thread belongs to one. */
#define report(rule, handle, ...)                                          \
	do {                                                               \
		struct nirq_rt *rt_ = nirq_rt_current();                   \
		if (rt_)                                                   \
			nirq_verifier_report(rt_, rule, handle, __VA_ARGS__); \
	} while (0)

/* ------------------------------------------------------------ IRQL, CPUs */

KIRQL KeGetCurrentIrql(VOID)
{
	return nirq_irql_current();
}

/*
 * The current logical processor; a passive thread (initialize, halt) is
 * on no logical processor, so it answers the host CPU it runs on, mod 64
 * (0 if that is unknown). Windows would answer the CPU the thread happens
 * to be on too; drivers must not rely on it at PASSIVE_LEVEL.
 */
ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
	int p = nirq_processor_current();

	if (p < 0) {
		int cpu = sched_getcpu();

		p = cpu < 0 ? 0 : cpu % NDIS_MAX_PROCESSOR_COUNT;
	}
	if (ProcNumber) {
		ProcNumber->Group = 0;
		ProcNumber->Number = (UCHAR)p;
		ProcNumber->Reserved = 0;
	}
	return (ULONG)p;
}

/* Logical processors of the current runtime, else the host's online CPUs (1..64). */
static ULONG processor_count(void)
{
	struct nirq_rt *rt = nirq_rt_current();
	long n = rt ? (long)nirq_rt_processors(rt) : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > NDIS_MAX_PROCESSOR_COUNT)
		n = NDIS_MAX_PROCESSOR_COUNT;
	return (ULONG)n;
}

static KAFFINITY processor_mask(void)
{
	ULONG n = processor_count();

	return n >= 64 ? ~(KAFFINITY)0 : ((KAFFINITY)1 << n) - 1;
}

static int group_exists(USHORT Group)
{
	return Group == 0 || Group == ALL_PROCESSOR_GROUPS;
}

CCHAR NdisSystemProcessorCount(VOID)
{
	return (CCHAR)processor_count();
}

ULONG NdisSystemActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
	if (ActiveProcessors)
		*ActiveProcessors = processor_mask();
	return processor_count();
}

USHORT NdisActiveGroupCount(VOID)
{
	return 1;
}

USHORT NdisMaxGroupCount(VOID)
{
	return 1;
}

ULONG NdisGroupMaxProcessorCount(USHORT Group)
{
	return group_exists(Group) ? processor_count() : 0;
}

ULONG NdisGroupActiveProcessorCount(USHORT Group)
{
	return group_exists(Group) ? processor_count() : 0;
}

KAFFINITY NdisGroupActiveProcessorMask(USHORT Group)
{
	return group_exists(Group) ? processor_mask() : 0;
}

PROCESSOR_NUMBER NdisCurrentGroupAndProcessor(VOID)
{
	PROCESSOR_NUMBER pn;

	KeGetCurrentProcessorNumberEx(&pn);
	return pn;
}

/*
 * The headers follow WDK 10.0.17763 (NDIS 6.82), so the runtime reports
 * 6.82: a driver branching on NdisGetVersion() takes the paths whose
 * declarations it was compiled against.
 */
UINT NdisGetVersion(VOID)
{
	return NDIS_RUNTIME_VERSION_682;
}

/* ---------------------------------------------------------------- delays */

VOID KeStallExecutionProcessor(ULONG MicroSeconds)
{
	uint64_t end = nirq_now_ns() + (uint64_t)MicroSeconds * 1000u;

	while (nirq_now_ns() < end)
		nirq__cpu_relax();
}

VOID NdisMSleep(ULONG MicrosecondsToSleep)
{
	struct timespec ts = {
		.tv_sec = MicrosecondsToSleep / 1000000u,
		.tv_nsec = (long)(MicrosecondsToSleep % 1000000u) * 1000,
	};

	if (nirq_irql_current() >= DISPATCH_LEVEL)
		report(RULE_SYNCH, NULL, "NdisMSleep at IRQL %u: it requires IRQL < DISPATCH_LEVEL "
		       "(use NdisStallExecution); sleeping anyway", nirq_irql_current());
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* ------------------------------------------------------------- spin locks */

/* The project's spin lock policy (os/spin.h) on the WDK's KSPIN_LOCK word. */
static void spin_acquire(KSPIN_LOCK *lock)
{
	unsigned waits = 0;

	while (__atomic_exchange_n(lock, (KSPIN_LOCK)1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			nirq__spin_wait(&waits);
}

/* Pairs with the ACQUIRE exchange: the critical section's stores are visible first. */
static void spin_release(KSPIN_LOCK *lock)
{
	__atomic_store_n(lock, (KSPIN_LOCK)0, __ATOMIC_RELEASE);
}

static int spin_held(KSPIN_LOCK *lock)
{
	return __atomic_load_n(lock, __ATOMIC_RELAXED) != 0;
}

VOID NdisAllocateSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	__atomic_store_n(&SpinLock->SpinLock, (KSPIN_LOCK)0, __ATOMIC_RELEASE);
	SpinLock->OldIrql = PASSIVE_LEVEL;
}

VOID NdisFreeSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	if (spin_held(&SpinLock->SpinLock))
		report(RULE_SYNCH, SpinLock, "NdisFreeSpinLock on a spin lock that is held");
}

/*
 * Raise to DISPATCH_LEVEL and spin; the previous IRQL is kept in the lock
 * once it is owned. Above DISPATCH_LEVEL (an ISR) the IRQL is not lowered.
 */
VOID NdisAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	KIRQL old = nirq_irql_current();

	if (old > DISPATCH_LEVEL)
		report(RULE_SYNCH, SpinLock, "NdisAcquireSpinLock at IRQL %u: it requires IRQL <= "
		       "DISPATCH_LEVEL; state shared with an ISR needs "
		       "NdisMSynchronizeWithInterruptEx", old);
	else
		nirq_irql_raise(DISPATCH_LEVEL);
	spin_acquire(&SpinLock->SpinLock);
	SpinLock->OldIrql = old;
}

VOID NdisReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	KIRQL old = SpinLock->OldIrql;

	if (!spin_held(&SpinLock->SpinLock)) {
		report(RULE_SYNCH, SpinLock, "NdisReleaseSpinLock on a spin lock that is not held");
		return;
	}
	spin_release(&SpinLock->SpinLock);
	if (old <= DISPATCH_LEVEL)
		nirq_irql_lower(old);
}

static void check_at_dispatch(PNDIS_SPIN_LOCK SpinLock, const char *api)
{
	KIRQL irql = nirq_irql_current();

	if (irql != DISPATCH_LEVEL)
		report(RULE_SYNCH, SpinLock, "%s at IRQL %u: the caller must be at DISPATCH_LEVEL "
		       "(use NdisAcquireSpinLock below it)", api, irql);
}

VOID NdisDprAcquireSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	check_at_dispatch(SpinLock, "NdisDprAcquireSpinLock");
	spin_acquire(&SpinLock->SpinLock);
}

VOID NdisDprReleaseSpinLock(PNDIS_SPIN_LOCK SpinLock)
{
	check_at_dispatch(SpinLock, "NdisDprReleaseSpinLock");
	if (!spin_held(&SpinLock->SpinLock)) {
		report(RULE_SYNCH, SpinLock, "NdisDprReleaseSpinLock on a spin lock that is not held");
		return;
	}
	spin_release(&SpinLock->SpinLock);
}

ULONG FASTCALL ExInterlockedAddUlong(PULONG Addend, ULONG Increment, PKSPIN_LOCK Lock)
{
	KIRQL old = nirq_irql_current();
	ULONG was;

	if (old < DISPATCH_LEVEL)
		nirq_irql_raise(DISPATCH_LEVEL);
	spin_acquire(Lock);
	was = *Addend;
	*Addend = was + Increment;
	spin_release(Lock);
	if (old < DISPATCH_LEVEL)
		nirq_irql_lower(old);
	return was;
}

/* ---------------------------------------------------------------- events */

/*
 * NDIS_EVENT keeps the WDK's 24-byte KEVENT layout; the state is the
 * 32-bit DISPATCHER_HEADER.SignalState word (0 or 1), which is also the
 * futex waiters sleep on.
 */
static LONG *event_word(PNDIS_EVENT Event)
{
	return &Event->Event.Header.SignalState;
}

static void futex_wake_all(LONG *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Sleep while *word == 0, at most until @deadline_ns (0 = no limit). */
static void futex_wait_unsignalled(LONG *word, uint64_t deadline_ns)
{
	struct timespec rel, *timeout = NULL;

	if (deadline_ns) {
		uint64_t now = nirq_now_ns(), left = deadline_ns > now ? deadline_ns - now : 0;

		if (!left)
			return;
		rel.tv_sec = (time_t)(left / 1000000000u);
		rel.tv_nsec = (long)(left % 1000000000u);
		timeout = &rel;
	}
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, timeout, NULL, 0);
}

VOID NdisInitializeEvent(PNDIS_EVENT Event)
{
	memset(Event, 0, sizeof(*Event));
	Event->Event.Header.Type = NotificationEvent;
	Event->Event.Header.Size = (UCHAR)(sizeof(KEVENT) / sizeof(LONG));
}

static void check_event_irql(PNDIS_EVENT Event, const char *api)
{
	KIRQL irql = nirq_irql_current();

	if (irql > DISPATCH_LEVEL)
		report(RULE_SYNCH, Event, "%s at IRQL %u: it requires IRQL <= DISPATCH_LEVEL",
		       api, irql);
}

VOID NdisSetEvent(PNDIS_EVENT Event)
{
	check_event_irql(Event, "NdisSetEvent");
	/* Pairs with the ACQUIRE load in NdisWaitEvent: the waker's prior stores are seen. */
	__atomic_store_n(event_word(Event), 1, __ATOMIC_RELEASE);
	futex_wake_all(event_word(Event));
}

VOID NdisResetEvent(PNDIS_EVENT Event)
{
	check_event_irql(Event, "NdisResetEvent");
	__atomic_store_n(event_word(Event), 0, __ATOMIC_RELEASE);
}

static BOOLEAN event_signalled(PNDIS_EVENT Event)
{
	return __atomic_load_n(event_word(Event), __ATOMIC_ACQUIRE) != 0;
}

/*
 * Above PASSIVE_LEVEL waiting is fatal on Windows and would stall a
 * logical processor here: report it and do not wait.
 */
BOOLEAN NdisWaitEvent(PNDIS_EVENT Event, UINT MsToWait)
{
	uint64_t deadline = MsToWait ? nirq_now_ns() + (uint64_t)MsToWait * 1000000u : 0;

	if (nirq_irql_current() != PASSIVE_LEVEL) {
		report(RULE_SYNCH, Event, "NdisWaitEvent at IRQL %u: it requires PASSIVE_LEVEL; "
		       "not waiting", nirq_irql_current());
		return event_signalled(Event);
	}
	while (!event_signalled(Event)) {
		if (deadline && nirq_now_ns() >= deadline)
			return FALSE;
		futex_wait_unsignalled(event_word(Event), deadline);
	}
	return TRUE;
}

/* ---------------------------------------------------------------- memory */

/*
 * malloc, so the block is usable at any IRQL. Length 0 (what Windows does
 * is undocumented) returns NULL; above DISPATCH_LEVEL (an ISR) nothing is
 * allocated: the interrupt path never allocates.
 */
PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
					EX_POOL_PRIORITY Priority)
{
	(void)Tag;
	(void)Priority;
	if (nirq_irql_current() > DISPATCH_LEVEL) {
		report(RULE_MISC, NdisHandle, "NdisAllocateMemoryWithTagPriority at IRQL %u: it "
		       "requires IRQL <= DISPATCH_LEVEL; returning NULL", nirq_irql_current());
		return NULL;
	}
	if (!Length || nirq_fault_should_fail(NIRQ_FAULT_ALLOC))
		return NULL;
	return malloc(Length);
}

VOID NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags)
{
	(void)Length;
	if (MemoryFlags != 0)
		report(RULE_MISC, VirtualAddress, "NdisFreeMemory: MemoryFlags 0x%x: memory from "
		       "NdisAllocateMemoryWithTagPriority is freed with MemoryFlags 0", MemoryFlags);
	free(VirtualAddress);
}

VOID NdisFreeMemoryWithTagPriority(NDIS_HANDLE NdisHandle, PVOID VirtualAddress, ULONG Tag)
{
	(void)NdisHandle;
	(void)Tag;
	free(VirtualAddress);
}
