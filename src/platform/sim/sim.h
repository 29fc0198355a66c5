/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Private to src/platform/sim: one simulated PCI function (config space,
 * MSI, MSI-X table and PBA, a shared level-triggered INTx line, one eventfd
 * per vector) and the interface between it and the device models.
 */
#ifndef NIRQ_SIM_H
#define NIRQ_SIM_H

#include <assert.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ndisirq/nirq_platform_sim.h>

#include "os/spin.h"

/* ---- PCI facts (PCI Local Bus 3.0, PCI Express Base) ---- */
#define PCI_CFG_SIZE 256u
#define PCIE_CFG_SIZE 4096u
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS 0x06
#define PCI_STATUS_INTERRUPT 0x0008
#define PCI_STATUS_CAP_LIST 0x0010
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_CACHE_LINE_SIZE 0x0c
#define PCI_LATENCY_TIMER 0x0d
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_BASE_ADDRESS_IO 0x01
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_EXP 0x10
#define PCI_CAP_ID_MSIX 0x11

/* MSI capability: control word at +2, then address, [address high], data, [mask, pending]. */
#define PCI_MSI_FLAGS 2
#define PCI_MSI_FLAGS_ENABLE 0x0001
#define PCI_MSI_FLAGS_QMASK 0x000e  /* multiple message capable, log2 */
#define PCI_MSI_FLAGS_QSIZE 0x0070  /* multiple message enable, log2 */
#define PCI_MSI_FLAGS_64BIT 0x0080
#define PCI_MSI_FLAGS_MASKBIT 0x0100
#define PCI_MSI_ADDRESS_LO 4
#define PCI_MSI_ADDRESS_HI 8
#define PCI_MSI_DATA_64 12
#define PCI_MSI_MASK_64 16
#define PCI_MSI_PENDING_64 20

/* MSI-X capability: control at +2, table offset/BIR at +4, PBA offset/BIR at +8. */
#define PCI_MSIX_FLAGS 2
#define PCI_MSIX_FLAGS_QSIZE 0x07ff
#define PCI_MSIX_FLAGS_MASKALL 0x4000
#define PCI_MSIX_FLAGS_ENABLE 0x8000
#define PCI_MSIX_TABLE 4
#define PCI_MSIX_PBA 8
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_MSIX_ENTRY_VECTOR_CTRL 12
#define PCI_MSIX_ENTRY_CTRL_MASKBIT 0x1

/* Synthetic interrupt numbers reported by vector_number(). */
#define SIM_MSG_VECTOR_BASE 0x40u
#define SIM_LINE_VECTOR 11u
/* The address x86 MSI messages target (local APIC window). */
#define SIM_MSI_ADDRESS 0xfee00000u

/* Largest MSI-X table: it must fit below the PBA (e1000e: PBA at 0x2000). */
#define SIM_MAX_VECTORS 512u
#define SIM_MAX_MAPPINGS 16u

struct nirq_sim;

/* What a device model provides. Every op runs with the sim lock held. */
struct sim_model_ops {
	void (*reset)(struct nirq_sim *s);
	uint32_t (*read)(struct nirq_sim *s, unsigned bar, uint64_t off, unsigned size);
	void (*write)(struct nirq_sim *s, unsigned bar, uint64_t off, unsigned size,
		      uint32_t val);
	void (*inject)(struct nirq_sim *s, uint32_t causes);
};

struct sim_bar_desc {
	uint32_t size; /* 0 = not implemented; a power of two */
	bool io;
};

/* A device model's PCI identity; constant. Capability offsets: 0 = absent. */
struct sim_model {
	enum nirq_sim_model id;
	const char *name;
	uint16_t vendor, device, subsys_vendor, subsys;
	uint8_t revision;
	uint32_t class_code; /* base << 16 | sub << 8 | prog-if */
	uint32_t cfg_size;
	struct sim_bar_desc bar[6];
	uint8_t cap_order[4]; /* capability offsets, list head first, 0-terminated */
	uint8_t pm_cap, pcie_cap, msi_cap, msix_cap;
	uint32_t msi_count; /* power of two <= 32 */
	bool msi_maskable;
	uint32_t msix_count;
	uint8_t msix_bar;
	uint32_t msix_table_off, msix_pba_off;
	const struct sim_model_ops *ops;
};

extern const struct sim_model nirq__sim_edu;
extern const struct sim_model nirq__sim_e1000e;
extern const struct sim_model nirq__sim_e1000;

/* Model register state. e1000 and e1000e keep the whole 128 KiB register file. */
struct sim_edu {
	uint32_t addr4, fact, status, irq_status;
	uint32_t dma[8]; /* 0x80..0x9c, plain storage */
};

#define SIM_E1000_REGS (0x20000u / 4u)

struct sim_e1000 {
	uint32_t ioaddr; /* e1000e I/O BAR indirection */
	uint32_t notified; /* causes signalled since pending (QEMU msi_causes_pending) */
	uint32_t mac[SIM_E1000_REGS];
};

/* Per-vector state of the current allocation. Guarded by the sim lock. */
struct sim_vector {
	int fd;            /* eventfd; -1 when not allocated */
	bool soft_masked;  /* platform mask for vectors without a hardware mask */
	bool soft_pending; /* a message held while soft-masked (MSI) */
	uint64_t raised;   /* messages the device raised since alloc_vectors */
};

