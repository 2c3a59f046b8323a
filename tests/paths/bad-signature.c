/* PV_PATH lists (file, int) but the function takes (file, device): refused at compile time. */
#include <pvcheck/kernel.h>
static int reader(struct address_space *mapping, struct device *dev)
{
	return mapping && dev ? 0 : -EINVAL;
}
PV_PATH(reader, struct address_space *, int);
