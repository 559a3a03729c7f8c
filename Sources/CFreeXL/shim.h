#ifndef BIEUMAU_CFREEXL_SHIM_H
#define BIEUMAU_CFREEXL_SHIM_H
#include <freexl.h>
#endif
