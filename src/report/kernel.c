// SPDX-License-Identifier: MIT
/*
 * kernel.c - the v5.7 kernel location each step of a trace models.
 *
 * Every site of the model carries its enclosing model function (VIS_SITE
 * records __func__, src/check/visible.h).  This table maps a model function
 * to the kernel function it follows, as "path:function" of the v5.7 tree
 * ("mm/filemap.c:find_get_entry").  A model function that follows several
 * kernel functions has one row per part, told apart by the beginning of
 * the step's name (the part before ':' or '(' names the kernel function);
 * the rows of a function are tried in order and a row without a prefix
 * takes the rest.  Steps that are not kernel code (the guest's vCPU, a
 * device's DMA, the Ultravisor's answer, a model check) name their actor
 * in parentheses instead.
 *
 * Drift: a model function missing from the table, or renamed, has no
 * location; the report prints "?" and tests/reports/kernel-locations.sh
 * fails on every catalog trace (and on every function of the model with a
 * site that the table does not name), so neither can go unnoticed.
 * tests/reports/kernel-locations.sh also checks, when a v5.7 tree is at
 * hand (PVCHECK_LINUX_GIT), that each named kernel function is defined in
 * the named file.
 */
#include <string.h>
#include "report/report_int.h"

struct kloc {
	const char *func;	/* model function (__func__) */
	const char *prefix;	/* the step's name starts with this, or NULL: any */
	const char *where;	/* v5.7 "path:function", or "(actor)" */
};

