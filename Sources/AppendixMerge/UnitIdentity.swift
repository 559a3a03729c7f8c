import FormSchema
import Foundation
import Support

/// When two unit names mean the same unit: `ỦY BAN NHÂN DÂN XÃ HÒA BÌNH`, `UBND xã Hoà Bình` and
/// `Xã Hòa Bình` are one unit. Case, white space, NFC/NFD, old/new tone placement (`LabelKey`) and
/// the words "UBND" / "Ủy ban nhân dân" do not matter.
public enum UnitIdentity {
    private static let councilKey = LabelKey.make("Ủy ban nhân dân")

    public static func key(_ name: String) -> String {
        var k = LabelKey.make(name)
        k = k.replacingOccurrences(of: councilKey, with: "ubnd")
        let words = k.split(separator: " ").filter { $0 != "ubnd" }
        return words.joined(separator: " ")
    }

    public static func same(_ a: String, _ b: String) -> Bool { key(a) == key(b) }
}
