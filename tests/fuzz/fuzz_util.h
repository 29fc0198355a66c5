/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Shared by the libFuzzer targets: a reader that turns the fuzzer's bytes
 * into bounded values (exhausted input reads as zeros), a check that aborts
 * with the broken property (libFuzzer then saves the input), and capture of
 * stdout/stderr for code that prints (the CLI parser).
 */
#ifndef NIRQ_FUZZ_UTIL_H
#define NIRQ_FUZZ_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The entry point every target defines (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fz_u8(struct fz *f)
{
	uint8_t v = 0;

	if (f->n) {
		v = *f->p++;
		f->n--;
	}
	return v;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t lo = fz_u8(f);

	return (uint16_t)(lo | (uint16_t)fz_u8(f) << 8);
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t lo = fz_u16(f);

	return lo | (uint32_t)fz_u16(f) << 16;
}

/* Up to @max bytes into @buf; the rest of @buf is zero. Return: bytes taken. */
static inline size_t fz_bytes(struct fz *f, void *buf, size_t max)
{
	size_t n = f->n < max ? f->n : max;

	memset(buf, 0, max);
	memcpy(buf, f->p, n);
	f->p += n;
	f->n -= n;
	return n;
}

static inline void fz_fail(const char *file, int line, const char *cond,
			   const char *fmt, ...) __attribute__((noreturn, format(printf, 4, 5)));

static inline void fz_fail(const char *file, int line, const char *cond,
			   const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz property broken at %s:%d: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* FZ_CHECK(cond, fmt, ...) - the property @cond must hold; abort otherwise. */
#define FZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

/*
 * Capture of what the code under test prints to stdout and stderr. The
 * FILE pointers are swapped (glibc lets programs assign them); fds 1 and 2
 * stay untouched, so sanitizer and libFuzzer reports still reach the
 * terminal.
 */
struct fz_capture {
	FILE *saved_out, *saved_err;
	char *out, *err;
	size_t out_len, err_len;
};

static inline void fz_capture_begin(struct fz_capture *c)
{
	memset(c, 0, sizeof(*c));
	c->saved_out = stdout;
	c->saved_err = stderr;
	stdout = open_memstream(&c->out, &c->out_len);
	stderr = open_memstream(&c->err, &c->err_len);
	if (!stdout || !stderr)
		abort();
}

/* Restore stdout/stderr; c->out and c->err hold the text until fz_capture_free. */
static inline void fz_capture_end(struct fz_capture *c)
{
	fclose(stdout);
	fclose(stderr);
	stdout = c->saved_out;
	stderr = c->saved_err;
}

static inline void fz_capture_free(struct fz_capture *c)
{
	free(c->out);
	free(c->err);
}

#endif /* NIRQ_FUZZ_UTIL_H */
