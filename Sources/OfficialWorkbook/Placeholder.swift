// Module OfficialWorkbook: to be filled.
