// SPDX-License-Identifier: MIT
/*
 * dump.c - print the model's state: pages with refcount and ghost holders,
 * flags, locks, firmware state; PTEs; pipes; devices.  Used for reports
 * and by mdl_dump_state() after a finding.
 */
#include <stdio.h>
#include <string.h>
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/fw.h"

static const char *const flag_names[NR_PAGEFLAGS] = {
	[PG_locked] = "locked", [PG_referenced] = "referenced", [PG_uptodate] = "uptodate",
	[PG_dirty] = "dirty", [PG_lru] = "lru", [PG_private] = "private",
	[PG_writeback] = "writeback", [PG_swapcache] = "swapcache", [PG_arch_1] = "arch_1",
	[PG_huge] = "huge", [PG_anon] = "anon",
	[PG_active] = "active", [PG_reclaim] = "reclaim",
};

static const char *fw_state_name(enum fw_page_state s)
{
	return s == FW_SECURE ? "secure" : s == FW_SHARED ? "shared" : "normal";
}

static const char *thread_name(int tid)
{
	if (tid < 0 || tid >= MDL_MAX_THREADS)
		return "-";
	return mdl_world.threads[tid].name[0] ? mdl_world.threads[tid].name : "main";
}

/* " of NAME": whose reference @tag is, in the scenario's names ("" for the page cache). */
static void holder_owner(const struct ref_tag *tag, char *buf, size_t n)
{
	int o = tag->owner;

	switch (tag->why) {
	case REF_NONE:
	case REF_CACHE:
	case REF_BUFFERS:
		buf[0] = '\0';
		break;
	case REF_MAP:		/* mm*16 + the address's index */
		if (o >= 0 && o / 16 < mdl_world.nr_mms && o % 16 < mdl_world.mms[o / 16].nr_addrs)
			snprintf(buf, n, " of %s addr %#lx", mdl_world.mms[o / 16].name,
				 mdl_world.mms[o / 16].addr[o % 16]);
		else
			snprintf(buf, n, " of pte %d", o);
		break;
	case REF_PIPE:		/* pipe index */
		if (o >= 0 && o < mdl_world.nr_pipes)
			snprintf(buf, n, " of pipe %s", mdl_world.pipes[o].name);
		else
			snprintf(buf, n, " of pipe %d", o);
		break;
	case REF_PVEC:		/* the cpu: a thread's, or one no thread runs on */
		if (o >= 0 && o < MDL_MAX_THREADS && mdl_world.threads[o].name[0])
			snprintf(buf, n, " of %s's cpu", mdl_world.threads[o].name);
		else
			snprintf(buf, n, " of cpu %d", o);
		break;
	default:		/* ref_thread(): the thread */
		snprintf(buf, n, " of %s", thread_name(o));
		break;
	}
}

static void dump_page(FILE *out, const struct page *page)
{
	struct fw_page_info fi = fw_get()->query(page->pfn);
	const struct frame *f = &mdl_world.frames[page->pfn];
	int i;

	fprintf(out, "  page %-8s pfn %d %s refcount %d mapcount %d flags [", page->name,
		page->pfn, page->allocated ? "allocated" : "free", page->_refcount,
		page_mapcount(page));
	for (i = 0; i < NR_PAGEFLAGS; i++)
		if (i == PG_locked ? PageLocked(page) : test_page_flag(page, i))
			fprintf(out, " %s", flag_names[i]);
	fprintf(out, " ] uv %s", fw_state_name(fi.state));
	if (fi.state != FW_NORMAL)
		fprintf(out, "(config %d, gfn %lu%s)", fi.config, fi.gfn,
			fi.pinned_shared ? ", pinned" : "");
	fprintf(out, " data %u%s\n", f->data, f->cipher ? " (ciphertext)" : "");
	if (page->mapping)
		fprintf(out, "    in page cache of %s index %lu\n", page->mapping->name, page->index);
	if (page->freeze_tid >= 0)
		fprintf(out, "    refcount frozen at %d by %s\n", page->freeze_count,
			thread_name(page->freeze_tid));
	if (page->lock_tid >= 0)
		fprintf(out, "    locked by %s\n", thread_name(page->lock_tid));
	for (i = 0; i < page->nholders; i++) {
		const struct ref_holder *h = &page->holders[i];
		char who[64];

		holder_owner(&h->tag, who, sizeof(who));
		if (h->site && strcmp(h->site, "declared") == 0)
			fprintf(out, "    holder: %s%s, declared in the scenario%s\n",
				ref_why_name(h->tag.why), who, h->weight > 1 ? " [pin]" : "");
		else	/* since: the ghost clock, 0-based; the trace counts from 1 */
			fprintf(out, "    holder: %s%s, taken by %s in %s (step %d)%s\n",
				ref_why_name(h->tag.why), who, thread_name(h->tid),
				h->site ? h->site : "?", h->since + 1,
				h->weight > 1 ? " [pin]" : "");
	}
}

