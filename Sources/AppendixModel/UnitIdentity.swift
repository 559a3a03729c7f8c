import FormSchema
import Foundation
import Support

/// When two unit names mean the same unit — the one definition, used by the validator
/// (`validate --unit`, the previous period's file) and by the merger (one submission per unit,
/// expected and missing units).
///
/// `ỦY BAN NHÂN DÂN XÃ HÒA BÌNH`, `UBND xã Hoà Bình`, `Uỷ ban nhân dân xã Hòa  Bình` and
/// `Xã Hòa Bình` are one unit: case, white space, NFC/NFD, old/new tone placement (`Hòa`/`Hoà`,
/// `Ủy`/`Uỷ`, through `LabelKey`) and the council words "UBND" / "Ủy ban nhân dân" do not matter.
/// The tier word does: `xã Hòa Bình` and `phường Hòa Bình` are two units, and so are a commune
/// and the district named after it.
public enum UnitIdentity {
    private static let councilKey = LabelKey.make("Ủy ban nhân dân")

    /// The comparison key: a function, so that units can be grouped by it.
    public static func key(_ name: String) -> String {
        var k = LabelKey.make(name)
        k = k.replacingOccurrences(of: councilKey, with: "ubnd")
        let words = k.split(separator: " ").filter { $0 != "ubnd" }
        return words.joined(separator: " ")
    }

    /// True when both name the same unit (two blank names are not a match).
    public static func same(_ a: String, _ b: String) -> Bool {
        let ka = key(a)
        return !ka.isEmpty && ka == key(b)
    }
}
