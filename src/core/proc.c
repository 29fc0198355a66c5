/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Logical processors: one thread pinned to a host CPU (or, in manual mode,
 * whichever thread steps it) that waits on its vectors and its doorbell,
 * runs the ISRs of fired vectors, then drains its DPC queue.
 */
#include <errno.h>
#include <sched.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <ndisirq/nirq_fault.h>

#include "core.h"

#define EVENTS_PER_STEP 16

int nirq__proc_init(struct nirq_rt *rt, struct nirq_proc *p, unsigned id)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	p->rt = rt;
	p->id = id;
	p->cpu = id % rt->ncpu;
	if (nirq_fault_should_fail(NIRQ_FAULT_FD))
		return -EMFILE;
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->epfd < 0)
		return -errno;
	p->doorbell = nirq__doorbell_open();
	if (p->doorbell < 0) {
		close(p->epfd);
		return p->doorbell;
	}
	/* data.ptr == NULL marks the doorbell. */
	if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->doorbell, &ev) < 0) {
		int err = -errno;

		close(p->doorbell);
		close(p->epfd);
		return err;
	}
	pthread_mutex_init(&p->ctl_lock, NULL);
	return 0;
}

void nirq__proc_fini(struct nirq_proc *p)
{
	pthread_mutex_destroy(&p->ctl_lock);
	close(p->doorbell);
	close(p->epfd);
}

/*
 * Deliver what @v signalled before it was masked, then stop waiting on it.
 * Runs as processor @p: its own thread, or the manual-mode caller.
 *
 * Race this closes (found by tests/stress), without the dispatch:
 *  1. the device raises a message on @v (registered, unmasked): its fd
 *     becomes readable;
 *  2. processor p is inside a step (other vectors' ISRs, its DPC queue),
 *     so it has not seen the fd in epoll_wait yet;
 *  3. NdisMDeregisterInterruptEx masks @v and posts the detach request;
 *  4. p's next step handles the request before epoll_wait: EPOLL_CTL_DEL
 *     and acknowledge. The message of 1, raised before deregistration
 *     began, reaches no ISR of this registration (spec 5.4 rule 6: the
 *     driver keeps receiving interrupts until deregistration returns); the
 *     stale count fires at the next registration on the same vector instead.
 * @v is masked, so nothing new reaches the fd: one dispatch drains it (a
 * stale wake-up consumes 0 and calls no ISR).
 *
 * A line is masked here, by its processor, not by the deregistering thread:
 *  1. p consumes the line's signal and runs the ISR chain; the line stays
 *     "signalled" (automasked) until line_done;
 *  2. the device asserts a new cause; the line is automasked: no signal;
 *  3. a deregistering thread masks the line;
 *  4. p calls line_done: the line is masked now, so the still-asserted
 *     level is not signalled again, and the dispatch above consumes nothing:
 *     the cause of 2, raised before deregistration began, is never seen.
 * Masked on p between steps, after its last line_done, a held level has
 * been signalled again already, and the dispatch that follows sees it.
 */
static void detach_now(struct nirq_proc *p, struct nirq_vec *v)
{
	struct nirq_platform *pf = v->intr->pf;

	if (v->intr->line)
		pf->ops->mask(pf, v->msg);
	nirq__dispatch_vector(p, v);
	epoll_ctl(p->epfd, EPOLL_CTL_DEL, v->fd, NULL);
}

/* Handle detach requests: the processor is between ISRs, so acknowledging
 * one proves that no ISR of that vector is running or will run. */
static void handle_control(struct nirq_proc *p)
{
	struct nirq_ctl *list;

	pthread_mutex_lock(&p->ctl_lock);
	list = p->ctl;
	p->ctl = NULL;
	pthread_mutex_unlock(&p->ctl_lock);
	if (!list)
		return;
	for (struct nirq_ctl *c = list; c; c = c->next)
		detach_now(p, c->vec);
	pthread_mutex_lock(&p->rt->wait_lock);
	for (struct nirq_ctl *c = list; c; c = c->next)
		c->done = true;
	pthread_cond_broadcast(&p->rt->wait_cv);
	pthread_mutex_unlock(&p->rt->wait_lock);
}

