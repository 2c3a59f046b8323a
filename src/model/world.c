// SPDX-License-Identifier: MIT
/*
 * world.c - building, snapshotting and resetting the world; the
 * declaration kinds of model.h.
 *
 * The world is one static struct at a fixed address (mdl_world): every
 * pointer inside it (page->mapping, gmap->mm, pipe buffers) stays valid
 * across executions, and mdl_reset() is one memcpy from the snapshot that
 * mdl_world_end() takes.  Nothing here runs on a step path except
 * mdl_reset() (the thread-register helpers are in threads.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "model/world.h"
#include "model/mutant.h"
#include "inv/inv.h"
#include "lib/bug.h"
#include "uv/fw.h"

struct world mdl_world;
static struct world mdl_snapshot;

/* Per-page declaration details, consumed by mdl_world_end(). */
struct page_decl {
	bool is_free;
	int mm, mm2, file, index;
	unsigned long addr, addr2;
	bool ro, prot_r, secure, shared, private_, pvec, huge, referenced, active, reclaim, swapcache, thp, zero, mlocked;
	long data;
};
static struct page_decl page_decls[MDL_MAX_PAGES];

/* A further mapping of a declared page ("map NAME page=P mm=MM addr=A"). */
#define MDL_MAX_MAPS	8
struct map_decl {
	int page, mm;
	unsigned long addr;
	bool prot_r;
	char name[16];
};
static struct map_decl map_decls[MDL_MAX_MAPS];
static int nr_map_decls;
static int fork_parent[MDL_MAX_MMS];	/* the mm forked into each mm, or -1 */
static int file_dev[MDL_MAX_FILES];
static int guest_handle_next;

const struct mdl_decl_kind mdl_decl_kinds[] = {
	{ "guest", MT_GUEST, "mm=MM: the protected guest whose memory is MM (frame N = address N * 0x1000)" },
	{ "mm", MT_MM, "[size=N]: an address space whose range is 0..N-1 (page-aligned; default "
		       "0x40000000), anonymous private by default; its page tables map 1 MB "
		       "segments, each with its own PTE lock" },
	{ "file", MT_FILE, "dev=BLOCKDEV: a file on BLOCKDEV, its page cache" },
	{ "page", MT_PAGE, "free=1 | mm=MM addr=ADDR [ro=1] [prot=r|rw] [mm2=MM addr2=ADDR] [file=F index=N] "
			   "[state=normal|secure|shared] [data=N] [private=1] [pvec=1] [huge=1] [referenced=1] "
			   "[active=1] [reclaim=1] [swapcache=1] [thp=tail] [zero=1] [mlocked=1]" },
	{ "map", MT_MAP, "page=P mm=MM addr=ADDR [prot=r|rw]: one more mapping of the declared "
			 "page P (a file page: several in one mm or several mms)" },
	{ "pipe", MT_PIPE, "(no keys): a pipe with 2 buffers" },
	{ "nic", MT_DEV, "(no keys): a network adapter (transmit)" },
	{ "blockdev", MT_DEV, "[swap=1]: a block device with 4 slots; swap=1: the swap device" },
};
const int mdl_ndecl_kinds = (int)(sizeof(mdl_decl_kinds) / sizeof(mdl_decl_kinds[0]));

const char mdl_version[] = "linux-5.7 model r1";

static const char *const v_off_on[] = { "off", "on", NULL };
static const char *const v_on_off[] = { "on", "off", NULL };
static const char *const v_order[] = { "after", "before", NULL };
static const char *const v_freeze[] = { "exact", "at_least", NULL };

const struct mdl_knob mdl_knobs[] = {
	[KNOB_SPLICE_HOOK] = { "splice_hook", v_off_on, 0,
		"arch_make_page_accessible in page_cache_pipe_buf_confirm (unmerged 2020 patch)" },
	[KNOB_FOLL_GET_HOOK] = { "foll_get_hook", v_off_on, 0,
		"call the hook for FOLL_GET gup too (Dave Hansen's request)" },
	[KNOB_GUP_HOOK_ORDER] = { "gup_hook_order", v_order, 0,
		"gup calls the hook after taking its reference (v5.7) or before (broken)" },
	[KNOB_FREEZE_CHECK] = { "freeze_check", v_freeze, 0,
		"make_secure_pte: exact cmpxchg freeze (v5.7) or a refcount >= expected check" },
	[KNOB_UV_REFUSE] = { "uv_refuse", v_on_off, 0,
		"the Ultravisor may refuse an export, destroy or pin-shared (off: it never does)" },
	[KNOB_TINY_RCU] = { "tiny_rcu", v_off_on, 0,
		"page_cache_get_speculative of TINY_RCU: VM_BUG_ON on a zero count" },
};
const int mdl_nknobs = KNOB_NR;

/* ==== limits the binder checks ==== */

const int mdl_max_holders = MDL_MAX_HOLDERS;
_Static_assert(MDL_DEV_SLOTS <= MDL_MAX_FILE_PAGES,
	       "the swap cache (swapper_space.pages) is indexed by swap slot");

