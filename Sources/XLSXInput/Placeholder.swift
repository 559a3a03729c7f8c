// Module XLSXInput: to be filled.
