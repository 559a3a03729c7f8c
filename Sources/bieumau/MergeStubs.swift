// TEMPORARY: stand-ins until the locator and writer branches are merged. Delete on merge.
import AppendixMerge
import AppendixModel
import FormSchema
import Support

func loadAppendix(path: String, library: FormLibrary, formID: String?, sheet: String?) throws -> Appendix {
    throw BieuMauError(.dataError, vi: "chưa đọc được tệp (locator chưa có)", en: "cannot read files yet (no locator)")
}
