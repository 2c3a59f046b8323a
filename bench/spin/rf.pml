/*
 * rf.pml - the refcount-freeze workload of ../shared/bench/rf.c in Promela,
 * at the coarse granularity of the SPIN figures in ../shared/bench/README.md
 * (that README's rf.pml is not in the repository; this model was written
 * here from rf.c and reproduces its state count: 2,728,453 states stored at
 * NIO=3, NMS=2, ITER=3, "2.7 M").
 *
 * Coarser than rf.c in three places, each one atomic step here where the
 * C program takes several:
 *   - get_page_unless_zero is one guarded increment ("refcnt != 0 ->
 *     refcnt++"), where rf.c loads the count and then loops on a CAS;
 *   - the threads are started by one atomic init, where rf.c's main
 *     creates them one at a time (they run while main creates the rest)
 *     and joins them at the end;
 *   - no local variable outlives its use (SPIN resets dead locals).
 * rf-c.pml is the same workload at rf.c's own granularity.
 *
 * spin -DNIO=3 -DNMS=2 -DITER=3 [-DBUG] -a rf.pml; cc -O2 -DSAFETY pan.c
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
		:: refcnt == EXPECTED ->	/* check, no freeze */
			secure = true;
			assert(accessing == 0)
		:: else -> skip
		fi;
#else
		if
		:: atomic { refcnt == EXPECTED -> refcnt = 0 };	/* freeze */
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
	do
	:: i < ITER ->
		if
		:: atomic { refcnt != 0 -> refcnt++ };	/* get_page_unless_zero */
			if
			:: secure ->			/* unlocked fast path */
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
			refcnt--			/* put_page */
		:: else -> skip				/* frozen: back off */
		fi;
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
