#ifndef BIEUMAU_CDEFLATE_SHIM_H
#define BIEUMAU_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
