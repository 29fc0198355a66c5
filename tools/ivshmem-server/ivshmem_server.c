/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * nirq-ivshmem-server: a small server for QEMU's ivshmem-doorbell device,
 * written from the protocol in QEMU's docs/specs/ivshmem-spec.rst. The `vm`
 * test tier (tests/vm/vm-run) starts one per ivshmem device before QEMU and
 * stops it after.
 *
 * The server owns one shared memory object (a memfd) and, for each client
 * (peer) that connects, N eventfds: one per interrupt vector. Every message
 * is one little-endian int64, some with one file descriptor (SCM_RIGHTS). On
 * connect a client gets, in order:
 *
 *   1. the protocol version, 0;
 *   2. its own peer ID;
 *   3. -1 with the shared memory fd;
 *   4. for every other peer: that peer's ID N times, with its N eventfds
 *      (to interrupt that peer on vector 0..N-1);
 *   5. its own ID N times with its own N eventfds ("interrupt setup": the
 *      fds it receives interrupts on).
 *
 * Step 5 is also what lets a guest ring its own vectors: QEMU keeps the
 * fds of step 5 as its own peer entry, so a doorbell write of
 * (own IVPosition << 16) | vector signals the eventfd it listens on.
 * Other peers are told of a new peer (its ID N times with its fds) and of a
 * peer that left (its ID, no fd).
 *
 * Usage: nirq-ivshmem-server -S SOCKET -n VECTORS [-m BYTES] [-P] [-v]
 * The socket appears only once it accepts connections (bound under a
 * temporary name, then renamed), so a caller may wait for the path to exist.
 */
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define IVS_MAX_PEERS 16u
#define IVS_MAX_VECTORS 1024u
#define IVS_DEFAULT_SIZE (1u << 20)

/** One connected client: its socket and its N eventfds. */
struct ivs_peer {
	int sock;		/* -1 = slot free */
	unsigned id;
	int *efd;		/* n_vectors eventfds */
};

struct ivs_server {
	const char *path;
	int listen_fd;
	int shm_fd;
	unsigned n_vectors;
	int verbose;
	struct ivs_peer peer[IVS_MAX_PEERS];
};

static volatile sig_atomic_t ivs_stop;

static void ivs_on_signal(int sig)
{
	(void)sig;
	ivs_stop = 1;
}

/*
 * ivs_send() - one protocol message: @value as a little-endian int64, with
 * @fd attached when it is >= 0. Returns 0 or -errno.
 */
