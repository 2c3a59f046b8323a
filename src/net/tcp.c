// SPDX-License-Identifier: MIT
/*
 * tcp.c - send(2)/sendmsg(2) with MSG_ZEROCOPY on a TCP socket, one page
 * of user memory, as of v5.7:
 *
 *   net/ipv4/tcp.c     tcp_sendmsg: lock_sock, tcp_sendmsg_locked:
 *                      sock_zerocopy_realloc (the ubuf_info that reports
 *                      completion), skb_zerocopy_iter_stream; tcp_push
 *                      -> tcp_write_xmit -> the driver's xmit; release_sock
 *   net/core/skbuff.c  skb_zerocopy_iter_stream -> __zerocopy_sg_from_iter
 *   net/core/datagram.c __zerocopy_sg_from_iter: iov_iter_get_pages
 *                      (FOLL_GET gup-fast, no hook in v5.7), the pages
 *                      become the skb's frags (skb_fill_page_desc)
 *   net/core/skbuff.c  skb_release_data when the last user of the data
 *                      is gone (the transmitted clone freed at TX
 *                      completion, the original when the data is ACKed):
 *                      put_page of each frag, then the ubuf_info callback
 *                      (sock_zerocopy_callback) queues the notification.
 *
 * The user pages reach the device with a plain reference and no
 * arch_make_page_accessible(): v5.7 gup skips the hook for FOLL_GET
 * (mm/gup.c follow_page_pte and gup_pte_range: "if (flags & FOLL_PIN)").
 * Dave Hansen's debug patch caught sendmsg/udp_sendmsg traces of this
 * kind (the later ones came from a flaw in the patch, and plain sends copy
 * into kernel pages; MSG_ZEROCOPY does not).
 *
 * Abstracted away (doc/protocol.md "MSG_ZEROCOPY"): the socket and its
 * lock (lock_sock orders senders on one socket; what it protects, the
 * write queue and the skb, is private to one call here), the skb and its
 * clones (one transfer stands for the first transmission; a retransmit
 * reads the same page again under the same reference), the header copy,
 * SO_ZEROCOPY and a device without NETIF_F_SG (then v5.7 copies: no
 * user page reaches the NIC), local delivery (the receive path's
 * skb_orphan_frags_rx copies), the
 * completion notification on the error queue.  The model's NIC is
 * SG-capable and its transmit is dev_dma_to_device().
 */
#include "model/world.h"
#include "net/net.h"
#include "inv/inv.h"

/*
 * __zerocopy_sg_from_iter - the pages of @from as @skb's frags: for each
 * round, iov_iter_get_pages (the references become the frags'),
 * iov_iter_advance, skb_fill_page_desc.  The model's skb is the array
 * @frags of @nr_frags (MAX_SKB_FRAGS: 1 here).
 * Context: socket locked (process context, may sleep in gup's slow path).
 * Return: 0, -EMSGSIZE (no frag left), -EFAULT (gup failed).
 */
static int __zerocopy_sg_from_iter(struct page **frags, int *nr_frags, int max_frags,
				   struct iov_iter *from, unsigned long length)
{
	KERNEL_FRAME();
	int frag = *nr_frags;

	while (length && from->count) {
		struct page *pages[1];
		unsigned long start;
		long copied;
		int n = 0;

		if (frag == max_frags)
			return -EMSGSIZE;
		copied = iov_iter_get_pages(from, pages, length,
					    (unsigned int)(max_frags - frag), &start);
		if (copied < 0)
			return -EFAULT;
		iov_iter_advance(from, (unsigned long)copied);
		length -= (unsigned long)copied;
		/* skb->len, truesize, sk_wmem_queued: no page state */
		while (copied) {
			long size = copied < (long)(PAGE_SIZE - start) ? copied :
				    (long)(PAGE_SIZE - start);

			frags[frag++] = pages[n];	/* skb_fill_page_desc */
			start = 0;
			copied -= size;
			n++;
		}
	}
	*nr_frags = frag;
	return 0;
}

/*
 * skb_release_data - the last reference to the skb's data is gone:
 * put_page of each frag (__skb_frag_unref), then skb_zcopy_clear ->
 * sock_zerocopy_callback (the completion the user reads from the error
 * queue; not modelled).  Context: any (softirq for a TX completion).
 */
static void skb_release_data(struct page **frags, int nr_frags)
{
	KERNEL_FRAME();
	for (int i = 0; i < nr_frags; i++)
		put_page(frags[i], ref_thread(REF_GUP));
}

/**
 * tcp_sendmsg_zerocopy - send(2) of the page at @addr of @mm with
 * MSG_ZEROCOPY on a connected TCP socket whose route goes out through
 * @nic (SG-capable): the NIC reads the user page itself.
 * @mm: the sender's mm; @addr: the page's user address; @nic: the NIC.
 *
 * v5.7 order: lock_sock; sock_zerocopy_realloc; skb_zerocopy_iter_stream
 * -> __zerocopy_sg_from_iter -> iov_iter_get_pages -> get_user_pages_fast
 * (gup_flags 0: a WRITE iterator; FOLL_GET added, so no
 * arch_make_page_accessible()); tcp_push -> the driver's xmit: DMA from
 * the page; release_sock; the data ACKed and the transmitted clone freed:
 * skb_release_data puts the page.  The reference is held from the grab to
 * after the last transfer, so an import that starts after the grab fails
 * its freeze (expected_page_refs) and waits; an import that finished
 * before it leaves a secure page that nothing exports:
 *   1. guest: imports the page (make_secure_pte, freeze at the expected
 *             count, convert);
 *   2. here:  gup-fast: PTE present, the grab succeeds, FOLL_GET: no hook;
 *   3. here:  the NIC reads a secure page (an I/O error on hardware,
 *             INV-01), each retransmit again.
 * With knob foll_get_hook=on step 2 exports the page after the grab, and
 * the reference keeps it exported until the put.
 * Context: process context; the socket lock (not modelled), then gup's
 * (mmap_sem for reading on the slow path); may sleep.
 * Return: the bytes sent (4096), -EFAULT (nothing mapped at @addr, or
 * gup failed), as tcp_sendmsg_locked's do_fault path reports it.
 */
long tcp_sendmsg_zerocopy(struct mm_struct *mm, unsigned long addr, struct mdl_dev *nic)
{
	kernel_frame("tcp_sendmsg_locked");
	struct page *frags[1];
	struct iov_iter msg_iter;
	int nr_frags = 0, err;

	iov_iter_init_user(&msg_iter, WRITE, mm, addr, PAGE_SIZE);
	/* skb_zerocopy_iter_stream: a fresh skb with no uarg yet */
	err = __zerocopy_sg_from_iter(frags, &nr_frags, 1, &msg_iter, PAGE_SIZE);
	if (err || !nr_frags) {
		/* ___pskb_trim back to the old length: nothing was taken */
		gup_log_reset();
		return -EFAULT;
	}
	/* INV-13: the frag is the page the user's address names */
	inv_dma_addr(mm, addr, frags[0], VIS_SITE("tcp_sendmsg_zerocopy"));
	gup_log_reset();
	/* tcp_push -> tcp_write_xmit -> tcp_transmit_skb -> the driver */
	dev_dma_to_device(nic, frags[0], 0, "tcp_sendmsg MSG_ZEROCOPY: xmit");
	skb_release_data(frags, nr_frags);
	return PAGE_SIZE;
}