/*
 * mdl_holders_static - how many references one page can have that no
 * scenario thread holds: its mappings, the page cache or the swap cache,
 * buffer heads, the declared pagevec, and every buffer of every pipe.
 * Mappings: a page is mapped where it is declared (mm=, mm2=, map), or at
 * one address by a fault (a fault maps only the page its VMA's file index
 * or swap entry names, or a fresh page), and each fork's child maps at
 * most what its parent maps: M * (1 + forks) with M the most declared
 * mappings of one page (at least 1).
 * Context: after mdl_world_end() and every mdl_op_note().  Return: the bound.
 */
int mdl_holders_static(void)
{
	int i, j, n, most = 1;

	for (i = 0; i < mdl_world.nr_pages; i++) {
		n = (page_decls[i].mm >= 0) + (page_decls[i].mm2 >= 0);
		for (j = 0; j < nr_map_decls; j++)
			n += map_decls[j].page == i;
		if (n > most)
			most = n;
	}
	return most * (1 + mdl_nr_forks()) + 1 + 1 + 1 + mdl_world.nr_pipes * MDL_PIPE_BUFS;
}

/* ==== building ==== */

void mdl_world_begin(void)
{
	int i;

	memset(&mdl_world, 0, sizeof(mdl_world));
	memset(page_decls, 0, sizeof(page_decls));
	memset(map_decls, 0, sizeof(map_decls));
	nr_map_decls = 0;
	for (i = 0; i < MDL_MAX_MMS; i++)
		fork_parent[i] = -1;
	mdl_ops_forget();
	guest_handle_next = 0;
	for (i = 0; i < MDL_MAX_FILES; i++)
		file_dev[i] = -1;
	for (i = 0; i < KNOB_NR; i++)
		mdl_world.knob[i] = mdl_knobs[i].def;
	/* like the knobs: a new world has no test variant but PVCHECK_MUTANT's */
	pvm_mutant = mutant_env();
	mdl_world.swapper_space.swapper = true;
	snprintf(mdl_world.swapper_space.name, sizeof(mdl_world.swapper_space.name), "swapper");
}

int mdl_set_knob(const char *name, const char *value, char *err, size_t errlen)
{
	int k, v;

	for (k = 0; k < mdl_nknobs; k++) {
		if (strcmp(mdl_knobs[k].name, name))
			continue;
		for (v = 0; mdl_knobs[k].values[v]; v++) {
			if (!strcmp(mdl_knobs[k].values[v], value)) {
				mdl_world.knob[k] = v;
				return 0;
			}
		}
		snprintf(err, errlen, "knob %s has no value '%s'", name, value);
		return -1;
	}
	snprintf(err, errlen, "unknown knob '%s'", name);
	return -1;
}

static int find_named(const char *name, const char *base, size_t stride, size_t name_off,
		      int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(base + (size_t)i * stride + name_off, name))
			return i;
	return -1;
}

#define FIND(arr, n, nm) \
	find_named((nm), (const char *)(arr), sizeof((arr)[0]), \
		   offsetof(__typeof__((arr)[0]), name), (n))

static int parse_int(const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 0);
	return (*s && !*end) ? 0 : -1;
}

static bool name_taken(const char *name)
{
	return FIND(mdl_world.pages, mdl_world.nr_pages, name) >= 0 ||
	       FIND(map_decls, nr_map_decls, name) >= 0 ||
	       FIND(mdl_world.mms, mdl_world.nr_mms, name) >= 0 ||
	       FIND(mdl_world.files, mdl_world.nr_files, name) >= 0 ||
	       FIND(mdl_world.guests, mdl_world.nr_guests, name) >= 0 ||
	       FIND(mdl_world.pipes, mdl_world.nr_pipes, name) >= 0 ||
	       FIND(mdl_world.devs, mdl_world.nr_devs, name) >= 0;
}

/* ==== addresses and page tables ==== */

/*
 * mdl_mm_add_addr - name @addr in @mm: give it a PTE (none), a VMA
 * (anonymous private unless a declaration maps a file page there) and the
 * page table of its segment, which it shares with every other named
 * address of that segment.  A child of fork gets the address too.
 * Context: bind time.  Return: the address's index, or -1 when @mm (or a
 * child of it) has MDL_MAX_ADDRS addresses already.
 */
int mdl_mm_add_addr(struct mm_struct *mm, unsigned long addr)
{
	int i = mm_addr_index(mm, addr), k, t, c;

	if (i >= 0)
		return i;
	if (mm->nr_addrs >= MDL_MAX_ADDRS)
		return -1;
	i = mm->nr_addrs++;
	mm->addr[i] = addr;
	mm->vma[i].valid = true;
	for (t = 0; t < mm->nr_pts; t++)
		if (mm->pt[t].seg == pmd_seg(addr))
			break;
	if (t == mm->nr_pts) {
		/* page_table_alloc + pgtable_pte_page_ctor: a new table, a new lock */
		mm->pt[t].seg = pmd_seg(addr);
		mm->nr_pts++;
	}
	mm->pt_of[i] = (unsigned char)t;
	for (k = i; k > 0 && mm->addr[mm->order[k - 1]] > addr; k--)
		mm->order[k] = mm->order[k - 1];
	mm->order[k] = (unsigned char)i;
	for (c = 0; c < mdl_world.nr_mms; c++)
		if (fork_parent[c] == mm->id && mdl_mm_add_addr(&mdl_world.mms[c], addr) < 0)
			return -1;
	return i;
}