static const struct kloc kernel_locs[] = {
	/* src/mm/page.c */
	{ "__free_page_model", "free_unref_page", "mm/page_alloc.c:free_unref_page" },
	{ "__free_page_model", NULL, "mm/page_alloc.c:free_pages_prepare" },
	{ "get_page", NULL, "include/linux/mm.h:get_page" },
	{ "put_page", NULL, "include/linux/mm.h:put_page" },
	{ "put_page_in_step", NULL, "include/linux/mm.h:put_page" },
	{ "page_ref_add_unless", NULL, "include/linux/page_ref.h:page_ref_add_unless" },
	{ "page_ref_add_unless_in_step", NULL, "include/linux/page_ref.h:page_ref_add_unless" },
	{ "page_ref_freeze", NULL, "include/linux/page_ref.h:page_ref_freeze" },
	{ "page_ref_unfreeze", NULL, "include/linux/page_ref.h:page_ref_unfreeze" },
	{ "warn_count_le0", "try_grab_page", "mm/gup.c:try_grab_page" },
	{ "warn_count_le0", NULL, "include/linux/mm.h:try_get_page" },
	{ "try_get_page", NULL, "include/linux/mm.h:try_get_page" },
	{ "try_grab_page", NULL, "mm/gup.c:try_grab_page" },
	{ "unpin_user_page", NULL, "mm/gup.c:unpin_user_page" },
	{ "ref_transfer", NULL, "(model: reference holders)" },
	{ "lock_page", NULL, "include/linux/pagemap.h:lock_page" },
	{ "trylock_page", NULL, "include/linux/pagemap.h:trylock_page" },
	{ "unlock_page", NULL, "mm/filemap.c:unlock_page" },
	{ "wait_on_page_writeback", NULL, "mm/page-writeback.c:wait_on_page_writeback" },
	{ "alloc_page", "alloc_page: prep_new_page", "mm/page_alloc.c:prep_new_page" },
	{ "alloc_page", "alloc_page: ", "mm/page_alloc.c:get_page_from_freelist" },
	{ "alloc_page", NULL, "include/linux/gfp.h:alloc_page" },
	/* src/mm/filemap.c */
	{ "find_get_page", "__page_cache_add_speculative",
	  "include/linux/pagemap.h:__page_cache_add_speculative" },
	{ "find_get_page", "page_cache_get_speculative",
	  "include/linux/pagemap.h:__page_cache_add_speculative" },
	{ "find_get_page", NULL, "mm/filemap.c:find_get_entry" },
	{ "delete_from_page_cache", NULL, "mm/filemap.c:page_cache_delete" },
	{ "grab_cache_page_write_begin", NULL, "mm/filemap.c:pagecache_get_page" },
	{ "simple_write_end", NULL, "fs/libfs.c:simple_write_end" },
	{ "generic_perform_write_page", NULL, "mm/filemap.c:generic_perform_write" },
	{ "iov_iter_copy_from_user_atomic", NULL, "lib/iov_iter.c:iov_iter_copy_from_user_atomic" },
	/* src/mm/context.c */
	{ "cond_resched", NULL, "include/linux/sched.h:cond_resched" },
	{ "___might_sleep", NULL, "kernel/sched/core.c:___might_sleep" },
	/* src/mm/gup.c */
	{ "follow_page_pte", NULL, "mm/gup.c:follow_page_pte" },
	{ "gup_pte_range", NULL, "mm/gup.c:gup_pte_range" },
	{ "gup_log_add", NULL, "(checker limit: gup log)" },
	/* src/mm/direct-io.c: the INV-13 check before the bio's transfer */
	{ "dio_write_page", NULL, "fs/block_dev.c:__blkdev_direct_IO_simple" },
	{ "dio_read_page", NULL, "fs/block_dev.c:__blkdev_direct_IO_simple" },
	/* src/net/tcp.c: the INV-13 check before the NIC's transfer */
	{ "tcp_sendmsg_zerocopy", NULL, "net/ipv4/tcp.c:tcp_sendmsg_locked" },
	/* src/mm/memory.c */
	{ "down_read", NULL, "kernel/locking/rwsem.c:down_read" },
	{ "up_read", NULL, "kernel/locking/rwsem.c:up_read" },
	{ "spin_lock", NULL, "include/linux/spinlock.h:spin_lock" },
	{ "xa_lock_irq", NULL, "include/linux/xarray.h:xa_lock_irq" },
	{ "xa_unlock_irq", NULL, "include/linux/xarray.h:xa_unlock_irq" },
	{ "spin_unlock", NULL, "include/linux/spinlock.h:spin_unlock" },
	{ "mutex_lock", NULL, "kernel/locking/mutex.c:mutex_lock" },
	{ "mutex_unlock", NULL, "kernel/locking/mutex.c:mutex_unlock" },
	/* one model function for both: the page's kind is not announced before the step */
	{ "page_add_rmap", NULL, "mm/rmap.c:page_add_{anon,file}_rmap" },
	{ "page_remove_rmap", NULL, "mm/rmap.c:page_remove_rmap" },
	{ "ptep_get_and_clear", NULL, "arch/s390/include/asm/pgtable.h:ptep_get_and_clear" },
	{ "zap_one_pte", NULL, "mm/memory.c:zap_pte_range" },
	{ "zap_file_accessed", NULL, "mm/memory.c:zap_pte_range" },
	{ "set_pte_page", NULL, "arch/s390/include/asm/pgtable.h:set_pte_at" },
	{ "do_swap_page", "add_to_swap_cache", "mm/swap_state.c:add_to_swap_cache" },
	{ "do_swap_page", "try_to_free_swap", "mm/swapfile.c:try_to_free_swap" },
	{ "handle_mm_fault", "clear_user_highpage", "mm/memory.c:do_anonymous_page" },
	{ "handle_mm_fault", "page_add_new_anon_rmap", "mm/memory.c:do_anonymous_page" },
	{ "handle_mm_fault", "do_wp_page", "mm/memory.c:wp_page_reuse" },
	{ "handle_mm_fault", "migration_entry_wait", "mm/migrate.c:migration_entry_wait" },
	/* src/mm/migrate.c */
	{ "migrate_page_at", "isolate_migratepages_block", "mm/compaction.c:isolate_migratepages_block" },
	{ "migrate_page_at", NULL, "mm/migrate.c:migrate_pages" },
	{ "unmap_and_move", NULL, "mm/migrate.c:unmap_and_move" },
	{ "__unmap_and_move", "try_to_free_buffers", "fs/buffer.c:try_to_free_buffers" },
	{ "__unmap_and_move", NULL, "mm/migrate.c:__unmap_and_move" },
	{ "move_to_new_page", NULL, "mm/migrate.c:move_to_new_page" },
	{ "migrate_page", NULL, "mm/migrate.c:migrate_page" },
	{ "buffer_migrate_page", NULL, "mm/migrate.c:__buffer_migrate_page" },
	{ "migrate_page_move_mapping", NULL, "mm/migrate.c:migrate_page_move_mapping" },
	{ "migrate_page_copy", "copy_highpage", "include/linux/highmem.h:copy_highpage" },
	{ "migrate_page_copy", "migrate_page_states", "mm/migrate.c:migrate_page_states" },
	{ "migrate_page_copy", NULL, "mm/migrate.c:migrate_page_copy" },
	{ "unmap_for_migration", NULL, "mm/rmap.c:try_to_unmap_one" },
	{ "remove_migration_ptes", NULL, "mm/migrate.c:remove_migration_pte" },
	/* move_pages(2) (issue 14 item 4) */
	{ "add_page_for_migration", NULL, "mm/migrate.c:add_page_for_migration" },
	{ "isolate_lru_page", NULL, "mm/vmscan.c:isolate_lru_page" },
	{ "__isolate_lru_page", NULL, "mm/vmscan.c:__isolate_lru_page" },
	/* src/mm/splice.c: findings of a pipe without its lock (mutants) */
	{ "splice_read_page", NULL, "lib/iov_iter.c:copy_page_to_iter_pipe" },
	{ "page_cache_pipe_buf_release", NULL, "fs/splice.c:page_cache_pipe_buf_release" },
	{ "link_pipe", NULL, "fs/splice.c:link_pipe" },
	{ "add_to_pipe", NULL, "fs/splice.c:add_to_pipe" },
	{ "pipe_buf_confirm", NULL, "fs/splice.c:splice_from_pipe_feed" },
	/* src/mm/page-writeback.c */
	{ "__test_set_page_writeback", NULL, "mm/page-writeback.c:__test_set_page_writeback" },
	{ "end_page_writeback", NULL, "mm/filemap.c:end_page_writeback" },
	/* src/mm/swap.c */
	{ "lru_cache_add", NULL, "mm/swap.c:__lru_cache_add" },
	{ "wp_page_copy", NULL, "mm/memory.c:wp_page_copy" },
	{ "up_write", NULL, "kernel/locking/rwsem.c:up_write" },
	{ "spin_lock_nested", NULL, "include/linux/spinlock.h:spin_lock_nested" },
	{ "rotate_reclaimable_page", NULL, "mm/swap.c:rotate_reclaimable_page" },
	{ "pvec_release_one", NULL, "mm/swap.c:release_pages" },
	{ "pagevec_add", NULL, "include/linux/pagevec.h:pagevec_add" },
	{ "mark_page_accessed", NULL, "mm/swap.c:mark_page_accessed" },
	{ "down_write", "rwsem_down_write_slowpath",
	  "kernel/locking/rwsem.c:rwsem_down_write_slowpath" },
	{ "down_write", NULL, "kernel/locking/rwsem.c:down_write" },
	{ "do_wp_page", NULL, "mm/memory.c:do_wp_page" },
	{ "cow_user_page", NULL, "mm/memory.c:cow_user_page" },
	{ "copy_one_pte", NULL, "mm/memory.c:copy_one_pte" },
	{ "activate_page", NULL, "mm/swap.c:activate_page" },
	{ "__lru_cache_activate_page", NULL, "mm/swap.c:__lru_cache_activate_page" },
	{ "lru_add_drain", NULL, "mm/swap.c:lru_add_drain" },
	{ "lru_add_drain_cpu", NULL, "mm/swap.c:lru_add_drain_cpu" },
	{ "lru_add_drain_all", NULL, "mm/swap.c:lru_add_drain_all" },
	/* src/mm/vmscan.c */
	{ "add_to_swap", NULL, "mm/swap_state.c:add_to_swap_cache" },
	{ "delete_from_swap_cache", "swapcache_free", "mm/swapfile.c:put_swap_page" },
	{ "delete_from_swap_cache", NULL, "mm/swap_state.c:__delete_from_swap_cache" },
	{ "reclaim_page_at", NULL, "mm/vmscan.c:isolate_lru_pages" },
	{ "try_to_unmap", NULL, "mm/rmap.c:try_to_unmap_one" },
	{ "shrink_page", "__delete_from_swap_cache", "mm/swap_state.c:__delete_from_swap_cache" },
	{ "shrink_page", "__remove_mapping", "mm/vmscan.c:__remove_mapping" },
	{ "shrink_page", "clear_page_dirty_for_io", "mm/page-writeback.c:clear_page_dirty_for_io" },
	{ "shrink_page", "free_unref_page_list", "mm/page_alloc.c:free_unref_page_list" },
	{ "shrink_page", "move_pages_to_lru", "mm/vmscan.c:move_pages_to_lru" },
	{ "shrink_page", NULL, "mm/vmscan.c:shrink_page_list" },
	/* src/uv/uv.c, src/uv/uvfw.c */
	{ "__uv_call", NULL, "arch/s390/include/asm/uv.h:__uv_call" },
	{ "uv_call", NULL, "arch/s390/include/asm/uv.h:uv_call" },
	{ "uvfw_answer", NULL, "(Ultravisor)" },
	{ "arch_make_page_accessible", NULL, "arch/s390/kernel/uv.c:arch_make_page_accessible" },
	{ "clear_arch_1", NULL, "arch/s390/kernel/uv.c:arch_make_page_accessible" },
	{ "make_secure_pte", NULL, "arch/s390/kernel/uv.c:make_secure_pte" },
	{ "gmap_make_secure", NULL, "arch/s390/kernel/uv.c:gmap_make_secure" },
	/* src/guest/fault.c */
	{ "do_secure_storage_access", NULL, "arch/s390/mm/fault.c:do_secure_storage_access" },
	{ "do_non_secure_storage_access", NULL, "arch/s390/mm/fault.c:do_non_secure_storage_access" },
	{ "guest_access", NULL, "(guest vCPU)" },
	{ "wait_before_refault", NULL, "(guest vCPU)" },
	{ "guest_set_shared", NULL, "(guest)" },
	{ "host_user_access", NULL, "(host CPU, user access)" },
	{ "user_access", NULL, "(host CPU, user access)" },
	{ "host_kernel_access", NULL, "(host CPU, kernel access)" },
	/* src/dev/dev.c */
	{ "dev_dma_to_device", NULL, "(device DMA)" },
	{ "dev_dma_from_device", NULL, "(device DMA)" },
	{ "dev_alloc_slot", NULL, "mm/swap_slots.c:get_swap_page" },
	/* src/model/ops.c */
	{ "gup_one", NULL, "mm/gup.c:pin_user_pages" },
	{ "pin_dma_pages", NULL, "(model: a driver's DMA over pages[], INV-13)" },
	{ "op_writeback", NULL, "mm/page-writeback.c:write_cache_pages" },
	{ "op_tamper_slot", NULL, "(another host writes the swap device)" },
	/* write-protect and clean (issue 14 item 5): src/mm/rmap.c, mprotect.c, memory.c */
	{ "clear_page_dirty_for_io", NULL, "mm/page-writeback.c:clear_page_dirty_for_io" },
	{ "page_mkclean", NULL, "mm/rmap.c:page_mkclean" },
	{ "page_mkclean_one", NULL, "mm/rmap.c:page_mkclean_one" },
	{ "ptep_clear_flush", NULL, "arch/s390/include/asm/pgtable.h:ptep_clear_flush" },
	{ "ptep_modify_prot_commit", NULL, "arch/s390/mm/pgtable.c:ptep_modify_prot_commit" },
	{ "change_pte_range", NULL, "mm/mprotect.c:change_pte_range" },
	{ "mprotect_fixup", NULL, "mm/mprotect.c:mprotect_fixup" },
	{ "do_mprotect_pkey", NULL, "mm/mprotect.c:do_mprotect_pkey" },
	/* mremap moving PTEs (issue 14 item 5): src/mm/mremap.c */
	{ "move_ptes", NULL, "mm/mremap.c:move_ptes" },
	{ "move_page_tables", NULL, "mm/mremap.c:move_page_tables" },
	{ "move_vma", NULL, "mm/mremap.c:move_vma" },
	{ "mremap_to", NULL, "mm/mremap.c:mremap_to" },
	/* munlock's follow_page(FOLL_GET) user (issue 14 item 4): src/mm/mlock.c */
	{ "__munlock_pagevec", NULL, "mm/mlock.c:__munlock_pagevec" },
	{ "__putback_lru_fast", NULL, "mm/mlock.c:__putback_lru_fast" },
	{ "munlock_vma_pages_range", NULL, "mm/mlock.c:munlock_vma_pages_range" },
	{ "mlock_fixup", NULL, "mm/mlock.c:mlock_fixup" },
	{ "apply_vma_lock_flags", NULL, "mm/mlock.c:apply_vma_lock_flags" },
	/* src/inv/inv.c */
	{ "inv_check_all", NULL, "(model: invariant sweep)" },
	{ "inv_at_exit", NULL, "(model: end of execution)" },
	{ "inv_mappings_real", NULL, "(model: end of execution, mappings)" },
	{ "inv_thread_end", NULL, "(model: the thread's end)" },
	/* a user's make_secure_pte (--patch) behind the model's wrapper */
	{ "patched_make_secure_pte", NULL, "arch/s390/kernel/uv.c:make_secure_pte" },
	{ "patched_gmap_make_secure", NULL, "arch/s390/kernel/uv.c:gmap_make_secure" },
	{ "patched_follow_page_pte", NULL, "mm/gup.c:follow_page_pte" },
	/* user paths (src/paths/api.c): the kernel names of the header */
	{ "__pv_page_ref_count", NULL, "include/linux/page_ref.h:page_ref_count" },
	{ "__pv_page_mapcount", NULL, "include/linux/mm.h:page_mapcount" },
	/* PageWriteback() and the other flag tests are made by this macro */
	{ "__pv_page_flag", NULL, "include/linux/page-flags.h:TESTPAGEFLAG" },
	{ "__pv_expected_page_refs", NULL, "arch/s390/kernel/uv.c:expected_page_refs" },
	{ "user_page", NULL, "(user path: oops)" },
	{ "user_mmap_sem", NULL, "(user path: oops)" },
	{ "__pv_find_get_page", NULL, "(user path: oops)" },
	{ "__pv_get_user_pages", NULL, "(user path: oops)" },
	{ "__pv_dma", NULL, "(user path: oops)" },
	{ "need_holder", NULL, "(checker limit: holder table)" },
	{ "inv_lockdep_at_exit", NULL, "(model: end of execution, lockdep)" },
	/* the scenario's threads start and end (src/scenario/bind.c, the engine) */
	{ "scenario_main", NULL, "(scenario: start a thread)" },
	{ "thread_entry", NULL, "(scenario: thread ends)" },
	/* the shared-page protocol (issue 14 item 6): src/guest/fault.c, intercept.c */
	{ "share_uvc", "UVC ", "arch/s390/include/asm/uv.h:share" },
	{ "share_uvc", "__vcpu_run", "arch/s390/kvm/kvm-s390.c:__vcpu_run" },
	{ "share_uvc", NULL, "(guest)" },
	{ "handle_pv_uvc", NULL, "arch/s390/kvm/intercept.c:handle_pv_uvc" },
	/* life-cycle paths (issue 14 item 7): src/guest/pv.c */
	{ "unpack_one", NULL, "arch/s390/kvm/pv.c:unpack_one" },
	{ "kvm_s390_pv_unpack", NULL, "arch/s390/kvm/pv.c:kvm_s390_pv_unpack" },
	{ "__s390_reset_acc", NULL, "arch/s390/mm/gmap.c:__s390_reset_acc" },
	{ "s390_reset_acc", NULL, "arch/s390/mm/gmap.c:s390_reset_acc" },
	{ "uv_destroy_sec_conf", NULL, "arch/s390/include/asm/uv.h:uv_cmd_nodata" },
	{ "kvm_s390_pv_deinit_vm", NULL, "arch/s390/kvm/pv.c:kvm_s390_pv_deinit_vm" },
	{ "kvm_s390_pv_disable", NULL, "arch/s390/kvm/kvm-s390.c:kvm_s390_handle_pv" },
};

const char *report_kernel_loc(const struct vis_site *site)
{
	const char *w = site->what ? site->what : "";
	static char user[300];

	if ((site->flags & VIS_SITE_USER) && site->file) {
		/* the user's own code is its own kernel source */
		snprintf(user, sizeof(user), "%s:%d", site->file, site->line);
		return user;
	}
	if (!site->func)
		return NULL;
	for (size_t i = 0; i < sizeof(kernel_locs) / sizeof(kernel_locs[0]); i++) {
		const struct kloc *k = &kernel_locs[i];

		if (strcmp(k->func, site->func) != 0)
			continue;
		if (!k->prefix || strncmp(w, k->prefix, strlen(k->prefix)) == 0)
			return k->where;
	}
	return NULL;
}
