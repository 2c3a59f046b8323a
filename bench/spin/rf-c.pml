/*
 * rf-c.pml - ../shared/bench/rf.c in Promela at the C program's own
 * granularity: one Promela step per C11 atomic operation, mutex lock or
 * unlock, as `pvcheck run` schedules rf.c.  get_page_unless_zero keeps its
 * load and CAS loop (a failed CAS reloads the count into c, as
 * atomic_compare_exchange_strong does); make_secure's freeze is one CAS.
 *
 * Still coarser than rf.c in two places (see rf.pml): the threads start in
 * one atomic init with no join at the end, and dead locals are reset
 * (c = 0 once used), where a native stack keeps them until overwritten.
 *
 * spin -DNIO=3 -DNMS=2 -DITER=3 [-DBUG] -a rf-c.pml; cc -O2 -DSAFETY pan.c
 */
#ifndef NIO
#define NIO 1
#endif
#ifndef NMS
#define NMS 1
#endif
#ifndef ITER
#define ITER 1
#endif
#define EXPECTED 1

byte refcnt = EXPECTED;
bool secure;
byte accessing;
bool page_lock;

inline lock() { atomic { !page_lock -> page_lock = true } }
inline unlock() { page_lock = false }

proctype make_secure()
{
	byte i = 0;
	do
	:: i < ITER ->
		lock();
#ifdef BUG
		if
		:: refcnt == EXPECTED ->	/* atomic_load: check, no freeze */
			secure = true;
			assert(accessing == 0)
		:: else -> skip
		fi;
#else
		if
		:: atomic { refcnt == EXPECTED -> refcnt = 0 };	/* CAS: freeze */
			secure = true;
			assert(accessing == 0);
			refcnt = EXPECTED		/* unfreeze */
		:: else -> skip
		fi;
#endif
		unlock();
		i++
	:: else -> break
	od
}

proctype io_path()
{
	byte i = 0;
	byte c;
	do
	:: i < ITER ->
		c = refcnt;				/* atomic_load */
		do
		:: c == 0 -> goto backoff		/* frozen: back off */
		:: else ->
			atomic {			/* CAS(&refcnt, &c, c + 1) */
				if
				:: refcnt == c -> refcnt = c + 1; c = 0; break
				:: else -> c = refcnt
				fi
			}
		od;
		if
		:: secure ->				/* unlocked fast path */
			lock();
			if
			:: secure -> secure = false	/* export */
			:: else -> skip
			fi;
			unlock()
		:: else -> skip
		fi;
		accessing++;
		assert(!secure);
		accessing--;
		refcnt--;				/* put_page */
backoff:	c = 0;
		i++
	:: else -> break
	od
}

init
{
	atomic {
		byte k = 0;
		do
		:: k < NMS -> run make_secure(); k++
		:: else -> break
		od;
		k = 0;
		do
		:: k < NIO -> run io_path(); k++
		:: else -> break
		od
	}
}
