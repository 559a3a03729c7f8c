// The data the façade's calls take and return, so that `import BieuMau` is enough for a front
// end: errors and messages, the grid's notices, forms, the appendix, findings, merge results.
// Readers, writers and C wrappers stay behind the façade.
@_exported import AppendixMerge
@_exported import AppendixModel
@_exported import AppendixValidation
@_exported import FormSchema
@_exported import SheetGrid
@_exported import Support
