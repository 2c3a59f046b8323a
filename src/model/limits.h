/* SPDX-License-Identifier: MIT */
/*
 * limits.h - the sizes of the modelled world's tables, in one place.
 *
 * The kernel files (the floor: world.h, mm/page.h, mm/mm.h) size their
 * tables with these, and the scenario binder and generator (behind the
 * door, model.h) check a scenario against them before anything runs (the
 * binder names the limit in its error).  Neither side includes the other's
 * header for them.
 */
#ifndef PVM_MODEL_LIMITS_H
#define PVM_MODEL_LIMITS_H

#define MDL_MAX_PAGES		8	/* page frames (the firmware's table: UVFW_MAX_PAGES) */
#define MDL_MAX_MMS		3
#define MDL_MAX_GUESTS		2
#define MDL_MAX_FILES		2
#define MDL_MAX_PIPES		2
#define MDL_MAX_DEVS		2
#define MDL_DEV_SLOTS		4	/* transfers a device keeps (block slots, NIC frames) */
#define MDL_MAX_THREADS		16	/* the initial thread and 15 scenario threads */
#define MDL_NR_CPUS		MDL_MAX_THREADS	/* one per thread (lru pagevecs) */
#define MDL_PVEC_SIZE		2	/* pages a per-CPU LRU pagevec holds */
#define MDL_MAX_HELD		8	/* locks a thread can hold */
#define MDL_MAX_HOLDERS		32	/* ghost reference holders per page */
#define MDL_MAX_ADDRS		8	/* addresses (PTEs) an mm may have */
#define MDL_MAX_FILE_PAGES	4	/* page-cache slots per file */

#endif /* PVM_MODEL_LIMITS_H */
