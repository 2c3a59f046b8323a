/* SPDX-License-Identifier: MIT */
/*
 * dev.h - devices that move page contents by DMA: a NIC (transmit only)
 * and a block device (read and write of numbered slots, also the swap
 * device).
 *
 * Stands for the device drivers behind tcp_sendpage/e1000_xmit_frame and
 * behind submit_bio (channel I/O on s390).  Abstracted away: queues,
 * interrupts, partial transfers; a transfer is two visible steps, start and
 * completion, both on the issuing thread.  On hardware, a transfer touching
 * a secure page fails with an I/O error; here that is where INV-01 is
 * checked and reported.
 */
#ifndef PVM_DEV_DEV_H
#define PVM_DEV_DEV_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/mm.h"

/* Contents of a page frame or a device block. */
struct frame {
	uint32_t data;
	bool cipher;		/* holds firmware ciphertext, not guest plaintext */
};

enum mdl_dev_kind { DEV_NIC, DEV_BLOCK };

struct mdl_dev {
	char queue;			/* object identity of the device */
	enum mdl_dev_kind kind;
	struct frame slot[MDL_DEV_SLOTS];	/* block contents; NIC: sent frames */
	bool slot_used[MDL_DEV_SLOTS];
	int nr_tx;
	/* ==== model bookkeeping ==== */
	int id;
	char name[16];
};

int dev_dma_to_device(struct mdl_dev *dev, struct page *page, int slot, const char *path);
int dev_dma_from_device(struct mdl_dev *dev, struct page *page, int slot, const char *path);
int dev_alloc_slot(struct mdl_dev *dev);

#endif /* PVM_DEV_DEV_H */
