/* SPDX-License-Identifier: MIT */
/*
 * ops_int.h - what ops.c (the operations and their table, mdl_ops[]) shares
 * with ops_bind.c (the binder's checks of a scenario's calls): the macros
 * that turn an operation's arguments into world objects, and the
 * operations the checks recognise by their function.  Private to the two.
 */
#ifndef PVM_MODEL_OPS_INT_H
#define PVM_MODEL_OPS_INT_H

#include "model/world.h"

/* An argument of an operation: the world object its handle names. */
#define G(i) (&mdl_world.guests[argv[i]])
#define MM(i) (&mdl_world.mms[argv[i]])
#define F(i) (&mdl_world.files[argv[i]])
#define PIPE(i) (&mdl_world.pipes[argv[i]])
#define DEV(i) (&mdl_world.devs[argv[i]])

/* Operations ops_bind.c tells apart (each returns its kernel path's code). */
long op_dio_read(const long *argv);
long op_dio_write(const long *argv);
long op_file_read(const long *argv);
long op_file_write(const long *argv);
long op_fork(const long *argv);
long op_guest_read(const long *argv);
long op_guest_share(const long *argv);
long op_guest_unpack(const long *argv);
long op_guest_unshare(const long *argv);
long op_guest_write(const long *argv);
long op_lru_add(const long *argv);
long op_mark_page_accessed(const long *argv);
long op_migrate(const long *argv);
long op_move_pages(const long *argv);
long op_mprotect(const long *argv);
long op_mremap(const long *argv);
long op_munlock(const long *argv);
long op_pin_dma_range(const long *argv);
long op_pin_fast_dma_range(const long *argv);
long op_pv_disable(const long *argv);
long op_reclaim(const long *argv);
long op_send_zerocopy(const long *argv);
long op_splice_read(const long *argv);
long op_splice_write(const long *argv);
long op_tamper_slot(const long *argv);
long op_tee(const long *argv);
long op_vmsplice(const long *argv);
long op_writeback(const long *argv);

#endif /* PVM_MODEL_OPS_INT_H */
