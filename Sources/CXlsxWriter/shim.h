#ifndef BIEUMAU_CXLSXWRITER_SHIM_H
#define BIEUMAU_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
