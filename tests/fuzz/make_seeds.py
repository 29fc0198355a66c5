#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The ndisirq authors.
# Writes the binary seed inputs of fuzz_sim_config and fuzz_interrupt_chars
# into corpus/<target>/ (the text seeds of fuzz_policy and fuzz_cli are
# written by hand). Run from anywhere: python3 tests/fuzz/make_seeds.py.
# The layouts are documented at the top of each target's .c file.
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes(data))


# ---- fuzz_sim_config: opcodes in the order of ops[] in fuzz_sim_config.c
(CFG_WRITE, CFG_READ, MMIO_READ, MMIO_WRITE, ALLOC, FREE, MASK, UNMASK,
 CONSUME, VECTOR_FD, LINE_DONE, INJECT, SPURIOUS, FOREIGN, FUNCTION_MASK,
 DESCRIBE, MAP, OBSERVE) = range(18)
EDU, E1000E, E1000 = 0, 1, 2          # byte 0: model = 1 + b % 3
LINE, MSI, MSIX = 1, 2, 3


def u8(v): return [v & 0xff]
def u16(v): return list(struct.pack("<H", v))
def u32(v): return list(struct.pack("<I", v & 0xffffffff))


def cfg_write(off, data): return u8(CFG_WRITE) + u16(off) + u8(len(data)) + list(data)
def cfg_read(off, n): return u8(CFG_READ) + u16(off) + u8(n)
def mmio_w(bar, off, val, size=4): return u8(MMIO_WRITE) + u8(bar | size << 3) + u32(off) + u32(val)
def mmio_r(bar, off, size=4): return u8(MMIO_READ) + u8(bar | size << 3) + u32(off)
def alloc(kind, n): return u8(ALLOC) + u8(kind) + u16(n)
def vec_op(op, v): return u8(op) + u16(v)
def inject(c): return u8(INJECT) + u32(c)


def sim_seeds():
    t = "fuzz_sim_config"
    ivar = 0x8 | 0x9 << 4 | 0xa << 8 | 0xb << 12 | 0xc << 16
    write(t, "e1000e-msix-ivar-pba", u8(E1000E) + alloc(MSIX, 5) +
          sum((vec_op(UNMASK, v) for v in range(5)), []) +
          mmio_w(0, 0xe4, ivar) + mmio_w(0, 0xd0, 0x01f00000) +
          inject(0x00100000) + vec_op(CONSUME, 0) + vec_op(MASK, 1) +
          inject(0x00200000) + mmio_r(3, 0x2000) + vec_op(OBSERVE, 1) +
          mmio_w(3, 0x1c, 0) + vec_op(CONSUME, 1) + u8(FREE))
    write(t, "e1000e-function-mask", u8(E1000E) + alloc(MSIX, 2) +
          vec_op(UNMASK, 0) + u8(FUNCTION_MASK) + u8(1) + u16(0) +
          mmio_w(0, 0xe4, 0x8) + mmio_w(0, 0xd0, 0x00100000) +
          inject(0x00100000) + cfg_write(0xa3, [0x80]) + vec_op(CONSUME, 0))
    write(t, "e1000e-msi-config", u8(E1000E) + cfg_write(0xd2, [0x71, 0x00]) +
          mmio_w(0, 0xd0, 0x1) + inject(0x1) + alloc(MSI, 1) + vec_op(UNMASK, 0) +
          inject(0x1) + vec_op(CONSUME, 0) + cfg_read(0xd0, 24))
    write(t, "e1000e-io-bar", u8(E1000E) + mmio_w(2, 0, 0xd0) + mmio_w(2, 4, 0x4) +
          mmio_r(2, 4) + mmio_w(2, 0, 0xc0) + mmio_r(2, 4) + cfg_read(0xff0, 32))
    write(t, "edu-msi", u8(EDU) + alloc(MSI, 1) + vec_op(UNMASK, 0) +
          mmio_w(0, 0x60, 1) + vec_op(CONSUME, 0) + mmio_r(0, 0x24) +
          mmio_w(0, 0x64, 1) + vec_op(VECTOR_FD, 0) + u8(FREE))
    write(t, "edu-line-foreign", u8(EDU) + alloc(LINE, 1) + vec_op(UNMASK, 0) +
          inject(1) + vec_op(CONSUME, 0) + vec_op(LINE_DONE, 0) +
          mmio_w(0, 0x64, 1) + vec_op(LINE_DONE, 0) + u8(FOREIGN) +
          vec_op(CONSUME, 0) + vec_op(LINE_DONE, 0) + u8(FREE))
    write(t, "edu-config", u8(EDU) + cfg_write(0x04, [0x07, 0x04]) +
          cfg_write(0x10, [0xff] * 4) + cfg_read(0x10, 4) +
          cfg_write(0x42, [0x01]) + mmio_w(0, 0x08, 5) + mmio_w(0, 0x20, 0x80) +
          mmio_w(0, 0x08, 4) + cfg_read(0xf8, 16) + u8(DESCRIBE) + u8(6) +
          u8(MAP) + u8(0))
    write(t, "e1000-line", u8(E1000) + alloc(LINE, 1) + vec_op(UNMASK, 0) +
          mmio_w(0, 0xd0, 0x80) + inject(0x80) + vec_op(CONSUME, 0) +
          mmio_r(0, 0xc0) + vec_op(LINE_DONE, 0) + alloc(MSI, 1) +
          vec_op(SPURIOUS, 0) + u8(FREE))
    # faults: no-msix (0x08), msix_count=3 (0x10), vector_limit (0x20), fail-at (0x40)
    write(t, "e1000e-faults", u8(E1000E | 0x10 | 0x20 | 0x40) + u16(3) + u8(2) +
          u8(1) + alloc(MSIX, 3) + alloc(MSIX, 3) + alloc(MSIX, 2) + u8(FREE) +
          alloc(MSI, 1))
    write(t, "e1000e-no-msix-alloc-fail-all", u8(E1000E | 0x08 | 0x80) +
          alloc(MSIX, 1) + alloc(MSI, 1) + alloc(LINE, 1) + u8(FREE))