/*
 * mdl_fork_note - @child is forked from @parent: it gets every address of
 * @parent (copy_page_range copies the PTEs at the parent's addresses).
 * Context: bind time.  Return: 0, or -1 when the child has no room.
 */
int mdl_fork_note(struct mm_struct *parent, struct mm_struct *child)
{
	int i;

	if (fork_parent[child->id] < 0 && child != parent)
		fork_parent[child->id] = parent->id;
	for (i = 0; i < parent->nr_addrs; i++)
		if (mdl_mm_add_addr(child, parent->addr[i]) < 0)
			return -1;
	return 0;
}

/*
 * mdl_check_addr - is @v an address of @mm: page-aligned and inside its
 * range?  @what names it in the message.
 * Return: 0, or -1 with the reason in @err.
 */
int mdl_check_addr(const struct mm_struct *mm, const char *what, long v, char *err,
		   size_t errlen)
{
	if (v < 0 || (unsigned long)v % PAGE_SIZE) {
		snprintf(err, errlen, "%s %#lx is not page-aligned (a multiple of %#lx)", what,
			 (unsigned long)v, PAGE_SIZE);
		return -1;
	}
	if ((unsigned long)v >= mm->size) {
		snprintf(err, errlen, "%s %#lx is outside mm '%s' (its range is 0..%#lx)", what,
			 (unsigned long)v, mm->name, mm->size - 1);
		return -1;
	}
	return 0;
}

/* The page a declaration maps at (@mm, @addr) already, or NULL. */
static const char *mapped_by(int mm, unsigned long addr)
{
	int i;

	for (i = 0; i < mdl_world.nr_pages; i++) {
		const struct page_decl *d = &page_decls[i];

		if ((d->mm == mm && d->addr == addr) || (d->mm2 == mm && d->addr2 == addr))
			return mdl_world.pages[i].name;
	}
	for (i = 0; i < nr_map_decls; i++)
		if (map_decls[i].mm == mm && map_decls[i].addr == addr)
			return mdl_world.pages[map_decls[i].page].name;
	return NULL;
}

/* Does a declaration map page @page in @mm already? */
static bool page_mapped_in(int page, int mm)
{
	int i;

	if (page < mdl_world.nr_pages && (page_decls[page].mm == mm || page_decls[page].mm2 == mm))
		return true;
	for (i = 0; i < nr_map_decls; i++)
		if (map_decls[i].page == page && map_decls[i].mm == mm)
			return true;
	return false;
}

/*
 * check_mapping - validate a mapping of page @page (@name; @anon: not a
 * file page) at (@mm, @addr), given by the declaration's key @kv_at:
 * page-aligned, inside the mm's range, no other mapping at that address,
 * and an anonymous page at most once per mm (an anonymous page has one
 * address in an mm; KSM is not modelled).
 * Return: 0, or -1 with @err and *@bad_kv set.
 */
static int check_mapping(int page, const char *name, bool anon, int mm, long addr, int kv_at,
			 char *err, size_t errlen, int *bad_kv)
{
	const struct mm_struct *m = &mdl_world.mms[mm];
	const char *other;

	*bad_kv = kv_at;
	if (mdl_check_addr(m, "address", addr, err, errlen))
		return -1;
	other = mapped_by(mm, (unsigned long)addr);
	if (other) {
		snprintf(err, errlen, "address %#lx of '%s' is already mapped (page %s): two "
			 "mappings at one address", (unsigned long)addr, m->name, other);
		return -1;
	}
	if (anon && page_mapped_in(page, mm)) {
		snprintf(err, errlen, "%s is anonymous and already mapped in '%s': only a file page "
			 "(MAP_SHARED) can be mapped at two addresses of one mm", name, m->name);
		return -1;
	}
	return 0;
}