static bool queue_empty(struct nirq_proc *p)
{
	return __atomic_load_n(&p->q_head, __ATOMIC_ACQUIRE) == NULL;
}

/*
 * One pass of the processor loop. Control requests are handled before
 * waiting, never between the epoll_wait that returned an event and its
 * dispatch, so a detached vector's epoll data is never used after the
 * detaching thread was told it is gone.
 */
unsigned nirq__proc_step(struct nirq_proc *p, int timeout_ms)
{
	struct epoll_event ev[EVENTS_PER_STEP];
	unsigned work = 0;
	int n;

	nirq__ctx_enter(p->rt, (int)p->id, NIRQ_IRQL_DISPATCH);
	handle_control(p);
	if (!queue_empty(p))
		timeout_ms = 0;
	n = epoll_wait(p->epfd, ev, EVENTS_PER_STEP, timeout_ms);
	for (int i = 0; i < n; i++) {
		if (ev[i].data.ptr)
			work += nirq__dispatch_vector(p, ev[i].data.ptr);
		else
			nirq__doorbell_drain(p->doorbell);
	}
	work += nirq__proc_drain_dpcs(p);
	return work;
}

static void *proc_main(void *arg)
{
	struct nirq_proc *p = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	/* Pinning can be refused (cpusets); the processor still works unpinned. */
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	while (!atomic_load_explicit(&p->stop, memory_order_acquire))
		nirq__proc_step(p, -1);
	handle_control(p);
	nirq__ctx_leave();
	return NULL;
}

int nirq__proc_start(struct nirq_proc *p)
{
	int err = nirq_fault_should_fail(NIRQ_FAULT_THREAD)
		  ? EAGAIN : pthread_create(&p->thread, NULL, proc_main, p);

	if (err)
		return -err;
	p->started = true;
	return 0;
}

void nirq__proc_stop(struct nirq_proc *p)
{
	if (!p->started)
		return;
	atomic_store_explicit(&p->stop, true, memory_order_release);
	nirq__doorbell_ring(p->doorbell);
	pthread_join(p->thread, NULL);
	p->started = false;
}

int nirq__proc_attach(struct nirq_proc *p, struct nirq_vec *v)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = v };

	return epoll_ctl(p->epfd, EPOLL_CTL_ADD, v->fd, &ev) < 0 ? -errno : 0;
}

/*
 * Detach @v from @p and return only when @p acknowledged: then no ISR of @v
 * is running and none will run. In manual mode the caller is the only thread
 * that steps processors, so removing the fd is enough.
 */
void nirq__proc_detach(struct nirq_proc *p, struct nirq_vec *v)
{
	struct nirq_ctl req = { .vec = v };
	struct nirq_rt *rt = p->rt;

	if (!p->started) {
		struct nirq_rt *prev_rt = nirq_rt_current();
		uint8_t prev_irql = nirq_irql_current();
		int prev_proc = nirq_processor_current();

		nirq__ctx_enter(rt, (int)p->id, NIRQ_IRQL_DISPATCH);
		detach_now(p, v);
		nirq__ctx_enter(prev_rt, prev_proc, prev_irql);
		return;
	}
	pthread_mutex_lock(&p->ctl_lock);
	req.next = p->ctl;
	p->ctl = &req;
	pthread_mutex_unlock(&p->ctl_lock);
	nirq__doorbell_ring(p->doorbell);
	pthread_mutex_lock(&rt->wait_lock);
	while (!req.done)
		pthread_cond_wait(&rt->wait_cv, &rt->wait_lock);
	pthread_mutex_unlock(&rt->wait_lock);
}