struct sim_mapping {
	void *va;
	size_t len;
	unsigned bar;
};

/*
 * struct nirq_sim - one simulated PCI function.
 *
 * Lock keys: (c) constant after create; (l) guarded by @lock.
 * Lock: @locked is a short spin lock (the ISR path takes it for register
 * accesses and vector_consume); nothing under it allocates, logs or sleeps.
 */
struct nirq_sim {
	struct nirq_platform base;        /* (c) first: the platform handle */
	struct nirq_spin lock;            /* the sim lock (nirq__sim_lock) */
	const struct sim_model *mdl;      /* (c) */
	struct nirq_sim_faults faults;    /* (c) */
	uint32_t cfg_size;                /* (c) */
	uint8_t msi_cap, msix_cap;        /* (c) present capabilities after faults */
	uint32_t msix_count;              /* (c) table size after faults */
	uint8_t cfg[PCIE_CFG_SIZE];       /* (l) config space */
	uint8_t wmask[PCIE_CFG_SIZE];     /* (c) writable bits */
	uint8_t w1cmask[PCIE_CFG_SIZE];   /* (c) write-1-to-clear bits */
	uint8_t msix_table[SIM_MAX_VECTORS * PCI_MSIX_ENTRY_SIZE]; /* (l) */
	uint64_t msix_pba[SIM_MAX_VECTORS / 64];                   /* (l) */
	uint32_t alloc_calls;             /* (l) alloc_vectors calls so far */
	enum nirq_intr_kind kind;         /* (l) current allocation */
	uint32_t nvec;                    /* (l) */
	struct sim_vector vec[SIM_MAX_VECTORS]; /* (l) */
	bool line_signalled;  /* (l) fd written; waiting for line_done (automask) */
	bool line_dev_level;  /* (l) our device asserted INTx at the last sample */
	bool intx_latch;      /* (l) INTx as the model last set it (QEMU pci_set_irq);
			       * cleared while MSI or MSI-X is enabled */
	bool foreign;         /* (l) a foreign device asserts the shared line */
	struct sim_mapping map[SIM_MAX_MAPPINGS]; /* (l) */
	void (*arm_hook)(struct nirq_platform *pf, void *arg); /* (l) */
	void *arm_arg;                    /* (l) */
	union {
		struct sim_edu edu;
		struct sim_e1000 e1k;
	} dev;                            /* (l) device model registers */
};

/* Public functions of nirq_platform_sim.h are exported from the library. */
#define SIM_API __attribute__((visibility("default")))

extern const struct nirq_platform_ops nirq__sim_ops;

struct nirq_sim *nirq__sim_from(struct nirq_platform *pf);
/* sim_dma.c: the dma_alloc/dma_free platform ops (zeroed pages, no device access). */
int nirq__sim_dma_alloc(struct nirq_platform *pf, size_t size, void **va, uint64_t *iova);
void nirq__sim_dma_free(struct nirq_platform *pf, void *va, size_t size);
void nirq__sim_lock(struct nirq_sim *s);
void nirq__sim_unlock(struct nirq_sim *s);
/* First line of every _locked function (compiled out with NDEBUG). */
#define sim_assert_locked(s) \
	assert(nirq__spin_held(&(s)->lock))

/* sim_pci.c: config space and interrupt delivery. All _locked. */
void nirq__sim_cfg_build(struct nirq_sim *s);
uint32_t nirq__sim_cfg_rd(const struct nirq_sim *s, uint32_t off, unsigned len);
void nirq__sim_cfg_access_locked(struct nirq_sim *s, uint32_t off, void *buf,
				 uint32_t len, bool write);
bool nirq__sim_msi_enabled(const struct nirq_sim *s);
bool nirq__sim_msix_enabled(const struct nirq_sim *s);
void nirq__sim_msg_notify_locked(struct nirq_sim *s, uint32_t vec);
void nirq__sim_intx_update_locked(struct nirq_sim *s);
void nirq__sim_set_irq_locked(struct nirq_sim *s, bool level);
void nirq__sim_line_done_locked(struct nirq_sim *s);
void nirq__sim_vec_mask_locked(struct nirq_sim *s, uint32_t vec, bool masked);
void nirq__sim_msix_flush_locked(struct nirq_sim *s);
void nirq__sim_enable_locked(struct nirq_sim *s, enum nirq_intr_kind kind, uint32_t n);
void nirq__sim_disable_locked(struct nirq_sim *s);
bool nirq__sim_msix_entry_masked(const struct nirq_sim *s, uint32_t vec);
bool nirq__sim_msix_is_pending(const struct nirq_sim *s, uint32_t vec);
void nirq__sim_msix_clr_pending_locked(struct nirq_sim *s, uint32_t vec);
uint32_t nirq__sim_msix_mmio_read_locked(struct nirq_sim *s, uint64_t off);
void nirq__sim_msix_mmio_write_locked(struct nirq_sim *s, uint64_t off, uint32_t val);
void nirq__sim_signal_locked(struct nirq_sim *s, uint32_t vec);

#endif /* NIRQ_SIM_H */