static int declare_page(const char *name, const struct mdl_kv *kv, int nkv, char *err,
			size_t errlen, int *bad_kv)
{
	struct page_decl *d;
	struct page *page;
	int i, h = mdl_world.nr_pages, pvec_kv = -1, addr_kv = -1, addr2_kv = -1;
	long v, addr = 0, addr2 = 0;

	if (h >= MDL_MAX_PAGES) {
		snprintf(err, errlen, "too many pages (max %d)", MDL_MAX_PAGES);
		return -1;
	}
	d = &page_decls[h];
	memset(d, 0, sizeof(*d));
	d->mm = d->mm2 = d->file = -1;
	for (i = 0; i < nkv; i++) {
		const char *k = kv[i].key, *s = kv[i].val;

		*bad_kv = i;
		if (!strcmp(k, "free")) {
			d->is_free = strcmp(s, "0") != 0;
		} else if (!strcmp(k, "mm") || !strcmp(k, "mm2")) {
			int m = FIND(mdl_world.mms, mdl_world.nr_mms, s);

			if (m < 0) {
				snprintf(err, errlen, "no mm named '%s' (declare it first)", s);
				return -1;
			}
			*(k[2] ? &d->mm2 : &d->mm) = m;
		} else if (!strcmp(k, "addr") || !strcmp(k, "addr2")) {
			/* checked against its mm once every key is read */
			if (parse_int(s, &v)) {
				snprintf(err, errlen, "%s must be an address (an integer)", k);
				return -1;
			}
			if (k[4]) {
				addr2 = v;
				addr2_kv = i;
			} else {
				addr = v;
				addr_kv = i;
			}
		} else if (!strcmp(k, "index")) {
			if (parse_int(s, &v) || v < 0 || v >= MDL_MAX_FILE_PAGES) {
				snprintf(err, errlen, "%s must be 0..%d", k, MDL_MAX_FILE_PAGES - 1);
				return -1;
			}
			d->index = (int)v;
		} else if (!strcmp(k, "file")) {
			d->file = FIND(mdl_world.files, mdl_world.nr_files, s);
			if (d->file < 0) {
				snprintf(err, errlen, "no file named '%s' (declare it first)", s);
				return -1;
			}
		} else if (!strcmp(k, "state")) {
			if (strcmp(s, "normal") && strcmp(s, "secure") && strcmp(s, "shared")) {
				snprintf(err, errlen, "state must be normal, secure or shared");
				return -1;
			}
			d->secure = !strcmp(s, "secure");
			/* shared: imported, then shared by the guest; not pinned */
			d->shared = !strcmp(s, "shared");
		} else if (!strcmp(k, "data")) {
			if (parse_int(s, &v)) {
				snprintf(err, errlen, "data must be an integer");
				return -1;
			}
			d->data = v;
		} else if (!strcmp(k, "thp") || !strcmp(k, "zero")) {
			/* a THP's tail page, the zero page: src/model/special_pages.c */
			if (mdl_special_key(k, s, k[0] == 't' ? &d->thp : &d->zero, err, errlen))
				return -1;
		} else if (!strcmp(k, "swapcache")) {
			/*
			 * An anonymous page in the swap cache and still mapped:
			 * reclaim's add_to_swap() ran, then try_to_unmap() met a
			 * young PTE and the page was kept (activate_locked), or
			 * a read fault swapped it in (do_swap_page keeps it in
			 * the swap cache unless mem_cgroup_swap_full()).
			 */
			d->swapcache = strcmp(s, "0") != 0;
		} else if (!strcmp(k, "mlocked")) {
			/* QEMU mlocked its memory (-overcommit mem-lock=on: mlockall) */
			d->mlocked = strcmp(s, "0") != 0;
		} else if (!strcmp(k, "active")) {
			/* PG_active: on the active list (touched twice already, or a fault's new page) */
			d->active = strcmp(s, "0") != 0;
		} else if (!strcmp(k, "referenced") || !strcmp(k, "reclaim")) {
			/* PG_referenced (one earlier access), PG_reclaim (pageout/deactivation) */
			*(k[2] == 'f' ? &d->referenced : &d->reclaim) = strcmp(s, "0") != 0;
		} else if (!strcmp(k, "prot")) {
			if (strcmp(s, "r") && strcmp(s, "rw")) {
				snprintf(err, errlen, "prot must be r or rw");
				return -1;
			}
			d->prot_r = !strcmp(s, "r");
		} else if (!strcmp(k, "ro") || !strcmp(k, "private") || !strcmp(k, "pvec") ||
			   !strcmp(k, "huge")) {
			bool b = strcmp(s, "0") != 0;

			if (k[0] == 'r')
				d->ro = b;
			else if (k[1] == 'r')
				d->private_ = b;
			else if (k[0] == 'p') {
				d->pvec = b;
				pvec_kv = i;
			}
			else
				d->huge = b;
		} else {
			snprintf(err, errlen, "unknown key '%s' for a page", k);
			return -1;
		}
	}
	*bad_kv = -1;
	if (d->pvec) {
		int i2, n = 0;

		for (i2 = 0; i2 < h; i2++)
			n += page_decls[i2].pvec;
		if (n >= MDL_PVEC_SIZE) {
			*bad_kv = pvec_kv;
			snprintf(err, errlen, "too many pvec=1 pages (max %d: the pagevec they "
				 "share holds MDL_PVEC_SIZE pages)", MDL_PVEC_SIZE);
			return -1;
		}
	}
	if ((d->thp || d->zero) &&
	    mdl_special_decl_check(d->thp, d->mm, d->mm2, d->file, d->ro, d->prot_r, d->data,
				   d->secure || d->shared || d->swapcache || d->pvec ||
				   d->private_ || d->huge || d->active || (d->thp && d->zero), err, errlen))
		return -1;
	if (d->swapcache && (d->file >= 0 || d->mm < 0)) {
		snprintf(err, errlen, "swapcache=1 needs an anonymous page mapped (mm=, addr=), "
			 "not a file page");
		return -1;
	}
	if (!d->is_free && d->mm < 0 && d->file < 0) {
		snprintf(err, errlen, "a page must be free=1, mapped (mm=, addr=) or in a file (file=, index=)");
		return -1;
	}
	if ((addr_kv >= 0 && d->mm < 0) || (addr2_kv >= 0 && d->mm2 < 0)) {
		bool first = addr_kv >= 0 && d->mm < 0;

		*bad_kv = first ? addr_kv : addr2_kv;
		snprintf(err, errlen, "%s= needs %s= (the mm it is an address of)",
			 first ? "addr" : "addr2", first ? "mm" : "mm2");
		return -1;
	}
	if (d->mm >= 0 && check_mapping(h, name, d->file < 0, d->mm, addr, addr_kv, err, errlen,
					bad_kv))
		return -1;
	d->addr = (unsigned long)addr;
	if (d->mm2 >= 0) {
		/* the first mapping is not in the tables yet: compare with it here */
		if (d->mm2 == d->mm && (addr2 == addr || d->file < 0)) {
			*bad_kv = addr2_kv;
			if (addr2 == addr)
				snprintf(err, errlen, "address %#lx of '%s' is already mapped (page %s): "
					 "two mappings at one address", (unsigned long)addr2,
					 mdl_world.mms[d->mm2].name, name);
			else
				snprintf(err, errlen, "%s is anonymous and already mapped in '%s': only a "
					 "file page (MAP_SHARED) can be mapped at two addresses of one mm",
					 name, mdl_world.mms[d->mm2].name);
			return -1;
		}
		if (check_mapping(h, name, d->file < 0, d->mm2, addr2, addr2_kv, err, errlen, bad_kv))
			return -1;
		d->addr2 = (unsigned long)addr2;
	}
	*bad_kv = -1;
	page = &mdl_world.pages[h];
	snprintf(page->name, sizeof(page->name), "%s", name);
	page->pfn = h;
	mdl_world.nr_pages++;
	return h;
}

