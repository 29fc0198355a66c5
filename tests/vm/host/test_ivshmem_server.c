/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * nirq-ivshmem-server on the host, against the client side of the protocol
 * in QEMU's docs/specs/ivshmem-spec.rst: what a connecting client receives,
 * in order; that peers learn of each other with the same eventfds; that a
 * leaving peer is announced. Each test starts its own server (path in
 * argv[1]) on a socket in a fresh temporary directory.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define VECTORS 4
#define SHM_SIZE (1 << 20)
/* Bounds on waits for the server (never timing assertions). */
#define START_TRIES 500
#define RECV_TIMEOUT_S 10

extern char **environ;
static const char *server_path;

struct fixture {
	char dir[64];
	char sock[128];
	pid_t pid;
};

/* One protocol message: the value and the fd that came with it, or -1. */
struct msg {
	int64_t value;
	int fd;
};

static void pause_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int client_connect(const struct fixture *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(s >= 0);
	memcpy(sa.sun_path, f->sock, strlen(f->sock) + 1);
	assert_int_equal(connect(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	return s;
}

static struct msg recv_msg(int s)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	uint64_t le = 0;
	struct iovec iov = { .iov_base = &le, .iov_len = sizeof(le) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct msg m = { .fd = -1 };
	struct cmsghdr *c;

	memset(&ctl, 0, sizeof(ctl));
	assert_int_equal(recvmsg(s, &mh, MSG_CMSG_CLOEXEC), sizeof(le));
	m.value = (int64_t)le64toh(le);
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&m.fd, CMSG_DATA(c), sizeof(int));
	return m;
}

/* Nothing more queued on @s right now. */
static void assert_no_more(int s)
{
	uint64_t v;

	assert_int_equal(recv(s, &v, sizeof(v), MSG_DONTWAIT), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
}

/*
 * The greeting of a new client: version 0, its ID, the shared memory, each
 * existing peer's fds (@peers of them, given by ID in @peer_ids), its own
 * fds. @peer_fds[p][v] and @own[v] receive the eventfds.
 */
static void recv_greeting(int s, int64_t id, unsigned peers,
			  const int64_t *peer_ids, int peer_fds[][VECTORS],
			  int own[VECTORS])
{
	struct msg m;
	struct stat st;
	unsigned p, v;

	m = recv_msg(s);
	assert_int_equal(m.value, 0);
	assert_int_equal(m.fd, -1);
	m = recv_msg(s);
	assert_int_equal(m.value, id);
	assert_int_equal(m.fd, -1);
	m = recv_msg(s);
	assert_int_equal(m.value, -1);
	assert_true(m.fd >= 0);
	assert_int_equal(fstat(m.fd, &st), 0);
	assert_int_equal(st.st_size, SHM_SIZE);
	close(m.fd);
	for (p = 0; p < peers; p++) {
		for (v = 0; v < VECTORS; v++) {
			m = recv_msg(s);
			assert_int_equal(m.value, peer_ids[p]);
			assert_true(m.fd >= 0);
			peer_fds[p][v] = m.fd;
		}
	}
	for (v = 0; v < VECTORS; v++) {
		m = recv_msg(s);
		assert_int_equal(m.value, id);
		assert_true(m.fd >= 0);
		own[v] = m.fd;
	}
}

/* A write to @a is readable on @b: both are the same eventfd. */
static void assert_same_eventfd(int a, int b)
{
	uint64_t one = 1, got = 0;

	fcntl(b, F_SETFL, fcntl(b, F_GETFL) | O_NONBLOCK);
	assert_int_equal(write(a, &one, sizeof(one)), sizeof(one));
	assert_int_equal(read(b, &got, sizeof(got)), sizeof(got));
	assert_int_equal(got, 1);
}

static void close_all(int *fds, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char n[16];
	char *argv[6];
	struct stat st;
	int i;

	assert_non_null(f);
	argv[0] = (char *)server_path;
	argv[1] = "-S";
	argv[2] = f->sock;
	argv[3] = "-n";
	argv[4] = n;
	argv[5] = NULL;
	snprintf(f->dir, sizeof(f->dir), "/tmp/nirq-ivs-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/s", f->dir);
	snprintf(n, sizeof(n), "%d", VECTORS);
	assert_int_equal(posix_spawn(&f->pid, server_path, NULL, NULL, argv,
				     environ), 0);
	/* The socket path appears only once the server listens. */
	for (i = 0; i < START_TRIES && stat(f->sock, &st); i++)
		pause_ms(10);
	assert_int_equal(stat(f->sock, &st), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int status = 0;
	struct stat st;

	kill(f->pid, SIGTERM);
	assert_int_equal(waitpid(f->pid, &status, 0), f->pid);
	/* A clean exit that removed its socket. */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_not_equal(stat(f->sock, &st), 0);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void ivshmem_server_first_client_gets_id_0_memory_and_own_vectors(void **state)
{
	struct fixture *f = *state;
	int s = client_connect(f), own[VECTORS];

	recv_greeting(s, 0, 0, NULL, NULL, own);
	assert_no_more(s);
	close_all(own, VECTORS);
	close(s);
}

static void ivshmem_server_peers_learn_each_other_with_the_same_eventfds(void **state)
{
	struct fixture *f = *state;
	int a = client_connect(f), b, own_a[VECTORS], own_b[VECTORS];
	int b_sees_a[1][VECTORS], a_sees_b[VECTORS];
	const int64_t ids[] = { 0 };
	unsigned v;

	recv_greeting(a, 0, 0, NULL, NULL, own_a);
	b = client_connect(f);
	recv_greeting(b, 1, 1, ids, b_sees_a, own_b);
	assert_no_more(b);
	for (v = 0; v < VECTORS; v++) {
		struct msg m = recv_msg(a);

		assert_int_equal(m.value, 1);
		assert_true(m.fd >= 0);
		a_sees_b[v] = m.fd;
	}
	assert_no_more(a);
	/* Ringing peer v means signalling the fd the peer listens on. */
	for (v = 0; v < VECTORS; v++) {
		assert_same_eventfd(b_sees_a[0][v], own_a[v]);
		assert_same_eventfd(a_sees_b[v], own_b[v]);
	}
	close_all(own_a, VECTORS);
	close_all(own_b, VECTORS);
	close_all(b_sees_a[0], VECTORS);
	close_all(a_sees_b, VECTORS);
	close(a);
	close(b);
}

static void ivshmem_server_leaving_peer_is_announced_without_fd(void **state)
{
	struct fixture *f = *state;
	int a = client_connect(f), b, own_a[VECTORS], own_b[VECTORS];
	int b_sees_a[1][VECTORS], a_sees_b[VECTORS];
	const int64_t ids[] = { 0 };
	struct msg m;
	unsigned v;

	recv_greeting(a, 0, 0, NULL, NULL, own_a);
	b = client_connect(f);
	recv_greeting(b, 1, 1, ids, b_sees_a, own_b);
	for (v = 0; v < VECTORS; v++)
		a_sees_b[v] = recv_msg(a).fd;
	close(b);
	m = recv_msg(a);
	assert_int_equal(m.value, 1);
	assert_int_equal(m.fd, -1);
	close_all(own_a, VECTORS);
	close_all(own_b, VECTORS);
	close_all(b_sees_a[0], VECTORS);
	close_all(a_sees_b, VECTORS);
	close(a);
}

static void ivshmem_server_freed_id_is_given_to_the_next_client(void **state)
{
	struct fixture *f = *state;
	int a = client_connect(f), b, c, own_a[VECTORS], own_b[VECTORS];
	int own_c[VECTORS], b_sees_a[1][VECTORS], c_sees_b[1][VECTORS];
	unsigned v;

	/* a is peer 0, b peer 1; a leaves; c takes ID 0 and meets b. */
	recv_greeting(a, 0, 0, NULL, NULL, own_a);
	b = client_connect(f);
	recv_greeting(b, 1, 1, (const int64_t[]){ 0 }, b_sees_a, own_b);
	for (v = 0; v < VECTORS; v++)
		close(recv_msg(a).fd);
	close(a);
	assert_int_equal(recv_msg(b).value, 0);
	c = client_connect(f);
	recv_greeting(c, 0, 1, (const int64_t[]){ 1 }, c_sees_b, own_c);
	for (v = 0; v < VECTORS; v++) {
		struct msg m = recv_msg(b);

		assert_int_equal(m.value, 0);
		assert_same_eventfd(m.fd, own_c[v]);
		assert_same_eventfd(c_sees_b[0][v], own_b[v]);
		close(m.fd);
	}
	close_all(own_a, VECTORS);
	close_all(own_b, VECTORS);
	close_all(own_c, VECTORS);
	close_all(b_sees_a[0], VECTORS);
	close_all(c_sees_b[0], VECTORS);
	close(b);
	close(c);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			ivshmem_server_first_client_gets_id_0_memory_and_own_vectors,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			ivshmem_server_peers_learn_each_other_with_the_same_eventfds,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			ivshmem_server_leaving_peer_is_announced_without_fd,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			ivshmem_server_freed_id_is_given_to_the_next_client,
			setup, teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-OF-nirq-ivshmem-server\n", argv[0]);
		return 2;
	}
	server_path = argv[1];
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
