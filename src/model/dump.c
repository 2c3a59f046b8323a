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
	[PG_active] = "active", [PG_reclaim] = "reclaim", [PG_tail] = "tail",
	[PG_zero] = "zero", [PG_mlocked] = "mlocked",
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

	if (ref_owned_by_thread(tag->why)) {	/* ref_thread(): the thread */
		snprintf(buf, n, " of %s", thread_name(o));
		return;
	}
	switch (tag->why) {
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
	default:		/* the page cache, buffer heads: nobody's */
		buf[0] = '\0';
		break;
	}
}

/*
 * A line of a page's state: printed to @out (indented by @indent) when it
 * is not NULL, and handed to @fn as a fact about the page when that is not
 * NULL, so that the text and the facts cannot say different things.
 */
struct page_sink {
	FILE *out;
	mdl_fact_fn *fn;
	void *ctx;
	const struct page *page;
};

static void page_fact(const struct page_sink *s, enum mdl_fact_kind kind, const char *by,
		      const char *of, const char *indent, const char *text)
{
	if (s->out)
		fprintf(s->out, "%s%s\n", indent, text);
	if (s->fn) {
		struct mdl_fact f = { kind, s->page->name, by, of, text };

		if (kind == MDL_FACT_PAGE)	/* what follows the name */
			f.text = text + strlen("page ") + strlen(s->page->name);
		s->fn(s->ctx, &f);
	}
}

static void dump_page(const struct page_sink *s)
{
	const struct page *page = s->page;
	struct fw_page_info fi = fw_get()->query(page->pfn);
	const struct frame *f = &mdl_world.frames[page->pfn];
	char line[512];
	size_t o;
	int i;

	o = (size_t)snprintf(line, sizeof(line), "page %-8s pfn %d %s refcount %d mapcount %d flags [",
			     page->name, page->pfn, page->allocated ? "allocated" : "free",
			     page->_refcount, page_mapcount(page));
	for (i = 0; i < NR_PAGEFLAGS && o < sizeof(line); i++)
		if (i == PG_locked ? PageLocked(page) : test_page_flag(page, i))
			o += (size_t)snprintf(line + o, sizeof(line) - o, " %s", flag_names[i]);
	if (o < sizeof(line))
		o += (size_t)snprintf(line + o, sizeof(line) - o, " ] uv %s", fw_state_name(fi.state));
	if (fi.state != FW_NORMAL && o < sizeof(line))
		o += (size_t)snprintf(line + o, sizeof(line) - o, "(config %d, gfn %lu%s)", fi.config,
				      fi.gfn, fi.pinned_shared ? ", pinned" : "");
	if (o < sizeof(line))
		snprintf(line + o, sizeof(line) - o, " data %u%s", f->data, f->cipher ? " (ciphertext)" : "");
	page_fact(s, MDL_FACT_PAGE, "", "", "  ", line);
	if (page->mapping && s->out)	/* no fact: the report does not ask */
		fprintf(s->out, "    in page cache of %s index %lu\n", page->mapping->name, page->index);
	if (page->freeze_tid >= 0) {
		snprintf(line, sizeof(line), "refcount frozen at %d by %s", page->freeze_count,
			 thread_name(page->freeze_tid));
		page_fact(s, MDL_FACT_FROZEN, thread_name(page->freeze_tid), "", "    ", line);
	}
	if (page->lock_tid >= 0) {
		snprintf(line, sizeof(line), "locked by %s", thread_name(page->lock_tid));
		page_fact(s, MDL_FACT_LOCKED, thread_name(page->lock_tid), "", "    ", line);
	}
	for (i = 0; i < page->nholders; i++) {
		const struct ref_holder *h = &page->holders[i];
		bool declared = h->site && strcmp(h->site, "declared") == 0;
		const char *of = ref_owned_by_thread(h->tag.why) ? thread_name(h->tag.owner) : "";
		char who[64];

		holder_owner(&h->tag, who, sizeof(who));
		if (declared)
			snprintf(line, sizeof(line), "holder: %s%s, declared in the scenario%s",
				 ref_why_name(h->tag.why), who, h->weight > 1 ? " [pin]" : "");
		else	/* since: the ghost clock, 0-based; the trace counts from 1 */
			snprintf(line, sizeof(line), "holder: %s%s, taken by %s in %s (step %d)%s",
				 ref_why_name(h->tag.why), who, thread_name(h->tid),
				 h->site ? h->site : "?", h->since + 1, h->weight > 1 ? " [pin]" : "");
		page_fact(s, MDL_FACT_HOLDER, declared ? "" : thread_name(h->tid), of, "    ", line);
	}
}

void mdl_state_facts(mdl_fact_fn *fn, void *ctx)
{
	for (int i = 0; i < mdl_world.nr_pages; i++)
		dump_page(&(struct page_sink){ NULL, fn, ctx, &mdl_world.pages[i] });
}

void mdl_dump_state(FILE *out)
{
	int i, k, a;

	fprintf(out, "model state (%s):\n", mdl_version);
	for (i = 0; i < mdl_world.nr_pages; i++)
		dump_page(&(struct page_sink){ out, NULL, NULL, &mdl_world.pages[i] });
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

void mdl_thread_end(void)
{
	mdl_thread_op(-1, 0);
	inv_thread_end();
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