/*
 * declare_map - "map NAME page=P mm=MM addr=ADDR [prot=r|rw]": one more
 * PTE mapping the declared page P (MAP_SHARED for a file page).
 * Return: the map's handle, or -1 with @err and *@bad_kv.
 */
static int declare_map(const char *name, const struct mdl_kv *kv, int nkv, char *err,
		       size_t errlen, int *bad_kv)
{
	struct map_decl *md;
	int i, addr_kv = -1, page_kv = -1;
	long v, addr = 0;

	if (nr_map_decls >= MDL_MAX_MAPS) {
		snprintf(err, errlen, "too many maps (max %d)", MDL_MAX_MAPS);
		return -1;
	}
	md = &map_decls[nr_map_decls];
	memset(md, 0, sizeof(*md));
	md->page = md->mm = -1;
	for (i = 0; i < nkv; i++) {
		const char *k = kv[i].key, *s = kv[i].val;

		*bad_kv = i;
		if (!strcmp(k, "page")) {
			md->page = FIND(mdl_world.pages, mdl_world.nr_pages, s);
			page_kv = i;
			if (md->page < 0) {
				snprintf(err, errlen, "no page named '%s' (declare it first)", s);
				return -1;
			}
		} else if (!strcmp(k, "mm")) {
			md->mm = FIND(mdl_world.mms, mdl_world.nr_mms, s);
			if (md->mm < 0) {
				snprintf(err, errlen, "no mm named '%s' (declare it first)", s);
				return -1;
			}
		} else if (!strcmp(k, "addr")) {
			if (parse_int(s, &v)) {
				snprintf(err, errlen, "addr must be an address (an integer)");
				return -1;
			}
			addr = v;
			addr_kv = i;
		} else if (!strcmp(k, "prot")) {
			if (strcmp(s, "r") && strcmp(s, "rw")) {
				snprintf(err, errlen, "prot must be r or rw");
				return -1;
			}
			md->prot_r = !strcmp(s, "r");
		} else {
			snprintf(err, errlen, "unknown key '%s' for a map", k);
			return -1;
		}
	}
	*bad_kv = -1;
	if (md->page < 0 || md->mm < 0 || addr_kv < 0) {
		snprintf(err, errlen, "a map needs page=P mm=MM addr=ADDR");
		return -1;
	}
	if (page_decls[md->page].is_free) {
		*bad_kv = page_kv;
		snprintf(err, errlen, "%s is free=1: a free page is mapped nowhere",
			 mdl_world.pages[md->page].name);
		return -1;
	}
	if (page_decls[md->page].thp || page_decls[md->page].zero) {
		*bad_kv = page_kv;
		snprintf(err, errlen, "%s is %s: one PTE maps it (more are not modelled)",
			 mdl_world.pages[md->page].name,
			 page_decls[md->page].thp ? "thp=tail" : "zero=1");
		return -1;
	}
	if (check_mapping(md->page, mdl_world.pages[md->page].name, page_decls[md->page].file < 0,
			  md->mm, addr, addr_kv, err, errlen, bad_kv))
		return -1;
	*bad_kv = -1;
	md->addr = (unsigned long)addr;
	snprintf(md->name, sizeof(md->name), "%s", name);
	return nr_map_decls++;
}