void mdl_dump_state(FILE *out)
{
	int i, k, a;

	fprintf(out, "model state (%s):\n", mdl_version);
	for (i = 0; i < mdl_world.nr_pages; i++)
		dump_page(out, &mdl_world.pages[i]);
	for (i = 0; i < mdl_world.nr_mms; i++) {
		const struct mm_struct *mm = &mdl_world.mms[i];

		fprintf(out, "  mm %-8s%s ptes:", mm->name,
			mm_is_protected(mm) ? " (protected)" : "");
		for_each_mm_addr(mm, k, a) {
			pte_t pte = mm->pte[a];

			if (pte_present(pte))
				fprintf(out, " %#lx->%s%s", mm->addr[a], mdl_world.pages[pte.pfn].name,
					pte_write(pte) ? "" : "(ro)");
			else if (pte.flags & _PAGE_SWP)
				fprintf(out, " %#lx->%s%d", mm->addr[a],
					pte.pfn < 0 ? "migration:" : "swap:",
					pte.pfn < 0 ? -pte.pfn - 1 : pte.pfn);
		}
		fprintf(out, "\n");
	}
	for (i = 0; i < mdl_world.nr_guests; i++) {
		const struct kvm *kvm = &mdl_world.guests[i];

		fprintf(out, "  guest %-8s handle %d%s\n", kvm->name, kvm->gmap.guest_handle,
			kvm->killed ? " KILLED (SIGSEGV)" : "");
	}
	for (i = 0; i < mdl_world.nr_pipes; i++) {
		const struct pipe_inode_info *p = &mdl_world.pipes[i];

		fprintf(out, "  pipe %-8s %u buffer(s)\n", p->name, p->head - p->tail);
	}
	for (i = 0; i < mdl_world.nr_devs; i++) {
		const struct mdl_dev *d = &mdl_world.devs[i];
		int s;

		fprintf(out, "  %s %-8s", d->kind == DEV_NIC ? "nic" : "blockdev", d->name);
		if (d->kind == DEV_NIC)
			fprintf(out, " %d frame(s) sent", d->nr_tx);
		for (s = 0; s < MDL_DEV_SLOTS; s++)
			if (d->slot_used[s] || d->kind == DEV_NIC)
				fprintf(out, " [%d]=%u%s", s, d->slot[s].data,
					d->slot[s].cipher ? "(c)" : "");
		fprintf(out, "\n");
	}
}

void mdl_thread_op(int k, int line)
{
	struct exec_ctx *c = &mdl_current()->ctx;

	c->op = k < 0 ? 0 : k + 1;
	c->op_line = line;
	if (k < 0)
		c->nframes = 0;
}

void mdl_dump_chains(FILE *out)
{
	for (int t = 1; t < MDL_MAX_THREADS; t++) {
		const struct mdl_thread *th = &mdl_world.threads[t];
		const struct exec_ctx *c = &th->ctx;

		if (!th->used && !th->name[0])
			continue;
		fprintf(out, "%s\t", th->name);
		if (c->op)
			fprintf(out, "line %d %s", c->op_line, mdl_op_at(c->op - 1)->name);
		else
			fprintf(out, "%s", th->used ? "ended" : "not started");
		if (c->nframes > MDL_MAX_FRAMES)
			fprintf(out, "\t...");	/* the innermost were not kept */
		for (int k = (c->nframes < MDL_MAX_FRAMES ? c->nframes : MDL_MAX_FRAMES) - 1; k >= 0; k--)
			fprintf(out, "\t%s", c->frame[k]);
		fputc('\n', out);
	}
}
