// Module TableLocator: to be filled.
