/* SPDX-License-Identifier: MIT */
/*
 * paths_int.h - what the files of src/paths share (not a public header).
 *
 *   paths.c   compile FILE.c against include/pvcheck/kernel.h, load it,
 *             register each PV_PATH() function as a scenario operation,
 *             run it on a model thread, catch its faults
 *   api.c     the __pv_* functions the header's kernel names call
 *
 * The types below are the header's view of objects the model defines
 * (struct task_struct) or keeps opaque (struct device is the model's
 * struct mdl_dev, struct rw_semaphore an mm's mmap_sem).  The prototypes
 * are the header's, with the model's types: the two must agree, and
 * tests/paths compiles a path that calls every one of them.
 */
#ifndef PVM_PATHS_PATHS_INT_H
#define PVM_PATHS_PATHS_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "check/explore.h"
#include "mm/mm.h"

typedef unsigned long pgoff_t;
struct device;
struct rw_semaphore;
struct task_struct {
	struct mm_struct *mm;
};

/* The descriptor PV_PATH() emits (include/pvcheck/kernel.h). */
#define PV_MAX_ARGS 4
#define PV_DESC_VERSION 1
enum pv_kind { PV_INT, PV_GUEST, PV_MM, PV_FILE, PV_PAGE, PV_PIPE, PV_DEV, PV_BAD };
struct pv_path_desc {
	unsigned int version;
	const char *name;
	const char *file;
	int line;
	int nargs;
	int kinds[PV_MAX_ARGS];
	const char *types[PV_MAX_ARGS];
	long (*thunk)(const uintptr_t *args);
};

/* paths.c */
const char *paths_running(void);	/* the user path the caller runs in */

/* signatures.c: a non-static function of a user file, from gcc -aux-info */
struct paths_found {
	char name[64];
	int line;
	int nargs;
	int kinds[PV_MAX_ARGS];
	char types[PV_MAX_ARGS][96];
	bool ok;		/* returns int or long, 1 to 4 world objects or integers */
};

/**
 * paths_aux_supported - does compiler @cc write prototype lists (-aux-info)?
 * Context: runs @cc once per process.  Return: true for gcc.
 */
bool paths_aux_supported(const char *cc);

/**
 * paths_aux_scan - the functions source file @src defines, not static, as
 * the -aux-info list @aux gives them.
 * Context: any.  Return: how many are in @found[0..@max), or -1 with the
 * message in @err.
 */
int paths_aux_scan(const char *aux, const char *src, struct paths_found *found, int max,
		   char *err, size_t errlen);

/* api.c */
struct page *__pv_pte_page(pte_t pte);
void __pv_set_bit(int nr, unsigned long *addr, int set);
int __pv_uv_call(unsigned long r1, unsigned long r2);
struct task_struct *__pv_current(void);
struct page *__pv_find_get_page(struct address_space *mapping, pgoff_t index);
void __pv_get_page(struct page *page);
void __pv_put_page(struct page *page);
bool __pv_get_page_unless_zero(struct page *page);
bool __pv_try_get_page(struct page *page);
int __pv_page_ref_count(const struct page *page);
int __pv_page_mapcount(const struct page *page);
int __pv_page_ref_freeze(struct page *page, int count);
void __pv_page_ref_unfreeze(struct page *page, int count);
int __pv_page_flag(const struct page *page, int which);
struct address_space *__pv_page_mapping(const struct page *page);
void __pv_lock_page(struct page *page);
int __pv_trylock_page(struct page *page);
void __pv_unlock_page(struct page *page);
void __pv_wait_on_page_writeback(struct page *page);
void __pv_down_read(struct rw_semaphore *sem);
void __pv_up_read(struct rw_semaphore *sem);
long __pv_get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			 unsigned int gup_flags, struct page **pages, int fast);
void __pv_unpin_user_page(struct page *page);
int __pv_arch_make_page_accessible(struct page *page);
int __pv_expected_page_refs(struct page *page);
void __pv_mark_page_accessed(struct page *page);
void __pv_lru_add_drain(void);
void __pv_lru_add_drain_all(void);
int __pv_dma(struct device *dev, struct page *page, int to_device);
void __pv_might_sleep(const char *file, int line);
void __pv_context(int op);
int __pv_in_atomic(void);
void __pv_kernel_check(const char *what, const char *cond, struct page *page,
		       const char *file, int line);
void __pv_register(const void *desc);
struct gmap;
long __pv_gmap_translate(struct gmap *gmap, unsigned long gaddr);
int __pv_gmap_fault(struct gmap *gmap, unsigned long gaddr, unsigned int fault_flags);
struct vm_area_struct *__pv_find_vma(struct mm_struct *mm, unsigned long addr);
int __pv_vma_hugetlb(const struct vm_area_struct *vma);
struct page *__pv_follow_page(struct vm_area_struct *vma, unsigned long addr,
			      unsigned int foll_flags);
pte_t *__pv_get_locked_pte(struct mm_struct *mm, unsigned long addr, char **ptl);
void __pv_pte_unmap_unlock(pte_t *ptep, char *ptl);
struct uv_cb_header;
int __pv_make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page,
			 struct uv_cb_header *uvcb);
int __pv_gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb);
int __pv_test_bit(int nr, const unsigned long *addr);
unsigned long __pv_page_to_phys(const struct page *page);
int __pv_uv_frame_call(unsigned long paddr, int export);
struct mm_struct *__pv_vma_mm(const struct vm_area_struct *vma);
pte_t *__pv_pte_offset_map_lock(struct mm_struct *mm, struct pte_table *pmd, unsigned long addr,
				char **ptl);
bool __pv_try_grab_page(struct page *page, unsigned int flags);
int __pv_no_page_table(const struct vm_area_struct *vma, unsigned int flags);
struct page *__pv_follow_page_pte(struct vm_area_struct *vma, unsigned long address,
				  struct pte_table *pmd, unsigned int flags,
				  struct dev_pagemap **pgmap);

#endif /* PVM_PATHS_PATHS_INT_H */