static int ivs_send(int sock, int64_t value, int fd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	uint64_t le = htole64((uint64_t)value);
	struct iovec iov = { .iov_base = &le, .iov_len = sizeof(le) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(le) ? 0 : -EIO;
}

/* ivs_send_peer() - @about's ID N times, each with one of its eventfds. */
static int ivs_send_peer(int sock, const struct ivs_server *s,
			 const struct ivs_peer *about)
{
	unsigned v;
	int rc;

	for (v = 0; v < s->n_vectors; v++) {
		rc = ivs_send(sock, about->id, about->efd[v]);
		if (rc)
			return rc;
	}
	return 0;
}

static void ivs_peer_free(struct ivs_peer *p)
{
	unsigned v;

	if (p->sock >= 0)
		close(p->sock);
	p->sock = -1;
	if (p->efd) {
		for (v = 0; p->efd[v] >= 0; v++)
			close(p->efd[v]);
		free(p->efd);
	}
	p->efd = NULL;
}

/* ivs_drop() - close a peer and tell the others it left. */
static void ivs_drop(struct ivs_server *s, struct ivs_peer *p)
{
	unsigned i;

	if (s->verbose)
		fprintf(stderr, "nirq-ivshmem-server: peer %u left\n", p->id);
	ivs_peer_free(p);
	for (i = 0; i < IVS_MAX_PEERS; i++) {
		if (s->peer[i].sock >= 0)
			(void)ivs_send(s->peer[i].sock, p->id, -1);
	}
}

static void ivs_accept(struct ivs_server *s)
{
	struct ivs_peer *p = NULL;
	unsigned i, v;
	int sock, rc;

	sock = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (sock < 0)
		return;
	/* The lowest free ID: the first client gets 0, as the spec says. */
	for (i = 0; i < IVS_MAX_PEERS; i++) {
		if (s->peer[i].sock < 0) {
			p = &s->peer[i];
			break;
		}
	}
	if (!p) {
		fprintf(stderr, "nirq-ivshmem-server: refusing a client: already "
			"%u peers (the maximum)\n", IVS_MAX_PEERS);
		close(sock);
		return;
	}
	p->id = i;
	/* One more slot than vectors, -1 terminated, for ivs_peer_free(). */
	p->efd = malloc((s->n_vectors + 1) * sizeof(int));
	if (!p->efd) {
		close(sock);
		return;
	}
	for (v = 0; v <= s->n_vectors; v++)
		p->efd[v] = -1;
	p->sock = sock;
	for (v = 0; v < s->n_vectors; v++) {
		p->efd[v] = eventfd(0, EFD_CLOEXEC);
		if (p->efd[v] < 0) {
			fprintf(stderr, "nirq-ivshmem-server: eventfd: %s\n",
				strerror(errno));
			ivs_peer_free(p);
			return;
		}
	}

	rc = ivs_send(sock, 0, -1);			/* 1. version */
	if (!rc)
		rc = ivs_send(sock, p->id, -1);		/* 2. own ID */
	if (!rc)
		rc = ivs_send(sock, -1, s->shm_fd);	/* 3. shared memory */
	for (i = 0; !rc && i < IVS_MAX_PEERS; i++) {	/* 4. other peers */
		if (&s->peer[i] != p && s->peer[i].sock >= 0)
			rc = ivs_send_peer(sock, s, &s->peer[i]);
	}
	if (!rc)					/* 5. interrupt setup */
		rc = ivs_send_peer(sock, s, p);
	if (rc) {
		fprintf(stderr, "nirq-ivshmem-server: peer %u: send: %s\n",
			p->id, strerror(-rc));
		ivs_peer_free(p);
		return;
	}
	for (i = 0; i < IVS_MAX_PEERS; i++) {		/* the others learn of it */
		if (&s->peer[i] != p && s->peer[i].sock >= 0 &&
		    ivs_send_peer(s->peer[i].sock, s, p))
			ivs_drop(s, &s->peer[i]);
	}
	if (s->verbose)
		fprintf(stderr, "nirq-ivshmem-server: peer %u connected, "
			"%u vectors\n", p->id, s->n_vectors);
}

static int ivs_listen(struct ivs_server *s, char *tmp, size_t tmplen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;

	if ((size_t)snprintf(tmp, tmplen, "%s.%ld.tmp", s->path,
			     (long)getpid()) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "nirq-ivshmem-server: -S %s: socket path longer "
			"than %zu bytes\n", s->path, sizeof(sa.sun_path) - 16);
		return -1;
	}
	if (lstat(s->path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "nirq-ivshmem-server: -S %s: exists and is not a "
			"socket\n", s->path);
		return -1;
	}
	memcpy(sa.sun_path, tmp, strlen(tmp) + 1);
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0 ||
	    bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->listen_fd, 4) < 0 || rename(tmp, s->path) < 0) {
		fprintf(stderr, "nirq-ivshmem-server: -S %s: %s\n", s->path,
			strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void ivs_usage(void)
{
	fprintf(stderr,
		"usage: nirq-ivshmem-server -S SOCKET -n VECTORS [-m BYTES] [-P] [-v]\n"
		"  -S SOCKET   unix socket path for QEMU's -chardev socket,path=\n"
		"  -n VECTORS  eventfds per peer, 1..%u (the device's vectors=)\n"
		"  -m BYTES    shared memory size, a power of two >= 4096 (default %u)\n"
		"  -P          exit when the parent process exits\n"
		"  -v          log connects and disconnects to stderr\n",
		IVS_MAX_VECTORS, IVS_DEFAULT_SIZE);
}

static int ivs_parse_uint(const char *opt, const char *arg, unsigned long min,
			  unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || *out < min ||
	    *out > max) {
		fprintf(stderr, "nirq-ivshmem-server: %s %s: must be a number "
			"%lu..%lu\n", opt, arg, min, max);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ivs_server s = { .listen_fd = -1, .shm_fd = -1 };
	unsigned long size = IVS_DEFAULT_SIZE, n = 0;
	struct pollfd pfd[IVS_MAX_PEERS + 1];
	struct ivs_peer *who[IVS_MAX_PEERS + 1];
	struct sigaction sa = { .sa_handler = ivs_on_signal };
	char tmp[sizeof(((struct sockaddr_un *)0)->sun_path) + 32];
	int opt, rc = 1;
	unsigned i;

	for (i = 0; i < IVS_MAX_PEERS; i++)
		s.peer[i].sock = -1;
	while ((opt = getopt(argc, argv, "S:n:m:Pvh")) != -1) {
		switch (opt) {
		case 'S':
			s.path = optarg;
			break;
		case 'n':
			if (ivs_parse_uint("-n", optarg, 1, IVS_MAX_VECTORS, &n))
				return 2;
			break;
		case 'm':
			if (ivs_parse_uint("-m", optarg, 4096, 1ul << 30, &size))
				return 2;
			if (size & (size - 1)) {
				fprintf(stderr, "nirq-ivshmem-server: -m %s: must "
					"be a power of two (it becomes a PCI BAR)\n",
					optarg);
				return 2;
			}
			break;
		case 'P':
			if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 ||
			    getppid() == 1)
				return 1;
			break;
		case 'v':
			s.verbose = 1;
			break;
		default:
			ivs_usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!s.path || !n || optind != argc) {
		ivs_usage();
		return 2;
	}
	s.n_vectors = (unsigned)n;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	s.shm_fd = memfd_create("nirq-ivshmem", MFD_CLOEXEC);
	if (s.shm_fd < 0 || ftruncate(s.shm_fd, (off_t)size) < 0) {
		fprintf(stderr, "nirq-ivshmem-server: shared memory of %lu bytes: "
			"%s\n", size, strerror(errno));
		goto out;
	}
	if (ivs_listen(&s, tmp, sizeof(tmp)))
		goto out;
	if (s.verbose)
		fprintf(stderr, "nirq-ivshmem-server: listening on %s, %u "
			"vectors, %lu bytes\n", s.path, s.n_vectors, size);

	while (!ivs_stop) {
		unsigned nfds = 1;

		pfd[0] = (struct pollfd){ .fd = s.listen_fd, .events = POLLIN };
		who[0] = NULL;
		for (i = 0; i < IVS_MAX_PEERS; i++) {
			if (s.peer[i].sock < 0)
				continue;
			/* Clients never send: readable means gone. */
			pfd[nfds] = (struct pollfd){ .fd = s.peer[i].sock,
						     .events = POLLIN };
			who[nfds++] = &s.peer[i];
		}
		if (poll(pfd, nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "nirq-ivshmem-server: poll: %s\n",
				strerror(errno));
			goto out;
		}
		for (i = 1; i < nfds; i++) {
			char c;

			if (!pfd[i].revents)
				continue;
			if (recv(pfd[i].fd, &c, 1, MSG_DONTWAIT) > 0)
				continue;	/* unexpected data: ignore it */
			ivs_drop(&s, who[i]);
		}
		if (pfd[0].revents & POLLIN)
			ivs_accept(&s);
	}
	rc = 0;
out:
	for (i = 0; i < IVS_MAX_PEERS; i++)
		ivs_peer_free(&s.peer[i]);
	if (s.listen_fd >= 0) {
		close(s.listen_fd);
		unlink(s.path);
	}
	if (s.shm_fd >= 0)
		close(s.shm_fd);
	return rc;
}