int mdl_declare(const char *kind, const char *name, const struct mdl_kv *kv, int nkv,
		char *err, size_t errlen, int *bad_kv)
{
	int i, h;

	*bad_kv = -1;
	if (strlen(name) >= 16) {
		snprintf(err, errlen, "name '%s' is longer than 15 characters", name);
		return -1;
	}
	if (name_taken(name)) {
		snprintf(err, errlen, "'%s' is already declared", name);
		return -1;
	}
	if (!strcmp(kind, "page"))
		return declare_page(name, kv, nkv, err, errlen, bad_kv);
	if (!strcmp(kind, "mm")) {
		struct mm_struct *mm;
		unsigned long size = MDL_MM_SIZE;
		long v;

		for (i = 0; i < nkv; i++) {
			*bad_kv = i;
			if (strcmp(kv[i].key, "size")) {
				snprintf(err, errlen, "unknown key '%s' for an mm (it takes size=N)",
					 kv[i].key);
				return -1;
			}
			if (parse_int(kv[i].val, &v) || v <= 0 || v > 0x80000000L ||
			    (unsigned long)v % PAGE_SIZE) {
				snprintf(err, errlen, "size must be a multiple of %#lx in %#lx..0x80000000",
					 PAGE_SIZE, PAGE_SIZE);
				return -1;
			}
			size = (unsigned long)v;
		}
		*bad_kv = -1;
		if (mdl_world.nr_mms >= MDL_MAX_MMS) {
			snprintf(err, errlen, "too many mms (max %d)", MDL_MAX_MMS);
			return -1;
		}
		h = mdl_world.nr_mms++;
		mm = &mdl_world.mms[h];
		mm->id = h;
		mm->size = size;
		snprintf(mm->name, sizeof(mm->name), "%s", name);
		return h;
	}
	if (!strcmp(kind, "map"))
		return declare_map(name, kv, nkv, err, errlen, bad_kv);
	if (!strcmp(kind, "guest")) {
		struct kvm *kvm;
		int m = -1;

		for (i = 0; i < nkv; i++) {
			*bad_kv = i;
			if (strcmp(kv[i].key, "mm")) {
				snprintf(err, errlen, "unknown key '%s' for a guest", kv[i].key);
				return -1;
			}
			m = FIND(mdl_world.mms, mdl_world.nr_mms, kv[i].val);
			if (m < 0) {
				snprintf(err, errlen, "no mm named '%s' (declare it first)", kv[i].val);
				return -1;
			}
		}
		*bad_kv = -1;
		if (m < 0) {
			snprintf(err, errlen, "a guest needs mm=MM");
			return -1;
		}
		if (mdl_world.nr_guests >= MDL_MAX_GUESTS) {
			snprintf(err, errlen, "too many guests (max %d)", MDL_MAX_GUESTS);
			return -1;
		}
		h = mdl_world.nr_guests++;
		kvm = &mdl_world.guests[h];
		kvm->id = h;
		snprintf(kvm->name, sizeof(kvm->name), "%s", name);
		kvm->gmap.mm = &mdl_world.mms[m];
		kvm->gmap.kvm = kvm;
		kvm->gmap.guest_handle = guest_handle_next++;
		kvm->protected = true;
		/* kvm_s390_pv_init_vm: the configuration exists, the mm is protected. */
		mdl_world.mms[m].context.is_protected = 1;
		return h;
	}
	if (!strcmp(kind, "file")) {
		struct address_space *as;
		int dev = -1;

		for (i = 0; i < nkv; i++) {
			*bad_kv = i;
			if (strcmp(kv[i].key, "dev")) {
				snprintf(err, errlen, "unknown key '%s' for a file", kv[i].key);
				return -1;
			}
			dev = FIND(mdl_world.devs, mdl_world.nr_devs, kv[i].val);
			if (dev < 0 || mdl_world.devs[dev].kind != DEV_BLOCK) {
				snprintf(err, errlen, "no blockdev named '%s' (declare it first)",
					 kv[i].val);
				return -1;
			}
		}
		*bad_kv = -1;
		if (mdl_world.nr_files >= MDL_MAX_FILES) {
			snprintf(err, errlen, "too many files (max %d)", MDL_MAX_FILES);
			return -1;
		}
		h = mdl_world.nr_files++;
		as = &mdl_world.files[h];
		as->id = h;
		snprintf(as->name, sizeof(as->name), "%s", name);
		file_dev[h] = dev;
		return h;
	}
	if (!strcmp(kind, "pipe")) {
		if (nkv) {
			snprintf(err, errlen, "pipe takes no keys");
			*bad_kv = 0;
			return -1;
		}
		if (mdl_world.nr_pipes >= MDL_MAX_PIPES) {
			snprintf(err, errlen, "too many pipes (max %d)", MDL_MAX_PIPES);
			return -1;
		}
		h = mdl_world.nr_pipes++;
		mdl_world.pipes[h].id = h;
		snprintf(mdl_world.pipes[h].name, sizeof(mdl_world.pipes[h].name), "%s", name);
		return h;
	}
	if (!strcmp(kind, "nic") || !strcmp(kind, "blockdev")) {
		struct mdl_dev *dev;
		bool swap = false;

		for (i = 0; i < nkv; i++) {
			*bad_kv = i;
			if (kind[0] == 'n' || strcmp(kv[i].key, "swap")) {
				snprintf(err, errlen, "unknown key '%s' for a %s", kv[i].key, kind);
				return -1;
			}
			swap = strcmp(kv[i].val, "0") != 0;
		}
		*bad_kv = -1;
		if (mdl_world.nr_devs >= MDL_MAX_DEVS) {
			snprintf(err, errlen, "too many devices (max %d)", MDL_MAX_DEVS);
			return -1;
		}
		h = mdl_world.nr_devs++;
		dev = &mdl_world.devs[h];
		dev->id = h;
		dev->kind = kind[0] == 'n' ? DEV_NIC : DEV_BLOCK;
		snprintf(dev->name, sizeof(dev->name), "%s", name);
		if (swap)
			mdl_world.swapdev = dev;
		return h;
	}
	snprintf(err, errlen, "unknown declaration kind '%s'", kind);
	return -1;
}

