import AppendixModel
import Testing

/// One definition of "the same unit", for the validator and the merger.
@Suite struct UnitIdentityTests {
    @Test(arguments: [
        ("UBND xã Hòa Bình", "UBND xã Hoà Bình"),                      // old/new tone placement
        ("Ủy ban nhân dân xã Hòa Bình", "Uỷ ban nhân dân xã Hòa Bình"),   // Ủy / Uỷ
        ("ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "ủy ban nhân dân xã hòa bình"),  // case
        ("UBND  xã   Hòa Bình ", "UBND xã Hòa Bình"),                  // spacing
        ("UBND xã Hòa Bình", "Xã Hòa Bình"),                           // the council words
        ("Ủy ban nhân dân huyện Ngân Sơn", "UBND huyện Ngân Sơn"),
        ("UBND huyện Ngân Sơn", "huyện Ngân Sơn"),
        ("UBND xa\u{0303} Ho\u{0300}a Bi\u{0300}nh", "UBND xã Hòa Bình"),   // decomposed (NFD) input
    ])
    func sameUnit(a: String, b: String) {
        #expect(UnitIdentity.same(a, b))
        #expect(UnitIdentity.key(a) == UnitIdentity.key(b))
    }

    @Test(arguments: [
        ("UBND xã Hòa Bình", "UBND phường Hòa Bình"),                  // the tier word matters
        ("Xã Hòa Bình", "Xã Hòa Bình Tây"),
        ("UBND xã Vân Tùng, huyện Ngân Sơn", "UBND huyện Ngân Sơn"),    // a commune is not its district
        ("UBND huyện Ngân Sơn", "UBND huyện Ba Bể"),
        ("", ""),                                                       // two blanks are no match
        ("UBND", "Ủy ban nhân dân"),
    ])
    func differentUnits(a: String, b: String) {
        #expect(!UnitIdentity.same(a, b))
    }
}
