// snappy's C API; the C++ library behind it is linked through pkg-config.
#include <snappy-c.h>