/* The guest whose memory is @mm, or NULL. */
static struct kvm *guest_of_mm(const struct mm_struct *mm)
{
	int i;

	for (i = 0; i < mdl_world.nr_guests; i++)
		if (mdl_world.guests[i].gmap.mm == mm)
			return &mdl_world.guests[i];
	return NULL;
}

static int map_page(struct page *page, int m, unsigned long addr, bool ro, bool prot_r,
		    int file, int index, char *err, size_t errlen)
{
	struct mm_struct *mm = &mdl_world.mms[m];
	int i = mdl_mm_add_addr(mm, addr);

	if (i < 0) {
		snprintf(err, errlen, "%s: mm %s has more than %d addresses", page->name, mm->name,
			 MDL_MAX_ADDRS);
		return -1;
	}
	/* declare_page and declare_map refuse two mappings at one address */
	PVM_BUG_ON(pte_present(mm->pte[i]));
	/* A VMA without VM_WRITE (mprotect(PROT_READ)) has no writable PTE. */
	mm->pte[i].flags = _PAGE_PRESENT | (ro || prot_r ? 0 : _PAGE_WRITE);
	mm->vma[i].readonly = prot_r;
	mm->pte[i].pfn = page->pfn;
	if (file >= 0) {
		mm->vma[i].vm_file = &mdl_world.files[file];
		mm->vma[i].vm_pgoff = (unsigned long)index;
		mm->vma[i].shared = true;
	}
	if (PageHuge(page))
		mm->vma[i].hugetlb = true;
	if (is_zero_page(page)) {
		/*
		 * mfill_zeropage_pte (UFFDIO_ZEROPAGE): pte_mkspecial of the
		 * zero pfn with vm_page_prot, read-only in a private VMA; no
		 * rmap, no reference (vm_normal_page is NULL for it).
		 */
		mm->pte[i].flags &= ~_PAGE_WRITE;
		return 0;
	}
	page->_mapcount++;
	if (PageTail(page))
		return 0;	/* the mapping's reference is the head's (special_pages.c) */
	page->_refcount++;
	inv_ref_add(page, ref_obj(REF_MAP, pte_owner(mm, addr)), 1, "declared");
	return 0;
}

