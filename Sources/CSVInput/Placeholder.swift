// Module CSVInput: to be filled.
