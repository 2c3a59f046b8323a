// SPDX-License-Identifier: MIT
/*
 * dev.c - DMA between page frames and devices.
 *
 * Not a kernel file: stands for the adapters behind tcp_sendpage and
 * submit_bio.  A transfer is two visible steps on the page frame, start
 * and completion, so that a conversion between them is seen, and one
 * ghost step on the device's own state (what it stores or reads).  On s390
 * hardware an I/O touching a secure page fails (the cover letter of the PV
 * series: I/O "will just fail"); the model reports it as INV-01 at the
 * start or the completion, and checks INV-02 (the I/O protocol) there.
 */
#include "model/world.h"
#include "inv/inv.h"

/**
 * dev_dma_to_device - the device reads @page (transmit, block write).
 * @slot: block slot (block device) or ignored (NIC).
 * @path: the kernel path that started the I/O, for reports.
 * Context: the issuing thread holds a marker on @page.  Return: 0.
 */
int dev_dma_to_device(struct mdl_dev *dev, struct page *page, int slot, const char *path)
{
	struct frame *f = page_frame(page);
	struct frame data;

	/*
	 * INV-01 and INV-02 at the instant of the start: the step on the
	 * frame reads the page too (vis_also), so the marker, PG_arch_1 and
	 * the frame are judged as they are at that instant, and a step that
	 * writes the page is ordered against the start.
	 */
	vis_also(VIS_KIND_READ, page);
	VIS_READ(f, "DMA to device: start");
	if (vis_recording())
		vis_note("%s: %s reads %s", path, dev->name, page->name);
	inv_dma_start(page, true, VIS_SITE("dev_dma_to_device"));
	inv_dma_marker(page, true, VIS_SITE("dev_dma_to_device"));
	/*
	 * The marker is held until the transfer ends: judged at the end's
	 * step, which reads the page too.  The two steps are this thread's
	 * next two, so a drop between them is seen there in the run that
	 * delays whatever the dropper does next (doc/engine.md).
	 */
	vis_also(VIS_KIND_READ, page);
	VIS_READ(f, "DMA to device: complete");
	inv_dma_marker(page, false, VIS_SITE("dev_dma_to_device"));
	inv_dma_end(page, true, VIS_SITE("dev_dma_to_device"));
	data = *f;
	/*
	 * The device keeps what it read in a step on its own state: two
	 * transfers to one device (or a transfer and a slot allocation or
	 * a tamper) then order their writes of dev->slot.  Storing it in the
	 * frame's step above wrote the device unannounced (make audit, on a
	 * generated scenario: two sends to one NIC).
	 */
	VIS_GHOST_RMW(&dev->queue, "DMA to device: the device stores the data");
	if (dev->kind == DEV_NIC) {
		dev->slot[dev->nr_tx % MDL_DEV_SLOTS] = data;
		dev->nr_tx++;
	} else if (slot >= 0 && slot < MDL_DEV_SLOTS) {
		dev->slot[slot] = data;
		dev->slot_used[slot] = true;
	}
	return 0;
}

/**
 * dev_dma_from_device - the device writes @page (block read).
 * Context and Return: as dev_dma_to_device().
 */
int dev_dma_from_device(struct mdl_dev *dev, struct page *page, int slot, const char *path)
{
	struct frame *f = page_frame(page);
	struct frame data = { 0 };

	/* INV-01 and INV-02 at the instant of the start (see above) */
	vis_also(VIS_KIND_READ, page);
	VIS_WRITE(f, "DMA from device: start");
	if (vis_recording())
		vis_note("%s: %s writes %s", path, dev->name, page->name);
	inv_dma_start(page, false, VIS_SITE("dev_dma_from_device"));
	inv_dma_marker(page, true, VIS_SITE("dev_dma_from_device"));
	/* the device reads its block in a step on its own state (see above) */
	VIS_GHOST_READ(&dev->queue, "DMA from device: the device reads the block");
	if (slot >= 0 && slot < MDL_DEV_SLOTS)
		data = dev->slot[slot];
	/* the marker held to the end, judged in the end's step (see above) */
	vis_also(VIS_KIND_READ, page);
	VIS_WRITE(f, "DMA from device: complete");
	inv_dma_marker(page, false, VIS_SITE("dev_dma_from_device"));
	inv_dma_end(page, false, VIS_SITE("dev_dma_from_device"));
	inv_write_kept(page, dev->name, VIS_SITE("dev_dma_from_device"));
	if (slot >= 0 && slot < MDL_DEV_SLOTS)
		*f = data;
	return 0;
}

/**
 * dev_alloc_slot - a free block slot of @dev (swap slot allocation).
 * Context: any.  Return: the slot, or -1.
 */
int dev_alloc_slot(struct mdl_dev *dev)
{
	int i;

	VIS_RMW(&dev->queue, "get_swap_page / block allocation");
	for (i = 0; i < MDL_DEV_SLOTS; i++) {
		if (!dev->slot_used[i]) {
			dev->slot_used[i] = true;
			return i;
		}
	}
	return -1;
}
