// Module XlsxWriterWrapper: to be filled.
