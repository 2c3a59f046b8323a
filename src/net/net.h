/* SPDX-License-Identifier: MIT */
/*
 * net.h - the socket send paths of the model (src/net/tcp.c): a
 * MSG_ZEROCOPY sendmsg whose pages the NIC reads straight from user
 * memory.  The socket and skb layers are abstracted (doc/protocol.md,
 * "MSG_ZEROCOPY"); the NIC is a struct mdl_dev of kind DEV_NIC.
 */
#ifndef PVM_NET_NET_H
#define PVM_NET_NET_H

#include "mm/mm.h"
#include "dev/dev.h"

long tcp_sendmsg_zerocopy(struct mm_struct *mm, unsigned long addr, struct mdl_dev *nic);

#endif /* PVM_NET_NET_H */