# ---- fuzz_interrupt_chars: see the layout in fuzz_interrupt_chars.c
def chars_image(handlers=0xff, msi=1, sync_all=0, typ=0x84, rev=1, size=None):
    """NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS on LP64: header, 4 pointers,
    2 BOOLEANs (+6 padding), 4 pointers, InterruptType (+4), table pointer."""
    if size is None:
        size = 4 + 4 + 4 * 8 + 8 + 4 * 8 + 8 + 8   # 96
    ptr = lambda i: u64(1 if handlers >> i & 1 else 0)
    img = u8(typ) + u8(rev) + u16(size) + [0] * 4
    img += ptr(0) + ptr(1) + ptr(2) + ptr(3)
    img += u8(msi) + u8(sync_all) + [0] * 6
    img += ptr(4) + ptr(5) + ptr(6) + ptr(7)
    img += u32(0) + [0] * 4 + u64(0)
    return img


def u64(v): return list(struct.pack("<Q", v))


def intr_seeds():
    t = "fuzz_interrupt_chars"
    # setup: model, policy flags, message limit, processors, fault, actions
    def setup(model, msi_policy=1, limit=0, procs=4, fault=0, causes=0xffffffff,
              targets=0, act=3):
        return (u8(model | (0 if msi_policy else 4)) + u8(limit) + u8(procs) +
                u8(fault) + u32(causes) + u32(targets) + u8(act))
    write(t, "e1000e-msix-valid", setup(E1000E) + chars_image())
    write(t, "edu-msi-valid", setup(EDU) + chars_image())
    write(t, "e1000-line-valid", setup(E1000) + chars_image(handlers=0x03, msi=0))
    write(t, "e1000e-msi-off-policy", setup(E1000E, msi_policy=0) +
          chars_image(msi=0, handlers=0x0f))
    write(t, "e1000e-msix-without-msisupported", setup(E1000E) + chars_image(msi=0))
    write(t, "e1000e-limit-2-sync-all", setup(E1000E, limit=2, targets=0x6) +
          chars_image(sync_all=1))
    write(t, "edu-bad-type", setup(EDU) + chars_image(typ=0x80))
    write(t, "edu-bad-revision", setup(EDU) + chars_image(rev=2))
    write(t, "edu-short-size", setup(EDU) + chars_image(size=8))
    write(t, "edu-large-size", setup(EDU) + chars_image(size=0x1000))
    write(t, "edu-null-isr", setup(EDU) + chars_image(handlers=0xfe))
    write(t, "edu-null-msg-dpc", setup(EDU) + chars_image(handlers=0xdf))
    write(t, "e1000e-alloc-fault", setup(E1000E, fault=3) + chars_image())


if __name__ == "__main__":
    sim_seeds()
    intr_seeds()
