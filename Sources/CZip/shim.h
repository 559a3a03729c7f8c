#ifndef BIEUMAU_CZIP_SHIM_H
#define BIEUMAU_CZIP_SHIM_H
#include <zip.h>
#endif