int mdl_world_end(char *err, size_t errlen)
{
	int i;

	if (!mdl_world.swapdev) {
		for (i = 0; i < mdl_world.nr_devs; i++)
			if (mdl_world.devs[i].kind == DEV_BLOCK)
				mdl_world.swapdev = &mdl_world.devs[i];
	}
	for (i = 0; i < mdl_world.nr_files; i++) {
		if (file_dev[i] >= 0)
			mdl_world.files[i].backing = &mdl_world.devs[file_dev[i]];
		else
			mdl_world.files[i].backing = mdl_world.swapdev;
	}
	for (i = 0; i < mdl_world.nr_pages; i++) {
		struct page *page = &mdl_world.pages[i];
		struct page_decl *d = &page_decls[i];

		page->_mapcount = -1;
		page->freeze_tid = -1;
		page->lock_tid = -1;
		page->wb_tid = -1;
		mdl_world.frames[i].data = (uint32_t)d->data;
		if (d->is_free) {
			mdl_world.free_mask |= 1u << i;
			continue;
		}
		page->allocated = true;
		if (d->huge)
			__set_page_flag(page, PG_huge);
		if (d->thp)
			__set_page_flag(page, PG_tail);
		if (d->zero) {
			/* not anonymous, on no LRU; its count is the kernel's */
			__set_page_flag(page, PG_zero);
			page->_refcount = 1;
			inv_ref_add(page, ref_obj(REF_RESERVED, -1), 1, "setup_zero_pages");
		}
		/*
		 * A page in use is on an LRU list, unless it still sits in a
		 * pagevec of lru_cache_add (pvec=1: __pagevec_lru_add sets
		 * PG_lru when that pagevec is drained).
		 */
		/*
		 * A THP's head is on the LRU, not its tails; a hugetlb page is on
		 * no LRU list (hugetlbfs keeps its own lists, PG_lru never set).
		 */
		if (!d->pvec && !d->thp && !d->zero && !d->huge)
			__set_page_flag(page, PG_lru);
		if (d->referenced)
			__set_page_flag(page, PG_referenced);
		if (d->active)
			__set_page_flag(page, PG_active);
		if (d->reclaim)
			__set_page_flag(page, PG_reclaim);
		if (d->mlocked)
			__set_page_flag(page, PG_mlocked);
		if (d->file >= 0) {
			struct address_space *as = &mdl_world.files[d->file];

			if (as->pages[d->index]) {
				snprintf(err, errlen, "%s: index %d of %s is already cached",
					 page->name, d->index, as->name);
				return -1;
			}
			as->pages[d->index] = page;
			page->mapping = as;
			page->index = (unsigned long)d->index;
			page->_refcount++;
			inv_ref_add(page, ref_obj(REF_CACHE, -1), 1, "declared");
			__set_page_flag(page, PG_uptodate);
			if (d->private_) {
				__set_page_flag(page, PG_private);
				page->_refcount++;
				inv_ref_add(page, ref_obj(REF_BUFFERS, -1), 1, "declared");
			}
		} else if (!d->zero) {
			__set_page_flag(page, PG_anon);
		}
		if (d->swapcache) {
			struct mdl_dev *sd = mdl_world.swapdev;
			int slot = -1;

			for (int j = 0; sd && j < MDL_DEV_SLOTS && slot < 0; j++)
				if (!sd->slot_used[j])
					slot = j;
			if (slot < 0) {
				snprintf(err, errlen, "%s: swapcache=1 needs a swap device with a free "
					 "slot (declare a blockdev, swap=1)", page->name);
				return -1;
			}
			/* add_to_swap: a slot, the swap cache's reference, dirty */
			sd->slot_used[slot] = true;
			mdl_world.swapper_space.pages[slot] = page;
			page->private = (unsigned long)slot;
			__set_page_flag(page, PG_swapcache);
			__set_page_flag(page, PG_dirty);
			page->_refcount++;
			inv_ref_add(page, ref_obj(REF_CACHE, -1), 1, "declared");
		}
		if (d->mm >= 0 && map_page(page, d->mm, d->addr, d->ro, d->prot_r, d->file, d->index,
					   err, errlen))
			return -1;
		/* mlocked=1: the VMA of the page's first mapping is VM_LOCKED */
		if (d->mlocked && d->mm < 0) {
			snprintf(err, errlen, "%s: mlocked=1 needs mm= (the VM_LOCKED mapping)",
				 page->name);
			return -1;
		}
		if (d->mlocked)
			mdl_world.mms[d->mm].vma[mm_addr_index(&mdl_world.mms[d->mm], d->addr)].locked = true;
		if (d->mm2 >= 0 && map_page(page, d->mm2, d->addr2, false, false, d->file, d->index,
					    err, errlen))
			return -1;
		for (int j = 0; j < nr_map_decls; j++)
			if (map_decls[j].page == i &&
			    map_page(page, map_decls[j].mm, map_decls[j].addr, false,
				     map_decls[j].prot_r, d->file, d->index, err, errlen))
				return -1;
		if (d->pvec) {
			/* the last CPU: no scenario thread runs on it but the 15th */
			int cpu = MDL_NR_CPUS - 1;

			mdl_world.pvec_kind[cpu][mdl_world.pvec_count[cpu]] = PVEC_LRU_ADD;
			mdl_world.pvec[cpu][mdl_world.pvec_count[cpu]++] = page;
			page->_refcount++;
			inv_ref_add(page, ref_obj(REF_PVEC, cpu), 1, "declared");
		}
		if (d->mm >= 0) {
			struct kvm *kvm = guest_of_mm(&mdl_world.mms[d->mm]);

			if (kvm && (d->secure || d->shared)) {
				struct fw_page_info *pi = &mdl_world.uvfw.page[i];

				int fi = mm_addr_index(kvm->gmap.mm, d->addr);

				/*
				 * shared: the import set PG_arch_1 and nothing
				 * has cleared it (only a pin-shared or an export
				 * does), as after guest_write + guest_share.
				 */
				pi->state = d->shared ? FW_SHARED : FW_SECURE;
				pi->config = kvm->gmap.guest_handle;
				pi->gfn = d->addr >> PAGE_SHIFT;
				__set_page_flag(page, PG_arch_1);
				kvm->written[fi] = true;
				kvm->value[fi] = (uint32_t)d->data;
			}
		}
		if ((d->secure || d->shared) && (d->mm < 0 || !guest_of_mm(&mdl_world.mms[d->mm]))) {
			snprintf(err, errlen, "%s: state=%s needs mm= of a guest", page->name,
				 d->shared ? "shared" : "secure");
			return -1;
		}
		page->version = 0;
	}
	mdl_world_snapshot();
	return 0;
}

/* Take the initial state again (the binder named more addresses). */
void mdl_world_snapshot(void)
{
	memcpy(&mdl_snapshot, &mdl_world, sizeof(mdl_world));
}

void mdl_reset(void *ctx)
{
	memcpy(&mdl_world, &mdl_snapshot, sizeof(mdl_world));
}

void mdl_at_exit(void *ctx)
{
	inv_at_exit();
}

void mdl_after_step(void *ctx)
{
	/*
	 * The ghost clock is read by the reports only, so it moves only while
	 * a trace is recorded (as the firmware's choices move it): in a
	 * --paranoid or --all search it would make every state of the
	 * stateful search differ by the number of steps taken to reach it.
	 */
	if (vis_recording())
		mdl_world.step++;
	inv_check_all();
}
