/* A parameter that is neither a world object nor an integer. */
#include <pvcheck/kernel.h>
static int named(char *name)
{
	return name ? 0 : -EINVAL;
}
PV_PATH(named, char *);
