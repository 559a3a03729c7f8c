// Module AppendixMerge: to be filled.
