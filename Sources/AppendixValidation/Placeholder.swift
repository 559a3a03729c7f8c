// Module AppendixValidation: to be filled.
