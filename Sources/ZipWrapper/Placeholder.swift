// Module ZipWrapper: to be filled.
